"""RumourEval 2017 subtask A loader on an invented fixture."""

import json

import pytest

from stancekit.data import DataFormatError
from stancekit.data.external import load_rumoureval

HEADER = "tweet_id\tevent\tthread_id\tkind\tin_reply_to\tcreated_at\tsplit\tlabel\ttext\n"
ROWS = [
    "100\tflood\t100\tsource\t\tMon Jan 05 10:00:00 +0000 2015\ttrain\tsupport\tBridge in Eastport swept away by flood &amp; debris",
    "101\tflood\t100\treply\t100\tMon Jan 05 10:05:00 +0000 2015\ttrain\tquery\tIs there a photo of this?",
    '102\tflood\t100\treply\t100\tMon Jan 05 10:06:00 +0000 2015\ttrain\tdeny\t"Not true, I crossed it ""an hour ago"""',
    "103\tflood\t100\treply\t101\tMon Jan 05 10:07:00 +0000 2015\ttrain\tcomment\tstay safe everyone",
    "200\tstorm\t200\tsource\t\tTue Jan 06 09:00:00 +0000 2015\tdev\tsupport\tPower   out across the harbour district",
    "201\tstorm\t200\treply\t200\tTue Jan 06 09:01:00 +0000 2015\tdev\tcomment\tstay safe everyone",
    "202\tstorm\t200\treply\t200\tTue Jan 06 09:02:00 +0000 2015\tdev\tcomment\tstay safe everyone",
]


@pytest.fixture
def rumour_root(tmp_path, write_file):
    write_file(tmp_path / "rumoureval2017_sdqc" / "rumoureval2017_sdqc_traindev.tsv", HEADER + "\n".join(ROWS) + "\n")
    return tmp_path


def test_labels_targets_groups_and_quirks(rumour_root):
    ds = load_rumoureval(rumour_root)
    assert ds.layer == "stance" and ds.splits() == ["train", "dev"]
    assert [i["id"] for i in ds.items] == ["100", "101", "102", "103", "200", "201", "202"]
    assert ds.labels() == ["comment", "deny", "query", "support"]
    by_id = {i["id"]: i for i in ds.items}
    source = "Bridge in Eastport swept away by flood & debris"
    assert by_id["100"]["text"] == source and by_id["100"]["target"] == source
    assert by_id["102"]["text"] == 'Not true, I crossed it "an hour ago"' and by_id["102"]["target"] == source
    assert by_id["200"]["text"] == "Power out across the harbour district"
    assert by_id["103"]["group"] == "100" and by_id["201"]["group"] == "200"
    assert ds.label_counts("dev") == {"comment": 2, "support": 1}
    # same text and target in one split: flagged; across splits: not
    assert ds.duplicates == {"202": "201"}


def test_official_label_files_are_checked(rumour_root, write_file):
    folder = rumour_root / "rumoureval2017_sdqc"
    labels = {"100": "support", "101": "query", "102": "deny", "103": "comment"}
    write_file(folder / "rumoureval-subtaskA-train.json", json.dumps(labels))
    write_file(folder / "rumoureval-subtaskA-dev.json", json.dumps({"200": "support", "201": "comment"}))
    assert len(load_rumoureval(rumour_root)) == 7
    labels["103"] = "deny"
    write_file(folder / "rumoureval-subtaskA-train.json", json.dumps(labels))
    with pytest.raises(DataFormatError) as exc:
        load_rumoureval(rumour_root)
    assert exc.value.line == 5 and exc.value.field == "label"


def test_missing_file(tmp_path):
    (tmp_path / "rumoureval2017_sdqc").mkdir()
    with pytest.raises(FileNotFoundError) as exc:
        load_rumoureval(tmp_path)
    assert "rumoureval" in str(exc.value) and "rumoureval2017_sdqc_traindev.tsv" in str(exc.value)


@pytest.mark.parametrize("old, new, line, field", [
    ("\treply\t101\t", "\tretweet\t101\t", 5, "kind"),
    ("\tdev\tcomment\tstay safe everyone\n202", "\tdev\tpraise\tstay safe everyone\n202", 7, "label"),
    ("\tstorm\t200\tsource", "\tstorm\t299\tsource", 7, "thread_id"),
])
def test_malformed_rows(rumour_root, write_file, old, new, line, field):
    path = rumour_root / "rumoureval2017_sdqc" / "rumoureval2017_sdqc_traindev.tsv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    write_file(path, text.replace(old, new, 1))
    with pytest.raises(DataFormatError) as exc:
        load_rumoureval(rumour_root)
    assert exc.value.line == line and exc.value.field == field
