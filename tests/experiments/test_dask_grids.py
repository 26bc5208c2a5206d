"""Experiment grids on a Dask cluster (joblib's Dask backend) give the same results as a local run."""

import json

import pytest

from stancekit.cli import main
from stancekit.experiments import resolve_config, run_experiment

CONFIG = """
name = "{name}"
seed = 5

[data]
corpus = "{corpus}"
layer = "{layer}"

[[features]]
name = "word_tfidf"

[classifier]
name = "logistic_regression"

[search]
grid = {{ clf__C = [0.1, 1.0, 10.0] }}
cv_folds = 2

[evaluation]
cv_folds = 3
bootstrap = 100
"""


def _write_configs(folder, corpus):
    folder.mkdir()
    for layer in ("hedging", "source"):
        (folder / f"{layer}.toml").write_text(CONFIG.format(name=layer, corpus=corpus, layer=layer), encoding="utf-8")
    return folder


def _metrics(folder):
    return {p.parent.name: json.loads(p.read_text()) for p in sorted(folder.glob("*/metrics.json"))}


def test_grid_suite_on_local_cluster_equals_local_run(corpus_dir, tmp_path, capsys):
    distributed = pytest.importorskip("distributed")
    configs = _write_configs(tmp_path / "configs", corpus_dir)
    assert main(["ablation", str(configs), "--output-dir", str(tmp_path / "local"), "--resamples", "50"]) == 0
    local_table = capsys.readouterr().out
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as cluster:
        assert main(["ablation", str(configs), "--output-dir", str(tmp_path / "dask"), "--resamples", "50",
                     "--scheduler", cluster.scheduler_address]) == 0
        dask_table = capsys.readouterr().out
        assert main(["run", str(configs / "hedging.toml"), "--output-dir", str(tmp_path / "run"), "--quiet",
                     "--scheduler", cluster.scheduler_address]) == 0
    local, on_cluster = _metrics(tmp_path / "local"), _metrics(tmp_path / "dask")
    assert sorted(local) == ["hedging", "source"]
    for name in local:
        for part in ("search", "cv", "test"):
            assert on_cluster[name][part] == local[name][part]
    assert dask_table == local_table
    assert _metrics(tmp_path)["run"]["search"] == local["hedging"]["search"]


def test_dask_backend_runs_joblib_tasks_on_the_cluster(corpus_dir):
    distributed = pytest.importorskip("distributed")
    from stancekit._dask import dask_backend

    cfg = resolve_config({"seed": 1, "data": {"corpus": str(corpus_dir), "layer": "hedging"},
                          "features": [{"name": "word_tfidf"}], "classifier": {"name": "logistic_regression"},
                          "evaluation": {"cv_folds": 3, "bootstrap": 0, "n_jobs": -1}})
    want = run_experiment(cfg, None)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as cluster:
        with dask_backend(cluster.scheduler_address) as client:
            with distributed.get_task_stream(client) as stream:
                got = run_experiment(cfg, None)
    assert got["cv"] == want["cv"] and got["test"] == want["test"]
    assert len(stream.data) >= 3  # the three folds ran as cluster tasks


def test_scheduler_without_dask_names_the_install_command(monkeypatch, corpus_dir, tmp_path, capsys):
    import builtins

    real_import = builtins.__import__

    def no_distributed(name, *args, **kwargs):
        if name == "distributed":
            raise ImportError("No module named 'distributed'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_distributed)
    configs = _write_configs(tmp_path / "configs", corpus_dir)
    with pytest.raises(ImportError, match=r"pip install 'stancekit\[dask\]'"):
        main(["ablation", str(configs), "--output-dir", str(tmp_path / "x"), "--scheduler", "tcp://127.0.0.1:1"])


def test_suite_reuses_a_run_of_the_same_config_and_replaces_an_edited_one(corpus_dir, tmp_path):
    from stancekit.experiments._suite import run_suite

    configs = _write_configs(tmp_path / "configs", corpus_dir)
    out = tmp_path / "runs"
    run_suite(configs, out)
    first = {p.parent.name: p.stat().st_mtime_ns for p in out.glob("*/metrics.json")}
    run_suite(configs, out)
    assert {p.parent.name: p.stat().st_mtime_ns for p in out.glob("*/metrics.json")} == first
    edited = configs / "source.toml"
    edited.write_text(edited.read_text().replace("bootstrap = 100", "bootstrap = 120"), encoding="utf-8")
    run_suite(configs, out)
    again = {p.parent.name: p.stat().st_mtime_ns for p in out.glob("*/metrics.json")}
    assert again["hedging"] == first["hedging"] and again["source"] != first["source"]
    manifest = json.loads((out / "source" / "manifest.json").read_text())
    from stancekit.experiments import load_config
    from stancekit.experiments._config import config_hash

    assert manifest["config_hash"] == config_hash(load_config(edited))
