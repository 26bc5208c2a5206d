"""Build a corpus's released JSON Lines files from its raw articles and annotations.

The raw layout is documented in ``datasets/<name>/raw/FORMAT.md``. Growing the
corpus means adding raw files and re-running ``stancekit corpus build``: no code
changes. Document splits, once assigned, are frozen in ``raw/splits.json``.
"""

import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path

from .._atomic import atomic_text_writer
from ._corpus import DOCUMENTS_FILE, SENTENCES_FILE, load_corpus
from ._errors import CorpusFormatError
from ._jsonl import iter_jsonl
from ._schema import validate_document, validate_sentence
from ._vocab import SPLITS

_HEADER_KEYS = ("doc_id", "headline", "date", "dateline", "region", "topic")
_TARGET = re.compile(r"^target (t\d+):\s*(.+)$")
SPLIT_FRACTIONS = (("train", 0.7), ("dev", 0.1), ("test", 0.2))

#: The usual hedge words of GUIDELINES.md section 6; a hedged sentence none of whose cues is one
#: of these (or starts with one) is tagged ``hedge_no_common_cue`` by rule, so the tag means the
#: same thing in every batch.
COMMON_CUES = ("may", "might", "could", "would", "likely", "possibly", "probably", "perhaps", "appear", "appears",
               "appeared", "seem", "seems", "seemed", "suggest", "suggests", "suggested", "believe", "believes",
               "believed", "reportedly", "allegedly", "estimated", "an estimated", "about", "around")


def _no_common_cue(text, spans):
    for a, b in spans:
        words = text[a:b].lower().split()
        if " ".join(words) in COMMON_CUES or (words and words[0] in COMMON_CUES):
            return False
    return True


def parse_article(path, *, header_lines=None):
    """Parse one raw article file into (document fields, list of sentence texts).

    *header_lines*, a dict, receives the line number of each header key (for errors about its value).
    """
    path = Path(path)
    lines = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("\n")
    header, targets, body_start = {}, [], None
    for i, line in enumerate(lines):
        if line.strip() == "---":
            body_start = i + 1
            break
        if not line.strip():
            continue
        m = _TARGET.match(line.strip())
        if m:
            targets.append({"id": m.group(1), "text": m.group(2).strip()})
            continue
        key, sep, value = line.partition(":")
        if not sep or key.strip() not in _HEADER_KEYS:
            raise CorpusFormatError(f"a header line 'key: value' with key in {list(_HEADER_KEYS)} "
                                    "or 'target tN: ...'", line, path=path, line=i + 1)
        header[key.strip()] = value.strip()
        if header_lines is not None:
            header_lines[key.strip()] = i + 1
    if body_start is None:
        raise CorpusFormatError("a '---' line between header and body", "none", path=path)
    for key in ("doc_id", "headline", "date", "region", "topic"):
        if key not in header:
            raise CorpusFormatError(f"a '{key}:' header line", "none", path=path, field=key)
    if header["doc_id"] != path.stem:
        raise CorpusFormatError(f"doc_id equal to the file name '{path.stem}'", header["doc_id"],
                                path=path, field="doc_id")
    sentences = [(i + 1, line.strip()) for i, line in enumerate(lines[body_start:], start=body_start)
                 if line.strip()]
    return header, targets, sentences


def _resolve_cue(text, cue, where, field):
    occurrence = 1
    if isinstance(cue, list) and len(cue) == 2 and isinstance(cue[0], str) and isinstance(cue[1], int) \
            and not isinstance(cue[1], bool):
        if cue[1] < 1:
            raise CorpusFormatError("an occurrence number >= 1 (1 is the first match)", cue, field=field, **where)
        cue, occurrence = cue
    if not isinstance(cue, str) or not cue.strip():
        raise CorpusFormatError("a cue string or [string, occurrence]", cue, field=field, **where)
    pattern = re.compile(r"(?<!\w)" + re.escape(cue.strip()) + r"(?!\w)")
    matches = list(pattern.finditer(text))
    if len(matches) < occurrence:
        raise CorpusFormatError(f"cue '{cue}' (occurrence {occurrence}) on word boundaries in the text",
                                text[:120], field=field, **where)
    m = matches[occurrence - 1]
    return [m.start(), m.end()]


