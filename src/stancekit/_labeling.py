"""Labels, probabilities and hedge-cue spans from model outputs (no scikit-learn import).

Shared by :class:`~stancekit.Analyzer` and the compiled predictor (:mod:`stancekit._compiled`).
"""

import re
import weakref
from functools import lru_cache
from itertools import repeat

import numpy as np
import scipy.sparse as sp
from scipy.special import expit

from .data._vocab import SENTENCE_LAYERS
from .features._pair_core import pair_features
from .features._tokens import TYPES, tokenize_batch
from .features._validation import check_texts, is_int


def label_columns(classes, proba):
    """The predicted labels (str) and their rounded probabilities, as two lists, for class names *classes*."""
    best = proba.argmax(axis=1)
    names = [str(c) for c in classes]
    return list(map(names.__getitem__, best.tolist())), round4(proba[np.arange(len(best)), best])


def round4(values):
    """``[round(float(v), 4) for v in values]``, computed with arrays; the same floats, bit for bit.

    ``round(x, 4)`` is the float nearest to x's exact value rounded to four
    decimals (half to even). ``rint(x * 1e4)`` finds that decimal's integer n
    unless the product lies within a rounding error of a half, and ``n / 1e4``,
    one correctly rounded division of exact operands, is the float nearest to
    it. Values near a half (and only those) are left to ``round`` itself.
    """
    values = np.asarray(values, dtype=np.float64)
    scaled = values * 1e4
    out = (np.rint(scaled) / 1e4).tolist()
    for i in np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6).tolist():
        out[i] = round(float(values[i]), 4)
    return out


@lru_cache(maxsize=32)
def grouped_cue_pattern(phrases):
    """LexiconCueTagger's pattern with its alternatives grouped by first character.

    LexiconCueTagger matches ``(?<!\\w)(?:p1|p2|...)(?!\\w)`` case-insensitively,
    longest phrase first, so the regex engine tries every phrase at every
    character. Grouping the same ordered alternatives under their first
    character tries only the phrases that can start there, in the same order,
    and finds the same matches, provided no two first characters match each
    other case-insensitively (else None: use the tagger's own pattern).
    Returns ``(case-insensitive pattern, pattern for lowercased ASCII text or None)``.
    """
    if not phrases or not all(phrases):
        return None
    groups = {}
    for p in sorted(phrases, key=lambda p: (-len(p), p)):
        groups.setdefault(p[0], []).append(p[1:])
    firsts = list(groups)
    for k, a in enumerate(firsts):
        for b in firsts[k + 1:]:
            if re.fullmatch(re.escape(a), b, re.IGNORECASE) or re.fullmatch(re.escape(b), a, re.IGNORECASE):
                return None
    body = "|".join(re.escape(first) + "(?:" + "|".join(map(re.escape, rests)) + ")"
                    for first, rests in groups.items())
    pattern = r"(?<!\w)(?:" + body + r")(?!\w)"
    # For ASCII phrases on ASCII text, matching the lowercased text case-sensitively is the same
    # as matching the text case-insensitively (and twice as fast).
    lowered = re.compile(pattern) if all(p.isascii() and p == p.lower() for p in phrases) else None
    return re.compile(pattern, re.IGNORECASE), lowered


def cue_spans(patterns, texts):
    """Matches of :func:`grouped_cue_pattern`'s *patterns* in each text, as ``[[start, end], ...]``."""
    any_case, lowered = patterns
    out = []
    for t in texts:
        if lowered is not None and t.isascii():
            found = lowered.finditer(t.lower())
        else:
            found = any_case.finditer(t)
        out.append([[m.start(), m.end()] for m in found])
    return out


#: Featurized targets per fitted featurizer (see BatchLabeler._target_rows); not part of a saved model.
_TARGET_BANKS = weakref.WeakKeyDictionary()
_TARGET_BANK = 20_000


def lr_probabilities(decision, n_classes):
    """``LogisticRegression.predict_proba`` from the decision scores (n_samples, n_classes or 1).

    The same operations as scikit-learn's (the logistic function and ``[1 - p, p]``
    for two classes, else a softmax with the row maximum subtracted), so the
    same floats, bit for bit.
    """
    if n_classes <= 2:
        prob = expit(np.asarray(decision).reshape(-1))
        return np.vstack([1 - prob, prob]).T
    out = np.array(decision, dtype=np.float64)
    out -= out.max(axis=1).reshape(-1, 1)
    np.exp(out, out=out)
    out /= out.sum(axis=1).reshape(-1, 1)
    return out


class StackedLogistic:
    """Logistic-regression layers over the same features, scored by one sparse product.

    *coefs* and *intercepts* are the layers' ``coef_`` and ``intercept_``,
    *n_classes* their numbers of classes. Every column of a sparse-dense
    product is summed in the same order as alone, so :meth:`probabilities`
    gives each layer's ``predict_proba``, bit for bit.
    """

    def __init__(self, coefs, intercepts, n_classes):
        self.coef = np.ascontiguousarray(np.hstack([c.T for c in coefs]))
        self.intercept = np.concatenate(intercepts)
        self.bounds = np.cumsum([0] + [c.shape[0] for c in coefs])
        self.n_classes = list(n_classes)

    def probabilities(self, X):
        """Each layer's class probabilities for the rows of the sparse matrix *X*, in layer order."""
        scores = X.tocsr() @ self.coef + self.intercept
        return [lr_probabilities(scores[:, a:b], k)
                for k, a, b in zip(self.n_classes, self.bounds[:-1], self.bounds[1:])]


