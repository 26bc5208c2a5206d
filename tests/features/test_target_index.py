"""TargetIndexer: the pair's target as an integer index (for per-target classifiers)."""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from stancekit.features import TargetIndexer

X = [("a", "Hillary Clinton"), ("b", "Atheism"), ("c", " Atheism "), ("d", "Feminist Movement")]


def test_sorted_indices_and_unseen_value():
    t = TargetIndexer().fit(X)
    assert t.targets_ == ["Atheism", "Feminist Movement", "Hillary Clinton"]
    out = t.transform(X + [("e", "Brexit")])
    assert out.shape == (5, 1) and out.dtype == np.float64
    assert out.ravel().tolist() == [2.0, 0.0, 0.0, 1.0, -1.0]
    assert TargetIndexer(unseen_value=-7).fit(X).transform([("e", "Brexit")]).ravel().tolist() == [-7.0]
    assert list(t.get_feature_names_out()) == ["target_index"]


def test_errors():
    with pytest.raises(NotFittedError):
        TargetIndexer().transform(X)
    with pytest.raises(ValueError, match="negative int"):
        TargetIndexer(unseen_value=0).fit(X)
    with pytest.raises(ValueError, match="at least one"):
        TargetIndexer().fit([])
    with pytest.raises(ValueError, match="string object received"):
        TargetIndexer().fit(X).transform("a bare string")
