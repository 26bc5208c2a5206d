"""Hedge cue spans from a lexicon learned on annotated data."""

import re
from collections import Counter
from functools import lru_cache

from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ..features._validation import check_int_param, check_real_param, check_texts, is_int


def check_cue_spans(texts, y, owner):
    """*y* as a list of span lists, one per text; each span ``[start, end]`` with ``0 <= start < end <= len(text)``.

    A ValueError names ``y[i]`` or ``y[i][j]`` and what was found.
    """
    if y is None or isinstance(y, (str, bytes)) or not hasattr(y, "__iter__"):
        raise ValueError(f"{owner}.fit needs y, one list of [start, end] cue spans per text; got "
                         f"{type(y).__name__}")
    y = list(y)
    if len(texts) != len(y):
        raise ValueError(f"X and y must have the same length, got {len(texts)} and {len(y)}")
    out = []
    for i, (text, spans) in enumerate(zip(texts, y)):
        if isinstance(spans, (str, bytes)) or not hasattr(spans, "__iter__"):
            raise ValueError(f"y[{i}] must be a list of [start, end] spans, got {spans!r:.60}")
        checked = []
        for j, span in enumerate(spans):
            ok = not isinstance(span, (str, bytes)) and hasattr(span, "__len__") and len(span) == 2 \
                and all(is_int(v) for v in span)
            if not ok or not 0 <= span[0] < span[1] <= len(text):
                raise ValueError(f"y[{i}][{j}] must be a [start, end] span with 0 <= start < end <= "
                                 f"{len(text)} (the length of X[{i}]), got {span!r:.60}")
            checked.append((int(span[0]), int(span[1])))
        out.append(checked)
    return out


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
        check_real_param("LexiconCueTagger", "min_precision", self.min_precision, low=0, high=1)
        check_int_param("LexiconCueTagger", "min_count", self.min_count, minimum=1)
        texts = check_texts(X)
        y = check_cue_spans(texts, y, "LexiconCueTagger")
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
