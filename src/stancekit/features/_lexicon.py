"""Lexicons as data files, matched token by token in one pass (tokenisation: _tokens.py; n-gram counts: _ngrams.py)."""

from functools import lru_cache
from importlib import resources
from itertools import compress
from pathlib import Path

import numpy as np

from ._tokens import _TOKEN_RE, TOKEN_PATTERN, TYPES, searchsorted, token_spans


def __getattr__(name):
    # TOKENIZER is created on first use: importing NLTK costs a process about 0.3 s of start-up, and
    # stancekit's own paths tokenize with the identical compiled pattern (tests compare the two).
    if name == "TOKENIZER":
        from nltk.tokenize import RegexpTokenizer

        tokenizer = globals()["TOKENIZER"] = RegexpTokenizer(TOKEN_PATTERN)
        return tokenizer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


BUILTIN_LEXICONS = ("hedges", "boosters", "attribution", "claims", "stance", "countries", "claim_type",
                    "claim_type_additions", "claim_type_extended")
#: Built-in lexicons made of others (their entries together), not files of their own.
_COMPOSED_LEXICONS = {"claim_type_extended": ("claim_type", "claim_type_additions")}


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
            if isinstance(entry, str) or not hasattr(entry, "__len__") or len(entry) != 2 \
                    or not all(isinstance(x, str) and x.strip() for x in entry):
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
                key = tuple(t.lower() for t in _TOKEN_RE.findall(phrase))
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
    if name in _COMPOSED_LEXICONS:
        return Lexicon([e for part in _COMPOSED_LEXICONS[name] for e in _builtin(part).entries()], name=name)
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
    if isinstance(spec, bytes) or not hasattr(spec, "__iter__"):
        raise ValueError(f"lexicon must be one of {list(BUILTIN_LEXICONS)}, a TSV file path, a Lexicon, a dict or "
                         f"(phrase, category) pairs; got {type(spec).__name__} {spec!r:.60}")
    return Lexicon(list(spec))


def merge_lexicons(named):
    """Merge ``{prefix: Lexicon}`` into one Lexicon whose categories are ``prefix:category``."""
    entries = []
    for prefix, lex in named.items():
        entries.extend((p, f"{prefix}:{c}") for p, c in lex.entries())
    return Lexicon(entries, name="+".join(named))
