"""Running an experiment config: build the estimator, evaluate, write the run folder."""

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import FeatureUnion, Pipeline

from .. import __version__
from ..data import LAYER_LABELS, load_corpus
from ..evaluation import classification_metrics
from ..features import PairVectorizer, SentenceSide
from ._config import config_hash, config_to_toml
from ._registry import PAIR_FEATURIZERS, SENTENCE_SIDE_FEATURIZERS, grid_values, make_classifier, make_featurizer


def build_estimator(cfg):
    """Build the (unfitted) scikit-learn pipeline a resolved config describes."""
    seed = cfg["seed"]
    clf = make_classifier(cfg["classifier"]["name"], cfg["classifier"]["params"], seed)
    stance = cfg["data"]["layer"] == "stance"
    text, pair = [], []
    for i, f in enumerate(cfg["features"]):
        step = (f"{i}_{f['name']}", make_featurizer(f["name"], f["params"]))
        if stance and f["name"] in SENTENCE_SIDE_FEATURIZERS:
            pair.append((step[0], SentenceSide(transformer=step[1])))
        else:
            (pair if f["name"] in PAIR_FEATURIZERS else text).append(step)
    if not text and not pair:
        return Pipeline([("clf", clf)])
    union = None
    if text:
        union = text[0][1] if len(text) == 1 else FeatureUnion(text)
    if stance:
        steps = ([("pairs", PairVectorizer(vectorizer=union, **cfg["pairs"]))] if union is not None else []) + pair
        features = steps[0][1] if len(steps) == 1 else FeatureUnion(steps)
        return Pipeline([("features", features), ("clf", clf)])
    return Pipeline([("features", union), ("clf", clf)])


def layer_items(corpus, layer, splits):
    """``(X, y, groups, ids)`` for a layer; ids are sentence ids, or 'sentence|target' for stance."""
    rows = corpus.filter(split=splits)
    X, y, groups, ids = [], [], [], []
    if layer == "stance":
        for s in rows:
            targets = {t["id"]: t["text"] for t in corpus.documents[s["doc_id"]]["targets"]}
            for item in s["stance"]:
                X.append((s["text"], targets[item["target"]]))
                y.append(item["label"])
                groups.append(s["doc_id"])
                ids.append(f"{s['id']}|{item['target']}")
    else:
        for s in rows:
            X.append(s["text"])
            y.append(s[layer])
            groups.append(s["doc_id"])
            ids.append(s["id"])
    return X, y, groups, ids


class DataSource:
    """What the runner needs from a corpus or an external dataset: items per split, labels, checksums."""

    def __init__(self, cfg, corpus=None):
        data = cfg["data"]
        self.layer = data["layer"]
        if data["dataset"]:
            from ..data.external import load_external

            self.dataset = load_external(data["dataset"], data_dir=data["data_dir"] or None, **data["options"])
            if self.dataset.layer != self.layer:
                raise ValueError(f"config key 'data.layer': dataset '{data['dataset']}' is a "
                                 f"'{self.dataset.layer}' dataset, the config says '{self.layer}'")
            self.corpus = None
            self.labels = self.dataset.labels()
            self.path = self.dataset.source_dir
            self.checksums = _folder_checksums(self.path)
        else:
            self.dataset = None
            self.corpus = corpus or load_corpus(data["corpus"])
            self.labels = list(LAYER_LABELS.get(self.layer, LAYER_LABELS["hedging"]))
            self.path = self.corpus.path
            self.checksums = dict(self.corpus.checksums)

    @property
    def sha256(self):
        from ..data._corpus import combined_sha256

        return combined_sha256(self.checksums)

    def items(self, splits):
        if self.corpus is not None:
            return layer_items(self.corpus, self.layer, list(splits))
        return external_items(self.dataset, splits)


def external_items(dataset, splits):
    X, y, groups, ids = [], [], [], []
    for item in dataset.items:
        if item["split"] in splits:
            X.append((item["text"], item["target"]) if dataset.layer == "stance" else item["text"])
            y.append(item["label"])
            groups.append(item["group"])
            ids.append(item["id"])
    return X, y, groups, ids


