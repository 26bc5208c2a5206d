"""TokenBatch: chunk-cached tokenisation gives exactly the tokens of the pattern run over each text."""

import sys
from itertools import accumulate

import pytest

from stancekit.features._tokens import _TOKEN_RE, TYPES, TypeTable, is_capitalised, tokenize_batch

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings, strategies as st  # noqa: E402

ALPHABET = list("ab Z-'’.,;_1é\t\nΣς") + ["\x00", "\u00a0", "\u2003", "\x1c", "\u3000", "\U0001F600", "\u0130"]


def _expected(texts):
    raw = [_TOKEN_RE.findall(t) for t in texts]
    return ([t.lower() for toks in raw for t in toks], [0, *accumulate(map(len, raw))],
            [is_capitalised(t) for toks in raw for t in toks])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(ALPHABET), max_size=40), min_size=1, max_size=6))
def test_tokens_equal_the_pattern_over_each_text(texts):
    with TYPES.session():
        batch = tokenize_batch(texts)
        lower, offsets, caps = _expected(texts)
        assert [TYPES.tokens[i] for i in batch.types()] == lower
        assert batch.offsets == offsets
        assert batch.caps().tolist() == caps
        assert batch.lower == lower
        assert batch.raw == [t for x in texts for t in _TOKEN_RE.findall(x)]


def test_whitespace_of_split_and_pattern_agree():
    # the chunk cache relies on str.split() and the pattern's \s agreeing on every character
    import re

    space = re.compile(r"\s")
    assert not [c for c in range(sys.maxunicode + 1)
                if not 0xD800 <= c <= 0xDFFF and chr(c).isspace() != bool(space.match(chr(c)))]


def test_chunks_reset_with_the_type_table():
    table = TypeTable(limit=10, chunk_limit=3)
    table.chunk_table(["alpha", "beta,", "gamma", "delta"])
    gen = table.generation
    with table.session():
        pass
    assert table.generation == gen + 1 and not table.chunks and not table.tokens
    ids, start, length, types, caps = table.chunk_table(["U.S.-backed", "x"])
    toks = [table.tokens[t] for t in types[start[ids[0]]:start[ids[0]] + length[ids[0]]]]
    assert toks == ["u", ".", "s", ".", "-", "backed"]
    assert caps[start[ids[0]]] == 0 and length[ids[1]] == 1


WORDS = ["a", "b", "c", "d", "no", "doubt"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4), st.sampled_from("xyz")),
                min_size=1, max_size=12),
       st.lists(st.lists(st.sampled_from(WORDS + [",", "Doubt"]), max_size=15), min_size=1, max_size=5))
def test_array_matching_equals_greedy_token_matching(entries, docs):
    from stancekit.features._lexicon import Lexicon, match_arrays

    lex = Lexicon([(" ".join(p), c) for p, c in entries])
    texts = [" ".join(d) for d in docs]
    with TYPES.session():
        batch = tokenize_batch(texts)
        keys = lex.phrase_keys()
        doc, i, j, phrase = match_arrays(lex, batch)
        got = [(int(d), int(a), int(b), keys[p]) for d, a, b, p in zip(doc, i, j, phrase)]
        want = [(d, a, b, key) for d, text in enumerate(texts)
                for a, b, key, _ in lex.match_tokens([t.lower() for t in _TOKEN_RE.findall(text)])]
        assert got == want


def test_empty_batch_and_separator_in_text():
    with TYPES.session():
        assert tokenize_batch([]).offsets == [0]
        batch = tokenize_batch(["a\x00b", "", "c d"])
        assert [TYPES.tokens[i] for i in batch.types()] == ["a", "\x00", "b", "c", "d"]
        assert batch.offsets == [0, 3, 3, 5]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["well-known", "it's", "a", "x-y-zz", "ab'cd", "Ab", "O'Neil", "ab", "-",
                                          "n’t", "pre-war", "ΣΑΣ"]), max_size=12), min_size=1, max_size=5),
       st.sampled_from([(1, 1), (1, 2), (1, 3), (2, 3), (3, 3)]))
def test_shared_tokens_give_the_scikit_learn_matrix(docs, ngram_range):
    from sklearn.feature_extraction.text import TfidfVectorizer

    from stancekit.features._ngrams import vectorizer_transform

    texts = [" ".join(d) for d in docs]
    vocab_texts = ["well known it ab cd zz pre war neil ab cd", "x-y-zz well-known ab'cd σας", "it's well known ab"]
    vec = TfidfVectorizer(ngram_range=ngram_range).fit(vocab_texts)
    with TYPES.session():
        got = vectorizer_transform(vec, tokenize_batch(texts))
    want = vec.transform(texts)
    assert (got != want).nnz == 0


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from([c for c in ALPHABET if c != "\x1c"]), max_size=60))
def test_nltk_tokenizer_and_the_compiled_pattern_agree(text):
    # NLTK compiles the pattern with the third-party ``regex`` engine, whose \s excludes the ASCII
    # separators U+001C-U+001F that Python's ``re`` (and str.split) treat as whitespace; elsewhere they agree.
    from nltk.tokenize import RegexpTokenizer

    from stancekit.features import TOKENIZER

    assert isinstance(TOKENIZER, RegexpTokenizer)
    assert TOKENIZER.tokenize(text) == _TOKEN_RE.findall(text)


def test_lexicon_phrases_tokenize_as_nltk_does():
    from stancekit.features import TOKENIZER
    from stancekit.features._lexicon import BUILTIN_LEXICONS, load_lexicon

    for name in BUILTIN_LEXICONS:
        lex = load_lexicon(name)
        for phrase, _ in lex.entries():
            assert TOKENIZER.tokenize(phrase) == _TOKEN_RE.findall(phrase), (name, phrase)


def test_labeling_does_not_import_nltk():
    import subprocess

    code = ("import sys\nfrom stancekit.features import Lexicon\n"
            "lex = Lexicon([('no doubt', 'booster'), ('may', 'modal')])\n"
            "assert [m[3] for m in lex.finditer('There is no doubt it may rain')] == [('booster',), ('modal',)]\n"
            "import stancekit.analyzer\nprint('nltk' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
