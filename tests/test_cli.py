"""The command line: run, benchmark, train, predict, corpus."""

import json
import subprocess
import sys

import pytest

from stancekit.cli import main


def test_run_and_overwrite(tmp_path, corpus_dir, capsys, write_config):
    cfg = write_config(corpus_dir, name="hedging", layer="hedging")
    assert main(["run", str(cfg), "--output-dir", str(tmp_path / "run")]) == 0
    assert "macro-F1" in capsys.readouterr().out
    assert (tmp_path / "run" / "metrics.json").exists()
    assert main(["run", str(cfg), "--output-dir", str(tmp_path / "run")]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert main(["run", str(cfg), "--output-dir", str(tmp_path / "run"), "--overwrite"]) == 0


def test_run_prints_every_evaluated_split(tmp_path, corpus_dir, capsys, write_config):
    cfg = write_config(corpus_dir, name="hedging", layer="hedging")
    cfg.write_text(cfg.read_text().replace('layer = "hedging"', 'layer = "hedging"\neval_splits = ["train", "dev"]'))
    assert main(["run", str(cfg), "--output-dir", str(tmp_path / "run")]) == 0
    lines = [x for x in capsys.readouterr().out.splitlines() if "macro-F1" in x]
    assert [x.split(":")[0] for x in lines] == ["hedging hedging train", "hedging hedging dev"]


def test_run_bad_config_reports_key(tmp_path, corpus_dir, capsys, write_config):
    cfg = write_config(corpus_dir, name="hedging", layer="hedging")
    cfg.write_text(cfg.read_text().replace('layer = "hedging"', 'layer = "hedgng"'))
    assert main(["run", str(cfg), "--output-dir", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "data.layer" in err and "did you mean 'hedging'" in err


def test_benchmark_prints_table(tmp_path, corpus_dir, capsys, write_config):
    folder = tmp_path / "exp"
    folder.mkdir()
    for layer in ("hedging", "stance"):
        write_config(corpus_dir, name=layer, layer=layer, folder=folder)
    assert main(["benchmark", "--experiments", str(folder), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "| layer | classifier |" in out
    assert "| hedging | logistic_regression |" in out and "| stance | logistic_regression |" in out


def test_train_predict_round_trip(tmp_path, corpus_dir, capsys):
    model = tmp_path / "m.skops"
    assert main(["train", "--output", str(model), "--corpus", str(corpus_dir)]) == 0
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"id": "a", "text": "Officials said the convoy may have crossed the border.", '
                   '"target": "Troops crossed the border."}\n'
                   '{"text": "The envoys will meet on Tuesday."}\n')
    out = tmp_path / "out.jsonl"
    assert main(["predict", "--model", str(model), "--input", str(inp), "--output", str(out)]) == 0
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(rows) == 2 and rows[0]["id"] == "a"
    for key in ("hedging", "hedge_cues", "claim_type", "source", "stance"):
        assert key in rows[0]
    assert "stance" not in rows[1]


def test_predict_bad_lines_give_error_records(tmp_path, corpus_dir, capsys):
    model = tmp_path / "m.skops"
    main(["train", "--output", str(model), "--corpus", str(corpus_dir)])
    inp = tmp_path / "in.jsonl"
    inp.write_bytes(b'{"text": "Troops crossed."}\n{"text": \n{"txt": "x"}\n{"text": "  "}\n'
                    b'{"text": 5}\n\xff\xfe\n{"text": "Fine again."}\n')
    out = tmp_path / "out.jsonl"
    assert main(["predict", "--model", str(model), "--input", str(inp), "--output", str(out)]) == 1
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(rows) == 7
    assert [r.get("line") for r in rows if "error" in r] == [2, 3, 4, 5, 6]
    assert "field 'text'" in rows[2]["error"] and "line 3" in rows[2]["error"]
    assert "hedging" in rows[0] and "hedging" in rows[6]
    assert "5 of 7 input lines failed" in capsys.readouterr().err
    assert main(["predict", "--model", str(model), "--input", str(inp), "--output", str(tmp_path / "s.jsonl"),
                 "--strict"]) == 2
    assert not (tmp_path / "s.jsonl").exists()


def test_corpus_commands(corpus_dir, capsys):
    assert main(["corpus", "validate", str(corpus_dir)]) == 0
    assert "valid (12 documents, 144 sentences)" in capsys.readouterr().out
    assert main(["corpus", "stats", str(corpus_dir)]) == 0
    out = capsys.readouterr().out
    assert "**hedging**" in out and "| deny |" in out
    (corpus_dir / "sentences.jsonl").write_text('{"id": 1}\n')
    assert main(["corpus", "validate", str(corpus_dir)]) == 2
    assert "sentences.jsonl, line 1" in capsys.readouterr().err


def test_console_script_entry_point():
    out = subprocess.run([sys.executable, "-m", "stancekit", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("stancekit ")


def test_predict_explain(tmp_path, corpus_dir):
    model = tmp_path / "m.skops"
    main(["train", "--output", str(model), "--corpus", str(corpus_dir)])
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"text": "Officials said the convoy may have crossed the border.", '
                   '"target": "Troops crossed the border."}\n')
    out = tmp_path / "out.jsonl"
    assert main(["predict", "--model", str(model), "--input", str(inp), "--output", str(out), "--explain"]) == 0
    [row] = [json.loads(x) for x in out.read_text().splitlines()]
    layers = row["explanation"]["layers"]
    assert set(layers) == {"hedging", "claim_type", "source", "stance"}
    assert layers["hedging"]["label"] == row["hedging"]
    assert all(item["contribution"] > 0 for item in layers["hedging"]["for"])
    assert ["may have" in c[2] for c in row["explanation"]["cues"]].count(True) >= 1


def test_benchmark_configs_are_installed_and_found_from_any_folder(tmp_path, monkeypatch):
    """`pip install .` ships the benchmark configs, so `stancekit benchmark` works outside a checkout."""
    from pathlib import Path

    from stancekit.cli import default_experiments_dir

    try:
        import tomllib
    except ModuleNotFoundError:  # Python < 3.11
        import tomli as tomllib
    repo = Path(__file__).resolve().parents[1]
    shipped = tomllib.loads((repo / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    configs = sorted(p.name for p in (repo / "experiments").glob("*.toml"))
    assert sorted(Path(f).name for f in shipped["share/stancekit/experiments"]) == configs
    monkeypatch.chdir(tmp_path)
    assert sorted(p.name for p in default_experiments_dir().glob("*.toml")) == configs
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    monkeypatch.setattr("stancekit.cli.__file__", str(tmp_path / "a" / "b" / "cli.py"))
    with pytest.raises(FileNotFoundError, match="no experiment configs .* pass the folder with --experiments"):
        default_experiments_dir()
