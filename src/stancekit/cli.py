"""Command-line interface: ``stancekit run|benchmark|train|predict|corpus``."""

import argparse
import sys


def _prefixes(text):
    """Document-id prefixes from a comma-separated option value (None when not given)."""
    prefixes = [p.strip() for p in (text or "").split(",") if p.strip()]
    return prefixes or None


def _positive_int(text):
    """argparse type: an integer >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, found {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, found {text!r}")
    return value


def _sample_fraction(text):
    """argparse type: a fraction in (0, 1)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a fraction between 0 and 1, found {text!r}") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"expected a fraction between 0 and 1 (exclusive), found {text!r}")
    return value


def _cmd_corpus(args):
    from .data import build_corpus, load_corpus, resolve_corpus_path
    from .data._stats import corpus_stats, format_stats

    if args.corpus_command == "build":
        root = resolve_corpus_path(args.path or "geonews")
        problems, docs, sentences = build_corpus(root, check=args.check, prefixes=args.prefix,
                                                new_split=args.new_split)
        for p in problems:
            print(p, file=sys.stderr)
        verb = "checked" if args.check or problems else "built"
        print(f"{verb} {len(docs)} documents, {len(sentences)} sentences; {len(problems)} problems")
        return 1 if problems else 0
    if args.corpus_command == "agreement":
        import json as _json

        from .data._agreement import agreement, format_agreement

        result = agreement(resolve_corpus_path(args.path or "geonews"),
                           documents=_prefixes(args.documents))
        print(_json.dumps(result, indent=1) if args.json else format_agreement(result))
        return 0
    if args.corpus_command == "packets":
        from pathlib import Path

        from .data._agreement import blind_packets

        out = Path(args.output)
        out.mkdir(parents=True, exist_ok=True)
        packets = blind_packets(resolve_corpus_path(args.path or "geonews"),
                                documents=_prefixes(args.documents), parts=args.parts)
        for i, text in enumerate(packets, 1):
            (out / f"packet_{i}.md").write_text(text, encoding="utf-8")
        print(f"wrote {len(packets)} packets to {out}")
        return 0
    corpus = load_corpus(args.path)
    if args.corpus_command == "overlap":
        from .data._stats import format_overlap, nearest_overlap

        print(format_overlap(nearest_overlap(corpus, split=args.split, documents=_prefixes(args.documents),
                                             against=args.against)))
        return 0
    if args.corpus_command == "sample":
        from .data._agreement import write_sample

        ids = write_sample(corpus, corpus.path, fraction=args.fraction, seed=args.seed)
        print(f"{len(ids)} sentences from {len({i.rsplit('-s', 1)[0] for i in ids})} documents "
              f"-> {corpus.path / 'raw' / 'annotations' / 'sample.json'}")
        return 0
    if args.corpus_command == "validate":
        print(f"{corpus.path}: valid ({len(corpus.documents)} documents, {len(corpus)} sentences)")
        return 0
    print(format_stats(corpus_stats(corpus, documents=_prefixes(args.documents))))
    return 0


def _on_cluster(args):
    """The Dask backend for joblib when ``--scheduler`` was given, else a do-nothing context."""
    import contextlib

    if not getattr(args, "scheduler", None):
        return contextlib.nullcontext()
    from ._dask import dask_backend

    return dask_backend(args.scheduler)


def _suite_jobs(args):
    """Configs run at once: ``--n-jobs``, or with ``--scheduler`` and no ``--n-jobs``, as many as the cluster takes."""
    if args.n_jobs is not None:
        return args.n_jobs
    return -1 if getattr(args, "scheduler", None) else args.default_n_jobs


def _cmd_run(args):
    from .experiments import load_config, run_experiment

    cfg = load_config(args.config)
    if args.data_dir:
        cfg["data"]["data_dir"] = args.data_dir
    out = args.output_dir or f"runs/{cfg['name']}"
    if args.scheduler and cfg["evaluation"]["n_jobs"] == 1:
        cfg["evaluation"]["n_jobs"] = -1  # folds, curve points and grid candidates as cluster tasks
    with _on_cluster(args):
        metrics = run_experiment(cfg, out, overwrite=args.overwrite, argv=["stancekit"] + (args.argv or []),
                                 quiet=args.quiet)
    shown = [(split, metrics[split]) for split in list(cfg["data"]["eval_splits"]) + ["cv"] if split in metrics]
    cross = metrics.get("cross", {})
    shown += [(f"{cross['dataset']} {split}", cross[split]) for split in cfg["data"]["cross_splits"] if split in cross]
    for split, m in shown:
        if "accuracy" in m:
            ci = m.get("ci95", {}).get("macro_f1")
            ci_text = f" [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else ""
            print(f"{cfg['name']} {metrics['layer']} {split}: accuracy {m['accuracy']:.3f}, "
                  f"macro-F1 {m['macro_f1']:.3f}{ci_text}")
            for kind in ("exact", "overlap"):
                c = m.get("cues", {}).get(kind)
                if c:
                    print(f"  cue spans ({kind} match): precision {c['precision']:.3f}, recall {c['recall']:.3f}, "
                          f"F1 {c['f1']:.3f} ({c['n_gold']} gold, {c['n_pred']} predicted)")
    print(f"run folder: {out}")
    return 0


