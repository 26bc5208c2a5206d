"""The blind sample and the agreement figures are recomputable from the committed raw files."""

import json
from pathlib import Path

import pytest

from stancekit.data import load_corpus
from stancekit.data._agreement import agreement, draw_sample

ROOT = Path(__file__).resolve().parents[2] / "datasets" / "geonews"


def test_committed_sample_is_the_seeded_draw():
    saved = json.loads((ROOT / "raw" / "annotations" / "sample.json").read_text())
    corpus = load_corpus(ROOT)
    assert draw_sample(corpus, fraction=saved["fraction"], seed=saved["seed"]) == saved["ids"]
    assert len(saved["ids"]) >= 0.15 * len(corpus)
    assert {i.rsplit("-s", 1)[0] for i in saved["ids"]} == set(corpus.documents)


def test_agreement_covers_the_sample_and_every_layer():
    saved = json.loads((ROOT / "raw" / "annotations" / "sample.json").read_text())
    result = agreement(ROOT)
    assert result["sentences"] == len(saved["ids"])
    assert set(result["layers"]) == {"hedging", "claim_type", "source", "stance"}
    for m in result["layers"].values():
        assert -1 <= m["kappa"] <= 1 and 0 <= m["agreement"] <= 1
    assert 0 < result["cues"]["exact_f1"] <= result["cues"]["overlap_f1"] <= 1


def test_agreement_on_some_documents():
    whole = agreement(ROOT)
    part = agreement(ROOT, documents=["af-", "am-"])
    assert 0 < part["sentences"] < whole["sentences"]
    sample = json.loads((ROOT / "raw" / "annotations" / "sample.json").read_text())["ids"]
    assert part["documents"] == len({i.rsplit("-s", 1)[0] for i in sample if i.startswith(("af-", "am-"))})
    assert all(d["id"].startswith(("af-", "am-")) for d in part["disagreements"])
    assert {d["id"] for d in part["disagreements"]} == {d["id"] for d in whole["disagreements"]
                                                        if d["id"].startswith(("af-", "am-"))}
    with pytest.raises(ValueError, match="no second-annotator labels for documents zz"):
        agreement(ROOT, documents=["zz"])


def test_blind_packets_mark_the_sample_and_carry_no_labels(tmp_path):
    from stancekit.cli import main
    from stancekit.data._agreement import blind_packets

    sample = json.loads((ROOT / "raw" / "annotations" / "sample.json").read_text())["ids"]
    wanted = [i for i in sample if i.startswith(("af-001", "af-002", "af-003"))]
    packets = blind_packets(ROOT, documents=["af-001", "af-002", "af-003"], parts=2)
    assert len(packets) == 2 and "## af-001" in packets[0] and "## af-003" in packets[1]
    marked = [line.split()[1] for text in packets for line in text.splitlines() if line.startswith(">> ")]
    assert marked == wanted
    labels = {"hedged", "certain", "support", "deny", "unrelated", "anonymous", "claim_type"}
    assert not any(word in labels for text in packets for word in text.replace(":", " ").split())
    assert main(["corpus", "packets", str(ROOT), "--documents", "af-001", "--output", str(tmp_path / "p")]) == 0
    assert (tmp_path / "p" / "packet_1.md").read_text(encoding="utf-8") == blind_packets(ROOT, documents=["af-001"])[0]
    with pytest.raises(ValueError, match="no sampled sentences in documents zz"):
        blind_packets(ROOT, documents=["zz"])
    with pytest.raises(FileNotFoundError, match="no blind sample; run 'stancekit corpus sample' first"):
        blind_packets(tmp_path)


@pytest.mark.parametrize("sid, expected", [
    ("af-001", "a sentence id '<document id>-s<position>'"),
    ("zz-404-s01", "zz-404.txt is missing"),
    ("af-001-s99", "a sentence position of af-001 (0 to "),
])
def test_second_annotation_with_a_bad_sentence_id_names_file_line_and_field(tmp_path, sid, expected):
    from stancekit.data import CorpusFormatError
    from stancekit.data._agreement import load_second

    raw = tmp_path / "raw"
    (raw / "articles").mkdir(parents=True)
    (raw / "annotations" / "second").mkdir(parents=True)
    (raw / "articles" / "af-001.txt").write_bytes((ROOT / "raw" / "articles" / "af-001.txt").read_bytes())
    good = {"id": "af-001-s00", "hedging": "certain", "claim_type": "event", "source": "author", "stance": {}}
    path = raw / "annotations" / "second" / "x.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps({**good, "id": sid}) + "\n", encoding="utf-8")
    with pytest.raises(CorpusFormatError) as info:
        load_second(raw)
    message = str(info.value)
    assert "x.jsonl" in message and "line 2" in message and "'id'" in message and expected in message
    path.write_text(json.dumps(good) + "\n", encoding="utf-8")
    labels, annotator = load_second(raw)
    assert list(labels) == ["af-001-s00"] and annotator == {"af-001-s00": "x"}


@pytest.mark.parametrize("content, message", [
    ('{"ids": ', "malformed JSON"),
    ('{"fraction": 0.17}', "field 'ids': expected a JSON object with an 'ids' list"),
    ('{"ids": ["abc"]}', r"field 'ids\[0\]': expected a sentence id"),
])
def test_a_bad_sample_file_is_named(tmp_path, content, message):
    from stancekit.data import CorpusFormatError
    from stancekit.data._agreement import blind_packets

    (tmp_path / "raw" / "annotations").mkdir(parents=True)
    (tmp_path / "raw" / "annotations" / "sample.json").write_text(content)
    with pytest.raises(CorpusFormatError, match=message) as info:
        blind_packets(tmp_path)
    assert "sample.json" in str(info.value)


def test_packets_need_a_positive_number_of_parts():
    from stancekit.data._agreement import blind_packets

    with pytest.raises(ValueError, match="parts must be a positive integer, got 0"):
        blind_packets(ROOT, parts=0)


def test_second_annotation_stance_must_be_an_object(tmp_path):
    from stancekit.data import CorpusFormatError
    from stancekit.data._agreement import load_second

    raw = tmp_path / "raw"
    (raw / "articles").mkdir(parents=True)
    (raw / "annotations" / "second").mkdir(parents=True)
    (raw / "articles" / "af-001.txt").write_bytes((ROOT / "raw" / "articles" / "af-001.txt").read_bytes())
    (raw / "annotations" / "second" / "x.jsonl").write_text(json.dumps(
        {"id": "af-001-s00", "hedging": "certain", "claim_type": "event", "source": "author",
         "stance": ["support"]}) + "\n")
    with pytest.raises(CorpusFormatError, match=r"x\.jsonl, line 1: field 'stance': expected an object"):
        load_second(raw)
