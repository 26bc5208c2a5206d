"""The linguistic families for a whole batch at once, with array operations.

Gives the same values as the per-sentence definitions in :mod:`._linguistic`
(``hedge_family``, ``attribution_bag``, ...), which tests compare it with,
from one shared :class:`~stancekit.features._tokens.TokenBatch`.
"""

import weakref

import numpy as np
import scipy.sparse as sp

from ._lexicon import match_arrays
from ._linguistic_core import (ATTRIBUTION_CATEGORIES, CLAIM_CATEGORIES, FAMILIES, FIRST_PERSON, HEDGE_CATEGORIES, MONTHS,
                          NEGATORS, PRONOUNS, QUOTES, RECENT, WEEKDAYS, _NUMBER, _STOP_SUBJECT, _YEAR, _merged)
from ._tokens import TYPES, searchsorted, unique_ints

_NEG, _PRON, _QUOTE, _MONTH, _MONTHC, _WEEKDAY, _RECENT, _FIRSTP, _SUPER, _YEARF, _NUMF, _CONTENT, _BREAK, _STOP, \
    _NOTCONTENT = (1 << k for k in range(15))
_YEAR_SHIFT, _YEAR_BASE = 16, 1700
#: Tokens that end a clause, for the stance featurizer.
CLAUSE_BREAKS = frozenset({",", ";", ":", "but", "while", "although", "whereas"})
_NOT_SUPERLATIVE = ("interest", "protest", "arrest", "request", "suggest", "west")
_NOT_CONTENT = ("that", ",", '"', "“", "”")


#: scikit-learn's English stop words (tokens that are never content words), read on first use.
_STOP_WORDS = []


def english_stop_words():
    """``sklearn.feature_extraction.text.ENGLISH_STOP_WORDS``, imported on first use (see :func:`use_stop_words`)."""
    if not _STOP_WORDS:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        _STOP_WORDS.append(ENGLISH_STOP_WORDS)
    return _STOP_WORDS[0]


def use_stop_words(words):
    """Give the stop-word list instead of importing scikit-learn for it (the compiled predictor's path).

    *words* must be the list a model was compiled with; if the list is
    already known, a different one is an error, since token flags computed
    with either are shared process-wide.
    """
    words = frozenset(words)
    if not _STOP_WORDS:
        _STOP_WORDS.append(words)
    elif _STOP_WORDS[0] != words:
        raise ValueError("the stop-word list differs from the one already in use "
                         f"({len(words)} words against {len(_STOP_WORDS[0])})")


def _type_flags(tok):
    """Everything the families ask of a lowercased token, as bit flags (and the year, if it is one)."""
    f = 0
    for words, flag in _MEMBER_FLAGS:
        if tok in words:
            f |= flag
    if tok in MONTHS and tok != "may":
        f |= _MONTHC
    if len(tok) > 5 and tok.endswith("est") and tok not in _NOT_SUPERLATIVE:
        f |= _SUPER
    if tok.isalnum() and tok not in english_stop_words():
        f |= _CONTENT
    if _YEAR.match(tok):
        f |= _YEARF | ((int(tok) - _YEAR_BASE) << _YEAR_SHIFT)
    elif _NUMBER.match(tok):
        f |= _NUMF
    return f


#: Flags that are plain membership of a word set.
_MEMBER_FLAGS = ((NEGATORS, _NEG), (PRONOUNS, _PRON), (QUOTES, _QUOTE), (MONTHS, _MONTH), (WEEKDAYS, _WEEKDAY),
                 (RECENT, _RECENT), (FIRST_PERSON, _FIRSTP), (CLAUSE_BREAKS, _BREAK), (_STOP_SUBJECT, _STOP),
                 (_NOT_CONTENT, _NOTCONTENT))


_COLUMNS = {}


def token_flags(batch):
    """Bit flags (:func:`_type_flags`) of every token of a TokenBatch, computed once per token type."""
    types = batch.types()
    return TYPES.column(_COLUMNS, "flags", _type_flags)[types] if len(types) else np.zeros(0, dtype=np.int64)


def _key_cols(names, base, extra=()):
    out = {}
    for k, name in enumerate(names):
        out.setdefault(name, []).append(base + k)
    for name, col in extra:
        out.setdefault(name, []).append(col)
    return out


