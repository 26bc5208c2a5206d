"""Significance tests on constructed cases with known answers."""

import numpy as np
import pytest

from stancekit.evaluation import approximate_randomization, classification_metrics, paired_bootstrap

rng = np.random.default_rng(0)
GOLD = list(rng.choice(["a", "b", "c"], size=300))
NOISY = [g if rng.random() < 0.7 else "a" for g in GOLD]
WRONG = [{"a": "b", "b": "c", "c": "a"}[g] for g in GOLD]


def test_identical_systems_give_p_one():
    for test in (paired_bootstrap, approximate_randomization):
        out = test(GOLD, NOISY, NOISY, n_resamples=500)
        assert out["difference"] == 0
        assert out["p_value"] == pytest.approx(1.0)


def test_always_right_vs_always_wrong_is_significant():
    boot = paired_bootstrap(GOLD, WRONG, GOLD, n_resamples=500)
    assert boot["difference"] == pytest.approx(1.0)
    assert boot["p_value"] < 0.01
    assert boot["ci95"][0] > 0.9
    ar = approximate_randomization(GOLD, WRONG, GOLD, n_resamples=500)
    assert ar["p_value"] < 0.01


def test_document_bootstrap_and_alignment_errors():
    groups = [f"d{i // 10}" for i in range(len(GOLD))]
    out = paired_bootstrap(GOLD, NOISY, GOLD, groups=groups, n_resamples=300)
    assert out["unit"] == "document" and out["difference"] > 0 and out["p_value"] < 0.05
    with pytest.raises(ValueError, match="align item by item"):
        paired_bootstrap(GOLD, NOISY[:-1], GOLD)


def test_bootstrap_is_deterministic_and_ci_contains_point():
    m1 = classification_metrics(GOLD, NOISY, n_resamples=300, seed=5)
    m2 = classification_metrics(GOLD, NOISY, n_resamples=300, seed=5)
    assert m1 == m2
    lo, hi = m1["ci95"]["macro_f1"]
    assert lo <= m1["macro_f1"] <= hi


def test_task_scores_known_values():
    from stancekit.evaluation import fnc1_relative_score, semeval_f_avg

    gold = ["agree", "unrelated", "discuss", "disagree"]
    assert fnc1_relative_score(gold, gold) == 100.0
    # all predicted unrelated: only the one unrelated pair scores (0.25 of 3.25)
    assert fnc1_relative_score(gold, ["unrelated"] * 4) == pytest.approx(100 * 0.25 / 3.25, abs=1e-3)
    # related but wrong label: +0.25 each for the three related pairs
    assert fnc1_relative_score(gold, ["discuss", "unrelated", "agree", "agree"]) == pytest.approx(
        100 * 1.0 / 3.25, abs=1e-3)
    assert semeval_f_avg(["favor", "against", "none"], ["favor", "against", "favor"]) == pytest.approx(
        100 * (2 / 3 + 1) / 2, abs=1e-3)


STANCE = list(rng.choice(["favor", "against", "none"], size=300))
STANCE_A = [g if rng.random() < 0.6 else "none" for g in STANCE]
STANCE_B = [g if rng.random() < 0.8 else "favor" for g in STANCE]


@pytest.mark.parametrize("metric, gold, a, b", [
    ("semeval_f_avg", STANCE, STANCE_A, STANCE_B),
    ("f1_hedged", [("hedged" if g == "a" else "certain") for g in GOLD],
     [("hedged" if g == "a" else "certain") for g in NOISY], ["certain"] * len(GOLD)),
])
def test_task_metrics_score_as_the_run_metrics_do(metric, gold, a, b):
    from stancekit.evaluation._task import task_scores

    boot = paired_bootstrap(gold, a, b, metric=metric, n_resamples=200)
    expected = {"a": task_scores(gold, a, set(gold))[metric], "b": task_scores(gold, b, set(gold))[metric]}
    assert boot["a"] == pytest.approx(expected["a"], abs=1e-4) and boot["b"] == pytest.approx(expected["b"], abs=1e-4)
    assert boot["difference"] == pytest.approx(expected["b"] - expected["a"], abs=1e-4)
    assert boot["ci95"][0] <= boot["difference"] <= boot["ci95"][1]
    ar = approximate_randomization(gold, a, b, metric=metric, n_resamples=200)
    assert ar["difference"] == pytest.approx(abs(boot["difference"]), abs=1e-6)


def test_class_f1_metric_counts_a_class_missing_from_a_resample_as_zero():
    # one favor item, predicted wrong by A: F1(favor) = 0 for A, and the average still halves over two classes
    gold = ["favor", "against", "against"]
    out = paired_bootstrap(gold, ["none", "against", "against"], gold, metric="semeval_f_avg", n_resamples=50)
    assert out["a"] == pytest.approx(50.0) and out["b"] == pytest.approx(100.0)


def test_unknown_metric_and_missing_classes_are_named():
    with pytest.raises(ValueError, match="metric must be one of macro_f1, accuracy, semeval_f_avg.*got 'f1'"):
        paired_bootstrap(GOLD, NOISY, GOLD, metric="f1")
    with pytest.raises(ValueError, match="scores the classes favor, against.*no 'favor', 'against'.*found: a, b, c"):
        approximate_randomization(GOLD, NOISY, GOLD, metric="semeval_f_avg")
