"""Corpus statistics, as printed by ``stancekit corpus stats`` and in the dataset card."""

from collections import Counter

from ._vocab import LAYER_LABELS, PHENOMENA, SENTENCE_LAYERS, SPLITS


def corpus_stats(corpus):
    """Return a nested dict of counts per split, layer, label, topic, region and phenomenon."""
    stats = {"documents": {}, "sentences": {}, "pairs": {}, "layers": {}, "topics": Counter(),
             "regions": Counter(), "phenomena": Counter(), "hedge_cues": 0}
    for split in SPLITS + ("all",):
        sel = None if split == "all" else split
        rows = corpus.filter(split=sel)
        stats["documents"][split] = len({s["doc_id"] for s in rows})
        stats["sentences"][split] = len(rows)
        stats["pairs"][split] = sum(len(s["stance"]) for s in rows)
        for layer in SENTENCE_LAYERS:
            stats["layers"].setdefault(layer, {})[split] = Counter(s[layer] for s in rows)
        stats["layers"].setdefault("stance", {})[split] = Counter(
            item["label"] for s in rows for item in s["stance"])
    for doc in corpus.documents.values():
        stats["topics"][doc["topic"]] += 1
        stats["regions"][doc["region"]] += 1
    for s in corpus.sentences:
        stats["phenomena"].update(s.get("phenomena", ()))
        stats["hedge_cues"] += len(s["hedge_cues"])
    return stats


def format_stats(stats):
    """Render :func:`corpus_stats` output as Markdown tables."""
    cols = SPLITS + ("all",)
    out = ["| | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(cols)]
    for key in ("documents", "sentences", "pairs"):
        out.append(f"| {key} | " + " | ".join(str(stats[key][c]) for c in cols) + " |")
    out.append("")
    for layer, labels in LAYER_LABELS.items():
        unit = "pairs" if layer == "stance" else "sentences"
        out.append(f"**{layer}** (share of {unit})\n")
        out.append("| label | " + " | ".join(cols) + " |")
        out.append("|---|" + "---:|" * len(cols))
        for label in labels:
            cells = []
            for c in cols:
                n = stats["layers"][layer][c][label]
                total = stats[unit][c] or 1
                cells.append(f"{n} ({100 * n / total:.1f} %)")
            out.append(f"| {label} | " + " | ".join(cells) + " |")
        out.append("")
    out.append(f"hedge cue spans: {stats['hedge_cues']}\n")
    for key, head, order in (("topics", "topic", None), ("regions", "region", None),
                             ("phenomena", "phenomenon", PHENOMENA)):
        out.append(f"| {head} | count |")
        out.append("|---|---:|")
        names = order if order else sorted(stats[key])
        for name in names:
            out.append(f"| {name} | {stats[key][name]} |")
        out.append("")
    return "\n".join(out)
