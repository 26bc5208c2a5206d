"""Lexicons as data files, matched token by token in one pass; tokenisation shared by the featurizers."""

import contextlib
import re
import threading
import weakref
from functools import lru_cache
from importlib import resources
from itertools import accumulate, chain, compress, repeat
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from nltk.tokenize import RegexpTokenizer

#: Tokenizer used across stancekit: NLTK's RegexpTokenizer needs no downloaded data.
TOKEN_PATTERN = r"\w+(?:[-'’]\w+)*|[^\w\s]"
TOKENIZER = RegexpTokenizer(TOKEN_PATTERN)

BUILTIN_LEXICONS = ("hedges", "boosters", "attribution", "claims", "stance", "countries")


class Lexicon:
    """A list of ``(phrase, category)`` entries, matched case-insensitively on word boundaries.

    A phrase may carry several categories. Matching is one pass of one compiled
    regular expression, longest phrase first, so "there is no doubt" is found
    as a booster instead of "doubt" as a hedge.

    Parameters
    ----------
    entries : iterable of (str, str)
        Phrases and their categories.
    name : str, default="lexicon"
    """

    def __init__(self, entries, name="lexicon"):
        self.name = name
        table = {}
        for i, entry in enumerate(entries):
            if len(entry) != 2 or not all(isinstance(x, str) and x.strip() for x in entry):
                raise ValueError(f"lexicon '{name}' entry {i}: expected (phrase, category), found {entry!r}")
            phrase = " ".join(entry[0].lower().split())
            table.setdefault(phrase, set()).add(entry[1].strip())
        if not table:
            raise ValueError(f"lexicon '{name}' has no entries")
        self.table = {p: tuple(sorted(c)) for p, c in sorted(table.items())}
        self.categories = tuple(sorted({c for cats in self.table.values() for c in cats}))

    def __len__(self):
        return len(self.table)

    def __repr__(self):
        return f"Lexicon({self.name!r}, {len(self)} phrases, categories={list(self.categories)})"

    def match_tokens(self, tokens):
        """Greedy longest-first matches over lowercased *tokens*: ``(i, j, phrase, categories)``.

        One left-to-right pass; at each position only phrases starting with that
        token are tried, longest first.
        """
        index, maxlen = self._index()
        out, i, n = [], 0, len(tokens)
        while i < n:
            lengths = index.get(tokens[i])
            if lengths:
                for length in lengths:
                    if i + length <= n:
                        key = tuple(tokens[i:i + length])
                        cats = self._by_tokens.get(key)
                        if cats is not None:
                            out.append((i, i + length, key, cats))
                            i += length
                            break
                else:
                    i += 1
            else:
                i += 1
        return out

    def match_batch(self, batch):
        """:meth:`match_tokens` for every text of a :class:`TokenBatch`: one list of matches per text.

        Only positions whose token starts some phrase are visited (found in one
        C-level pass over the whole batch); longer phrases are tried only when
        the next token fits, longest first, then the one-token phrase.
        """
        index, _ = self._index()
        single, multi = self._index2()
        by_tokens = self._by_tokens
        low, offsets = batch.lower, batch.offsets
        out = [[] for _ in range(len(offsets) - 1)]
        d, start, end, free = -1, 0, 0, 0
        for p in compress(range(len(low)), map(index.__contains__, low)):
            if p >= end:
                while offsets[d + 1] <= p:
                    d += 1
                start, end = offsets[d], offsets[d + 1]
                free = start
            if p < free:
                continue
            tok = low[p]
            if p + 1 < end:
                nxt = multi.get(tok)
                lengths = nxt.get(low[p + 1]) if nxt else None
                if lengths:
                    hit = False
                    for length in lengths:
                        if p + length <= end:
                            key = tuple(low[p:p + length])
                            cats = by_tokens.get(key)
                            if cats is not None:
                                out[d].append((p - start, p - start + length, key, cats))
                                free = p + length
                                hit = True
                                break
                    if hit:
                        continue
            cats = single.get(tok)
            if cats is not None:
                out[d].append((p - start, p - start + 1, (tok,), cats))
                free = p + 1
        return out

    def _index2(self):
        cached = self.__dict__.get("_index2_cache")
        if cached is None:
            self._index()
            single, multi = {}, {}
            for key, cats in self._by_tokens.items():
                if len(key) == 1:
                    single[key[0]] = cats
                else:
                    multi.setdefault(key[0], {}).setdefault(key[1], set()).add(len(key))
            multi = {a: {b: sorted(v, reverse=True) for b, v in nxt.items()} for a, nxt in multi.items()}
            cached = self._index2_cache = (single, multi)
        return cached

    def finditer(self, text):
        """Yield ``(start, end, phrase, categories)`` (character offsets) for each match in *text*."""
        spans = token_spans(text)
        tokens = [t.lower() for _, _, t in spans]
        for i, j, _, cats in self.match_tokens(tokens):
            start, end = spans[i][0], spans[j - 1][1]
            yield start, end, text[start:end].lower(), cats

    def _index(self):
        cached = self.__dict__.get("_index_cache")
        if cached is None:
            by_tokens, first = {}, {}
            for phrase, cats in self.table.items():
                key = tuple(t.lower() for t in TOKENIZER.tokenize(phrase))
                by_tokens[key] = cats
                first.setdefault(key[0], set()).add(len(key))
            self._by_tokens = by_tokens
            cached = ({k: sorted(v, reverse=True) for k, v in first.items()}, max(map(len, by_tokens)))
            self._index_cache = cached
        return cached

    def entries(self):
        return [(p, c) for p, cats in self.table.items() for c in cats]

    def phrase_keys(self):
        """The phrases as token tuples (the keys of :meth:`match_tokens` results), in a fixed order."""
        self._index()
        cached = self.__dict__.get("_phrase_keys")
        if cached is None:
            cached = self._phrase_keys = sorted(self._by_tokens)
        return cached

    def _array_tables(self):
        """Integer tables for :func:`match_arrays`, or None when the codes would not fit in int64.

        Returns ``(lid_of, base, starts, single, prefixes)``: an id per lexicon
        token; whether each id starts a phrase and the one-token phrase it is
        (or -1), indexed by id; and per length ``L >= 2`` the sorted codes of
        every length-``L`` prefix of a phrase with the phrase it completes (or -1).
        """
        if "_arrays" not in self.__dict__:
            keys = self.phrase_keys()
            lid_of = {}
            for key in keys:
                for t in key:
                    lid_of.setdefault(t, len(lid_of))
            base = max(len(lid_of), 1)
            longest = max(map(len, keys), default=0)
            tables = None
            if base ** longest < 2 ** 62:
                starts = np.zeros(len(lid_of), dtype=bool)
                single = np.full(len(lid_of), -1, dtype=np.int64)
                by_len = {}
                for i, key in enumerate(keys):
                    starts[lid_of[key[0]]] = True
                    if len(key) == 1:
                        single[lid_of[key[0]]] = i
                    code = lid_of[key[0]]
                    for length in range(2, len(key) + 1):
                        code = code * base + lid_of[key[length - 1]]
                        table = by_len.setdefault(length, {})
                        if length == len(key):
                            table[code] = i
                        else:
                            table.setdefault(code, -1)
                prefixes = {}
                for length, table in by_len.items():
                    codes = np.array(sorted(table), dtype=np.int64)
                    prefixes[length] = (codes, np.array([table[c] for c in codes.tolist()], dtype=np.int64))
                tables = (lid_of, base, starts, single, prefixes)
            self._arrays = tables
        return self._arrays


