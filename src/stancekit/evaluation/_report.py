"""Markdown reports and PNG plots for run folders (plots need the ``plots`` extra: matplotlib)."""

from pathlib import Path

from ._runs import load_run

SPLIT_ORDER = ("test", "dev", "cv")


def _have_matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _plots(run, name, out_dir):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    files = []
    metrics = run["metrics"]
    split = next((s for s in SPLIT_ORDER if s in metrics), None)
    if split:
        m = metrics[split]
        cm = np.asarray(m["confusion_matrix"])
        fig, ax = plt.subplots(figsize=(1.2 + 0.9 * len(cm), 1.0 + 0.8 * len(cm)))
        ax.imshow(cm, cmap="Blues")
        ax.set_xticks(range(len(m["labels"])), m["labels"], rotation=45, ha="right")
        ax.set_yticks(range(len(m["labels"])), m["labels"])
        ax.set_xlabel("predicted")
        ax.set_ylabel("gold")
        for (i, j), v in np.ndenumerate(cm):
            ax.text(j, i, str(v), ha="center", va="center", color="white" if v > cm.max() / 2 else "black")
        ax.set_title(f"{name}: confusion matrix ({split})")
        fig.tight_layout()
        path = out_dir / f"{name}_confusion.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        files.append(path)
        fig, ax = plt.subplots(figsize=(5, 3))
        labels = m["labels"]
        ax.bar(labels, [m["per_class"][lab]["f1"] for lab in labels], color="#4c72b0")
        ax.set_ylim(0, 1)
        ax.set_ylabel("F1")
        ax.set_title(f"{name}: per-class F1 ({split})")
        plt.setp(ax.get_xticklabels(), rotation=30, ha="right")
        fig.tight_layout()
        path = out_dir / f"{name}_per_class_f1.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        files.append(path)
    curve = metrics.get("learning_curve")
    if curve:
        fig, ax = plt.subplots(figsize=(5, 3.2))
        for split in [s for s in ("dev", "test") if s in curve[0]]:
            ax.plot([p["documents"] for p in curve], [p[split]["macro_f1"] for p in curve], marker="o", label=split)
        ax.set_xlabel("training documents")
        ax.set_ylabel("macro-F1")
        ax.set_title(f"{name}: learning curve")
        ax.legend()
        ax.grid(alpha=0.3)
        fig.tight_layout()
        path = out_dir / f"{name}_learning_curve.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        files.append(path)
    return files


def learning_curve_table(runs):
    """Markdown: macro-F1 at each training size, one column per run (layer)."""
    rows, cols = {}, []
    for run in runs:
        curve = run["metrics"].get("learning_curve")
        if not curve:
            continue
        col = run["metrics"]["layer"]
        cols.append(col)
        for p in curve:
            split = "test" if "test" in p else "dev"
            rows.setdefault(p["fraction"], {})[col] = (p["documents"], p[split]["macro_f1"], split)
    if not cols:
        return ""
    lines = ["| share of training documents | " + " | ".join(f"{c} macro-F1" for c in cols) + " |",
             "|---:|" + "---:|" * len(cols)]
    for frac in sorted(rows):
        cells = [f"{rows[frac][c][1]:.3f}" if c in rows[frac] else "" for c in cols]
        docs = next(iter(rows[frac].values()))[0]
        lines.append(f"| {frac:.0%} ({docs} docs) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_report(run_dirs, out_dir, *, plots=True):
    """Write ``report.md`` (and PNG plots when matplotlib is installed) for one or more run folders."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    runs = [load_run(d) for d in run_dirs]
    lines = ["# stancekit report", "", "| run | layer | split | accuracy | macro-F1 | 95 % CI | kappa |",
             "|---|---|---|---:|---:|---|---:|"]
    for run in runs:
        m = run["metrics"]
        for split in [s for s in SPLIT_ORDER if s in m]:
            s = m[split]
            ci = s.get("ci95", {}).get("macro_f1")
            ci_text = f"[{ci[0]:.3f}, {ci[1]:.3f}]" if ci else ""
            lines.append(f"| {m.get('name', run['path'].name)} | {m['layer']} | {split} | {s['accuracy']:.3f} | "
                         f"{s['macro_f1']:.3f} | {ci_text} | {s.get('cohen_kappa', 0):.3f} |")
    for run in runs:
        m = run["metrics"]
        split = next((s for s in SPLIT_ORDER if s in m), None)
        if not split:
            continue
        s = m[split]
        lines += ["", f"## {m.get('name', run['path'].name)} ({split})", "",
                  "| label | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
        for lab in s["labels"]:
            c = s["per_class"][lab]
            lines.append(f"| {lab} | {c['precision']:.3f} | {c['recall']:.3f} | {c['f1']:.3f} | {c['support']} |")
        lines += ["", "Confusion matrix (rows gold, columns predicted): " + ", ".join(s["labels"]), "", "```"]
        lines += ["  ".join(f"{v:5d}" for v in row) for row in s["confusion_matrix"]]
        lines += ["```"]
    curve = learning_curve_table(runs)
    if curve:
        lines += ["", "## Learning curves", "", curve]
    images = []
    if plots and _have_matplotlib():
        for run in runs:
            images += _plots(run, run["metrics"].get("name", run["path"].name), out_dir)
        lines += ["", "## Plots", ""] + [f"![{p.stem}]({p.name})" for p in images]
    elif plots:
        lines += ["", "(plots skipped: install the plots extra, `pip install 'stancekit[plots]'`)"]
    (out_dir / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out_dir / "report.md", images
