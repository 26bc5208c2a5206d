"""Lexicons as data files, compiled into one regular expression each for one-pass matching."""

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

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


_TOKEN_RE = re.compile(TOKEN_PATTERN)


def token_spans(text):
    """``(start, end, token)`` for each token of *text* (the TOKENIZER's pattern, one regex pass)."""
    return [(m.start(), m.end(), m.group(0)) for m in _TOKEN_RE.finditer(text)]


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