class _Plan:
    """Per fitted featurizer: dense column layout, context-feature index and per-phrase arrays."""

    def __init__(self, est):
        self.lexicon = lex = _merged(tuple(map(tuple, est.lexicon_entries_)))
        self.index = index = {k: i for i, k in enumerate(est.context_vocabulary_)}
        self.ref = est.reference_year_
        base, self.hb, self.ab, self.cb = 0, None, None, None
        for fam in est.families_:
            setattr(self, {"hedge": "hb", "attribution": "ab", "claim": "cb"}[fam], base)
            base += len(FAMILIES[fam])
        self.n_dense = nd = base
        hb, ab, cb = self.hb, self.ab, self.cb
        hcols = {} if hb is None else _key_cols(
            HEDGE_CATEGORIES, hb, [("booster", hb + 8), ("negated_doubt", hb + 9), ("negated", hb + 12),
                                   ("main_clause", hb + 13), ("reported_clause", hb + 14)])
        acols = {} if ab is None else _key_cols(
            ATTRIBUTION_CATEGORIES, ab, [("country_state", ab + 12), ("country_capital", ab + 13),
                                         ("country_demonym", ab + 14)])
        kcols = {} if cb is None else _key_cols(CLAIM_CATEGORIES, cb)
        self.neg_cols = hcols.get("negated", [])
        self.rep_cols = hcols.get("reported_clause", [])
        self.main_cols = hcols.get("main_clause", [])
        keys = lex.phrase_keys()
        n_ph = len(keys)
        flags = {name: np.zeros(n_ph, dtype=bool) for name in ("h", "hb", "verb", "named", "vague", "acc", "k")}
        cols = {name: np.full(n_ph, -1, dtype=np.int64) for name in ("cue_rep", "cue_main", "cue_not", "verb")}
        k_rep, k_main, inc_rows, inc_cols = [], [], [], []
        for p, key in enumerate(keys):
            mine = {}
            for c in lex._by_tokens[key]:
                prefix, _, cat = c.partition(":")
                mine.setdefault(prefix, []).append(cat)
            h, b, a, ctry, k = (mine.get(x, []) for x in ("h", "b", "a", "c", "k"))
            phrase = " ".join(key)
            flags["h"][p] = bool(h)
            flags["hb"][p] = bool(h or b)
            flags["verb"][p] = any(c.startswith("verb_") or c == "according_to" for c in a)
            flags["named"][p] = bool(ctry) or any(c in ("source_title", "source_office", "source_agency") for c in a)
            flags["vague"][p] = "source_vague" in a
            flags["acc"][p] = phrase == "according to"
            for name, feature in (("cue_rep", f"cue={phrase}|reported"), ("cue_main", f"cue={phrase}|main"),
                                  ("cue_not", f"cue=not {phrase}"), ("verb", f"verb={phrase}")):
                cols[name][p] = index.get(feature, -1)
            rep = [index[x] for x in (f"{c}={phrase}|reported" for c in k) if x in index]
            main = [index[x] for x in (f"{c}={phrase}|main" for c in k) if x in index]
            flags["k"][p] = bool(rep or main)
            k_rep.append(rep)
            k_main.append(main)
            for col in ([c2 for c in h for c2 in hcols.get(c, ())] + [c2 for c in b for c2 in hcols.get(c, ())]
                        + [c2 for c in a for c2 in acols.get(c, ())]
                        + [c2 for c in ctry for c2 in acols.get(f"country_{c}", ())]
                        + [c2 for c in k for c2 in kcols.get(c, ())]):
                inc_rows.append(p)
                inc_cols.append(col)
        self.ph = flags
        self.cols = cols
        width = max([1] + [len(x) for x in k_rep + k_main])
        self.k_rep = np.array([x + [-1] * (width - len(x)) for x in k_rep], dtype=np.int64).reshape(n_ph, width)
        self.k_main = np.array([x + [-1] * (width - len(x)) for x in k_main], dtype=np.int64).reshape(n_ph, width)
        self.counts = sp.csr_matrix((np.ones(len(inc_rows)), (inc_rows, inc_cols)), shape=(n_ph, max(nd, 1)))
        self.n_phrases = n_ph
        self.columns = {}
        self.generation = None
        get = index.get
        self.special = {name: get(name, -1) for name in (
            "subj_capitalised", "num_prev=<s>", "num_next=</s>", "num_third=0", "num_third=1", "num_third=2")}
        self.prefixes = ("subj=", "subj_head=", "subj_first=", "start=", "start2=", "content_start=",
                         "content_start2=", "num_prev=", "num_next=")

    def refresh(self):
        """Two-token context features (``start2``, ``content_start2``) as sorted type-id pair codes."""
        if self.generation == TYPES.generation:
            return
        self.pairs = {}
        for prefix in ("start2=", "content_start2="):
            found = [(k[len(prefix):].split(" "), col) for k, col in self.index.items()
                     if k.startswith(prefix) and k.count(" ") == 1]
            ids = TYPES.lookup([t for parts, _ in found for t in parts]).reshape(-1, 2)
            codes = (ids[:, 0] << 32) | ids[:, 1]
            order = np.argsort(codes)
            self.pairs[prefix] = (codes[order], np.array([c for _, c in found], dtype=np.int64)[order])
        self.generation = TYPES.generation

    def column(self, prefix):
        """Per token type: the context column of ``prefix + token`` (-1 if not a feature)."""
        get = self.index.get
        return TYPES.column(self.columns, prefix, lambda t: get(prefix + t, -1))

    def pair(self, prefix, first, second):
        codes, cols = self.pairs[prefix]
        if not len(codes) or not len(first):
            return np.full(len(first), -1, dtype=np.int64)
        code = (first << 32) | second
        pos = searchsorted(codes, code)
        pos[pos == len(codes)] = 0
        return np.where(codes[pos] == code, cols[pos], -1)