def _folder_checksums(folder):
    from ..data._corpus import file_sha256

    return {p.name: file_sha256(p) for p in sorted(Path(folder).iterdir()) if p.is_file()}


def data_fingerprint(cfg, data_sha256=None):
    """SHA-256 over the checksums of every data file a run of *cfg* reads: its corpus or dataset folder and,
    for a cross-dataset evaluation, the other one. A run may be reused only while this is unchanged.

    *data_sha256*, the combined checksum of the corpus or dataset when the caller has it already (a
    :class:`DataSource`'s ``sha256``), saves hashing those files again."""
    from ..data import resolve_corpus_path
    from ..data._corpus import DOCUMENTS_FILE, SENTENCES_FILE, combined_sha256, file_sha256
    from ..data.external import EXTERNAL_FOLDERS
    from ..data.external._common import dataset_dir

    data = cfg["data"]

    def checksums(name):
        folder = EXTERNAL_FOLDERS.get(name) or (name if name in EXTERNAL_FOLDERS.values() else None)
        if folder:
            return _folder_checksums(dataset_dir(name, folder, data["data_dir"] or None))
        root = resolve_corpus_path(name)
        return {f: file_sha256(root / f) for f in (DOCUMENTS_FILE, SENTENCES_FILE)}

    parts = {"data": data_sha256 or combined_sha256(checksums(data["dataset"] or data["corpus"]))}
    if data.get("cross_dataset"):
        parts["cross"] = combined_sha256(checksums(data["cross_dataset"]))
    return combined_sha256(parts)


def package_versions():
    import joblib
    import nltk
    import scipy
    import skops
    import sklearn

    return {"stancekit": __version__, "python": platform.python_version(), "numpy": np.__version__,
            "scipy": scipy.__version__, "scikit-learn": sklearn.__version__, "joblib": joblib.__version__,
            "nltk": nltk.__version__, "skops": skops.__version__}


def git_commit():
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5,
                             cwd=Path(__file__).resolve().parent)
        return out.stdout.strip() or None if out.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        return None


def _metrics(cfg, y_true, y_pred, groups, labels):
    ev = cfg["evaluation"]
    from ..evaluation import task_scores

    m = classification_metrics(y_true, y_pred, labels=labels, n_resamples=ev["bootstrap"], seed=cfg["seed"],
                               groups=groups if ev["bootstrap_by_document"] else None)
    task = task_scores(y_true, y_pred, labels)
    m.update(task)
    if task and ev["bootstrap"]:
        from ..evaluation._metrics import bootstrap_ci

        fns = {name: (lambda t, p, name=name: task_scores(t, p, labels)[name]) for name in task}
        ci = bootstrap_ci(y_true, y_pred, labels, n_resamples=ev["bootstrap"], seed=cfg["seed"],
                          groups=groups if ev["bootstrap_by_document"] else None, extra=fns)
        for name in task:
            m["ci95"][name] = ci[name]
    return m


def _progress(quiet, message):
    if not quiet and sys.stderr.isatty():
        print(f"stancekit: {message}", file=sys.stderr, flush=True)


def _fit(cfg, X, y, groups):
    """Fit the config's estimator; with a [search] grid, pick its parameters by grouped CV on the data."""
    est = build_estimator(cfg)
    grid = cfg["search"]["grid"]
    if not grid:
        return est.fit(X, y), None
    from sklearn.model_selection import GridSearchCV

    cv = StratifiedGroupKFold(n_splits=cfg["search"]["cv_folds"], shuffle=True, random_state=cfg["seed"])
    search = GridSearchCV(est, grid_values(grid), scoring=cfg["search"]["scoring"], cv=cv,
                          n_jobs=cfg["evaluation"]["n_jobs"], refit=True, error_score="raise")
    search.fit(X, y, groups=groups)
    info = {"best_params": {k: _plain(v) for k, v in search.best_params_.items()},
            "best_score": round(float(search.best_score_), 6), "scoring": cfg["search"]["scoring"],
            "candidates": [{"params": {k: _plain(v) for k, v in p.items()}, "mean_score": round(float(m), 6)}
                           for p, m in zip(search.cv_results_["params"], search.cv_results_["mean_test_score"])]}
    return search.best_estimator_, info


