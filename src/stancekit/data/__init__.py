"""Corpus format, loading, validation and building."""

from ._build import build_corpus
from ._corpus import Corpus, load_corpus, resolve_corpus_path
from ._errors import CorpusFormatError, DataFormatError
from ._jsonl import iter_jsonl, parse_jsonl_line
from ._vocab import LAYER_LABELS, LAYERS, SENTENCE_LAYERS

__all__ = [
    "Corpus",
    "CorpusFormatError",
    "DataFormatError",
    "LAYER_LABELS",
    "LAYERS",
    "SENTENCE_LAYERS",
    "build_corpus",
    "iter_jsonl",
    "load_corpus",
    "parse_jsonl_line",
    "resolve_corpus_path",
]
