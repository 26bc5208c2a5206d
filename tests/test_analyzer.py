"""The Analyzer: all layers, input checks, save/load round trip, untrusted files refused."""

import json
import zipfile

import pytest

from stancekit import Analyzer
from stancekit.persistence import ModelVersionError, UntrustedModelError, load_model, save_model

TEXTS = ["Officials said the convoy may have crossed the border.", "Exports fell by 12 percent in May."]
TARGETS = ["Troops crossed the border.", None]


@pytest.fixture
def analyzer(tiny_corpus):
    return Analyzer(train_splits=("train",)).fit(tiny_corpus)


def test_analyze_returns_all_layers(analyzer):
    recs = analyzer.analyze(TEXTS, TARGETS)
    assert len(recs) == 2
    for layer in ("hedging", "claim_type", "source"):
        assert recs[0][layer] in analyzer.labels_[layer]
        assert 0 <= recs[0][f"{layer}_probability"] <= 1
    assert recs[0]["stance"] in analyzer.labels_["stance"]
    assert "stance" not in recs[1]
    for start, end, cue in recs[0]["hedge_cues"]:
        assert TEXTS[0][start:end] == cue


def test_analyze_input_errors(analyzer):
    with pytest.raises(ValueError, match="string object received"):
        analyzer.analyze("one sentence")
    with pytest.raises(ValueError, match=r"texts\[1\] must be a string"):
        analyzer.analyze(["ok", 3])
    with pytest.raises(ValueError, match=r"texts\[0\] is empty"):
        analyzer.analyze(["  "])
    with pytest.raises(ValueError, match="one entry per text"):
        analyzer.analyze(TEXTS, ["x"])


def test_chunking_does_not_change_output(analyzer):
    many = TEXTS * 7
    small = Analyzer(train_splits=("train",), chunk_size=3)
    small.__dict__.update({k: v for k, v in analyzer.__dict__.items() if k.endswith("_")})
    assert small.analyze(many, TARGETS * 7) == analyzer.analyze(many, TARGETS * 7)


def test_save_load_round_trip(analyzer, tmp_path):
    path = save_model(analyzer, tmp_path / "a.skops")
    again = load_model(path)
    assert again.analyze(TEXTS, TARGETS) == analyzer.analyze(TEXTS, TARGETS)
    payload = load_model(path, return_payload=True)
    assert payload["labels"]["hedging"] == ["certain", "hedged"]


def _edit_schema(path, edit):
    with zipfile.ZipFile(path) as zin:
        items = {n: zin.read(n) for n in zin.namelist()}
    schema = json.loads(items["schema.json"])
    edit(schema)
    items["schema.json"] = json.dumps(schema).encode()
    with zipfile.ZipFile(path, "w") as zout:
        for n, data in items.items():
            zout.writestr(n, data)


def test_untrusted_type_is_refused(analyzer, tmp_path):
    path = save_model(analyzer, tmp_path / "a.skops")

    def inject(node):
        if isinstance(node, dict):
            if node.get("__class__") == "LexiconCueTagger":
                node["__module__"] = "os"
                node["__class__"] = "system"
                return True
            return any(inject(v) for v in node.values())
        if isinstance(node, list):
            return any(inject(v) for v in node)
        return False

    _edit_schema(path, lambda s: inject(s))
    with pytest.raises(UntrustedModelError, match="os.system"):
        load_model(path)


def test_version_mismatch_is_reported(analyzer, tmp_path):
    path = save_model(analyzer, tmp_path / "a.skops")

    def change(node):
        if isinstance(node, dict):
            if node.get("__class__") == "dict" and "content" in node:
                content = node["content"]
                if isinstance(content, dict) and "stancekit_version" in content:
                    content["stancekit_version"]["content"] = json.dumps("99.0.0")
                    return True
            return any(change(v) for v in node.values())
        if isinstance(node, list):
            return any(change(v) for v in node)
        return False

    _edit_schema(path, change)
    with pytest.raises(ModelVersionError, match="stancekit 99.0.0"):
        load_model(path)


def test_stance_blocks_choose_the_stance_features(corpus_dir):
    from stancekit import Analyzer
    from stancekit.data import load_corpus

    corpus = load_corpus(corpus_dir)
    with pytest.raises(ValueError, match=r"stance_blocks must name blocks of the featurizer \['word', 'ling'\]"):
        Analyzer(stance_blocks=("nope",), train_splits=("train",)).fit(corpus)
    word = Analyzer(train_splits=("train",)).fit(corpus)
    every = Analyzer(stance_blocks=None, train_splits=("train",)).fit(corpus)
    n_word = len(word.featurizer_.transformer_list[0][1].get_feature_names_out())
    assert word.stance_columns_ == (0, n_word) and every.stance_columns_ is None
    assert len(word.feature_names("stance")) < len(every.feature_names("stance"))
    assert word.classifiers_["stance"].coef_.shape[1] == len(word.feature_names("stance"))


def test_round4_equals_python_round_bit_for_bit():
    import math

    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import given, settings, strategies as st

    from stancekit.analyzer import round4

    def near(k, half):
        x = (k + (0.5 if half else 0.0)) / 1e4
        return [x, math.nextafter(x, 0.0), math.nextafter(x, 1.0), math.nextafter(math.nextafter(x, 1.0), 1.0)]

    edges = [v for k in range(0, 10001, 7) for half in (False, True) for v in near(k, half) if 0.0 <= v <= 1.0]
    edges += [0.0, 1.0, 0.12345, 0.00005, 0.99995, 1e-300, 5e-324]
    assert [x.hex() for x in round4(edges)] == [round(x, 4).hex() for x in edges]

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.floats(min_value=0.0, max_value=1.0), max_size=40))
    def check(values):
        assert [x.hex() for x in round4(values)] == [round(x, 4).hex() for x in values]

    check()
