"""Metrics, confidence intervals and significance tests."""

from ._cues import cue_metrics
from ._metrics import bootstrap_ci, classification_metrics
from ._significance import approximate_randomization, paired_bootstrap
from ._task import fnc1_relative_score, semeval_f_avg, task_scores

__all__ = ["approximate_randomization", "bootstrap_ci", "classification_metrics", "cue_metrics",
           "fnc1_relative_score", "paired_bootstrap", "semeval_f_avg", "task_scores"]
