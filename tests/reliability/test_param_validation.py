"""Parameters and training labels of the featurizers and cue taggers: numpy numbers work as Python ones (grids
built with numpy), anything else gets a ValueError naming the parameter or the item, never a bare TypeError,
KeyError or a silently wrong model."""

import numpy as np
import pytest

from stancekit.features import ClaimTypeCueFeaturizer, LinguisticFeatures, RelationFeaturizer, StanceCueFeaturizer
from stancekit.features._lexicon import load_lexicon
from stancekit.models import HedgeCueTagger, LexiconCueTagger

PAIRS = [("Officials denied it was a hoax.", "It was a hoax"), ("Markets rose on Monday.", "Markets fell")] * 2
TEXTS = ["It may rain in 2025.", "Troops crossed the border, officials said.", "Exports fell 12 percent."]

NUMPY_OK = [
    (StanceCueFeaturizer, {"window": np.int64(6)}, PAIRS),
    (RelationFeaturizer, {"window": np.int32(3), "min_count": np.int64(1)}, PAIRS),
    (ClaimTypeCueFeaturizer, {"min_count": np.int64(2), "recent_year": np.int64(2024), "weight": np.float64(1.5),
                              "phrase_features": np.bool_(True), "head_words": np.bool_(False)}, TEXTS),
    (LinguisticFeatures, {"min_count": np.int64(1), "reference_year": np.int64(2025), "scale": np.bool_(True),
                          "context_features": np.bool_(False)}, TEXTS),
]


@pytest.mark.parametrize("cls,params,X", NUMPY_OK, ids=[c[0].__name__ for c in NUMPY_OK])
def test_numpy_scalars_give_the_same_features_as_python_ones(cls, params, X):
    plain = {k: v.item() for k, v in params.items()}
    a = cls(**params).fit(X).transform(X)
    b = cls(**plain).fit(X).transform(X)
    assert (a != b).nnz == 0 if hasattr(a, "nnz") else np.array_equal(a, b)


BAD = [
    (StanceCueFeaturizer, {"window": True}, PAIRS, "'window' parameter of StanceCueFeaturizer must be an int >= 0"),
    (StanceCueFeaturizer, {"window": 2.0}, PAIRS, "'window' parameter of StanceCueFeaturizer must be an int >= 0"),
    (RelationFeaturizer, {"min_count": 0}, PAIRS, "'min_count' parameter of RelationFeaturizer must be an int >= 1"),
    (ClaimTypeCueFeaturizer, {"zones": None}, TEXTS, "'zones' parameter of ClaimTypeCueFeaturizer must be a tuple"),
    (ClaimTypeCueFeaturizer, {"weight": 0}, TEXTS, "'weight' parameter .* must be a positive number. Got 0"),
    (ClaimTypeCueFeaturizer, {"recent_year": "2024"}, TEXTS, "'recent_year' parameter .* must be an int"),
    (LinguisticFeatures, {"families": ("hedge", "hedge")}, TEXTS, "'families' .* each named once"),
    (LinguisticFeatures, {"families": None}, TEXTS, "'families' .* Got None instead"),
    (LinguisticFeatures, {"min_count": "2"}, TEXTS, "'min_count' parameter of LinguisticFeatures must be an int >= 1"),
    (LinguisticFeatures, {"reference_year": "abc"}, TEXTS, "'reference_year' parameter .* must be an int"),
    (LinguisticFeatures, {"lexicons": ["hedges"]}, TEXTS, "'lexicons' parameter .* must be a dict or None"),
    (LinguisticFeatures, {"lexicons": {"hedges": 5}}, TEXTS, "lexicon must be one of .* got int 5"),
    (LinguisticFeatures, {"scale": "yes"}, TEXTS, "'scale' parameter of LinguisticFeatures must be a bool"),
]


@pytest.mark.parametrize("cls,params,X,message", BAD, ids=[f"{c[0].__name__}-{sorted(c[1])[0]}-{i}"
                                                            for i, c in enumerate(BAD)])
def test_bad_parameters_are_named(cls, params, X, message):
    with pytest.raises(ValueError, match=message):
        cls(**params).fit(X)


def test_a_stance_lexicon_with_an_unknown_category_is_refused_at_fit():
    with pytest.raises(ValueError, match=r"categories \['fake'\]; expected only \['denial', 'negation', "
                                         r"'neutral', 'support'\]"):
        StanceCueFeaturizer(lexicon=[("hoax", "fake")]).fit(PAIRS)
    own = StanceCueFeaturizer(lexicon=[("hoax", "denial")]).fit(PAIRS)
    names = list(own.get_feature_names_out())
    assert own.transform(PAIRS[:1]).toarray()[0][names.index("stance_denial")] == 1


@pytest.mark.parametrize("entry", [1, "ab", ("a",), ("a", "")])
def test_a_bad_lexicon_entry_is_named(entry):
    with pytest.raises(ValueError, match="entry 0: expected \\(phrase, category\\)"):
        load_lexicon([entry])


SPANS_BAD = [([[[3, 3]]], r"y\[0\]\[0\] must be a \[start, end\] span .* got \[3, 3\]"),
             ([[[6, 3]]], r"y\[0\]\[0\] .* got \[6, 3\]"),
             ([[[0, 99]]], r"y\[0\]\[0\] .* <= 20 \(the length of X\[0\]\), got \[0, 99\]"),
             ([[3, 6]], r"y\[0\]\[0\] .* got 3"),
             ([[["a", "b"]]], r"y\[0\]\[0\] .* got \['a', 'b'\]"),
             ([None], r"y\[0\] must be a list of \[start, end\] spans"),
             (None, "fit needs y, one list of \\[start, end\\] cue spans per text; got NoneType"),
             ([[], []], "X and y must have the same length, got 1 and 2")]


@pytest.mark.parametrize("tagger", [LexiconCueTagger, HedgeCueTagger])
@pytest.mark.parametrize("y,message", SPANS_BAD, ids=[str(i) for i in range(len(SPANS_BAD))])
def test_cue_taggers_refuse_bad_spans(tagger, y, message):
    with pytest.raises(ValueError, match=message):
        tagger().fit(["It may rain in 2025."], y)


def test_an_empty_span_no_longer_becomes_a_cue_everywhere():
    texts = ["It may rain.", "Troops may come."] * 3
    spans = [[[3, 6]], [[7, 10]]] * 3
    tagger = LexiconCueTagger().fit(texts, (s for s in spans))  # a generator of spans works too
    assert tagger.predict(["No cue here.", "It may rain."]) == [[], [[3, 6]]]


@pytest.mark.parametrize("params,message", [({"min_precision": "0.3"}, "'min_precision' .* number >= 0 and <= 1"),
                                            ({"min_precision": 1.5}, "'min_precision'"),
                                            ({"min_count": 0}, "'min_count' parameter of LexiconCueTagger")])
def test_lexicon_tagger_parameters(params, message):
    with pytest.raises(ValueError, match=message):
        LexiconCueTagger(**params).fit(["It may rain."], [[]])
