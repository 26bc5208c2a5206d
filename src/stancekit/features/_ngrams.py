"""Word n-gram counts from a TokenBatch, identical to a fitted scikit-learn vectorizer's ``transform``."""

import weakref

import numpy as np
import scipy.sparse as sp

from ._tokens import SKLEARN_TOKEN_PATTERN, TYPES, searchsorted


_NGRAM_TABLES = weakref.WeakKeyDictionary()


def _fast_vectorizer(vec):
    """Whether *vec* is a fitted Count/TfidfVectorizer whose analyzer :meth:`TokenBatch.word_ids` reproduces."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    from ._compact import CompactTfidfVectorizer

    if type(vec) not in (CountVectorizer, TfidfVectorizer, CompactTfidfVectorizer) or not hasattr(vec, "vocabulary_"):
        return False
    lo, hi = vec.ngram_range
    ok = (vec.analyzer == "word" and vec.input == "content" and vec.preprocessor is None and vec.tokenizer is None
          and vec.strip_accents is None and vec.lowercase and vec.token_pattern == SKLEARN_TOKEN_PATTERN
          and 1 <= lo <= hi <= 3 and vec.dtype in (np.float64, np.float32, np.int64, np.int32))
    if ok and type(vec) is not CountVectorizer:
        ok = (vec.use_idf and vec.norm in ("l1", "l2", None) and vec.dtype in (np.float64, np.float32)
              and hasattr(vec, "idf_"))
    return bool(ok)


def _ngram_table(vec):
    table = _NGRAM_TABLES.get(vec)
    if table is not None and table[0] is vec.vocabulary_:
        return table
    vocab = vec.vocabulary_
    # every feature's tokens in one list; token ids by first appearance, n-gram keys by array arithmetic
    feats = list(vocab)
    parts = " ".join(feats).split(" ")
    tok_id = {t: i for i, t in enumerate(dict.fromkeys(parts))}
    n_tok = max(len(tok_id), 1)
    if n_tok ** vec.ngram_range[1] >= 2 ** 62:
        return None
    ids = np.fromiter(map(tok_id.__getitem__, parts), dtype=np.int64, count=len(parts))
    n_parts = np.fromiter((f.count(" ") + 1 for f in feats), dtype=np.int64, count=len(feats))
    starts = np.cumsum(n_parts) - n_parts
    columns = np.fromiter(vocab.values(), dtype=np.int64, count=len(feats))
    tables = {}
    for n in np.unique(n_parts).tolist():
        which = np.flatnonzero(n_parts == n)
        key = np.zeros(len(which), dtype=np.int64)
        for k in range(n):
            key = key * n_tok + ids[starts[which] + k]
        order = np.argsort(key, kind="stable")
        tables[n] = (key[order], columns[which][order])
    stop = vec.get_stop_words()
    table = (vocab, tok_id, n_tok, tables, frozenset(stop) if stop else None, {})
    _NGRAM_TABLES[vec] = table
    return table


def vectorizer_transform(vec, batch, rows=None):
    """``vec.transform`` of the batch's texts (or of ``rows`` of them), from the batch's shared tokens.

    Gives the same matrix, entry for entry, as the fitted scikit-learn
    ``CountVectorizer``/``TfidfVectorizer`` *vec*, without tokenizing again or
    building n-gram strings. Returns ``None`` when *vec*'s settings need its own
    analyzer (callers then use ``vec.transform``).
    """
    if not _fast_vectorizer(vec):
        return None
    return ngram_transform(vec, batch, rows)


def ngram_transform(vec, batch, rows=None):
    """:func:`vectorizer_transform` for a *vec* known to qualify, or for an object with its fitted state.

    Reads ``vocabulary_``, ``ngram_range``, ``dtype``, ``binary``, ``get_stop_words()``
    and, for TF-IDF, ``idf_``, ``sublinear_tf`` and ``norm`` (the compiled
    predictor passes just these).
    """
    table = _ngram_table(vec)
    if table is None:
        return None
    vocab, tok_id, n_tok, tables, stop, store = table
    ids, offs = batch.word_ids()
    lengths = np.diff(offs)
    if rows is not None:
        rows = np.asarray(rows, dtype=np.int64)
        lengths = lengths[rows]
        doc_of = np.repeat(np.arange(len(rows)), lengths)
        first = np.cumsum(lengths) - lengths
        ids = ids[offs[rows][doc_of] + np.arange(len(doc_of)) - first[doc_of]]
    else:
        doc_of = np.repeat(np.arange(len(lengths)), lengths)
    n_docs = len(lengths)
    if not n_docs:
        return None  # scikit-learn's own error for an empty input
    if stop:
        keep = ~TYPES.column(store, "stop", stop.__contains__, dtype=bool)[ids]
        ids, doc_of = ids[keep], doc_of[keep]
    tids = TYPES.column(store, "tok", lambda t: tok_id.get(t, -1))[ids] if len(ids) else ids
    lo, hi = vec.ngram_range
    rows_out, cols_out = [], []
    for n in range(lo, hi + 1):
        if n not in tables or len(tids) < n:
            continue
        if n == 1:
            # a unigram's column is a property of its type: a direct lookup, no search
            feats = TYPES.column(store, "unigram", lambda t: vocab.get(t, -1))[ids]
            hit = feats >= 0
            rows_out.append(doc_of[hit])
            cols_out.append(feats[hit])
            continue
        m = len(tids) - n + 1
        key = tids[:m].copy()
        valid = key >= 0
        for k in range(1, n):
            nxt = tids[k:k + m]
            valid &= (nxt >= 0) & (doc_of[k:k + m] == doc_of[:m])
            key = key * n_tok + nxt
        keys, feats = tables[n]
        pos = searchsorted(keys, key[valid])
        pos[pos == len(keys)] = 0
        hit = keys[pos] == key[valid]
        rows_out.append(doc_of[:m][valid][hit])
        cols_out.append(feats[pos[hit]])
    n_features = len(vocab)
    flat = np.concatenate(rows_out + [np.empty(0, np.int64)]) * n_features
    flat += np.concatenate(cols_out + [np.empty(0, np.int64)])
    # distinct (row, column) codes in order and how often each occurs
    flat.sort()
    first = np.ones(len(flat), dtype=bool)
    np.not_equal(flat[1:], flat[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.diff(np.append(starts, len(flat)))
    flat = flat[starts]
    index_dtype = np.int32 if len(flat) <= np.iinfo(np.int32).max else np.int64
    indices = (flat % n_features).astype(index_dtype)
    indptr = np.searchsorted(flat // n_features, np.arange(n_docs + 1)).astype(index_dtype)
    X = sp.csr_matrix((counts.astype(vec.dtype), indices, indptr), shape=(n_docs, n_features))
    if vec.binary:
        X.data.fill(1)
    if hasattr(vec, "idf_"):
        if vec.sublinear_tf:
            np.log(X.data, X.data)
            X.data += 1.0
        X.data *= vec.idf_[X.indices]
        if vec.norm is not None:
            X = normalize_rows(X, norm=vec.norm)
    return X


def normalize_rows(X, norm="l2"):
    """``sklearn.preprocessing.normalize(X, norm=norm, copy=False)`` for a CSR matrix, without its overhead.

    For float64 data and the l2 norm the row sums are taken in the same order
    as scikit-learn's (each row's entries in storage order), so the result is
    identical; anything else goes to scikit-learn.
    """
    if not (sp.isspmatrix_csr(X) and X.dtype == np.float64 and norm == "l2"):
        from sklearn.preprocessing import normalize

        return normalize(X, norm=norm, copy=False)
    row = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    norms = np.sqrt(np.bincount(row, weights=X.data * X.data, minlength=X.shape[0]))
    norms[norms == 0.0] = 1.0
    X.data /= norms[row]
    return X
