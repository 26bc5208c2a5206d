"""CheckThat! 2024 Task 1 (English) loader on an invented fixture."""

import pytest

from stancekit.data import DataFormatError
from stancekit.data.external import load_checkthat

HEADER = "Sentence_id\tText\tclass_label\n"
FILES = {
    "train": ("CT24_checkworthy_english_train.tsv",
              "11\tUnemployment fell to four percent last spring.\tYes\n"
              '12\t"Well, let me say, ""thank you"" to everyone here."\tNo\n'
              "13\tWe must build more roads.\tNo14\tThe port handled a record tonnage.\tYes\n"
              "15\tWe must build more roads.\tNo\n"),
    "dev": ("CT24_checkworthy_english_dev.tsv", "21\tTaxes rose by two points in the last decade.\tYes\n"
                                               '22\t"""I am glad,"" he said."\tNo\n'),
    "dev-test": ("CT24_checkworthy_english_dev-test.tsv", "31\tThank you all for coming.\tNo\n"),
    "test": ("CT24_checkworthy_english_test_gold.tsv", "41\tThe bridge cost &amp; delays doubled.\tYes\n"),
}


@pytest.fixture
def ct_root(tmp_path, write_file):
    for split, (fn, body) in FILES.items():
        write_file(tmp_path / "clef2024_task1_en" / fn, HEADER + body, crlf=(split == "dev"))
    return tmp_path


def test_fused_line_quotes_mapping_and_splits(ct_root):
    ds = load_checkthat(ct_root)
    assert ds.layer == "checkworthy" and ds.splits() == ["train", "dev", "dev-test", "test"]
    assert ds.label_mapping == {"Yes": "checkworthy", "No": "not_checkworthy"}
    assert [i["id"] for i in ds.items] == ["11", "12", "13", "14", "15", "21", "22", "31", "41"]
    by_id = {i["id"]: i for i in ds.items}
    # the fused line is split back into two records
    assert by_id["13"]["text"] == "We must build more roads." and by_id["13"]["label"] == "not_checkworthy"
    assert by_id["14"]["text"] == "The port handled a record tonnage." and by_id["14"]["label"] == "checkworthy"
    assert by_id["12"]["text"] == 'Well, let me say, "thank you" to everyone here.'
    assert by_id["22"]["text"] == '"I am glad," he said.'
    assert by_id["41"]["text"] == "The bridge cost & delays doubled."
    assert ds.label_counts("train") == {"checkworthy": 2, "not_checkworthy": 3}
    assert ds.duplicates == {"15": "13"}
    assert all(i["target"] is None for i in ds.items)
    X, y, groups = ds.view("test")
    assert X == ["The bridge cost & delays doubled."] and y == ["checkworthy"]


def test_missing_file(ct_root):
    (ct_root / "clef2024_task1_en" / "CT24_checkworthy_english_test_gold.tsv").unlink()
    with pytest.raises(FileNotFoundError) as exc:
        load_checkthat(ct_root)
    msg = str(exc.value)
    assert "checkthat" in msg and str(ct_root / "clef2024_task1_en") in msg
    for fn, _ in FILES.values():
        assert fn in msg


@pytest.mark.parametrize("bad, field", [("51\tA sentence.\tMaybe\n", "class_label"),
                                        ("52\n", "Text"),
                                        ("53\tA sentence.\tNo\textra\n", "class_label")])
def test_malformed_line(ct_root, write_file, bad, field):
    fn, body = FILES["dev-test"]
    write_file(ct_root / "clef2024_task1_en" / fn, HEADER + body + bad)
    with pytest.raises(DataFormatError) as exc:
        load_checkthat(ct_root)
    assert exc.value.line == 3 and exc.value.field == field and exc.value.path.endswith(fn)
