"""Stance cues for (sentence, target) pairs: overlap with the target, denial, negation and doubt near it."""

import math
import weakref

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted

from ._compact import CompactTfidfVectorizer
from ._lexicon import load_lexicon, match_arrays, merge_lexicons
from ._ngrams import normalize_rows, vectorizer_transform
from ._tokens import TYPES, searchsorted, token_spans, tokenize_batch, unique_ints
from ._linguistic_core import QUOTES
from ._linguistic_batch import _BREAK, _CONTENT, _QUOTE, token_flags
from ._validation import check_int_param, check_pairs

STANCE_NAMES = [
    "stance_tfidf_cosine", "stance_jaccard", "stance_target_coverage", "stance_target_coverage_idf",
    "stance_shared_bigrams", "stance_denial", "stance_denial_near_target", "stance_negation",
    "stance_negation_near_target", "stance_neutral", "stance_neutral_near_target", "stance_support",
    "stance_hedge_in_target_clause", "stance_question", "stance_quote",
    "stance_coverage_x_denial", "stance_coverage_x_neutral", "stance_coverage_x_hedge",
    "stance_coverage_x_negation", "stance_no_overlap",
]


def _content(tokens):
    return [t for t in tokens if t.isalnum() and t not in ENGLISH_STOP_WORDS]


