"""Metrics, confidence intervals and significance tests."""

from ._cues import cue_metrics
from ._metrics import bootstrap_ci, classification_metrics
from ._significance import approximate_randomization, paired_bootstrap

__all__ = ["approximate_randomization", "bootstrap_ci", "classification_metrics", "cue_metrics",
           "paired_bootstrap"]
