"""PerTargetClassifier: one model per target, routed by the target_index column."""

import json

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.svm import LinearSVC
from sklearn.utils.estimator_checks import (check_estimator_cloneable, check_get_params_invariance,
                                            check_no_attributes_set_in_init, check_parameters_default_constructible,
                                            check_set_params)

from stancekit.experiments import resolve_config, run_experiment
from stancekit.experiments._runner import build_estimator
from stancekit.models import PerTargetClassifier, PerTargetLinearSVC
from stancekit.persistence import load_model, save_model

# Invented pairs: the same words mean opposite stances toward the two targets.
PAIRS = [
    ("I love the new policy", "Policy A"), ("What a great plan", "Policy A"),
    ("I hate this idea", "Policy A"), ("Terrible and awful", "Policy A"),
    ("I love the new policy", "Policy B"), ("What a great plan", "Policy B"),
    ("I hate this idea", "Policy B"), ("Terrible and awful", "Policy B"),
]
LABELS = ["favor", "favor", "against", "against", "against", "against", "favor", "favor"]


def _pipeline(unseen="global", C=1.0):
    cfg = resolve_config({"seed": 1, "data": {"dataset": "semeval2016", "layer": "stance"},
                          "features": [{"name": "word_tfidf"}, {"name": "target_index"}],
                          "classifier": {"name": "per_target_svc",
                                         "params": {"C": C, "group_column": -1, "unseen": unseen}},
                          "pairs": {"target_features": False, "interaction": False}})
    return build_estimator(cfg)


def test_one_model_per_target_fits_opposite_rules():
    pipe = _pipeline().fit(PAIRS * 3, LABELS * 3)
    clf = pipe.named_steps["clf"]
    assert isinstance(clf, PerTargetLinearSVC)
    assert list(clf.groups_) == [0, 1] and len(clf.estimators_) == 2
    assert all(isinstance(e, LinearSVC) for e in clf.estimators_)
    # each per-target model saw only its own target's rows
    assert all(e.n_features_in_ == pipe.named_steps["features"].transform(PAIRS).shape[1] - 1
               for e in clf.estimators_)
    assert list(pipe.predict(PAIRS)) == LABELS  # a single linear model on shared words could not do this
    assert list(clf.classes_) == ["against", "favor"]


def test_unseen_target_uses_the_global_model_by_default():
    pipe = _pipeline().fit(PAIRS * 3, LABELS * 3)
    clf = pipe.named_steps["clf"]
    new = [("I love the new policy", "Policy C"), ("Terrible and awful", "Policy C")]
    Xn = pipe.named_steps["features"].transform(new)
    assert Xn[:, -1].toarray().ravel().tolist() == [-1.0, -1.0]
    expected = clf.global_estimator_.predict(Xn[:, :-1])
    assert list(pipe.predict(new)) == list(expected)


def test_unseen_target_raises_with_unseen_error():
    pipe = _pipeline(unseen="error").fit(PAIRS * 3, LABELS * 3)
    assert pipe.named_steps["clf"].global_estimator_ is None
    with pytest.raises(ValueError, match=r"target index -1 was not seen in training"):
        pipe.predict([("I love the new policy", "Policy C")])
    assert len(pipe.predict(PAIRS)) == len(PAIRS)  # seen targets still work


def test_single_label_target_gets_a_constant_model():
    X = np.array([[1.0, 0.0, 0], [0.0, 1.0, 0], [1.0, 0.0, 1], [0.0, 1.0, 1]])
    clf = PerTargetClassifier(group_column=-1).fit(X, ["a", "b", "c", "c"])
    assert list(clf.predict(X)) == ["a", "b", "c", "c"]
    assert list(clf.classes_) == ["a", "b", "c"]


def test_sparse_and_dense_agree_and_group_column_can_be_first():
    rng = np.random.default_rng(0)
    feats = rng.random((40, 5))
    groups = np.repeat([0, 1], 20).reshape(-1, 1)
    y = np.where(feats[:, 0] > 0.5, "x", "y")
    y[20:] = np.where(feats[20:, 0] > 0.5, "y", "x")
    last = np.hstack([feats, groups])
    first = np.hstack([groups, feats])
    a = PerTargetClassifier(group_column=-1).fit(last, y).predict(last)
    b = PerTargetClassifier(group_column=-1).fit(sp.csr_matrix(last), y).predict(sp.csr_matrix(last))
    c = PerTargetClassifier(group_column=0).fit(first, y).predict(first)
    assert list(a) == list(b) == list(c)


def test_without_group_column_it_is_the_base_estimator():
    rng = np.random.default_rng(1)
    X = rng.random((30, 4))
    y = np.where(X[:, 1] > 0.4, "p", "q")
    ours = PerTargetClassifier(estimator=LinearSVC(C=0.3)).fit(X, y)
    assert ours.estimators_ == [] and len(ours.groups_) == 0
    assert list(ours.predict(X)) == list(LinearSVC(C=0.3).fit(X, y).predict(X))