_PLANS = weakref.WeakKeyDictionary()


def _plan(est):
    key = (id(est.lexicon_entries_), id(est.context_vocabulary_), tuple(est.families_), est.reference_year_)
    cached = _PLANS.get(est)
    if cached is None or cached[0] != key:
        cached = _PLANS[est] = (key, _Plan(est))
    return cached[1]


def _prefix_sum(mask):
    out = np.zeros(len(mask) + 1, dtype=np.int64)
    np.cumsum(mask, out=out[1:])
    return out


def _batch_features(est, batch):
    """Dense family values (before scaling) and context-feature keys ``row * n_context + column`` of a batch.

    The same values as the per-sentence functions above (:func:`hedge_family`,
    :func:`hedge_bag`, ...), computed with array operations over every token
    and every lexicon match of the batch at once.
    """
    plan = _plan(est)
    plan.refresh()
    types = batch.types()
    hb, ab, cb, nd = plan.hb, plan.ab, plan.cb, plan.n_dense
    n_ctx = len(plan.index)
    n = len(batch.texts)
    n_tok = len(types)
    flags = token_flags(batch)
    doc_of = batch.doc_of()
    offsets = np.asarray(batch.offsets, dtype=np.int64)
    starts, nt = offsets[:-1], np.diff(offsets)
    dense = np.zeros((n, nd))
    parts = []

    def count(rows):
        return np.bincount(rows, minlength=n)

    def has(flag):
        return (flags & flag) != 0

    def add(rows, cols):
        keep = cols >= 0
        if keep.any():
            parts.append(rows[keep] * n_ctx + cols[keep])

    m_doc, m_i, m_j, m_ph = match_arrays(plan.lexicon, batch)
    m_o, m_nt = starts[m_doc], nt[m_doc]
    if len(m_doc):
        M = sp.csr_matrix((np.ones(len(m_doc)), (m_doc, m_ph)), shape=(n, plan.n_phrases))
        dense += (M @ plan.counts).toarray()[:, :nd]
    ph = plan.ph
    verb = ph["verb"][m_ph]
    has_region = np.zeros(n, dtype=bool)
    r_lo = np.zeros(n, dtype=np.int64)
    r_hi = np.zeros(n, dtype=np.int64)
    if verb.any():
        docs, first = unique_ints(m_doc[verb], return_index=True)
        fi, fj, fn = m_i[verb][first], m_j[verb][first], nt[docs]
        late = fi / fn > 0.5
        r_lo[docs] = np.where(late, 0, fj)
        r_hi[docs] = np.where(late, fi, fn)
        has_region[docs] = True
    reported = has_region[m_doc] & (r_lo[m_doc] <= m_i) & (m_i < r_hi[m_doc])
    neg_sum = _prefix_sum(has(_NEG))
    negated = neg_sum[m_o + m_i] - neg_sum[m_o + np.maximum(0, m_i - 3)] > 0
    if hb is not None:
        h = ph["h"][m_ph]
        for cols, mask in ((plan.neg_cols, h & negated), (plan.rep_cols, h & reported),
                           (plan.main_cols, h & ~reported)):
            for col in cols:
                dense[:, col] += count(m_doc[mask])
        n_h = count(m_doc[h])
        where = m_i / np.maximum(m_nt, 1)
        dense[:, hb + 10] = n_h > 0
        dense[:, hb + 11] = n_h
        dense[:, hb + 15] = count(m_doc[h & (where < 1 / 3)]) > 0
        dense[:, hb + 16] = count(m_doc[h & (where >= 2 / 3)]) > 0
        dense[:, hb + 17] = has_region
        if n_ctx:
            cue = ph["hb"][m_ph]
            c = plan.cols
            add(m_doc[cue], np.where(reported, c["cue_rep"][m_ph], c["cue_main"][m_ph])[cue])
            add(m_doc[cue & negated], c["cue_not"][m_ph][cue & negated])
    if ab is not None:
        quote = has(_QUOTE)
        nonempty = nt > 0
        dense[:, ab + 16] = count(doc_of[quote]) > 0
        dense[nonempty, ab + 17] = quote[starts[nonempty]]
        caps = batch.caps().copy()
        later = caps.copy()
        later[starts[nonempty]] = False  # the first token of a text does not count
        prev_cap = np.zeros(n_tok, dtype=bool)
        prev_cap[1:] = later[:-1]
        next_cap = np.zeros(n_tok, dtype=bool)
        next_cap[:-1] = later[1:] & (doc_of[1:] == doc_of[:-1])
        dense[:, ab + 15] = count(doc_of[later & ~prev_cap & next_cap])
        v_doc, v_i, v_j, v_o, v_nt, v_ph = m_doc[verb], m_i[verb], m_j[verb], m_o[verb], m_nt[verb], m_ph[verb]
        dense[:, ab + 18] = count(v_doc) > 0
        share = v_i / np.maximum(v_nt, 1)
        dense[:, ab + 19] = count(v_doc[share > 0.6]) > 0
        dense[:, ab + 20] = count(v_doc[share < 0.3]) > 0
        lo, hi = v_o + np.maximum(0, v_i - 4), v_o + np.minimum(v_nt, v_j + 4)
        named = ph["named"][m_ph]
        vague = ph["vague"][m_ph]
        for k, mask in ((21, _covered(m_o + m_i, m_o + m_j, named, n_tok) | later),
                        (22, _covered(m_o + m_i, m_o + m_j, vague, n_tok)), (23, has(_PRON))):
            total = _prefix_sum(mask)
            near = (hi > lo) & (total[np.maximum(hi, lo)] - total[lo] > 0)
            dense[:, ab + k] = count(v_doc[near])
        if n_ctx and len(v_doc):
            add(v_doc, plan.cols["verb"][v_ph])
            _subject_bags(plan, add, types, has(_STOP), caps, v_doc, v_i, v_j, v_o, v_nt, ph["acc"][v_ph])
    if cb is not None:
        year = has(_YEARF)
        value = ((flags >> _YEAR_SHIFT) & 511) + _YEAR_BASE
        same_prev = np.zeros(n_tok, dtype=bool)
        same_prev[1:] = doc_of[1:] == doc_of[:-1]
        month = has(_MONTH)
        prev_month = np.zeros(n_tok, dtype=bool)
        prev_month[1:] = month[:-1] & same_prev[1:]
        next_month = np.zeros(n_tok, dtype=bool)
        next_month[:-1] = month[1:] & same_prev[1:]
        number = has(_NUMF)
        numbers = count(doc_of[number & ~prev_month & ~next_month])
        ref = plan.ref
        past = year & (value <= ref - 2) if ref else np.zeros(n_tok, dtype=bool)
        this = year & ~past & (value >= ref - 1) if ref else past
        columns = [numbers, numbers > 0, count(doc_of[year]), count(doc_of[past]), count(doc_of[this]),
                   count(doc_of[has(_MONTHC)]), count(doc_of[has(_WEEKDAY)]), count(doc_of[has(_RECENT)]),
                   count(doc_of[has(_SUPER)]), count(doc_of[has(_FIRSTP)]),
                   count(doc_of[types == TYPES.ids.get("?", -1)]) > 0,  # "?" is always a token of its own
                   count(doc_of[has(_QUOTE)]) > 0]
        for k, col in enumerate(columns):
            dense[:, cb + 10 + k] = col
        if n_ctx:
            _claim_bags(plan, add, types, flags, doc_of, starts, nt, has_region, r_lo, r_hi, number,
                        m_doc, m_ph, reported)
    keys = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    return dense, keys


