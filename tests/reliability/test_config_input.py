"""Experiment configs (stancekit.experiments.load_config) on the whole bad-input list, and configs that try
to name code to import or run."""

import pytest

from stancekit.experiments import ConfigError, load_config, resolve_config
from stancekit.experiments._runner import build_estimator, run_experiment

MB = 1 << 20
GOOD = '''name = "baseline"
description = "word TF-IDF and logistic regression"
seed = 1

[data]
layer = "hedging"
train_splits = ["train"]
eval_splits = ["dev", "test"]

[[features]]
name = "word_tfidf"

[classifier]
name = "logistic_regression"

[evaluation]
bootstrap = 100
'''


def _write(tmp_path, text=GOOD, name="exp.toml"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def _error(path, key_path, *fragments):
    with pytest.raises(ConfigError) as info:
        load_config(path)
    msg = str(info.value)
    assert info.value.key_path == key_path, msg
    assert msg.startswith(f"{path}: config key '{key_path}'"), msg
    for fragment in fragments:
        assert fragment in msg, msg
    return msg


def _sub(old, new, count=1):
    assert old in GOOD
    return GOOD.replace(old, new, count)


CASES = [
    # malformed TOML: the message names the line
    ("malformed: unterminated string", _sub('name = "baseline"', 'name = "baseline'), "(file)",
     ("not valid TOML", "line 1")),
    ("malformed: duplicate table", GOOD + '[classifier]\nname = "majority"\n', "(file)", ("not valid TOML", "line 18")),
    ("malformed: bare words", GOOD + "layer hedging\n", "(file)", ("not valid TOML", "line 18")),
    # missing keys
    ("missing data.layer", _sub('layer = "hedging"\n', ""), "data.layer", ("required key is missing",)),
    ("missing classifier.name", _sub('name = "logistic_regression"\n', ""), "classifier.name",
     ("required key is missing",)),
    ("missing features", _sub('[[features]]\nname = "word_tfidf"\n', ""), "features",
     ("at least one [[features]] entry",)),
    # extra keys
    ("extra top-level key", GOOD.replace("seed = 1", "seed = 1\nepochs = 3"), "epochs", ("unknown key",)),
    ("extra key in a table", _sub("bootstrap = 100", "bootstrap = 100\nfolds = 5"), "evaluation.folds",
     ("unknown key",)),
    ("misspelt key", _sub("train_splits", "train_split"), "data.train_split", ("did you mean 'train_splits'",)),
    ("extra feature key", _sub('name = "word_tfidf"', 'name = "word_tfidf"\nweight = 2'), "features[0].weight",
     ("unknown key",)),
    ("unknown parameter", _sub('name = "logistic_regression"', 'name = "logistic_regression"\nparams = {CC = 1}'),
     "classifier.params.CC", ("unknown parameter of 'logistic_regression'",)),
    # wrong types and non-string values
    ("seed as string", _sub("seed = 1", 'seed = "1"'), "seed", ("expected an integer, found str '1'",)),
    ("seed as float", _sub("seed = 1", "seed = 1.5"), "seed", ("expected an integer, found float",)),
    ("seed as bool", _sub("seed = 1", "seed = true"), "seed", ("expected an integer, found bool",)),
    ("layer as number", _sub('layer = "hedging"', "layer = 5"), "data.layer", ("expected a string, found int",)),
    ("name as array", _sub('name = "baseline"', 'name = ["a"]'), "name", ("expected a string",)),
    ("splits as string", _sub('train_splits = ["train"]', 'train_splits = "train"'), "data.train_splits",
     ("expected a list",)),
    ("fixed_split as string", _sub("bootstrap = 100", 'bootstrap = 100\nfixed_split = "yes"'),
     "evaluation.fixed_split", ("expected true or false",)),
    ("classifier as string", GOOD.replace('[classifier]\nname = "logistic_regression"\n', "")
     .replace('seed = 1', 'seed = 1\nclassifier = "logistic_regression"'), "classifier", ("expected a table",)),
    ("features as table", _sub('[[features]]\nname = "word_tfidf"', '[features]\nname = "word_tfidf"'), "features",
     ("expected a list of tables",)),
    ("params as array", _sub('name = "logistic_regression"', 'name = "logistic_regression"\nparams = [1, 2]'),
     "classifier.params", ("expected a table",)),
    ("feature name as number", _sub('name = "word_tfidf"', "name = 3"), "features[0].name",
     ("expected a string",)),
    # unknown labels (names from a fixed list)
    ("unknown layer", _sub('layer = "hedging"', 'layer = "sentiment"'), "data.layer", ("unknown layer 'sentiment'",)),
    ("unknown split", _sub('eval_splits = ["dev", "test"]', 'eval_splits = ["dev", "validation"]'),
     "data.eval_splits[1]", ("unknown split 'validation'",)),
    ("unknown classifier", _sub('"logistic_regression"', '"random_forest"'), "classifier.name",
     ("unknown classifier 'random_forest'",)),
    ("unknown featurizer", _sub('"word_tfidf"', '"bert"'), "features[0].name", ("unknown featurizer 'bert'",)),
    # empty and whitespace-only values
    ("empty layer", _sub('layer = "hedging"', 'layer = ""'), "data.layer", ("unknown layer ''",)),
    ("whitespace classifier", _sub('"logistic_regression"', '"   "'), "classifier.name", ("unknown classifier",)),
    ("empty split", _sub('train_splits = ["train"]', 'train_splits = [""]'), "data.train_splits[0]",
     ("unknown split ''",)),
    # bytes: NUL and control characters
    ("NUL byte", GOOD.replace("seed = 1", "seed = 1\x00"), "(file)", ("not valid TOML", "line 3")),
    ("control character in a string", _sub('"baseline"', '"base\x01line"'), "(file)", ("not valid TOML", "line 1")),
    # empty and whitespace-only files: nothing says which layer to run
    ("empty file", "", "data.layer", ("required key is missing",)),
    ("whitespace-only file", "  \n\t\n\n", "data.layer", ("required key is missing",)),
    ("comments only", "# nothing here\n", "data.layer", ("required key is missing",)),
    # repeated cross-validation
    ("cv_seeds without cv_folds", _sub("bootstrap = 100", "bootstrap = 100\ncv_seeds = [1, 2]"), "evaluation.cv_seeds",
     ("set cv_folds >= 2",)),
    ("cv_seeds not integers", _sub("bootstrap = 100", "bootstrap = 100\ncv_folds = 3\ncv_seeds = [1, \"2\"]"),
     "evaluation.cv_seeds[1]", ("expected a non-negative integer", "'2'")),
]


@pytest.mark.parametrize("name,text,key_path,fragments", CASES, ids=[c[0] for c in CASES])
def test_bad_config(tmp_path, name, text, key_path, fragments):
    _error(_write(tmp_path, text), key_path, *fragments)


def test_invalid_utf8_names_the_line(tmp_path):
    path = _write(tmp_path, GOOD.encode("utf-8").replace(b"word TF-IDF", b"word TF-IDF \xff"))
    _error(path, "(file)", "utf-8", "line 2")


def test_invalid_utf8_is_refused_naming_the_file(tmp_path):
    path = _write(tmp_path, GOOD.encode("utf-8").replace(b"word TF-IDF", b"word TF-IDF \xff"))
    _error(path, "(file)", "not valid TOML", "0xff")


def test_byte_order_mark_is_accepted(tmp_path):
    expected = load_config(_write(tmp_path, GOOD))
    assert load_config(_write(tmp_path, b"\xef\xbb\xbf" + GOOD.encode("utf-8"))) == expected


def test_crlf_is_accepted(tmp_path):
    expected = load_config(_write(tmp_path, GOOD))
    assert load_config(_write(tmp_path, GOOD.replace("\n", "\r\n"))) == expected


def test_one_megabyte_description_is_accepted(tmp_path):
    text = "A very long description. " * (MB // 25 + 1)
    cfg = load_config(_write(tmp_path, _sub('"word TF-IDF and logistic regression"', f'"{text}"')))
    assert cfg["description"] == text and len(text) > MB


def test_mixed_scripts_and_emoji_are_accepted(tmp_path):
    desc = "Hedging 🧪 — гипотеза, 仮説, فرضية 👍🏽"
    cfg = load_config(_write(tmp_path, _sub('"word TF-IDF and logistic regression"', f'"{desc}"')
                             .replace('name = "baseline"', 'name = "baseline-🧪-仮説"')))
    assert cfg["description"] == desc and cfg["name"] == "baseline-🧪-仮説"


def test_directory_and_missing_file(tmp_path):
    folder = tmp_path / "exp.toml"
    folder.mkdir()
    with pytest.raises(IsADirectoryError, match="expected a TOML config file, found a directory") as info:
        load_config(folder)
    assert str(folder) in str(info.value)
    with pytest.raises(FileNotFoundError, match="no such config file"):
        load_config(tmp_path / "missing.toml")


def test_unreadable_file(tmp_path, make_unreadable):
    path = make_unreadable(_write(tmp_path))
    with pytest.raises(PermissionError):
        load_config(path)


def test_unreadable_file_simulated(tmp_path, monkeypatch):
    # The same as test_unreadable_file, for runs as root where chmod 000 does not stop reading.
    import stancekit.experiments._config as config_module

    def denied(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(config_module, "load_toml", denied)
    with pytest.raises(PermissionError):
        load_config(_write(tmp_path))


# ----------------------------------------------------------------------------------------------
# Configs cannot name code to import or execute

EVIL_MODULE = '''
import pathlib
pathlib.Path(__file__).with_name("IMPORTED").write_text("the config imported me")

def hook(*args, **kwargs):
    pathlib.Path(__file__).with_name("CALLED").write_text("the config called me")
    return []

class Evil:
    def __init__(self, *args, **kwargs):
        hook()
'''

CODE_CASES = [
    ("classifier 'os.system'", _sub('"logistic_regression"', '"os.system"'), "classifier.name"),
    ("classifier dotted class", _sub('"logistic_regression"', '"sklearn.ensemble.RandomForestClassifier"'),
     "classifier.name"),
    ("classifier from a module file", _sub('"logistic_regression"', '"evil_cfg_module.Evil"'), "classifier.name"),
    ("classifier '__import__'", _sub('"logistic_regression"', '"__import__"'), "classifier.name"),
    ("featurizer dotted path", _sub('"word_tfidf"', '"evil_cfg_module.Evil"'), "features[0].name"),
    ("featurizer 'builtins.eval'", _sub('"word_tfidf"', '"builtins.eval"'), "features[0].name"),
    ("_target_ at top level", GOOD.replace("seed = 1", 'seed = 1\n_target_ = "evil_cfg_module.Evil"'), "_target_"),
    ("_target_ in classifier", _sub('name = "logistic_regression"',
                                    'name = "logistic_regression"\n_target_ = "evil_cfg_module.Evil"'),
     "classifier._target_"),
    ("_target_ in a feature", _sub('name = "word_tfidf"', 'name = "word_tfidf"\n_target_ = "evil_cfg_module.hook"'),
     "features[0]._target_"),
    ("_target_ in params", _sub('name = "logistic_regression"',
                                'name = "logistic_regression"\nparams = {_target_ = "evil_cfg_module.Evil"}'),
     "classifier.params._target_"),
    ("module key", GOOD.replace("seed = 1", 'seed = 1\nmodule = "evil_cfg_module"'), "module"),
    ("import table", GOOD + '[import]\nmodules = ["evil_cfg_module"]\n', "import"),
]


@pytest.fixture
def evil_module(tmp_path, monkeypatch):
    """A module that leaves a marker file when imported and another when called."""
    folder = tmp_path / "mods"
    folder.mkdir()
    (folder / "evil_cfg_module.py").write_text(EVIL_MODULE)
    monkeypatch.syspath_prepend(str(folder))
    yield folder
    assert not (folder / "IMPORTED").exists(), "a config imported a module"
    assert not (folder / "CALLED").exists(), "a config called code"


@pytest.mark.parametrize("name,text,key_path", CODE_CASES, ids=[c[0] for c in CODE_CASES])
def test_config_cannot_name_code(tmp_path, evil_module, name, text, key_path):
    msg = _error(_write(tmp_path, text), key_path)
    assert "unknown" in msg


@pytest.mark.parametrize("param", ["tokenizer", "preprocessor", "analyzer"])
def test_callable_parameters_given_as_strings_are_never_resolved(tmp_path, evil_module, corpus_dir, param):
    # A string where scikit-learn takes a callable stays a string: the config check refuses it (naming the
    # key) before anything is fitted, and nothing is imported.
    text = _sub('name = "word_tfidf"', f'name = "word_tfidf"\nparams = {{{param} = "evil_cfg_module.hook"}}')
    msg = _error(_write(tmp_path, text), "features[0].params")
    assert f"'{param}' parameter" in msg


def test_registries_are_plain_names(evil_module):
    # A resolved config holds only registry names and plain values; building it imports nothing new.
    cfg = resolve_config({"data": {"layer": "hedging"}, "features": [{"name": "word_tfidf"}],
                          "classifier": {"name": "logistic_regression"}})
    build_estimator(cfg)


@pytest.mark.parametrize("bad", ["../../outside", "/tmp/elsewhere", "", "..", "a/../../b"])
def test_name_cannot_point_the_run_folder_elsewhere(tmp_path, bad):
    _error(_write(tmp_path, _sub('name = "baseline"', f'name = "{bad}"')), "name")