def _assign_splits(docs, frozen, seed="geonews", new_split=None):
    """Assign new documents a split, stratified by topic; frozen ones keep theirs.

    With *new_split*, every document not yet in *frozen* goes to that split instead (a batch written
    as a fresh test set, say).
    """
    if new_split is not None:
        if new_split not in SPLITS:
            raise ValueError(f"new_split must be one of {list(SPLITS)}, got {new_split!r}")
        return {**{d["doc_id"]: new_split for d in docs}, **frozen}
    by_topic = defaultdict(list)
    for doc in docs:
        by_topic[doc["topic"]].append(doc["doc_id"])
    result = dict(frozen)
    for topic in sorted(by_topic):
        ids = sorted(by_topic[topic], key=lambda d: hashlib.sha256(f"{seed}:{d}".encode()).hexdigest())
        counts = {name: sum(1 for d in ids if frozen.get(d) == name) for name, _ in SPLIT_FRACTIONS}
        for doc_id in ids:
            if doc_id in frozen:
                continue
            n = sum(counts.values()) + 1
            # the split furthest below its share takes the document
            name = max(SPLIT_FRACTIONS, key=lambda sf: (sf[1] * n - counts[sf[0]], sf[1]))[0]
            result[doc_id] = name
            counts[name] += 1
    return result


def _atomic_write(path, text):
    with atomic_text_writer(path) as fh:
        fh.write(text)


_LAYER = re.compile(r"^(?:hedging|hedge_cues|claim_type|source|stance:t\d+)$")
_NO_BEFORE = object()


class _Decision:
    """One line of a decision file: the label it sets, the label it expects to replace (revisions), where it is."""

    __slots__ = ("value", "before", "path", "line", "key", "used")

    def __init__(self, value, before, path, line, key):
        self.value, self.before, self.path, self.line, self.key, self.used = value, before, path, line, key, False


def load_decisions(path, value_key="final", before_key=None):
    """``{(sentence id, layer): _Decision}`` from a decision file (``adjudication.jsonl``: *value_key* 'final';
    ``revisions.jsonl``: 'to', with *before_key* 'from', the label it replaces). A missing file gives ``{}``."""
    decisions = {}
    if not path.exists():
        return decisions
    for lineno, rec in iter_jsonl(path):
        for key in ("id", "layer", value_key) + ((before_key,) if before_key else ()):
            if key not in rec:
                raise CorpusFormatError(f"a '{key}' field", "the field missing", path=path, line=lineno, field=key)
        for key in ("id", "layer"):
            if not isinstance(rec[key], str) or not rec[key]:
                raise CorpusFormatError("a non-empty string", rec[key], path=path, line=lineno, field=key)
        if not _LAYER.match(rec["layer"]):
            raise CorpusFormatError("one of hedging, hedge_cues, claim_type, source, stance:<target id>",
                                    rec["layer"], path=path, line=lineno, field="layer")
        key = (rec["id"], rec["layer"])
        if key in decisions:
            raise CorpusFormatError(f"one decision per sentence and layer ({rec['id']} {rec['layer']} is also on "
                                    f"line {decisions[key].line})", "a second one", path=path, line=lineno,
                                    field="id")
        decisions[key] = _Decision(rec[value_key], rec[before_key] if before_key else _NO_BEFORE, path, lineno,
                                   value_key)
    return decisions


def load_adjudication(raw):
    """Decisions on the blind sample's disagreements (``raw/annotations/adjudication.jsonl``)."""
    return load_decisions(raw / "annotations" / "adjudication.jsonl")


def load_revisions(raw):
    """Later corrections of released labels (``raw/annotations/revisions.jsonl``), applied after adjudication."""
    return load_decisions(raw / "annotations" / "revisions.jsonl", "to", "from")


def _decided(sid, layer, value, decision_sets, applied, field):
    """The label after adjudication, then revision; a revision whose 'from' is not the label it finds is refused.
    The decision that set the label is recorded in *applied* under the released record's *field*."""
    for decisions in decision_sets:
        d = decisions.get((sid, layer))
        if d is None:
            continue
        d.used = True
        if d.before is not _NO_BEFORE and d.before != value:
            raise CorpusFormatError(f"the label the revision replaces, {value!r}", d.before, path=d.path,
                                    line=d.line, field="from")
        applied[field] = d
        value = d.value
    return value