def transform_batch(est, batch):
    """A fitted LinguisticFeatures' ``transform`` of a TokenBatch: scaled family values, then context bags.

    *est* needs only the fitted attributes (``families_``, ``lexicon_entries_``,
    ``context_vocabulary_``, ``reference_year_``, ``scale_``), so the compiled
    predictor calls it with those alone.
    """
    dense, bag_keys = _batch_features(est, batch)
    if len(est.scale_):
        dense = dense / np.asarray(est.scale_)
    dense = sp.csr_matrix(dense)
    if not est.context_vocabulary_:
        return dense
    n_bags = len(est.context_vocabulary_)
    keys = unique_ints(np.asarray(bag_keys, dtype=np.int64))
    indptr = np.searchsorted(keys // n_bags, np.arange(len(batch) + 1))
    bags = sp.csr_matrix((np.ones(len(keys)), keys % n_bags, indptr), shape=(len(batch), n_bags))
    return sp.hstack([dense, bags], format="csr")


def _covered(begin, end, mask, n_tok):
    """Tokens inside any of the spans ``[begin, end)`` selected by *mask*."""
    delta = np.bincount(begin[mask], minlength=n_tok + 1) - np.bincount(end[mask], minlength=n_tok + 1)
    return np.cumsum(delta)[:n_tok] > 0


def _subject_bags(plan, add, types, stop, caps, v_doc, v_i, v_j, v_o, v_nt, according):
    """:func:`attribution_bag`'s subject features for every reporting verb at once."""
    n_tok = len(types)
    last_stop = np.maximum.accumulate(np.where(stop, np.arange(n_tok), -1))
    at = v_o + v_i
    before = np.where(v_i > 0, last_stop[np.maximum(at - 1, 0)], -1)
    start = np.where(v_i > 0, np.maximum(np.maximum(v_o, at - 5), before + 1), at)
    own = ~according & (start < at)  # words before the verb
    fallback = ~according & ~own  # '..., said the minister': words after it, punctuation dropped
    begin = np.where(own, start, v_o + v_j)
    end = np.where(own, at, v_o + np.minimum(v_j + np.where(according, 5, 4), v_nt))
    pos = begin[:, None] + np.arange(5)[None, :]
    valid = pos < end[:, None]
    pos = np.minimum(pos, n_tok - 1)
    valid &= ~(fallback[:, None] & stop[pos])
    rows = np.broadcast_to(v_doc[:, None], pos.shape)
    add(rows[valid], plan.column("subj=")[types[pos[valid]]])
    capital = (caps[pos] & valid).any(axis=1)
    add(v_doc[capital], np.full(capital.sum(), plan.special["subj_capitalised"]))
    some = valid.any(axis=1)
    first = pos[np.arange(len(pos)), valid.argmax(axis=1)]
    last = pos[np.arange(len(pos)), valid.shape[1] - 1 - valid[:, ::-1].argmax(axis=1)]
    add(v_doc[some], plan.column("subj_head=")[types[last[some]]])
    add(v_doc[some], plan.column("subj_first=")[types[first[some]]])


def _claim_bags(plan, add, types, flags, doc_of, starts, nt, has_region, r_lo, r_hi, number, m_doc, m_ph, reported):
    """:func:`claim_bag` for every text at once."""
    n_tok = len(types)
    docs = np.flatnonzero(nt > 0)
    t0 = types[starts[docs]]
    add(docs, plan.column("start=")[t0])
    two = nt[docs] >= 2
    add(docs[~two], plan.column("start2=")[t0[~two]])
    add(docs[two], plan.pair("start2=", t0[two], types[starts[docs[two]] + 1]))
    docs = np.flatnonzero(has_region & (r_hi > r_lo))
    content = np.flatnonzero((flags & _NOTCONTENT) == 0)
    if len(docs) and len(content):
        lo, hi = starts[docs] + r_lo[docs], starts[docs] + r_hi[docs]
        k = np.searchsorted(content, lo)
        at1 = content[np.minimum(k, len(content) - 1)]
        at2 = content[np.minimum(k + 1, len(content) - 1)]
        one = (k < len(content)) & (at1 < hi)
        both = one & (k + 1 < len(content)) & (at2 < hi)
        add(docs[one], plan.column("content_start=")[types[at1[one]]])
        only = one & ~both
        add(docs[only], plan.column("content_start2=")[types[at1[only]]])
        add(docs[both], plan.pair("content_start2=", types[at1[both]], types[at2[both]]))
    rows = np.broadcast_to(m_doc[:, None], (len(m_doc), plan.k_rep.shape[1]))
    add(rows.ravel(), np.where(reported[:, None], plan.k_rep[m_ph], plan.k_main[m_ph]).ravel())
    at = np.flatnonzero(number)
    if len(at):
        d = doc_of[at]
        k = at - starts[d]
        prev = plan.column("num_prev=")[types[np.maximum(at - 1, 0)]]
        add(d, np.where(k > 0, prev, plan.special["num_prev=<s>"]))
        nxt = plan.column("num_next=")[types[np.minimum(at + 1, n_tok - 1)]]
        add(d, np.where(k + 1 < nt[d], nxt, plan.special["num_next=</s>"]))
        third = np.minimum(3 * k // np.maximum(nt[d], 1), 2)
        add(d, np.array([plan.special[f"num_third={x}"] for x in range(3)], dtype=np.int64)[third])
