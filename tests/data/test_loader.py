"""The corpus loader: valid corpora load; each kind of bad record fails with file, line and field."""

import json

import pytest

from stancekit.data import CorpusFormatError, DataFormatError, load_corpus


def _rewrite(path, line_no, mutate):
    lines = path.read_text(encoding="utf-8").splitlines()
    rec = json.loads(lines[line_no - 1])
    out = mutate(rec)
    lines[line_no - 1] = out if isinstance(out, str) else json.dumps(rec)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_load_tiny_corpus(tiny_corpus):
    assert len(tiny_corpus.documents) == 12
    texts, y, groups = tiny_corpus.sentence_view("hedging", split="train")
    assert len(texts) == len(y) == len(groups) == 8 * 12
    assert set(y) == {"certain", "hedged"}
    texts, targets, y, groups = tiny_corpus.stance_view("test")
    assert len(texts) == len(targets) == len(y) == 3 * 12
    assert all(t == "Troops crossed the border." for t in targets)
    X, y, g = tiny_corpus.view("stance", "dev")
    assert X[0] == (texts[0], targets[0]) or isinstance(X[0], tuple)


def test_views_reject_unknown_layer_and_split(tiny_corpus):
    with pytest.raises(ValueError, match="layer must be one of"):
        tiny_corpus.sentence_view("sentiment")
    with pytest.raises(ValueError, match="split must be one of"):
        tiny_corpus.sentence_view("hedging", split="validation")


def test_checksum_is_stable(corpus_dir):
    assert load_corpus(corpus_dir).sha256 == load_corpus(corpus_dir).sha256


SENTENCE_CASES = [
    ("unknown label", lambda r: r.update(hedging="maybe"), "hedging", "one of ['certain', 'hedged']"),
    ("missing field", lambda r: r.pop("source") and None, "source", "record without 'source'"),
    ("extra field", lambda r: r.update(colour="red"), "colour", "unknown field"),
    ("wrong type", lambda r: r.update(position="3"), "position", "an integer"),
    ("non-string text", lambda r: r.update(text=42), "text", "a string"),
    ("empty text", lambda r: r.update(text="   "), "text", "non-empty text"),
    ("cue out of range", lambda r: r.update(hedging="hedged", hedge_cues=[[0, 999]]), "hedge_cues[0]", "text length"),
    ("cue off word boundary", lambda r: r.update(hedging="hedged", hedge_cues=[[1, 4]]), "hedge_cues[0]", "word boundaries"),
    ("cue not a pair", lambda r: r.update(hedging="hedged", hedge_cues=[[1]]), "hedge_cues[0]", "[start, end)"),
    ("hedged without cue", lambda r: r.update(hedging="hedged", hedge_cues=[]), "hedge_cues", "at least one hedge cue"),
    ("certain with cue", lambda r: r.update(hedge_cues=[[0, 3]]), "hedge_cues", "no hedge cues"),
    ("unknown document", lambda r: r.update(doc_id="nope"), "doc_id", "documents.jsonl"),
    ("split differs from document", lambda r: r.update(split="test"), "split", "the split of document"),
    ("unknown stance target", lambda r: r.update(stance=[{"target": "x-000-t9", "label": "support"}]), "stance", "one stance label for each target"),
    ("bad stance label", lambda r: r.update(stance=[{"target": "x-000-t1", "label": "agree"}]), "stance[0].label", "one of"),
    ("duplicate id", lambda r: r.update(id="x-000-s00"), "id", "a unique id"),
    ("malformed JSON", lambda r: '{"id": "x-000-s01", ', None, "malformed JSON"),
    ("JSON array", lambda r: "[1, 2]", None, "a JSON object"),
]


@pytest.mark.parametrize("name,mutate,field,expected", SENTENCE_CASES, ids=[c[0] for c in SENTENCE_CASES])
def test_bad_sentence_record(corpus_dir, name, mutate, field, expected):
    # line 2 is the second sentence of document x-000 (a train document; first sentence is certain)
    path = corpus_dir / "sentences.jsonl"
    _rewrite(path, 2, mutate)
    with pytest.raises(DataFormatError) as info:
        load_corpus(corpus_dir)
    err = info.value
    assert err.path == str(path)
    assert err.line == 2
    assert err.field == field
    assert expected in str(err)
    assert "sentences.jsonl, line 2" in str(err)