class StanceCueFeaturizer(TransformerMixin, BaseEstimator):
    """Features of a (sentence, target) pair that bear on stance.

    Lexical and TF-IDF overlap, coverage of the target's terms, denial,
    refutation, negation and "unverified" cues overall and within ``window``
    tokens of a target term, and hedging in the clause that mentions the target.

    Parameters
    ----------
    window : int, default=6
        Tokens on either side of a target term that count as "near".
    lexicon : str, path or list of (phrase, category), default=None
        Stance cue lexicon (categories denial, support, negation, neutral);
        ``None`` is the built-in ``stance.tsv``.
    """

    def __init__(self, *, window=6, lexicon=None):
        self.window = window
        self.lexicon = lexicon

    def fit(self, X, y=None):
        sentences, targets = check_pairs(X)
        if not sentences:
            raise ValueError("StanceCueFeaturizer.fit needs at least one (sentence, target) pair, got 0.")
        check_int_param("StanceCueFeaturizer", "window", self.window, minimum=0)
        lexicon = load_lexicon(self.lexicon or "stance")
        unknown = sorted({c for _, c in lexicon.entries()} - set(STANCE_CATEGORIES))
        if unknown:
            raise ValueError(f"The 'lexicon' parameter of StanceCueFeaturizer has categories {unknown}; "
                             f"expected only {list(STANCE_CATEGORIES)}.")
        self.lexicon_entries_ = sorted(set(
            merge_lexicons({"s": lexicon, "h": load_lexicon("hedges")}).entries()))
        self.tfidf_ = CompactTfidfVectorizer(stop_words="english", sublinear_tf=True).fit(sentences + sorted(set(targets)))
        self.idf_ = self._idf_by_term(self.tfidf_)
        _COLUMNS.pop(self, None)  # per-type and per-target values of an earlier fit
        self.n_features_out_ = len(STANCE_NAMES)
        return self

    def __getstate__(self):
        # idf_ repeats tfidf_'s idf per term: rebuilt on load rather than saved term by term
        state = super().__getstate__()
        if "idf_" in state and "tfidf_" in state:
            state = {k: v for k, v in state.items() if k != "idf_"}
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        if "tfidf_" in state and "idf_" not in state:
            self.idf_ = self._idf_by_term(self.tfidf_)

    @staticmethod
    def _idf_by_term(tfidf):
        return {term: float(tfidf.idf_[i]) for term, i in tfidf.vocabulary_.items()}

    def transform(self, X):
        check_is_fitted(self, "tfidf_")
        sentences, targets = check_pairs(X)
        if not sentences:
            return sp.csr_matrix((0, self.n_features_out_))
        with TYPES.session():
            return self._transform_batch(tokenize_batch(sentences), targets)

    def _tfidf(self, batch, rows=None):
        X = vectorizer_transform(self.tfidf_, batch, rows)
        if X is None:
            X = self.tfidf_.transform(batch.texts if rows is None else [batch.texts[r] for r in rows])
        return normalize_rows(X)

    def _transform_batch(self, batch, targets, rows=None):
        """:meth:`transform` of the pairs (text ``rows[k]`` of the TokenBatch *batch*, ``targets[k]``).

        *rows* (distinct indices; default: every text in order) lets the
        Analyzer pass its whole chunk, tokenized once. Each distinct target is
        analysed once; every sentence-side feature is computed with array
        operations over all pairs at once. Values are identical to the
        per-pair definitions (see :meth:`_transform_pairs`).
        """
        from ._linguistic_core import _merged

        n_docs = len(batch.texts)
        rows = np.arange(n_docs) if rows is None else np.asarray(rows, dtype=np.int64).reshape(-1)
        n = len(rows)
        if len(targets) != n or (n and len(unique_ints(rows)) != n):
            raise ValueError("rows must be distinct text indices, one per target")
        lex = _merged(tuple(map(tuple, self.lexicon_entries_)))
        table = _stance_table(lex)
        unique = list(dict.fromkeys(targets))
        where = {t: k for k, t in enumerate(unique)}
        tix = np.array([where[t] for t in targets], dtype=np.int64)
        S = self._tfidf(batch, None if n == n_docs and (rows == np.arange(n)).all() else rows)
        tb = tokenize_batch(unique)
        T = self._tfidf(tb)[tix]
        cosine = np.asarray(S.multiply(T).sum(axis=1)).ravel()
        t_types, t_flags = tb.types(), token_flags(tb)
        # every token of every pair sentence, in order: pair index and flat batch position
        offsets = np.asarray(batch.offsets, dtype=np.int64)
        starts, nt = offsets[rows], offsets[rows + 1] - offsets[rows]
        total = int(nt.sum())
        pair_of = np.repeat(np.arange(n), nt)
        begin = np.cumsum(nt) - nt
        pos = starts[pair_of] + np.arange(total) - begin[pair_of]
        all_types = batch.types()
        types = all_types[pos] if total else np.zeros(0, dtype=np.int64)
        flags = token_flags(batch)[pos] if total else np.zeros(0, dtype=np.int64)
        n_types = len(TYPES.tokens)
        store = _COLUMNS.setdefault(self, {})
        idf = TYPES.column(store, "idf", lambda t: self.idf_.get(t, 1.0), dtype=np.float64)
        # each target's content terms (as the definition builds them: a set) and their idf total
        # (kept per target text: targets recur from chunk to chunk)
        known = store.setdefault("targets", {})
        if len(known) > 20_000:
            known.clear()
        t_offsets, names = tb.offsets, TYPES.tokens
        for k, target in enumerate(unique):
            if target not in known:
                terms = set(_content([names[i] for i in t_types[t_offsets[k]:t_offsets[k + 1]].tolist()]))
                known[target] = (terms, math.fsum(self.idf_.get(t, 1.0) for t in terms))
        t_sets = [known[t][0] for t in unique]
        idf_total = np.array([known[t][1] for t in unique], dtype=np.float64)
        t_doc = tb.doc_of()
        t_content = (t_flags & _CONTENT) != 0
        t_keys = unique_ints(t_doc[t_content] * n_types + t_types[t_content])
        n_t = np.bincount(t_keys // n_types, minlength=len(unique))[tix]
        idf_total = idf_total[tix]
        near = _target_term(t_keys, n_types, len(unique), tix[pair_of], types)
        content = (flags & _CONTENT) != 0
        n_s = _distinct_per_pair(pair_of[content], types[content], n_types, n)
        inter_codes = unique_ints(pair_of[near] * n_types + types[near])
        inter_pair = inter_codes // n_types
        n_inter = np.bincount(inter_pair, minlength=n)
        idf_inter = np.bincount(inter_pair, weights=idf[inter_codes % n_types], minlength=n)
        union = n_t + n_s - n_inter
        jacc = np.where(union > 0, n_inter / np.maximum(union, 1), 0.0)
        cover = np.where(n_t > 0, n_inter / np.maximum(n_t, 1), 0.0)
        cover_idf = np.round(np.where(idf_total != 0, idf_inter / np.where(idf_total != 0, idf_total, 1.0), 0.0), 10)
        type_names = TYPES.tokens
        for k in np.flatnonzero(n_inter >= 3).tolist():
            # three or more terms: sum in the order Python iterates the set, as the definition does
            toks = [type_names[i] for i in all_types[offsets[rows[k]]:offsets[rows[k] + 1]].tolist()]
            fl = flags[begin[k]:begin[k] + nt[k]]
            inter = t_sets[tix[k]] & set([t for t, f in zip(toks, fl) if f & _CONTENT])
            cover_idf[k] = round(math.fsum(self.idf_.get(t, 1.0) for t in inter) / idf_total[k], 10) if idf_total[k] else 0.0
        # shared bigrams: distinct sentence bigrams that are target bigrams
        same = np.zeros(total, dtype=bool)
        if total > 1:
            same[:-1] = pair_of[1:] == pair_of[:-1]
        first = np.flatnonzero(same)
        codes = (types[first] << 32) | types[np.minimum(first + 1, max(total - 1, 0))]
        t_same = np.zeros(len(t_types), dtype=bool)
        if len(t_types) > 1:
            t_same[:-1] = t_doc[1:] == t_doc[:-1]
        t_first = np.flatnonzero(t_same)
        t_codes = (t_types[t_first] << 32) | t_types[t_first + 1]
        b_all = unique_ints(t_codes)
        b_keys = unique_ints(t_doc[t_first] * max(len(b_all), 1) + searchsorted(b_all, t_codes))
        # only a bigram of two types that occur in some target can be a target bigram
        in_targets = np.zeros(n_types, dtype=bool)
        in_targets[t_types] = True
        both = in_targets[types[first]] & in_targets[types[np.minimum(first + 1, max(total - 1, 0))]]
        first, codes = first[both], codes[both]
        bi = searchsorted(b_all, codes)
        known = (bi < len(b_all)) & (b_all[np.minimum(bi, max(len(b_all) - 1, 0))] == codes) if len(b_all) else \
            np.zeros(len(codes), dtype=bool)
        pb = tix[pair_of[first]] * max(len(b_all), 1) + bi
        hit = known & _member(b_keys, pb)
        shared = _distinct_per_pair(pair_of[first][hit], bi[hit], max(len(b_all), 1), n)
        # lexicon matches: stance and hedge cues, near a target term, in its clause
        mask = np.zeros(n_docs, dtype=bool)
        mask[rows] = True
        m_doc, m_i, m_j, m_ph = match_arrays(lex, batch, mask)
        pair_at = np.full(n_docs, -1, dtype=np.int64)
        pair_at[rows] = np.arange(n)
        m_pair = pair_at[m_doc]
        bad = table["unknown"][m_ph]
        if bad.any():
            raise KeyError(table["unknown_name"][int(m_ph[bad][0])])
        counts = np.zeros((n, 5))
        if len(m_pair):
            M = sp.csr_matrix((np.ones(len(m_pair)), (m_pair, m_ph)), shape=(n, table["n"]))
            counts = (M @ table["counts"]).toarray()
        near_sum = np.zeros(total + 1, dtype=np.int64)
        np.cumsum(near, out=near_sum[1:])
        w = self.window
        base = begin[m_pair]
        lo = base + np.maximum(m_i - w, 0)
        hi = base + np.minimum(m_j + w, nt[m_pair])
        near_hit = (hi > lo) & (near_sum[np.maximum(hi, lo)] - near_sum[lo] > 0)
        near_counts = np.zeros((n, 3))
        if len(m_pair):
            M = sp.csr_matrix((near_hit.astype(float), (m_pair, m_ph)), shape=(n, table["n"]))
            near_counts = (M @ table["near"]).toarray()
        brk = (flags & _BREAK) != 0
        new_clause = np.ones(total, dtype=bool)
        if total > 1:
            new_clause[1:] = brk[:-1] | (pair_of[1:] != pair_of[:-1])
        clause = np.cumsum(new_clause) - 1
        clause_near = np.bincount(clause[near], minlength=int(clause[-1]) + 1 if total else 0) > 0
        hedges = table["hedge"][m_ph]
        in_clause = np.zeros(len(m_pair), dtype=bool)
        if total:
            in_clause = clause_near[clause[np.minimum(base + m_i, total - 1)]]
        hedge_in_clause = np.bincount(m_pair, weights=hedges * in_clause, minlength=n)
        # a text holds "?" exactly when one of its tokens is "?" (it is never part of another token)
        question = (np.bincount(pair_of[types == TYPES.ids.get("?", -1)], minlength=n) > 0).astype(float)
        quote = np.bincount(pair_of[(flags & _QUOTE) != 0], minlength=n) > 0
        denial, negation, neutral, support, hedge = counts.T
        out = np.column_stack([
            cosine, jacc, cover, cover_idf, shared, denial, near_counts[:, 0], negation, near_counts[:, 1],
            neutral, near_counts[:, 2], support, hedge_in_clause, question, quote,
            cover * denial, cover * neutral, cover * hedge, cover * negation, n_inter == 0,
        ]).astype(float).reshape(n, len(STANCE_NAMES))
        return sp.csr_matrix(out)

    def _transform_pairs(self, sentences, targets):
        """The per-pair definition of the features (reference for :meth:`_transform_batch`)."""
        from ._linguistic_core import _merged

        lex = _merged(tuple(map(tuple, self.lexicon_entries_)))
        S = normalize(self.tfidf_.transform(sentences))
        T = normalize(self.tfidf_.transform(targets))
        cosine = np.asarray(S.multiply(T).sum(axis=1)).ravel()
        rows = []
        for k, (sent, target) in enumerate(zip(sentences, targets)):
            spans = token_spans(sent)
            toks = [t.lower() for _, _, t in spans]
            ttoks = set(_content([t.lower() for _, _, t in token_spans(target)]))
            stoks = set(_content(toks))
            inter = ttoks & stoks
            jacc = len(inter) / len(ttoks | stoks) if ttoks | stoks else 0.0
            cover = len(inter) / len(ttoks) if ttoks else 0.0
            idf_total = math.fsum(self.idf_.get(t, 1.0) for t in ttoks)
            cover_idf = round(math.fsum(self.idf_.get(t, 1.0) for t in inter) / idf_total, 10) if idf_total else 0.0
            tl = [t.lower() for _, _, t in token_spans(target)]
            tbig = set(zip(tl, tl[1:]))
            shared_bigrams = len(tbig & set(zip(toks, toks[1:])))
            near = {i for i, t in enumerate(toks) if t in ttoks}
            near_window = {j for i in near for j in range(i - self.window, i + self.window + 1)}
            counts = dict.fromkeys(("denial", "negation", "neutral", "support", "hedge"), 0)
            near_counts = dict.fromkeys(("denial", "negation", "neutral"), 0)
            clause_of = self._clauses(toks)
            target_clauses = {clause_of[i] for i in near}
            hedge_in_clause = 0
            for i, j, _, cats in lex.match_tokens(toks):
                for c in cats:
                    prefix, cat = c.split(":", 1)
                    if prefix == "s":
                        counts[cat] += 1
                        if cat in near_counts and (set(range(i, j)) & near_window):
                            near_counts[cat] += 1
                    elif prefix == "h" and cat != "approximator":
                        counts["hedge"] += 1
                        hedge_in_clause += clause_of[i] in target_clauses
            rows.append([
                cosine[k], jacc, cover, cover_idf, shared_bigrams, counts["denial"], near_counts["denial"],
                counts["negation"], near_counts["negation"], counts["neutral"], near_counts["neutral"],
                counts["support"], hedge_in_clause, float("?" in sent), float(any(t in QUOTES for t in toks)),
                cover * counts["denial"], cover * counts["neutral"], cover * counts["hedge"],
                cover * counts["negation"], float(not inter),
            ])
        return sp.csr_matrix(np.asarray(rows, dtype=float).reshape(len(rows), len(STANCE_NAMES)))

    @staticmethod
    def _clauses(tokens):
        clause, out = 0, []
        for t in tokens:
            out.append(clause)
            if t in {",", ";", ":", "but", "while", "although", "whereas"}:
                clause += 1
        return out

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "tfidf_")
        return np.asarray(STANCE_NAMES, dtype=object)