_TOKEN_RE = re.compile(TOKEN_PATTERN)


def searchsorted(a, v):
    """``np.searchsorted(a, v)`` (side "left"), faster for many queries: they are looked up in sorted order.

    Binary searches for ascending queries touch neighbouring parts of *a*, so
    sorting a large *v* first and putting the answers back in place costs less
    than searching it in its own order; the positions are the same.
    """
    v = np.asarray(v)
    if len(v) < 4096 or len(a) < 1024:
        return np.searchsorted(a, v)
    order = np.argsort(v)
    out = np.empty(len(v), dtype=np.intp)
    out[order] = np.searchsorted(a, v[order])
    return out


def unique_ints(a, *, return_index=False):
    """``np.unique`` of an integer array (sorted distinct values), by one sort.

    numpy 2's ``np.unique`` hashes first, which is many times slower on the
    int64 codes the featurizers build. With *return_index*, also the index of
    each value's first occurrence, as ``np.unique(..., return_index=True)``.
    """
    a = np.asarray(a).ravel()
    order = np.argsort(a, kind="stable") if return_index else None
    s = a[order] if return_index else np.sort(a)
    keep = np.ones(len(s), dtype=bool)
    if len(s) > 1:
        np.not_equal(s[1:], s[:-1], out=keep[1:])
    return (s[keep], order[keep]) if return_index else s[keep]


