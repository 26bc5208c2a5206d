"""Metrics, confidence intervals and significance tests."""

from ._cues import cue_metrics
from ._metrics import bootstrap_ci, classification_metrics

__all__ = ["bootstrap_ci", "classification_metrics", "cue_metrics"]