DOCUMENT_CASES = [
    ("unknown region", lambda r: r.update(region="atlantis"), "region"),
    ("unknown topic", lambda r: r.update(topic="sports"), "topic"),
    ("bad date", lambda r: r.update(date="May 2026"), "date"),
    ("no targets", lambda r: r.update(targets=[]), "targets"),
    ("target without text", lambda r: r.update(targets=[{"id": "x-000-t1"}]), "targets[0]"),
    ("duplicate doc id", lambda r: r.update(doc_id="x-000"), "doc_id"),
    ("bad split", lambda r: r.update(split="validation"), "split"),
]


@pytest.mark.parametrize("name,mutate,field", DOCUMENT_CASES, ids=[c[0] for c in DOCUMENT_CASES])
def test_bad_document_record(corpus_dir, name, mutate, field):
    path = corpus_dir / "documents.jsonl"
    _rewrite(path, 2, mutate)
    with pytest.raises(CorpusFormatError) as info:
        load_corpus(corpus_dir)
    assert (info.value.path, info.value.line, info.value.field) == (str(path), 2, field)


def test_raw_byte_problems(corpus_dir):
    path = corpus_dir / "sentences.jsonl"
    data = path.read_bytes().split(b"\n")
    data[2] = data[2][:10] + b"\xff\xfe" + data[2][10:]
    path.write_bytes(b"\n".join(data))
    with pytest.raises(ValueError, match="line 3.*UTF-8"):
        load_corpus(corpus_dir)
    data[2] = b'{"id": "a\x00b"}'
    path.write_bytes(b"\n".join(data))
    with pytest.raises(ValueError, match="line 3.*NUL"):
        load_corpus(corpus_dir)


def test_bom_and_crlf_are_accepted(corpus_dir):
    path = corpus_dir / "sentences.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert len(load_corpus(corpus_dir)) == 144


def test_empty_file_and_missing_and_directory(corpus_dir, tmp_path):
    (corpus_dir / "sentences.jsonl").write_text("")
    with pytest.raises(CorpusFormatError, match="at least one sentence"):
        load_corpus(corpus_dir)
    (corpus_dir / "sentences.jsonl").unlink()
    (corpus_dir / "sentences.jsonl").mkdir()
    with pytest.raises(IsADirectoryError, match="found a directory"):
        load_corpus(corpus_dir)
    with pytest.raises(FileNotFoundError, match="no such corpus directory"):
        load_corpus(tmp_path / "nowhere" / "x")


def test_string_check_is_skipped_only_where_no_escape_can_hide_a_bad_character():
    """parse_jsonl_line walks the strings only of lines with a \\u escape; the outcome must equal a full walk."""
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import given, settings, strategies as st

    from stancekit.data._jsonl import _DECODER, _check_strings, parse_jsonl_line

    chars = st.sampled_from(list("ab é\\\"/\n") + ["\x00", "\ud800", "\udfff", "\U0001F600", "\u2028"])
    text = st.text(alphabet=chars, max_size=8)
    values = st.recursive(st.one_of(text, st.integers(), st.none()),
                          lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                  st.dictionaries(text, inner, max_size=3)), max_leaves=6)

    @settings(max_examples=400, deadline=None)
    @given(st.dictionaries(text, values, max_size=4), st.booleans())
    def check(obj, ascii_only):
        raw = json.dumps(obj, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
        decoded = None
        try:
            decoded = _DECODER.decode(raw.decode("utf-8"))  # escaped surrogates may pair up into one character
            expected = _check_strings(decoded)
        except UnicodeDecodeError:
            expected = "undecodable"
        try:
            assert parse_jsonl_line(raw, path="f", line=1) == decoded
            assert expected is None
        except DataFormatError as exc:
            assert expected is not None
            if expected != "undecodable":
                assert exc.field == expected[0]

    check()
