"""Running configs: run folders, determinism, overwrite protection."""

import json

import pytest

from stancekit.experiments import resolve_config, run_experiment


def _cfg(corpus_dir, layer, clf="logistic_regression", cv=3):
    feats = [] if clf == "majority" else [{"name": "word_tfidf"}, {"name": "char_tfidf"}]
    return resolve_config({"seed": 3, "data": {"corpus": str(corpus_dir), "layer": layer}, "features": feats,
                           "classifier": {"name": clf}, "evaluation": {"cv_folds": cv, "bootstrap": 200}})


@pytest.mark.parametrize("layer", ["hedging", "claim_type", "source", "stance"])
def test_run_writes_folder_and_is_deterministic(corpus_dir, tmp_path, layer):
    cfg = _cfg(corpus_dir, layer)
    run_experiment(cfg, tmp_path / "a")
    run_experiment(cfg, tmp_path / "b")
    for name in ("config.toml", "manifest.json", "metrics.json", "predictions.jsonl"):
        assert (tmp_path / "a" / name).is_file()
    a = (tmp_path / "a" / "metrics.json").read_bytes()
    assert a == (tmp_path / "b" / "metrics.json").read_bytes()
    metrics = json.loads(a)
    assert metrics["layer"] == layer
    test = metrics["test"]
    for key in ("accuracy", "macro_f1", "per_class", "confusion_matrix", "ci95", "cohen_kappa"):
        assert key in test
    for stats in test["per_class"].values():
        assert set(stats) == {"precision", "recall", "f1", "support"}
    assert "cv" in metrics and metrics["cv"]["folds"] == 3
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    for key in ("config_hash", "corpus_sha256", "package_versions", "seed", "command_line"):
        assert key in manifest


def test_majority_baseline_predicts_one_label(corpus_dir, tmp_path):
    metrics = run_experiment(_cfg(corpus_dir, "source", "majority", cv=0), tmp_path / "m")
    preds = [json.loads(x)["pred"] for x in (tmp_path / "m" / "predictions.jsonl").read_text().splitlines()]
    assert len(set(preds)) == 1
    assert metrics["test"]["accuracy"] < 1.0


def test_existing_run_is_not_overwritten(corpus_dir, tmp_path):
    cfg = _cfg(corpus_dir, "hedging", cv=0)
    run_experiment(cfg, tmp_path / "r")
    with pytest.raises(FileExistsError, match="--overwrite"):
        run_experiment(cfg, tmp_path / "r")
    run_experiment(cfg, tmp_path / "r", overwrite=True)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
