"""Classifiers and taggers."""

from ._cues import LexiconCueTagger
from ._per_target import PerTargetClassifier, PerTargetLinearSVC
from ._tagger import HedgeCueTagger, bio_to_spans, spans_to_bio, viterbi_bio

__all__ = ["HedgeCueTagger", "LexiconCueTagger", "PerTargetClassifier", "PerTargetLinearSVC", "bio_to_spans",
           "spans_to_bio", "viterbi_bio"]
