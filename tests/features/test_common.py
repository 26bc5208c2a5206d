"""Common checks run over every registered featurizer and classifier (the registry is the list)."""

import inspect

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.utils.estimator_checks import (
    check_estimator_cloneable,
    check_estimator_repr,
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
)

import stancekit.features as features_module
from stancekit.experiments._registry import CLASSIFIERS, FEATURIZERS, PAIR_FEATURIZERS, make_featurizer
from stancekit.persistence import load_model, save_model

SENTENCES = [
    "The ministry said troops may have crossed the border on Monday.",
    "There is no doubt that the convoy reached Goma, a UN official said.",
    "About 4,000 people fled, according to aid workers.",
    "\"This is a reckless provocation,\" the foreign minister told reporters.",
    "The envoys will meet in Geneva next week.",
    "Exports fell by 12 percent in 2025 because of the blockade.",
    "Rebels denied that any fighters had crossed.",
    "It could not be independently verified whether shots were fired.",
]
TARGET = "Troops crossed the border."
LABELS = ["hedged", "certain", "hedged", "certain", "certain", "certain", "certain", "hedged"]


def _data(name):
    if name in PAIR_FEATURIZERS:
        return [(s, TARGET) for s in SENTENCES]
    return list(SENTENCES)


def _make(name):
    return make_featurizer(name, FEATURIZERS[name][1])


FEATURIZER_NAMES = sorted(FEATURIZERS)
OWN = [n for n in FEATURIZER_NAMES if FEATURIZERS[n][0].__module__.startswith("stancekit")]


def test_every_public_featurizer_is_registered():
    public = {getattr(features_module, n) for n in features_module.__all__
              if inspect.isclass(getattr(features_module, n)) and hasattr(getattr(features_module, n), "transform")}
    registered = {cls for cls, _ in FEATURIZERS.values()}
    missing = {c.__name__ for c in public} - {c.__name__ for c in registered} - set(WRAPPERS)
    assert not missing, f"public featurizers not in the registry: {missing}"


# Wrappers are built by the runner around registered featurizers (a config cannot name them);
# they get the same checks here, with a registered featurizer inside.
WRAPPERS = {
    "PairVectorizer": lambda: features_module.PairVectorizer(),
    "SentenceSide": lambda: features_module.SentenceSide(transformer=features_module.HedgeCueFeaturizer()),
}


@pytest.mark.parametrize("name", sorted(WRAPPERS))
def test_wrappers_pass_the_text_checks(name, tmp_path):
    X = [(s, TARGET) for s in SENTENCES]
    est = WRAPPERS[name]()
    for check in (check_no_attributes_set_in_init, check_get_params_invariance, check_set_params,
                  check_estimator_cloneable, check_estimator_repr):
        check(name, est)
    with pytest.raises(NotFittedError):
        est.transform(X)
    assert est.fit(X) is est
    out = est.transform(X)
    assert out.shape[0] == len(X) and len(est.get_feature_names_out()) == out.shape[1]
    with pytest.raises(ValueError):
        est.transform("a bare string")
    assert abs(clone(est).fit(X).transform(X) - out).max() == 0
    assert abs(load_model(save_model(est, tmp_path / "w.skops")).transform(X) - out).max() == 0
    grid = GridSearchCV(Pipeline([("f", est), ("clf", LogisticRegression(max_iter=500))]), {"clf__C": [1.0]}, cv=2)
    assert len(grid.fit(X * 3, LABELS * 3).predict(X)) == len(X)


@pytest.mark.parametrize("name", OWN)
@pytest.mark.parametrize("check", [check_no_attributes_set_in_init, check_parameters_default_constructible,
                                   check_get_params_invariance, check_set_params, check_estimator_cloneable,
                                   check_estimator_repr])
def test_sklearn_data_free_checks(name, check):
    est = _make(name)
    check(type(est).__name__, est)


@pytest.mark.parametrize("name", OWN)
def test_keyword_only_params(name):
    sig = inspect.signature(FEATURIZERS[name][0].__init__)
    for p in list(sig.parameters.values())[1:]:
        assert p.kind == p.KEYWORD_ONLY, f"{name}: parameter {p.name} is not keyword-only"


@pytest.mark.parametrize("name", FEATURIZER_NAMES)
def test_text_checks(name, tmp_path):
    X = _data(name)
    est = _make(name)
    with pytest.raises(NotFittedError):
        est.transform(X)
    assert est.fit(X) is est
    out = est.transform(X)
    assert out.shape[0] == len(X)
    assert len(est.get_feature_names_out()) == out.shape[1]
    with pytest.raises(ValueError):
        est.transform("a bare string")
    again = clone(est).fit(X).transform(X)
    assert (abs(out - again)).max() == 0 if hasattr(out, "toarray") else np.array_equal(out, again)
    if name in OWN:
        path = save_model(est, tmp_path / "f.skops")
        loaded = load_model(path)
        assert abs(loaded.transform(X) - out).max() == 0


@pytest.mark.parametrize("name", FEATURIZER_NAMES)
def test_in_pipeline_and_grid_search(name):
    X = _data(name) * 3
    y = LABELS * 3
    pipe = Pipeline([("f", _make(name)), ("clf", LogisticRegression(max_iter=500))])
    grid = GridSearchCV(pipe, {"clf__C": [0.5, 2.0]}, cv=2)
    grid.fit(X, y)
    assert len(grid.predict(X)) == len(X)


@pytest.mark.parametrize("name", sorted(CLASSIFIERS))
def test_classifiers_constructible(name):
    cls, defaults = CLASSIFIERS[name]
    est = cls(**defaults)
    check_get_params_invariance(name, est)
    check_estimator_cloneable(name, est)