def _plain(v):
    return list(v) if isinstance(v, tuple) else v


def _cv_fold(cfg, X, y, tr, te):
    est = build_estimator(cfg).fit([X[i] for i in tr], [y[i] for i in tr])
    return list(est.predict([X[i] for i in te]))


def _curve_point(cfg, X, y, groups, doc_order, fraction, evals, labels):
    n_docs = max(1, int(round(fraction * len(doc_order))))
    keep = set(doc_order[:n_docs])
    idx = [i for i, g in enumerate(groups) if g in keep]
    est = build_estimator(cfg).fit([X[i] for i in idx], [y[i] for i in idx])
    point = {"fraction": fraction, "documents": n_docs, "items": len(idx)}
    for split, (Xe, ye, ge, _) in evals.items():
        m = classification_metrics(ye, list(est.predict(Xe)), labels=labels, n_resamples=0)
        point[split] = {"accuracy": m["accuracy"], "macro_f1": m["macro_f1"]}
    return point


def _cue_source(name, splits, cfg, corpus=None):
    """(texts, gold spans, gold labels, groups, ids) for the cue layer from the corpus or an external dataset."""
    from ..data.external import EXTERNAL_LOADERS, load_external

    if name in EXTERNAL_LOADERS:
        options = cfg["data"]["options"] if name == cfg["data"]["dataset"] else cfg["data"]["cross_options"]
        ds = load_external(name, data_dir=cfg["data"]["data_dir"] or None, **options)
        if not ds.has_cues:
            raise ValueError(f"config key 'data.layer': dataset '{name}' has no cue spans for 'hedge_cues'")
        rows = [i for i in ds.items if i["split"] in splits]
        return ([r["text"] for r in rows], [r["cues"] for r in rows], [r["label"] for r in rows],
                [r["group"] for r in rows], [r["id"] for r in rows])
    corpus = corpus if corpus is not None and name == cfg["data"]["corpus"] else load_corpus(name)
    rows = corpus.filter(split=list(splits))
    return ([s["text"] for s in rows], [s["hedge_cues"] for s in rows], [s["hedging"] for s in rows],
            [s["doc_id"] for s in rows], [s["id"] for s in rows])


def _score_cues(cfg, tagger_or_pred, texts, gold, labels, groups):
    from ..evaluation import cue_metrics

    pred = tagger_or_pred.predict(texts) if hasattr(tagger_or_pred, "predict") else tagger_or_pred
    y_pred = ["hedged" if p else "certain" for p in pred]
    m = _metrics(cfg, labels, y_pred, groups, list(LAYER_LABELS["hedging"]))
    m["cues"] = cue_metrics(texts, gold, pred)
    return m, pred, y_pred


def _cue_fold(cfg, texts, spans, tr, te):
    tagger = make_classifier(cfg["classifier"]["name"], cfg["classifier"]["params"], cfg["seed"])
    tagger.fit([texts[i] for i in tr], [spans[i] for i in tr])
    return tagger.predict([texts[i] for i in te])


