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


def test_n_jobs_and_reruns_give_byte_identical_metrics(corpus_dir, tmp_path):
    base = {"seed": 5, "data": {"corpus": str(corpus_dir), "layer": "claim_type"},
            "features": [{"name": "word_tfidf"}, {"name": "claim_cues"}], "classifier": {"name": "logistic_regression"},
            "evaluation": {"cv_folds": 3, "bootstrap": 200, "learning_curve": [0.5, 1.0]}}
    outs = []
    for k, n_jobs in enumerate((1, 2, 1)):
        raw = dict(base, evaluation=dict(base["evaluation"], n_jobs=n_jobs))
        cfg = resolve_config(raw)
        run_experiment(cfg, tmp_path / f"r{k}")
        outs.append((tmp_path / f"r{k}" / "metrics.json").read_bytes())
    assert outs[0] == outs[1] == outs[2]
    curve = json.loads(outs[0])["learning_curve"]
    assert [p["fraction"] for p in curve] == [0.5, 1.0]
    assert curve[0]["documents"] < curve[1]["documents"]
    assert "test" in curve[0] and "macro_f1" in curve[0]["test"]


def test_grid_search_selects_by_grouped_cv(corpus_dir, tmp_path):
    cfg = resolve_config({"seed": 1, "data": {"corpus": str(corpus_dir), "layer": "hedging"},
                          "features": [{"name": "word_tfidf"}], "classifier": {"name": "logistic_regression"},
                          "search": {"grid": {"clf__C": [0.01, 10.0]}, "cv_folds": 2},
                          "evaluation": {"bootstrap": 0}})
    metrics = run_experiment(cfg, None)
    assert metrics["search"]["best_params"]["clf__C"] in (0.01, 10.0)
    assert len(metrics["search"]["candidates"]) == 2


def test_grid_over_ngram_ranges_written_as_toml_lists(corpus_dir, tmp_path):
    # TOML has no tuples: a grid's [min, max] lists reach the vectorizer as tuples, as a plain parameter's do
    from stancekit.experiments import ConfigError

    raw = {"seed": 1, "data": {"corpus": str(corpus_dir), "layer": "hedging"},
           "features": [{"name": "word_tfidf"}], "classifier": {"name": "logistic_regression"},
           "search": {"grid": {"features__ngram_range": [[1, 1], [1, 2]]}, "cv_folds": 2},
           "evaluation": {"bootstrap": 0}}
    metrics = run_experiment(resolve_config(raw), None)
    assert metrics["search"]["best_params"]["features__ngram_range"] in ([1, 1], [1, 2])
    raw["search"]["grid"]["features__ngram_range"] = [[1, 2], [2, 1]]
    with pytest.raises(ConfigError, match=r"search.grid.features__ngram_range\[1\]'.*found \[2, 1\]"):
        resolve_config(raw)


def test_grid_with_unknown_parameter_is_refused():
    from stancekit.experiments import ConfigError

    with pytest.raises(ConfigError, match="search.grid.clf__CC"):
        resolve_config({"data": {"layer": "hedging"}, "features": [{"name": "word_tfidf"}],
                        "classifier": {"name": "logistic_regression"}, "search": {"grid": {"clf__CC": [1.0]}}})


def test_report_writes_markdown(corpus_dir, tmp_path):
    from stancekit.evaluation._report import write_report

    cfg = _cfg(corpus_dir, "source", cv=0)
    cfg["evaluation"]["learning_curve"] = [0.5, 1.0]
    run_experiment(cfg, tmp_path / "run")
    path, images = write_report([tmp_path / "run"], tmp_path / "rep")
    text = path.read_text()
    assert "| label | precision |" in text and "Learning curves" in text
    for img in images:
        assert img.stat().st_size > 1000


def test_hedge_cue_tagger_run(corpus_dir, tmp_path):
    cfg = resolve_config({"seed": 2, "data": {"corpus": str(corpus_dir), "layer": "hedge_cues"},
                          "classifier": {"name": "hedge_cue_tagger"}, "evaluation": {"bootstrap": 100}})
    metrics = run_experiment(cfg, tmp_path / "cues")
    cues = metrics["test"]["cues"]
    assert set(cues) == {"exact", "overlap", "per_category"}
    assert 0 <= cues["exact"]["f1"] <= cues["overlap"]["f1"] <= 1
    assert metrics["test"]["labels"] == ["certain", "hedged"]
    rows = [json.loads(x) for x in (tmp_path / "cues" / "predictions.jsonl").read_text().splitlines()]
    assert all(r["pred"] in ("certain", "hedged") and isinstance(r["pred_cues"], list) for r in rows)


def test_metrics_identical_across_processes_and_hash_seeds(corpus_dir, tmp_path, write_config):
    """Same config in two fresh interpreters with different PYTHONHASHSEED: byte-identical metrics."""
    import os
    import subprocess
    import sys

    cfg_path = write_config(corpus_dir, name="stance", layer="stance", seed=3,
                            features=("word_tfidf", "linguistic", "stance_cues"), bootstrap=200)
    outs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out = tmp_path / f"run{seed}"
        subprocess.run([sys.executable, "-m", "stancekit", "run", str(cfg_path), "--output-dir", str(out), "--quiet"],
                       check=True, env=env, capture_output=True)
        outs.append((out / "metrics.json").read_bytes())
    assert outs[0] == outs[1]


def test_cv_seeds_repeat_the_grouped_cv(corpus_dir):
    from stancekit.experiments import evaluate

    base = {"data": {"corpus": str(corpus_dir), "layer": "claim_type"}, "features": [{"name": "word_tfidf"}],
            "classifier": {"name": "logistic_regression"},
            "evaluation": {"fixed_split": False, "cv_folds": 3, "bootstrap": 0}}
    repeated, _ = evaluate(resolve_config({**base, "seed": 5,
                                           "evaluation": {**base["evaluation"], "cv_seeds": [7, 11]}}))
    alone = {s: evaluate(resolve_config({**base, "seed": s}))[0]["cv"] for s in (7, 11)}
    reps = repeated["cv"]["repeats"]
    assert [r["seed"] for r in reps] == [7, 11]
    for rep in reps:
        assert rep["fold_macro_f1"] == alone[rep["seed"]]["fold_macro_f1"]
    assert repeated["cv"]["macro_f1"] == alone[7]["macro_f1"]  # the first fold seed gives the cv metrics
    every = reps[0]["fold_macro_f1"] + reps[1]["fold_macro_f1"]
    assert repeated["cv"]["repeated_fold_macro_f1_mean"] == pytest.approx(sum(every) / len(every), abs=1e-6)
    assert "repeats" not in alone[7]
