"""Inter-annotator agreement: drawing the blind sample and comparing the two annotations."""

import json
import random
from collections import defaultdict
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

from ._build import _resolve_cue, parse_article
from ._corpus import describe_documents
from ._errors import CorpusFormatError
from ._jsonl import iter_jsonl

SAMPLE_FILE = "sample.json"


def draw_sample(corpus, *, fraction=0.17, seed=2026):
    """Sentence ids of a random sample stratified by document: ``ceil``-rounded share of each document."""
    by_doc = defaultdict(list)
    for s in corpus.sentences:
        by_doc[s["doc_id"]].append(s["id"])
    rng = random.Random(seed)
    picked = []
    for doc_id in sorted(by_doc):
        ids = sorted(by_doc[doc_id])
        k = max(1, -(-int(round(fraction * 1000)) * len(ids) // 1000))
        picked.extend(sorted(rng.sample(ids, min(k, len(ids)))))
    return picked


def _labels_from(rec, text, where):
    if not isinstance(rec.get("stance", {}), dict):
        raise CorpusFormatError("an object {target id: label}", rec.get("stance"), field="stance", **where)
    cues = rec.get("hedge_cues", [])
    if rec.get("hedging") == "certain":
        cues = []
    spans = sorted(tuple(_resolve_cue(text, c, where, f"hedge_cues[{i}]")) for i, c in enumerate(cues))
    return {"hedging": rec.get("hedging"), "claim_type": rec.get("claim_type"), "source": rec.get("source"),
            "stance": dict(rec.get("stance", {})), "hedge_cues": spans}


def load_primary(raw, ids):
    """The first annotator's raw labels (before adjudication) for the given sentence ids."""
    wanted = defaultdict(set)
    for sid in ids:
        doc_id, pos = split_sentence_id(sid)
        wanted[doc_id].add(pos)
    out = {}
    for doc_id, positions in wanted.items():
        _, _, body = parse_article(raw / "articles" / f"{doc_id}.txt")
        path = raw / "annotations" / "primary" / f"{doc_id}.jsonl"
        for lineno, rec in iter_jsonl(path):
            if rec["position"] in positions:
                out[f"{doc_id}-s{rec['position']:02d}"] = _labels_from(rec, rec["text"],
                                                                        {"path": path, "line": lineno})
    return out


_SENTENCE_ID = "a sentence id '<document id>-s<position>'"


def split_sentence_id(sid):
    """``(document id, position)`` of a sentence id ``<doc id>-s<position>``, or None if *sid* is not one."""
    doc_id, sep, pos = sid.rpartition("-s") if isinstance(sid, str) else ("", "", "")
    return (doc_id, int(pos)) if sep and doc_id and pos.isdigit() else None


def _sentence_text(raw, sid, bodies, path, lineno):
    """The text of sentence *sid* (``<doc id>-s<position>``); each article is parsed once (*bodies* caches)."""
    parts = split_sentence_id(sid)
    if parts is None:
        raise CorpusFormatError(_SENTENCE_ID, sid, path=path, line=lineno, field="id")
    doc_id, pos = parts
    if doc_id not in bodies:
        article = raw / "articles" / f"{doc_id}.txt"
        if not article.exists():
            raise CorpusFormatError(f"the id of a sentence in an existing article ({article} is missing)", sid,
                                    path=path, line=lineno, field="id")
        bodies[doc_id] = [text for _, text in parse_article(article)[2]]
    body = bodies[doc_id]
    if pos >= len(body):
        raise CorpusFormatError(f"a sentence position of {doc_id} (0 to {len(body) - 1})", sid,
                                path=path, line=lineno, field="id")
    return body[pos]


def load_second(raw):
    """The second annotator(s)' labels: every ``annotations/second/*.jsonl`` file, keyed by sentence id."""
    out, annotator, bodies = {}, {}, {}
    folder = raw / "annotations" / "second"
    for path in sorted(folder.glob("*.jsonl")):
        for lineno, rec in iter_jsonl(path):
            sid = rec.get("id")
            if not isinstance(sid, str):
                raise CorpusFormatError("a sentence id string", sid, path=path, line=lineno, field="id")
            text = _sentence_text(raw, sid, bodies, path, lineno)
            out[sid] = _labels_from(rec, text, {"path": path, "line": lineno})
            annotator[sid] = path.stem
    return out, annotator


def _overlap(a, b):
    return a[0] < b[1] and b[0] < a[1]


def agreement(root, *, documents=None):
    """Cohen's kappa per layer, raw agreement, and cue-span F1 between the two annotations.

    *documents*, a sequence of document-id prefixes, restricts the figures to those documents (a batch).
    """
    raw = Path(root) / "raw"
    second, annotator = load_second(raw)
    if not second:
        raise FileNotFoundError(f"{raw / 'annotations' / 'second'}: no second-annotator files (*.jsonl)")
    if documents:
        second = {i: v for i, v in second.items() if i.startswith(tuple(documents))}
        if not second:
            raise ValueError(f"no second-annotator labels for {describe_documents(documents)}")
    first = load_primary(raw, second)
    ids = sorted(second)
    result = {"sentences": len(ids), "documents": len({i.rsplit("-s", 1)[0] for i in ids}),
              "annotator_files": sorted({annotator[i] for i in ids}), "layers": {}}
    for layer in ("hedging", "claim_type", "source"):
        a = [first[i][layer] for i in ids]
        b = [second[i][layer] for i in ids]
        result["layers"][layer] = {"kappa": round(cohen_kappa_score(a, b), 4),
                                   "agreement": round(sum(x == y for x, y in zip(a, b)) / len(a), 4), "n": len(a)}
    a, b = [], []
    for i in ids:
        for t, lab in sorted(first[i]["stance"].items()):
            a.append(lab)
            b.append(second[i]["stance"].get(t, "missing"))
    result["layers"]["stance"] = {"kappa": round(cohen_kappa_score(a, b), 4),
                                  "agreement": round(sum(x == y for x, y in zip(a, b)) / len(a), 4), "n": len(a)}
    exact = ov_a = ov_b = n_a = n_b = 0
    for i in ids:
        ga, gb = set(first[i]["hedge_cues"]), set(second[i]["hedge_cues"])
        n_a, n_b = n_a + len(ga), n_b + len(gb)
        exact += len(ga & gb)
        ov_a += sum(any(_overlap(x, y) for y in gb) for x in ga)
        ov_b += sum(any(_overlap(x, y) for y in ga) for x in gb)
    f1 = lambda p, r: round(2 * p * r / (p + r), 4) if p + r else 0.0
    result["cues"] = {"first": n_a, "second": n_b,
                      "exact_f1": f1(exact / max(n_b, 1), exact / max(n_a, 1)),
                      "overlap_f1": f1(ov_b / max(n_b, 1), ov_a / max(n_a, 1))}
    disagreements = []
    for i in ids:
        for layer in ("hedging", "claim_type", "source"):
            if first[i][layer] != second[i][layer]:
                disagreements.append({"id": i, "layer": layer, "primary": first[i][layer],
                                      "second": second[i][layer]})
        for t, lab in sorted(first[i]["stance"].items()):
            other = second[i]["stance"].get(t)
            if lab != other:
                disagreements.append({"id": i, "layer": f"stance:{t}", "primary": lab, "second": other})
    result["disagreements"] = disagreements
    return result


def format_agreement(result):
    lines = [f"Blind sample: {result['sentences']} sentences from {result['documents']} documents.", "",
             "| layer | Cohen's kappa | raw agreement | items |", "|---|---:|---:|---:|"]
    for layer, m in result["layers"].items():
        unit = "pairs" if layer == "stance" else "sentences"
        lines.append(f"| {layer} | {m['kappa']:.3f} | {100 * m['agreement']:.1f} % | {m['n']} {unit} |")
    c = result["cues"]
    lines += ["", f"Cue spans: {c['first']} (first annotator) vs {c['second']} (second); "
              f"exact-match F1 {c['exact_f1']:.3f}, overlap F1 {c['overlap_f1']:.3f}.",
              f"Disagreements: {len(result['disagreements'])}."]
    return "\n".join(lines)


def write_sample(corpus, root, *, fraction=0.17, seed=2026):
    """Write the blind sample's sentence ids to ``root/raw/annotations/sample.json``; return the ids."""
    ids = draw_sample(corpus, fraction=fraction, seed=seed)
    path = Path(root) / "raw" / "annotations" / SAMPLE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"fraction": fraction, "seed": seed, "ids": ids}, indent=1) + "\n")
    return ids


