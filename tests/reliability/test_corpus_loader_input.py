"""The corpus loader on the whole bad-input list: each bad record fails naming file, line and field;
a byte-order mark, CRLF, a 1 MB sentence, mixed scripts and emoji are accepted and read correctly."""

import json

import pytest

from stancekit.data import CorpusFormatError, DataFormatError, load_corpus

MB = 1 << 20


@pytest.fixture
def corpus(corpus_dir):
    return corpus_dir


def _lines(path):
    return path.read_bytes().split(b"\n")[:-1]


def _set_line(path, line_no, raw):
    lines = _lines(path)
    lines[line_no - 1] = raw if isinstance(raw, bytes) else raw.encode("utf-8")
    path.write_bytes(b"\n".join(lines) + b"\n")


def _mutate(path, line_no, change):
    rec = json.loads(_lines(path)[line_no - 1])
    change(rec)
    _set_line(path, line_no, json.dumps(rec))
    return rec


def _expect(corpus, filename, line, field, *fragments):
    with pytest.raises(DataFormatError) as info:
        load_corpus(corpus)
    err, msg = info.value, str(info.value)
    assert err.path == str(corpus / filename)
    assert err.line == line
    assert err.field == field
    assert f"{filename}, line {line}" in msg
    if field is not None:
        assert f"field '{field}'" in msg
    for fragment in fragments:
        assert fragment in msg, msg
    return err


# Line 2 of sentences.jsonl is the second sentence of document x-000 (train, "certain", no cues):
# "The ministry denied that any soldiers had crossed."
RECORD_CASES = [
    # missing or extra fields
    ("missing text", lambda r: r.pop("text"), "text", "record without 'text'"),
    ("missing stance", lambda r: r.pop("stance"), "stance", "record without 'stance'"),
    ("extra field", lambda r: r.update(confidence=0.9), "confidence", "unknown field 'confidence'"),
    # wrong types and non-string values
    ("position as string", lambda r: r.update(position="1"), "position", "expected an integer"),
    ("position as float", lambda r: r.update(position=1.0), "position", "expected an integer"),
    ("position as bool", lambda r: r.update(position=True), "position", "expected an integer"),
    ("text as number", lambda r: r.update(text=42), "text", "expected a string, found 'integer 42'"),
    ("text as null", lambda r: r.update(text=None), "text", "expected a string, found 'null'"),
    ("text as list", lambda r: r.update(text=["a", "b"]), "text", "expected a string, found \"list ['a', 'b']\""),
    ("label as number", lambda r: r.update(hedging=1), "hedging", "expected a string"),
    ("stance as object", lambda r: r.update(stance={"target": "x-000-t1"}), "stance", "expected a list"),
    ("stance target as number", lambda r: r.update(stance=[{"target": 1, "label": "deny"}]), "stance[0].target",
     "expected a string"),
    ("cues as string", lambda r: r.update(hedge_cues="may"), "hedge_cues", "expected a list"),
    # unknown labels
    ("unknown hedging label", lambda r: r.update(hedging="uncertain"), "hedging", "one of ['certain', 'hedged']"),
    ("unknown claim type", lambda r: r.update(claim_type="rumour"), "claim_type", "found 'rumour'"),
    ("unknown source", lambda r: r.update(source="unnamed"), "source", "found 'unnamed'"),
    ("unknown stance label", lambda r: r.update(stance=[{"target": "x-000-t1", "label": "agree"}]),
     "stance[0].label", "found 'agree'"),
    ("unknown split", lambda r: r.update(split="validation"), "split", "found 'validation'"),
    ("unknown phenomenon", lambda r: r.update(phenomena=["sarcasm"]), "phenomena[0]", "found 'sarcasm'"),
    # cue offsets out of range or off word boundaries
    ("cue past the end", lambda r: r.update(hedging="hedged", hedge_cues=[[4, 999]]), "hedge_cues[0]",
     "0 <= start < end <= 50 (the text length)"),
    ("cue negative", lambda r: r.update(hedging="hedged", hedge_cues=[[-3, 2]]), "hedge_cues[0]", "text length"),
    ("cue empty", lambda r: r.update(hedging="hedged", hedge_cues=[[4, 4]]), "hedge_cues[0]", "text length"),
    ("cue reversed", lambda r: r.update(hedging="hedged", hedge_cues=[[12, 4]]), "hedge_cues[0]", "text length"),
    ("cue starts inside a word", lambda r: r.update(hedging="hedged", hedge_cues=[[5, 12]]), "hedge_cues[0]",
     "a span on word boundaries"),
    ("cue ends inside a word", lambda r: r.update(hedging="hedged", hedge_cues=[[4, 10]]), "hedge_cues[0]",
     "a span on word boundaries"),
    ("cue with trailing space", lambda r: r.update(hedging="hedged", hedge_cues=[[4, 13]]), "hedge_cues[0]",
     "without leading or trailing spaces"),
    ("cue offsets as floats", lambda r: r.update(hedging="hedged", hedge_cues=[[4.0, 12.0]]), "hedge_cues[0]",
     "a [start, end) pair of integers"),
    ("cue offsets as strings", lambda r: r.update(hedging="hedged", hedge_cues=[["4", "12"]]), "hedge_cues[0]",
     "a [start, end) pair of integers"),
    ("cue of three numbers", lambda r: r.update(hedging="hedged", hedge_cues=[[4, 12, 13]]), "hedge_cues[0]",
     "a [start, end) pair of integers"),
    # empty and whitespace-only text
    ("empty text", lambda r: r.update(text=""), "text", "expected non-empty text"),
    ("whitespace-only text", lambda r: r.update(text=" \t\u00a0\u2003 "), "text", "expected non-empty text"),
    ("empty id", lambda r: r.update(id="  "), "id", "expected non-empty text"),
    # NUL characters and unpaired surrogates written as JSON escapes
    ("escaped NUL in text", lambda r: r.update(text="The ministry\u0000 denied it."), "text",
     "without NUL characters", "column 13"),
    ("unpaired surrogate in text", lambda r: r.update(text="The ministry \ud83d denied it."), "text",
     "valid Unicode", "\\\\ud83d"),
    ("unpaired surrogate in a stance label", lambda r: r.update(stance=[{"target": "x-000-t1", "label": "\udc00"}]),
     "stance[0].label", "valid Unicode"),
]


