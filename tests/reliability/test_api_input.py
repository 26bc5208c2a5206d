"""The Python API on the whole bad-input list: Analyzer.analyze / predict / explain / fit and every registered
featurizer. Errors name the argument and the index of the offending item; odd but valid text is labelled."""

import numpy as np
import pytest
from sklearn.base import clone

from stancekit import Analyzer
from stancekit.data import CorpusFormatError
from stancekit.experiments._registry import FEATURIZERS, PAIR_FEATURIZERS, make_featurizer
from stancekit.persistence import load_model

MB = 1 << 20
TARGET = "Troops crossed the border."
MIXED = "Officials 官员 said the convoy 🚚 may have crossed — Конвой пересёк границу, قال المسؤولون 👍🏽."
BIG = ("Officials said the convoy may have crossed the border at night. " * (MB // 62 + 1))[:MB].strip()
OK = "Officials said the convoy may have crossed the border."


@pytest.fixture(scope="module")
def analyzer(trained_model):
    return load_model(trained_model)


def _check_records(texts, targets, records, analyzer):
    assert len(records) == len(texts)
    for text, target, rec in zip(texts, targets or [None] * len(texts), records):
        for layer in ("hedging", "claim_type", "source"):
            assert rec[layer] in analyzer.labels_[layer]
            assert 0 <= rec[f"{layer}_probability"] <= 1
        assert ("stance" in rec) == (target is not None)
        for start, end, cue in rec["hedge_cues"]:
            assert 0 <= start < end <= len(text) and text[start:end] == cue


# ----------------------------------------------------------------------------------------------
# Analyzer.analyze: bad input

TEXT_CASES = [
    ("bare string", OK, "Iterable over raw text documents expected for texts, string object received"),
    ("bytes", OK.encode(), "string object received"),
    ("int item", [OK, 3], r"texts[1] must be a string, got int 3"),
    ("None item", [None], r"texts[0] must be a string, got NoneType"),
    ("bytes item", [OK, OK, b"Troops crossed."], r"texts[2] must be a string, got bytes"),
    ("list item", [[OK]], r"texts[0] must be a string, got list"),
    ("float NaN item", [float("nan")], r"texts[0] must be a string, got float"),
    ("empty text", [OK, ""], r"texts[1] is empty or whitespace only"),
    ("whitespace text", [" \t\r\n\u00a0\u2003\u3000"], r"texts[0] is empty or whitespace only"),
]


@pytest.mark.parametrize("name,texts,message", TEXT_CASES, ids=[c[0] for c in TEXT_CASES])
def test_analyze_bad_texts(analyzer, name, texts, message):
    with pytest.raises(ValueError) as info:
        analyzer.analyze(texts)
    assert message in str(info.value)


TARGET_CASES = [
    ("bare string", TARGET, "targets must be a list"),
    ("too few", [TARGET], "got 1 targets for 2 texts"),
    ("too many", [TARGET] * 3, "got 3 targets for 2 texts"),
    ("int target", [TARGET, 5], r"targets[1] must be a non-empty string or None, got 5"),
    ("empty target", ["", None], r"targets[0] must be a non-empty string or None, got ''"),
    ("whitespace target", [None, " \n "], r"targets[1] must be a non-empty string or None"),
    ("bytes target", [b"x", None], r"targets[0] must be a non-empty string or None"),
]


@pytest.mark.parametrize("name,targets,message", TARGET_CASES, ids=[c[0] for c in TARGET_CASES])
def test_analyze_bad_targets(analyzer, name, targets, message):
    with pytest.raises(ValueError) as info:
        analyzer.analyze([OK, OK], targets)
    assert message in str(info.value)


@pytest.mark.parametrize("texts", [None, 5], ids=["None", "int"])
def test_analyze_non_iterable_names_the_argument(analyzer, texts):
    with pytest.raises(ValueError, match="texts"):
        analyzer.analyze(texts)


def test_predict_and_explain_check_input_too(analyzer):
    with pytest.raises(ValueError, match=r"texts\[0\] is empty"):
        analyzer.predict(["  "])
    with pytest.raises(ValueError, match=r"^text must be a non-empty string, got int 5"):
        analyzer.explain(5)
    with pytest.raises(ValueError, match=r"^text must be a non-empty string, got str '  '"):
        analyzer.explain("  ")
    with pytest.raises(ValueError, match=r"^target must be a non-empty string or None, got str ''"):
        analyzer.explain(OK, "")


def test_unfitted_analyzer():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        Analyzer().analyze([OK])


# ----------------------------------------------------------------------------------------------
# Analyzer.analyze: odd but valid input is labelled


ACCEPTED = [
    ("byte-order mark", "\ufeff" + OK),
    ("CRLF inside", "Officials said the convoy\r\nmay have crossed.\r\n"),
    ("NUL character", "Officials said\x00 the convoy may have crossed."),
    ("unpaired surrogate", "Officials said caf\udce9 owners may have fled."),
    ("mixed scripts and emoji", MIXED),
    ("emoji only", "🚚🚚🚚 👍🏽"),
    ("right-to-left only", "قال المسؤولون إن القافلة ربما عبرت الحدود"),
    ("combining marks", "Offi\u0301cials may\u0308 have crossed."),
    ("zero-width characters", "Officials\u200b said\u200d the convoy may\ufeff have crossed."),
    ("one character", "x"),
    ("punctuation only", "?!…"),
]


@pytest.mark.parametrize("name,text", ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_odd_but_valid_text_is_labelled(analyzer, name, text):
    for targets in (None, [TARGET]):
        recs = analyzer.analyze([text], targets)
        _check_records([text], targets, recs, analyzer)
    assert analyzer.analyze([text, OK]) == analyzer.analyze([text]) + analyzer.analyze([OK])


def test_a_one_megabyte_sentence_is_labelled(analyzer):
    recs = analyzer.analyze([BIG, OK], [TARGET, None])
    _check_records([BIG, OK], [TARGET, None], recs, analyzer)
    assert recs[1] == analyzer.analyze([OK])[0]


def test_empty_list_generator_and_array(analyzer):
    assert analyzer.analyze([]) == []
    assert analyzer.analyze(t for t in [OK]) == analyzer.analyze([OK])
    assert analyzer.analyze(np.array([OK, MIXED])) == analyzer.analyze([OK, MIXED])


# ----------------------------------------------------------------------------------------------
# Analyzer.fit: unknown split names, empty selections, bad corpus paths


def test_fit_unknown_split(tiny_corpus):
    with pytest.raises(ValueError, match="split must be one of .* got 'validation'"):
        Analyzer(train_splits=("validation",)).fit(tiny_corpus)


def test_fit_bad_corpus_paths(tmp_path, corpus_dir):
    with pytest.raises(FileNotFoundError, match="not found"):
        Analyzer().fit("no-such-corpus")
    (corpus_dir / "sentences.jsonl").write_text("\n")
    with pytest.raises(CorpusFormatError, match="sentences.jsonl: expected at least one sentence"):
        Analyzer().fit(str(corpus_dir))


@pytest.mark.parametrize("size", [-1, 0, None, 2.5, "10", True])
def test_a_bad_chunk_size_is_refused_not_a_silent_loss(analyzer, size):
    model = clone(analyzer).set_params(chunk_size=size)
    model.__dict__.update({k: v for k, v in analyzer.__dict__.items() if k.endswith("_")})
    with pytest.raises(ValueError, match=f"chunk_size must be a positive integer, got {size!r}"):
        model.analyze([OK, OK])
    model.set_params(chunk_size=np.int64(1))
    assert model.analyze([OK, MIXED]) == analyzer.analyze([OK, MIXED])


def test_fit_refuses_what_is_not_a_corpus(tiny_corpus):
    for bad in ([OK], (["x"], ["certain"]), 3):
        with pytest.raises(TypeError, match=f"expects a Corpus .* got {type(bad).__name__}"):
            Analyzer().fit(bad)
    with pytest.raises(ValueError, match="chunk_size must be a positive integer, got 0"):
        Analyzer(chunk_size=0).fit(tiny_corpus)


def test_fit_refuses_a_classifier_without_probabilities(tiny_corpus):
    from sklearn.linear_model import SGDClassifier
    from sklearn.svm import LinearSVC

    for clf in (LinearSVC(), SGDClassifier()):
        with pytest.raises(ValueError, match=f"predict_proba .*; {type(clf).__name__} has none"):
            Analyzer(classifier=clf).fit(tiny_corpus)


def test_one_split_name_and_one_stance_block_name(tiny_corpus, corpus_dir):
    from pathlib import Path

    one = Analyzer(train_splits="train", stance_blocks="word").fit(tiny_corpus)
    seq = Analyzer(train_splits=("train",), stance_blocks=("word",)).fit(Path(corpus_dir))
    assert one.analyze([OK], [TARGET]) == seq.analyze([OK], [TARGET])
    assert one.stance_columns_ == seq.stance_columns_ is not None
    with pytest.raises(ValueError, match=r"layer must be one of \['hedging', 'claim_type', 'source', 'stance'\], "
                                         r"got 'stanse'"):
        one.feature_names("stanse")


# ----------------------------------------------------------------------------------------------
# Every registered featurizer

TRAIN = ["The ministry said troops may have crossed the border.", "Exports fell 12 percent in 2025.",
         "Officials denied the report, calling it fabricated.", "It is unclear whether talks will resume.",
         "About 4,000 people fled, according to aid workers.", "The envoys will meet in Geneva next week."]
OWN = sorted(n for n in FEATURIZERS if FEATURIZERS[n][0].__module__.startswith("stancekit"))


@pytest.fixture(scope="module")
def fitted():
    out = {}
    for name in FEATURIZERS:
        X = [(t, TARGET) for t in TRAIN] if name in PAIR_FEATURIZERS else list(TRAIN)
        out[name] = make_featurizer(name, dict(FEATURIZERS[name][1], min_df=1)
                                    if "min_df" in FEATURIZERS[name][1] else FEATURIZERS[name][1]).fit(X)
    return out


def _x(name, texts):
    return [(t, TARGET) for t in texts] if name in PAIR_FEATURIZERS else list(texts)


FEATURIZER_BAD = [
    ("int item", [OK, 3], "X[1] must be"),
    ("None item", [None], "X[0] must be"),
    ("bytes item", [b"x"], "X[0] must be"),
]


@pytest.mark.parametrize("case", FEATURIZER_BAD, ids=[c[0] for c in FEATURIZER_BAD])
@pytest.mark.parametrize("name", OWN)
def test_featurizer_bad_items_name_the_index(fitted, name, case):
    _, texts, message = case
    X = [t if name not in PAIR_FEATURIZERS else (t if not isinstance(t, str) else (t, TARGET)) for t in texts]
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        fitted[name].transform(X)


@pytest.mark.parametrize("name", sorted(PAIR_FEATURIZERS))
def test_pair_featurizer_bad_pairs(fitted, name):
    with pytest.raises(ValueError, match=r"X\[1\] must be a \(sentence, target\) pair"):
        fitted[name].transform([(OK, TARGET), (OK,)])
    with pytest.raises(ValueError, match=r"X\[0\] must hold two strings, got \(str, int\)"):
        fitted[name].transform([(OK, 3)])
    for pair_like in ({"text": OK, "target": TARGET}, {OK, TARGET}):
        with pytest.raises(ValueError, match=r"X\[1\] must be a \(sentence, target\) pair"):
            fitted[name].transform([(OK, TARGET), pair_like])
    with pytest.raises(ValueError, match="string object received"):
        fitted[name].transform(OK)


ODD = [t for _, t in ACCEPTED] + ["", "   \t\n", ("The convoy may have crossed. " * 4000)]


@pytest.mark.parametrize("name", sorted(FEATURIZERS))
def test_featurizer_accepts_odd_text_one_row_each(fitted, name):
    est = fitted[name]
    X = _x(name, ODD)
    out = est.transform(X)
    assert out.shape == (len(ODD), len(est.get_feature_names_out()))
    dense = out.toarray() if hasattr(out, "toarray") else np.asarray(out)
    assert np.isfinite(dense).all()
    again = clone(est).fit(_x(name, TRAIN)).transform(X)
    assert abs(again - out).max() == 0 if hasattr(out, "toarray") else np.array_equal(again, out)
    # each row depends on its own text only
    single = est.transform(_x(name, [ODD[0]]))
    assert abs(single - out[:1]).max() == 0 if hasattr(out, "toarray") else np.array_equal(single, out[:1])


@pytest.mark.parametrize("name", sorted(PAIR_FEATURIZERS))
def test_pair_featurizers_give_an_empty_matrix_for_no_pairs(fitted, name):
    est = fitted[name]
    assert est.transform([]).shape == (0, len(est.get_feature_names_out()))


def test_pair_vectorizer_and_sentence_side_give_an_empty_matrix_for_no_pairs():
    from stancekit.features import LinguisticFeatures, PairVectorizer, SentenceSide, StanceCueFeaturizer

    pairs = [(t, TARGET) for t in TRAIN]
    for est in (PairVectorizer(), SentenceSide(transformer=LinguisticFeatures())):
        est.fit(pairs)
        assert est.transform([]).shape == (0, len(est.get_feature_names_out()))
    for est in (PairVectorizer(), StanceCueFeaturizer()):
        with pytest.raises(ValueError, match=r"fit needs at least one \(sentence, target\) pair, got 0"):
            est.fit([])