def load_sample_ids(path):
    """The sentence ids of a blind-sample file (``{"ids": [...], ...}``); errors name the file and field."""
    try:
        saved = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CorpusFormatError("a JSON object with an 'ids' list", f"malformed JSON ({exc.msg} at column "
                                f"{exc.colno})", path=path, line=exc.lineno) from None
    if not isinstance(saved, dict) or not isinstance(saved.get("ids"), list):
        raise CorpusFormatError("a JSON object with an 'ids' list", saved if not isinstance(saved, dict)
                                else f"fields {sorted(saved)}", path=path, field="ids")
    for i, sid in enumerate(saved["ids"]):
        if split_sentence_id(sid) is None:
            raise CorpusFormatError(_SENTENCE_ID, sid, path=path, field=f"ids[{i}]")
    return saved["ids"]


def blind_packets(root, *, documents=None, parts=1):
    """Texts for blind second annotation: each sampled document's headline, target claims and every
    sentence (for context, with its id), the sampled ids marked with ``>>``; no label of any kind.

    Returns *parts* strings that split the documents (in id order) into contiguous, near-equal shares.
    """
    raw = Path(root) / "raw"
    sample_path = raw / "annotations" / SAMPLE_FILE
    if not sample_path.is_file():
        raise FileNotFoundError(f"{sample_path}: no blind sample; run 'stancekit corpus sample' first, or pass the "
                                "corpus directory of a source checkout (an installed corpus has no raw/ files)")
    if not isinstance(parts, int) or isinstance(parts, bool) or parts < 1:
        raise ValueError(f"parts must be a positive integer, got {parts!r}")
    wanted = defaultdict(set)
    for sid in load_sample_ids(sample_path):
        if documents is None or sid.startswith(tuple(documents)):
            doc_id, pos = split_sentence_id(sid)
            wanted[doc_id].add(pos)
    if not wanted:
        raise ValueError(f"{sample_path}: no sampled sentences" + (f" in {describe_documents(documents)}"
                                                                    if documents else ""))
    blocks = []
    for doc_id in sorted(wanted):
        header, targets, body = parse_article(raw / "articles" / f"{doc_id}.txt")
        lines = [f"## {doc_id}: {header['headline']}", f"date {header['date']}, {header.get('dateline', '')}", ""]
        lines += [f"target {t['id']}: {t['text']}" for t in targets] + [""]
        for pos, (_, text) in enumerate(body):
            mark = ">>" if pos in wanted[doc_id] else "  "
            lines.append(f"{mark} {doc_id}-s{pos:02d}  {text}")
        blocks.append("\n".join(lines) + "\n")
    size = -(-len(blocks) // parts)
    return ["\n".join(blocks[i:i + size]) for i in range(0, len(blocks), size)]
