"""Fast batch labeling gives the same output as the per-sentence definitions; `stancekit predict` gives the
same output with --n-jobs and on a Dask LocalCluster as in one process."""

import importlib.util
import io
import json
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from stancekit import Analyzer
from stancekit._predict import predict_stream
from stancekit.cli import main
from stancekit.data import DataFormatError
from stancekit.features import HedgeCueFeaturizer, LinguisticFeatures, StanceCueFeaturizer
from stancekit.features._lexicon import Lexicon, match_arrays
from stancekit.features._ngrams import vectorizer_transform
from stancekit.features._tokens import tokenize_batch
from stancekit.features._linguistic_core import BAGS, FAMILIES, _merged
from stancekit.persistence import save_model

# The root conftest is imported by pytest under the shared name "conftest"; load it from its file.
_spec = importlib.util.spec_from_file_location("_stancekit_tests_root_conftest",
                                               Path(__file__).with_name("conftest.py"))
_root = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_root)
SENTENCES, write_corpus = _root.SENTENCES, _root.write_corpus

TEXTS = [s[0] for s in SENTENCES] + _root.TRICKY_TEXTS
TARGETS = _root.TARGETS


def _same(a, b):
    a, b = sp.csr_matrix(a), sp.csr_matrix(b)
    return (a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a.indptr, b.indptr)
            and np.array_equal(a.indices, b.indices) and np.array_equal(a.data, b.data))


def _linguistic_reference(est, texts):
    """LinguisticFeatures.transform as defined sentence by sentence (Analysis + family functions)."""
    analyses = est.analyses(texts)
    n_dense = sum(len(FAMILIES[f]) for f in est.families_)
    values = np.asarray([est._dense_row(a) for a in analyses], dtype=float).reshape(len(analyses), n_dense)
    if len(est.scale_):
        values = values / np.asarray(est.scale_)
    dense = sp.csr_matrix(values)
    if not est.context_vocabulary_:
        return dense
    index = {k: i for i, k in enumerate(est.context_vocabulary_)}
    indptr, indices = [0], []
    for a in analyses:
        cols = set()
        for fam in est.families_:
            cols.update(index[k] for k in BAGS[fam](a) if k in index)
        indices.extend(sorted(cols))
        indptr.append(len(indices))
    bags = sp.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(analyses), len(index)))
    return sp.hstack([dense, bags], format="csr")


@pytest.mark.parametrize("vec", [
    TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), TfidfVectorizer(stop_words="english"),
    CountVectorizer(ngram_range=(1, 3)), TfidfVectorizer(norm="l1", binary=True, ngram_range=(2, 2)),
], ids=["word12", "stop", "count13", "l1-bigrams"])
def test_vectorizer_from_shared_tokens_equals_scikit_learn(vec):
    vec.fit(TEXTS[:12])
    batch = tokenize_batch(TEXTS)
    assert _same(vectorizer_transform(vec, batch), vec.transform(TEXTS))
    rows = [3, 0, 13, 12]
    assert _same(vectorizer_transform(vec, batch, rows), vec.transform([TEXTS[r] for r in rows]))


def test_vectorizer_with_own_analyzer_is_not_taken_over():
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3)).fit(TEXTS)
    assert vectorizer_transform(vec, tokenize_batch(TEXTS)) is None


@pytest.mark.parametrize("est", [LinguisticFeatures(), LinguisticFeatures(context_features=False, scale=False),
                                 HedgeCueFeaturizer(min_count=1),
                                 LinguisticFeatures(families=("claim", "attribution"), reference_year=2020)],
                         ids=["default", "dense-only", "hedge", "claim+attribution"])
def test_linguistic_batch_equals_sentence_by_sentence(est):
    est.fit(TEXTS * 2)
    assert _same(est.transform(TEXTS), _linguistic_reference(est, TEXTS))
    assert _same(est.transform(TEXTS[:1]), _linguistic_reference(est, TEXTS[:1]))


def test_stance_batch_equals_pair_by_pair():
    pairs = [(s, TARGETS[k % 3]) for k, s in enumerate(TEXTS)] + [(TARGETS[2], TARGETS[2])]
    for est in (StanceCueFeaturizer(), StanceCueFeaturizer(window=1)):
        est.fit(pairs)
        sentences, targets = zip(*pairs)
        assert _same(est.transform(pairs), est._transform_pairs(list(sentences), list(targets)))
        batch = tokenize_batch(list(sentences))
        rows = [5, 1, 20]
        assert _same(est._transform_batch(batch, [targets[r] for r in rows], rows),
                     est._transform_pairs([sentences[r] for r in rows], [targets[r] for r in rows]))