def check_targets(targets, n):
    """*targets* as a list of one target (a non-empty string) or None per text; ValueError naming a bad one."""
    if targets is None:
        return [None] * n
    if isinstance(targets, str):
        raise ValueError("targets must be a list with one target (or None) per text, got a string")
    targets = list(targets)
    if len(targets) != n:
        raise ValueError(f"targets must have one entry per text: got {len(targets)} targets for {n} texts")
    given = [t for t in targets if t is not None]
    if set(map(type, given)) <= {str} and "" not in given and not any(map(str.isspace, given)):
        return targets
    for i, t in enumerate(targets):
        if t is not None and (not isinstance(t, str) or not t.strip()):
            raise ValueError(f"targets[{i}] must be a non-empty string or None, got {t!r:.60}")
    return targets




def check_chunk_size(value):
    """*value* as an int if it is a positive integer (numpy integers too); otherwise a ValueError naming it."""
    if not is_int(value) or value < 1:
        raise ValueError(f"chunk_size must be a positive integer, got {value!r}")
    return int(value)


class BatchLabeler:
    """Labeling a batch of texts (and targets) into records, shared by the Analyzer and the compiled predictor.

    Subclasses provide ``chunk_size``, ``stance_columns_`` and the hooks
    ``_check_fitted()``, ``_featurize(batch)``, ``_sentence_probas(Xs)``,
    ``_classes(layer)``, ``_cue_spans(texts)``,
    ``_pair_matrix_batch(S, batch, rows, targets, shared)``, ``_stance_probas(Xp)``
    and ``_bank_key()``.
    """

    def analyze(self, texts, targets=None):
        """Label each text; return one dict per input, in order.

        Each record has ``hedging``, ``hedge_cues`` (``[start, end, cue]``),
        ``claim_type``, ``source`` and, where a target is given, ``stance``;
        each label comes with ``<layer>_probability``.

        Raises
        ------
        ValueError
            Naming the index of the first input that is not a non-empty string.
        """
        self._check_fitted()
        texts = check_texts(texts, name="texts")
        if "" in texts or any(map(str.isspace, texts)):  # `not t.strip()`, without copying every text
            for i, t in enumerate(texts):
                if not t.strip():
                    raise ValueError(f"texts[{i}] is empty or whitespace only; expected a sentence")
        targets = check_targets(targets, len(texts))
        size = check_chunk_size(self.chunk_size)
        out = []
        for start in range(0, len(texts), size):
            stop = start + size
            out.extend(self._analyze_chunk(texts[start:stop], targets[start:stop]))
        return out


    def _analyze_chunk(self, texts, targets):
        with TYPES.session():
            return self._analyze_batch(texts, targets)


    def _analyze_batch(self, texts, targets):
        # One tokenisation per chunk, shared by the word TF-IDF, the cue features and the
        # stance features; each distinct target is featurized once. Output is identical to
        # featurizing every text and pair separately.
        batch = tokenize_batch(texts)
        Xs, shared = self._featurize(batch)
        keys, columns = [], []
        for layer, proba in zip(SENTENCE_LAYERS, self._sentence_probas(Xs)):
            keys += [layer, f"{layer}_probability"]
            columns += label_columns(self._classes(layer), proba)
        hedged = [i for i, label in enumerate(columns[keys.index("hedging")]) if label == "hedged"]
        cues = [[] for _ in texts]
        if hedged:
            for i, found in zip(hedged, self._cue_spans([texts[i] for i in hedged])):
                cues[i] = [[int(a), int(b), texts[i][a:b]] for a, b in found]
        keys.append("hedge_cues")
        columns.append(cues)
        records = list(map(dict, map(zip, repeat(keys), zip(*columns))))
        with_target = [i for i, t in enumerate(targets) if t is not None]
        if with_target:
            Xp = self._pair_matrix_batch(Xs[with_target], batch, with_target, [targets[i] for i in with_target],
                                         shared)
            labels, probs = label_columns(self._classes("stance"), self._stance_probas(Xp))
            for i, lab, p in zip(with_target, labels, probs):
                rec = records[i]
                rec["stance"] = lab
                rec["stance_probability"] = p
        return records


    def _target_rows(self, targets):
        """``featurizer_.transform(targets)``, featurizing each distinct target once per fitted featurizer.

        Targets recur (a handful of claims against many sentences), so their
        rows are kept in a bank of at most ``_TARGET_BANK`` rows, per fitted
        featurizer (:meth:`_bank_key`); a target's row does not depend on anything else, so the
        result is the same as featurizing the targets afresh.
        """
        bank, index = _TARGET_BANKS.get(self._bank_key(), (None, {}))
        new = [t for t in dict.fromkeys(targets) if t not in index]
        if new:
            if len(index) + len(new) > _TARGET_BANK:
                bank, index = None, {}
            block = self._featurize(tokenize_batch(new))[0]
            index = {**index, **{t: len(index) + k for k, t in enumerate(new)}}
            bank = block if bank is None else sp.vstack([bank, block], format="csr")
            _TARGET_BANKS[self._bank_key()] = (bank, index)  # one assignment: readers see old or new, whole
        return bank[[index[t] for t in targets]]


    def _stance_side(self, X):
        cols = getattr(self, "stance_columns_", None)
        return X if cols is None else X[:, cols[0]:cols[1]]
