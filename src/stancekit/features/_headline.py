"""Headline cues for claim-vs-headline stance (in the spirit of Ferreira & Vlachos, NAACL 2016).

Emergent's headlines report a claim ("for"), refute it ("against") or only
relay it ("observing"). Ferreira & Vlachos's logistic regression used, besides
a bag of words, whether the headline is a question, whether it contains
hedging words ("reportedly", "claims", ...) or refuting words ("fake",
"hoax", "denies", "not", ...), negation and the overlap of headline and
claim. :class:`HeadlineCueFeaturizer` computes features of that kind from
(headline, claim) pairs with plain word lists (written for stancekit; no
dependency parser or paraphrase database).
"""

import re

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.utils.validation import check_is_fitted

from ._validation import check_bool_param, check_pairs

#: Words that relay a claim without asserting it.
HEDGE_WORDS = (
    "according", "alleged", "allegedly", "apparently", "appear", "appears", "believed", "claim", "claimed",
    "claims", "could", "evidently", "likely", "may", "maybe", "might", "perhaps", "possibly", "presumably",
    "probably", "purported", "purportedly", "report", "reported", "reportedly", "reports", "rumor", "rumored",
    "rumors", "rumour", "rumoured", "rumours", "said", "says", "seem", "seems", "sources", "supposedly",
    "suspected", "unconfirmed", "unverified",
)
#: Words that reject a claim.
REFUTE_WORDS = (
    "bogus", "debunk", "debunked", "debunks", "deny", "denied", "denies", "despite", "doubt", "doubts", "fake",
    "false", "fraud", "hoax", "myth", "nope", "prank", "pranks", "refute", "refuted", "refutes", "retract",
    "retracted", "retracts", "satire", "satirical", "untrue",
)
#: Negation words ("n't" forms are matched by their ending).
NEGATION_WORDS = ("no", "not", "never", "none", "nothing", "nobody", "neither", "nor", "without")

_TOKEN = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?")
_PREFIX = re.compile(r"^\s*(?:\S+\s+){0,2}\S+?:\s")  # "Rumor: ...", "REPORT: ...", "Apple rumor: ..."


def _tokens(text):
    return [t.replace("\u2019", "'") for t in _TOKEN.findall(text.lower())]


def _negated(tokens):
    return any(t in NEGATION_WORDS or t.endswith("n't") for t in tokens)


def _content(tokens):
    return {t for t in tokens if t not in ENGLISH_STOP_WORDS and len(t) > 1}


class HeadlineCueFeaturizer(TransformerMixin, BaseEstimator):
    """Cue features of a (headline, claim) pair: question, hedging, refuting, negation, overlap.

    Columns (all in [0, 1]): ``question`` (a "?" in the headline),
    ``hedge_any`` / ``refute_any`` (a hedging / refuting word in the headline),
    ``hedge_initial`` / ``refute_initial`` (one among the first three tokens),
    ``prefix_colon`` (a short "Rumor:"-style lead), ``quote`` (quotation
    marks), ``negation`` (in the headline), ``claim_negation``,
    ``negation_mismatch`` (exactly one side negated); with ``overlap``, the
    Jaccard similarity of the two sides' content words and the share of the
    claim's (and of the headline's) content words found in the other; with
    ``per_word``, one indicator per hedging and refuting word.

    Parameters
    ----------
    per_word : bool, default=True
        Add one presence column per hedging and refuting word.
    overlap : bool, default=True
        Add the headline-claim overlap columns.

    Examples
    --------
    >>> from stancekit.features import HeadlineCueFeaturizer
    >>> f = HeadlineCueFeaturizer(per_word=False).fit([("Banksy arrest is a hoax", "Banksy was arrested")])
    >>> row = f.transform([("Banksy arrest is a hoax?", "Banksy was arrested")])[0]
    >>> dict(zip(f.get_feature_names_out(), row))["headline__refute_any"]
    1.0
    """

    def __init__(self, *, per_word=True, overlap=True):
        self.per_word = per_word
        self.overlap = overlap

    def fit(self, X, y=None):
        check_pairs(X)
        for name in ("per_word", "overlap"):
            check_bool_param("HeadlineCueFeaturizer", name, getattr(self, name))
        self.feature_names_ = self._names()
        self.n_features_out_ = len(self.feature_names_)
        return self

    def _names(self):
        names = ["question", "hedge_any", "refute_any", "hedge_initial", "refute_initial", "prefix_colon", "quote",
                 "negation", "claim_negation", "negation_mismatch"]
        if self.overlap:
            names += ["jaccard", "claim_coverage", "headline_coverage"]
        if self.per_word:
            names += [f"hedge__{w}" for w in HEDGE_WORDS] + [f"refute__{w}" for w in REFUTE_WORDS]
        return [f"headline__{n}" for n in names]

    def _row(self, headline, claim):
        h, c = _tokens(headline), _tokens(claim)
        hs = set(h)
        first = set(h[:3])
        hedge, refute = hs.intersection(HEDGE_WORDS), hs.intersection(REFUTE_WORDS)
        neg_h, neg_c = _negated(h), _negated(c)
        row = [
            "?" in headline, bool(hedge), bool(refute), bool(first & hedge), bool(first & refute),
            bool(_PREFIX.match(headline)), any(q in headline for q in ('"', "\u201c", "\u201d")),
            neg_h, neg_c, neg_h != neg_c,
        ]
        if self.overlap:
            ch, cc = _content(h), _content(c)
            inter = len(ch & cc)
            union = len(ch | cc)
            row += [inter / union if union else 0.0, inter / len(cc) if cc else 0.0, inter / len(ch) if ch else 0.0]
        if self.per_word:
            row += [w in hedge for w in HEDGE_WORDS] + [w in refute for w in REFUTE_WORDS]
        return row

    def transform(self, X):
        check_is_fitted(self, "feature_names_")
        headlines, claims = check_pairs(X)
        out = np.array([self._row(h, c) for h, c in zip(headlines, claims)], dtype=np.float64)
        return out.reshape(len(headlines), len(self.feature_names_))

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "feature_names_")
        return np.asarray(self.feature_names_, dtype=object)
