"""Lexicon-based linguistic featurizers for hedging, attribution and claim type.

Every featurizer tokenizes a sentence once and matches all of its lexicons in
one pass (a merged :class:`~stancekit.features.Lexicon`); the families it
computes are plain functions over that shared analysis. :class:`LinguisticFeatures`
computes several families from the same single pass, which is what the
:class:`~stancekit.Analyzer` uses.
"""

import re
from collections import Counter

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ._lexicon import load_lexicon
from ._linguistic_core import (BAGS, FAMILIES, FAMILY_LEXICONS, Analysis, _merged, attribution_family,
                               claim_family, hedge_family)
from ._tokens import TYPES, tokenize_batch
from ._validation import check_bool_param, check_int_param, check_texts


class LinguisticFeatures(TransformerMixin, BaseEstimator):
    """Hedge, attribution and claim-type cue features from one tokenization and one lexicon pass.

    Parameters
    ----------
    families : tuple of str, default=("hedge", "attribution", "claim")
        Which feature families to compute.
    lexicons : dict, default=None
        Replacement lexicons by file name (``"hedges"``, ``"boosters"``,
        ``"attribution"``, ``"claims"``, ``"countries"``): each value a TSV path,
        a :class:`Lexicon` or a list of ``(phrase, category)`` pairs.
    reference_year : int, default=None
        Year of reporting, for "past year" features; ``None`` learns the most
        frequent year in the training text.
    context_features : bool, default=True
        Add sparse, learned-vocabulary features that locate the cues: each
        hedge phrase with its clause (main or reported) and negation, the
        words around each reporting verb (its likely subject), and how the
        sentence and its reported content begin.
    min_count : int, default=2
        Minimum training count of a context feature.
    scale : bool, default=True
        Divide each count feature by its largest training value, so counts sit
        in [0, 1] next to TF-IDF columns (as scikit-learn's ``MaxAbsScaler``).

    Examples
    --------
    >>> from stancekit.features import LinguisticFeatures
    >>> f = LinguisticFeatures(families=("hedge",)).fit(["It may rain."])
    >>> dict(zip(f.get_feature_names_out(), f.transform(["It may rain."]).toarray()[0]))["hedge_epistemic_modal"]
    1.0
    """

    def __init__(self, *, families=("hedge", "attribution", "claim"), lexicons=None, reference_year=None,
                 context_features=True, min_count=2, scale=True):
        self.families = families
        self.lexicons = lexicons
        self.reference_year = reference_year
        self.context_features = context_features
        self.min_count = min_count
        self.scale = scale

    def _check_params(self):
        owner = type(self).__name__
        if isinstance(self.families, str):
            fams = (self.families,)
        elif hasattr(self.families, "__iter__") and not isinstance(self.families, (bytes, dict)):
            fams = tuple(self.families)
        else:
            fams = None
        if not fams or any(f not in FAMILIES for f in fams) or len(set(fams)) != len(fams):
            raise ValueError(f"The 'families' parameter of {owner} must be a non-empty subset of "
                             f"{list(FAMILIES)}, each named once. Got {self.families!r} instead.")
        if self.lexicons is not None and not isinstance(self.lexicons, dict):
            raise ValueError(f"The 'lexicons' parameter of {owner} must be a dict or None. "
                             f"Got {type(self.lexicons).__name__} instead.")
        if self.reference_year is not None:
            check_int_param(owner, "reference_year", self.reference_year)
        check_int_param(owner, "min_count", self.min_count, minimum=1)
        check_bool_param(owner, "context_features", self.context_features)
        check_bool_param(owner, "scale", self.scale)
        lexicons = dict(self.lexicons or {})
        known = {name for fam in FAMILY_LEXICONS.values() for name in fam.values()}
        for key in lexicons:
            if key not in known:
                raise ValueError(f"The 'lexicons' parameter of {type(self).__name__} has unknown key {key!r}; "
                                 f"expected some of {sorted(known)}.")
        return fams, lexicons

    def fit(self, X, y=None):
        texts = check_texts(X)
        fams, overrides = self._check_params()
        entries = []
        for fam in fams:
            for prefix, name in FAMILY_LEXICONS[fam].items():
                lex = load_lexicon(overrides.get(name, name))
                entries.extend((p, f"{prefix}:{c}") for p, c in lex.entries())
        self.families_ = list(fams)
        self.lexicon_entries_ = sorted(set(entries))
        if self.reference_year is None:
            years = Counter(int(m) for t in texts for m in re.findall(r"\b(?:19|20)\d\d\b", t))
            self.reference_year_ = years.most_common(1)[0][0] if years else 0
        else:
            self.reference_year_ = int(self.reference_year)
        self.context_vocabulary_ = []
        self.scale_ = []
        analyses = self.analyses(texts)
        if self.scale and analyses:
            dense = np.asarray([self._dense_row(a) for a in analyses], dtype=float)
            self.scale_ = np.maximum(np.abs(dense).max(axis=0), 1.0).tolist()
        if self.context_features:
            counts = Counter()
            for a in analyses:
                for fam in self.families_:
                    counts.update(BAGS[fam](a))
            self.context_vocabulary_ = sorted(k for k, n in counts.items() if n >= self.min_count)
        self.n_features_out_ = sum(len(FAMILIES[f]) for f in self.families_) + len(self.context_vocabulary_)
        return self

    def analyses(self, X):
        """Tokenize and match each text once; reusable by several families."""
        check_is_fitted(self, "lexicon_entries_")
        lex = _merged(tuple(map(tuple, self.lexicon_entries_)))
        return [Analysis(t, lex) for t in check_texts(X)]

    def _dense_row(self, a):
        row = []
        for fam in self.families_:
            if fam == "hedge":
                row += hedge_family(a)
            elif fam == "attribution":
                row += attribution_family(a)
            else:
                row += claim_family(a, self.reference_year_)
        return row

    def transform(self, X):
        check_is_fitted(self, "lexicon_entries_")
        texts = check_texts(X)
        with TYPES.session():
            return self._transform_batch(tokenize_batch(texts))

    def _transform_batch(self, batch):
        """:meth:`transform` of a TokenBatch (tokens shared with other featurizers)."""
        from ._linguistic_batch import transform_batch

        return transform_batch(self, batch)

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "lexicon_entries_")
        return np.asarray([n for f in self.families_ for n in FAMILIES[f]] + list(self.context_vocabulary_),
                          dtype=object)

    def cue_spans(self, text):
        """Lexicon matches in *text* as ``(start, end, lexicon:category)``, for explanations."""
        [a] = self.analyses([text])
        out = []
        for i, j, _, cats in a.matches:
            start, end = a.char_span(i, j)
            out.extend((start, end, c) for c in cats)
        return out


