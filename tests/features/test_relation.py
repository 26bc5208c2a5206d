"""RelationFeaturizer: alignment of target terms and cues in their scope."""

import numpy as np
import pytest
from sklearn.base import clone

from stancekit.experiments._registry import FEATURIZERS, PAIR_FEATURIZERS
from stancekit.features import RelationFeaturizer
from stancekit.features._relation import RELATION_NAMES, stem

TARGET = "Troops crossed the border near Goma."
PAIRS = [
    ("Rebels denied that any troops had crossed the border.", TARGET),
    ("Troops crossed the border on Monday, officials said.", TARGET),
    ("The minister denied the corruption charges, and separately troops crossed the border near Goma.", TARGET),
    ("Markets were not open on Friday.", TARGET),
    ("It is not clear whether troops crossed the border.", TARGET),
    ("The talks in Geneva will resume next week.", TARGET),
]


def _rows(f, pairs):
    names = list(f.get_feature_names_out())
    return [dict(zip(names, row)) for row in f.transform(pairs).toarray()]


@pytest.fixture
def fitted():
    return RelationFeaturizer(scale=False, context_features=False).fit(PAIRS)


def test_registered_as_pair_featurizer():
    assert FEATURIZERS["relation"][0] is RelationFeaturizer
    assert "relation" in PAIR_FEATURIZERS


def test_stem_aligns_inflections():
    assert stem("crossed") == stem("crossing") == stem("crosses") == stem("cross")
    assert stem("didn't") == "not"


def test_denial_near_target_fires(fitted):
    denied = _rows(fitted, PAIRS[:1])[0]
    assert denied["rel_denial"] == 1
    assert denied["rel_denial_near"] == 1
    assert denied["rel_denial_clause"] == 1
    assert denied["rel_cov_x_denial"] > 0


def test_plain_support_has_no_denial(fitted):
    support = _rows(fitted, PAIRS[1:2])[0]
    assert support["rel_denial"] == 0 and support["rel_negation_near"] == 0
    assert support["rel_coverage"] > 0.5


def test_denial_far_from_target_terms_is_not_near(fitted):
    far = _rows(fitted, PAIRS[2:3])[0]
    assert far["rel_denial"] == 1
    assert far["rel_denial_near"] == 0
    assert far["rel_denial_clause"] == 0
    assert far["rel_full_alignment"] == 1


def test_unrelated_negation_does_not_fire_scope_features(fitted):
    unrelated = _rows(fitted, PAIRS[3:4])[0]
    assert unrelated["rel_negation"] == 1
    assert unrelated["rel_negation_near"] == 0 and unrelated["rel_negation_clause"] == 0
    assert unrelated["rel_no_alignment"] == 1
    assert unrelated["rel_cov_x_negation"] == 0


def test_open_question_about_target(fitted):
    row = _rows(fitted, PAIRS[4:5])[0]
    assert row["rel_unknown_near"] >= 1
    assert row["rel_cov_x_unknown"] > 0


def test_no_overlap(fitted):
    row = _rows(fitted, PAIRS[5:6])[0]
    assert row["rel_coverage"] == 0 and row["rel_no_alignment"] == 1 and row["rel_aligned_terms"] == 0


def test_entity_and_number_alignment():
    f = RelationFeaturizer(scale=False, context_features=False).fit(PAIRS)
    target = "At least 17 soldiers were killed in the attack on El Tarra."
    rows = _rows(f, [("An officer put the number of soldiers killed at 14.", target),
                     ("Seventeen soldiers died in El Tarra; 17 bodies were recovered.", target)])
    assert rows[0]["rel_number_mismatch"] == 1 and rows[0]["rel_number_match"] == 0
    assert rows[0]["rel_entity_coverage"] == 0
    assert rows[1]["rel_number_match"] == 1 and rows[1]["rel_entity_coverage"] == 1


def test_antonym_of_target_word():
    f = RelationFeaturizer(scale=False, context_features=False).fit(PAIRS)
    row = _rows(f, [("The processing unit remains intact.", "The attack damaged the processing unit.")])[0]
    assert row["rel_antonym"] == 1


def test_context_features_are_target_conditioned():
    f = RelationFeaturizer(context_features=True, min_count=1).fit(PAIRS)
    names = list(f.get_feature_names_out())
    assert names[:len(RELATION_NAMES)] == RELATION_NAMES
    assert "rel_ctx__near=denied" in names
    row = _rows(f, PAIRS[:1])[0]
    assert row["rel_ctx__near=denied"] == 1
    assert row["rel_ctx__cov2|w=denied"] == 1
    far = _rows(f, PAIRS[2:3])[0]
    assert far["rel_ctx__near=denied"] == 0


def test_names_match_columns_scaling_and_determinism():
    f = RelationFeaturizer(context_features=True, min_count=1).fit(PAIRS)
    out = f.transform(PAIRS)
    assert out.shape == (len(PAIRS), len(f.get_feature_names_out())) == (len(PAIRS), f.n_features_out_)
    dense = out.toarray()[:, :len(RELATION_NAMES)]
    assert dense.max() <= 1.0 + 1e-12 and dense.min() >= 0.0
    again = clone(f).fit(list(reversed(PAIRS))).transform(PAIRS)
    assert abs(out - again).max() == 0
    assert abs(f.transform(PAIRS) - out).max() == 0


@pytest.mark.parametrize("bad", [{"window": -1}, {"window": 2.5}, {"min_count": 0}])
def test_invalid_params(bad):
    with pytest.raises(ValueError):
        RelationFeaturizer(**bad).fit(PAIRS)


def test_custom_lexicon():
    f = RelationFeaturizer(scale=False, context_features=False, lexicon=[("calm", "refutation")]).fit(PAIRS)
    row = _rows(f, [("Troops at the border were calm.", TARGET)])[0]
    assert row["rel_refutation"] == 1 and row["rel_refutation_near"] == 1
    assert np.isfinite(f.transform(PAIRS).toarray()).all()
