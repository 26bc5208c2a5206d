"""Featurizers: scikit-learn transformers over raw sentences or (sentence, target) pairs.

Names are imported on first use (PEP 562), so that importing one submodule, such as the
tokenizer, does not import scikit-learn with every featurizer.
"""

import importlib

#: Public name -> submodule that defines it.
_EXPORTS = {
    "AttributionFeaturizer": "_linguistic",
    "check_pairs": "_validation",
    "check_texts": "_validation",
    "ClaimCueFeaturizer": "_linguistic",
    "ClaimTypeCueFeaturizer": "_claim_type",
    "CompactTfidfVectorizer": "_compact",
    "default_text_features": "_pair",
    "HashtagTfidf": "_hashtag",
    "HeadlineCueFeaturizer": "_headline",
    "HedgeCueFeaturizer": "_linguistic",
    "Lexicon": "_lexicon",
    "LinguisticFeatures": "_linguistic",
    "load_lexicon": "_lexicon",
    "main_proposition": "_proposition",
    "merge_lexicons": "_lexicon",
    "pair_features": "_pair_core",
    "PairVectorizer": "_pair",
    "PropositionTfidf": "_proposition",
    "read_lexicon_tsv": "_lexicon",
    "RelationFeaturizer": "_relation",
    "SentenceSide": "_pair",
    "StanceCueFeaturizer": "_stance",
    "TargetIndexer": "_target",
    "TOKENIZER": "_lexicon",  # NLTK's RegexpTokenizer(TOKEN_PATTERN), created on first use (see _lexicon)
}


def __getattr__(name):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    if name != "TOKENIZER":
        globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))


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
