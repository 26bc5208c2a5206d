"""`stancekit predict` input on the whole bad-input list: one output line per input line, in order; an error
record (naming the line and field) for each bad line; a non-zero exit status when any line failed."""

import json
import random

import pytest

from stancekit.cli import main

MB = 1 << 20
TARGET = "Troops crossed the border."
MIXED = "Officials 官员 said the convoy 🚚 may have crossed — Конвой пересёк границу, قال المسؤولون 👍🏽."
BIG = ("Officials said the convoy may have crossed the border at night. " * (MB // 62 + 1))[:MB].strip()


def _j(obj):
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


# (id, raw line, None for a good line or (field, fragment) for a bad one)
LINES = [
    ("plain", _j({"text": "Troops crossed the border on Monday."}), None),
    ("with id and target", _j({"id": "a-1", "text": "Officials said troops may have crossed.", "target": TARGET}),
     None),
    ("integer id", _j({"id": 7, "text": "The envoys will meet on Tuesday."}), None),
    ("extra field kept", _j({"text": "Exports fell by 12 percent.", "source_url": "http://x", "n": [1, 2]}), None),
    ("CRLF line end", _j({"text": "The ministry denied it."}) + b"\r", None),
    ("mixed scripts and emoji", _j({"id": "mixed", "text": MIXED, "target": TARGET}), None),
    ("one megabyte", _j({"id": "big", "text": BIG}), None),
    # malformed JSON and non-objects
    ("malformed JSON", b'{"text": "Troops crossed', (None, "malformed JSON")),
    ("trailing comma", b'{"text": "Troops crossed.",}', (None, "malformed JSON")),
    ("two objects", b'{"text": "a"} {"text": "b"}', (None, "malformed JSON (Extra data")),
    ("JSON array", b'["Troops crossed."]', (None, "a JSON object")),
    ("JSON string", b'"Troops crossed."', (None, "a JSON object")),
    ("blank line", b"", (None, "a blank line")),
    ("whitespace line", b"   \t", (None, "a blank line")),
    ("NaN", b'{"text": "Troops crossed.", "score": NaN}', (None, "non-standard constant NaN")),
    ("overflowing number", b'{"text": "Troops crossed.", "score": 1e999}', (None, "a finite number")),
    ("nested too deeply", b"[" * 100_000, (None, "nested more than 400 levels deep")),
    ("repeated key", b'{"text": "Troops crossed.", "text": "Troops left."}', ("text", "twice")),
    # missing, extra (reserved) fields
    ("missing text", _j({"id": "x", "sentence": "Troops crossed."}), ("text", "an object with a 'text' field")),
    ("reserved output field", _j({"text": "Troops crossed.", "hedging": "certain"}), ("hedging", "output field")),
    ("reserved error field", _j({"text": "Troops crossed.", "error": "none"}), ("error", "output field")),
    # wrong types and non-string values
    ("text as number", _j({"text": 42}), ("text", "a string")),
    ("text as null", _j({"text": None}), ("text", "a string")),
    ("text as list", _j({"text": ["Troops", "crossed"]}), ("text", "a string")),
    ("text as object", _j({"text": {"en": "Troops crossed."}}), ("text", "a string")),
    ("target as number", _j({"text": "Troops crossed.", "target": 1}), ("target", "a non-empty string")),
    ("target empty", _j({"text": "Troops crossed.", "target": "  "}), ("target", "a non-empty string")),
    ("id as list", _j({"id": [1], "text": "Troops crossed."}), ("id", "a string or integer")),
    # empty and whitespace-only text
    ("empty text", _j({"text": ""}), ("text", "a non-empty sentence")),
    ("whitespace text", _j({"text": " \t\u00a0\u3000\n"}), ("text", "a non-empty sentence")),
    # bytes
    ("invalid UTF-8", b'{"text": "caf\xe9 owners fled."}', (None, "valid UTF-8")),
    ("NUL byte", b'{"text": "Troops\x00 crossed."}', (None, "NUL byte")),
    ("escaped NUL", b'{"text": "Troops\\u0000 crossed."}', ("text", "NUL character")),
    ("unpaired surrogate", b'{"text": "Troops \\ud800 crossed."}', ("text", "unpaired surrogate")),
    ("unpaired surrogate in target", b'{"text": "Troops crossed.", "target": "\\udfff"}', ("target", "surrogate")),
    ("integer too long to convert", b'{"text": "Troops crossed.", "n": ' + b"1" * 5000 + b"}",
     (None, "a value that cannot be read")),
    ("nested 450 deep, inside the stack but past the fixed limit",
     b'{"text": "Troops crossed.", "x": ' + b"[" * 450 + b"]" * 450 + b"}", (None, "nested more than 400")),
    ("brackets inside a string do not count", _j({"text": "Troops [" * 500 + " crossed."}), None),
    ("boolean id", _j({"id": True, "text": "Troops crossed."}), ("id", "found 'true'")),
    ("repeated key in a nested object", b'{"text": "Troops crossed.", "meta": [{"a": 1}, {"a": 1, "a": 2}]}',
     ("meta[1].a", "the key 'a' twice")),
    ("null text", _j({"text": None}), ("text", "expected a string, found 'null'")),
    ("reserved probability field", _j({"text": "Troops crossed.", "stance_probability": 0.9}),
     ("stance_probability", "output field")),
    ("last good line", _j({"id": "last", "text": "It could not be verified whether troops crossed."}), None),
]
BAD_IDS = [name for name, _, bad in LINES if bad is not None]


@pytest.fixture(scope="module")
def run(trained_model, tmp_path_factory):
    """Predict once over a file holding every case (with a byte-order mark in front); return the results."""
    folder = tmp_path_factory.mktemp("predict")
    inp, out = folder / "in.jsonl", folder / "out.jsonl"
    inp.write_bytes(b"\xef\xbb\xbf" + b"\n".join(raw for _, raw, _ in LINES) + b"\n")
    code = main(["predict", "--model", str(trained_model), "--input", str(inp), "--output", str(out)])
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return {"code": code, "rows": rows, "input": inp, "output": out}


def test_one_output_line_per_input_line_and_non_zero_exit(run):
    assert len(run["rows"]) == len(LINES)
    assert run["code"] == 1
    assert [r["line"] for r in run["rows"] if "error" in r] == [i + 1 for i, (_, _, bad) in enumerate(LINES) if bad]


@pytest.mark.parametrize("i", [i for i, (_, _, bad) in enumerate(LINES) if bad is None],
                         ids=[name for name, _, bad in LINES if bad is None])
def test_good_line_is_labelled_and_echoed(run, i):
    name, raw, _ = LINES[i]
    row = run["rows"][i]
    rec = json.loads(raw.decode("utf-8").rstrip("\r"))
    assert "error" not in row, row
    for key, value in rec.items():
        assert row[key] == value  # input fields come back unchanged (the text too: no BOM, no CR)
    for layer in ("hedging", "claim_type", "source"):
        assert isinstance(row[layer], str) and 0 <= row[f"{layer}_probability"] <= 1
    assert ("stance" in row) == ("target" in rec)
    for start, end, cue in row["hedge_cues"]:
        assert 0 <= start < end <= len(rec["text"]) and rec["text"][start:end] == cue


@pytest.mark.parametrize("i", [i for i, (_, _, bad) in enumerate(LINES) if bad is not None], ids=BAD_IDS)
def test_bad_line_gives_an_error_record_naming_line_and_field(run, i):
    name, raw, (field, fragment) = LINES[i]
    row = run["rows"][i]
    assert set(row) <= {"line", "error", "id"}, row
    assert row["line"] == i + 1
    assert f"{run['input']}, line {i + 1}" in row["error"]
    if field is not None:
        assert f"field '{field}'" in row["error"]
    assert fragment in row["error"], row["error"]


def test_error_record_keeps_the_id_when_it_can_be_read(trained_model, tmp_path):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text('{"id": "keep-me", "text": 3}\n')
    assert main(["predict", "--model", str(trained_model), "--input", str(inp), "--output", str(out)]) == 1
    row = json.loads(out.read_text())
    assert row["line"] == 1 and "field 'text'" in row["error"]
    assert row.get("id") == "keep-me"


def test_stdout_and_stdin(trained_model, tmp_path, capsysbinary, monkeypatch):
    import io
    import sys

    data = b'{"text": "Troops crossed."}\n{"text": \n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["predict", "--model", str(trained_model)]) == 1
    out, err = capsysbinary.readouterr()
    rows = [json.loads(x) for x in out.decode("utf-8").splitlines()]
    assert len(rows) == 2 and "hedging" in rows[0]
    assert rows[1]["line"] == 2 and "<stdin>, line 2" in rows[1]["error"]
    assert b"1 of 2 input lines failed" in err


# ----------------------------------------------------------------------------------------------
# Files: empty, a directory, missing, unreadable


def test_empty_input_file(trained_model, tmp_path):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_bytes(b"")
    assert main(["predict", "--model", str(trained_model), "--input", str(inp), "--output", str(out)]) == 0
    assert out.read_bytes() == b""


@pytest.mark.parametrize("where", ["input", "output", "model"])
def test_directory_where_a_file_belongs(trained_model, tmp_path, capsys, where):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text('{"text": "Troops crossed."}\n')
    paths = {"input": inp, "output": out, "model": trained_model}
    paths[where] = tmp_path / "folder"
    paths[where].mkdir()
    args = ["predict", "--model", str(paths["model"]), "--input", str(paths["input"]), "--output", str(paths["output"])]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert str(paths[where]) in err and "found a directory" in err


def test_missing_input(trained_model, tmp_path, capsys):
    assert main(["predict", "--model", str(trained_model), "--input", str(tmp_path / "nope.jsonl"),
                 "--output", str(tmp_path / "out.jsonl")]) == 2
    assert f"{tmp_path / 'nope.jsonl'}: no such file" in capsys.readouterr().err
    assert not (tmp_path / "out.jsonl").exists()


def test_unreadable_input(trained_model, tmp_path, capsys, make_unreadable):
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"text": "Troops crossed."}\n')
    make_unreadable(inp)
    assert main(["predict", "--model", str(trained_model), "--input", str(inp),
                 "--output", str(tmp_path / "out.jsonl")]) == 2
    err = capsys.readouterr().err
    assert str(inp) in err and "not readable" in err


# ----------------------------------------------------------------------------------------------
# 10,000 lines with 50 bad ones; --strict

BAD_KINDS = [
    b'{"text": "Troops crossed',
    b'{"id": "gone"}',
    b'{"text": 17}',
    b'{"text": ""}',
    b'{"text": "   "}',
    b'{"text": "caf\xe9"}',
    b'{"text": "a\x00b"}',
    b'["a list"]',
    b"",
    b'{"text": "ok", "stance": "support"}',
    b'{"text": "Troops \\udc80 crossed."}',
    b'{"text": "ok", "target": 5}',
]


def _big_file(path):
    """10,000 lines; 50 bad ones (of every kind above) at seeded positions. Returns their line numbers."""
    rng = random.Random(20260509)
    bad_lines = sorted(rng.sample(range(1, 10_001), 50))
    texts = ["Troops crossed the border on Monday, the ministry said.", "Officials said the convoy may have left.",
             "About 4,000 people fled, according to aid workers.", "Talks will resume in Geneva next week."]
    lines = []
    for n in range(1, 10_001):
        if n in bad_lines:
            lines.append(BAD_KINDS[bad_lines.index(n) % len(BAD_KINDS)])
        else:
            rec = {"id": f"s{n}", "text": texts[n % 4]}
            if n % 5 == 0:
                rec["target"] = TARGET
            lines.append(json.dumps(rec).encode())
    path.write_bytes(b"\n".join(lines) + b"\n")
    return bad_lines


def test_ten_thousand_lines_with_fifty_bad(trained_model, tmp_path, capsys):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    bad_lines = _big_file(inp)
    assert main(["predict", "--model", str(trained_model), "--input", str(inp), "--output", str(out)]) == 1
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 10_000
    errors = [r for r in rows if "error" in r]
    assert len(errors) == 50
    assert [r["line"] for r in errors] == bad_lines
    assert all(f"line {r['line']}" in r["error"] for r in errors)
    assert [r["id"] for r in rows if "error" not in r] == [f"s{n}" for n in range(1, 10_001) if n not in bad_lines]
    assert all("hedging" in r for r in rows if "error" not in r)
    assert "50 of 10000 input lines failed" in capsys.readouterr().err

    # --strict stops at the first bad line and leaves no output file (nor a temporary one) behind
    strict_out = tmp_path / "strict.jsonl"
    assert main(["predict", "--model", str(trained_model), "--input", str(inp), "--output", str(strict_out),
                 "--strict"]) == 2
    assert f"{inp}, line {bad_lines[0]}" in capsys.readouterr().err
    assert not strict_out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]

    # ... and an existing output file is left as it was
    before = out.read_bytes()
    assert main(["predict", "--model", str(trained_model), "--input", str(inp), "--output", str(out),
                 "--strict"]) == 2
    assert out.read_bytes() == before


@pytest.mark.parametrize("n_jobs", ["1", "2"])
def test_old_mac_line_ends_are_line_ends(trained_model, tmp_path, n_jobs):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_bytes(b'{"id": 1, "text": "Troops crossed."}\r{"id": 2, "text": ""}\r\n{"id": 3, "text": "It may rain."}\r')
    assert main(["predict", "--model", str(trained_model), "--input", str(inp), "--output", str(out),
                 "--n-jobs", n_jobs, "--quiet"]) == 1
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r.get("id") for r in rows] == [1, 2, 3] and "hedging" in rows[0] and "hedging" in rows[2]
    assert rows[1]["line"] == 2 and "field 'text'" in rows[1]["error"]
