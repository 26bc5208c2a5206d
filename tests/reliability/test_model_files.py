"""Model files: untrusted types are refused (named), every registered estimator survives save/load with the
same output, and truncated, garbage or corrupt files give a clear error naming the file."""

import gc
import io
import json
import os
import sys
import zipfile

import numpy as np
import pytest
import skops.io as sio
from sklearn.feature_extraction.text import TfidfVectorizer

from stancekit.cli import main
from stancekit.experiments._registry import (CLASSIFIERS, FEATURIZERS, PAIR_FEATURIZERS, TAGGERS,
                                             make_classifier, make_featurizer)
from stancekit.persistence import ModelVersionError, UntrustedModelError, load_model, save_model

TEXTS = ["Officials said the convoy may have crossed the border.", "Exports fell by 12 percent in May.",
         "It could not be independently verified whether troops crossed.", "Analysts expect talks to resume.",
         "About 4,000 people fled, according to aid workers.", "The envoys will meet in Geneva on Tuesday."]
ODD = TEXTS + ["Officials 官员 said 🚚 may — Конвой.", "", "x", "\ufeffAbout\r\n4,000"]
TARGET = "Troops crossed the border."


def _schema(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}, json.loads(z.read("schema.json"))


def _write_schema(path, items, schema):
    items = dict(items, **{"schema.json": json.dumps(schema).encode()})
    with zipfile.ZipFile(path, "w") as z:
        for name, data in items.items():
            z.writestr(name, data)


