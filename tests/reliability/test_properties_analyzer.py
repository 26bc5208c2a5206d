"""Property-based tests of the Analyzer: arbitrary Unicode text (non-empty after strip) never raises, gives one
record per input, and the same record every time, alone or in a batch."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stancekit.persistence import load_model

SETTINGS = settings(max_examples=40, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# Any code point except unpaired surrogates (they cannot come from valid UTF-8), biased towards the
# interesting ones: whitespace, controls, combining marks, emoji, right-to-left scripts, CJK.
SPECIAL = st.sampled_from(["\u00a0", "\u200b", "\u200d", "\ufeff", "\u0301", "\u202e", "\r\n", "\t", "\x00",
                           "🚚", "👍🏽", "🏳️‍🌈", "官", "Ж", "ق", "\U0001d54f", "may", "could", "said", " "])
CHARS = st.one_of(st.characters(exclude_categories=("Cs",)), SPECIAL)
TEXT = st.lists(CHARS, min_size=1, max_size=120).map("".join).filter(lambda s: s.strip())
TEXTS = st.lists(TEXT, min_size=1, max_size=6)
TARGETS = st.one_of(st.none(), TEXT)


@pytest.fixture(scope="module")
def analyzer(trained_model):
    return load_model(trained_model)


def _check(texts, targets, records, analyzer):
    assert len(records) == len(texts)
    for text, target, rec in zip(texts, targets, records):
        for layer in ("hedging", "claim_type", "source"):
            assert rec[layer] in analyzer.labels_[layer]
            assert 0.0 <= rec[f"{layer}_probability"] <= 1.0
        if target is None:
            assert "stance" not in rec
        else:
            assert rec["stance"] in analyzer.labels_["stance"]
        if rec["hedging"] == "certain":
            assert rec["hedge_cues"] == []
        for start, end, cue in rec["hedge_cues"]:
            assert 0 <= start < end <= len(text) and text[start:end] == cue


@SETTINGS
@given(texts=TEXTS)
def test_any_text_one_record_each_and_deterministic(analyzer, texts):
    first = analyzer.analyze(texts)
    _check(texts, [None] * len(texts), first, analyzer)
    assert analyzer.analyze(texts) == first
    assert [analyzer.analyze([t])[0] for t in texts] == first  # a record depends on its own text only


@SETTINGS
@given(data=st.data())
def test_any_text_and_target(analyzer, data):
    texts = data.draw(TEXTS)
    targets = data.draw(st.lists(TARGETS, min_size=len(texts), max_size=len(texts)))
    first = analyzer.analyze(texts, targets)
    _check(texts, targets, first, analyzer)
    assert analyzer.analyze(texts, targets) == first
    labels = analyzer.predict(texts, targets)
    assert labels["hedging"] == [r["hedging"] for r in first]
    assert labels["stance"] == [r.get("stance") for r in first]


@settings(SETTINGS, max_examples=15)
@given(text=TEXT, target=TARGETS)
def test_explain_any_text(analyzer, text, target):
    out = analyzer.explain(text, target)
    [rec] = analyzer.analyze([text], None if target is None else [target])
    assert out["hedge_cues"] == rec["hedge_cues"]
    for layer, info in out["layers"].items():
        assert info["label"] == rec[layer]
        assert all(item["contribution"] > 0 for item in info["for"])
        assert all(item["contribution"] < 0 for item in info["against"])
    for start, end, cue, _ in out["cues"]:
        assert text[start:end] == cue


@SETTINGS
@given(texts=st.lists(st.text(min_size=0, max_size=40), min_size=1, max_size=5))
def test_blank_text_is_refused_by_index_never_crashes(analyzer, texts):
    blank = [i for i, t in enumerate(texts) if not t.strip()]
    if blank:
        with pytest.raises(ValueError, match=rf"texts\[{blank[0]}\] is empty or whitespace only"):
            analyzer.analyze(texts)
    else:
        assert len(analyzer.analyze(texts)) == len(texts)
