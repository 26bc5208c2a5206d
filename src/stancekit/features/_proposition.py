"""Word n-grams of a sentence's main proposition: the reported content after (or before) a reporting frame."""

from functools import lru_cache

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from ._lexicon import load_lexicon, merge_lexicons
from ._linguistic_core import Analysis
from ._validation import check_texts


@lru_cache(maxsize=1)
def _attribution_lexicon():
    return merge_lexicons({"a": load_lexicon("attribution")})


def main_proposition(text):
    """The tokens of *text*'s main proposition (lowercased, joined by spaces).

    After a reporting frame the main proposition is the reported content
    (annotation guidelines, section 0): "The ministry said 40 trucks had
    crossed" -> "40 trucks had crossed"; "..., officials said" -> the part
    before the verb. Without a frame it is the whole sentence.
    """
    a = Analysis(text, _attribution_lexicon())
    toks = a.tokens
    verbs = [(i, j) for i, j, cats in a.with_prefix("a")
             if any(c.startswith("verb_") or c == "according_to" for c in cats)]
    if verbs:
        i, j = verbs[0]
        breaks = [k for k in range(i) if toks[k] in _BREAKS]
        if breaks and i >= 0.3 * a.n:  # trailing frame: '<content>, the minister said'
            toks = toks[:breaks[-1]]
        else:  # leading frame: 'The minister said (that) <content>'
            toks = toks[j:]
    toks = [t for t in toks if t not in _DROP] or [t for t in a.tokens if t not in _DROP]
    return " ".join(toks)


_BREAKS = frozenset({",", '"', "“", "”", "—", "–", "("})
_DROP = frozenset({"that", '"', "“", "”", ",", "."})


class PropositionTfidf(TransformerMixin, BaseEstimator):
    """Word TF-IDF over each sentence's main proposition (its reported content when it has a reporting frame).

    Claim type is decided by the main proposition, not by the act of saying;
    whole-sentence n-grams mix the frame ("the minister said", "according to")
    into every class. These columns see the reported content only.

    Parameters
    ----------
    ngram_range : tuple of int, default=(1, 2)
        Word n-gram sizes.
    min_df : int, default=2
        Minimum document frequency of an n-gram.
    sublinear_tf : bool, default=True
        Use 1 + log(tf).
    """

    def __init__(self, *, ngram_range=(1, 2), min_df=2, sublinear_tf=True):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf

    def _vectorizer(self):
        return TfidfVectorizer(ngram_range=tuple(self.ngram_range), min_df=self.min_df,
                               sublinear_tf=self.sublinear_tf, token_pattern=r"(?u)\b\w[\w'-]*\b")

    def fit(self, X, y=None):
        texts = check_texts(X)
        self.vectorizer_ = self._vectorizer().fit([main_proposition(t) for t in texts])
        self.n_features_out_ = len(self.vectorizer_.vocabulary_)
        return self

    def transform(self, X):
        check_is_fitted(self, "vectorizer_")
        return self.vectorizer_.transform([main_proposition(t) for t in check_texts(X)])

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "vectorizer_")
        return np.asarray([f"prop__{n}" for n in self.vectorizer_.get_feature_names_out()], dtype=object)