def is_capitalised(token):
    """An upper-case letter followed by a lower-case one ("Minister", not "NATO" or "x")."""
    return token[:1].isupper() and token[1:2].islower()


def token_spans(text):
    """``(start, end, token)`` for each token of *text* (the TOKENIZER's pattern, one regex pass)."""
    return [(m.start(), m.end(), m.group(0)) for m in _TOKEN_RE.finditer(text)]


#: scikit-learn's default ``token_pattern``; :meth:`TokenBatch.words` reproduces its tokens.
SKLEARN_TOKEN_PATTERN = r"(?u)\b\w\w+\b"
_SK_WORDS = re.compile(SKLEARN_TOKEN_PATTERN)
_WORD_JOINERS = re.compile(r"[-'’]")


class TokenBatch:
    """Texts tokenized once (``TOKEN_PATTERN``), shared by every featurizer that reads them.

    The tokens of all texts lie one after another; text ``d`` owns positions
    ``offsets[d]`` to ``offsets[d + 1]``. :meth:`types` gives their lowercased
    type ids, :meth:`caps` whether each is capitalised, :meth:`words` the
    tokens scikit-learn's default word analyzer would produce, derived from
    the same tokens, so a word TF-IDF needs no tokenisation of its own.

    No token contains or crosses whitespace, so a text's tokens are the tokens
    of its whitespace-separated chunks in order; each distinct chunk is
    tokenized once and remembered (:meth:`TypeTable.chunk_table`), which makes
    tokenizing a batch a ``str.split`` per text plus array lookups. ``raw`` and
    ``lower`` (the token strings) are built only when asked for.
    """

    __slots__ = ("texts", "offsets", "_raw", "_lower", "_words", "_types", "_caps", "_doc_of", "__weakref__")

    def __init__(self, texts):
        self.texts = texts
        self._raw = self._lower = self._words = self._doc_of = None
        self._tokenize()

    def _tokenize(self):
        texts = self.texts
        n = len(texts)
        joined = _SEPARATOR.join(texts)
        if n and joined.count(_SEP_CHAR) == n - 1:
            # one split of the whole batch; the separator chunks mark where each text ends
            cids, start, length, types, caps = TYPES.chunk_table(joined.split() + [_SEP_CHAR])
            ends = np.flatnonzero(cids == cids[-1])
            per_text = np.diff(ends, prepend=-1) - 1
            cids = np.delete(cids, ends)
        else:  # a text holds the separator character itself
            pieces = list(map(str.split, texts))
            per_text = np.fromiter(map(len, pieces), dtype=np.int64, count=n)
            cids, start, length, types, caps = TYPES.chunk_table(list(chain.from_iterable(pieces)))
        lens = length[cids]
        total = int(lens.sum())
        first = np.cumsum(lens) - lens
        pos = np.repeat(start[cids] - first, lens) + np.arange(total, dtype=np.int64)
        self._types = (TYPES.generation, types[pos])
        self._caps = caps[pos].astype(bool)
        counts = np.bincount(np.repeat(np.arange(n, dtype=np.int64), per_text), weights=lens, minlength=n)
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts.astype(np.int64), out=offsets[1:])
        self.offsets = offsets.tolist()

    @property
    def raw(self):
        """The tokens as they appear in the texts (a list, built on first use)."""
        if self._raw is None:
            self._raw = list(chain.from_iterable(map(_TOKEN_RE.findall, self.texts)))
        return self._raw

    @property
    def lower(self):
        """The lowercased tokens (a list, built on first use)."""
        if self._lower is None:
            self._lower = list(map(str.lower, self.raw))
        return self._lower

    def caps(self):
        """Whether each token is capitalised (an upper-case letter then a lower-case one), bool array."""
        return self._caps

    def types(self):
        """Ids of the lowercased tokens in :data:`TYPES` (int64 array, one per token)."""
        if self._types[0] != TYPES.generation:
            self._tokenize()
        return self._types[1]

    def doc_of(self):
        """Index of the text each token belongs to (int64 array)."""
        if self._doc_of is None:
            offsets = np.asarray(self.offsets, dtype=np.int64)
            self._doc_of = np.repeat(np.arange(len(self.texts), dtype=np.int64), np.diff(offsets))
        return self._doc_of

    def __len__(self):
        return len(self.texts)

    def word_ids(self):
        """``(ids, offsets)``: the tokens scikit-learn's default word analyzer finds in each text, as type ids.

        They are each text's lowercased ``\\w\\w+`` runs: the word tokens split
        at hyphens and apostrophes, parts of two or more characters kept. That
        is exact wherever lowercasing maps every character to one character of
        the same kind (no final sigma); other texts are tokenized by
        scikit-learn's pattern. ``offsets`` has one more entry than texts.
        """
        if self._words is None or self._words[0] != TYPES.generation:
            ids, counts = self._word_ids()
            offsets = np.zeros(len(self.texts) + 1, dtype=np.int64)
            np.cumsum(counts, out=offsets[1:])
            self._words = (TYPES.generation, ids, offsets)
        return self._words[1], self._words[2]

    def _word_ids(self):
        types, doc_of, n = self.types(), self.doc_of(), len(self.texts)
        n_parts = TYPES.column(_WORD_COLUMNS, "n", _n_word_parts)[types] if len(types) else types
        split = np.flatnonzero(n_parts < 0)
        if not len(split):
            keep = n_parts == 1
            ids, counts = types[keep], np.bincount(doc_of[keep], minlength=n)
        else:
            n_parts = np.abs(n_parts)
            ids = np.repeat(types, n_parts)
            first = np.cumsum(n_parts) - n_parts
            if TYPES.generation not in _SPLIT_PARTS:
                _SPLIT_PARTS.clear()
            parts = _SPLIT_PARTS.setdefault(TYPES.generation, {})
            # each distinct split type's parts once, then written to all its occurrences with array indexing
            distinct = unique_ints(types[split])
            which = np.searchsorted(distinct, types[split])
            found = []
            for t in distinct.tolist():
                ids_t = parts.get(t)
                if ids_t is None:
                    ids_t = parts[t] = TYPES.lookup([x for x in _WORD_JOINERS.split(TYPES.tokens[t]) if len(x) > 1])
                found.append(ids_t)
            lens = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
            flat = np.concatenate(found) if found else np.empty(0, dtype=np.int64)
            occ_len = lens[which]
            step = np.arange(int(occ_len.sum()), dtype=np.int64) - np.repeat(np.cumsum(occ_len) - occ_len, occ_len)
            ids[np.repeat(first[split], occ_len) + step] = flat[np.repeat((np.cumsum(lens) - lens)[which], occ_len) + step]
            counts = np.bincount(doc_of, weights=n_parts, minlength=n).astype(np.int64)
        unsafe = [d for d, t in enumerate(self.texts) if not t.isascii() and _unsafe_lowercase(t)]
        if unsafe:
            ends = np.cumsum(counts)
            pieces, prev = [], 0
            for d in unsafe:
                pieces.append(ids[prev:ends[d] - counts[d]])
                own = TYPES.lookup(_SK_WORDS.findall(self.texts[d].lower()))
                pieces.append(own)
                prev = ends[d]
                counts[d] = len(own)
            pieces.append(ids[prev:])
            ids = np.concatenate(pieces)
        return ids, counts


