"""PERSPECTRUM loader on an invented fixture."""

import json

import pytest

from stancekit.data import DataFormatError
from stancekit.data.external import load_perspectrum

CLAIMS = [
    {"cId": 1, "text": "Cities should ban private cars", "source": "invented", "topics": [],
     "perspectives": [
         {"pids": [10, 11], "stance_label_3": "SUPPORT", "stance_label_5": "SUPPORT",
          "voter_counts": [3, 0, 0, 0, 0], "evidence": []},
         {"pids": [12], "stance_label_3": "UNDERMINE", "stance_label_5": "UNDERMINE",
          "voter_counts": [0, 0, 0, 3, 0], "evidence": []},
         {"pids": [11], "stance_label_3": "SUPPORT", "stance_label_5": "SUPPORT",
          "voter_counts": [2, 1, 0, 0, 0], "evidence": []}]},
    {"cId": 2, "text": "Homework should be optional", "source": "invented", "topics": [],
     "perspectives": [{"pids": [13], "stance_label_3": "undermine", "stance_label_5": "UNDERMINE",
                       "voter_counts": [0, 0, 0, 3, 0], "evidence": []}]},
    {"cId": 3, "text": "Museums should be free", "source": "invented", "topics": [],
     "perspectives": [{"pids": [14], "stance_label_3": "SUPPORT", "stance_label_5": "SUPPORT",
                       "voter_counts": [3, 0, 0, 0, 0], "evidence": []}]},
]
POOL = [
    {"pId": 10, "text": "Fewer cars mean cleaner air.", "source": "invented"},
    {"pId": 11, "text": "Streets become safer for   children.", "source": "invented"},
    {"pId": 12, "text": "Deliveries &amp; trades depend on vans.", "source": "invented"},
    {"pId": 13, "text": "Practice at home builds skill.", "source": "invented"},
    {"pId": 14, "text": "Culture should be open to everyone.", "source": "invented"},
]
SPLIT = {"1": "train", "2": "dev", "3": "test"}


@pytest.fixture
def persp_root(tmp_path, write_file):
    folder = tmp_path / "perspectrum"
    write_file(folder / "perspectrum_with_answers_v1.0.json", json.dumps(CLAIMS, indent=2))
    write_file(folder / "perspective_pool_v1.0.json", json.dumps(POOL))
    write_file(folder / "dataset_split_v1.0.json", json.dumps(SPLIT))
    return tmp_path


def test_pairs_labels_splits_and_repeats(persp_root):
    ds = load_perspectrum(persp_root)
    assert ds.layer == "stance" and ds.splits() == ["train", "dev", "test"]
    assert [i["id"] for i in ds.items] == ["1-10", "1-11", "1-12", "1-11-2", "2-13", "3-14"]
    assert ds.labels() == ["support", "undermine"]
    by_id = {i["id"]: i for i in ds.items}
    assert by_id["1-11"]["text"] == "Streets become safer for children."
    assert by_id["1-12"]["text"] == "Deliveries & trades depend on vans."
    assert by_id["1-12"]["label"] == "undermine" and by_id["2-13"]["label"] == "undermine"
    assert by_id["1-10"]["target"] == "Cities should ban private cars" and by_id["1-10"]["group"] == "claim-1"
    assert ds.duplicates == {"1-11-2": "1-11"}
    assert len(load_perspectrum(persp_root, drop_duplicates=True)) == 5
    assert ds.view("test") == ([("Culture should be open to everyone.", "Museums should be free")], ["support"],
                               ["claim-3"])


def test_missing_file(persp_root):
    (persp_root / "perspectrum" / "perspective_pool_v1.0.json").unlink()
    with pytest.raises(FileNotFoundError) as exc:
        load_perspectrum(persp_root)
    msg = str(exc.value)
    for fn in ("perspectrum_with_answers_v1.0.json", "perspective_pool_v1.0.json", "dataset_split_v1.0.json"):
        assert fn in msg
    assert "perspectrum" in msg and str(persp_root / "perspectrum") in msg


def test_malformed_record_names_line_and_field(persp_root, write_file):
    claims = json.loads(json.dumps(CLAIMS))
    claims[1]["perspectives"][0]["stance_label_3"] = "MAYBE"
    text = json.dumps(claims, indent=2)
    write_file(persp_root / "perspectrum" / "perspectrum_with_answers_v1.0.json", text)
    with pytest.raises(DataFormatError) as exc:
        load_perspectrum(persp_root)
    lines = text.split("\n")
    start = next(n for n, line in enumerate(lines, 1) if '"cId": 2' in line) - 1  # the record's opening brace
    assert exc.value.line == start and exc.value.field == "[1].perspectives[0].stance_label_3"
    claims[1]["perspectives"][0]["stance_label_3"] = "SUPPORT"
    claims[1]["perspectives"][0]["pids"] = [99]
    write_file(persp_root / "perspectrum" / "perspectrum_with_answers_v1.0.json", json.dumps(claims))
    with pytest.raises(DataFormatError) as exc:
        load_perspectrum(persp_root)
    assert exc.value.line == 1 and exc.value.field == "[1].perspectives[0].pids[0]"
