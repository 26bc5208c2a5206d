"""Classification metrics with bootstrap confidence intervals."""

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    cohen_kappa_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)


def _round(x, nd=6):
    return float(round(float(x), nd))


def _f1_per_class(cm):
    """Per-class F1 from confusion counts (gold on rows; stacked matrices allowed), and which classes occur."""
    tp = np.diagonal(cm, axis1=-2, axis2=-1).astype(float)
    denom = cm.sum(axis=-2).astype(float) + cm.sum(axis=-1).astype(float)
    return np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0), denom > 0


def _macro_f1_from_counts(cm):
    f1, present = _f1_per_class(cm)
    # Labels absent from both gold and prediction in a resample are left out (as sklearn does
    # when `labels` is taken from the data); here we average over labels present in gold or prediction.
    return np.where(present.any(axis=-1), (f1 * present).sum(axis=-1) / np.maximum(present.sum(axis=-1), 1), 0.0)


def bootstrap_ci(y_true, y_pred, labels, *, n_resamples=1000, seed=0, alpha=0.05, groups=None, extra=None):
    """95 % percentile bootstrap intervals for accuracy and macro-F1.

    With *groups*, whole groups (documents) are resampled — a cluster bootstrap,
    honest when sentences of one document are correlated.
    """
    index = {lab: i for i, lab in enumerate(labels)}
    t = np.array([index[v] for v in y_true])
    p = np.array([index[v] for v in y_pred])
    k = len(labels)
    rng = np.random.default_rng(seed)
    n = len(t)
    if groups is not None:
        _, g = np.unique(np.asarray(groups), return_inverse=True)
        members = [np.flatnonzero(g == i) for i in range(g.max() + 1)]
    accs, f1s = np.empty(n_resamples), np.empty(n_resamples)
    extra = dict(extra or {})
    extra_vals = {name: np.empty(n_resamples) for name in extra}
    yt, yp = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object)
    for b in range(n_resamples):
        if groups is None:
            idx = rng.integers(0, n, n)
        else:
            pick = rng.integers(0, len(members), len(members))
            idx = np.concatenate([members[i] for i in pick])
        cm = np.bincount(t[idx] * k + p[idx], minlength=k * k).reshape(k, k)
        accs[b] = np.trace(cm) / max(len(idx), 1)
        f1s[b] = _macro_f1_from_counts(cm)
        for name, fn in extra.items():
            extra_vals[name][b] = fn(list(yt[idx]), list(yp[idx]))
    q = [100 * alpha / 2, 100 * (1 - alpha / 2)]
    out = {"accuracy": [_round(v) for v in np.percentile(accs, q)],
           "macro_f1": [_round(v) for v in np.percentile(f1s, q)]}
    for name, vals in extra_vals.items():
        out[name] = [_round(v) for v in np.percentile(vals, q)]
    return out


def classification_metrics(y_true, y_pred, *, labels=None, n_resamples=1000, seed=0, groups=None):
    """Accuracy, macro-F1, Cohen's kappa, per-class P/R/F1/support, confusion matrix and CIs.

    Parameters
    ----------
    y_true, y_pred : sequences of str
    labels : sequence of str, default=None
        Label order for the per-class table and confusion matrix; ``None`` takes
        the sorted union of gold and predicted labels.
    n_resamples : int, default=1000
        Bootstrap resamples for the 95 % intervals; 0 skips them.
    seed : int, default=0
    groups : sequence, default=None
        Document ids for a cluster bootstrap.
    """
    y_true, y_pred = list(y_true), list(y_pred)
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true and y_pred must have the same length, got {len(y_true)} and {len(y_pred)}")
    if labels is None:
        labels = sorted(set(y_true) | set(y_pred))
    labels = list(labels)
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    present = [lab for lab in labels if lab in set(y_true) | set(y_pred)]
    out = {
        "n": len(y_true),
        "accuracy": _round(accuracy_score(y_true, y_pred)),
        "macro_f1": _round(f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0)),
        "cohen_kappa": _round(cohen_kappa_score(y_true, y_pred)) if len(set(y_true) | set(y_pred)) > 1 else 0.0,
        "labels": labels,
        "per_class": {lab: {"precision": _round(p[i]), "recall": _round(r[i]), "f1": _round(f[i]),
                            "support": int(s[i])} for i, lab in enumerate(labels)},
        "confusion_matrix": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }
    if n_resamples:
        out["ci95"] = bootstrap_ci(y_true, y_pred, labels, n_resamples=n_resamples, seed=seed, groups=groups)
    return out
