"""Pair features for the stance layer from sentence and target rows (no scikit-learn import)."""

import numpy as np
import scipy.sparse as sp

from ._ngrams import normalize_rows


def pair_features(S, T, *, target_features=True, interaction=True):
    """Combine sentence rows *S* and target rows *T* (same vector space) into pair features.

    Columns: the sentence features; optionally the target features; optionally the
    element-wise product (the n-grams the two share, weighted); and the cosine
    similarity of the two rows.
    """
    S, T = sp.csr_matrix(S), sp.csr_matrix(T)
    blocks = [S]
    if target_features:
        blocks.append(T)
    if interaction:
        blocks.append(S.multiply(T).tocsr())
    # sklearn.preprocessing.normalize(S) (a copy), as normalize_rows computes it: the same values, bit for bit
    cos = np.asarray(normalize_rows(S.copy()).multiply(normalize_rows(T.copy())).sum(axis=1)).reshape(-1, 1)
    blocks.append(sp.csr_matrix(cos))
    return sp.hstack(blocks, format="csr")


def pair_feature_names(names, *, target_features=True, interaction=True):
    names = np.asarray(names, dtype=object)
    parts = [np.array([f"sentence__{n}" for n in names], dtype=object)]
    if target_features:
        parts.append(np.array([f"target__{n}" for n in names], dtype=object))
    if interaction:
        parts.append(np.array([f"shared__{n}" for n in names], dtype=object))
    parts.append(np.array(["pair__cosine"], dtype=object))
    return np.concatenate(parts)