def evaluate_cues(cfg, corpus=None):
    """Train a cue tagger; score it at cue level and, as a cascade (hedged iff a cue), at sentence level.

    Works on the corpus or on an external dataset with cue spans (``data.dataset``), with fixed
    splits, grouped cross-validation and a cross dataset (external, or the corpus by name).
    """
    data = cfg["data"]
    source = data["dataset"] or data["corpus"]
    metrics = {"layer": "hedge_cues", "name": cfg["name"]}
    predictions = []
    texts, spans, labels, groups, ids = _cue_source(source, data["train_splits"], cfg, corpus)
    if cfg["evaluation"]["fixed_split"]:
        tagger = make_classifier(cfg["classifier"]["name"], cfg["classifier"]["params"], cfg["seed"])
        tagger.fit(texts, spans)
        targets = [(split, source, [split]) for split in data["eval_splits"]]
        if data["cross_splits"]:
            key = data["cross_splits"][0] if len(data["cross_splits"]) == 1 else "all"
            targets.append((f"cross:{key}", data["cross_dataset"], data["cross_splits"]))
        for key, name, splits in targets:
            ev = _cue_source(name, splits, cfg, corpus)
            if not ev[0]:
                continue
            m, pred, y_pred = _score_cues(cfg, tagger, ev[0], ev[1], ev[2], ev[3])
            if key.startswith("cross:"):
                metrics.setdefault("cross", {"dataset": name})[key.split(":", 1)[1]] = m
            else:
                metrics[key] = m
            predictions += [{"split": key, "id": i, "gold": t, "pred": yp, "gold_cues": g, "pred_cues": p}
                            for i, t, yp, g, p in zip(ev[4], ev[2], y_pred, ev[1], pred)]
    folds = cfg["evaluation"]["cv_folds"]
    if folds:
        cv = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=cfg["seed"])
        parts = list(cv.split(texts, labels, groups))
        fold_preds = Parallel(n_jobs=cfg["evaluation"]["n_jobs"])(
            delayed(_cue_fold)(cfg, texts, spans, tr, te) for tr, te in parts)
        oof = [None] * len(texts)
        for (tr, te), pred in zip(parts, fold_preds):
            for i, p in zip(te, pred):
                oof[i] = p
        m, _, y_pred = _score_cues(cfg, oof, texts, spans, labels, groups)
        m["folds"] = folds
        metrics["cv"] = m
        predictions += [{"split": "cv", "id": i, "gold": t, "pred": yp, "gold_cues": g, "pred_cues": p}
                        for i, t, yp, g, p in zip(ids, labels, y_pred, spans, oof)]
    return metrics, predictions


