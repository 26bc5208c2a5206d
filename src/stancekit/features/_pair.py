"""Featurizing (sentence, target) pairs for the stance layer."""

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.pipeline import FeatureUnion
from sklearn.utils.validation import check_is_fitted

from ._pair_core import pair_feature_names, pair_features  # noqa: F401 - re-exported
from ._validation import check_pairs


def default_text_features():
    """Word (1-2) + char_wb (2-5) TF-IDF, the baseline featurization."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return FeatureUnion([
        ("word", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
    ])


class PairVectorizer(TransformerMixin, BaseEstimator):
    """Featurize (sentence, target) pairs with one text vectorizer shared by both sides.

    Parameters
    ----------
    vectorizer : transformer, default=None
        Text featurizer fitted on sentences and targets together. ``None`` uses
        word + char TF-IDF.
    target_features : bool, default=True
        Include the target's own features.
    interaction : bool, default=True
        Include the element-wise product of sentence and target features.
    target_specific : bool, default=False
        Add a copy of the sentence features for each target seen in training
        (shared plus per-target weights, as in feature augmentation for domain
        adaptation). Useful when a few fixed targets recur (SemEval-2016);
        pairs with an unseen target get only the shared copy.

    Examples
    --------
    >>> from stancekit.features import PairVectorizer
    >>> X = [("Troops crossed the border.", "Troops crossed the border"),
    ...      ("Markets were calm.", "Troops crossed the border")]
    >>> PairVectorizer().fit_transform(X).shape[0]
    2
    """

    def __init__(self, *, vectorizer=None, target_features=True, interaction=True, target_specific=False):
        self.vectorizer = vectorizer
        self.target_features = target_features
        self.interaction = interaction
        self.target_specific = target_specific

    def fit(self, X, y=None):
        sentences, targets = check_pairs(X)
        if not sentences:
            raise ValueError("PairVectorizer.fit needs at least one (sentence, target) pair, got 0.")
        vec = default_text_features() if self.vectorizer is None else clone(self.vectorizer)
        self.vectorizer_ = vec.fit(sentences + sorted(set(targets)))
        self.targets_ = sorted(set(targets)) if self.target_specific else []
        self.n_features_out_ = len(self.get_feature_names_out())
        return self

    def transform(self, X):
        check_is_fitted(self, "vectorizer_")
        sentences, targets = check_pairs(X)
        if not sentences:
            return sp.csr_matrix((0, self.n_features_out_))
        S = self.vectorizer_.transform(sentences)
        out = pair_features(S, self.vectorizer_.transform(targets), target_features=self.target_features,
                            interaction=self.interaction)
        if not self.targets_:
            return out
        index = {t: k for k, t in enumerate(self.targets_)}
        S = sp.csr_matrix(S)
        d = S.shape[1]
        offsets = np.array([index.get(t, -1) for t in targets])
        coo = S.tocoo()
        keep = offsets[coo.row] >= 0
        cols = coo.col[keep] + offsets[coo.row[keep]] * d
        block = sp.csr_matrix((coo.data[keep], (coo.row[keep], cols)), shape=(S.shape[0], d * len(self.targets_)))
        return sp.hstack([out, block], format="csr")

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "vectorizer_")
        base = self.vectorizer_.get_feature_names_out()
        names = pair_feature_names(base, target_features=self.target_features, interaction=self.interaction)
        extra = [f"target{k}__{n}" for k in range(len(self.targets_)) for n in base]
        return np.concatenate([names, np.asarray(extra, dtype=object)]) if extra else names


class SentenceSide(TransformerMixin, BaseEstimator):
    """Apply a sentence featurizer to the sentence of each (sentence, target) pair.

    Lexicon features describe how a sentence is worded (hedges, attribution,
    claim cues); for stance they belong to the sentence only, not to the target
    or to a sentence-target product.

    Parameters
    ----------
    transformer : transformer
        A featurizer over raw sentences.
    """

    def __init__(self, *, transformer=None):
        self.transformer = transformer

    def fit(self, X, y=None):
        sentences, _ = check_pairs(X)
        if self.transformer is None:
            raise ValueError("The 'transformer' parameter of SentenceSide must be a featurizer. Got None instead.")
        self.transformer_ = clone(self.transformer).fit(sentences, y)
        return self

    def transform(self, X):
        check_is_fitted(self, "transformer_")
        sentences, _ = check_pairs(X)
        if not sentences:
            return sp.csr_matrix((0, len(self.get_feature_names_out())))
        return self.transformer_.transform(sentences)

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "transformer_")
        return np.asarray([f"sentence__{n}" for n in self.transformer_.get_feature_names_out()], dtype=object)