def default_experiments_dir():
    """``./experiments`` if present, else a source checkout's, else the benchmark configs a regular install
    puts under ``<prefix>/share/stancekit/experiments``."""
    from pathlib import Path

    candidates = [Path("experiments"), Path(__file__).resolve().parents[2] / "experiments",
                  Path(sys.prefix) / "share" / "stancekit" / "experiments"]
    for folder in candidates:
        if any(folder.glob("*.toml")):
            return folder
    raise FileNotFoundError("no experiment configs (*.toml) found in " + ", ".join(str(c) for c in candidates)
                            + "; pass the folder with --experiments")


def _cmd_benchmark(args):
    from pathlib import Path

    from .data import load_corpus
    from .experiments import load_config, run_experiment

    folder = Path(args.experiments) if args.experiments else default_experiments_dir()
    paths = sorted(folder.glob("*.toml"))
    if not paths:
        raise FileNotFoundError(f"{folder}: no experiment configs (*.toml) found")
    from joblib import Parallel, delayed

    configs = []
    for path in paths:
        cfg = load_config(path)
        if "test" not in cfg["data"]["eval_splits"] or not cfg["evaluation"]["fixed_split"]:
            continue
        cfg["evaluation"]["cv_folds"] = 0
        configs.append(cfg)
    names = sorted({c["data"]["corpus"] for c in configs})
    corpora = {name: load_corpus(name) for name in names}

    def one(cfg):
        m = run_experiment(cfg, None, corpus=corpora[cfg["data"]["corpus"]])["test"]
        model = "+".join(f["name"] for f in cfg["features"]) or "-"
        return cfg["data"]["layer"], cfg["classifier"]["name"], model, m

    with _on_cluster(args):
        rows = Parallel(n_jobs=_suite_jobs(args))(delayed(one)(cfg) for cfg in configs)
    corpus = corpora[names[0]]
    order = {"hedging": 0, "hedge_cues": 0.5, "claim_type": 1, "source": 2, "stance": 3}
    rows.sort(key=lambda r: (order.get(r[0], 9), r[1] != "majority", r[1], r[2]))
    test_docs = sum(d["split"] == "test" for d in corpus.documents.values())
    lines = [f"Test split of {corpus.path.name} ({test_docs} of {len(corpus.documents)} documents, "
             f"{len(corpus.filter(split='test'))} of {len(corpus)} sentences); "
             "95 % intervals by document bootstrap. Command: `stancekit benchmark`", "",
             "| layer | classifier | features | accuracy | macro-F1 | macro-F1 95 % CI |", "|---|---|---|---:|---:|---|"]
    for layer, clf, feats, m in rows:
        ci = m.get("ci95", {}).get("macro_f1")
        ci_text = f"[{ci[0]:.3f}, {ci[1]:.3f}]" if ci else ""
        if layer == "hedge_cues":
            layer, feats = "hedging", "cue tagger cascade"
        lines.append(f"| {layer} | {clf} | {feats} | {m['accuracy']:.3f} | {m['macro_f1']:.3f} | {ci_text} |")
    print("\n".join(lines))
    if args.readme:
        from .experiments._suite import write_readme_section

        write_readme_section(args.readme, "\n".join(lines), "<!-- benchmark:start -->", "<!-- benchmark:end -->")
    return 0