_WORD_COLUMNS = {}
#: Joins a batch's texts for one ``str.split``: its middle character is not whitespace, so it is a chunk of its own.
_SEP_CHAR = "\x00"
_SEPARATOR = " " + _SEP_CHAR + " "
_SPLIT_PARTS = {}


def _n_word_parts(tok):
    """Word parts of a token for scikit-learn's analyzer: 1 (itself), 0 (too short), -k (split into k parts)."""
    if len(tok) < 2:
        return 0
    if _WORD_JOINERS.search(tok):
        return -sum(1 for x in _WORD_JOINERS.split(tok) if len(x) > 1) or 0
    return 1


_UNSAFE = []


def _unsafe_lowercase(text):
    """Whether lowercasing *text* could change where its word characters are (see TokenBatch.word_ids)."""
    if not _UNSAFE:
        word = re.compile(r"\w").match
        chars = ["\u03a3"]  # capital sigma: its lowercase depends on the letters around it
        for code in range(0x80, 0x10000):
            c = chr(code)
            low = c.lower()
            if low != c and (len(low) != 1 or bool(word(c)) != bool(word(low))):
                chars.append(c)
        body = "".join(re.escape(c) for c in chars)
        _UNSAFE.append(re.compile(f"[{body}\ud800-\udfff\U00010000-\U0010ffff]"))
    return _UNSAFE[0].search(text) is not None