def test_array_matching_equals_token_matching():
    lexicons = [_merged(tuple(map(tuple, LinguisticFeatures().fit(TEXTS).lexicon_entries_))),
                Lexicon([("a b c", "x"), ("b c", "y"), ("c", "z"), ("a", "w"), ("b c d e", "v")])]
    texts = TEXTS + ["a b c d e", "b c d e a", "c c", ""]
    batch = tokenize_batch(texts)
    for lex in lexicons:
        keys = lex.phrase_keys()
        doc, i, j, phrase = match_arrays(lex, batch)
        got = [(int(d), int(a), int(b), keys[p]) for d, a, b, p in zip(doc, i, j, phrase)]
        want = [(d, a, b, key) for d, text in enumerate(texts)
                for a, b, key, _ in lex.match_tokens(list(map(str.lower, batch.raw[batch.offsets[d]:
                                                                               batch.offsets[d + 1]])))]
        assert got == want


@pytest.fixture(scope="module")
def analyzer(tmp_path_factory):
    from stancekit.data import load_corpus

    return Analyzer(train_splits=("train",)).fit(load_corpus(write_corpus(tmp_path_factory.mktemp("c") / "tiny")))


def test_analyzer_fast_paths_equal_plain_transforms(analyzer):
    texts = TEXTS * 3
    targets = [TARGETS[k % 3] if k % 2 else None for k in range(len(texts))]
    batch = tokenize_batch(texts)
    Xs, shared = analyzer._featurize(batch)
    assert shared and _same(Xs, analyzer.featurizer_.transform(texts))
    rows = [k for k, t in enumerate(targets) if t]
    pairs = [(texts[k], targets[k]) for k in rows]
    assert _same(analyzer._pair_matrix_batch(Xs[rows], batch, rows, [targets[k] for k in rows], True),
                 analyzer._pair_matrix(Xs[rows], pairs))
    hedged = texts + ["It may have been, perhaps, MAY", "could not be independently verified"]
    assert analyzer._cue_spans(hedged) == analyzer.cue_tagger_.predict(hedged)
    recs = analyzer.analyze(texts, targets)
    assert [("stance" in r) for r in recs] == [t is not None for t in targets]
    assert list(recs[1]) == ["hedging", "hedging_probability", "claim_type", "claim_type_probability", "source",
                             "source_probability", "hedge_cues", "stance", "stance_probability"]


# --- stancekit predict: --n-jobs and --scheduler ---------------------------------------------------------


def _input(n=600):
    lines = []
    for k in range(n):
        rec = {"id": k, "text": TEXTS[k % len(TEXTS)]}
        if k % 3 == 0:
            rec["target"] = TARGETS[k % 2]
        lines.append(json.dumps(rec, ensure_ascii=False).encode())
        if k in (7, 450):
            lines.append(b'{"text": 5}')
    return b"\n".join(lines) + b"\n"


def _run(model, data, **kw):
    out = io.StringIO()
    n, failed = predict_stream(model, io.BytesIO(data), out, source="in.jsonl", chunk_size=128, **kw)
    return n, failed, out.getvalue()


def test_n_jobs_output_identical_and_in_order(analyzer):
    data = _input()
    one = _run(analyzer, data)
    two = _run(analyzer, data, n_jobs=2)
    assert two == one
    rows = [json.loads(line) for line in one[2].splitlines()]
    assert one[:2] == (602, 2) and len(rows) == 602
    assert [r["line"] for r in rows if "error" in r] == [9, 453]
    assert [r["id"] for r in rows if "error" not in r] == list(range(600))
    # --strict: the lines before the first bad one are written, then the error
    for n_jobs in (1, 2):
        out = io.StringIO()
        with pytest.raises(DataFormatError, match="in.jsonl, line 9"):
            predict_stream(analyzer, io.BytesIO(data), out, source="in.jsonl", chunk_size=4, strict=True,
                           n_jobs=n_jobs)
        assert out.getvalue() == "".join(one[2].splitlines(keepends=True)[:8])