def _find(node, pred):
    """First dict node in the schema tree for which pred(node) is true."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            if pred(n):
                return n
            stack.extend(n.values())
        elif isinstance(n, list):
            stack.extend(n)
    raise AssertionError("node not found")


def _edit(path, pred, **changes):
    items, schema = _schema(path)
    _find(schema, pred).update(changes)
    _write_schema(path, items, schema)


@pytest.fixture(scope="module")
def analyzer(trained_model):
    return load_model(trained_model)


# ----------------------------------------------------------------------------------------------
# Untrusted types


@pytest.mark.parametrize("module,name", [("os", "system"), ("subprocess", "Popen"), ("builtins", "eval"),
                                         ("numpy.lib._datasource", "DataSource"), ("stancekit.persistence", "os"),
                                         ("stancekit.persistence", "Path"), ("sklearn.base", "nonexistent")])
def test_edited_class_is_refused_naming_it(trained_model, tmp_path, module, name):
    path = tmp_path / "m.skops"
    path.write_bytes(trained_model.read_bytes())
    _edit(path, lambda n: n.get("__class__") == "LexiconCueTagger", __module__=module, __class__=name)
    with pytest.raises(UntrustedModelError) as info:
        load_model(path)
    assert f"{module}.{name}" in str(info.value) and str(path) in str(info.value)


@pytest.fixture
def vectorizer_file(tmp_path):
    import textwrap

    est = TfidfVectorizer(preprocessor=textwrap.dedent).fit(["alpha beta", "beta gamma"])
    return save_model(est, tmp_path / "v.skops")


@pytest.mark.parametrize("module,name", [
    ("builtins", "exec"), ("builtins", "eval"), ("builtins", "open"), ("builtins", "__import__"),
    ("sklearn.datasets._rcv1", "remove"),  # os.remove, re-exported by a scikit-learn module
    ("sklearn.datasets._base", "makedirs"),
    ("numpy", "load"),
    ("stancekit.__main__", "main"),  # importing it would run the command line
    ("sklearn.conftest", "pytest_configure"),
])
def test_function_in_a_trusted_namespace_is_refused(vectorizer_file, module, name):
    # A vectorizer calls its preprocessor on every input text; a model file must not choose that function.
    was_imported = module in sys.modules
    _edit(vectorizer_file, lambda n: n.get("__loader__") == "FunctionNode", __module__=module, __class__=name)
    with pytest.raises(UntrustedModelError, match=f"refusing to load untrusted types: {module}.{name}"):
        load_model(vectorizer_file)
    if module in ("stancekit.__main__", "sklearn.conftest"):  # refused without importing them
        assert (module in sys.modules) == was_imported


def test_refused_file_cannot_delete_files(vectorizer_file, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    _edit(vectorizer_file, lambda n: n.get("__loader__") == "FunctionNode", __module__="sklearn.datasets._rcv1",
          __class__="remove")
    with pytest.raises(UntrustedModelError):
        load_model(vectorizer_file).transform([str(victim)])
    assert victim.read_text() == "keep me"


def test_object_whose_destructor_deletes_a_folder_is_refused(tmp_path):
    from numpy.lib import _datasource

    victim = tmp_path / "precious"
    victim.mkdir()
    (victim / "data.txt").write_text("keep me")
    path = save_model(_datasource.DataSource(str(tmp_path / "unused")), tmp_path / "d.skops")
    items, schema = _schema(path)
    obj = _find(schema, lambda n: n.get("__class__") == "DataSource")["content"]["content"]
    obj["_destpath"]["content"] = json.dumps(str(victim))
    obj["_istmpdest"]["content"] = "true"
    _write_schema(path, items, schema)
    with pytest.raises(UntrustedModelError, match="DataSource"):
        load_model(path)
    gc.collect()
    assert (victim / "data.txt").read_text() == "keep me"


def test_trusted_model_loads_and_predict_refuses_an_untrusted_one(trained_model, tmp_path, capsys):
    assert load_model(trained_model).labels_["hedging"] == ["certain", "hedged"]
    path = tmp_path / "m.skops"
    path.write_bytes(trained_model.read_bytes())
    _edit(path, lambda n: n.get("__class__") == "LexiconCueTagger", __module__="os", __class__="system")
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"text": "Troops crossed."}\n')
    assert main(["predict", "--model", str(path), "--input", str(inp), "--output", str(tmp_path / "o.jsonl")]) == 2
    err = capsys.readouterr().err
    assert "untrusted types: os.system" in err and str(path) in err
    assert not (tmp_path / "o.jsonl").exists()


# ----------------------------------------------------------------------------------------------
# Save and reload every registered estimator; outputs must be identical


def _same(a, b):
    if hasattr(a, "toarray"):
        return a.shape == b.shape and abs(a - b).max() == 0 if a.nnz or b.nnz else a.shape == b.shape
    return np.array_equal(np.asarray(a, dtype=object), np.asarray(b, dtype=object))


@pytest.mark.parametrize("name", sorted(FEATURIZERS))
def test_featurizer_round_trip(tmp_path, name):
    X = [(t, TARGET) for t in TEXTS] if name in PAIR_FEATURIZERS else list(TEXTS)
    params = dict(FEATURIZERS[name][1])
    params.update({"min_df": 1} if "min_df" in params else {})
    est = make_featurizer(name, params).fit(X)
    again = load_model(save_model(est, tmp_path / "f.skops"))
    assert type(again) is type(est) and again.get_params() == est.get_params()
    Xo = [(t, TARGET) for t in ODD] if name in PAIR_FEATURIZERS else list(ODD)
    assert _same(again.transform(Xo), est.transform(Xo))
    assert list(again.get_feature_names_out()) == list(est.get_feature_names_out())


@pytest.mark.parametrize("name", sorted(TAGGERS))
def test_tagger_round_trip(tmp_path, tiny_corpus, name):
    texts, spans, _ = tiny_corpus.cue_view("train")
    est = make_classifier(name, TAGGERS[name][1], 0).fit(texts, spans)
    again = load_model(save_model(est, tmp_path / "t.skops"))
    assert again.get_params() == est.get_params()
    assert [list(map(tuple, s)) for s in again.predict(ODD)] == [list(map(tuple, s)) for s in est.predict(ODD)]


@pytest.mark.parametrize("name", sorted(CLASSIFIERS))
def test_classifier_round_trip(tmp_path, tiny_corpus, name):
    texts, y, _ = tiny_corpus.sentence_view("claim_type", "train")
    X = TfidfVectorizer().fit(texts).transform(texts)
    est = make_classifier(name, CLASSIFIERS[name][1], 0).fit(X, y)
    again = load_model(save_model(est, tmp_path / "c.skops"))
    assert list(again.predict(X)) == list(est.predict(X))
    if hasattr(est, "decision_function"):
        assert np.array_equal(again.decision_function(X), est.decision_function(X))


def test_analyzer_round_trip(analyzer, tmp_path):
    again = load_model(save_model(analyzer, tmp_path / "a.skops"))
    targets = [TARGET, None] * (len(ODD) // 2) + [TARGET] * (len(ODD) % 2)
    texts = [t for t in ODD if t.strip()]
    assert again.analyze(texts, targets[:len(texts)]) == analyzer.analyze(texts, targets[:len(texts)])
    assert again.explain(TEXTS[0], TARGET) == analyzer.explain(TEXTS[0], TARGET)


# ----------------------------------------------------------------------------------------------
# Truncated, garbage, corrupt and foreign files


def _corrupt_cases(good):
    items, schema = _schema(io.BytesIO(good))
    npy = sorted(n for n in items if n.endswith(".npy"))[0]

    def rezip(new_items):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for n, d in new_items.items():
                z.writestr(n, d)
        return buf.getvalue()

    no_version = json.loads(json.dumps(schema))
    del no_version["content"]["stancekit_version"]
    return [
        ("empty file", b"", "not a stancekit model file (the file is empty)"),
        ("garbage", b"\x00\x01garbage" * 100, "not a skops zip archive"),
        ("text file", b'{"model": "LogisticRegression"}\n', "not a skops zip archive"),
        ("pickle", b"\x80\x04\x95\x00\x00\x00\x00\x00\x00\x00\x00.", "not a skops zip archive"),
        ("truncated to 10 %", good[: len(good) // 10], "not a skops zip archive"),
        ("truncated to 90 %", good[: len(good) * 9 // 10], "not a skops zip archive"),
        ("last byte missing", good[:-1], "not a skops zip archive"),
        ("schema not JSON", rezip(dict(items, **{"schema.json": b"{not json"})), "skops could not read it"),
        ("schema missing", rezip({n: d for n, d in items.items() if n != "schema.json"}), "schema.json"),
        ("array missing", rezip({n: d for n, d in items.items() if n != npy}), "skops could not read it"),
        ("array garbage", rezip(dict(items, **{npy: b"garbage"})), "corrupt model file"),
        ("no version recorded", rezip(dict(items, **{"schema.json": json.dumps(no_version).encode()})),
         "does not record the stancekit version"),
    ]


CASE_NAMES = ["empty file", "garbage", "text file", "pickle", "truncated to 10 %", "truncated to 90 %",
              "last byte missing", "schema not JSON", "schema missing", "array missing", "array garbage",
              "no version recorded"]


@pytest.mark.parametrize("case", CASE_NAMES)
def test_truncated_garbage_or_corrupt_file(trained_model, tmp_path, capsys, case):
    cases = {n: (data, msg) for n, data, msg in _corrupt_cases(trained_model.read_bytes())}
    data, message = cases[case]
    path = tmp_path / "bad.skops"
    path.write_bytes(data)
    with pytest.raises(ValueError) as info:
        load_model(path)
    assert str(path) in str(info.value) and message in str(info.value)
    # and through the command line: exit status 2 with the same message, no traceback
    inp = tmp_path / "in.jsonl"
    inp.write_text('{"text": "Troops crossed."}\n')
    assert main(["predict", "--model", str(path), "--input", str(inp), "--output", str(tmp_path / "o")]) == 2
    assert message in capsys.readouterr().err


def test_foreign_skops_file_is_not_a_stancekit_model(tmp_path):
    path = tmp_path / "plain.skops"
    sio.dump(TfidfVectorizer().fit(["alpha beta"]), path)
    with pytest.raises(ValueError, match="expected a stancekit model file"):
        load_model(path)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.InconsistentVersionWarning")
def test_scikit_learn_version_mismatch(trained_model, tmp_path):
    path = tmp_path / "m.skops"
    path.write_bytes(trained_model.read_bytes())
    items, schema = _schema(path)
    schema["content"]["sklearn_version"]["content"] = json.dumps("0.24.2")
    _write_schema(path, items, schema)
    with pytest.raises(ModelVersionError, match=r"written with scikit-learn 0\.24\.2, but scikit-learn .* installed"):
        load_model(path)
    assert load_model(path, check_versions=False).labels_ == load_model(trained_model).labels_


def test_directory_and_missing_model(tmp_path):
    with pytest.raises(IsADirectoryError, match="expected a model file, found a directory"):
        load_model(tmp_path)
    with pytest.raises(FileNotFoundError, match="no such model file"):
        load_model(tmp_path / "none.skops")
    with pytest.raises(IsADirectoryError, match="expected a model file path, found a directory"):
        save_model(object(), tmp_path)


def test_unreadable_model(tmp_path, trained_model, make_unreadable):
    path = tmp_path / "m.skops"
    path.write_bytes(trained_model.read_bytes())
    make_unreadable(path)
    with pytest.raises(PermissionError):
        load_model(path)


def test_saved_model_file_is_not_private(tmp_path, analyzer):
    # A temporary file is created 0600; the renamed model file must get the usual permissions instead.
    old = os.umask(0o022)
    try:
        path = save_model(analyzer, tmp_path / "shared.skops")
    finally:
        os.umask(old)
    assert oct(os.stat(path).st_mode & 0o777) == oct(0o644)
    os.chmod(path, 0o640)
    save_model(analyzer, path)  # overwriting keeps the file's mode
    assert oct(os.stat(path).st_mode & 0o777) == oct(0o640)


def test_untrusted_types_of_a_file_that_is_no_archive_names_it(tmp_path):
    from stancekit.persistence import untrusted_types

    path = tmp_path / "notes.skops"
    path.write_text("not a model")
    with pytest.raises(ValueError, match=r"notes\.skops: not a stancekit model file \(not a skops zip archive"):
        untrusted_types(path)
