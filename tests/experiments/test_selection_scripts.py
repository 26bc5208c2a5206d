"""The selection-round script for SemEval-2016 rebuilds the chosen model, and its text rewrites do what they say."""

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("nltk")

from stancekit.experiments import load_config
from stancekit.experiments._runner import build_estimator

ROOT = Path(__file__).resolve().parents[2]


def _script(name):
    path = ROOT / "experiments" / "selection" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def round5():
    return _script("semeval2016_round5")


def _blocks(pipeline):
    pairs = pipeline.named_steps["features"]
    union = pairs.vectorizer
    return ([(type(t).__name__, t.get_params()) for _, t in union.transformer_list],
            {k: v for k, v in pairs.get_params(deep=False).items() if k != "vectorizer"})


def test_reference_is_the_chosen_config(round5):
    chosen = build_estimator(load_config(ROOT / round5.REFERENCE))
    rebuilt = round5.reference()
    assert _blocks(rebuilt) == _blocks(chosen)
    clf, ref_clf = chosen.named_steps["clf"], rebuilt.named_steps["clf"]
    assert type(clf) is type(ref_clf) and clf.get_params() == ref_clf.get_params()


def test_rewrites(round5):
    assert round5.stemmed("Voters were running #StopHillary2016 @user") == "voter were run #StopHillary2016 @user"
    assert (round5.negation_marked("I do not like this law, but #vote now")
            == "I do not like_NEG this_NEG law_NEG , but #vote now")
    assert round5.negation_marked("never again") == "never again_NEG"
    assert round5.hashtags_only("a #b c #d") == "#b #d" and round5.hashtags_only("none here") == "_notag_"


def test_rewritten_block_names_its_features(round5):
    from sklearn.feature_extraction.text import CountVectorizer

    block = round5.Rewritten("stem", CountVectorizer()).fit(["running runs", "ran"])
    assert list(block.get_feature_names_out()) == ["stem__ran", "stem__run"]
    assert block.transform(["running"]).toarray().tolist() == [[0, 1]]


def test_candidates_are_named_once_and_start_with_the_reference(round5):
    names = [name for name, _, _ in round5.candidates()]
    assert names[0].startswith("reference") and len(names) == len(set(names)) >= 10


@pytest.fixture(scope="module")
def round6():
    return _script("semeval2016_round6")


def test_round6_candidates_are_distinct_estimators(round6):
    from sklearn.base import clone

    rows = round6.candidates()
    names = [name for name, _, _ in rows]
    assert names[0].startswith("reference") and len(names) == len(set(names)) >= 8
    # every candidate (the script's own estimators too) survives clone with its parameters, as the CV needs,
    # and differs from the reference in at least one parameter
    params = [repr(sorted(model.get_params().items())) for _, model, _ in rows]
    for (_, model, _), p in zip(rows, params):
        assert repr(sorted(clone(model).get_params().items())) == p
    assert all(p != params[0] for p in params[1:])


def test_skip_bigrams(round6):
    assert round6.skip_bigrams("I do NOT like #This") == ["i_not", "do_like", "not_#this", "i_like", "do_#this"]
    assert round6.skip_bigrams("one two") == ["_none_"]


def test_block_weights_scale_their_block(round6):
    from sklearn.feature_extraction.text import CountVectorizer

    X = [("aa bb", "tt"), ("bb cc", "tt"), ("aa cc", "uu")]
    plain = round6.pairs([CountVectorizer()], interaction=False, target_features=False).named_steps["features"]
    heavy = round6.pairs([CountVectorizer()], weights=[2.0], interaction=False,
                         target_features=False).named_steps["features"]
    assert (heavy.fit_transform(X) != 2 * plain.fit_transform(X)).nnz == 0


def test_bagging_is_deterministic(round6):
    from sklearn.feature_extraction.text import CountVectorizer

    words = {"FAVOR": "good", "AGAINST": "bad", "NONE": "meh"}
    y = [list(words)[i % 3] for i in range(30)]
    X = [(f"{words[label]} word{i}", "tt") for i, label in enumerate(y)]

    def bagged():
        return round6.Bagged(round6.pairs([CountVectorizer()]), n_members=3, fraction=0.5).fit(X, y)

    first = bagged()
    assert len(first.members_) == 3
    assert list(first.predict(X)) == list(bagged().predict(X))
    assert list(first.predict([("good", "tt"), ("bad", "tt"), ("meh", "tt")])) == ["FAVOR", "AGAINST", "NONE"]