class TypeTable:
    """Lowercased token types seen so far, each with a stable integer id.

    Featurizers keep per-type arrays aligned with it (:meth:`column`), so a
    property of a token type is computed once, not once per occurrence. Ids
    stay valid while any :meth:`session` is open; a session opened when none
    is and the table holds more than ``limit`` types starts it afresh (a new
    ``generation``), which bounds its memory.
    """

    def __init__(self, limit=500_000, chunk_limit=1_000_000):
        self.limit = limit
        self.chunk_limit = chunk_limit
        self.generation = 0
        self.ids = {}
        self.tokens = []
        self._lock = threading.Lock()
        self._active = 0
        self._reset_chunks()

    def _reset_chunks(self):
        self.chunks = {}
        # per chunk: start and number of its tokens in the token arrays; per token: type id, capitalised
        self._chunk_arrays = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64),
                              np.zeros(0, np.uint8))
        self._n_chunk_tokens = 0

    @contextlib.contextmanager
    def session(self):
        """Keep ids stable while a batch is featurized."""
        with self._lock:
            if not self._active and (len(self.tokens) > self.limit or len(self.chunks) > self.chunk_limit):
                self.generation += 1
                self.ids, self.tokens = {}, []
                self._reset_chunks()
            self._active += 1
        try:
            yield self
        finally:
            with self._lock:
                self._active -= 1

    def lookup(self, tokens):
        """Ids of *tokens* (adding new types) as an int64 array."""
        ids = np.fromiter(map(self.ids.get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))
        missing = np.flatnonzero(ids < 0)
        if len(missing):
            with self._lock:
                self._add(tokens, missing.tolist(), ids)
        return ids

    def _add(self, tokens, where, ids):
        table, types = self.ids, self.tokens
        for k in where:
            tok = tokens[k]
            i = table.get(tok)
            if i is None:
                i = table[tok] = len(types)
                types.append(tok)
            ids[k] = i

    def chunk_table(self, chunks):
        """Whitespace-free *chunks* as indices into per-chunk token arrays (adding new chunks).

        Returns ``(ids, start, length, types, caps)``: the chunks' indices, and
        arrays giving each chunk's first position and number of tokens in
        ``types`` (lowercased type ids) and ``caps`` (capitalised, 0/1). A
        chunk is tokenized with ``TOKEN_PATTERN`` the first time it is seen.
        The arrays only grow (by replacement), so a snapshot stays valid.
        """
        ids = np.fromiter(map(self.chunks.get, chunks, repeat(-1)), dtype=np.int64, count=len(chunks))
        missing = np.flatnonzero(ids < 0)
        if len(missing):
            with self._lock:
                self._add_chunks(chunks, missing.tolist(), ids)
        return (ids, *self._chunk_arrays)

    def _add_chunks(self, chunks, where, ids):
        table = self.chunks
        starts, lengths, types, caps = self._chunk_arrays
        n_chunks, n_tok = len(table), self._n_chunk_tokens
        new_len, new_raw = [], []
        for k in where:
            chunk = chunks[k]
            i = table.get(chunk)
            if i is None:
                toks = _TOKEN_RE.findall(chunk)
                i = table[chunk] = n_chunks + len(new_len)
                new_len.append(len(toks))
                new_raw.extend(toks)
            ids[k] = i
        if not new_len:
            return
        low = list(map(str.lower, new_raw))
        tids = np.empty(len(low), dtype=np.int64)
        self._add(low, range(len(low)), tids)
        new_len = np.asarray(new_len, dtype=np.int64)
        new_start = n_tok + np.cumsum(new_len) - new_len
        end = n_tok + len(low)
        if end > len(types):  # grow by doubling: the old arrays stay valid for their readers
            size = max(2 * len(types), end, 1024)
            types = np.concatenate([types[:n_tok], np.zeros(size - n_tok, np.int64)])
            caps = np.concatenate([caps[:n_tok], np.zeros(size - n_tok, np.uint8)])
        types[n_tok:end] = tids
        caps[n_tok:end] = np.fromiter(map(is_capitalised, new_raw), dtype=np.uint8, count=len(new_raw))
        self._n_chunk_tokens = end
        self._chunk_arrays = (np.concatenate([starts, new_start]), np.concatenate([lengths, new_len]), types, caps)

    def column(self, store, key, fn, dtype=np.int64):
        """``fn(token)`` for every type, as an array kept in ``store[key]`` and extended for new types."""
        cached = store.get(key)
        n = len(self.tokens)
        if cached is None or cached[0] != self.generation:
            cached = (self.generation, np.empty(0, dtype=dtype))
        arr = cached[1]
        if len(arr) < n:
            new = np.fromiter(map(fn, self.tokens[len(arr):n]), dtype=dtype, count=n - len(arr))
            arr = np.concatenate([arr, new])
            store[key] = (self.generation, arr)
        return arr


