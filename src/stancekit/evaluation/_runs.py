"""Reading run folders and comparing two runs on the same items."""

import json
from pathlib import Path

from ..data._corpus import describe_documents
from ._significance import approximate_randomization, paired_bootstrap


def load_run(path):
    """A run folder as a dict: ``config`` (text), ``metrics``, ``predictions`` (list of dicts), ``path``."""
    path = Path(path)
    if not path.is_dir():
        raise FileNotFoundError(f"{path}: not a run folder (expected a directory written by 'stancekit run')")
    for name in ("metrics.json", "predictions.jsonl"):
        if not (path / name).is_file():
            raise FileNotFoundError(f"{path}: run folder has no {name}")
    preds = [json.loads(line) for line in (path / "predictions.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    return {"path": path, "metrics": json.loads((path / "metrics.json").read_text(encoding="utf-8")),
            "predictions": preds}


def document_of(item_id):
    """Document id of a prediction id ('<doc>-sNN' or '<doc>-sNN|<target>')."""
    return str(item_id).split("|", 1)[0].rsplit("-s", 1)[0]


def _label(value):
    return json.dumps(value) if isinstance(value, list) else value


def _where(split, documents):
    return f"split '{split}'" + (f" ({describe_documents(documents)})" if documents else "")


def in_documents(item_id, documents):
    """Whether the item's document id starts with one of the prefixes in *documents* (``None``: every item)."""
    return documents is None or document_of(item_id).startswith(tuple(documents))


def aligned(run_a, run_b, split, documents=None):
    a = {p["id"]: p for p in run_a["predictions"] if p["split"] == split and in_documents(p["id"], documents)}
    b = {p["id"]: p for p in run_b["predictions"] if p["split"] == split and in_documents(p["id"], documents)}
    if not a or not b:
        which = "both runs" if not a and not b else "one run"
        raise ValueError(f"{_where(split, documents)} has no predictions in {which} "
                         f"({run_a['path']}, {run_b['path']})")
    if set(a) != set(b):
        missing = sorted(set(a) ^ set(b))[:3]
        raise ValueError(f"the runs did not predict the same items on '{split}' (e.g. {missing}); "
                         "compare runs of the same layer and corpus")
    ids = sorted(a)
    for i in ids:
        if a[i]["gold"] != b[i]["gold"]:
            raise ValueError(f"item {i}: gold labels differ between the runs ({a[i]['gold']!r} vs {b[i]['gold']!r})")
    gold = [_label(a[i]["gold"]) for i in ids]
    return ids, gold, [_label(a[i]["pred"]) for i in ids], [_label(b[i]["pred"]) for i in ids]


def compare_runs(run_a, run_b, *, split="test", metric="macro_f1", n_resamples=2000, seed=0, documents=None):
    """Paired bootstrap (by document) and approximate randomisation of ``metric(B) - metric(A)``.

    *documents*, a sequence of document-id prefixes, restricts the comparison to those documents' items.
    """
    if not isinstance(run_a, dict):
        run_a = load_run(run_a)
    if not isinstance(run_b, dict):
        run_b = load_run(run_b)
    ids, gold, pa, pb = aligned(run_a, run_b, split, documents)
    groups = [document_of(i) for i in ids]
    boot = paired_bootstrap(gold, pa, pb, metric=metric, n_resamples=n_resamples, seed=seed, groups=groups)
    ar = approximate_randomization(gold, pa, pb, metric=metric, n_resamples=n_resamples, seed=seed)
    return {"split": split, "metric": metric, "items": len(ids), "a": str(run_a["path"]), "b": str(run_b["path"]),
            "score_a": boot["a"], "score_b": boot["b"], "difference": boot["difference"], "ci95": boot["ci95"],
            "p_bootstrap": boot["p_value"], "p_randomization": ar["p_value"], "n_resamples": n_resamples}


def format_comparison(c):
    return (f"{c['metric']} on {c['split']} ({c['items']} items)\n"
            f"  A {c['a']}: {c['score_a']:.4f}\n"
            f"  B {c['b']}: {c['score_b']:.4f}\n"
            f"  B - A = {c['difference']:+.4f}, 95 % CI [{c['ci95'][0]:+.4f}, {c['ci95'][1]:+.4f}] "
            f"(paired bootstrap over documents, {c['n_resamples']} resamples)\n"
            f"  p (paired bootstrap) = {c['p_bootstrap']:.4f}; p (approximate randomisation) = "
            f"{c['p_randomization']:.4f}")


def run_scores(run, *, split="test", documents=None, n_resamples=1000, seed=0, by_document=True):
    """Accuracy and macro-F1 with document-bootstrap 95 % intervals, recomputed from a run's predictions
    (restricted to the documents whose ids start with a prefix in *documents*)."""
    from ._metrics import classification_metrics

    preds = [p for p in run["predictions"] if p["split"] == split and in_documents(p["id"], documents)]
    if not preds:
        raise ValueError(f"{run['path']}: {_where(split, documents)} has no predictions")
    return classification_metrics([_label(p["gold"]) for p in preds], [_label(p["pred"]) for p in preds],
                                  labels=run["metrics"][split].get("labels"), n_resamples=n_resamples, seed=seed,
                                  groups=[document_of(p["id"]) for p in preds] if by_document else None)
