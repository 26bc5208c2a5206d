"""Building the released corpus files from raw articles and annotations."""

import json
import re
from pathlib import Path

import pytest

from stancekit.data import CorpusFormatError, load_corpus
from stancekit.data._build import build_corpus, build_records, parse_article

ROOT = Path(__file__).resolve().parents[2] / "datasets" / "geonews"

ARTICLE = """doc_id: {doc_id}
headline: Talks stall as both sides trade blame
date: 2026-03-14
dateline: NIAMEY
region: africa
topic: {topic}
target t1: The armed group has withdrawn its fighters from the river towns.
---
The armed group may have pulled out of two river towns, officials said.
Fighting resumed near the dam on Friday.

The ministry said 40 trucks had crossed.
"""


def _labels(doc_id):
    rows = [("hedged", ["may"], "event", "anonymous", "support"),
            ("certain", [], "event", "author", "unrelated"),
            ("certain", [], "quantity", "named", "unrelated")]
    text = ARTICLE.split("---\n", 1)[1]
    sentences = [line for line in text.splitlines() if line.strip()]
    return [{"doc_id": doc_id, "position": i, "text": s, "hedging": h, "hedge_cues": c, "claim_type": ct,
             "source": src, "stance": {"t1": st}, "phenomena": []}
            for i, (s, (h, c, ct, src, st)) in enumerate(zip(sentences, rows))]


