"""The compiled predictor labels exactly as the Analyzer does, without importing scikit-learn, and
`stancekit predict` caches it per model file."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from stancekit import Analyzer
from stancekit._compiled import CompiledAnalyzer, CompiledModelError, compile_analyzer, load_compiled, save_compiled
from stancekit._predict import compiled_cache_path, load_for_prediction
from stancekit.cli import main
from stancekit.persistence import save_model

_spec = importlib.util.spec_from_file_location("_stancekit_tests_root_conftest",
                                               Path(__file__).with_name("conftest.py"))
_root = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_root)
SENTENCES, write_corpus = _root.SENTENCES, _root.write_corpus

TEXTS = [s[0] for s in SENTENCES] + _root.TRICKY_TEXTS + [
    "Perhaps PERHAPS perhaps: allegedly, reportedly and apparently the figures may be wrong."]
TARGETS = _root.TARGETS + ["perhaps", "Конвой пересёк границу"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from stancekit.data import load_corpus

    return load_corpus(write_corpus(tmp_path_factory.mktemp("c") / "tiny"))


@pytest.fixture(scope="module")
def analyzer(corpus):
    return Analyzer(train_splits=("train",)).fit(corpus)


def _texts_and_targets(n_repeat=4):
    texts = TEXTS * n_repeat
    targets = [TARGETS[k % len(TARGETS)] if k % 3 else None for k in range(len(texts))]
    return texts, targets


def test_compiled_records_equal_the_analyzer(analyzer, tmp_path):
    texts, targets = _texts_and_targets()
    want = analyzer.analyze(texts, targets)
    state = compile_analyzer(analyzer)
    assert state is not None
    compiled = CompiledAnalyzer(*state)
    assert compiled.analyze(texts, targets) == want
    assert compiled.analyze(texts) == analyzer.analyze(texts)
    assert compiled.labels_ == analyzer.labels_
    # saved and read back (arrays and JSON only), in small chunks: still the same records, as JSON too
    loaded = load_compiled(save_compiled(state, tmp_path / "m.npz"))
    loaded.chunk_size = 5
    got = loaded.analyze(texts, targets)
    assert got == want and json.dumps(got) == json.dumps(want)


def test_compiled_matches_on_a_small_corpus_with_probabilities_bit_for_bit(analyzer, corpus):
    rows = corpus.filter(split=["dev", "test"]) + corpus.filter(split=["train"])[:40]
    texts = [r["text"] for r in rows]
    targets = ["The army will withdraw." if k % 2 else None for k in range(len(texts))]
    compiled = CompiledAnalyzer(*compile_analyzer(analyzer))
    Xs, _ = analyzer._featurize(_tokens(texts))
    Xc, _ = compiled._featurize(_tokens(texts))
    assert (Xs != Xc).nnz == 0 and Xs.shape == Xc.shape
    for a, b in zip(analyzer._sentence_probas(Xs), compiled._sentence_probas(Xc)):
        assert np.array_equal(a, b)
    assert compiled.analyze(texts, targets) == analyzer.analyze(texts, targets)


def _tokens(texts):
    from stancekit.features._tokens import tokenize_batch

    return tokenize_batch(texts)


def test_softmax_and_logistic_equal_predict_proba():
    from stancekit._labeling import lr_probabilities

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 7))
    for n_classes in (2, 4):
        y = np.arange(60) % n_classes
        clf = LogisticRegression(C=3.0).fit(X, y)
        assert np.array_equal(lr_probabilities(clf.decision_function(X).reshape(60, -1), n_classes),
                              clf.predict_proba(X))


def test_models_the_compiled_predictor_does_not_reproduce_are_refused(corpus):
    small = dict(train_splits=("train",))
    assert compile_analyzer(Analyzer(stance_featurizer=None, **small).fit(corpus)) is None
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    char = FeatureUnion([("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3)))])
    assert compile_analyzer(Analyzer(featurizer=char, stance_blocks=None, **small).fit(corpus)) is None
    assert compile_analyzer(Analyzer(**small)) is None  # not fitted


def test_compiled_file_errors(analyzer, tmp_path):
    header, arrays = compile_analyzer(analyzer)
    with pytest.raises(CompiledModelError, match="compiled by stancekit 0.0.1"):
        CompiledAnalyzer({**header, "stancekit_version": "0.0.1"}, arrays, source="x.npz")
    with pytest.raises(CompiledModelError, match="expected a compiled model"):
        CompiledAnalyzer({**header, "format": "other"}, arrays)
    with pytest.raises(CompiledModelError, match="x.npz: inconsistent compiled model"):
        CompiledAnalyzer(header, {k: v for k, v in arrays.items() if k != "stance_coef"}, source="x.npz")
    for layer in ("hedging", "stance"):
        bad = dict(arrays, **{f"{layer}_coef": arrays[f"{layer}_coef"][:, :-1]})
        with pytest.raises(CompiledModelError, match=f"the {layer} coefficients have shape"):
            CompiledAnalyzer(header, bad)
    other_stop = {**header, "stop_words": ["just", "these"]}
    with pytest.raises(CompiledModelError, match="stop-word list differs"):
        CompiledAnalyzer(other_stop, arrays)
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a zip")
    with pytest.raises(CompiledModelError, match="junk.npz: not a compiled stancekit model"):
        load_compiled(junk)
    np.save(tmp_path / "array.npy", np.arange(3))
    with pytest.raises(CompiledModelError, match="array.npy: not a compiled stancekit model"):
        load_compiled(tmp_path / "array.npy")
    with pytest.raises(FileNotFoundError, match="missing.npz: no such compiled model file"):
        load_compiled(tmp_path / "missing.npz")


def test_compiled_predictor_imports_no_scikit_learn(analyzer, tmp_path):
    path = save_compiled(compile_analyzer(analyzer), tmp_path / "m.npz")
    want = analyzer.analyze(TEXTS[:3], [TARGETS[0], None, TARGETS[1]])
    code = (
        "import json, sys\n"
        "from stancekit._compiled import load_compiled\n"
        f"recs = load_compiled({str(path)!r}).analyze({TEXTS[:3]!r}, [{TARGETS[0]!r}, None, {TARGETS[1]!r}])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'skops', 'nltk')"
        " or m.startswith('scipy.stats'))\n"
        "print(json.dumps({'records': recs, 'heavy': heavy}))\n"
    )
    out = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                    check=True).stdout)
    assert out["heavy"] == []
    assert out["records"] == json.loads(json.dumps(want))


def test_predict_caches_the_compiled_model_and_output_is_unchanged(analyzer, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    model = save_model(analyzer, tmp_path / "m.skops")
    texts, targets = _texts_and_targets(2)
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(json.dumps({"text": x, **({"target": t} if t else {})}, ensure_ascii=False) + "\n"
                           for x, t in zip(texts, targets)), encoding="utf-8")
    outs = {}
    for name, extra in (("cold", []), ("warm", []), ("model", ["--no-compile"])):
        out = tmp_path / f"{name}.jsonl"
        assert main(["predict", "--model", str(model), "--input", str(inp), "--output", str(out), "--quiet",
                     *extra]) == 0
        outs[name] = out.read_bytes()
    assert outs["cold"] == outs["warm"] == outs["model"]
    cache = compiled_cache_path(model)
    assert cache.exists() and cache.parent == tmp_path / "cache" / "stancekit" / "compiled"
    assert load_for_prediction(model)[1] == "cached"
    assert load_for_prediction(model, compiled=False)[1] == "model"
    # a damaged cache entry is ignored (and replaced); a changed model file has another entry
    cache.write_bytes(b"damaged")
    messages = []
    labeler, how = load_for_prediction(model, messages.append)
    assert how == "compiled" and "ignoring the compiled cache entry" in messages[0]
    assert load_for_prediction(model)[1] == "cached"
    retrained = Analyzer(train_splits=("train",), classifier=LogisticRegression(C=1.0)).fit(_corpus_of(tmp_path))
    other = save_model(retrained, tmp_path / "other.skops")
    assert compiled_cache_path(other) != cache


def test_a_cold_start_reads_the_model_file_once_and_caches_what_it_loaded(analyzer, tmp_path, monkeypatch):
    from stancekit import persistence

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    model = save_model(analyzer, tmp_path / "m.skops")
    reads, read_bytes = [], Path.read_bytes

    def counting(self):
        if self == model:
            reads.append(self)
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    monkeypatch.setattr(persistence, "load_model", lambda *a, **k: pytest.fail("the file was read a second time"))
    labeler, how = load_for_prediction(model)
    assert how == "compiled" and len(reads) == 1
    assert labeler.analyze(TEXTS[:4]) == analyzer.analyze(TEXTS[:4])
    assert compiled_cache_path(model) == compiled_cache_path(model, data=read_bytes(model))
    assert compiled_cache_path(model).exists()


def test_load_model_bytes_names_the_file(tmp_path):
    from stancekit.persistence import load_model_bytes

    with pytest.raises(ValueError, match=r"m\.skops: not a stancekit model file \(the file is empty\)"):
        load_model_bytes(b"", tmp_path / "m.skops")
    with pytest.raises(ValueError, match=r"m\.skops: not a stancekit model file \(not a skops zip"):
        load_model_bytes(b"not a zip", tmp_path / "m.skops")


def _corpus_of(tmp_path):
    from stancekit.data import load_corpus

    return load_corpus(write_corpus(tmp_path / "tiny2"))


def test_unwritable_cache_still_labels(analyzer, tmp_path, monkeypatch):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    model = save_model(analyzer, tmp_path / "m.skops")
    messages = []
    labeler, how = load_for_prediction(model, messages.append)
    assert how == "compiled" and "could not cache the compiled model" in messages[0]
    assert labeler.analyze(TEXTS[:4]) == analyzer.analyze(TEXTS[:4])


def test_compiled_model_in_forked_and_loky_workers(analyzer, monkeypatch):
    import io

    from stancekit import _predict

    compiled = CompiledAnalyzer(*compile_analyzer(analyzer))
    texts, targets = _texts_and_targets(30)
    data = "".join(json.dumps({"id": k, "text": x, **({"target": t} if t else {})}, ensure_ascii=False) + "\n"
                   for k, (x, t) in enumerate(zip(texts, targets))).encode()

    def run(model, n_jobs):
        out = io.StringIO()
        _predict.predict_stream(model, io.BytesIO(data), out, chunk_size=64, n_jobs=n_jobs)
        return out.getvalue()

    want = run(analyzer, 1)
    assert run(compiled, 1) == want
    assert run(compiled, 2) == want  # forked from this process on Linux
    monkeypatch.setattr(_predict, "use_fork", lambda: False)
    _predict.start_workers(2, compiled=True).join()
    assert run(compiled, 2) == want  # loky workers, the compiled model pickled to them once


def test_compiled_records_equal_the_analyzer_on_the_whole_included_corpus():
    """The default Analyzer of the included corpus: every sentence alone and with each of its targets."""
    from stancekit.data import load_corpus

    corpus = load_corpus()
    model = Analyzer().fit(corpus)
    target_of = {t["id"]: t["text"] for d in corpus.documents.values() for t in d["targets"]}
    texts, targets = [], []
    for s in corpus.filter(split=["train", "dev", "test"]):
        texts.append(s["text"])
        targets.append(None)
        for item in s["stance"]:
            texts.append(s["text"])
            targets.append(target_of[item["target"]])
    assert len(texts) > 9000
    assert CompiledAnalyzer(*compile_analyzer(model)).analyze(texts, targets) == model.analyze(texts, targets)


def test_a_truncated_cache_entry_is_ignored_and_replaced(analyzer, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    model = save_model(analyzer, tmp_path / "m.skops")
    assert load_for_prediction(model)[1] == "compiled"
    cache = compiled_cache_path(model)
    cache.write_bytes(cache.read_bytes()[:5000])
    messages = []
    labeler, how = load_for_prediction(model, messages.append)
    assert how == "compiled" and "ignoring the compiled cache entry" in messages[0]
    assert labeler.analyze(TEXTS[:3]) == analyzer.analyze(TEXTS[:3])


def test_predict_with_a_model_file_that_is_not_an_analyzer(tmp_path, capsys):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline

    pipe = make_pipeline(TfidfVectorizer(), LogisticRegression()).fit(["aa bb", "cc dd", "aa cc", "bb dd"],
                                                                        [0, 1, 0, 1])
    path = save_model(pipe, tmp_path / "pipeline.skops")
    inp = tmp_path / "in.jsonl"
    for content in ('{"text": "Troops crossed."}\n', ""):
        inp.write_text(content)
        assert main(["predict", "--model", str(path), "--input", str(inp), "--output", str(tmp_path / "o")]) == 2
        err = capsys.readouterr().err
        assert "pipeline.skops: expected a stancekit Analyzer model" in err and "found Pipeline" in err
        assert "Traceback" not in err and not (tmp_path / "o").exists()
