"""Tokenisation shared by every featurizer: a batch of texts tokenized once, token types as integer ids."""

import contextlib
import re
import threading
from itertools import chain, repeat

import numpy as np

#: Tokenizer pattern used across stancekit (NLTK's RegexpTokenizer with it needs no downloaded data).
TOKEN_PATTERN = r"\w+(?:[-'’]\w+)*|[^\w\s]"
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


#: scikit-learn's default ``token_pattern``; :meth:`TokenBatch.word_ids` reproduces its tokens.
SKLEARN_TOKEN_PATTERN = r"(?u)\b\w\w+\b"
_SK_WORDS = re.compile(SKLEARN_TOKEN_PATTERN)
_WORD_JOINERS = re.compile(r"[-'’]")


class TokenBatch:
    """Texts tokenized once (``TOKEN_PATTERN``), shared by every featurizer that reads them.

    The tokens of all texts lie one after another; text ``d`` owns positions
    ``offsets[d]`` to ``offsets[d + 1]``. :meth:`types` gives their lowercased
    type ids, :meth:`caps` whether each is capitalised, :meth:`word_ids` the
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
            where_parts = np.repeat((np.cumsum(lens) - lens)[which], occ_len) + step
            ids[np.repeat(first[split], occ_len) + step] = flat[where_parts]
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
        The arrays only grow (a full one is replaced by a larger copy), so a snapshot stays valid.
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
        end, n_new = n_tok + len(low), len(table)
        starts, lengths = _grown(starts, n_chunks, n_new), _grown(lengths, n_chunks, n_new)
        types, caps = _grown(types, n_tok, end), _grown(caps, n_tok, end)
        # written past every index a reader's snapshot can hold, so snapshots stay valid
        starts[n_chunks:n_new] = n_tok + np.cumsum(new_len) - new_len
        lengths[n_chunks:n_new] = new_len
        types[n_tok:end] = tids
        caps[n_tok:end] = np.fromiter(map(is_capitalised, new_raw), dtype=np.uint8, count=len(new_raw))
        self._n_chunk_tokens = end
        self._chunk_arrays = (starts, lengths, types, caps)

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


def _grown(arr, used, needed):
    """*arr* if it holds *needed* entries, else a copy of its first *used* with room to double (amortised growth)."""
    if needed <= len(arr):
        return arr
    out = np.zeros(max(2 * len(arr), needed, 1024), dtype=arr.dtype)
    out[:used] = arr[:used]
    return out


#: The process-wide type table used by :meth:`TokenBatch.types`.
TYPES = TypeTable()



def tokenize_batch(texts):
    """A :class:`TokenBatch` of *texts* (a list of strings)."""
    return TokenBatch(texts)
