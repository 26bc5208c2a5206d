"""Performance benchmark: ``python -m stancekit.bench`` (or ``stancekit bench``).

In one process and on the same resampled sentences it measures: the fit time
of each step of the :class:`~stancekit.Analyzer` on a corpus (by default the
included one); the labeling throughput (sentences per second) of the
four-layer Analyzer and of one plain scikit-learn ``TfidfVectorizer()`` +
``LogisticRegression()`` pipeline fitted on the same training sentences (the
reference), and their ratio; peak memory; and a scaling curve (time and
memory per size). ``--predict-scaling`` also runs ``stancekit predict`` as
subprocesses on generated JSON Lines files (time and peak resident memory per
size, and ``--n-jobs 2`` against ``--n-jobs 1``). Figures are printed as a
table and written to a JSON file.
"""

import argparse
import functools
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import warnings
from pathlib import Path

from .data._corpus import file_sha256

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (200, 1_000)
DEFAULT_PREDICT_SIZES = (100_000, 1_000_000)
QUICK_PREDICT_SIZES = (300, 1_500)
TARGET_RATIO = 0.5
CHUNK = 4096


def add_arguments(parser):
    """Add the benchmark's options to an argparse parser (shared by ``stancekit bench``)."""
    parser.add_argument("--sizes", help="comma-separated sizes of the scaling curve "
                                        "(default 10000,100000,1000000; with --quick 200,1000)")
    parser.add_argument("--output", default="benchmarks/results.json", help="JSON file for the figures")
    parser.add_argument("--quick", action="store_true",
                        help="a small, fast run (trains on the dev split only; small sizes)")
    parser.add_argument("--corpus", help="corpus directory (default: the included corpus)")
    parser.add_argument("--throughput-size", type=int, help="sentences per throughput run (default 20000)")
    parser.add_argument("--repeats", type=int, help="throughput runs of each model; the best counts (default 9)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the resampling")
    parser.add_argument("--no-scaling", action="store_true", help="skip the in-process scaling curve")
    parser.add_argument("--predict-scaling", action="store_true",
                        help="also time 'stancekit predict' subprocesses on generated files")
    parser.add_argument("--predict-sizes", help="sizes for --predict-scaling (default 100000,1000000)")
    parser.add_argument("--jobs-size", type=int, help="sentences for the --n-jobs 1 vs 2 run (default 200000)")
    parser.add_argument("--jobs-repeats", type=int, default=3,
                        help="alternating --n-jobs 1 / 2 pairs; each setting's fastest run counts (default 3)")
    parser.add_argument("--variants", action="store_true",
                        help="also compare featurizer variants: dev-split macro-F1 per layer and throughput "
                             "(fits on the train split)")
    return parser


