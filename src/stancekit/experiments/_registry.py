"""Registered featurizers and classifiers: the only names a config may use.

A registry is a plain dict from name to ``(class, default parameters)``. Configs
never name code by import path, so a config file cannot import or run anything
that is not listed here.
"""

from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from ..models import HedgeCueTagger, LexiconCueTagger, PerTargetLinearSVC
from ..features import (
    CompactTfidfVectorizer,
    AttributionFeaturizer,
    ClaimCueFeaturizer,
    ClaimTypeCueFeaturizer,
    HashtagTfidf,
    HeadlineCueFeaturizer,
    HedgeCueFeaturizer,
    LinguisticFeatures,
    PropositionTfidf,
    RelationFeaturizer,
    StanceCueFeaturizer,
    TargetIndexer,
)

FEATURIZERS = {
    "word_tfidf": (CompactTfidfVectorizer, {"analyzer": "word", "ngram_range": [1, 2], "min_df": 1,
                                     "sublinear_tf": True, "lowercase": True, "max_features": None}),
    "char_tfidf": (CompactTfidfVectorizer, {"analyzer": "char_wb", "ngram_range": [2, 5], "min_df": 2,
                                     "sublinear_tf": True, "lowercase": True, "max_features": None}),
    # Word n-grams of tweets with each hashtag also read as its words (#StopHillary2016 -> stop hillary 2016).
    "hashtag_tfidf": (HashtagTfidf, {"ngram_range": [1, 3], "hashtags": "both", "min_count": 2, "min_df": 1,
                                     "sublinear_tf": True, "binary": False}),
    "hedge_cues": (HedgeCueFeaturizer, {"families": ["hedge"], "lexicons": None, "reference_year": None,
                                       "context_features": True, "min_count": 2, "scale": True}),
    "attribution": (AttributionFeaturizer, {"families": ["attribution"], "lexicons": None, "reference_year": None,
                                       "context_features": True, "min_count": 2, "scale": True}),
    "claim_cues": (ClaimCueFeaturizer, {"families": ["claim"], "lexicons": None, "reference_year": None,
                                       "context_features": True, "min_count": 2, "scale": True}),
    "linguistic": (LinguisticFeatures, {"families": ["hedge", "attribution", "claim"], "lexicons": None,
                                        "reference_year": None, "context_features": True, "min_count": 2,
                                        "scale": True}),
    "stance_cues": (StanceCueFeaturizer, {"window": 6, "lexicon": None}),
    "claim_type_cues": (ClaimTypeCueFeaturizer, {"zones": ["head"], "weight": 0.1, "phrase_features": False,
                                                 "head_words": False, "min_count": 2,
                                                 "lexicon": None, "recent_year": 2023}),
    "proposition_tfidf": (PropositionTfidf, {"ngram_range": [1, 2], "min_df": 2, "sublinear_tf": True}),
    "relation": (RelationFeaturizer, {"window": 5, "context_features": False, "min_count": 3, "scale": True,
                                      "lexicon": None}),
    "headline_cues": (HeadlineCueFeaturizer, {"per_word": True, "overlap": True}),
    # One column, the pair's target index; for per_target_svc (group_column = -1): list it last.
    "target_index": (TargetIndexer, {"unseen_value": -1}),
}

#: Featurizers whose input is (sentence, target) pairs rather than sentences.
PAIR_FEATURIZERS = {"stance_cues", "headline_cues", "target_index", "relation"}
#: Sentence featurizers that, for stance, describe the sentence only (not the target or the pair product).
SENTENCE_SIDE_FEATURIZERS = {"hedge_cues", "attribution", "claim_cues", "claim_type_cues", "linguistic"}

CLASSIFIERS = {
    "logistic_regression": (LogisticRegression, {"C": 4.0, "max_iter": 3000, "class_weight": None,
                                                 "solver": "lbfgs"}),
    "linear_svc": (LinearSVC, {"C": 0.5, "class_weight": None, "max_iter": 5000}),
    "majority": (DummyClassifier, {"strategy": "most_frequent"}),
    # One LinearSVC per target (rows routed by the 'target_index' column; group_column = -1 in a config).
    "per_target_svc": (PerTargetLinearSVC, {"C": 0.5, "class_weight": None, "max_iter": 5000,
                                            "group_column": None, "unseen": "global"}),
}

#: Cue taggers, for the pseudo-layer "hedge_cues" (fit on texts and cue spans).
TAGGERS = {
    "hedge_cue_tagger": (HedgeCueTagger, {"window": 2, "C": 1.0, "use_lexicon": True, "cue_weight": 2.0}),
    "lexicon_cue_tagger": (LexiconCueTagger, {"min_precision": 0.3, "min_count": 1}),
}

#: Parameters whose TOML form (a list) must become a tuple for scikit-learn.
_TUPLE_PARAMS = {"ngram_range", "families"}
#: Classifier parameters that take the experiment seed.
_SEEDED = {"random_state"}


def _convert(params):
    return {k: tuple(v) if k in _TUPLE_PARAMS and isinstance(v, list) else v for k, v in params.items()}


def grid_values(grid):
    """A config's ``[search] grid`` with each value in the form scikit-learn takes (``clf__x`` or
    ``features__0_word_tfidf__ngram_range``: the last part of the key decides, as for plain parameters)."""
    return {key: [tuple(v) if key.rsplit("__", 1)[-1] in _TUPLE_PARAMS and isinstance(v, list) else v
                  for v in values] for key, values in grid.items()}


def make_featurizer(name, params):
    cls, _ = FEATURIZERS[name]
    return cls(**_convert(params))


def make_classifier(name, params, seed):
    cls, _ = CLASSIFIERS[name] if name in CLASSIFIERS else TAGGERS[name]
    params = _convert(params)
    if "random_state" in cls().get_params() and "random_state" not in params:
        params["random_state"] = seed
    return cls(**params)


def register_featurizer(name, cls, defaults, *, pairs=False):
    """Add a featurizer class to the registry (for extensions in Python code, never from a config).

    With ``pairs=True`` the featurizer takes (sentence, target) pairs (stance only).
    """
    FEATURIZERS[name] = (cls, dict(defaults))
    if pairs:
        PAIR_FEATURIZERS.add(name)


def register_classifier(name, cls, defaults):
    """Add a classifier class to the registry (for extensions in Python code, never from a config)."""
    CLASSIFIERS[name] = (cls, dict(defaults))
