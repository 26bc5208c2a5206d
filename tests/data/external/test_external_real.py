"""The loaders on the real benchmark files, checked against the counts in each PROVENANCE.md.

The data are not part of the repository. They are read from ``$STANCEKIT_DATA``
or, failing that, from ``../shared/benchmarks`` next to the repository; each
test skips with a message when its dataset folder is absent.
"""

import os
import re
from collections import Counter
from pathlib import Path

import pytest

from stancekit.data.external import EXTERNAL_FOLDERS, load_external

DATA_DIR = Path(os.environ.get("STANCEKIT_DATA") or Path(__file__).resolve().parents[4] / "shared" / "benchmarks")


def load(name, **kwargs):
    folder = DATA_DIR / EXTERNAL_FOLDERS[name]
    if not folder.is_dir():
        pytest.skip(f"real {name} data not found at {folder}; set STANCEKIT_DATA to the benchmarks directory")
    return load_external(name, DATA_DIR, **kwargs)


def counts(ds, split=None):
    return ds.label_counts(split)


def test_emergent():
    ds = load("emergent")
    assert len(ds) == 2595 and ds.splits() == ["train", "test"]
    assert counts(ds, "train") == {"support": 992, "neutral": 775, "deny": 304}
    assert counts(ds, "test") == {"support": 246, "neutral": 187, "deny": 91}
    train_claims = {i["group"] for i in ds.items if i["split"] == "train"}
    assert not train_claims & {i["group"] for i in ds.items if i["split"] == "test"}
    assert len(train_claims) + len({i["group"] for i in ds.items if i["split"] == "test"}) == 300
    assert len(ds.duplicates) == 40


def test_fnc1():
    ds = load("fnc1")
    assert ds.splits() == ["test"] and len(ds) == 25413
    assert counts(ds) == {"unrelated": 18349, "discuss": 4464, "agree": 1903, "disagree": 697}
    assert len({i["target"] for i in ds.items}) == 894 and len({i["group"] for i in ds.items}) == 904
    pairs = Counter((i["target"], i["group"]) for i in ds.items)
    assert sum(n - 1 for n in pairs.values()) == 242  # repeated (Headline, Body ID) rows
    assert not any("&amp;" in i["text"] or "\ufeff" in i["text"] for i in ds.items)


SEMEVAL = {  # target: (train n, val n, test n, train against/none/favor, test against/none/favor)
    "Legalization of Abortion": (587, 66, 280, (319, 159, 109), (189, 45, 46)),
    "Atheism": (461, 52, 220, (273, 105, 83), (160, 28, 32)),
    "Climate Change is a Real Concern": (355, 40, 169, (13, 151, 191), (11, 35, 123)),
    "Feminist Movement": (597, 67, 285, (295, 113, 189), (183, 44, 58)),
    "Hillary Clinton": (620, 69, 295, (354, 160, 106), (172, 78, 45)),
}


def test_semeval2016():
    ds = load("semeval2016")
    assert len(ds) == 4163 and ds.splits() == ["train", "val", "test"]
    assert [len(ds.view(s)[0]) for s in ds.splits()] == [2620, 294, 1249]
    for target, (n_train, n_val, n_test, train_dist, test_dist) in SEMEVAL.items():
        for split, n, dist in (("train", n_train, train_dist), ("val", n_val, None), ("test", n_test, test_dist)):
            labels = Counter(i["label"] for i in ds.items if i["target"] == target and i["split"] == split)
            assert sum(labels.values()) == n, (target, split)
            if dist:
                assert (labels["against"], labels["none"], labels["favor"]) == dist, (target, split)
    assert not any("#SemST" in i["text"] for i in ds.items)


def test_rumoureval():
    ds = load("rumoureval")
    assert ds.splits() == ["train", "dev"] and len(ds) == 4519
    assert counts(ds, "train") == {"comment": 2734, "support": 841, "deny": 333, "query": 330}
    assert counts(ds, "dev") == {"comment": 173, "support": 69, "query": 28, "deny": 11}
    assert len({i["group"] for i in ds.items}) == 297


def test_perspectrum():
    ds = load("perspectrum")
    assert len(ds) == 11822 and ds.splits() == ["train", "dev", "test"]
    assert counts(ds, "train") == {"support": 3599, "undermine": 3379}
    assert counts(ds, "dev") == {"support": 1047, "undermine": 1024}
    assert counts(ds, "test") == {"support": 1471, "undermine": 1302}
    assert [len({i["group"] for i in ds.items if i["split"] == s}) for s in ds.splits()] == [541, 139, 227]


def test_conll2010():
    ds = load("conll2010")
    assert len(ds) == 3000 and ds.splits() == ["all"]
    assert counts(ds) == {"certain": 1500, "hedged": 1500}
    assert len(set(ds.duplicates.values())) == 36  # duplicated sentences
    assert not any(re.search(r"&(quot|amp|lt|gt);", i["text"]) or "\ufeff" in i["text"] for i in ds.items)


SZEGED = {"wiki": (20748, 2606), "bio_bmc": (2773, 481), "bio_fly": (3470, 721), "bio_hbc": (13232 - 2, 2988)}


def test_szeged():
    ds = load("szeged")
    assert ds.splits() == [f"fold{k}" for k in range(10)]
    for part, (n, hedged) in SZEGED.items():
        labels = Counter(i["label"] for i in ds.items if i["id"].startswith(part + "/"))
        assert (sum(labels.values()), labels["hedged"]) == (n, hedged), part
    assert len({i["group"] for i in ds.items if i["id"].startswith("wiki/")}) == 4530
    wiki_cues = [i["text"][a:b] for i in ds.items if i["id"].startswith("wiki/") for a, b in i["cues"]]
    assert len(wiki_cues) == 1771 + 909 + 491 + 94
    assert all(c and c == c.strip() for c in wiki_cues)
    folds = {}
    for i in ds.items:
        assert folds.setdefault(i["group"], i["split"]) == i["split"]  # a document stays in one fold


def test_checkthat():
    ds = load("checkthat")
    assert ds.splits() == ["train", "dev", "dev-test", "test"]
    # 22,500 lines in train, one holding two fused records (ids 24098 and 29286)
    assert counts(ds, "train") == {"not_checkworthy": 17086 + 2, "checkworthy": 5413}
    assert counts(ds, "dev") == {"not_checkworthy": 794, "checkworthy": 238}
    assert counts(ds, "dev-test") == {"not_checkworthy": 210, "checkworthy": 108}
    assert counts(ds, "test") == {"not_checkworthy": 253, "checkworthy": 88}
    ids = {i["id"] for i in ds.items}
    assert {"24098", "29286"} <= ids


def test_claimbuster():
    ds = load("claimbuster")
    assert ds.splits() == ["train", "test"]
    assert counts(ds, "train") == {"checkworthy": 1994, "not_checkworthy": 5982}
    assert counts(ds, "test") == {"checkworthy": 351, "not_checkworthy": 351}
    assert not {i["id"] for i in ds.items if i["split"] == "train"} & {i["id"] for i in ds.items
                                                                       if i["split"] == "test"}
