"""A token-level hedge cue tagger: a linear model over token-window, lexicon and shape features, BIO decoding."""

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from ..features._lexicon import load_lexicon, merge_lexicons
from ..features._tokens import token_spans
from ..features._linguistic_core import NEGATORS, _merged
from ..features._validation import check_texts
from ._cues import check_cue_spans

TAGS = ("O", "B", "I")


def _shape(tok):
    if tok.isdigit():
        return "d"
    if tok[:1].isupper():
        return "X" if tok.isupper() else "Xx"
    if tok.isalpha():
        return "x"
    return "p"


def spans_to_bio(spans_tok, cue_spans):
    """BIO tags for tokens (``(start, end, tok)``) given character cue spans."""
    tags = ["O"] * len(spans_tok)
    for start, end in cue_spans:
        inside = [k for k, (s, e, _) in enumerate(spans_tok) if s >= start and e <= end]
        for n, k in enumerate(inside):
            tags[k] = "B" if n == 0 else "I"
    return tags


def bio_to_spans(spans_tok, tags):
    """Character spans from BIO tags; an I without a preceding B/I starts a span."""
    out, cur = [], None
    for (s, e, _), t in zip(spans_tok, tags):
        if t == "B" or (t == "I" and cur is None):
            if cur:
                out.append(cur)
            cur = [s, e]
        elif t == "I":
            cur[1] = e
        else:
            if cur:
                out.append(cur)
            cur = None
    if cur:
        out.append(cur)
    return out


def viterbi_bio(logp):
    """Best tag sequence under the BIO constraint (no I after O or at the start). *logp*: (n, 3) in TAGS order."""
    n = len(logp)
    if n == 0:
        return []
    allowed = np.array([[0, 0, -np.inf], [0, 0, 0], [0, 0, 0]])  # from O,B,I (rows) to O,B,I (cols)
    score = logp[0] + np.array([0, 0, -np.inf])
    back = np.zeros((n, 3), dtype=int)
    for t in range(1, n):
        cand = score[:, None] + allowed
        back[t] = cand.argmax(axis=0)
        score = cand.max(axis=0) + logp[t]
    tags = [int(score.argmax())]
    for t in range(n - 1, 0, -1):
        tags.append(int(back[t][tags[-1]]))
    return [TAGS[i] for i in reversed(tags)]


class HedgeCueTagger(BaseEstimator):
    """Tag hedge cue spans (multi-word cues included) in sentences.

    Each token gets features from a window of ``window`` tokens each side
    (words, bigrams, shapes, suffixes), from lexicon matches (hedge category
    and B/I position, booster, negation before it) and from its position;
    a logistic regression scores B/I/O and constrained Viterbi decoding
    turns the scores into spans.

    Parameters
    ----------
    window : int, default=2
    C : float, default=1.0
        Inverse regularisation of the logistic regression.
    use_lexicon : bool, default=True
        Add the hedge/booster lexicon features.
    cue_weight : float, default=2.0
        Class weight of the B and I tags relative to O (cues are rare; a
        weight above 1 trades precision for recall).
    max_iter : int, default=2000

    Examples
    --------
    >>> from stancekit.models import HedgeCueTagger
    >>> texts = ["Troops may have crossed.", "Troops crossed.", "It is likely to rain."] * 4
    >>> spans = [[[7, 10]], [], [[6, 12]]] * 4
    >>> HedgeCueTagger().fit(texts, spans).predict(["Rebels may attack."])
    [[[7, 10]]]
    """

    def __init__(self, *, window=2, C=1.0, use_lexicon=True, cue_weight=2.0, max_iter=2000):
        self.window = window
        self.C = C
        self.use_lexicon = use_lexicon
        self.cue_weight = cue_weight
        self.max_iter = max_iter

    def _lexicon(self):
        return _merged(tuple(map(tuple, self.lexicon_entries_)))

    def _token_features(self, text):
        toks = token_spans(text)
        low = [t.lower() for _, _, t in toks]
        n = len(low)
        lex_tag = [None] * n
        if self.use_lexicon:
            for i, j, _, cats in self._lexicon().match_tokens(low):
                cat = sorted(cats)[0]
                for k in range(i, j):
                    lex_tag[k] = ("B-" if k == i else "I-") + cat
        feats = []
        w = self.window
        for k in range(n):
            f = {"bias": 1.0, f"w={low[k]}": 1.0, f"shape={_shape(toks[k][2])}": 1.0, f"suf3={low[k][-3:]}": 1.0,
                 f"pos={min(k, 5)}": 1.0, "rel_pos": k / max(n, 1)}
            for d in range(1, w + 1):
                f[f"w-{d}={low[k - d] if k - d >= 0 else '<s>'}"] = 1.0
                f[f"w+{d}={low[k + d] if k + d < n else '</s>'}"] = 1.0
            f[f"bi-={low[k - 1] if k else '<s>'}|{low[k]}"] = 1.0
            f[f"bi+={low[k]}|{low[k + 1] if k + 1 < n else '</s>'}"] = 1.0
            if lex_tag[k]:
                f[f"lex={lex_tag[k]}"] = 1.0
                f[f"lexcat={lex_tag[k][2:]}"] = 1.0
                f[f"lexw={lex_tag[k]}|{low[k]}"] = 1.0
            for d in (1, 2):
                if k - d >= 0 and lex_tag[k - d]:
                    f[f"lex-{d}={lex_tag[k - d][:2]}"] = 1.0
            if any(t in NEGATORS for t in low[max(0, k - 3):k]):
                f["negated"] = 1.0
            feats.append(f)
        return toks, feats

    def fit(self, X, y):
        texts = check_texts(X)
        y = check_cue_spans(texts, y, "HedgeCueTagger")
        self.lexicon_entries_ = sorted(set(
            merge_lexicons({"h": load_lexicon("hedges"), "b": load_lexicon("boosters")}).entries()))
        rows, tags = [], []
        for text, spans in zip(texts, y):
            toks, feats = self._token_features(text)
            rows.extend(feats)
            tags.extend(spans_to_bio(toks, spans))
        if not rows:
            raise ValueError("HedgeCueTagger.fit needs at least one token, got none")
        self.vectorizer_ = DictVectorizer().fit(rows)
        self.model_ = LogisticRegression(C=self.C, max_iter=self.max_iter, class_weight={"O": 1.0, "B": self.cue_weight, "I": self.cue_weight})
        self.model_.fit(self.vectorizer_.transform(rows), tags)
        return self

    def _logp(self, feats):
        proba = self.model_.predict_proba(self.vectorizer_.transform(feats))
        full = np.full((len(feats), 3), 1e-12)
        for j, c in enumerate(self.model_.classes_):
            full[:, TAGS.index(c)] = proba[:, j]
        return np.log(np.clip(full, 1e-12, 1.0))

    def predict(self, X):
        """Character spans ``[start, end]`` of the cues in each text."""
        check_is_fitted(self, "model_")
        texts = check_texts(X)
        all_toks, all_feats, bounds = [], [], [0]
        for text in texts:
            toks, feats = self._token_features(text)
            all_toks.append(toks)
            all_feats.extend(feats)
            bounds.append(len(all_feats))
        if not all_feats:
            return [[] for _ in texts]
        logp = self._logp(all_feats)
        return [bio_to_spans(toks, viterbi_bio(logp[a:b])) for toks, a, b in zip(all_toks, bounds, bounds[1:])]

    def predict_sentence(self, X):
        """Sentence labels from the tagger (the cascade): ``hedged`` when at least one cue is found."""
        return ["hedged" if spans else "certain" for spans in self.predict(X)]
