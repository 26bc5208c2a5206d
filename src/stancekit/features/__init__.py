"""Featurizers: scikit-learn transformers over raw sentences or (sentence, target) pairs."""

from ._pair import PairVectorizer, default_text_features, pair_features
from ._validation import check_pairs, check_texts

__all__ = ["PairVectorizer", "check_pairs", "check_texts", "default_text_features", "pair_features"]
