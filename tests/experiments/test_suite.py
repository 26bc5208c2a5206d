"""The ablation table over a folder of configs, on the whole test split or on some of its documents."""

import pytest

from stancekit.cli import main
from stancekit.evaluation._runs import compare_runs, load_run, run_scores
from stancekit.experiments import load_config


def _suite(corpus_dir, folder, write_config):
    folder.mkdir()
    for name, feats in (("hedging__tfidf", ("word_tfidf",)), ("hedging__all", ("word_tfidf", "hedge_cues"))):
        write_config(corpus_dir, name=name, layer="hedging", folder=folder, seed=3, features=feats, bootstrap=200)
    return folder


def _rows(out):
    return [line for line in out.splitlines() if line.startswith("| hedging")]


def test_documents_filter_recomputes_scores_from_predictions(corpus_dir, tmp_path, capsys, write_config):
    configs = _suite(corpus_dir, tmp_path / "configs", write_config)
    runs = tmp_path / "runs"
    assert main(["ablation", str(configs), "--output-dir", str(runs), "--resamples", "100"]) == 0
    whole = capsys.readouterr().out
    # every test document named by its prefixes: the same table as the whole split
    assert main(["ablation", str(configs), "--output-dir", str(runs), "--resamples", "100",
                 "--documents", "x-009,x-01"]) == 0
    named = capsys.readouterr().out
    assert _rows(named) == _rows(whole) and "--documents x-009,x-01" in named
    for name in ("hedging__tfidf", "hedging__all"):
        cfg, run = load_config(configs / f"{name}.toml"), load_run(runs / name)
        scores = run_scores(run, seed=cfg["seed"], n_resamples=cfg["evaluation"]["bootstrap"])
        assert scores["macro_f1"] == run["metrics"]["test"]["macro_f1"]
        for metric in ("macro_f1", "accuracy"):
            assert scores["ci95"][metric] == run["metrics"]["test"]["ci95"][metric]
        part = run_scores(run, documents=["x-01"], n_resamples=50)
        assert part["n"] == 2 * 12 and part["n"] < run["metrics"]["test"]["n"]
    base, other = load_run(runs / "hedging__tfidf"), load_run(runs / "hedging__all")
    assert compare_runs(base, other, documents=["x-01"], n_resamples=50)["items"] == 24
    with pytest.raises(ValueError, match=r"documents zz\*"):
        compare_runs(base, other, documents=["zz"], n_resamples=50)
    # a task metric is compared on the scale metrics.json gives it
    assert main(["compare", str(runs / "hedging__tfidf"), str(runs / "hedging__all"), "--metric", "f1_hedged",
                 "--resamples", "50"]) == 0
    out = capsys.readouterr().out
    for name, run in (("A", base), ("B", other)):
        assert f"{name} {run['path']}: {run['metrics']['test']['f1_hedged']:.4f}" in out
    assert main(["compare", str(runs / "hedging__tfidf"), str(runs / "hedging__all"), "--metric", "semeval_f_avg"]) == 2
    assert "gold labels have no 'favor', 'against'" in capsys.readouterr().err


def test_documents_table_goes_to_its_own_readme_markers(corpus_dir, tmp_path, capsys, write_config):
    configs = _suite(corpus_dir, tmp_path / "configs", write_config)
    readme = tmp_path / "README.md"
    readme.write_text("a\n<!-- ablation:start -->\nold\n<!-- ablation:end -->\n"
                      "<!-- ablation-x-01:start -->\nold\n<!-- ablation-x-01:end -->\n", encoding="utf-8")
    assert main(["ablation", str(configs), "--output-dir", str(tmp_path / "runs"), "--resamples", "50",
                 "--documents", "x-01", "--readme", str(readme)]) == 0
    text = readme.read_text(encoding="utf-8")
    whole, part = text.split("<!-- ablation-x-01:start -->")
    assert "old" in whole and "old" not in part and "test documents x-01*" in part


def test_suite_reuses_a_run_only_on_unchanged_data(corpus_dir, tmp_path, capsys, write_config):
    import json

    configs = _suite(corpus_dir, tmp_path / "configs", write_config)
    runs = tmp_path / "runs"
    args = ["ablation", str(configs), "--output-dir", str(runs), "--resamples", "20"]
    assert main(args) == 0
    started = lambda: json.loads((runs / "hedging__tfidf" / "manifest.json").read_text())["started_unix"]
    first = started()
    assert main(args) == 0 and started() == first  # same config, same data: reused
    sentences = corpus_dir / "sentences.jsonl"
    rows = [json.loads(line) for line in sentences.read_text(encoding="utf-8").splitlines()]
    rows[0]["hedging"], rows[0]["hedge_cues"] = "hedged", [[0, 6]]
    sentences.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert main(args) == 0 and started() != first  # the corpus changed: run again
    manifest = json.loads((runs / "hedging__tfidf" / "manifest.json").read_text())
    assert len(manifest["data_fingerprint"]) == 64
    capsys.readouterr()