@pytest.mark.parametrize("name,change,field,expected", [(*c[:3], c[3:]) for c in RECORD_CASES],
                         ids=[c[0] for c in RECORD_CASES])
def test_bad_sentence_record(corpus, name, change, field, expected):
    _mutate(corpus / "sentences.jsonl", 2, change)
    _expect(corpus, "sentences.jsonl", 2, field, *expected)


RAW_CASES = [
    ("malformed JSON", b'{"id": "x-000-s01", "text": "The ministry denied', None, "malformed JSON"),
    ("trailing comma", b'{"id": "x-000-s01",}', None, "malformed JSON"),
    ("single quotes", b"{'id': 'x-000-s01'}", None, "malformed JSON"),
    ("two records on one line", b'{"id": "a"} {"id": "b"}', None, "malformed JSON (Extra data"),
    ("JSON array", b'["x-000-s01", "text"]', None, "a JSON object, found 'a JSON array'"),
    ("JSON string", b'"just text"', None, "found 'a JSON string'"),
    ("JSON null", b"null", None, "found 'a JSON null'"),
    ("invalid UTF-8", b'{"id": "x-000-s01", "text": "caf\xe9"}', None, "expected valid UTF-8", "column 33"),
    ("latin-1 file content", "{\"id\": \"d\u00e9j\u00e0\"}".encode("latin-1"), None, "valid UTF-8"),
    ("UTF-16 line", '{"id": "x"}'.encode("utf-16"), None, "without NUL bytes"),
    ("NUL byte", b'{"id": "x-000-s01",\x00 "text": "a"}', None, "without NUL bytes", "column 20"),
    ("stray byte-order-mark bytes", b"\xbb\xbf", None, "valid UTF-8"),
    ("NaN", b'{"id": "x-000-s01", "position": NaN}', None, "non-standard constant NaN"),
    ("Infinity", b'{"id": "x-000-s01", "position": Infinity}', None, "non-standard constant Infinity"),
    ("number overflowing to inf", b'{"id": "x-000-s01", "position": 1e999}', None, "a finite number"),
    ("repeated key", b'{"id": "x-000-s01", "text": "a", "text": "b"}', "text", "the key 'text' twice"),
    ("nested too deeply", b"[" * 200_000, None, "nested more than 400 levels deep"),
]


