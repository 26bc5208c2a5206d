"""ClaimBuster train/test loader on an invented fixture."""

import json

import pytest

from stancekit.data import DataFormatError
from stancekit.data.external import load_claimbuster

TRAIN = [
    {"sentence_id": 501, "label": 1, "text": "Wages grew by three percent in two years."},
    {"sentence_id": 502, "label": 0, "text": " I thank the moderator. "},
    {"sentence_id": 503, "label": 0, "text": "I thank the moderator."},
]
TEST = [{"sentence_id": 601, "label": 1, "text": "The deficit doubled since 1990."},
        {"sentence_id": 602, "label": 0, "text": "That is my view."}]


@pytest.fixture
def cb_root(tmp_path, write_file):
    write_file(tmp_path / "claimbuster_ncs" / "train.json", json.dumps(TRAIN, indent=2))
    write_file(tmp_path / "claimbuster_ncs" / "test.json", json.dumps(TEST, indent=2))
    return tmp_path


def test_mapping_splits_ids(cb_root):
    ds = load_claimbuster(cb_root)
    assert ds.layer == "checkworthy" and ds.splits() == ["train", "test"]
    assert ds.label_mapping == {"1": "checkworthy", "0": "not_checkworthy"}
    assert [i["id"] for i in ds.items] == ["501", "502", "503", "601", "602"]
    assert ds.items[1]["text"] == "I thank the moderator."
    assert ds.duplicates == {"503": "502"}
    assert ds.label_counts("test") == {"checkworthy": 1, "not_checkworthy": 1}
    assert ds.view("train")[1] == ["checkworthy", "not_checkworthy", "not_checkworthy"]


def test_missing_file(cb_root):
    (cb_root / "claimbuster_ncs" / "test.json").unlink()
    with pytest.raises(FileNotFoundError) as exc:
        load_claimbuster(cb_root)
    msg = str(exc.value)
    assert "claimbuster" in msg and "train.json" in msg and "test.json" in msg
    assert str(cb_root / "claimbuster_ncs") in msg


def test_malformed_record_names_line_and_field(cb_root, write_file):
    bad = [dict(r) for r in TRAIN]
    bad[1]["label"] = "0"
    write_file(cb_root / "claimbuster_ncs" / "train.json", json.dumps(bad, indent=2))
    with pytest.raises(DataFormatError) as exc:
        load_claimbuster(cb_root)
    # indent=2: "[" on line 1, record 0 on lines 2-6, record 1 starts on line 7
    assert exc.value.line == 7 and exc.value.field == "[1].label"
    write_file(cb_root / "claimbuster_ncs" / "train.json", '[\n  {"sentence_id": 1, "label": 1, "text": "x"},\n  {oops}\n]')
    with pytest.raises(DataFormatError) as exc:
        load_claimbuster(cb_root)
    assert exc.value.line == 3
