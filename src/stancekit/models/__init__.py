"""Classifiers and taggers."""

from ._cues import LexiconCueTagger

__all__ = ["LexiconCueTagger"]
