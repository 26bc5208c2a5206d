"""Corpus statistics, as printed by ``stancekit corpus stats`` and in the dataset card."""

from collections import Counter

from ._vocab import LAYER_LABELS, PHENOMENA, SENTENCE_LAYERS, SPLITS


def corpus_stats(corpus, *, documents=None):
    """Return a nested dict of counts per split, layer, label, topic, region and phenomenon.

    *documents*, document-id prefixes, restricts the counts to those documents (a batch).
    """
    keep = (lambda doc_id: doc_id.startswith(tuple(documents))) if documents else (lambda doc_id: True)
    stats = {"documents": {}, "sentences": {}, "pairs": {}, "layers": {}, "topics": Counter(),
             "regions": Counter(), "phenomena": Counter(), "hedge_cues": 0}
    for split in SPLITS + ("all",):
        sel = None if split == "all" else split
        rows = [s for s in corpus.filter(split=sel) if keep(s["doc_id"])]
        stats["documents"][split] = len({s["doc_id"] for s in rows})
        stats["sentences"][split] = len(rows)
        stats["pairs"][split] = sum(len(s["stance"]) for s in rows)
        for layer in SENTENCE_LAYERS:
            stats["layers"].setdefault(layer, {})[split] = Counter(s[layer] for s in rows)
        stats["layers"].setdefault("stance", {})[split] = Counter(
            item["label"] for s in rows for item in s["stance"])
    docs = [d for d in corpus.documents.values() if keep(d["doc_id"])]
    for doc in docs:
        stats["topics"][doc["topic"]] += 1
        stats["regions"][doc["region"]] += 1
    words = [len(s["text"].split()) for s in corpus.sentences if keep(s["doc_id"])]
    per_doc = Counter(s["doc_id"] for s in corpus.sentences if keep(s["doc_id"]))
    stats["shape"] = {
        "words_per_sentence": [round(sum(words) / max(len(words), 1), 1), min(words, default=0),
                               max(words, default=0)],
        "sentences_per_document": [min(per_doc.values(), default=0), max(per_doc.values(), default=0)],
        "targets_per_document": dict(sorted(Counter(len(d["targets"]) for d in docs).items())),
        "dates": [min((d["date"] for d in docs), default=""), max((d["date"] for d in docs), default="")]}
    for s in (s for s in corpus.sentences if keep(s["doc_id"])):
        stats["phenomena"].update(s.get("phenomena", ()))
        stats["hedge_cues"] += len(s["hedge_cues"])
    return stats


def format_stats(stats):
    """Render :func:`corpus_stats` output as Markdown tables."""
    cols = SPLITS + ("all",)
    shape = stats["shape"]
    wps, spd = shape["words_per_sentence"], shape["sentences_per_document"]
    out = [f"{wps[0]} words per sentence on average ({wps[1]} to {wps[2]}); {spd[0]} to {spd[1]} sentences a "
           "document; documents with " + ", ".join(f"{k} target claim{'s' * (k > 1)}: {n}"
                                                   for k, n in shape["targets_per_document"].items())
           + f"; dates {shape['dates'][0]} to {shape['dates'][1]}", "",
           "| | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(cols)]
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


def nearest_overlap(corpus, *, split=None, documents=None, against=None, top=5):
    """How close the query sentences come to the reference ones: for each query sentence, the highest
    cosine of word uni+bigram TF-IDF vectors (fitted on every sentence of the corpus) to any reference
    sentence — a near-duplicate and leakage check for a new batch.

    The query is the sentences of *split* (default: ``"test"`` when no *documents* are given) whose
    document ids start with one of *documents*; the reference is the split *against*, else every
    sentence of the other documents. Returns the counts, quantiles of the highest cosines and the *top*
    closest pairs.
    """
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from ._corpus import describe_documents

    if split is None and not documents:
        split = "test"
    query = [s for s in corpus.filter(split=split) if not documents or s["doc_id"].startswith(tuple(documents))]
    if not query:
        where = ", ".join(filter(None, [f"split {split}" if split else None,
                                        describe_documents(documents) if documents else None]))
        raise ValueError(f"{corpus.path}: no sentences in {where}")
    query_docs = {s["doc_id"] for s in query}
    pool = corpus.filter(split=against) if against else corpus.sentences
    reference = [s for s in pool if s["doc_id"] not in query_docs]
    if not reference:
        raise ValueError(f"{corpus.path}: no reference sentences outside the query documents")
    vec = TfidfVectorizer(ngram_range=(1, 2)).fit([s["text"] for s in corpus.sentences])
    ref = vec.transform([s["text"] for s in reference]).T.tocsc()
    best, where_best = np.empty(len(query)), np.empty(len(query), dtype=np.int64)
    for a in range(0, len(query), 512):
        sims = (vec.transform([s["text"] for s in query[a:a + 512]]) @ ref).toarray()
        best[a:a + 512], where_best[a:a + 512] = sims.max(axis=1), sims.argmax(axis=1)
    order = np.argsort(-best, kind="stable")[:top]
    return {"query": len(query), "reference": len(reference),
            "quantiles": {q: round(float(np.percentile(best, q)), 3) for q in (50, 90, 99, 100)},
            "closest": [{"cosine": round(float(best[i]), 3), "query": query[i]["id"], "text": query[i]["text"],
                         "reference": reference[where_best[i]]["id"], "reference_text":
                         reference[where_best[i]]["text"]} for i in order]}


def format_overlap(result):
    q = result["quantiles"]
    lines = [f"{result['query']} query sentences against {result['reference']} reference sentences: highest "
             f"TF-IDF cosine per query sentence, median {q[50]:.3f}, 90th percentile {q[90]:.3f}, "
             f"99th {q[99]:.3f}, max {q[100]:.3f}", "", "closest pairs:"]
    for c in result["closest"]:
        lines.append(f"  {c['cosine']:.3f}  {c['query']}: {c['text']}\n         {c['reference']}: "
                     f"{c['reference_text']}")
    return "\n".join(lines)
