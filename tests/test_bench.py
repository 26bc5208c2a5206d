"""The benchmark suite: a quick run writes its figures as JSON and prints a table."""

import json

from stancekit import bench
from stancekit.cli import build_parser
from stancekit.data import load_corpus


def test_sampler_is_seeded_and_half_has_targets(corpus_dir):
    sampler = bench.Sampler(load_corpus(corpus_dir))
    texts, targets = sampler.lists(40, seed=3)
    assert (texts, targets) == sampler.lists(40, seed=3)
    assert sum(t is not None for t in targets) == 20 and all(t is not None for t in targets[::2])
    assert texts != sampler.lists(40, seed=4)[0]


def test_quick_run_writes_json_and_prints_table(corpus_dir, tmp_path, capsys):
    out = tmp_path / "bench" / "results.json"
    assert bench.main(["--quick", "--corpus", str(corpus_dir), "--sizes", "60,120", "--throughput-size", "80",
                       "--output", str(out)]) == 0
    res = json.loads(out.read_text())
    assert set(res["fit"]["steps_seconds"]) >= {"featurizer", "hedging", "claim_type", "source", "stance"}
    tp = res["throughput"]
    assert tp["sentences"] == 80 and tp["with_target"] == 40
    for name in ("analyzer", "reference"):
        assert tp[name]["sentences_per_second"] > 0
    assert tp["ratio"] == round(tp["analyzer"]["sentences_per_second"] / tp["reference"]["sentences_per_second"], 3)
    assert tp["memory"]["process_peak_rss_mb"] > 0
    assert [r["sentences"] for r in res["scaling"]] == [60, 120]
    printed = capsys.readouterr().out
    assert "| Analyzer (4 layers) |" in printed and "Ratio Analyzer / reference" in printed


def test_predict_subprocess_is_timed(corpus_dir, tmp_path):
    from stancekit import Analyzer
    from stancekit.persistence import save_model

    corpus = load_corpus(corpus_dir)
    model = save_model(Analyzer(train_splits=("train",)).fit(corpus), tmp_path / "m.skops")
    inp = tmp_path / "in.jsonl"
    bench._write_input(inp, bench.Sampler(corpus), 50, seed=0)
    run = bench.run_predict(model, inp, tmp_path / "out.jsonl", n_jobs=1, cache_home=tmp_path / "cache")
    assert run["seconds"] > 0 and run["peak_rss_mb"] > 10
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 50
    assert len(list((tmp_path / "cache" / "stancekit" / "compiled").glob("*.npz"))) == 1  # the child's own cache
    plain = bench.run_predict(model, inp, tmp_path / "plain.jsonl", cache_home=tmp_path / "cache",
                              extra=["--no-compile"])
    assert plain["command"].endswith("--no-compile")
    assert (tmp_path / "plain.jsonl").read_bytes() == (tmp_path / "out.jsonl").read_bytes()


def test_table_reports_predict_scaling():
    res = {
        "corpus": {"path": "x"},
        "fit": {"sentences": 10, "train_splits": ["train"], "steps_seconds": {"hedging": 1.0},
                "analyzer_seconds": 2.0, "reference_seconds": 0.1},
        "throughput": {"sentences": 10, "with_target": 5, "repeats": 1, "ratio": 0.3, "ratio_cpu": 0.31,
                       "target_ratio": 0.5, "meets_target": False,
                       "analyzer": {"sentences_per_second": 3, "seconds": 1, "sentences_per_cpu_second": 3},
                       "reference": {"sentences_per_second": 10, "seconds": 1, "sentences_per_cpu_second": 10},
                       "memory": {"chunk_sentences": 10, "analyzer_traced_peak_mb_per_chunk": 1,
                                  "reference_traced_peak_mb_per_chunk": 1, "process_peak_rss_mb": 100}},
        "predict_scaling": {
            "startup": {"seconds": 0.9}, "startup_cold": {"seconds": 4.5}, "startup_no_compile": {"seconds": 3.4},
            "sizes": [{"sentences": 100, "seconds": 5.0, "sentences_per_second": 20, "peak_rss_mb": 300,
                       "tree_peak_rss_mb": 310}],
            "linearity": {"from": 100, "to": 1000, "size_factor": 10.0, "time_factor": 3.0,
                          "time_factor_without_startup": 10.5, "per_sentence_ratio_without_startup": 1.05},
            "n_jobs": {"sentences": 100, "n_jobs_1": {"seconds": 10.0}, "n_jobs_2": {"seconds": 6.0},
                       "speedup": 1.67, "speedup_without_startup": 1.8, "identical_output": True,
                       "no_compile": {"n_jobs_1": {"seconds": 12.0}, "n_jobs_2": {"seconds": 8.0}, "speedup": 1.5,
                                      "same_output_as_compiled": True}},
        },
    }
    table = bench.format_results(res)
    assert "misses the 0.5 target" in table and "speedup 1.67" in table and "| 100 | 5.0 | 20 | 300 |" in table
    assert "startup with a 1-line file: 0.9 s; the first run, which compiles the model, 4.5 s; --no-compile 3.4 s" \
        in table
    assert "--no-compile (the loaded model labels): --n-jobs 2 vs 1 8.0 s vs 12.0 s, speedup 1.5" in table


def test_bench_subcommand_is_wired():
    args = build_parser().parse_args(["bench", "--quick", "--sizes", "10"])
    assert args.func.__name__ == "_cmd_bench" and args.quick and args.sizes == "10"
