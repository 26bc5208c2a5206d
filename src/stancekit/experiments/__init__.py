"""Experiment configs, the registry of names they may use, and the runner."""

from ._config import ConfigError, config_hash, load_config, resolve_config
from ._registry import CLASSIFIERS, FEATURIZERS, register_classifier, register_featurizer
from ._runner import build_estimator, evaluate, layer_items, run_experiment

__all__ = [
    "CLASSIFIERS",
    "ConfigError",
    "FEATURIZERS",
    "build_estimator",
    "config_hash",
    "evaluate",
    "layer_items",
    "load_config",
    "register_classifier",
    "register_featurizer",
    "resolve_config",
    "run_experiment",
]
