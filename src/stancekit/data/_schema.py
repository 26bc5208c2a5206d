"""Validation of corpus records against the annotation scheme."""

import datetime
import re

from ._errors import CorpusFormatError
from ._vocab import (
    CLAIM_TYPE_LABELS,
    HEDGING_LABELS,
    PHENOMENA,
    REGIONS,
    SOURCE_LABELS,
    SPLITS,
    STANCE_LABELS,
    TOPICS,
)

DOCUMENT_FIELDS = {"doc_id": str, "headline": str, "region": str, "topic": str, "date": str,
                   "targets": list, "split": str}
DOCUMENT_OPTIONAL = {"dateline": str}
SENTENCE_FIELDS = {"id": str, "doc_id": str, "position": int, "split": str, "text": str,
                   "hedging": str, "hedge_cues": list, "claim_type": str, "source": str,
                   "stance": list}
SENTENCE_OPTIONAL = {"phenomena": list}

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TYPE_NAMES = {str: "a string", int: "an integer", list: "a list", dict: "an object"}


def _json_type(value):
    return {str: "string", int: "integer", float: "number", bool: "boolean", list: "list",
            dict: "object", type(None): "null"}.get(type(value), type(value).__name__)


def _check_fields(record, required, optional, where):
    missing = [k for k in required if k not in record]
    if missing:
        raise CorpusFormatError(f"fields {sorted(required)}", f"record without '{missing[0]}'",
                                field=missing[0], **where)
    extra = [k for k in record if k not in required and k not in optional]
    if extra:
        raise CorpusFormatError(f"only the fields {sorted(set(required) | set(optional))}",
                                f"unknown field '{extra[0]}'", field=extra[0], **where)
    for key, typ in {**required, **optional}.items():
        if key not in record:
            continue
        value = record[key]
        ok = isinstance(value, typ) and not (typ is int and isinstance(value, bool))
        if not ok:
            found = "null" if value is None else f"{_json_type(value)} {value!r}"[:80]
            raise CorpusFormatError(_TYPE_NAMES[typ], found, field=key, **where)


def _is_date(value):
    if not _DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_label(value, allowed, field, where):
    if value not in allowed:
        raise CorpusFormatError(f"one of {list(allowed)}", value, field=field, **where)


def _check_text(value, field, where):
    if not value.strip():
        raise CorpusFormatError("non-empty text", value, field=field, **where)


def validate_document(record, *, path=None, line=None):
    """Validate one document record; return it unchanged or raise CorpusFormatError."""
    where = {"path": path, "line": line}
    _check_fields(record, DOCUMENT_FIELDS, DOCUMENT_OPTIONAL, where)
    for key in ("doc_id", "headline"):
        _check_text(record[key], key, where)
    _check_label(record["region"], REGIONS, "region", where)
    _check_label(record["topic"], TOPICS, "topic", where)
    _check_label(record["split"], SPLITS, "split", where)
    if not _is_date(record["date"]):
        raise CorpusFormatError("a calendar date YYYY-MM-DD", record["date"], field="date", **where)
    targets = record["targets"]
    if not 1 <= len(targets) <= 2:
        raise CorpusFormatError("one or two targets", f"{len(targets)} targets", field="targets", **where)
    seen = set()
    for i, target in enumerate(targets):
        field = f"targets[{i}]"
        if not isinstance(target, dict) or set(target) != {"id", "text"}:
            raise CorpusFormatError("an object with 'id' and 'text'", target, field=field, **where)
        for key in ("id", "text"):
            if not isinstance(target[key], str) or not target[key].strip():
                raise CorpusFormatError("a non-empty string", target[key], field=f"{field}.{key}", **where)
        if target["id"] in seen:
            raise CorpusFormatError("unique target ids", f"duplicate '{target['id']}'",
                                    field=f"{field}.id", **where)
        seen.add(target["id"])
    return record


def _is_word_char(ch):
    return ch.isalnum() or ch == "_"


def validate_span(text, span, field, where):
    """Check that a cue span is [start, end) inside *text* on word boundaries."""
    if (not isinstance(span, list) or len(span) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in span)):
        raise CorpusFormatError("a [start, end) pair of integers", span, field=field, **where)
    start, end = span
    if not 0 <= start < end <= len(text):
        raise CorpusFormatError(f"0 <= start < end <= {len(text)} (the text length)", span,
                                field=field, **where)
    if (start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start])) or (
            end < len(text) and _is_word_char(text[end - 1]) and _is_word_char(text[end])):
        raise CorpusFormatError("a span on word boundaries",
                                f"{span} cutting a word: '{text[max(0, start - 10):end + 10]}'",
                                field=field, **where)
    if text[start].isspace() or text[end - 1].isspace():
        raise CorpusFormatError("a span without leading or trailing spaces", f"'{text[start:end]}'",
                                field=field, **where)


def validate_sentence(record, *, path=None, line=None):
    """Validate one sentence record on its own (document-level checks are done by the loader)."""
    where = {"path": path, "line": line}
    _check_fields(record, SENTENCE_FIELDS, SENTENCE_OPTIONAL, where)
    _check_text(record["id"], "id", where)
    _check_text(record["text"], "text", where)
    if record["position"] < 0:
        raise CorpusFormatError("a position >= 0", record["position"], field="position", **where)
    _check_label(record["split"], SPLITS, "split", where)
    _check_label(record["hedging"], HEDGING_LABELS, "hedging", where)
    _check_label(record["claim_type"], CLAIM_TYPE_LABELS, "claim_type", where)
    _check_label(record["source"], SOURCE_LABELS, "source", where)
    cues = record["hedge_cues"]
    for i, span in enumerate(cues):
        validate_span(record["text"], span, f"hedge_cues[{i}]", where)
    if record["hedging"] == "hedged" and not cues:
        raise CorpusFormatError("at least one hedge cue for a 'hedged' sentence", cues,
                                field="hedge_cues", **where)
    if record["hedging"] == "certain" and cues:
        raise CorpusFormatError("no hedge cues for a 'certain' sentence", cues,
                                field="hedge_cues", **where)
    for i, item in enumerate(record["stance"]):
        field = f"stance[{i}]"
        if not isinstance(item, dict) or set(item) != {"target", "label"}:
            raise CorpusFormatError("an object with 'target' and 'label'", item, field=field, **where)
        if not isinstance(item["target"], str):
            raise CorpusFormatError("a string", item["target"], field=f"{field}.target", **where)
        _check_label(item["label"], STANCE_LABELS, f"{field}.label", where)
    for i, tag in enumerate(record.get("phenomena", [])):
        _check_label(tag, PHENOMENA, f"phenomena[{i}]", where)
    return record
