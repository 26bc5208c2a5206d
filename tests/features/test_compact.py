"""CompactTfidfVectorizer: same behaviour as TfidfVectorizer, vocabulary saved as arrays."""

import pickle

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from stancekit.features import StanceCueFeaturizer
from stancekit.features._compact import CompactTfidfVectorizer
from stancekit.features._compact import pack_vocabulary, unpack_vocabulary

TEXTS = ["Ça va très bien, said the minister.", "The convoy crossed the border on 3 May.",
         "naïve ünïcode 𝔘 test", "Officials denied the report"]


def test_same_matrix_as_tfidf_vectorizer():
    a = CompactTfidfVectorizer(ngram_range=(1, 2)).fit(TEXTS)
    b = TfidfVectorizer(ngram_range=(1, 2)).fit(TEXTS)
    assert a.vocabulary_ == b.vocabulary_
    assert (a.transform(TEXTS) != b.transform(TEXTS)).nnz == 0


@pytest.mark.parametrize("analyzer", ["word", "char_wb"])
def test_saved_state_has_arrays_not_a_dict(analyzer):
    vec = CompactTfidfVectorizer(analyzer=analyzer).fit(TEXTS)
    state = vec.__getstate__()
    assert "vocabulary_" not in state
    packed = state["_stancekit_packed_vocabulary"]
    assert all(isinstance(a, np.ndarray) for a in packed.values())
    back = pickle.loads(pickle.dumps(vec))
    assert back.vocabulary_ == vec.vocabulary_
    assert (back.transform(TEXTS) != vec.transform(TEXTS)).nnz == 0


def test_skops_round_trip(tmp_path):
    sio = pytest.importorskip("skops.io")
    vec = CompactTfidfVectorizer(ngram_range=(1, 3)).fit(TEXTS)
    path = tmp_path / "v.skops"
    sio.dump(vec, path)
    loaded = sio.load(path, trusted=["stancekit.features._compact.CompactTfidfVectorizer"])
    assert loaded.vocabulary_ == vec.vocabulary_


def test_unfitted_state_round_trips():
    vec = CompactTfidfVectorizer(min_df=2)
    assert pickle.loads(pickle.dumps(vec)).get_params() == vec.get_params()


def test_inconsistent_packed_vocabulary_is_refused():
    packed = pack_vocabulary({"alpha": 0, "béta": 1})
    assert unpack_vocabulary(packed) == {"alpha": 0, "béta": 1}
    bad = dict(packed, lengths=packed["lengths"][:1])
    with pytest.raises(ValueError, match="inconsistent"):
        unpack_vocabulary(bad)


def test_stance_featurizer_rebuilds_idf_on_load():
    pairs = [(t, "The convoy crossed the border") for t in TEXTS]
    f = StanceCueFeaturizer().fit(pairs)
    state = f.__getstate__()
    assert "idf_" not in state
    g = pickle.loads(pickle.dumps(f))
    assert g.idf_ == f.idf_
    assert (g.transform(pairs) != f.transform(pairs)).nnz == 0


def test_stance_featurizer_refit_forgets_the_earlier_fit():
    a = [(t, "The convoy crossed the border") for t in TEXTS]
    b = [("Officials denied that the convoy existed at all.", "Ministers resigned"),
         ("The border stayed closed.", "The convoy crossed the border")]
    f = StanceCueFeaturizer().fit(a)
    f.transform(a + b)
    f.fit(b)
    assert (f.transform(a + b) != StanceCueFeaturizer().fit(b).transform(a + b)).nnz == 0
