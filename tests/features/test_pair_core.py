"""Row normalisation and pair features without scikit-learn give scikit-learn's values, bit for bit."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from stancekit.features._ngrams import normalize_rows
from stancekit.features._pair_core import pair_features


def _random_csr(seed, shape=(40, 300), density=0.05, dtype=np.float64):
    rng = np.random.default_rng(seed)
    X = sp.random(*shape, density=density, format="csr", random_state=rng, dtype=dtype)
    X.data = X.data * rng.choice([1e-3, 1.0, 7.5, 1e4], size=len(X.data)).astype(dtype)
    X.data[X.indptr[3]:X.indptr[4]] = 0  # an empty row
    X.eliminate_zeros()
    return X


@pytest.mark.parametrize("seed", range(5))
def test_normalize_rows_equals_sklearn_normalize(seed):
    X = _random_csr(seed)
    want = normalize(X)
    got = normalize_rows(X.copy())
    assert np.array_equal(got.indptr, want.indptr) and np.array_equal(got.indices, want.indices)
    assert got.data.tobytes() == want.data.tobytes()


def test_normalize_rows_hands_other_inputs_to_sklearn():
    X = _random_csr(9, dtype=np.float32)
    assert normalize_rows(X.copy()).data.tobytes() == normalize(X).data.tobytes()
    assert normalize_rows(X.copy().astype(np.float64), norm="l1").data.tobytes() == \
        normalize(X.astype(np.float64), norm="l1").data.tobytes()


def test_pair_features_cosine_is_sklearns_bit_for_bit():
    texts = ["The talks may resume next week, officials said.", "Troops crossed the border on Monday.",
             "Nothing here.", "The border talks resumed after troops withdrew."]
    targets = ["Talks will resume.", "Troops crossed the border.", "Talks will resume.", "zzz qqq"]
    vec = TfidfVectorizer(ngram_range=(1, 2)).fit(texts + targets)
    S, T = vec.transform(texts), vec.transform(targets)
    X = pair_features(S, T)
    want = np.asarray(normalize(S).multiply(normalize(T)).sum(axis=1)).reshape(-1)
    assert X[:, -1].toarray().reshape(-1).tobytes() == want.tobytes()
    for seed in range(3):
        A, B = _random_csr(seed), _random_csr(seed + 10)
        want = np.asarray(normalize(A).multiply(normalize(B)).sum(axis=1)).reshape(-1)
        got = pair_features(A, B)[:, -1].toarray().reshape(-1)
        assert got.tobytes() == want.tobytes()
    # the inputs are not changed
    before = S.data.copy()
    pair_features(S, T)
    assert np.array_equal(S.data, before)
