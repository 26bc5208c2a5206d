"""Szeged Uncertainty Corpus loader on invented XML in the corpus format."""

import hashlib

import pytest

from stancekit.data import DataFormatError
from stancekit.data.external import load_szeged

PROLOG = ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
          '<!DOCTYPE Annotation PUBLIC "-//Uncertainty//DTD  SCOPE ANNOTATION 1.0//EN" "Uncertainty.dtd">\n')

WIKI = PROLOG + """<Annotation created="1/1/2011" creator="test"><DocumentSet>
<Document type="Wikipedia_text_weasel"><DocID type="WIKIPEDIA_ARTICLE_ID">Harbour Town_1</DocID>
<DocumentPart type="Title"><Sentence id="S1.1">Harbour Town</Sentence></DocumentPart>
<DocumentPart type="Text"><Sentence id="S1.2">The town  was <ccue type="speculation_modal_probable_">probably</ccue> founded by   fishermen.</Sentence>
<Sentence id="S1.3">Its <ccue type="speculation_hypo_doxastic _">many  people believe</ccue> that the 5&amp;prime; bell <ccue type="speculation_hypo_condition _">  if </ccue>rung brings luck.</Sentence>
<Sentence id="S1.4">&#160;</Sentence>
<Sentence id="S1.5">The pier is 300 metres long.</Sentence></DocumentPart></Document>
<Document type="Wikipedia_text_weasel"><DocID type="WIKIPEDIA_ARTICLE_ID">Mount Example_2</DocID>
<DocumentPart type="Text"><Sentence id="S1.1">The summit <ccue type="speculation_hypo_investigation _">was surveyed to see whether</ccue> snow remains.</Sentence></DocumentPart></Document>
</DocumentSet></Annotation>"""

BIO = PROLOG + """<Annotation><DocumentSet><Document type="Biological_abstract"><DocID type="PMID">9000001</DocID>
<DocumentPart type="AbstractText"><Sentence id="S1.1">These proteins <ccue type="speculation_modal_possible_">may</ccue> bind the receptor.</Sentence>
<Sentence id="S1.2">Binding was measured in vitro.</Sentence></DocumentPart></Document></DocumentSet></Annotation>"""

PARTS = ("wiki", "bio_bmc", "bio_fly", "bio_hbc")


@pytest.fixture
def szeged_root(tmp_path, write_file):
    folder = tmp_path / "szeged_uncertainty"
    write_file(folder / "wiki.xml", WIKI)
    for part in PARTS[1:]:
        write_file(folder / f"{part}.xml", BIO.replace("9000001", f"9000001-{part}"))
    return tmp_path


def fold(doc_id):
    return f"fold{int(hashlib.sha256(doc_id.encode('utf-8')).hexdigest(), 16) % 10}"


def test_labels_cue_offsets_folds_and_groups(szeged_root):
    ds = load_szeged(szeged_root)
    assert ds.layer == "hedging" and ds.has_cues
    assert len(ds) == 5 + 3 * 2  # the no-break-space-only sentence is skipped
    by_id = {i["id"]: i for i in ds.items}
    title = by_id["wiki/Harbour Town_1/S1.1"]
    assert title["label"] == "certain" and title["cues"] == [] and title["group"] == "Harbour Town_1"
    s2 = by_id["wiki/Harbour Town_1/S1.2"]
    assert s2["text"] == "The town was probably founded by fishermen."
    assert s2["label"] == "hedged" and [s2["text"][a:b] for a, b in s2["cues"]] == ["probably"]
    s3 = by_id["wiki/Harbour Town_1/S1.3"]
    assert s3["text"] == "Its many people believe that the 5\u2032 bell if rung brings luck."
    assert [s3["text"][a:b] for a, b in s3["cues"]] == ["many people believe", "if"]
    s5 = by_id["wiki/Mount Example_2/S1.1"]
    assert [s5["text"][a:b] for a, b in s5["cues"]] == ["was surveyed to see whether"]
    assert "wiki/Harbour Town_1/S1.4" not in by_id
    for item in ds.items:
        assert item["split"] == fold(item["group"])
    assert ds.label_mapping == {"speculation_hypo_condition": "hedged", "speculation_hypo_doxastic": "hedged",
                                "speculation_hypo_investigation": "hedged", "speculation_modal_possible": "hedged",
                                "speculation_modal_probable": "hedged", "(no ccue)": "certain"}
    assert ds.label_counts() == {"certain": 5, "hedged": 6}
    texts, spans, groups = ds.cue_view()
    assert all(isinstance(s, tuple) for row in spans for s in row)
    assert all(t[a:b].strip() == t[a:b] and t[a:b] for t, row in zip(texts, spans) for a, b in row)
    # identical bio sentences sit in different documents; only same-fold repeats are flagged
    assert all(by_id[k]["split"] == by_id[v]["split"] for k, v in ds.duplicates.items())


def test_parts_and_cue_type_selection(szeged_root):
    ds = load_szeged(szeged_root, parts=["wiki"], cue_types=["speculation_modal_probable"])
    assert len(ds) == 5
    s3 = {i["id"]: i for i in ds.items}["wiki/Harbour Town_1/S1.3"]
    assert s3["label"] == "certain" and s3["cues"] == []
    assert ds.label_mapping["speculation_hypo_doxastic"] == "certain"
    with pytest.raises(ValueError, match="not in the data"):
        load_szeged(szeged_root, parts=["wiki"], cue_types=["negation"])
    with pytest.raises(FileNotFoundError, match="factbank.xml"):
        load_szeged(szeged_root, parts=["factbank"])


def test_missing_file(szeged_root):
    (szeged_root / "szeged_uncertainty" / "bio_fly.xml").unlink()
    with pytest.raises(FileNotFoundError) as exc:
        load_szeged(szeged_root)
    msg = str(exc.value)
    assert "szeged" in msg and str(szeged_root / "szeged_uncertainty") in msg
    for part in PARTS:
        assert f"{part}.xml" in msg


@pytest.mark.parametrize("old, new, line, field", [
    ('<ccue type="speculation_modal_probable_">', "<ccue>", 5, "Document[Harbour Town_1]/Sentence[S1.2]/ccue@type"),
    ("<Sentence id=\"S1.5\">The pier", "<Sentence id=\"S1.5\"><b>The</b> pier", 8,
     "Document[Harbour Town_1]/Sentence[S1.5]"),
    ('<Sentence id="S1.5">', '<Sentence id="S1.2">', 8, "Document[Harbour Town_1]/Sentence@id"),
    ("long.</Sentence>", "long.", 8, None),
])
def test_malformed_xml_names_line_and_element(szeged_root, write_file, old, new, line, field):
    assert old in WIKI
    write_file(szeged_root / "szeged_uncertainty" / "wiki.xml", WIKI.replace(old, new, 1))
    with pytest.raises(DataFormatError) as exc:
        load_szeged(szeged_root)
    assert exc.value.path.endswith("wiki.xml") and exc.value.line == line
    assert exc.value.field == field
