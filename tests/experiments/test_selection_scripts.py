"""The selection-round script for SemEval-2016 rebuilds the chosen model, and its text rewrites do what they say."""

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("nltk")

from stancekit.experiments import load_config
from stancekit.experiments._runner import build_estimator

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def round5():
    path = ROOT / "experiments" / "selection" / "semeval2016_round5.py"
    spec = importlib.util.spec_from_file_location("semeval2016_round5", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