def _raw_corpus(root, doc_ids, topic="ceasefire"):
    (root / "raw" / "articles").mkdir(parents=True, exist_ok=True)
    (root / "raw" / "annotations" / "primary").mkdir(parents=True, exist_ok=True)
    for doc_id in doc_ids:
        (root / "raw" / "articles" / f"{doc_id}.txt").write_text(ARTICLE.format(doc_id=doc_id, topic=topic))
        (root / "raw" / "annotations" / "primary" / f"{doc_id}.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in _labels(doc_id)))
    return root


def test_build_writes_loadable_files_and_freezes_splits(tmp_path):
    root = _raw_corpus(tmp_path / "c", [f"af-{i:03d}" for i in range(1, 11)])
    problems, docs, sentences = build_corpus(root)
    assert problems == [] and len(docs) == 10 and len(sentences) == 30
    corpus = load_corpus(root)
    splits = json.loads((root / "raw" / "splits.json").read_text())
    assert sorted(splits.values()).count("train") == 7 and list(splits.values()).count("test") == 2
    first = corpus.sentences[0]
    assert first["hedge_cues"] == [[first["text"].index("may"), first["text"].index("may") + 3]]
    # a later batch keeps every frozen assignment
    _raw_corpus(root, ["zz-001", "zz-002"])
    build_corpus(root)
    again = json.loads((root / "raw" / "splits.json").read_text())
    assert {k: again[k] for k in splits} == splits and set(again) == set(splits) | {"zz-001", "zz-002"}


def test_new_split_puts_a_whole_batch_in_one_split(tmp_path):
    root = _raw_corpus(tmp_path / "c", [f"af-{i:03d}" for i in range(1, 11)])
    build_corpus(root)
    before = json.loads((root / "raw" / "splits.json").read_text())
    _raw_corpus(root, [f"xa-{i:03d}" for i in range(1, 6)], topic="election")
    build_corpus(root, new_split="test")
    after = json.loads((root / "raw" / "splits.json").read_text())
    assert {k: after[k] for k in before} == before
    assert [after[f"xa-{i:03d}"] for i in range(1, 6)] == ["test"] * 5
    assert {d["doc_id"] for d in load_corpus(root).documents.values() if d["split"] == "test"} >= {"xa-001"}
    with pytest.raises(ValueError, match="new_split must be one of"):
        build_records(root, new_split="holdout")


def test_problems_name_file_and_field(tmp_path):
    root = _raw_corpus(tmp_path / "c", ["af-001"])
    ann = root / "raw" / "annotations" / "primary" / "af-001.jsonl"
    rows = _labels("af-001")
    rows[0]["hedge_cues"] = ["might"]
    ann.write_text("".join(json.dumps(r) + "\n" for r in rows))
    problems, _, _ = build_corpus(root, check=True)
    assert len(problems) == 1 and "af-001.jsonl" in problems[0] and "hedge_cues[0]" in problems[0]
    assert "might" in problems[0]
    assert not (root / "documents.jsonl").exists()
    art = root / "raw" / "articles" / "af-001.txt"
    art.write_text(art.read_text().replace("doc_id: af-001", "doc_id: af-002"))
    with pytest.raises(CorpusFormatError, match="doc_id"):
        parse_article(art)


BAD_ANNOTATIONS = [
    ("phenomena", [["reporting_verb"]], "field 'phenomena': expected a list of phenomenon tags"),
    ("phenomena", 5, "field 'phenomena': expected a list of phenomenon tags"),
    ("phenomena", "reporting_verb", "field 'phenomena': expected a list of phenomenon tags"),
    ("hedge_cues", [["may", 0]], "field 'hedge_cues[0]': expected an occurrence number >= 1"),
    ("hedge_cues", [["may", -1]], "field 'hedge_cues[0]': expected an occurrence number >= 1"),
]


def test_a_bad_header_value_names_its_line(tmp_path):
    root = _raw_corpus(tmp_path / "c", ["af-001"])
    art = root / "raw" / "articles" / "af-001.txt"
    art.write_text(art.read_text().replace("date: 2026-03-14", "date: 14 March 2026"))
    problems, _, _ = build_corpus(root, check=True)
    assert len(problems) == 1 and problems[0].startswith(f"{art}, line 3: field 'date': expected")


def test_a_missing_label_is_called_missing(tmp_path):
    root = _raw_corpus(tmp_path / "c", ["af-001"])
    ann = root / "raw" / "annotations" / "primary" / "af-001.jsonl"
    rows = _labels("af-001")
    del rows[1]["claim_type"]
    ann.write_text("".join(json.dumps(r) + "\n" for r in rows))
    problems, _, _ = build_corpus(root, check=True)
    assert problems == [f"{ann}, line 2: field 'claim_type': expected a 'claim_type' label, found 'the field missing'"]


@pytest.mark.parametrize("field,value,message", BAD_ANNOTATIONS, ids=[f"{f}-{v!r}" for f, v, _ in BAD_ANNOTATIONS])
def test_bad_annotation_values_are_problems_not_tracebacks(tmp_path, field, value, message):
    root = _raw_corpus(tmp_path / "c", ["af-001"])
    ann = root / "raw" / "annotations" / "primary" / "af-001.jsonl"
    rows = _labels("af-001")
    rows[0][field] = value
    ann.write_text("".join(json.dumps(r) + "\n" for r in rows))
    problems, _, _ = build_corpus(root, check=True)
    assert len(problems) == 1 and "af-001.jsonl, line 1" in problems[0] and message in problems[0]


def test_bad_adjudication_and_article_encoding_name_the_file(tmp_path):
    root = _raw_corpus(tmp_path / "c", ["af-001", "af-002"])
    adj = root / "raw" / "annotations" / "adjudication.jsonl"
    adj.write_text(json.dumps({"id": "af-001-s00", "layer": ["x"], "final": "x"}) + "\n")
    with pytest.raises(CorpusFormatError, match=r"adjudication.jsonl, line 1: field 'layer': expected a non-empty"):
        build_corpus(root, check=True)
    adj.unlink()
    art = root / "raw" / "articles" / "af-002.txt"
    art.write_bytes(art.read_bytes().replace(b"Talks", b"Talks \xff"))
    problems, _, _ = build_corpus(root, check=True)
    assert len(problems) == 1 and "af-002.txt: expected valid UTF-8" in problems[0]


def _write_decisions(root, name, rows):
    path = root / "raw" / "annotations" / name
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_revisions_apply_after_adjudication_and_check_the_label_they_replace(tmp_path):
    root = _raw_corpus(tmp_path / "c", ["af-001", "af-002"])
    _write_decisions(root, "adjudication.jsonl", [{"id": "af-001-s01", "layer": "claim_type", "final": "quantity"}])
    revisions = _write_decisions(root, "revisions.jsonl", [
        {"id": "af-001-s01", "layer": "claim_type", "from": "quantity", "to": "background", "note": "audit"},
        {"id": "af-001-s01", "layer": "hedging", "from": "certain", "to": "hedged"},
        {"id": "af-001-s01", "layer": "hedge_cues", "from": [], "to": ["on Friday"]},
        {"id": "af-002-s00", "layer": "stance:t1", "from": "support", "to": "neutral"},
        {"id": "af-002-s00", "layer": "hedging", "from": "hedged", "to": "certain"}])
    problems, _, sentences = build_corpus(root)
    assert problems == []
    by_id = {s["id"]: s for s in sentences}
    revised = by_id["af-001-s01"]
    assert revised["claim_type"] == "background" and revised["hedging"] == "hedged"
    assert [revised["text"][a:b] for a, b in revised["hedge_cues"]] == ["on Friday"]
    assert by_id["af-002-s00"]["stance"][0]["label"] == "neutral"
    assert by_id["af-002-s00"]["hedging"] == "certain" and by_id["af-002-s00"]["hedge_cues"] == []
    # the same sentence without revisions keeps the primary labels
    kept = by_id["af-001-s00"]
    assert (kept["hedging"], kept["stance"][0]["label"], len(kept["hedge_cues"])) == ("hedged", "support", 1)
    # a revision written against a label that has since changed is refused, naming its line and field
    _write_decisions(root, "revisions.jsonl", [
        {"id": "af-001-s01", "layer": "claim_type", "from": "event", "to": "background"}])
    problems, _, _ = build_corpus(root, check=True)
    assert len(problems) == 1 and f"{revisions}, line 1: field 'from'" in problems[0]
    assert "expected the label the revision replaces, 'quantity', found 'event'" in problems[0]


@pytest.mark.parametrize("name, row, message", [
    ("revisions.jsonl", {"id": "af-001-s07", "layer": "source", "from": "author", "to": "named"},
     "line 1: field 'id': expected a sentence and layer of the corpus, found 'af-001-s07 source'"),
    ("adjudication.jsonl", {"id": "af-001-s00", "layer": "stance:t2", "final": "deny"},
     "line 1: field 'id': expected a sentence and layer of the corpus, found 'af-001-s00 stance:t2'"),
    ("adjudication.jsonl", {"id": "zz-009-s00", "layer": "source", "final": "named"},
     "line 1: field 'id': expected a document of the corpus, found 'zz-009-s00 source'"),
])
def test_a_decision_that_names_nothing_is_a_problem(tmp_path, name, row, message):
    root = _raw_corpus(tmp_path / "c", ["af-001"])
    _write_decisions(root, name, [row])
    problems, _, _ = build_corpus(root, check=True)
    assert len(problems) == 1 and name in problems[0] and message in problems[0]
    # building only other documents does not judge decisions about this one
    _raw_corpus(root, ["be-001"])
    if not row["id"].startswith("zz"):
        assert build_corpus(root, check=True, prefixes=["be"])[0] == []


@pytest.mark.parametrize("name, rows, message", [
    ("revisions.jsonl", [{"id": "af-001-s01", "layer": "claim_type", "from": "event", "to": "bogus"}],
     "revisions.jsonl, line 1: field 'to': expected one of ['prediction'"),
    ("revisions.jsonl", [{"id": "af-001-s01", "layer": "hedging", "from": "certain", "to": "hedged"},
                         {"id": "af-001-s01", "layer": "hedge_cues", "from": [], "to": ["no such words"]}],
     "revisions.jsonl, line 2: field 'to': expected cue 'no such words' (occurrence 1) on word boundaries"),
    ("revisions.jsonl", [{"id": "af-001-s01", "layer": "stance:t1", "from": "unrelated", "to": "maybe"}],
     "revisions.jsonl, line 1: field 'to': expected one of ['support', 'deny', 'neutral', 'unrelated'], "
     "found 'maybe'"),
    ("revisions.jsonl", [{"id": "af-001-s01", "layer": "hedging", "from": "certain", "to": "hedged"}],
     "revisions.jsonl, line 1: field 'to': expected at least one hedge cue for a 'hedged' sentence, found []"),
    ("adjudication.jsonl", [{"id": "af-001-s01", "layer": "source", "final": "nobody"}],
     "adjudication.jsonl, line 1: field 'final': expected one of ['author', 'named', 'anonymous'], found 'nobody'"),
])
def test_a_bad_decided_label_is_blamed_on_the_decision(tmp_path, name, rows, message):
    root = _raw_corpus(tmp_path / "c", ["af-001"])
    _write_decisions(root, name, rows)
    problems, _, _ = build_corpus(root, check=True)
    assert len(problems) == 1 and message in problems[0]


@pytest.mark.parametrize("rows, message", [
    ([{"id": "af-001-s00", "layer": "claimtype", "final": "event"}],
     "line 1: field 'layer': expected one of hedging, hedge_cues, claim_type, source, stance:<target id>, "
     "found 'claimtype'"),
    ([{"id": "af-001-s00", "layer": "source", "final": "named"}, {"id": "af-001-s00", "layer": "source",
                                                                  "final": "author"}],
     "line 2: field 'id': expected one decision per sentence and layer (af-001-s00 source is also on line 1)"),
])
def test_decision_file_format_errors(tmp_path, rows, message):
    root = _raw_corpus(tmp_path / "c", ["af-001"])
    _write_decisions(root, "adjudication.jsonl", rows)
    with pytest.raises(CorpusFormatError, match=re.escape(message)):
        build_corpus(root, check=True)
    _write_decisions(root, "adjudication.jsonl", [])
    _write_decisions(root, "revisions.jsonl", [{"id": "af-001-s00", "layer": "source", "to": "named"}])
    with pytest.raises(CorpusFormatError, match=r"revisions.jsonl, line 1: field 'from': expected a 'from' field, "
                                                r"found 'the field missing'"):
        build_corpus(root, check=True)


def test_a_bad_frozen_split_is_a_problem_and_nothing_is_written(tmp_path):
    root = _raw_corpus(tmp_path / "c", [f"af-{i:03d}" for i in range(1, 6)])
    build_corpus(root)
    splits_path = root / "raw" / "splits.json"
    released = {name: (root / name).read_bytes() for name in ("documents.jsonl", "sentences.jsonl")}
    splits = json.loads(splits_path.read_text())
    for bad in ("tset", 3):
        splits["af-001"] = bad
        splits_path.write_text(json.dumps(splits))
        for check in (True, False):
            problems, _, _ = build_corpus(root, check=check)
            assert len(problems) == 1 and "splits.json" in problems[0] and "field 'af-001'" in problems[0]
            assert f"found {bad!r}" in problems[0] or f"found '{bad}'" in problems[0]
        assert {name: (root / name).read_bytes() for name in released} == released
        assert json.loads(splits_path.read_text())["af-001"] == bad
    for text, message in (('{"af-001": ', "malformed JSON"), ('["af-001"]', "a JSON object {document id: split}")):
        splits_path.write_text(text)
        with pytest.raises(CorpusFormatError, match=f"splits.json.*{message}"):
            build_corpus(root, check=True)


def test_released_files_are_the_build_of_the_raw_files():
    docs, sentences, splits, problems = build_records(ROOT)
    assert problems == []
    corpus = load_corpus(ROOT)
    assert splits == json.loads((ROOT / "raw" / "splits.json").read_text())
    released = [json.loads(line) for line in (ROOT / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sentences == released
    assert len(docs) == len(corpus.documents)


def test_cli_build_new_split_and_check(tmp_path, capsys):
    from stancekit.cli import main

    root = _raw_corpus(tmp_path / "c", [f"af-{i:03d}" for i in range(1, 11)])
    assert main(["corpus", "build", str(root)]) == 0
    _raw_corpus(root, ["xa-001", "xa-002"], topic="election")
    assert main(["corpus", "build", str(root), "--check", "--prefix", "xa"]) == 0
    assert "checked 2 documents, 6 sentences; 0 problems" in capsys.readouterr().out
    assert "xa-001" not in json.loads((root / "raw" / "splits.json").read_text())  # --check writes nothing
    assert main(["corpus", "build", str(root), "--new-split", "dev"]) == 0
    splits = json.loads((root / "raw" / "splits.json").read_text())
    assert splits["xa-001"] == splits["xa-002"] == "dev"
    with pytest.raises(SystemExit) as exc:
        main(["corpus", "build", str(root), "--new-split", "holdout"])
    assert exc.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_overlap_finds_a_copied_sentence(tmp_path, capsys):
    from stancekit.cli import main
    from stancekit.data._stats import nearest_overlap

    root = _raw_corpus(tmp_path / "c", [f"af-{i:03d}" for i in range(1, 11)])
    build_corpus(root)
    corpus = load_corpus(root)
    # every document has the same three sentences, so each test sentence has an exact copy in train
    result = nearest_overlap(corpus, against="train")
    assert result["query"] == 6 and result["reference"] == 21 and result["quantiles"][50] == 1.0
    assert result["closest"][0]["text"] == result["closest"][0]["reference_text"]
    by_doc = nearest_overlap(corpus, documents=["af-001"])
    assert by_doc["query"] == 3 and by_doc["reference"] == 27
    assert all(c["reference"].split("-s")[0] != "af-001" for c in by_doc["closest"])
    with pytest.raises(ValueError, match=r"no sentences in documents zz\*"):
        nearest_overlap(corpus, documents=["zz"])
    assert main(["corpus", "overlap", str(root), "--documents", "af-001"]) == 0
    assert "3 query sentences against 27 reference sentences" in capsys.readouterr().out


def test_stats_of_some_documents(tmp_path):
    from stancekit.data._stats import corpus_stats

    root = _raw_corpus(tmp_path / "c", [f"af-{i:03d}" for i in range(1, 11)])
    _raw_corpus(root, ["xa-001", "xa-002"], topic="election")
    build_corpus(root, new_split="test")
    corpus = load_corpus(root)
    whole, part = corpus_stats(corpus), corpus_stats(corpus, documents=["xa"])
    assert part["documents"] == {"train": 0, "dev": 0, "test": 2, "all": 2}
    assert part["sentences"]["all"] == 6 and whole["sentences"]["all"] == 36
    assert part["topics"] == {"election": 2} and part["layers"]["source"]["all"]["named"] == 2
    assert part["hedge_cues"] == 2 and whole["hedge_cues"] == 12
    assert part["shape"] == {"words_per_sentence": [9.0, 7, 13], "sentences_per_document": [3, 3],
                             "targets_per_document": {1: 2}, "dates": ["2026-03-14", "2026-03-14"]}


def test_corpus_card_statistics_are_those_of_the_files():
    from stancekit.data._stats import corpus_stats, format_stats

    card = (ROOT / "README.md").read_text(encoding="utf-8")
    assert format_stats(corpus_stats(load_corpus(ROOT))).strip() in card