#: The process-wide type table used by :meth:`TokenBatch.types`.
TYPES = TypeTable()


def match_arrays(lexicon, batch, docs=None):
    """Greedy longest-first lexicon matches in every text of *batch* (or where the mask *docs* is set), as arrays.

    Returns ``(doc, start, end, phrase)``: text index, token offsets within the
    text, and the index of the phrase in ``lexicon.phrase_keys()`` — the same
    matches, in the same order, as :meth:`Lexicon.match_batch`, found with
    array operations over the whole batch (n-gram keys looked up in sorted
    arrays) instead of token by token.
    """
    tables = lexicon._array_tables()
    if tables is None:
        found = _match_arrays_python(lexicon, batch)
        return found if docs is None else tuple(a[docs[found[0]]] for a in found)
    lid_of, base, starts, single, prefixes = tables
    types = batch.types()
    lid_col = TYPES.column(lexicon.__dict__.setdefault("_type_columns", {}), "lid",
                           lambda t: lid_of.get(t, -1))
    lid = lid_col[types] if len(types) else np.empty(0, dtype=np.int64)
    doc_of = batch.doc_of()
    n_tok = len(lid)
    is_start = np.zeros(len(lid), dtype=bool)
    known = np.flatnonzero(lid >= 0)
    is_start[known] = starts[lid[known]]
    cand = np.flatnonzero(is_start if docs is None else is_start & docs[doc_of])
    # one-token phrases by direct lookup; then only positions whose first L tokens are the
    # prefix of some phrase go on to length L + 1 (one sorted-array search per length)
    best_ph = single[lid[cand]]
    best_len = (best_ph >= 0).astype(np.int64)
    best_ph = np.maximum(best_ph, 0)
    alive = np.arange(len(cand))
    key = lid[cand]
    for length in range(2, max(prefixes, default=1) + 1):
        nxt = cand[alive] + length - 1
        inside = nxt < n_tok
        nxt = np.where(inside, nxt, 0)
        ok = inside & (doc_of[nxt] == doc_of[cand[alive]]) & (lid[nxt] >= 0)
        alive, key = alive[ok], key[ok] * base + lid[nxt[ok]]
        codes, full = prefixes[length]
        if not len(alive) or not len(codes):
            break
        pos = searchsorted(codes, key)
        pos[pos == len(codes)] = 0
        found = codes[pos] == key
        alive, key, ph = alive[found], key[found], full[pos[found]]
        done = ph >= 0
        best_len[alive[done]] = length
        best_ph[alive[done]] = ph[done]
    has = best_len > 0
    start, length, phrase = cand[has], best_len[has], best_ph[has]
    end = start + length
    if len(start) > 1:
        # A phrase starting inside an earlier one: resolve left to right, but only within runs of
        # overlapping phrases (a phrase clear of every earlier one is always kept).
        clear = np.ones(len(start), dtype=bool)
        clear[1:] = start[1:] >= np.maximum.accumulate(end)[:-1]
        if not clear.all():
            run = np.cumsum(clear)
            size = np.bincount(run)
            keep = clear & (size[run] == 1)
            free = -1
            for k in np.flatnonzero(size[run] > 1).tolist():
                if start[k] >= free:
                    keep[k] = True
                    free = end[k]
            start, end, phrase = start[keep], end[keep], phrase[keep]
    doc = doc_of[start] if len(start) else np.empty(0, dtype=np.int64)
    offsets = np.asarray(batch.offsets, dtype=np.int64)
    return doc, start - offsets[doc], end - offsets[doc], phrase