def test_bad_group_column_and_params_are_clear_errors():
    X = np.array([[0.5, 0.25], [0.1, 0.75]])
    with pytest.raises(ValueError, match="integer target indices.*target_index"):
        PerTargetClassifier(group_column=-1).fit(X, ["a", "b"])
    with pytest.raises(ValueError, match="out of range"):
        PerTargetClassifier(group_column=5).fit(X, ["a", "b"])
    with pytest.raises(ValueError, match="'unseen' parameter"):
        PerTargetClassifier(unseen="maybe").fit(X, ["a", "b"])
    with pytest.raises(ValueError, match="'group_column' parameter"):
        PerTargetClassifier(group_column=1.5).fit(X, ["a", "b"])
    with pytest.raises(ValueError, match="inconsistent numbers of samples: \\[2, 1\\]"):
        PerTargetClassifier().fit(X, ["a"])
    with pytest.raises(ValueError, match=r"needs feature columns besides the group column \(group_column=-1\); "
                                         r"X has 1 column"):
        PerTargetClassifier(group_column=-1).fit([[0.0], [1.0]], ["a", "b"])


@pytest.mark.parametrize("est", [PerTargetClassifier(), PerTargetLinearSVC(), PerTargetLinearSVC(group_column=-1)])
@pytest.mark.parametrize("check", [check_no_attributes_set_in_init, check_parameters_default_constructible,
                                   check_get_params_invariance, check_set_params, check_estimator_cloneable])
def test_sklearn_checks(est, check):
    check(type(est).__name__, est)


def test_deterministic_and_survives_save_load(tmp_path):
    pipe = _pipeline().fit(PAIRS * 3, LABELS * 3)
    again = _pipeline().fit(PAIRS * 3, LABELS * 3)
    probe = PAIRS + [("I love it", "Policy Z")]
    assert list(pipe.predict(probe)) == list(again.predict(probe))
    loaded = load_model(save_model(pipe, tmp_path / "pt.skops"))
    assert list(loaded.predict(probe)) == list(pipe.predict(probe))


def test_config_run_on_an_invented_semeval_fixture(tmp_path):
    folder = tmp_path / "semeval2016t6_tweeteval"
    (folder).mkdir()
    (folder / "mapping.txt").write_text("0\tnone\n1\tagainst\n2\tfavor\n")
    words = {"favor": "love great wonderful", "against": "hate awful terrible", "none": "weather lunch bus"}
    for t, flip in (("atheism", False), ("hillary", True)):
        (folder / t).mkdir()
        for split, n in (("train", 12), ("val", 3), ("test", 3)):
            labels = [["none", "against", "favor"][k % 3] for k in range(n)]
            shown = [{"favor": "against", "against": "favor"}.get(lab, lab) if flip else lab for lab in labels]
            texts = [f"so {words[s].split()[k % 3]} today {k} #SemST" for k, s in enumerate(shown)]
            (folder / t / f"{split}_text.txt").write_text("\n".join(texts) + "\n")
            (folder / t / f"{split}_labels.txt").write_text(
                "\n".join(str(["none", "against", "favor"].index(lab)) for lab in labels) + "\n")
    cfg = resolve_config({"seed": 13, "data": {"dataset": "semeval2016", "layer": "stance",
                                                "data_dir": str(tmp_path), "eval_splits": ["val"],
                                                "options": {"targets": ["atheism", "hillary"]}},
                          "features": [{"name": "word_tfidf"}, {"name": "target_index"}],
                          "classifier": {"name": "per_target_svc", "params": {"C": 1.0, "group_column": -1}},
                          "pairs": {"target_features": False, "interaction": False},
                          "evaluation": {"bootstrap": 50, "bootstrap_by_document": False}})
    metrics = run_experiment(cfg, tmp_path / "run")
    assert metrics["val"]["accuracy"] == 1.0 and metrics["val"]["semeval_f_avg"] == 100.0
    preds = [json.loads(x) for x in (tmp_path / "run" / "predictions.jsonl").read_text().splitlines()]
    assert {p["split"] for p in preds} == {"val"} and len(preds) == 6


@pytest.mark.parametrize("est", [PerTargetClassifier(), PerTargetLinearSVC()], ids=lambda e: type(e).__name__)
def test_every_scikit_learn_estimator_check_passes(est):
    # without a group column the wrapper must behave as a plain scikit-learn classifier: input validation,
    # n_features_in_, sparse input, n_iter_, pickling, idempotent fits (all of check_estimator)
    import warnings

    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(est, on_fail=None)
    failed = [(r["check_name"], str(r["exception"])[:200]) for r in results if r["status"] == "failed"]
    assert failed == [] and len(results) > 50