@pytest.mark.parametrize("name,raw,field,expected", [(*c[:3], c[3:]) for c in RAW_CASES],
                         ids=[c[0] for c in RAW_CASES])
def test_bad_sentence_bytes(corpus, name, raw, field, expected):
    _set_line(corpus / "sentences.jsonl", 2, raw)
    _expect(corpus, "sentences.jsonl", 2, field, *expected)


DOCUMENT_CASES = [
    ("missing headline", lambda r: r.pop("headline"), "headline", "record without 'headline'"),
    ("extra field", lambda r: r.update(url="http://x"), "url", "unknown field 'url'"),
    ("targets as string", lambda r: r.update(targets="Troops crossed."), "targets", "expected a list"),
    ("headline as number", lambda r: r.update(headline=7), "headline", "expected a string"),
    ("empty headline", lambda r: r.update(headline=""), "headline", "non-empty text"),
    ("whitespace headline", lambda r: r.update(headline="\n\t "), "headline", "non-empty text"),
    ("unknown region", lambda r: r.update(region="mars"), "region", "found 'mars'"),
    ("unknown topic", lambda r: r.update(topic="weather"), "topic", "found 'weather'"),
    ("date not ISO", lambda r: r.update(date="01/05/2026"), "date", "YYYY-MM-DD"),
    ("impossible date", lambda r: r.update(date="2026-02-30"), "date", "a calendar date"),
    ("target text empty", lambda r: r["targets"][0].update(text=" "), "targets[0].text", "a non-empty string"),
    ("target id a number", lambda r: r["targets"][0].update(id=3), "targets[0].id", "a non-empty string"),
]


@pytest.mark.parametrize("name,change,field,expected", [(*c[:3], c[3:]) for c in DOCUMENT_CASES],
                         ids=[c[0] for c in DOCUMENT_CASES])
def test_bad_document_record(corpus, name, change, field, expected):
    _mutate(corpus / "documents.jsonl", 2, change)
    _expect(corpus, "documents.jsonl", 2, field, *expected)


def test_line_numbers_count_blank_lines(corpus):
    path = corpus / "sentences.jsonl"
    lines = _lines(path)
    lines[1:1] = [b"", b"   ", b"\r"]  # blank lines are skipped but still counted
    path.write_bytes(b"\n".join(lines) + b"\n")
    _mutate(path, 6, lambda r: r.update(hedging="maybe"))
    _expect(corpus, "sentences.jsonl", 6, "hedging", "found 'maybe'")


def test_error_names_the_right_line_deep_in_the_file(corpus):
    path = corpus / "sentences.jsonl"
    n = len(_lines(path))
    _mutate(path, n - 1, lambda r: r.update(source=None))
    _expect(corpus, "sentences.jsonl", n - 1, "source", "found 'null'")


# ----------------------------------------------------------------------------------------------
# Accepted inputs: read, and read correctly


def test_byte_order_mark_and_crlf_are_accepted(corpus):
    expected = load_corpus(corpus)
    for name in ("documents.jsonl", "sentences.jsonl"):
        path = corpus / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    got = load_corpus(corpus)
    assert got.sentences == expected.sentences
    assert got.documents == expected.documents
    assert not any(s["text"].endswith("\r") or s["id"].startswith("\ufeff") for s in got.sentences)


