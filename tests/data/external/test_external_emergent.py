"""Emergent loader on an invented fixture in the dataset's format."""

import pytest

from stancekit.data import DataFormatError
from stancekit.data.external import load_emergent, load_external

MAIN = "url-versions-2015-06-14-clean.csv"
CORRECT = "mscproject_url-versions-2015-06-14-clean-test-correct.csv"
ERRORS = "mscproject_url-versions-2015-06-14-clean-test-errors.csv"

MAIN_CSV = """id,claimHeadline,articleHeadline,articleHeadlineStance,articleId,claimId
0,A river dam in Ruritania has collapsed,Dam collapse floods three valley towns,for,a-1,c-1
1,A river dam in Ruritania has collapsed,"Officials deny dam failure, blame rumours",against,a-2,c-1
2,A river dam in Ruritania has collapsed,Reports claim dam &amp; bridge   were damaged ,observing,a-3,c-1
3,Moon base opens to tourists,Moon base said to welcome first visitors,observing,a-4,c-2
4,Moon base opens to tourists,Moon base said to welcome first visitors,observing,a-5,c-2
5,Moon base opens to tourists,"Space agency: ""no tourists"" yet",against,a-6,c-2
"""
HEAD = ",claimHeadline,articleHeadline,y,y_hat,articleId,claimId\n"
CORRECT_CSV = HEAD + ("3,Moon base opens to tourists,Moon base said to welcome first visitors,observing,observing,a-4,c-2\n"
                      "4,Moon base opens to tourists,Moon base said to welcome first visitors,observing,observing,a-5,c-2\n")
ERRORS_CSV = HEAD + '5,Moon base opens to tourists,"Space agency: ""no tourists"" yet",against,for,a-6,c-2\n'


@pytest.fixture
def emergent_root(tmp_path, write_file):
    folder = tmp_path / "emergent"
    write_file(folder / MAIN, MAIN_CSV, bom=True)
    write_file(folder / CORRECT, CORRECT_CSV)
    write_file(folder / ERRORS, ERRORS_CSV, crlf=True)
    return tmp_path


def test_mapping_splits_ids_and_quirks(emergent_root):
    ds = load_emergent(emergent_root)
    assert ds.name == "emergent" and ds.layer == "stance"
    assert ds.splits() == ["train", "test"]
    assert len(ds) == 6
    assert [i["id"] for i in ds.items] == ["0", "1", "2", "3", "4", "5"]
    assert ds.label_mapping == {"for": "support", "against": "deny", "observing": "neutral"}
    assert ds.labels() == ["deny", "neutral", "support"]
    assert ds.label_counts("train") == {"deny": 1, "neutral": 1, "support": 1}
    assert ds.label_counts("test") == {"deny": 1, "neutral": 2}
    by_id = {i["id"]: i for i in ds.items}
    assert by_id["2"]["text"] == "Reports claim dam & bridge were damaged"  # entity + whitespace
    assert by_id["5"]["text"] == 'Space agency: "no tourists" yet'
    assert by_id["0"]["target"] == "A river dam in Ruritania has collapsed"
    assert {i["group"] for i in ds.items if i["split"] == "test"} == {"c-2"}
    assert all(i["cues"] == [] for i in ds.items)
    # the syndicated headline is flagged, not dropped
    assert ds.duplicates == {"4": "3"}
    X, y, groups = ds.view("test")
    assert X[0] == ("Moon base said to welcome first visitors", "Moon base opens to tourists")
    assert y == ["neutral", "neutral", "deny"] and groups == ["c-2"] * 3


def test_drop_duplicates_and_load_external(emergent_root):
    ds = load_external("emergent", emergent_root, drop_duplicates=True)
    assert [i["id"] for i in ds.items] == ["0", "1", "2", "3", "5"]
    assert ds.duplicates == {"4": "3"}


def test_missing_file_names_dataset_dir_and_all_files(emergent_root):
    (emergent_root / "emergent" / ERRORS).unlink()
    with pytest.raises(FileNotFoundError) as exc:
        load_emergent(emergent_root)
    msg = str(exc.value)
    assert "emergent" in msg and str(emergent_root / "emergent") in msg
    for fn in (MAIN, CORRECT, ERRORS):
        assert fn in msg


def test_malformed_label_names_line_and_field(emergent_root, write_file):
    bad = MAIN_CSV.replace("against,a-2", "maybe,a-2")
    write_file(emergent_root / "emergent" / MAIN, bad)
    with pytest.raises(DataFormatError) as exc:
        load_emergent(emergent_root)
    err = exc.value
    assert err.line == 3 and err.field == "articleHeadlineStance" and err.path.endswith(MAIN)
    assert "line 3" in str(err) and "maybe" in str(err)


def test_missing_column_and_unknown_test_article(emergent_root, write_file):
    write_file(emergent_root / "emergent" / ERRORS, HEAD + "9,x,y,for,for,a-99,c-9\n")
    with pytest.raises(DataFormatError, match="a-99"):
        load_emergent(emergent_root)
    write_file(emergent_root / "emergent" / MAIN, MAIN_CSV.replace("claimId", "claim"))
    with pytest.raises(DataFormatError) as exc:
        load_emergent(emergent_root)
    assert exc.value.line == 1 and exc.value.field == "claimId"
