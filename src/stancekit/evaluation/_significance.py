"""Paired significance tests on the same items: paired bootstrap and approximate randomisation."""

import numpy as np

from ._metrics import _f1_per_class, _macro_f1_from_counts
from ._task import CLASS_F1_SCORES

#: What the tests compare: macro-F1 and accuracy (0-1), or a class-F1 benchmark score in percent, as in
#: metrics.json (its classes count even when absent from a resample, as in ``semeval_f_avg``).
METRICS = ("macro_f1", "accuracy", *CLASS_F1_SCORES)


def _encode(y_true, pred_a, pred_b, metric):
    """The three label sequences as integer arrays, and ``score(gold, pred)`` for *metric* on such arrays."""
    labels = sorted(set(y_true) | set(pred_a) | set(pred_b))
    index = {lab: i for i, lab in enumerate(labels)}
    enc = lambda seq: np.array([index[v] for v in seq], dtype=np.int64)
    k = len(labels)
    counts = lambda t, p: np.bincount(t * k + p, minlength=k * k).reshape(k, k)
    if metric == "accuracy":
        score = lambda t, p: float(np.mean(t == p)) if len(t) else 0.0
    elif metric in CLASS_F1_SCORES:
        cols = [index[c] for c in CLASS_F1_SCORES[metric][0]]  # _check: every class is in gold
        score = lambda t, p: 100.0 * float(_f1_per_class(counts(t, p))[0][cols].mean())
    else:
        score = lambda t, p: float(_macro_f1_from_counts(counts(t, p)))
    return enc(y_true), enc(pred_a), enc(pred_b), score


def _check(y_true, pred_a, pred_b, metric):
    if not len(y_true) == len(pred_a) == len(pred_b):
        raise ValueError(f"gold and both prediction lists must align item by item; got lengths "
                         f"{len(y_true)}, {len(pred_a)}, {len(pred_b)}")
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}; got {metric!r}")
    classes = CLASS_F1_SCORES[metric][0] if metric in CLASS_F1_SCORES else ()
    missing = [c for c in classes if c not in set(y_true)]
    if missing:
        raise ValueError(f"metric {metric!r} scores the classes {', '.join(classes)}, but the gold "
                         f"labels have no {', '.join(repr(c) for c in missing)} (labels found: "
                         f"{', '.join(sorted(map(str, set(y_true))))})")


def paired_bootstrap(y_true, pred_a, pred_b, *, metric="macro_f1", n_resamples=2000, seed=0, groups=None):
    """Paired bootstrap of the difference ``metric(b) - metric(a)`` on the same items.

    Items (or, with *groups*, whole documents) are resampled with replacement;
    the two systems are scored on each resample. The two-sided p-value is the
    share of resampled differences at least as far from the observed
    difference as the observed difference is from zero (the bootstrap
    distribution shifted to the null), with the usual +1 correction.

    Returns
    -------
    dict with ``a``, ``b``, ``difference``, ``ci95`` (percentile interval of
    the difference) and ``p_value``.
    """
    _check(y_true, pred_a, pred_b, metric)
    t, a, b, score = _encode(y_true, pred_a, pred_b, metric)
    observed = score(t, b) - score(t, a)
    rng = np.random.default_rng(seed)
    if groups is not None:
        _, g = np.unique(np.asarray(groups), return_inverse=True)
        members = [np.flatnonzero(g == i) for i in range(g.max() + 1)]
    diffs = np.empty(n_resamples)
    for r in range(n_resamples):
        if groups is None:
            idx = rng.integers(0, len(t), len(t))
        else:
            idx = np.concatenate([members[i] for i in rng.integers(0, len(members), len(members))])
        diffs[r] = score(t[idx], b[idx]) - score(t[idx], a[idx])
    extreme = np.sum(np.abs(diffs - observed) >= abs(observed) - 1e-12)
    return {"metric": metric, "a": round(score(t, a), 6), "b": round(score(t, b), 6),
            "difference": round(observed, 6),
            "ci95": [round(float(x), 6) for x in np.percentile(diffs, [2.5, 97.5])],
            "p_value": round(float((extreme + 1) / (n_resamples + 1)), 6), "n_resamples": n_resamples,
            "unit": "document" if groups is not None else "item"}


def approximate_randomization(y_true, pred_a, pred_b, *, metric="macro_f1", n_resamples=2000, seed=0):
    """Approximate randomisation test: swap the two systems' outputs item by item at random.

    The two-sided p-value is the share of shuffles whose absolute difference is
    at least the observed one, with the +1 correction.
    """
    _check(y_true, pred_a, pred_b, metric)
    t, a, b, score = _encode(y_true, pred_a, pred_b, metric)
    observed = abs(score(t, b) - score(t, a))
    rng = np.random.default_rng(seed)
    count = 0
    for _ in range(n_resamples):
        swap = rng.random(len(t)) < 0.5
        pa, pb = np.where(swap, b, a), np.where(swap, a, b)
        count += abs(score(t, pb) - score(t, pa)) >= observed - 1e-12
    return {"metric": metric, "difference": round(observed, 6),
            "p_value": round(float((count + 1) / (n_resamples + 1)), 6), "n_resamples": n_resamples}