def test_a_one_megabyte_sentence_is_accepted(corpus):
    words = "The ministry denied that any soldiers had crossed "
    text = (words * (MB // len(words) + 1))[:MB].rstrip() + " and may return."
    cue = text.rindex("may")
    rec = _mutate(corpus / "sentences.jsonl", 2,
                  lambda r: r.update(text=text, hedging="hedged", hedge_cues=[[cue, cue + 3]]))
    got = load_corpus(corpus).sentences[1]
    assert len(got["text"]) > MB - 100 and got == rec
    assert got["text"][cue:cue + 3] == "may"


MIXED = "Officials 官员 said the convoy 🚚 may have crossed — Конвой пересёк границу, قال المسؤولون 👍🏽."


def test_mixed_scripts_and_emoji_are_accepted_with_exact_offsets(corpus):
    start = MIXED.index("may")
    _mutate(corpus / "sentences.jsonl", 2,
            lambda r: r.update(text=MIXED, hedging="hedged", hedge_cues=[[start, start + 3]]))
    got = load_corpus(corpus).sentences[1]
    assert got["text"] == MIXED
    (a, b), = got["hedge_cues"]
    assert got["text"][a:b] == "may"


def test_emoji_inside_a_word_still_checks_word_boundaries(corpus):
    text = "Troops 🚚crossed the border."
    start = text.index("crossed")
    _mutate(corpus / "sentences.jsonl", 2,
            lambda r: r.update(text=text, hedging="hedged", hedge_cues=[[start, start + 4]]))
    _expect(corpus, "sentences.jsonl", 2, "hedge_cues[0]", "a span on word boundaries")


# ----------------------------------------------------------------------------------------------
# Files: empty, whitespace only, a directory, missing, unreadable


@pytest.mark.parametrize("name,content", [("documents.jsonl", b""), ("documents.jsonl", b"\n \n\t\n"),
                                          ("sentences.jsonl", b""), ("sentences.jsonl", b"\xef\xbb\xbf\r\n")])
def test_empty_or_blank_file(corpus, name, content):
    (corpus / name).write_bytes(content)
    with pytest.raises(CorpusFormatError) as info:
        load_corpus(corpus)
    assert info.value.path == str(corpus / name)
    assert "an empty file" in str(info.value) and name in str(info.value)


@pytest.mark.parametrize("name", ["documents.jsonl", "sentences.jsonl"])
def test_directory_where_a_file_belongs(corpus, name):
    (corpus / name).unlink()
    (corpus / name).mkdir()
    with pytest.raises(IsADirectoryError, match="expected a file, found a directory") as info:
        load_corpus(corpus)
    assert str(corpus / name) in str(info.value)


def test_missing_file_and_file_where_the_corpus_directory_belongs(corpus):
    (corpus / "documents.jsonl").unlink()
    with pytest.raises(FileNotFoundError, match="documents.jsonl: no such file"):
        load_corpus(corpus)
    with pytest.raises(NotADirectoryError, match="expected a corpus directory"):
        load_corpus(corpus / "sentences.jsonl")


@pytest.mark.parametrize("name", ["documents.jsonl", "sentences.jsonl"])
def test_unreadable_file(corpus, name, make_unreadable):
    make_unreadable(corpus / name)
    with pytest.raises(PermissionError, match="not readable") as info:
        load_corpus(corpus)
    assert str(corpus / name) in str(info.value)


def test_split_lines_ends_lines_at_lf_crlf_and_lone_cr():
    import io

    from stancekit.data._jsonl import split_lines

    data = b'{"a": 1}\r{"a": 2}\r\n{"a": 3}\n{"a": "x\\r"}\r'
    assert list(split_lines(io.BytesIO(data))) == [b'{"a": 1}', b'{"a": 2}\r\n', b'{"a": 3}\n', b'{"a": "x\\r"}']