def _cmd_ablation(args):
    from .data._corpus import describe_documents
    from .experiments._suite import README_END, README_START, ablation_table, run_suite, write_readme_section

    with _on_cluster(args):
        results = run_suite(args.folder, args.output_dir, n_jobs=_suite_jobs(args), overwrite=args.overwrite)
    documents = _prefixes(args.documents)
    table = ablation_table(results, n_resamples=args.resamples, documents=documents)
    command = f"stancekit ablation {args.folder}" + (f" --documents {','.join(documents)}" if documents else "")
    where = f"test {describe_documents(documents)}" if documents else "test split"
    header = (f"Command: `{command}` ({where}; 95 % intervals and paired tests "
              f"by document bootstrap, {args.resamples} resamples; randomisation test over items)\n\n")
    print(header + table)
    if args.readme:
        start, end = README_START, README_END
        if documents:
            tag = "ablation-" + "-".join(documents)
            start, end = f"<!-- {tag}:start -->", f"<!-- {tag}:end -->"
        write_readme_section(args.readme, header + table, start, end)
    return 0


def _cmd_report(args):
    from .evaluation._report import write_report

    path, images = write_report(args.runs, args.output_dir, plots=not args.no_plots)
    print(f"wrote {path}" + (f" and {len(images)} plots" if images else ""))
    return 0


def _cmd_replicate(args):
    from .experiments._suite import REPLICATION_END, REPLICATION_START, replication_table, write_readme_section

    with _on_cluster(args):
        table = replication_table(args.folder, args.output_dir, data_dir=args.data_dir, n_jobs=_suite_jobs(args),
                                  overwrite=args.overwrite)
    print(table)
    if args.readme:
        write_readme_section(args.readme, table, REPLICATION_START, REPLICATION_END)
    return 0


def _cmd_compare(args):
    from .evaluation._runs import compare_runs, format_comparison

    result = compare_runs(args.run_a, args.run_b, split=args.split, metric=args.metric,
                          n_resamples=args.resamples, seed=args.seed)
    print(format_comparison(result))
    return 0


def _cmd_train(args):
    from .analyzer import Analyzer
    from .data import load_corpus
    from .persistence import save_model

    from ._atomic import check_output_path

    check_output_path(args.output)  # before the training, not after it
    splits = tuple(s.strip() for s in args.splits.split(",") if s.strip())
    if not splits:
        raise ValueError(f"--splits: expected comma-separated split names, found {args.splits!r}")
    corpus = load_corpus(args.corpus)
    model = Analyzer(train_splits=splits).fit(corpus)
    save_model(model, args.output, metadata={"corpus_sha256": corpus.sha256, "corpus": str(corpus.path)})
    print(f"saved {args.output} (trained on {','.join(splits)} of {corpus.path})")
    return 0


def _cmd_predict(args):
    import io

    if args.n_jobs == 0 or args.n_jobs < -1:
        raise ValueError(f"--n-jobs must be a positive number of processes or -1 (every core), got {args.n_jobs}")
    warm_up = None
    from ._predict import use_fork

    # --explain needs the model's weights and feature names; a Dask cluster is sent the model itself
    compiled = not (args.no_compile or args.explain or args.scheduler)
    if args.n_jobs != 1 and not args.scheduler and not use_fork():
        from ._predict import start_workers

        # first thing: the workers import their modules while this process loads the model
        warm_up = start_workers(args.n_jobs, compiled=compiled)
    from ._predict import freeze_startup_heap, load_for_prediction, predict_stream

    log = None if args.quiet else (lambda msg: print(msg, file=sys.stderr))
    if args.scheduler:
        from ._dask import require_distributed

        try:
            require_distributed()
        except ImportError as exc:
            print(f"stancekit: error: {exc}", file=sys.stderr)
            return 2
    if args.output not in (None, "-"):
        from ._atomic import check_output_path

        check_output_path(args.output)  # before the model is loaded and the input read
    model, _ = load_for_prediction(args.model, log, compiled=compiled)
    freeze_startup_heap()
    if warm_up is not None:
        warm_up.join()
    run = {"source": None, "strict": args.strict, "explain": args.explain, "n_jobs": args.n_jobs,
           "scheduler": args.scheduler}
    if args.input in (None, "-"):
        infile, source = sys.stdin.buffer, "<stdin>"
    else:
        from .data._jsonl import check_readable_file

        source = check_readable_file(args.input)
        infile = open(source, "rb")
    run["source"] = source
    try:
        if args.output in (None, "-"):
            outfile = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n", write_through=True)
            n, failed = predict_stream(model, infile, outfile, **run)
            outfile.flush()
            outfile.detach()
        else:
            from ._atomic import atomic_text_writer

            with atomic_text_writer(args.output) as outfile:
                n, failed = predict_stream(model, infile, outfile, **run)
    finally:
        if infile is not sys.stdin.buffer:
            infile.close()
    if failed:
        print(f"stancekit: {failed} of {n} input lines failed (error records written in their place)",
              file=sys.stderr)
        return 1
    return 0