def evaluate(cfg, corpus=None, *, quiet=True):
    """Run the evaluation a resolved config asks for. Returns (metrics, prediction records)."""
    layer = cfg["data"]["layer"]
    if layer == "hedge_cues":
        return evaluate_cues(cfg, corpus)
    source = DataSource(cfg, corpus)
    labels = source.labels
    metrics = {"layer": layer, "name": cfg["name"]}
    predictions = []
    n_jobs = cfg["evaluation"]["n_jobs"]
    X_tr, y_tr, g_tr, ids_tr = source.items(cfg["data"]["train_splits"])
    if not X_tr:
        raise ValueError(f"config key 'data.train_splits': no items in splits {cfg['data']['train_splits']}")
    evals = {}
    for split in cfg["data"]["eval_splits"]:
        items = source.items([split])
        if items[0]:
            evals[split] = items
    if cfg["evaluation"]["fixed_split"]:
        _progress(quiet, f"{cfg['name']}: fitting on {len(X_tr)} items")
        est, search = _fit(cfg, X_tr, y_tr, g_tr)
        if search:
            metrics["search"] = search
        for split, (X, y, g, ids) in evals.items():
            _progress(quiet, f"{cfg['name']}: scoring {split}")
            pred = list(est.predict(X))
            metrics[split] = _metrics(cfg, y, pred, g, labels)
            predictions += [{"split": split, "id": i, "gold": a, "pred": b} for i, a, b in zip(ids, y, pred)]
        if cfg["data"]["cross_dataset"]:
            from ..data.external import EXTERNAL_LOADERS, load_external

            name = cfg["data"]["cross_dataset"]
            if name in EXTERNAL_LOADERS:
                other = load_external(name, data_dir=cfg["data"]["data_dir"] or None, **cfg["data"]["cross_options"])
                get = lambda split: external_items(other, [split])  # noqa: E731
            else:
                other_corpus = load_corpus(name)
                get = lambda split: layer_items(other_corpus, layer, [split])  # noqa: E731
            metrics["cross"] = {"dataset": name}
            for split in cfg["data"]["cross_splits"]:
                X, y, g, ids = get(split)
                if not X:
                    raise ValueError(f"config key 'data.cross_splits': dataset '{name}' has no split '{split}'")
                pred = list(est.predict(X))
                metrics["cross"][split] = _metrics(cfg, y, pred, g, sorted(set(labels) | set(y)))
                predictions += [{"split": f"cross:{split}", "id": i, "gold": a, "pred": b}
                                for i, a, b in zip(ids, y, pred)]
    folds = cfg["evaluation"]["cv_folds"]
    if folds:
        seeds = cfg["evaluation"]["cv_seeds"] or [cfg["seed"]]
        _progress(quiet, f"{cfg['name']}: {folds}-fold grouped cross-validation"
                         + (f", fold seeds {seeds}" if cfg["evaluation"]["cv_seeds"] else ""))
        repeats = []
        for r, seed in enumerate(seeds):
            cv = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
            splits = list(cv.split(X_tr, y_tr, g_tr))
            fold_preds = Parallel(n_jobs=n_jobs)(delayed(_cv_fold)(cfg, X_tr, y_tr, tr, te) for tr, te in splits)
            fold_f1 = [classification_metrics([y_tr[i] for i in te], pred, labels=labels, n_resamples=0)["macro_f1"]
                       for (tr, te), pred in zip(splits, fold_preds)]
            repeats.append({"seed": seed, "fold_macro_f1": fold_f1, "fold_macro_f1_mean": float(round(np.mean(fold_f1), 6))})
            if r:
                continue
            # the first fold seed's out-of-fold predictions give the cv metrics and prediction records
            oof = [None] * len(y_tr)
            for k, ((tr, te), pred) in enumerate(zip(splits, fold_preds)):
                for i, p in zip(te, pred):
                    oof[i] = p
                predictions += [{"split": f"cv{k}", "id": ids_tr[i], "gold": y_tr[i], "pred": p}
                                for i, p in zip(te, pred)]
            metrics["cv"] = _metrics(cfg, y_tr, oof, g_tr, labels)
            metrics["cv"]["folds"] = folds
            metrics["cv"]["fold_macro_f1"] = fold_f1
            metrics["cv"]["fold_macro_f1_mean"] = repeats[0]["fold_macro_f1_mean"]
            metrics["cv"]["fold_macro_f1_std"] = float(round(np.std(fold_f1), 6))
        if cfg["evaluation"]["cv_seeds"]:
            every = [f for rep in repeats for f in rep["fold_macro_f1"]]
            metrics["cv"]["repeats"] = repeats
            metrics["cv"]["repeated_fold_macro_f1_mean"] = float(round(np.mean(every), 6))
    fractions = cfg["evaluation"]["learning_curve"]
    if fractions:
        _progress(quiet, f"{cfg['name']}: learning curve over {len(fractions)} training sizes")
        docs = sorted(set(g_tr))
        order = [docs[i] for i in np.random.default_rng(cfg["seed"]).permutation(len(docs))]
        points = Parallel(n_jobs=n_jobs)(delayed(_curve_point)(cfg, X_tr, y_tr, g_tr, order, float(f), evals, labels)
                                         for f in sorted(fractions))
        metrics["learning_curve"] = points
    return metrics, predictions


