"""Running a folder of configs (an ablation suite) and tabulating it against a baseline per layer."""

import json
import re
from pathlib import Path

from joblib import Parallel, delayed

from ..evaluation._runs import compare_runs, load_run, run_scores
from ._config import config_hash, load_config
from ._runner import data_fingerprint, run_experiment

README_START = "<!-- ablation:start -->"
README_END = "<!-- ablation:end -->"


def finished_run(out, cfg):
    """Whether *out* holds a finished run of exactly *cfg* (same config hash) on the same data files (same
    :func:`data_fingerprint`; a corpus rebuilt since, or a run from before fingerprints, is not reused),
    which a suite may reuse."""
    try:
        manifest = json.loads((Path(out) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not (Path(out) / "metrics.json").is_file() or manifest.get("config_hash") != config_hash(cfg):
        return False
    try:
        return manifest.get("data_fingerprint") == data_fingerprint(cfg)
    except (OSError, ValueError):
        return False


def _run_one(path, out_root, overwrite):
    cfg = load_config(path)
    out = Path(out_root) / cfg["name"]
    if not overwrite and finished_run(out, cfg):
        return cfg, str(out)
    # a run of an older version of the config is replaced, not reused
    run_experiment(cfg, out, overwrite=overwrite or out.exists(), argv=["stancekit", "ablation", str(path)])
    return cfg, str(out)


def run_suite(folder, out_root, *, n_jobs=1, overwrite=False):
    """Run every ``*.toml`` in *folder* into ``out_root/<name>``; existing finished runs are reused
    unless *overwrite*. Returns ``[(config, run_dir)]`` in file-name order."""
    paths = sorted(Path(folder).glob("*.toml"))
    if not paths:
        raise FileNotFoundError(f"{folder}: no experiment configs (*.toml) found")
    return Parallel(n_jobs=n_jobs)(delayed(_run_one)(p, out_root, overwrite) for p in paths)


def ablation_table(results, *, split="test", n_resamples=2000, seed=0, baseline_suffix="__tfidf", documents=None):
    """Markdown table: per layer, each run's macro-F1 with its 95 % CI and paired tests against the baseline.

    *documents* (document-id prefixes) restricts every figure to those documents of the split: scores and
    intervals are then recomputed from the runs' predictions (same resamples and seed as the run's config).
    """
    by_layer = {}
    for cfg, run_dir in results:
        layer = "hedging" if cfg["data"]["layer"] == "hedge_cues" else cfg["data"]["layer"]
        by_layer.setdefault(layer, []).append((cfg, load_run(run_dir)))
    lines = ["| layer | model | test macro-F1 | 95 % CI | Δ vs TF-IDF | Δ 95 % CI | p (bootstrap) | p (randomisation) |",
             "|---|---|---:|---|---:|---|---:|---:|"]
    order = ["hedging", "claim_type", "source", "stance"]
    for layer in sorted(by_layer, key=lambda x: order.index(x) if x in order else 9):
        runs = by_layer[layer]
        base = next((r for c, r in runs if c["name"].endswith(baseline_suffix)), None)
        for cfg, run in runs:
            m = run["metrics"][split]
            if documents:
                m = run_scores(run, split=split, documents=documents, seed=cfg["seed"],
                               n_resamples=cfg["evaluation"]["bootstrap"] or 1000,
                               by_document=cfg["evaluation"]["bootstrap_by_document"])
            ci = m["ci95"]["macro_f1"]
            model = cfg["name"].split("__", 1)[-1]
            row = f"| {layer} | {model} | {m['macro_f1']:.3f} | [{ci[0]:.3f}, {ci[1]:.3f}] |"
            if base is None or run is base:
                row += " – | – | – | – |"
            else:
                c = compare_runs(base, run, split=split, n_resamples=n_resamples, seed=seed, documents=documents)
                row += (f" {c['difference']:+.3f} | [{c['ci95'][0]:+.3f}, {c['ci95'][1]:+.3f}] | "
                        f"{c['p_bootstrap']:.4f} | {c['p_randomization']:.4f} |")
            lines.append(row)
    return "\n".join(lines)


def write_readme_section(readme, text, start=README_START, end=README_END):
    """Replace the text between the *start* and *end* markers of *readme* (both must be present)."""
    readme = Path(readme)
    content = readme.read_text(encoding="utf-8")
    if start not in content or end not in content:
        raise ValueError(f"{readme}: markers {start} and {end} not found")
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    readme.write_text(pattern.sub(lambda _: f"{start}\n{text}\n{end}", content), encoding="utf-8")


REPLICATION_START = "<!-- external:start -->"
REPLICATION_END = "<!-- external:end -->"
_PERCENT = {"accuracy", "macro_f1"}


def replication_table(folder, out_root, *, data_dir=None, n_jobs=1, overwrite=False):
    """Run every external config in *folder* and tabulate its reference metric against the published figure."""
    paths = sorted(Path(folder).glob("*.toml"))
    if not paths:
        raise FileNotFoundError(f"{folder}: no experiment configs (*.toml) found")
    configs = []
    for path in paths:
        cfg = load_config(path)
        if data_dir:
            cfg["data"]["data_dir"] = str(data_dir)
        configs.append((path, cfg))

    def one(path, cfg):
        out = Path(out_root) / cfg["name"]
        if overwrite or not finished_run(out, cfg):
            run_experiment(cfg, out, overwrite=True, argv=["stancekit", "replicate", str(path)])
        return path, cfg, load_run(out)

    results = Parallel(n_jobs=n_jobs)(delayed(one)(p, c) for p, c in configs)
    lines = ["| dataset | metric | split | stancekit (95 % CI) | published | source of the published figure | command |",
             "|---|---|---|---|---:|---|---|"]
    for path, cfg, run in results:
        ref = cfg["reference"]
        metric = ref["metric"] or "macro_f1"
        split = ref["split"]
        if split.startswith("cross:"):
            m = run["metrics"].get("cross", {}).get(split.split(":", 1)[1])
            name = f"{cfg['data']['dataset'] or cfg['data']['corpus']} → {cfg['data']['cross_dataset']}"
        else:
            m = run["metrics"].get(split)
            name = cfg["data"]["dataset"] or cfg["data"]["corpus"]
        if m is None:
            continue
        scale = 100.0 if metric in _PERCENT else 1.0
        value = m[metric] * scale
        ci = [v * scale for v in m["ci95"].get(metric, [float("nan")] * 2)]
        published = f"{ref['published']:.2f}" if ref["published"] else "–"
        lines.append(f"| {name} | {metric} | {split} | {value:.2f} [{ci[0]:.2f}, {ci[1]:.2f}] | {published} | "
                     f"{ref['source'] or '–'} | `stancekit run {path.as_posix()} --data-dir DIR` |")
    cue_rows = []
    for path, cfg, run in results:
        if cfg["data"]["layer"] != "hedge_cues":
            continue
        train = cfg["data"]["dataset"] or cfg["data"]["corpus"]
        if cfg["data"]["options"].get("parts"):
            train += " (" + "+".join(cfg["data"]["options"]["parts"]) + ")"
        evals = [(f"{train}, {k}", v) for k, v in run["metrics"].items() if k in ("test", "cv")]
        cross = run["metrics"].get("cross", {})
        evals += [(f"{cross['dataset']}, {k}", v) for k, v in cross.items() if isinstance(v, dict)]
        for where, m in evals:
            c = m["cues"]
            cue_rows.append(f"| {train} | {where} | {m['f1_hedged']:.2f} | {100 * c['exact']['f1']:.2f} | "
                            f"{100 * c['overlap']['f1']:.2f} | `{path.as_posix()}` |")
    if cue_rows:
        lines += ["", "Hedge cue tagger, in and across domains (sentence level: F1 of the hedged/uncertain class "
                  "from the cascade; cue level: span F1):", "",
                  "| trained on | tested on | sentence F1 (hedged) | cue F1 exact | cue F1 overlap | config |",
                  "|---|---|---:|---:|---:|---|"] + cue_rows
    return "\n".join(lines)