def _sizes(text, default):
    if not text:
        return tuple(default)
    try:
        sizes = tuple(int(x) for x in text.split(",") if x.strip())
    except ValueError:
        raise ValueError(f"sizes must be comma-separated integers, got {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise ValueError(f"sizes must be positive integers, got {text!r}")
    return sizes


# --- data ---------------------------------------------------------------------------------------------


class Sampler:
    """Sentences resampled with a fixed seed from a corpus; every second one gets a target of its document."""

    def __init__(self, corpus):
        self.rows = [(s["text"], s["doc_id"]) for s in corpus.filter()]
        self.targets = {doc_id: [t["text"] for t in doc["targets"]] for doc_id, doc in corpus.documents.items()}
        self.all_targets = sorted({t for ts in self.targets.values() for t in ts})

    def sample(self, n, seed):
        """Yield *n* ``(text, target or None)``."""
        rng = random.Random(seed)
        rows, targets = self.rows, self.targets
        for k in range(n):
            text, doc_id = rows[rng.randrange(len(rows))]
            target = None
            if k % 2 == 0:
                pool = targets.get(doc_id) or self.all_targets
                target = pool[rng.randrange(len(pool))] if pool else None
            yield text, target

    def lists(self, n, seed):
        pairs = list(self.sample(n, seed))
        return [t for t, _ in pairs], [g for _, g in pairs]


def _chunks(iterable, size):
    texts, targets = [], []
    for text, target in iterable:
        texts.append(text)
        targets.append(target)
        if len(texts) >= size:
            yield texts, targets
            texts, targets = [], []
    if texts:
        yield texts, targets


# --- measurements -------------------------------------------------------------------------------------


def peak_rss_mb():
    """Peak resident memory of this process so far (``getrusage``), in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1 << 20 if sys.platform == "darwin" else 1 << 10), 1)


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def _traced_peak_mb(fn):
    tracemalloc.start()
    try:
        fn()
        return round(tracemalloc.get_traced_memory()[1] / (1 << 20), 1)
    finally:
        tracemalloc.stop()


def fit_models(corpus, splits):
    """Fit the default Analyzer (timing each step) and the reference pipeline on the same sentences."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from .analyzer import Analyzer

    steps = {}
    analyzer, wall, _ = _timed(lambda: Analyzer(train_splits=splits)._fit(corpus, steps))
    rows = corpus.filter(split=list(splits))
    reference = make_pipeline(TfidfVectorizer(), LogisticRegression())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        _, ref_wall, _ = _timed(lambda: reference.fit([s["text"] for s in rows], [s["hedging"] for s in rows]))
    fit = {"train_splits": list(splits), "sentences": len(rows), "analyzer_seconds": round(wall, 2),
           "steps_seconds": {k: round(v, 2) for k, v in steps.items()},
           "reference_seconds": round(ref_wall, 2)}
    return analyzer, reference, fit


def throughput(analyzer, reference, sampler, n, repeats, seed):
    """Sentences per second of both models on the same *n* sentences.

    Runs alternate between the two models; each model's best (fastest) run
    counts, as ``timeit`` does, so that other load on the machine disturbs the
    ratio as little as possible. Medians and CPU seconds are reported too.
    """
    texts, targets = sampler.lists(n, seed)
    analyzer.analyze(texts[:200], targets[:200])  # warm-up: lexicon indexes, lookup tables
    reference.predict(texts[:200])
    runs = {"analyzer": [], "reference": []}
    for _ in range(repeats):
        runs["reference"].append(_timed(lambda: reference.predict(texts))[1:])
        runs["analyzer"].append(_timed(lambda: analyzer.analyze(texts, targets))[1:])
    out = {"sentences": n, "with_target": sum(t is not None for t in targets), "repeats": repeats}
    for name, values in runs.items():
        wall = min(v[0] for v in values)
        cpu = min(v[1] for v in values)
        median = statistics.median(v[0] for v in values)
        out[name] = {"seconds": round(wall, 3), "cpu_seconds": round(cpu, 3), "median_seconds": round(median, 3),
                     "sentences_per_second": round(n / wall), "sentences_per_cpu_second": round(n / cpu),
                     "median_sentences_per_second": round(n / median),
                     "runs_seconds": [round(v[0], 3) for v in values]}
    out["ratio"] = round(out["analyzer"]["sentences_per_second"] / out["reference"]["sentences_per_second"], 3)
    out["ratio_cpu"] = round(out["analyzer"]["sentences_per_cpu_second"]
                             / out["reference"]["sentences_per_cpu_second"], 3)
    out["ratio_median"] = round(out["analyzer"]["median_sentences_per_second"]
                                / out["reference"]["median_sentences_per_second"], 3)
    out["target_ratio"] = TARGET_RATIO
    out["meets_target"] = out["ratio"] >= TARGET_RATIO
    chunk_texts, chunk_targets = texts[:CHUNK], targets[:CHUNK]
    out["memory"] = {
        "analyzer_traced_peak_mb_per_chunk": _traced_peak_mb(lambda: analyzer.analyze(chunk_texts, chunk_targets)),
        "reference_traced_peak_mb_per_chunk": _traced_peak_mb(lambda: reference.predict(chunk_texts)),
        "chunk_sentences": len(chunk_texts),
        "process_peak_rss_mb": peak_rss_mb(),
    }
    return out


def scaling(analyzer, reference, sampler, sizes, seed, log):
    """Time of both models per size, labeling chunk by chunk (outputs dropped), and peak RSS after each size."""
    out = []
    for n in sorted(sizes):
        spent = {"analyzer": [0.0, 0.0], "reference": [0.0, 0.0]}
        for texts, targets in _chunks(sampler.sample(n, seed), CHUNK):
            for name, fn in (("analyzer", lambda: analyzer.analyze(texts, targets)),
                             ("reference", lambda: reference.predict(texts))):
                _, wall, cpu = _timed(fn)
                spent[name][0] += wall
                spent[name][1] += cpu
        row = {"sentences": n}
        for name, (wall, cpu) in spent.items():
            row[f"{name}_seconds"] = round(wall, 2)
            row[f"{name}_cpu_seconds"] = round(cpu, 2)
            row[f"{name}_sentences_per_second"] = round(n / wall) if wall else None
        row["ratio"] = round(spent["reference"][0] / spent["analyzer"][0], 3) if spent["analyzer"][0] else None
        row["process_peak_rss_mb"] = peak_rss_mb()
        out.append(row)
        log(f"  scaling {n}: analyzer {row['analyzer_seconds']} s, reference {row['reference_seconds']} s, "
            f"peak RSS {row['process_peak_rss_mb']} MB")
    return out


def stages(analyzer, reference, sampler, seed, repeats):
    """Where the Analyzer's time goes: best-of-*repeats* microseconds per sentence of each stage on one chunk."""
    import scipy.sparse as sp

    from .data import SENTENCE_LAYERS
    from .features import pair_features
    from .analyzer import _label_columns
    from .features._ngrams import vectorizer_transform
    from .features._tokens import TYPES, tokenize_batch

    texts, targets = sampler.lists(CHUNK, seed + 1)
    rows = [i for i, t in enumerate(targets) if t is not None]
    pair_targets = [targets[i] for i in rows]
    best = {}

    def timed(name, fn):
        wall = time.perf_counter()
        out = fn()
        best[name] = min(best.get(name, float("inf")), time.perf_counter() - wall)
        return out

    with TYPES.session():
        for _ in range(repeats):
            timed("reference: TfidfVectorizer + LogisticRegression", lambda: reference.predict(texts))

            def tokens():
                b = tokenize_batch(texts)
                b.types()
                b.word_ids()
                return b

            batch = timed("tokenize once (shared)", tokens)
            (_, word), (_, cues) = analyzer.featurizer_.transformer_list  # the default featurizer
            Xw = timed("word 1-2-gram TF-IDF", lambda: vectorizer_transform(word, batch))
            Xl = timed("hedge/attribution/claim cue features", lambda: cues._transform_batch(batch))
            Xs = sp.hstack([Xw, Xl]).tocsr()
            timed("hedging, claim type, source classifiers",
                  lambda: [_label_columns(analyzer.classifiers_[layer], proba)
                           for layer, proba in zip(SENTENCE_LAYERS, analyzer._sentence_probas(Xs))])
            hedged = texts[::3]
            timed("hedge cue spans (hedged third)", lambda: analyzer._cue_spans(hedged))

            def pair():
                side = analyzer._stance_side
                return pair_features(side(Xs[rows]), side(analyzer._target_rows(pair_targets)))

            Xp = timed("stance: targets featurized, pair features", pair)
            if analyzer.stance_featurizer_ is not None:
                P = timed("stance cue features",
                          lambda: analyzer.stance_featurizer_._transform_batch(batch, pair_targets, rows))
                Xp = sp.hstack([Xp, P], format="csr")
            stance = analyzer.classifiers_["stance"]
            timed("stance classifier", lambda: _label_columns(stance, stance.predict_proba(Xp)))
            timed("Analyzer.analyze (all of it)", lambda: analyzer.analyze(texts, targets))
    return {name: round(sec / CHUNK * 1e6, 2) for name, sec in best.items()}


def dev_scores(analyzer, corpus):
    """Macro-F1 per layer on the corpus's dev split."""
    from sklearn.metrics import f1_score

    from .data import SENTENCE_LAYERS

    rows = corpus.filter(split=["dev"])
    target_of = {t["id"]: t["text"] for d in corpus.documents.values() for t in d["targets"]}
    recs = analyzer.analyze([s["text"] for s in rows])
    out = {layer: round(f1_score([s[layer] for s in rows], [r[layer] for r in recs], average="macro"), 4)
           for layer in SENTENCE_LAYERS}
    items = [(s["text"], target_of[i["target"]], i["label"]) for s in rows for i in s["stance"]]
    if items:
        pred = analyzer.analyze([x for x, _, _ in items], [t for _, t, _ in items])
        out["stance"] = round(f1_score([y for _, _, y in items], [r["stance"] for r in pred], average="macro"), 4)
    return out


def variants(corpus, reference, sampler, n, repeats, seed, log):
    """Dev macro-F1 and throughput of the default Analyzer and of lighter featurizers (all fitted on train)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from .analyzer import Analyzer

    word = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    configs = {
        "default (cue features for hedging, claim type, source; word features for stance)": {},
        "cue features for stance too, with stance cue features (the 0.1 default)": {"stance_featurizer": None,
                                                                                    "stance_blocks": None},
        "cue features for stance too, no stance cue features": {"stance_blocks": None},
        "word TF-IDF only (no cue features anywhere)": {"featurizer": word},
    }
    out = {}
    for name, params in configs.items():
        model, fit_seconds, _ = _timed(lambda: Analyzer(train_splits=("train",), **params).fit(corpus))
        tp = throughput(model, reference, sampler, n, repeats, seed)
        out[name] = {"fit_seconds": round(fit_seconds, 1), "dev_macro_f1": dev_scores(model, corpus),
                     "sentences_per_second": tp["analyzer"]["sentences_per_second"], "ratio": tp["ratio"]}
        log(f"  variant {name}: {out[name]}")
    return out


# --- stancekit predict as subprocesses ---------------------------------------------------------------


def _tree_rss_kb(pid):
    """Resident memory of *pid* and its descendants (Linux /proc), in kB; None where unavailable."""
    total, stack, seen = 0, [pid], set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/status", encoding="ascii", errors="replace") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            if p == pid:
                return None
    return total


def run_predict(model_path, inp, out, n_jobs=1, scheduler=None, cache_home=None, extra=()):
    """Run ``stancekit predict`` in a child process; wall seconds, its peak RSS and the process tree's (MB).

    *cache_home* is the child's ``XDG_CACHE_HOME`` (where it keeps compiled models).
    """
    cmd = [sys.executable, "-m", "stancekit", "predict", "--model", str(model_path), "--input", str(inp),
           "--output", str(out), "--quiet", "--n-jobs", str(n_jobs), *extra]
    if scheduler:
        cmd += ["--scheduler", scheduler]
    env = None if cache_home is None else {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    tree_peak = [0]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    done = threading.Event()

    def sample():
        while not done.wait(0.2):
            kb = _tree_rss_kb(proc.pid)
            if kb:
                tree_peak[0] = max(tree_peak[0], kb)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed with status {proc.returncode}: {stderr.decode()[-2000:]}")
    unit = 1 << 20 if sys.platform == "darwin" else 1 << 10
    return {"seconds": round(wall, 2), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_mb": round(usage.ru_maxrss / unit, 1),
            "tree_peak_rss_mb": round(tree_peak[0] / 1024, 1) if tree_peak[0] else None,
            "command": " ".join(["stancekit"] + cmd[3:])}


def _write_input(path, sampler, n, seed):
    with open(path, "w", encoding="utf-8") as fh:
        for k, (text, target) in enumerate(sampler.sample(n, seed)):
            rec = {"id": k, "text": text}
            if target is not None:
                rec["target"] = target
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def predict_scaling(analyzer, sampler, sizes, jobs_size, seed, log, jobs_repeats=3):
    """``stancekit predict`` on generated files: time and peak RSS per size; --n-jobs 2 against 1."""
    from .persistence import save_model

    out = {"sizes": [], "n_jobs": None}
    with tempfile.TemporaryDirectory(prefix="stancekit-bench-") as tmp:
        tmp = Path(tmp)
        model = save_model(analyzer, tmp / "model.skops")
        from .persistence import load_model

        out["model_file"] = {"mb": round(model.stat().st_size / 2 ** 20, 1),
                             "load_seconds": round(_timed(lambda: load_model(model))[1], 2)}
        _write_input(tmp / "one.jsonl", sampler, 1, seed)
        # the child processes keep their compiled models in a cache of their own: the first run loads the
        # model file and compiles it (cold), later runs read the compiled form (warm); --no-compile labels
        # with the loaded model itself (the start-up of stancekit 0.2.0)
        run = functools.partial(run_predict, cache_home=tmp / "cache")
        cold = run(model, tmp / "one.jsonl", tmp / "one.out.jsonl")
        startup = min((run(model, tmp / "one.jsonl", tmp / "one.out.jsonl") for _ in range(3)),
                      key=lambda r: r["seconds"])
        plain = min((run(model, tmp / "one.jsonl", tmp / "one.out.jsonl", extra=["--no-compile"])
                     for _ in range(3)), key=lambda r: r["seconds"])
        out["startup"] = startup
        out["startup_cold"] = cold
        out["startup_no_compile"] = plain
        log(f"  predict startup (1 line): {startup['seconds']} s; first run (compiling) {cold['seconds']} s; "
            f"--no-compile {plain['seconds']} s")
        for n in sorted(sizes):
            inp = tmp / f"in-{n}.jsonl"
            _write_input(inp, sampler, n, seed)
            row = {"sentences": n, **run(model, inp, tmp / f"out-{n}.jsonl")}
            row["sentences_per_second"] = round(n / row["seconds"])
            row["seconds_without_startup"] = round(row["seconds"] - startup["seconds"], 2)
            out["sizes"].append(row)
            log(f"  predict {n}: {row['seconds']} s, peak RSS {row['peak_rss_mb']} MB")
            (tmp / f"out-{n}.jsonl").unlink()
            inp.unlink()
        if len(out["sizes"]) >= 2:
            small, big = out["sizes"][0], out["sizes"][-1]
            factor = big["sentences"] / small["sentences"]
            out["linearity"] = {
                "from": small["sentences"], "to": big["sentences"], "size_factor": factor,
                "time_factor": round(big["seconds"] / small["seconds"], 2),
                "time_factor_without_startup": round(big["seconds_without_startup"]
                                                     / small["seconds_without_startup"], 2),
                "per_sentence_ratio_without_startup": round(
                    big["seconds_without_startup"] / small["seconds_without_startup"] / factor, 3),
            }
        if jobs_size:
            inp = tmp / "jobs.jsonl"
            _write_input(inp, sampler, jobs_size, seed)
            starts = {1: startup, 2: min((run(model, tmp / "one.jsonl", tmp / "one.out.jsonl", n_jobs=2)
                                          for _ in range(3)), key=lambda r: r["seconds"])}
            # the pair alternates jobs_repeats times and each setting's fastest run counts, as for throughput
            tries = {1: [], 2: []}
            for _ in range(jobs_repeats):
                for n_jobs in (1, 2):
                    r = run(model, inp, tmp / f"jobs-{n_jobs}.jsonl", n_jobs=n_jobs)
                    r["sha256"] = file_sha256(tmp / f"jobs-{n_jobs}.jsonl")
                    r["startup_seconds"] = starts[n_jobs]["seconds"]
                    tries[n_jobs].append(r)
                    log(f"  predict {jobs_size} --n-jobs {n_jobs}: {r['seconds']} s "
                        f"(startup {starts[n_jobs]['seconds']} s)")
            runs = {k: min(v, key=lambda r: r["seconds"]) for k, v in tries.items()}
            work = {k: max(runs[k]["seconds"] - starts[k]["seconds"], 1e-9) for k in (1, 2)}
            medians = {k: statistics.median(r["seconds"] for r in v) for k, v in tries.items()}
            out["n_jobs"] = {"sentences": jobs_size, "n_jobs_1": runs[1], "n_jobs_2": runs[2],
                             "repeats": jobs_repeats,
                             "runs_seconds": {str(k): [r["seconds"] for r in v] for k, v in tries.items()},
                             "speedup": round(runs[1]["seconds"] / runs[2]["seconds"], 2),
                             "speedup_median": round(medians[1] / medians[2], 2),
                             "speedup_without_startup": round(work[1] / work[2], 2),
                             "identical_output": len({r["sha256"] for v in tries.values() for r in v}) == 1}
            # one pair with --no-compile: the speed-up the loaded model itself gives, and its output
            plain_runs = {}
            for n_jobs in (1, 2):
                r = run(model, inp, tmp / f"plain-{n_jobs}.jsonl", n_jobs=n_jobs, extra=["--no-compile"])
                r["sha256"] = file_sha256(tmp / f"plain-{n_jobs}.jsonl")
                plain_runs[n_jobs] = r
                log(f"  predict {jobs_size} --n-jobs {n_jobs} --no-compile: {r['seconds']} s")
            out["n_jobs"]["no_compile"] = {
                "n_jobs_1": plain_runs[1], "n_jobs_2": plain_runs[2],
                "speedup": round(plain_runs[1]["seconds"] / plain_runs[2]["seconds"], 2),
                "same_output_as_compiled": {r["sha256"] for r in plain_runs.values()}
                == {r["sha256"] for v in tries.values() for r in v}}
    return out


# --- report -------------------------------------------------------------------------------------------


def format_results(res):
    """A readable summary table (Markdown) of a results dict."""
    lines = []
    fit = res["fit"]
    lines.append(f"Corpus: {res['corpus']['path']} ({fit['sentences']} training sentences, "
                 f"splits {','.join(fit['train_splits'])})")
    lines.append("")
    lines.append("| fit step | seconds |")
    lines.append("|---|---:|")
    for step, sec in fit["steps_seconds"].items():
        lines.append(f"| {step} | {sec} |")
    lines.append(f"| **Analyzer total** | {fit['analyzer_seconds']} |")
    lines.append(f"| reference TF-IDF + LR | {fit['reference_seconds']} |")
    tp = res["throughput"]
    lines.append("")
    lines.append(f"Throughput on {tp['sentences']} resampled sentences ({tp['with_target']} with a target), "
                 f"best of {tp['repeats']} alternating runs:")
    lines.append("")
    lines.append("| model | sentences/s | seconds | sentences/CPU-s | traced peak MB per "
                 f"{tp['memory']['chunk_sentences']} |")
    lines.append("|---|---:|---:|---:|---:|")
    for name, label in (("analyzer", "Analyzer (4 layers)"), ("reference", "TfidfVectorizer + LogisticRegression")):
        m = tp[name]
        lines.append(f"| {label} | {m['sentences_per_second']} | {m['seconds']} | {m['sentences_per_cpu_second']} | "
                     f"{tp['memory'][f'{name}_traced_peak_mb_per_chunk']} |")
    verdict = "meets" if tp["meets_target"] else "misses"
    lines.append("")
    lines.append(f"Ratio Analyzer / reference: {tp['ratio']} (CPU time: {tp['ratio_cpu']}; medians: "
                 f"{tp.get('ratio_median', '-')}); "
                 f"{verdict} the {tp['target_ratio']} target. Peak RSS: {tp['memory']['process_peak_rss_mb']} MB")
    if res.get("stages_us_per_sentence"):
        lines.append("")
        lines.append(f"Where the time goes (microseconds per sentence, best of {tp['repeats']}, one chunk of "
                     f"{CHUNK}; half of the sentences with a target):")
        lines.append("")
        lines.append("| stage | us/sentence |")
        lines.append("|---|---:|")
        for stage, us in res["stages_us_per_sentence"].items():
            lines.append(f"| {stage} | {us} |")
    if res.get("variants"):
        lines.append("")
        lines.append("Featurizer variants (fitted on train; dev-split macro-F1):")
        lines.append("")
        lines.append("| featurizer | hedging | claim_type | source | stance | sentences/s | ratio |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|")
        for name, v in res["variants"].items():
            f1 = v["dev_macro_f1"]
            lines.append(f"| {name} | {f1.get('hedging')} | {f1.get('claim_type')} | {f1.get('source')} | "
                         f"{f1.get('stance')} | {v['sentences_per_second']} | {v['ratio']} |")
    if res.get("scaling"):
        lines.append("")
        lines.append("| sentences | Analyzer s | Analyzer sent/s | reference s | reference sent/s | ratio | "
                     "peak RSS MB |")
        lines.append("|---:|---:|---:|---:|---:|---:|---:|")
        for r in res["scaling"]:
            lines.append(f"| {r['sentences']} | {r['analyzer_seconds']} | {r['analyzer_sentences_per_second']} | "
                         f"{r['reference_seconds']} | {r['reference_sentences_per_second']} | {r['ratio']} | "
                         f"{r['process_peak_rss_mb']} |")
    ps = res.get("predict_scaling")
    if ps:
        lines.append("")
        cold, plain = ps.get("startup_cold"), ps.get("startup_no_compile")
        extra = "" if not cold else (f"; the first run, which compiles the model, {cold['seconds']} s; "
                                     f"--no-compile {plain['seconds']} s")
        lines.append(f"`stancekit predict` subprocesses (startup with a 1-line file: {ps['startup']['seconds']} s"
                     f"{extra}):")
        lines.append("")
        lines.append("| sentences | seconds | sentences/s | peak RSS MB | process tree peak MB |")
        lines.append("|---:|---:|---:|---:|---:|")
        for r in ps["sizes"]:
            lines.append(f"| {r['sentences']} | {r['seconds']} | {r['sentences_per_second']} | {r['peak_rss_mb']} | "
                         f"{r['tree_peak_rss_mb']} |")
        if ps.get("linearity"):
            li = ps["linearity"]
            lines.append("")
            lines.append(f"{li['from']} -> {li['to']} sentences: time x{li['time_factor']} "
                         f"(x{li['time_factor_without_startup']} without startup) for x{li['size_factor']:g} "
                         f"sentences; per-sentence time ratio {li['per_sentence_ratio_without_startup']}")
        if ps.get("n_jobs"):
            nj = ps["n_jobs"]
            lines.append(f"--n-jobs 2 vs 1 on {nj['sentences']} sentences: {nj['n_jobs_2']['seconds']} s vs "
                         f"{nj['n_jobs_1']['seconds']} s (best of {nj.get('repeats', 1)}), speedup {nj['speedup']} "
                         f"(median {nj.get('speedup_median')}) "
                         f"({nj['speedup_without_startup']} without startup); CPU seconds (process tree) "
                         f"{nj['n_jobs_2'].get('cpu_seconds')} vs {nj['n_jobs_1'].get('cpu_seconds')}; "
                         f"identical output: "
                         f"{nj['identical_output']}")
            if nj.get("no_compile"):
                nc = nj["no_compile"]
                lines.append(f"--no-compile (the loaded model labels): --n-jobs 2 vs 1 {nc['n_jobs_2']['seconds']} s vs "
                             f"{nc['n_jobs_1']['seconds']} s, speedup {nc['speedup']} (one pair); same output as "
                             f"compiled: {nc['same_output_as_compiled']}")
        if ps.get("model_file"):
            lines.append(f"model file: {ps['model_file']['mb']} MB, loaded in {ps['model_file']['load_seconds']} s")
    return "\n".join(lines)


def run_from_args(args):
    """Run the benchmark for parsed arguments; print the table, write the JSON file; return 0."""
    import sklearn

    from . import __version__
    from .data import load_corpus

    log = (lambda msg: print(msg, file=sys.stderr, flush=True))
    quick = args.quick
    sizes = _sizes(args.sizes, QUICK_SIZES if quick else DEFAULT_SIZES)
    n_tp = args.throughput_size or (1_000 if quick else 20_000)
    repeats = args.repeats or (1 if quick else 9)
    if n_tp < 1 or repeats < 1:
        raise ValueError("--throughput-size and --repeats must be positive")
    corpus = load_corpus(args.corpus)
    splits = ("dev",) if quick and args.corpus is None else ("train", "dev")
    log(f"stancekit bench: fitting on {corpus.path} (splits {','.join(splits)})")
    analyzer, reference, fit = fit_models(corpus, splits)
    sampler = Sampler(corpus)
    res = {
        "command": "python -m stancekit.bench " + " ".join(getattr(args, "argv", None) or sys.argv[1:]),
        "stancekit_version": __version__, "sklearn_version": sklearn.__version__,
        "python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "seed": args.seed, "quick": quick,
        "corpus": {"path": str(corpus.path), "sha256": corpus.sha256, "sentences": len(corpus)},
        "fit": fit,
    }
    log(f"  fit: Analyzer {fit['analyzer_seconds']} s; throughput on {n_tp} sentences x{repeats}")
    res["throughput"] = throughput(analyzer, reference, sampler, n_tp, repeats, args.seed)
    res["stages_us_per_sentence"] = stages(analyzer, reference, sampler, args.seed, repeats)
    if args.variants:
        res["variants"] = variants(corpus, reference, sampler, n_tp, repeats, args.seed, log)
    if not args.no_scaling:
        res["scaling"] = scaling(analyzer, reference, sampler, sizes, args.seed, log)
    if args.predict_scaling:
        psizes = _sizes(args.predict_sizes, QUICK_PREDICT_SIZES if quick else DEFAULT_PREDICT_SIZES)
        jobs = args.jobs_size if args.jobs_size is not None else (1_000 if quick else 200_000)
        res["predict_scaling"] = predict_scaling(analyzer, sampler, psizes, jobs, args.seed, log,
                                                jobs_repeats=max(1, args.jobs_repeats))
    res["peak_rss_mb"] = peak_rss_mb()
    table = format_results(res)
    print(table)
    if args.output:
        path = Path(args.output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(res, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        log(f"wrote {path}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m stancekit.bench", description=__doc__.split("\n")[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return run_from_args(args)
    except (ValueError, OSError) as exc:
        print(f"stancekit bench: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
