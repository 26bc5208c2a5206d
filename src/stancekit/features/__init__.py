"""Featurizers: scikit-learn transformers over raw sentences or (sentence, target) pairs."""

from ._lexicon import TOKENIZER, Lexicon, load_lexicon, merge_lexicons, read_lexicon_tsv
from ._linguistic import AttributionFeaturizer, ClaimCueFeaturizer, HedgeCueFeaturizer, LinguisticFeatures
from ._pair import PairVectorizer, SentenceSide, default_text_features, pair_features
from ._stance import StanceCueFeaturizer
from ._validation import check_pairs, check_texts

__all__ = [
    "AttributionFeaturizer",
    "ClaimCueFeaturizer",
    "HedgeCueFeaturizer",
    "Lexicon",
    "LinguisticFeatures",
    "PairVectorizer",
    "SentenceSide",
    "StanceCueFeaturizer",
    "TOKENIZER",
    "check_pairs",
    "check_texts",
    "default_text_features",
    "load_lexicon",
    "merge_lexicons",
    "pair_features",
    "read_lexicon_tsv",
]
