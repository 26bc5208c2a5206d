"""Featurizers: scikit-learn transformers over raw sentences or (sentence, target) pairs."""

from ._claim_type import ClaimTypeCueFeaturizer
from ._compact import CompactTfidfVectorizer
from ._hashtag import HashtagTfidf
from ._headline import HeadlineCueFeaturizer
from ._lexicon import Lexicon, load_lexicon, merge_lexicons, read_lexicon_tsv
from ._linguistic import AttributionFeaturizer, ClaimCueFeaturizer, HedgeCueFeaturizer, LinguisticFeatures
from ._pair import PairVectorizer, SentenceSide, default_text_features, pair_features
from ._proposition import PropositionTfidf, main_proposition
from ._relation import RelationFeaturizer
from ._stance import StanceCueFeaturizer
from ._target import TargetIndexer
from ._validation import check_pairs, check_texts


def __getattr__(name):
    if name == "TOKENIZER":  # NLTK's RegexpTokenizer(TOKEN_PATTERN), imported on first use (see _lexicon)
        from . import _lexicon

        return _lexicon.TOKENIZER
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "AttributionFeaturizer",
    "ClaimCueFeaturizer",
    "ClaimTypeCueFeaturizer",
    "CompactTfidfVectorizer",
    "HashtagTfidf",
    "HeadlineCueFeaturizer",
    "HedgeCueFeaturizer",
    "Lexicon",
    "LinguisticFeatures",
    "PairVectorizer",
    "PropositionTfidf",
    "RelationFeaturizer",
    "SentenceSide",
    "StanceCueFeaturizer",
    "TOKENIZER",
    "TargetIndexer",
    "check_pairs",
    "check_texts",
    "default_text_features",
    "load_lexicon",
    "main_proposition",
    "merge_lexicons",
    "pair_features",
    "read_lexicon_tsv",
]
