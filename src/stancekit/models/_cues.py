"""Hedge cue spans from a lexicon learned on annotated data."""

import re
from collections import Counter
from functools import lru_cache

from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ..features._validation import check_texts


def _phrase_pattern(phrases):
    return _compiled(tuple(sorted(phrases)))


@lru_cache(maxsize=32)
def _compiled(phrases):
    # Longest phrases first, so "could not be confirmed" wins over "could".
    alts = sorted(phrases, key=lambda p: (-len(p), p))
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in alts) + r")(?!\w)", re.IGNORECASE)


class LexiconCueTagger(BaseEstimator):
    """Tag hedge cue spans by matching cue phrases learned from annotated sentences.

    ``fit`` collects every annotated cue phrase and keeps those that are a cue
    in at least ``min_precision`` of their occurrences in the training text;
    ``predict`` returns the ``[start, end)`` spans of kept phrases, matched in
    one compiled pass, longest first.

    Parameters
    ----------
    min_precision : float, default=0.3
        Minimum share of a phrase's occurrences that were annotated as a cue.
    min_count : int, default=1
        Minimum number of annotated occurrences.
    """

    def __init__(self, *, min_precision=0.3, min_count=1):
        self.min_precision = min_precision
        self.min_count = min_count

    def fit(self, X, y):
        texts = check_texts(X)
        if len(texts) != len(y):
            raise ValueError(f"X and y must have the same length, got {len(texts)} and {len(y)}")
        cue_counts = Counter()
        for text, spans in zip(texts, y):
            for start, end in spans:
                cue_counts[text[start:end].lower()] += 1
        if not cue_counts:
            self.lexicon_ = {}
            return self
        total = Counter()
        pattern = _phrase_pattern(cue_counts)
        for text in texts:
            for m in pattern.finditer(text):
                total[m.group(0).lower()] += 1
        self.lexicon_ = {
            p: cue_counts[p] / max(total[p], cue_counts[p])
            for p in sorted(cue_counts)
            if cue_counts[p] >= self.min_count and cue_counts[p] / max(total[p], cue_counts[p]) >= self.min_precision
        }
        return self

    def predict(self, X):
        check_is_fitted(self, "lexicon_")
        texts = check_texts(X)
        if not self.lexicon_:
            return [[] for _ in texts]
        pattern = _phrase_pattern(self.lexicon_)
        return [[[m.start(), m.end()] for m in pattern.finditer(t)] for t in texts]
