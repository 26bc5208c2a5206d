"""FNC-1 loader on an invented fixture in the dataset's format."""

import pytest

from stancekit.data import DataFormatError
from stancekit.data.external import load_fnc1

BODIES = '''Body ID,articleBody
7,"A glacier in the northern range retreated by forty metres this year.

Climbers said the ice &amp;lt;b&amp;gt;cracked&amp;lt;/b&amp;gt; loudly."
12,\ufeffThe city council approved a new tram line on Tuesday.
'''
STANCES = '''Headline,Body ID,Stance
Glacier shrinks after warm summer,7,agree
Tram line plan rejected by council,12,disagree
Tram line plan rejected by council,12,disagree
Glacier shrinks after warm summer,12,unrelated
Council debates tram funding,12,discuss
'''


@pytest.fixture
def fnc_root(tmp_path, write_file):
    folder = tmp_path / "fnc1"
    write_file(folder / "competition_test_bodies.csv", BODIES, bom=True)
    write_file(folder / "competition_test_stances.csv", STANCES)
    write_file(folder / "train_bodies.csv", "Body ID,articleBody\n3,Unlabelled training body.\n")
    return tmp_path


def test_test_split_only_labels_kept_and_quirks(fnc_root):
    ds = load_fnc1(fnc_root)
    assert ds.layer == "stance" and ds.splits() == ["test"]
    assert [i["id"] for i in ds.items] == ["test-0", "test-1", "test-2", "test-3", "test-4"]
    assert ds.labels() == ["agree", "disagree", "discuss", "unrelated"]
    assert ds.label_mapping == {lab: lab for lab in ds.labels()}
    assert ds.label_counts() == {"agree": 1, "disagree": 2, "discuss": 1, "unrelated": 1}
    first = ds.items[0]
    assert first["target"] == "Glacier shrinks after warm summer"
    # paragraph break kept, double-escaped entities unescaped
    assert first["text"] == ("A glacier in the northern range retreated by forty metres this year.\n\n"
                             "Climbers said the ice <b>cracked</b> loudly.")
    assert ds.items[1]["text"] == "The city council approved a new tram line on Tuesday."  # inner BOM dropped
    assert first["group"] == "body-7"
    assert ds.duplicates == {"test-2": "test-1"}
    with pytest.raises(ValueError, match="train"):
        ds.view("train")
    X, y, _ = ds.view()
    assert X[3] == (ds.items[1]["text"], "Glacier shrinks after warm summer") and y[3] == "unrelated"


def test_train_split_when_train_stances_present(fnc_root, write_file):
    write_file(fnc_root / "fnc1" / "train_stances.csv", "Headline,Body ID,Stance\nBody three story,3,discuss\n")
    ds = load_fnc1(fnc_root)
    assert ds.splits() == ["train", "test"]
    assert ds.items[0]["id"] == "train-0" and ds.items[0]["text"] == "Unlabelled training body."


def test_missing_file(fnc_root):
    (fnc_root / "fnc1" / "competition_test_stances.csv").unlink()
    with pytest.raises(FileNotFoundError) as exc:
        load_fnc1(fnc_root)
    msg = str(exc.value)
    assert "fnc1" in msg and "competition_test_stances.csv" in msg and "competition_test_bodies.csv" in msg
    assert str(fnc_root / "fnc1") in msg


def test_malformed_rows(fnc_root, write_file):
    write_file(fnc_root / "fnc1" / "competition_test_stances.csv", STANCES.replace("12,discuss", "12,maybe"))
    with pytest.raises(DataFormatError) as exc:
        load_fnc1(fnc_root)
    assert exc.value.line == 6 and exc.value.field == "Stance"
    write_file(fnc_root / "fnc1" / "competition_test_stances.csv", STANCES.replace("warm summer,7", "warm summer,99"))
    with pytest.raises(DataFormatError) as exc:
        load_fnc1(fnc_root)
    assert exc.value.line == 2 and exc.value.field == "Body ID"
    # a bad Body ID after a multi-line body: the line is where that record starts
    write_file(fnc_root / "fnc1" / "competition_test_bodies.csv", BODIES.replace("12,", "twelve,"))
    with pytest.raises(DataFormatError) as exc:
        load_fnc1(fnc_root)
    assert exc.value.line == 5 and exc.value.field == "Body ID"