def test_cli_n_jobs(analyzer, tmp_path, capsys):
    model = save_model(analyzer, tmp_path / "m.skops")
    inp = tmp_path / "in.jsonl"
    inp.write_bytes(_input(300))
    outs = []
    for n_jobs in ("1", "2"):
        out = tmp_path / f"out{n_jobs}.jsonl"
        assert main(["predict", "--model", str(model), "--input", str(inp), "--output", str(out),
                     "--n-jobs", n_jobs, "--quiet"]) == 1
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and len(outs[0].splitlines()) == 301
    assert main(["predict", "--model", str(model), "--input", str(inp), "--n-jobs", "0"]) == 2
    assert "--n-jobs" in capsys.readouterr().err


def test_missing_dask_names_the_install_command(analyzer, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(ImportError, match=r"pip install 'stancekit\[dask\]'"):
        _run(analyzer, _input(3), scheduler="tcp://127.0.0.1:1")
    inp = tmp_path / "in.jsonl"
    inp.write_bytes(_input(3))
    assert main(["predict", "--input", str(inp), "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "pip install 'stancekit[dask]'" in capsys.readouterr().err


def test_dask_local_cluster_output_identical(analyzer):
    distributed = pytest.importorskip("distributed")
    data = _input(400)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as cluster:
        on_cluster = _run(analyzer, data, scheduler=cluster.scheduler_address)
        with distributed.Client(cluster) as client:
            with_client = _run(analyzer, data, scheduler=client)
    assert on_cluster == _run(analyzer, data) == with_client


def test_type_table_starting_afresh_changes_nothing(analyzer, monkeypatch):
    from stancekit.features._tokens import TYPES

    texts = TEXTS * 4
    targets = [TARGETS[k % 3] if k % 2 else None for k in range(len(texts))]
    want = analyzer.analyze(texts, targets)
    monkeypatch.setattr(TYPES, "limit", 10)
    monkeypatch.setattr(analyzer, "chunk_size", 7)
    generation = TYPES.generation
    assert analyzer.analyze(texts, targets) == want
    assert TYPES.generation > generation


def test_target_bank_changes_nothing(analyzer, monkeypatch):
    from stancekit import _labeling as labeling_module

    texts = TEXTS * 3
    targets = [TARGETS[k % 3] if k % 2 else None for k in range(len(texts))]
    labeling_module._TARGET_BANKS.clear()
    cold = analyzer.analyze(texts, targets)
    assert analyzer.analyze(texts, targets) == cold  # warm: every target's row from the bank
    monkeypatch.setattr(labeling_module, "_TARGET_BANK", 1)  # the bank starts afresh at every chunk
    monkeypatch.setattr(analyzer, "chunk_size", 4)
    assert analyzer.analyze(texts, targets) == cold
    pairs = [(t, g) for t, g in zip(texts, targets) if g is not None]
    direct = analyzer._pair_matrix(analyzer.featurizer_.transform([t for t, _ in pairs]), pairs)
    via_bank = analyzer._pair_matrix_batch(analyzer.featurizer_.transform([t for t, _ in pairs]),
                                           tokenize_batch([t for t, _ in pairs]), list(range(len(pairs))),
                                           [g for _, g in pairs], True)
    assert abs(direct - via_bank).max() < 1e-12


def test_cue_spans_of_joined_texts_equal_the_tagger(analyzer):
    phrases = sorted(analyzer.cue_tagger_.lexicon_)
    p = phrases[0]
    texts = [p, p + "x", "x" + p, p.upper() + "\n" + p, "é " + p, p + " " + p, "", "\n", p + "\n", "\n" + p,
             "Ünïcode " + p.capitalize(), "; ".join(phrases), "\n".join(phrases)]
    for k in range(len(texts)):
        sample = texts[k:] + texts[:k]
        assert analyzer._cue_spans(sample) == analyzer.cue_tagger_.predict(sample)
    assert analyzer._cue_spans([]) == []


def test_stacked_sentence_layers_equal_predict_proba(analyzer):
    from stancekit.data import SENTENCE_LAYERS

    Xs = analyzer.featurizer_.transform(TEXTS * 2)
    for layer, proba in zip(SENTENCE_LAYERS, analyzer._sentence_probas(Xs)):
        assert np.array_equal(proba, analyzer.classifiers_[layer].predict_proba(Xs))