def _blame_decision(exc, applied):
    """A bad label that a decision set is reported at the decision's line, not at the annotation's."""
    field = (exc.field or "").split(".")[0]  # stance[1].label -> stance[1]
    if field.startswith("hedge_cues"):  # hedge_cues[2] -> hedge_cues; a decision that made the sentence hedged
        field = "hedge_cues" if "hedge_cues" in applied else "hedging"  # without cues is the one to blame
    d = applied.get(field)
    return exc if d is None else CorpusFormatError(exc.expected, exc.found, path=d.path, line=d.line, field=d.key)


def _unused_decisions(decision_sets, built, articles):
    """A problem for each decision that named no sentence or layer of a built document (or no document at all)."""
    problems = []
    for decisions in decision_sets:
        for (sid, layer), d in decisions.items():
            doc_id = sid.rsplit("-s", 1)[0]
            if d.used or (doc_id in articles and doc_id not in built):
                continue
            what = "a document" if doc_id not in articles else "a sentence and layer"
            problems.append(str(CorpusFormatError(f"{what} of the corpus", f"{sid} {layer}", path=d.path,
                                                  line=d.line, field="id")))
    return problems


def read_frozen_splits(path, problems):
    """``raw/splits.json`` as ``{doc_id: split}``; an entry with an unknown split is left out and reported
    in *problems*; a file that is not a JSON object raises CorpusFormatError naming it."""
    try:
        frozen = json.loads(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise CorpusFormatError("valid UTF-8", f"invalid byte at position {exc.start}", path=path) from None
    except json.JSONDecodeError as exc:
        raise CorpusFormatError("a JSON object {document id: split}", f"malformed JSON ({exc.msg} at column "
                                f"{exc.colno})", path=path, line=exc.lineno) from None
    if not isinstance(frozen, dict):
        raise CorpusFormatError("a JSON object {document id: split}", f"a JSON {type(frozen).__name__}", path=path)
    kept = {}
    for doc_id, split in frozen.items():
        if split not in SPLITS:
            problems.append(str(CorpusFormatError(f"one of {list(SPLITS)}", split, path=path, field=doc_id)))
        else:
            kept[doc_id] = split
    return kept


def build_records(root, *, prefixes=None, new_split=None):
    """Read the raw files of a corpus and return (documents, sentences, splits, problems).

    Problems are collected (one message each) instead of stopping at the first,
    so that a writer can fix a whole batch at once. Documents not yet in ``raw/splits.json`` get a split
    stratified by topic, or *new_split* when given.
    """
    root = Path(root)
    raw = root / "raw"
    splits_path = raw / "splits.json"
    problems, docs, sentences = [], [], []
    frozen = read_frozen_splits(splits_path, problems) if splits_path.exists() else {}
    decision_sets = (load_adjudication(raw), load_revisions(raw))
    articles = sorted((raw / "articles").glob("*.txt"))
    for art in articles:
        if prefixes and not any(art.stem.startswith(p) for p in prefixes):
            continue
        ann = raw / "annotations" / "primary" / f"{art.stem}.jsonl"
        try:
            header_lines = {}
            header, targets, body = parse_article(art, header_lines=header_lines)
            if not ann.exists():
                raise CorpusFormatError("an annotation file for the article", "none", path=ann)
            labels = list(iter_jsonl(ann))
            if len(labels) != len(body):
                raise CorpusFormatError(f"{len(body)} annotation lines (one per body sentence of {art.name})",
                                        f"{len(labels)} lines", path=ann)
            doc = {"doc_id": header["doc_id"], "headline": header["headline"], "region": header["region"],
                   "topic": header["topic"], "date": header["date"], "targets": targets, "split": "train"}
            if "dateline" in header:
                doc["dateline"] = header["dateline"]
            try:
                validate_document(doc, path=art)
            except CorpusFormatError as exc:  # a header value: name its line in the article
                line = header_lines.get(exc.field) if exc.line is None else None
                if line is None:
                    raise
                raise CorpusFormatError(exc.expected, exc.found, path=art, line=line, field=exc.field) from None
            doc_sents = []
            for pos, ((_, text), (lineno, rec)) in enumerate(zip(body, labels)):
                where = {"path": ann, "line": lineno}
                if rec.get("text") != text:
                    raise CorpusFormatError(f"text equal to body sentence {pos} of {art.name}: {text[:60]!r}",
                                            rec.get("text"), field="text", **where)
                if rec.get("position") != pos:
                    raise CorpusFormatError(f"position {pos}", rec.get("position"), field="position", **where)
                for key in ("hedging", "claim_type", "source"):
                    if key not in rec:
                        raise CorpusFormatError(f"a '{key}' label", "the field missing", field=key, **where)
                phenomena = rec.get("phenomena", [])
                if not isinstance(phenomena, list) or not all(isinstance(t, str) for t in phenomena):
                    raise CorpusFormatError("a list of phenomenon tags (strings)", phenomena, field="phenomena",
                                            **where)
                stance = rec.get("stance")
                if not isinstance(stance, dict):
                    raise CorpusFormatError("an object {target id: label}", stance, field="stance", **where)
                sid = f"{doc['doc_id']}-s{pos:02d}"
                cues = rec.get("hedge_cues", [])
                if not isinstance(cues, list):
                    raise CorpusFormatError("a list of cue strings", cues, field="hedge_cues", **where)
                applied = {}
                decide = lambda layer, value, field=None: _decided(sid, layer, value, decision_sets, applied,
                                                                   field or layer)
                hedging = decide("hedging", rec.get("hedging"))
                cues = decide("hedge_cues", cues)
                if hedging == "certain":
                    cues = []
                try:
                    sent = {
                        "id": sid, "doc_id": doc["doc_id"], "position": pos, "split": "train", "text": text,
                        "hedging": hedging,
                        "hedge_cues": sorted(_resolve_cue(text, c, where, f"hedge_cues[{i}]")
                                             for i, c in enumerate(cues)),
                        "claim_type": decide("claim_type", rec.get("claim_type")),
                        "source": decide("source", rec.get("source")),
                        "stance": [{"target": f"{doc['doc_id']}-{tid}",
                                    "label": decide(f"stance:{tid}", label, f"stance[{i}]")}
                                   for i, (tid, label) in enumerate(sorted(stance.items()))],
                        "phenomena": sorted(set(phenomena)),
                    }
                    tags = set(sent["phenomena"]) - {"hedge_no_common_cue"}
                    if sent["hedging"] == "hedged" and _no_common_cue(text, sent["hedge_cues"]):
                        tags.add("hedge_no_common_cue")
                    sent["phenomena"] = sorted(tags)
                    validate_sentence(sent, **where)
                except CorpusFormatError as exc:
                    raise _blame_decision(exc, applied) from None
                doc_sents.append(sent)
            target_ids = sorted(t["id"] for t in targets)
            for sent in doc_sents:
                given = sorted(item["target"].rsplit("-", 1)[1] for item in sent["stance"])
                if given != target_ids:
                    raise CorpusFormatError(f"stance for targets {target_ids}", given, path=ann,
                                            line=sent["position"] + 1, field="stance")
            for t in targets:
                t["id"] = f"{doc['doc_id']}-{t['id']}"
            docs.append(doc)
            sentences.extend(doc_sents)
        except UnicodeDecodeError as exc:
            problems.append(f"{art}: expected valid UTF-8, found an invalid byte at position {exc.start} "
                            f"({exc.reason})")
        except (CorpusFormatError, OSError) as exc:
            problems.append(str(exc))
    problems += _unused_decisions(decision_sets, {d["doc_id"] for d in docs}, {a.stem for a in articles})
    splits = _assign_splits(docs, frozen, new_split=new_split)
    for doc in docs:
        doc["split"] = splits[doc["doc_id"]]
    for sent in sentences:
        sent["split"] = splits[sent["doc_id"]]
    return docs, sentences, splits, problems


def build_corpus(root, *, check=False, prefixes=None, new_split=None):
    """Build ``documents.jsonl`` and ``sentences.jsonl`` under *root* from ``root/raw``.

    With ``check=True`` nothing is written; the list of problems is returned.
    """
    root = Path(root)
    docs, sentences, splits, problems = build_records(root, prefixes=prefixes, new_split=new_split)
    if check or problems:
        return problems, docs, sentences
    dump = lambda rows: "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
    _atomic_write(root / DOCUMENTS_FILE, dump(docs))
    _atomic_write(root / SENTENCES_FILE, dump(sentences))
    kept = {d["doc_id"]: splits[d["doc_id"]] for d in docs}
    _atomic_write(root / "raw" / "splits.json", json.dumps(dict(sorted(kept.items())), indent=1) + "\n")
    load_corpus(root)  # the released files must pass the loader
    return problems, docs, sentences
