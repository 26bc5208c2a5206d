"""SemEval-2016 Task 6A (TweetEval packaging) loader on an invented fixture."""

import pytest

from stancekit.data import DataFormatError
from stancekit.data.external import load_semeval2016

TARGETS = {"abortion": "Legalization of Abortion", "atheism": "Atheism",
           "climate": "Climate Change is a Real Concern", "feminist": "Feminist Movement",
           "hillary": "Hillary Clinton"}
SIZES = {"train": 3, "val": 1, "test": 2}


@pytest.fixture
def semeval_root(tmp_path, write_file):
    folder = tmp_path / "semeval2016t6_tweeteval"
    write_file(folder / "mapping.txt", "0\tnone\n1\tagainst\n2\tfavor")  # no final newline, as published
    for t in TARGETS:
        for split, n in SIZES.items():
            texts = [f"@user my {split} thought {k} on {t} &amp; more #SemST " for k in range(n)]
            labels = [str(k % 3) for k in range(n)]
            write_file(folder / t / f"{split}_text.txt", "\n".join(texts) + "\n")
            write_file(folder / t / f"{split}_labels.txt", "\n".join(labels) + "\n")
    # hashtag artefact in the middle, trailing spaces, and a repeated tweet
    write_file(folder / "climate" / "train_text.txt",
               "Plant more trees #SemST   \nPlant more trees #SemST\nWarm days #SemST ahead #weather \n")
    return tmp_path


def test_targets_labels_splits_ids(semeval_root):
    ds = load_semeval2016(semeval_root)
    assert ds.layer == "stance" and ds.splits() == ["train", "val", "test"]
    assert len(ds) == 5 * 6
    assert ds.label_mapping == {"0": "none", "1": "against", "2": "favor"}
    assert ds.labels() == ["against", "favor", "none"]
    assert {i["target"] for i in ds.items} == set(TARGETS.values())
    by_id = {i["id"]: i for i in ds.items}
    first = by_id["abortion-train-0"]
    assert first["text"] == "@user my train thought 0 on abortion & more"
    assert first["target"] == "Legalization of Abortion" and first["label"] == "none"
    assert by_id["abortion-train-2"]["label"] == "favor" and by_id["abortion-test-1"]["label"] == "against"
    assert by_id["climate-train-2"]["text"] == "Warm days ahead #weather"
    assert not any("SemST" in i["text"] for i in ds.items)
    assert ds.duplicates == {"climate-train-1": "climate-train-0"}
    assert by_id["climate-train-1"]["group"] == by_id["climate-train-0"]["group"]
    assert len(ds.view("val")[0]) == 5


def test_target_subset(semeval_root):
    ds = load_semeval2016(semeval_root, targets=["hillary"])
    assert {i["target"] for i in ds.items} == {"Hillary Clinton"} and len(ds) == 6
    with pytest.raises(ValueError, match="trump"):
        load_semeval2016(semeval_root, targets=["trump"])


def test_missing_file_lists_every_expected_file(semeval_root):
    (semeval_root / "semeval2016t6_tweeteval" / "atheism" / "val_labels.txt").unlink()
    with pytest.raises(FileNotFoundError) as exc:
        load_semeval2016(semeval_root)
    msg = str(exc.value)
    assert "semeval2016" in msg and "mapping.txt" in msg and "missing atheism/val_labels.txt" in msg
    for t in TARGETS:
        for split in SIZES:
            assert f"{t}/{split}_text.txt" in msg and f"{t}/{split}_labels.txt" in msg


def test_malformed_label_and_count_mismatch(semeval_root, write_file):
    labels = semeval_root / "semeval2016t6_tweeteval" / "feminist" / "train_labels.txt"
    write_file(labels, "0\n7\n2\n")
    with pytest.raises(DataFormatError) as exc:
        load_semeval2016(semeval_root)
    assert exc.value.line == 2 and exc.value.field == "label" and exc.value.path.endswith("train_labels.txt")
    write_file(labels, "0\n1\n")
    with pytest.raises(DataFormatError) as exc:
        load_semeval2016(semeval_root)
    assert exc.value.line == 3 and exc.value.field == "label"