def _dump_json(obj):
    return json.dumps(obj, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def run_experiment(cfg, output_dir=None, *, overwrite=False, argv=None, corpus=None, quiet=True):
    """Evaluate a resolved config; write the run folder when *output_dir* is given. Returns metrics."""
    output_dir = None if output_dir is None else Path(output_dir)
    if output_dir is not None and output_dir.exists() and not overwrite:
        if (output_dir / "metrics.json").exists() or any(output_dir.iterdir()):
            raise FileExistsError(f"{output_dir}: a run folder already exists here; pass --overwrite to replace it")
    started = time.time()
    if cfg["data"]["dataset"]:
        source = DataSource(dict(cfg, data=dict(cfg["data"], layer="hedging"))) \
            if cfg["data"]["layer"] == "hedge_cues" else DataSource(cfg)
    else:
        corpus = corpus or load_corpus(cfg["data"]["corpus"])
        source = DataSource(dict(cfg, data=dict(cfg["data"], layer="hedging")), corpus) \
            if cfg["data"]["layer"] == "hedge_cues" else DataSource(cfg, corpus)
    metrics, predictions = evaluate(cfg, corpus, quiet=quiet)
    if output_dir is None:
        return metrics
    manifest = {
        "config_hash": config_hash(cfg), "seed": cfg["seed"], "corpus": str(source.path),
        "corpus_sha256": source.sha256, "data_files_sha256": source.checksums,
        "data_fingerprint": data_fingerprint(cfg, source.sha256),
        "package_versions": package_versions(), "command_line": list(sys.argv if argv is None else argv),
        "git_commit": git_commit(), "platform": platform.platform(),
        "started_unix": round(started, 3), "duration_seconds": round(time.time() - started, 3),
    }
    files = {
        "config.toml": config_to_toml(cfg),
        "manifest.json": _dump_json(manifest),
        "metrics.json": _dump_json(metrics),
        "predictions.jsonl": "".join(json.dumps(p, sort_keys=True, ensure_ascii=False) + "\n" for p in predictions),
    }
    write_run_folder(output_dir, files, overwrite=overwrite)
    return metrics


def write_run_folder(output_dir, files, *, overwrite=False):
    """Write all files into a temporary sibling folder, then rename it into place.

    An interrupted run leaves either the previous folder or nothing, never a
    half-written one. With *overwrite* the previous folder is first renamed
    aside to a hidden ``.<name>.old-<pid>`` sibling; should the process die
    before the new folder moves in, the next call finds ``<name>`` missing and
    restores that sibling before it starts. The final folder gets the usual
    permissions for a new directory (``0o777 & ~umask``), not mkdtemp's 0700.
    """
    output_dir = Path(output_dir)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    _restore_interrupted_swap(output_dir)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.", suffix=".tmp", dir=output_dir.parent))
    try:
        for name, text in files.items():
            with open(tmp / name, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o777 & ~_umask())
        if output_dir.exists():
            if not overwrite:
                raise FileExistsError(f"{output_dir}: a run folder already exists here; pass --overwrite")
            if _exchange(tmp, output_dir):  # one atomic swap: no moment without a run folder
                shutil.rmtree(tmp, ignore_errors=True)
                return
            old = output_dir.with_name(f".{output_dir.name}.old-{os.getpid()}")
            if old.exists():  # left by an earlier process with our pid whose swap completed
                shutil.rmtree(old)
            os.replace(output_dir, old)
            try:
                os.replace(tmp, output_dir)
            except BaseException:
                os.replace(old, output_dir)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, output_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _exchange(a, b):
    """Atomically exchange two paths (Linux ``renameat2(RENAME_EXCHANGE)``); False where unsupported."""
    import ctypes

    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return fn(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange) == 0


def _umask():
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _pid_alive(pid):
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, ValueError, OverflowError):  # no permission to signal it: it exists
        return True
    return True


def _restore_interrupted_swap(output_dir):
    """Move back a ``.<name>.old-<pid>`` folder left by a swap killed between its two renames."""
    if output_dir.exists() or output_dir.is_symlink():
        return
    prefix = f".{output_dir.name}.old-"
    orphans = []
    for p in output_dir.parent.iterdir():
        if not p.name.startswith(prefix) or not p.is_dir() or p.is_symlink():
            continue
        pid = p.name[len(prefix):]
        if pid.isdigit() and _pid_alive(int(pid)):
            continue  # another process is in the middle of its own swap
        orphans.append(p)
    if orphans:
        newest = max(orphans, key=lambda p: p.stat().st_mtime_ns)
        os.replace(newest, output_dir)