def _cmd_bench(args):
    from .bench import run_from_args

    return run_from_args(args)


CLUSTER_HELP = ("run on a Dask cluster through joblib's Dask backend (scheduler address, e.g. tcp://host:8786); "
                "needs pip install 'stancekit[dask]'")


def build_parser():
    parser = argparse.ArgumentParser(prog="stancekit", description=__doc__)
    from . import __version__

    parser.add_argument("--version", action="version", version=f"stancekit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="run one experiment config and write its run folder")
    p.add_argument("config", help="TOML experiment config")
    p.add_argument("--output-dir", help="run folder (default: runs/<config name>)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing run folder")
    p.add_argument("--quiet", action="store_true", help="no progress messages on stderr")
    p.add_argument("--data-dir", help="folder holding external datasets (overrides data.data_dir and STANCEKIT_DATA)")
    p.add_argument("--scheduler", metavar="ADDRESS", help=CLUSTER_HELP + "; folds, curve points and grid "
                   "candidates become cluster tasks")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("benchmark", help="run every config in experiments/ and print one results table")
    p.add_argument("--experiments",
                   help="folder of configs (default: ./experiments, else the installed benchmark configs)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--readme", help="also write the table between the benchmark markers of this file")
    p.add_argument("--n-jobs", type=int, default=None,
                   help="configs run in parallel (default 2; with --scheduler, the whole cluster); results do not "
                        "depend on it")
    p.add_argument("--scheduler", metavar="ADDRESS", help=CLUSTER_HELP)
    p.set_defaults(default_n_jobs=2)
    p.set_defaults(func=_cmd_benchmark)

    p = sub.add_parser("ablation", help="run a folder of configs and tabulate each against the TF-IDF baseline")
    p.add_argument("folder", nargs="?", default="experiments/ablation")
    p.add_argument("--output-dir", default="runs/ablation")
    p.add_argument("--n-jobs", type=int, default=None, help="configs run in parallel (default 1; with --scheduler, "
                                                             "the whole cluster)")
    p.add_argument("--scheduler", metavar="ADDRESS", help=CLUSTER_HELP)
    p.set_defaults(default_n_jobs=1)
    p.add_argument("--overwrite", action="store_true",
                   help="re-run every config (without it, a run folder of the same config is reused and one of an "
                        "edited config is replaced)")
    p.add_argument("--resamples", type=int, default=2000)
    p.add_argument("--documents", metavar="PREFIXES",
                   help="comma-separated document-id prefixes: tabulate only those test documents (e.g. a batch "
                        "added later); with --readme the table goes between <!-- ablation-PREFIX-...:start/end -->")
    p.add_argument("--readme", help="also write the table between the ablation markers of this file")
    p.set_defaults(func=_cmd_ablation)

    p = sub.add_parser("replicate", help="run the external-benchmark configs and print the results table")
    p.add_argument("folder", nargs="?", default="experiments/external")
    p.add_argument("--data-dir", help="folder holding the public datasets (default: STANCEKIT_DATA)")
    p.add_argument("--output-dir", default="runs/external")
    p.add_argument("--n-jobs", type=int, default=None, help="configs run in parallel (default 1; with --scheduler, "
                                                             "the whole cluster)")
    p.add_argument("--scheduler", metavar="ADDRESS", help=CLUSTER_HELP)
    p.set_defaults(default_n_jobs=1)
    p.add_argument("--overwrite", action="store_true")
    p.add_argument("--readme", help="also write the table between the external markers of this file")
    p.set_defaults(func=_cmd_replicate)

    p = sub.add_parser("compare", help="paired bootstrap and randomisation test of two runs on the same items")
    p.add_argument("run_a")
    p.add_argument("run_b")
    p.add_argument("--split", default="test")
    p.add_argument("--metric", default="macro_f1",
                   help="macro_f1 or accuracy (0-1), or a task metric in percent as in metrics.json: semeval_f_avg, "
                        "f1_checkworthy, f1_hedged (default: macro_f1)")
    p.add_argument("--resamples", type=int, default=2000)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=_cmd_compare)

    p = sub.add_parser("report", help="Markdown report (and PNG plots with the plots extra) for run folders")
    p.add_argument("runs", nargs="+", help="run folders written by 'stancekit run'")
    p.add_argument("--output-dir", default="reports", help="where report.md and the plots go")
    p.add_argument("--no-plots", action="store_true")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("train", help="train the four-layer Analyzer and save it (skops)")
    p.add_argument("--output", required=True, help="model file to write")
    p.add_argument("--corpus", default=None, help="corpus directory (default: the included corpus)")
    p.add_argument("--splits", default="train,dev", help="comma-separated splits to train on")
    p.set_defaults(func=_cmd_train)

    p = sub.add_parser("predict", help="label JSON Lines ({id?, text, target?}) with all layers")
    p.add_argument("--model", help="model file from 'stancekit train' (default: a cached model of the corpus)")
    p.add_argument("--input", default="-", help="input JSON Lines file, or - for stdin")
    p.add_argument("--output", default="-", help="output JSON Lines file, or - for stdout")
    p.add_argument("--strict", action="store_true", help="stop at the first bad input line")
    p.add_argument("--explain", action="store_true",
                   help="add per-layer top features for and against each label, and the cue spans that fired")
    p.add_argument("--n-jobs", type=int, default=1,
                   help="label chunks in this many processes (-1: one per core); output order and content unchanged")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="label chunks on a Dask cluster (scheduler address, e.g. tcp://host:8786); "
                        "needs pip install 'stancekit[dask]'")
    p.add_argument("--no-compile", action="store_true",
                   help="label with the loaded model itself rather than its compiled form (the same output; "
                        "the compiled form, cached per model file, starts without importing scikit-learn)")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=_cmd_predict)

    p = sub.add_parser("bench", help="performance benchmark: fit time, throughput against TF-IDF + LR, memory, "
                                     "scaling; also written as JSON")
    from .bench import add_arguments as add_bench_arguments

    add_bench_arguments(p)
    p.set_defaults(func=_cmd_bench)

    p = sub.add_parser("corpus", help="validate, describe or build a corpus")
    csub = p.add_subparsers(dest="corpus_command", required=True)
    for name, text in (("stats", "print per-layer and per-split statistics"),
                       ("validate", "load and validate every record")):
        q = csub.add_parser(name, help=text)
        q.add_argument("path", nargs="?", default=None, help="corpus directory (default: the included corpus)")
    q = csub.choices["stats"]
    q.add_argument("--documents", metavar="PREFIXES", help="comma-separated document-id prefixes: only those")
    q = csub.add_parser("sample", help="draw the blind second-annotation sample (stratified by document)")
    q.add_argument("path", nargs="?", default=None)
    q.add_argument("--fraction", type=_sample_fraction, default=0.17)
    q.add_argument("--seed", type=int, default=2026)
    q = csub.add_parser("overlap", help="near-duplicate check: each query sentence's highest TF-IDF cosine to "
                                        "the reference sentences")
    q.add_argument("path", nargs="?", default=None)
    q.add_argument("--split", choices=("train", "dev", "test"),
                   help="query sentences of this split (default: test, unless --documents is given)")
    q.add_argument("--documents", metavar="PREFIXES", help="query sentences of these documents (id prefixes)")
    q.add_argument("--against", choices=("train", "dev", "test"),
                   help="reference split (default: every other document)")
    q = csub.add_parser("packets", help="unlabelled texts of the blind sample for a second annotator")
    q.add_argument("path", nargs="?", default=None)
    q.add_argument("--documents", metavar="PREFIXES", help="comma-separated document-id prefixes: only those")
    q.add_argument("--parts", type=_positive_int, default=1, help="split the documents into this many packets")
    q.add_argument("--output", required=True, help="folder for packet_N.md")
    q = csub.add_parser("agreement", help="Cohen's kappa and cue F1 between the first and second annotator")
    q.add_argument("path", nargs="?", default=None)
    q.add_argument("--json", action="store_true", help="print every figure and disagreement as JSON")
    q.add_argument("--documents", metavar="PREFIXES", help="comma-separated document-id prefixes: only those documents")
    q = csub.add_parser("build", help="build documents.jsonl and sentences.jsonl from raw/ files")
    q.add_argument("path", nargs="?", default=None)
    q.add_argument("--check", action="store_true", help="report problems, write nothing")
    q.add_argument("--prefix", action="append", help="only documents whose id starts with this")
    q.add_argument("--new-split", choices=("train", "dev", "test"),
                   help="documents not yet in raw/splits.json all go to this split (default: stratified by topic)")
    p.set_defaults(func=_cmd_corpus)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return args.func(args) or 0
    except (ValueError, OSError, KeyError) as exc:
        print(f"stancekit: error: {exc}", file=sys.stderr)
        return 2