def _match_arrays_python(lexicon, batch):
    keys = {k: i for i, k in enumerate(lexicon.phrase_keys())}
    rows = [(d, i, j, keys[key]) for d, ms in enumerate(lexicon.match_batch(batch)) for i, j, key, _ in ms]
    cols = list(zip(*rows)) if rows else [(), (), (), ()]
    return tuple(np.asarray(c, dtype=np.int64) for c in cols)


def tokenize_batch(texts):
    """A :class:`TokenBatch` of *texts* (a list of strings)."""
    return TokenBatch(texts)


# --- word n-gram counts from a TokenBatch, identical to a fitted scikit-learn vectorizer ---------

_NGRAM_TABLES = weakref.WeakKeyDictionary()


def _fast_vectorizer(vec):
    """Whether *vec* is a fitted Count/TfidfVectorizer whose analyzer :meth:`TokenBatch.words` reproduces."""
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
    grams = [(f.split(" "), i) for f, i in vocab.items()]
    tok_id = {}
    for toks, _ in grams:
        for t in toks:
            tok_id.setdefault(t, len(tok_id))
    n_tok = max(len(tok_id), 1)
    by_n = {}
    if n_tok ** vec.ngram_range[1] >= 2 ** 62:
        return None
    for toks, i in grams:
        key = 0
        for t in toks:
            key = key * n_tok + tok_id[t]
        by_n.setdefault(len(toks), []).append((key, i))
    tables = {}
    for n, pairs in by_n.items():
        pairs.sort()
        tables[n] = (np.array([k for k, _ in pairs], dtype=np.int64), np.array([i for _, i in pairs], dtype=np.int64))
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


def read_lexicon_tsv(path, name=None):
    """Read a lexicon file: ``phrase<TAB>category`` lines, '#' comments, a header line."""
    path = Path(path)
    entries = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#") or line == "phrase\tcategory":
                continue
            parts = line.split("\t")
            if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
                raise ValueError(f"{path}, line {lineno}: expected 'phrase<TAB>category', found {line!r}")
            entries.append((parts[0], parts[1]))
    return Lexicon(entries, name=name or path.stem)


@lru_cache(maxsize=None)
def _builtin(name):
    ref = resources.files("stancekit.features") / "lexicons" / f"{name}.tsv"
    with resources.as_file(ref) as path:
        return read_lexicon_tsv(path, name=name)


def load_lexicon(spec):
    """Return a :class:`Lexicon` from a built-in name, a TSV path, a Lexicon, or (phrase, category) pairs."""
    if isinstance(spec, Lexicon):
        return spec
    if isinstance(spec, str) and spec in BUILTIN_LEXICONS:
        return _builtin(spec)
    if isinstance(spec, (str, Path)):
        path = Path(spec)
        if not path.is_file():
            raise ValueError(f"lexicon must be one of {list(BUILTIN_LEXICONS)} or a TSV file path, got {spec!r}")
        return read_lexicon_tsv(path)
    if isinstance(spec, dict):
        return Lexicon(list(spec.items()))
    return Lexicon(list(spec))


def merge_lexicons(named):
    """Merge ``{prefix: Lexicon}`` into one Lexicon whose categories are ``prefix:category``."""
    entries = []
    for prefix, lex in named.items():
        entries.extend((p, f"{prefix}:{c}") for p, c in lex.entries())
    return Lexicon(entries, name="+".join(named))
