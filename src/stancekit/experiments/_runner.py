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
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import FeatureUnion, Pipeline

from .. import __version__
from ..data import LAYER_LABELS, load_corpus
from ..evaluation import classification_metrics
from ..features import PairVectorizer
from ._config import config_hash, config_to_toml
from ._registry import PAIR_FEATURIZERS, make_classifier, make_featurizer


def build_estimator(cfg):
    """Build the (unfitted) scikit-learn pipeline a resolved config describes."""
    seed = cfg["seed"]
    clf = make_classifier(cfg["classifier"]["name"], cfg["classifier"]["params"], seed)
    text, pair = [], []
    for i, f in enumerate(cfg["features"]):
        step = (f"{i}_{f['name']}", make_featurizer(f["name"], f["params"]))
        (pair if f["name"] in PAIR_FEATURIZERS else text).append(step)
    if not text and not pair:
        return Pipeline([("clf", clf)])
    union = None
    if text:
        union = text[0][1] if len(text) == 1 else FeatureUnion(text)
    if cfg["data"]["layer"] == "stance":
        steps = ([("pairs", PairVectorizer(vectorizer=union))] if union is not None else []) + pair
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


def _metrics(cfg, y_true, y_pred, groups):
    ev = cfg["evaluation"]
    labels = list(LAYER_LABELS[cfg["data"]["layer"]])
    return classification_metrics(y_true, y_pred, labels=labels, n_resamples=ev["bootstrap"], seed=cfg["seed"],
                                  groups=groups if ev["bootstrap_by_document"] else None)


def evaluate_cues(cfg, corpus):
    """Train a cue tagger and score it at cue level and, as a cascade, at sentence level."""
    from ..evaluation import cue_metrics

    metrics = {"layer": "hedge_cues", "name": cfg["name"]}
    predictions = []
    texts, spans, _ = corpus.cue_view(cfg["data"]["train_splits"])
    tagger = make_classifier(cfg["classifier"]["name"], cfg["classifier"]["params"], cfg["seed"]).fit(texts, spans)
    for split in cfg["data"]["eval_splits"]:
        rows = corpus.filter(split=split)
        if not rows:
            continue
        ev_texts = [s["text"] for s in rows]
        pred = tagger.predict(ev_texts)
        gold = [s["hedge_cues"] for s in rows]
        y_true = [s["hedging"] for s in rows]
        y_pred = ["hedged" if p else "certain" for p in pred]
        m = _metrics(dict(cfg, data=dict(cfg["data"], layer="hedging")), y_true, y_pred, [s["doc_id"] for s in rows])
        m["cues"] = cue_metrics(ev_texts, gold, pred)
        metrics[split] = m
        predictions += [{"split": split, "id": s["id"], "gold": t, "pred": yp, "gold_cues": s["hedge_cues"],
                         "pred_cues": p} for s, p, t, yp in zip(rows, pred, y_true, y_pred)]
    return metrics, predictions


def evaluate(cfg, corpus):
    """Run the evaluation a resolved config asks for. Returns (metrics, prediction records)."""
    layer = cfg["data"]["layer"]
    if layer == "hedge_cues":
        return evaluate_cues(cfg, corpus)
    metrics = {"layer": layer, "name": cfg["name"]}
    predictions = []
    X_tr, y_tr, g_tr, ids_tr = layer_items(corpus, layer, cfg["data"]["train_splits"])
    if cfg["evaluation"]["fixed_split"]:
        est = build_estimator(cfg).fit(X_tr, y_tr)
        for split in cfg["data"]["eval_splits"]:
            X, y, g, ids = layer_items(corpus, layer, [split])
            if not X:
                continue
            pred = list(est.predict(X))
            metrics[split] = _metrics(cfg, y, pred, g)
            predictions += [{"split": split, "id": i, "gold": a, "pred": b} for i, a, b in zip(ids, y, pred)]
    folds = cfg["evaluation"]["cv_folds"]
    if folds:
        cv = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=cfg["seed"])
        oof = [None] * len(y_tr)
        fold_f1 = []
        for k, (tr, te) in enumerate(cv.split(X_tr, y_tr, g_tr)):
            est = build_estimator(cfg).fit([X_tr[i] for i in tr], [y_tr[i] for i in tr])
            pred = est.predict([X_tr[i] for i in te])
            for i, p in zip(te, pred):
                oof[i] = p
            fold_f1.append(classification_metrics([y_tr[i] for i in te], list(pred), n_resamples=0)["macro_f1"])
            predictions += [{"split": f"cv{k}", "id": ids_tr[i], "gold": y_tr[i], "pred": p} for i, p in zip(te, pred)]
        metrics["cv"] = _metrics(cfg, y_tr, oof, g_tr)
        metrics["cv"]["folds"] = folds
        metrics["cv"]["fold_macro_f1"] = fold_f1
        metrics["cv"]["fold_macro_f1_mean"] = float(round(np.mean(fold_f1), 6))
        metrics["cv"]["fold_macro_f1_std"] = float(round(np.std(fold_f1), 6))
    return metrics, predictions


def _dump_json(obj):
    return json.dumps(obj, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def run_experiment(cfg, output_dir=None, *, overwrite=False, argv=None, corpus=None):
    """Evaluate a resolved config; write the run folder when *output_dir* is given. Returns metrics."""
    output_dir = None if output_dir is None else Path(output_dir)
    if output_dir is not None and output_dir.exists() and not overwrite:
        if (output_dir / "metrics.json").exists() or any(output_dir.iterdir()):
            raise FileExistsError(f"{output_dir}: a run folder already exists here; pass --overwrite to replace it")
    corpus = corpus or load_corpus(cfg["data"]["corpus"])
    started = time.time()
    metrics, predictions = evaluate(cfg, corpus)
    if output_dir is None:
        return metrics
    manifest = {
        "config_hash": config_hash(cfg), "seed": cfg["seed"], "corpus": str(corpus.path),
        "corpus_sha256": corpus.sha256, "data_files_sha256": corpus.checksums,
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
    half-written one.
    """
    output_dir = Path(output_dir)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.", suffix=".tmp", dir=output_dir.parent))
    try:
        for name, text in files.items():
            with open(tmp / name, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
        if output_dir.exists():
            if not overwrite:
                raise FileExistsError(f"{output_dir}: a run folder already exists here; pass --overwrite")
            old = output_dir.with_name(f".{output_dir.name}.old-{os.getpid()}")
            os.replace(output_dir, old)
            os.replace(tmp, output_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, output_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
