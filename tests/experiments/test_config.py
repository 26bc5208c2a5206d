"""Config validation: key paths, did-you-mean, defaults written out, no code by import path."""

import pytest

from stancekit.experiments import ConfigError, config_hash, load_config, resolve_config
from stancekit.experiments._toml import dumps_toml, load_toml

BASE = {"data": {"layer": "hedging"}, "features": [{"name": "word_tfidf"}],
        "classifier": {"name": "logistic_regression"}}


def _with(**changes):
    import copy

    cfg = copy.deepcopy(BASE)
    for path, value in changes.items():
        node = cfg
        keys = path.split("__")
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = value
    return cfg


@pytest.mark.parametrize("raw,key_path,hint", [
    (_with(dataa={"layer": "x"}), "dataa", "did you mean 'data'"),
    (_with(data__layr="hedging"), "data.layr", "did you mean 'layer'"),
    (_with(data__layer="hedgin"), "data.layer", "did you mean 'hedging'"),
    (_with(classifier__name="logistic_regresion"), "classifier.name", "did you mean 'logistic_regression'"),
    (_with(classifier__params={"CC": 1.0}), "classifier.params.CC", "unknown parameter"),
    (_with(features=[{"name": "word_tfid"}]), "features[0].name", "did you mean 'word_tfidf'"),
    (_with(features=[{"name": "word_tfidf", "params": {"ngram": [1, 2]}}]), "features[0].params.ngram",
     "did you mean 'ngram_range'"),
    (_with(seed="1"), "seed", "expected an integer"),
    (_with(evaluation__cv_folds=1), "evaluation.cv_folds", ">= 2"),
    (_with(data__eval_splits=["validation"]), "data.eval_splits[0]", "unknown split"),
    ({"features": [], "classifier": {"name": "majority"}}, "data.layer", "required key is missing"),
    # values that only scikit-learn (or a featurizer's fit) used to reject, with no config key named
    (_with(classifier__params={"C": -1.0}), "classifier.params", "The 'C' parameter of LogisticRegression"),
    (_with(classifier__params={"solver": "nope"}), "classifier.params", "'solver' parameter"),
    (_with(features=[{"name": "word_tfidf", "params": {"min_df": -3}}]), "features[0].params", "'min_df'"),
    (_with(features=[{"name": "word_tfidf", "params": {"ngram_range": [2, 1]}}]), "features[0].params.ngram_range",
     "1 <= min <= max, found [2, 1]"),
    (_with(features=[{"name": "word_tfidf", "params": {"ngram_range": [1, 2, 3]}}]),
     "features[0].params.ngram_range", "expected [min, max]"),
    (_with(features=[{"name": "linguistic", "params": {"min_count": 0}}]), "features[0].params",
     "'min_count' parameter of LinguisticFeatures"),
    (_with(seed=-1), "seed", "from 0 to 2**32 - 1"),
    (_with(seed=99999999999999), "seed", "from 0 to 2**32 - 1"),
    (_with(data__eval_splits=[]), "data.eval_splits", "name at least one split"),
    (_with(search={"grid": {"clf__C": [1.0, -2.0]}, "cv_folds": 2}), "search.grid.clf__C[1]", "'C' parameter"),
    (_with(search={"grid": {"clf__C": ["a"]}, "cv_folds": 2}), "search.grid.clf__C[0]", "'C' parameter"),
    (_with(search={"grid": {"clf__C": [1.0]}, "cv_folds": 2, "scoring": "nope"}), "search.scoring",
     "unknown scorer 'nope'"),
])
def test_config_errors_name_the_key(raw, key_path, hint):
    with pytest.raises(ConfigError) as info:
        resolve_config(raw)
    assert info.value.key_path == key_path
    assert f"'{key_path}'" in str(info.value)
    assert hint in str(info.value)


def test_config_cannot_name_code_by_import_path():
    raw = _with(classifier={"name": "sklearn.ensemble.RandomForestClassifier"})
    with pytest.raises(ConfigError, match="unknown classifier"):
        resolve_config(raw)
    raw = _with(features=[{"name": "word_tfidf", "_target_": "os.system"}])
    with pytest.raises(ConfigError, match="unknown key"):
        resolve_config(raw)


def test_resolved_config_has_defaults_and_round_trips(tmp_path):
    cfg = resolve_config(BASE, name="x")
    assert cfg["seed"] == 0 and cfg["evaluation"]["fixed_split"] is True
    assert cfg["classifier"]["params"]["C"] == 4.0
    assert cfg["features"][0]["params"]["ngram_range"] == [1, 2]
    path = tmp_path / "x.toml"
    path.write_text(dumps_toml(cfg))
    again = resolve_config(load_toml(path), name="x")
    assert again == cfg
    assert config_hash(again) == config_hash(cfg)


def test_load_config_file_errors(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("seed = = 3\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)
    with pytest.raises(FileNotFoundError):
        load_config(tmp_path / "missing.toml")
    with pytest.raises(IsADirectoryError):
        load_config(tmp_path)


def test_every_shipped_config_is_valid():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "experiments"
    paths = sorted(root.rglob("*.toml"))
    assert len(paths) >= 30
    for path in paths:
        cfg = load_config(path)
        assert cfg["name"]
