"""Property-based tests: arbitrary Unicode never breaks a featurizer; one row per input; deterministic."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stancekit.features import LinguisticFeatures, PairVectorizer, StanceCueFeaturizer

TRAIN = ["The ministry said troops may have crossed the border.", "Exports fell 12 percent in 2025.",
         "Officials denied the report, calling it fabricated.", "It is unclear whether talks will resume."]
LING = LinguisticFeatures().fit(TRAIN)
STANCE = StanceCueFeaturizer().fit([(t, "Troops crossed the border.") for t in TRAIN])
PAIRS = PairVectorizer().fit([(t, "Troops crossed the border.") for t in TRAIN])

texts = st.lists(st.text(min_size=0, max_size=200), min_size=1, max_size=8)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(texts)
def test_linguistic_any_text(xs):
    a = LING.transform(xs)
    assert a.shape == (len(xs), len(LING.get_feature_names_out()))
    assert np.isfinite(a.toarray()).all()
    assert (a != LING.transform(xs)).nnz == 0


@SETTINGS
@given(texts, st.text(min_size=0, max_size=80))
def test_pair_featurizers_any_text(xs, target):
    pairs = [(x, target) for x in xs]
    for est in (STANCE, PAIRS):
        a = est.transform(pairs)
        assert a.shape[0] == len(xs)
        assert np.isfinite(a.toarray()).all()
        assert (a != est.transform(pairs)).nnz == 0
