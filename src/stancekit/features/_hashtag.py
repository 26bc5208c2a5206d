"""Word TF-IDF over tweets whose hashtags are split into words (camelCase, then a vocabulary learned in fit)."""

import math
import re
from collections import Counter

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ._compact import CompactTfidfVectorizer
from ._validation import check_int_param, check_texts

HASHTAG_MODES = ("split", "both", "keep")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_WORD = re.compile(r"[a-z]+")
_SHORT_WORDS = frozenset({"a", "i"})
_MAX_LEN = 40


def camel_parts(tag):
    """``"StopHillary2016"`` -> ``["Stop", "Hillary", "2016"]``; a tag in one case gives one part."""
    return _CAMEL.findall(tag) or [tag]


def segment(word, counts, total):
    """Most probable split of a lowercase *word* into known words (unigram model); None if there is none."""
    n = len(word)
    if n > _MAX_LEN or n < 2:
        return None
    log_total = math.log(total)

    def cost(w):
        c = counts.get(w, 0)
        return log_total - math.log(c) if c else None

    best = [0.0] + [math.inf] * n
    back = [0] * (n + 1)
    for i in range(1, n + 1):
        for j in range(max(0, i - 20), i):
            if best[j] == math.inf:
                continue
            c = cost(word[j:i])
            if c is not None and best[j] + c < best[i]:
                best[i], back[i] = best[j] + c, j
    if best[n] == math.inf:
        return None
    parts, i = [], n
    while i > 0:
        parts.append(word[back[i]:i])
        i = back[i]
    return parts[::-1]


class HashtagTfidf(TransformerMixin, BaseEstimator):
    """Word n-gram TF-IDF over tweets, with each hashtag also read as the words it is made of.

    ``#StopHillary2016`` reads as "stop hillary 2016" (camelCase and digits), and
    ``#prolife`` as "pro life" when both words occur in the training texts
    (most probable split under a unigram model of the words seen in ``fit``,
    outside hashtags and in camelCase hashtag parts). A tag that cannot be
    split into known words stays whole.

    Parameters
    ----------
    ngram_range : tuple of int, default=(1, 3)
        Word n-gram sizes.
    hashtags : {"split", "both", "keep"}, default="both"
        ``"split"`` replaces a hashtag by its words; ``"both"`` keeps the whole
        tag as one more token (``#prolife``); ``"keep"`` does no splitting
        (the tag is one token, marked with ``#``).
    min_count : int, default=2
        How often a word must occur in the training texts to be used when
        splitting a one-case hashtag.
    min_df : int, default=1
        Minimum document frequency of an n-gram.
    sublinear_tf : bool, default=True
        Use 1 + log(tf).
    binary : bool, default=False
        Count each n-gram at most once per text.

    Examples
    --------
    >>> from stancekit.features import HashtagTfidf
    >>> h = HashtagTfidf(ngram_range=(1, 1)).fit(["vote pro life", "#ProLife now", "#prolife"])
    >>> sorted(n for n in h.get_feature_names_out() if "life" in n)
    ['hashtag__#prolife', 'hashtag__life']
    """

    def __init__(self, *, ngram_range=(1, 3), hashtags="both", min_count=2, min_df=1, sublinear_tf=True,
                 binary=False):
        self.ngram_range = ngram_range
        self.hashtags = hashtags
        self.min_count = min_count
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf
        self.binary = binary

    def _check_params(self):
        if self.hashtags not in HASHTAG_MODES:
            raise ValueError(f"The 'hashtags' parameter of HashtagTfidf must be one of {list(HASHTAG_MODES)}. "
                             f"Got {self.hashtags!r} instead.")
        check_int_param("HashtagTfidf", "min_count", self.min_count, minimum=1)

    def _split_tag(self, tag):
        parts = camel_parts(tag)
        if len(parts) > 1:
            return [p.lower() for p in parts]
        word = tag.lower()
        if word in self.word_counts_:
            return [word]
        split = segment(word, self.word_counts_, self.total_count_) if word.isalpha() else None
        return split or [word]

    def _rewrite(self, text):
        def repl(m):
            tag = m.group(1)
            whole = "#" + tag.lower()
            if self.hashtags == "keep":
                return f" {whole} "
            words = " ".join(self._split_tag(tag))
            return f" {words} {whole} " if self.hashtags == "both" else f" {words} "
        return _HASHTAG.sub(repl, text)

    def fit(self, X, y=None):
        texts = check_texts(X)
        self._check_params()
        counts = Counter()
        for t in texts:
            for tag in _HASHTAG.findall(t):
                parts = camel_parts(tag)
                if len(parts) > 1:
                    counts.update(p.lower() for p in parts if p.isalpha())
            counts.update(_WORD.findall(_HASHTAG.sub(" ", t).lower()))
        self.word_counts_ = {w: c for w, c in counts.items()
                             if c >= self.min_count and (len(w) > 1 or w in _SHORT_WORDS)}
        self.total_count_ = max(1, sum(self.word_counts_.values()))
        self.vectorizer_ = CompactTfidfVectorizer(ngram_range=tuple(self.ngram_range), min_df=self.min_df,
                                                  sublinear_tf=self.sublinear_tf, binary=self.binary,
                                                  token_pattern=r"(?u)#?\b\w\w+\b")
        self.vectorizer_.fit([self._rewrite(t) for t in texts])
        self.n_features_out_ = len(self.vectorizer_.vocabulary_)
        return self

    def transform(self, X):
        check_is_fitted(self, "vectorizer_")
        return self.vectorizer_.transform([self._rewrite(t) for t in check_texts(X)])

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "vectorizer_")
        return np.asarray([f"hashtag__{n}" for n in self.vectorizer_.get_feature_names_out()], dtype=object)
