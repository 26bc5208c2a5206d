"""The target of each (sentence, target) pair as an integer index: routes rows to per-target models."""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ._validation import check_pairs


class TargetIndexer(TransformerMixin, BaseEstimator):
    """One column: the index of each pair's target among the targets seen in training.

    Targets are compared after stripping surrounding whitespace; the training
    targets are sorted, and a target not seen in training gets ``unseen_value``.
    The column is meant for :class:`stancekit.models.PerTargetClassifier`
    (``group_column=-1``: list this featurizer last), not as a feature for a
    linear model on its own.

    Parameters
    ----------
    unseen_value : int, default=-1
        The index written for a target not seen in training (must be negative,
        so that it never names a training target).

    Attributes
    ----------
    targets_ : list of str
        The training targets, sorted; row value ``k`` means ``targets_[k]``.

    Examples
    --------
    >>> from stancekit.features import TargetIndexer
    >>> t = TargetIndexer().fit([("a tweet", "Atheism"), ("another", "Hillary Clinton")])
    >>> t.transform([("x", "Hillary Clinton"), ("y", "Atheism"), ("z", "Brexit")]).ravel().tolist()
    [1.0, 0.0, -1.0]
    """

    def __init__(self, *, unseen_value=-1):
        self.unseen_value = unseen_value

    def fit(self, X, y=None):
        _, targets = check_pairs(X)
        if isinstance(self.unseen_value, bool) or not isinstance(self.unseen_value, (int, np.integer)) \
                or self.unseen_value >= 0:
            raise ValueError(f"The 'unseen_value' parameter of TargetIndexer must be a negative int. "
                             f"Got {self.unseen_value!r} instead.")
        if not targets:
            raise ValueError("TargetIndexer.fit needs at least one (sentence, target) pair, got 0.")
        self.targets_ = sorted({t.strip() for t in targets})
        self.n_features_out_ = 1
        return self

    def transform(self, X):
        check_is_fitted(self, "targets_")
        _, targets = check_pairs(X)
        index = {t: k for k, t in enumerate(self.targets_)}
        return np.array([[float(index.get(t.strip(), self.unseen_value))] for t in targets],
                        dtype=np.float64).reshape(len(targets), 1)

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "targets_")
        return np.asarray(["target_index"], dtype=object)