_COLUMNS = weakref.WeakKeyDictionary()  # per fitted featurizer: per-type arrays (idf)


def _target_term(t_keys, n_types, n_targets, target, types):
    """Whether each token type is a term of its pair's target: ``_member(t_keys, target * n_types + types)``.

    *t_keys* are the sorted codes ``target * n_types + type`` of every target's
    terms. Looked up in a dense (target x term) table over the few types that
    are terms of some target, instead of searching sorted codes.
    """
    terms = unique_ints(t_keys % n_types)
    if not len(t_keys) or n_targets * len(terms) > 20_000_000:
        return _member(t_keys, target * n_types + types)
    column = np.full(n_types, -1, dtype=np.int64)
    column[terms] = np.arange(len(terms))
    table = np.zeros((n_targets, len(terms)), dtype=bool)
    table[t_keys // n_types, column[t_keys % n_types]] = True
    col = column[types]
    return (col >= 0) & table[target, np.maximum(col, 0)]


def _member(sorted_keys, keys):
    """Whether each of *keys* is in the sorted array *sorted_keys*."""
    if not len(sorted_keys) or not len(keys):
        return np.zeros(len(keys), dtype=bool)
    pos = searchsorted(sorted_keys, keys)
    return sorted_keys[np.minimum(pos, len(sorted_keys) - 1)] == keys


def _distinct_per_pair(pair, values, n_values, n):
    """Number of distinct *values* per pair index."""
    codes = unique_ints(pair * n_values + values)
    return np.bincount(codes // n_values, minlength=n)


#: The categories a stance lexicon may use (``hedge`` comes from the hedge lexicon).
STANCE_CATEGORIES = ("denial", "negation", "neutral", "support")
_STANCE_KEYS = STANCE_CATEGORIES + ("hedge",)


def _stance_table(lex):
    """Per phrase of the merged stance lexicon: counts it adds (denial, negation, neutral, support, hedge),
    the near-target counts it can add (denial, negation, neutral) and its non-approximator hedge categories."""
    cached = lex.__dict__.get("_stance_table")
    if cached is None:
        keys = lex.phrase_keys()
        counts = np.zeros((len(keys), 5))
        near = np.zeros((len(keys), 3))
        hedge = np.zeros(len(keys))
        unknown = np.zeros(len(keys), dtype=bool)
        unknown_name = {}
        for p, key in enumerate(keys):
            for c in lex._by_tokens[key]:
                prefix, cat = c.split(":", 1)
                if prefix == "s":
                    if cat not in _STANCE_KEYS:
                        unknown[p] = True
                        unknown_name[p] = cat
                        continue
                    counts[p, _STANCE_KEYS.index(cat)] += 1
                    if cat in _STANCE_KEYS[:3]:
                        near[p, _STANCE_KEYS.index(cat)] += 1
                elif prefix == "h" and cat != "approximator":
                    counts[p, 4] += 1
                    hedge[p] += 1
        cached = {"n": len(keys), "counts": sp.csr_matrix(counts), "near": sp.csr_matrix(near), "hedge": hedge,
                  "unknown": unknown, "unknown_name": unknown_name}
        lex._stance_table = cached
    return cached