class HedgeCueFeaturizer(LinguisticFeatures):
    """Hedge cues by category, boosters and negated doubt, negation and clause position.

    Same parameters as :class:`LinguisticFeatures`, with ``families=("hedge",)``.
    """

    def __init__(self, *, families=("hedge",), lexicons=None, reference_year=None, context_features=True,
                 min_count=2, scale=True):
        super().__init__(families=families, lexicons=lexicons, reference_year=reference_year,
                         context_features=context_features, min_count=min_count, scale=scale)


class AttributionFeaturizer(LinguisticFeatures):
    """Reporting verbs by kind, quotation, "according to", named vs vague source patterns."""

    def __init__(self, *, families=("attribution",), lexicons=None, reference_year=None, context_features=True,
                 min_count=2, scale=True):
        super().__init__(families=families, lexicons=lexicons, reference_year=reference_year,
                         context_features=context_features, min_count=min_count, scale=scale)


class ClaimCueFeaturizer(LinguisticFeatures):
    """Quantities, time and future/conditional markers, causal connectives, evaluative words."""

    def __init__(self, *, families=("claim",), lexicons=None, reference_year=None, context_features=True,
                 min_count=2, scale=True):
        super().__init__(families=families, lexicons=lexicons, reference_year=reference_year,
                         context_features=context_features, min_count=min_count, scale=scale)
