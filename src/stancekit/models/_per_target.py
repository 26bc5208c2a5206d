"""One classifier per stance target: a meta-estimator that routes rows by a target-index column.

The SemEval-2016 Task 6 organisers' SVM baseline trained a separate model for
each of the five targets. In a stancekit pipeline the classifier sees only the
feature matrix, so the target must travel in it: the ``target_index`` pair
featurizer (:class:`stancekit.features.TargetIndexer`) adds one column holding
the index of each pair's target among the training targets (``-1`` for a
target not seen in training). :class:`PerTargetClassifier` reads that column
(``group_column``), drops it, and fits one clone of ``estimator`` per target.
"""

import numbers

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.svm import LinearSVC
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

UNSEEN_POLICIES = ("global", "error")


class PerTargetClassifier(ClassifierMixin, BaseEstimator):
    """Fit one clone of a classifier per target (per value of a target-index column).

    Parameters
    ----------
    estimator : classifier, default=None
        The base classifier, cloned once per target. ``None`` is
        ``LinearSVC()``.
    group_column : int or None, default=None
        Index of the feature column that holds each row's target index (an
        integer; ``-1`` is the last column, where the ``target_index``
        featurizer ends up when it is listed last). The column is removed
        before the per-target models see the rows. ``None`` fits a single
        model on all rows (the wrapper then behaves like ``estimator``).
    unseen : {"global", "error"}, default="global"
        What to do at predict time with a row whose target index was not seen
        in training (the ``target_index`` featurizer writes ``-1`` for a new
        target): ``"global"`` predicts with an extra model fitted on all
        training rows; ``"error"`` raises a ValueError naming the index.

    Attributes
    ----------
    classes_ : ndarray
        All labels seen in training (sorted).
    groups_ : ndarray
        The target indices seen in training (sorted); empty when
        ``group_column`` is None.
    estimators_ : list
        One fitted model per entry of ``groups_`` (a target whose training
        rows carry a single label gets a constant model that predicts it).
    global_estimator_ : classifier or None
        The model fitted on all rows (the fallback with ``unseen="global"``,
        and the only model when ``group_column`` is None).

    Examples
    --------
    >>> import numpy as np
    >>> from stancekit.models import PerTargetClassifier
    >>> X = np.array([[1.0, 0], [0.0, 0], [1.0, 1], [0.0, 1]])  # last column: target index
    >>> clf = PerTargetClassifier(group_column=-1).fit(X, ["a", "b", "b", "a"])
    >>> list(clf.predict(X))
    ['a', 'b', 'b', 'a']
    """

    def __init__(self, *, estimator=None, group_column=None, unseen="global"):
        self.estimator = estimator
        self.group_column = group_column
        self.unseen = unseen

    # -- helpers ---------------------------------------------------------------------------------

    def _base(self):
        return LinearSVC() if self.estimator is None else self.estimator

    def _check_params(self):
        if self.unseen not in UNSEEN_POLICIES:
            raise ValueError(f"The 'unseen' parameter of {type(self).__name__} must be one of "
                             f"{list(UNSEEN_POLICIES)}. Got {self.unseen!r} instead.")
        gc = self.group_column
        if gc is not None and (isinstance(gc, bool) or not isinstance(gc, numbers.Integral)):
            raise ValueError(f"The 'group_column' parameter of {type(self).__name__} must be an int or None. "
                             f"Got {gc!r} instead.")

    def _split(self, X):
        """(features without the group column, integer group per row)."""
        X = sp.csr_matrix(X) if sp.issparse(X) else np.asarray(X)
        if X.ndim != 2:
            raise ValueError(f"{type(self).__name__} expects a 2-D feature matrix, got {X.ndim} dimension(s)")
        n_cols = X.shape[1]
        col = self.group_column if self.group_column >= 0 else n_cols + self.group_column
        if not 0 <= col < n_cols:
            raise ValueError(f"group_column={self.group_column} is out of range for {n_cols} feature column(s)")
        raw = X[:, col]
        values = np.asarray(raw.toarray() if sp.issparse(raw) else raw, dtype=float).ravel()
        if not np.all(np.isfinite(values)) or np.any(values != np.round(values)):
            raise ValueError(f"column {self.group_column} of X must hold integer target indices (list the "
                             "'target_index' featurizer last in the config); found non-integer values")
        if n_cols < 2:
            raise ValueError(f"{type(self).__name__} needs feature columns besides the group column "
                             f"(group_column={self.group_column}); X has {n_cols} column(s)")
        keep = np.array([j for j in range(n_cols) if j != col], dtype=np.intp)
        rest = X[:, keep] if sp.issparse(X) else X[:, keep]
        return rest, values.astype(np.int64)

    @staticmethod
    def _fit_one(base, X, y):
        labels = np.unique(y)
        if len(labels) == 1:
            return _Constant(label=labels[0]).fit(X, y)
        return clone(base).fit(X, y)

    # -- estimator API ---------------------------------------------------------------------------

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def fit(self, X, y):
        self._check_params()
        # scikit-learn's own checks: 2-D finite X (sparse allowed), a 1-D y of the same length (a column
        # vector is raveled with a warning), no NaN or inf labels; sets n_features_in_
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=None if sp.issparse(X) else "numeric")
        check_classification_targets(y)
        base = self._base()
        self.classes_ = np.unique(y)
        if self.group_column is None:
            self.groups_ = np.array([], dtype=np.int64)
            self.estimators_ = []
            self.global_estimator_ = self._fit_one(base, X, y)
            self._set_n_iter()
            return self
        rest, groups = self._split(X)
        self.groups_ = np.unique(groups)
        self.estimators_ = [self._fit_one(base, rest[groups == g], y[groups == g]) for g in self.groups_]
        self.global_estimator_ = self._fit_one(base, rest, y) if self.unseen == "global" else None
        self._set_n_iter()
        return self

    def _set_n_iter(self):
        """``n_iter_``: the most iterations any fitted model ran (when the base model reports it)."""
        runs = [getattr(e, "n_iter_", None) for e in self.estimators_ + [self.global_estimator_] if e is not None]
        runs = [int(np.max(r)) for r in runs if r is not None]
        if runs:
            self.n_iter_ = max(runs)

    def predict(self, X):
        check_is_fitted(self, "classes_")
        X = validate_data(self, X, reset=False, accept_sparse="csr", dtype=None if sp.issparse(X) else "numeric")
        if self.group_column is None:
            return self.global_estimator_.predict(X)
        rest, groups = self._split(X)
        out = np.empty(len(groups), dtype=self.classes_.dtype)
        known = np.isin(groups, self.groups_)
        if not known.all():
            if self.global_estimator_ is None:
                new = sorted(set(groups[~known].tolist()))
                raise ValueError(f"target index {new[0]} was not seen in training (-1 marks a new target); "
                                 "fit on data that includes this target or use unseen='global'")
            idx = np.flatnonzero(~known)
            out[idx] = self.global_estimator_.predict(rest[idx])
        for g, est in zip(self.groups_, self.estimators_):
            idx = np.flatnonzero(groups == g)
            if len(idx):
                out[idx] = est.predict(rest[idx])
        return out


class _Constant(ClassifierMixin, BaseEstimator):
    """Predicts one label (a target whose training rows all carry it)."""

    def __init__(self, *, label=None):
        self.label = label

    def fit(self, X, y=None):
        self.classes_ = np.array([self.label])
        return self

    def predict(self, X):
        return np.full(X.shape[0], self.label, dtype=np.asarray([self.label]).dtype)


class PerTargetLinearSVC(PerTargetClassifier):
    """:class:`PerTargetClassifier` around ``LinearSVC`` with flat parameters (for configs).

    Parameters
    ----------
    C, class_weight, max_iter
        Passed to each per-target ``LinearSVC``.
    group_column, unseen
        As in :class:`PerTargetClassifier`.
    """

    def __init__(self, *, C=0.5, class_weight=None, max_iter=5000, group_column=None, unseen="global"):
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.group_column = group_column
        self.unseen = unseen

    def _base(self):
        return LinearSVC(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter)
