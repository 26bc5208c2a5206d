"""Lexicon-based linguistic featurizers for hedging, attribution and claim type.

Every featurizer tokenizes a sentence once and matches all of its lexicons in
one pass (a merged :class:`~stancekit.features.Lexicon`); the families it
computes are plain functions over that shared analysis. :class:`LinguisticFeatures`
computes several families from the same single pass, which is what the
:class:`~stancekit.Analyzer` uses.
"""

import re
import weakref
from collections import Counter
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.utils.validation import check_is_fitted

from ._lexicon import Lexicon, load_lexicon, match_arrays
from ._tokens import TYPES, is_capitalised, searchsorted, token_spans, tokenize_batch, unique_ints
from ._validation import check_texts

HEDGE_CATEGORIES = ("epistemic_modal", "epistemic_verb", "adverb_adjective", "noun", "approximator",
                    "conditional", "uncertain_attribution", "unverified")
ATTRIBUTION_CATEGORIES = ("verb_neutral", "verb_assertive", "verb_doubt", "verb_opinion", "verb_accuse",
                          "verb_denial", "according_to", "source_vague", "source_title", "source_office",
                          "source_agency", "source_statement")
CLAIM_CATEGORIES = ("future", "conditional", "causal", "evaluative", "quantity_unit", "quantity_currency",
                    "quantity_word", "quantity_change", "quantity_compare", "background")
NEGATORS = frozenset({"not", "no", "never", "n't", "nor", "neither", "without", "hardly", "nobody", "none"})
QUOTES = frozenset('"“”‘’«»')
PRONOUNS = frozenset({"he", "she", "they", "we", "i"})
FIRST_PERSON = frozenset({"we", "our", "us", "i", "my", "me", "ours"})
MONTHS = frozenset("january february march april may june july august september october november december "
                   "jan feb mar apr jun jul aug sep sept oct nov dec".split())
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
RECENT = frozenset({"yesterday", "today", "tonight", "overnight", "earlier", "last", "recent", "recently"})
_NUMBER = re.compile(r"^\d[\d,.]*$")
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")

#: Lexicon files each family reads, by prefix.
FAMILY_LEXICONS = {
    "hedge": {"h": "hedges", "b": "boosters", "a": "attribution"},
    "attribution": {"a": "attribution", "c": "countries"},
    "claim": {"k": "claims"},
}


class Analysis:
    """One sentence, tokenized once and matched once against a merged lexicon."""

    __slots__ = ("text", "spans", "tokens", "matches", "n")

    def __init__(self, text, lexicon):
        self.text = text
        self.spans = token_spans(text)
        self.tokens = [t.lower() for _, _, t in self.spans]
        self.n = len(self.tokens)
        self.matches = lexicon.match_tokens(self.tokens)

    def with_prefix(self, prefix):
        """Matches whose categories include one from lexicon *prefix*, as (i, j, [categories])."""
        p = prefix + ":"
        out = []
        for i, j, _, cats in self.matches:
            mine = [c[len(p):] for c in cats if c.startswith(p)]
            if mine:
                out.append((i, j, mine))
        return out

    def char_span(self, i, j):
        return self.spans[i][0], self.spans[j - 1][1]


def _reported_region(a, n):
    """Token range of reported content, from the first reporting verb, or None.

    A trailing frame ("..., officials said") makes the part before the verb the
    reported content; a leading one ("X said that ...") the part after it.
    """
    verbs = [(i, j) for i, j, cats in a.with_prefix("a")
             if any(c.startswith("verb_") or c == "according_to" for c in cats)]
    if not verbs or n == 0:
        return None
    i, j = verbs[0]
    if i / n > 0.5:
        return 0, i
    return j, n


def _negated(tokens, i, window=3):
    return any(t in NEGATORS for t in tokens[max(0, i - window):i])


def hedge_bag(a):
    """Sparse features: each hedge/booster phrase with its clause position and negation."""
    region = _reported_region(a, a.n)
    bag = {}
    for i, j, _, cats in a.matches:
        if not any(c.startswith(("h:", "b:")) for c in cats):
            continue
        phrase = " ".join(a.tokens[i:j])
        where = "reported" if region is not None and region[0] <= i < region[1] else "main"
        bag[f"cue={phrase}|{where}"] = 1.0
        if _negated(a.tokens, i):
            bag[f"cue=not {phrase}"] = 1.0
    return bag


def hedge_family(a):
    counts = Counter()
    hedges = a.with_prefix("h")
    region = _reported_region(a, a.n)
    positions = []
    for i, j, cats in hedges:
        for c in cats:
            counts[c] += 1
        if _negated(a.tokens, i):
            counts["negated"] += 1
        if region is not None and region[0] <= i < region[1]:
            counts["reported_clause"] += 1
        else:
            counts["main_clause"] += 1
        positions.append(i / max(a.n, 1))
    for i, j, cats in a.with_prefix("b"):
        for c in cats:
            counts[c] += 1
    values = [counts[c] for c in HEDGE_CATEGORIES]
    values += [counts["booster"], counts["negated_doubt"], float(bool(hedges)), len(hedges), counts["negated"],
               counts["main_clause"], counts["reported_clause"],
               float(any(p < 1 / 3 for p in positions)), float(any(p >= 2 / 3 for p in positions)),
               float(region is not None)]
    return values


HEDGE_NAMES = [f"hedge_{c}" for c in HEDGE_CATEGORIES] + [
    "booster", "negated_doubt", "hedge_any", "hedge_total", "hedge_negated", "hedge_main_clause",
    "hedge_reported_clause", "hedge_in_first_third", "hedge_in_last_third", "has_reporting_frame"]


_is_cap = is_capitalised


def attribution_family(a):
    counts = Counter()
    verbs, named_pos = [], set()
    for i, j, cats in a.with_prefix("a"):
        for c in cats:
            counts[c] += 1
        if any(c.startswith("verb_") or c == "according_to" for c in cats):
            verbs.append((i, j))
        if any(c in ("source_title", "source_office", "source_agency") for c in cats):
            named_pos.update(range(i, j))
    for i, j, cats in a.with_prefix("c"):
        for c in cats:
            counts[f"country_{c}"] += 1
        named_pos.update(range(i, j))
    raw = [t for _, _, t in a.spans]
    cap_runs, run = 0, 0
    for k, tok in enumerate(raw):
        if k > 0 and _is_cap(tok):
            run += 1
            named_pos.add(k)
        else:
            cap_runs += run >= 2
            run = 0
    cap_runs += run >= 2
    vague_pos = {k for i, j, cats in a.with_prefix("a") if "source_vague" in cats for k in range(i, j)}
    near_named = near_vague = pronoun = 0
    for i, j in verbs:
        window = set(range(max(0, i - 4), min(a.n, j + 4)))
        near_named += bool(window & named_pos)
        near_vague += bool(window & vague_pos)
        pronoun += any(a.tokens[k] in PRONOUNS for k in window)
    n = max(a.n, 1)
    quote_chars = sum(1 for _, _, t in a.spans if t in QUOTES)
    values = [counts[c] for c in ATTRIBUTION_CATEGORIES]
    values += [counts["country_state"], counts["country_capital"], counts["country_demonym"], cap_runs,
               float(quote_chars > 0), float(bool(raw) and raw[0] in QUOTES), float(bool(verbs)),
               float(any(i / n > 0.6 for i, _ in verbs)), float(any(i / n < 0.3 for i, _ in verbs)),
               near_named, near_vague, pronoun]
    return values


_STOP_SUBJECT = frozenset({",", ".", '"', "“", "”", "'", ";", ":", "(", ")"})


def attribution_bag(a):
    """Sparse features: the words around each reporting verb (its likely subject) and the verb itself."""
    bag = {}
    for i, j, cats in a.with_prefix("a"):
        if not any(c.startswith("verb_") or c == "according_to" for c in cats):
            continue
        verb = " ".join(a.tokens[i:j])
        bag[f"verb={verb}"] = 1.0
        if verb == "according to":
            window = a.tokens[j:j + 5]
            raw = [t for _, _, t in a.spans[j:j + 5]]
        else:
            start = i
            while start > 0 and i - start < 5 and a.tokens[start - 1] not in _STOP_SUBJECT:
                start -= 1
            window, raw = a.tokens[start:i], [t for _, _, t in a.spans[start:i]]
            if not window:  # inverted order: '..., said the minister'
                window = [t for t in a.tokens[j:j + 4] if t not in _STOP_SUBJECT]
                raw = [t for _, _, t in a.spans[j:j + 4] if t not in _STOP_SUBJECT]
        for tok, rtok in zip(window, raw):
            bag[f"subj={tok}"] = 1.0
            if _is_cap(rtok):
                bag["subj_capitalised"] = 1.0
        if window:
            bag[f"subj_head={window[-1]}"] = 1.0
            bag[f"subj_first={window[0]}"] = 1.0
    return bag


ATTRIBUTION_NAMES = [f"attr_{c}" for c in ATTRIBUTION_CATEGORIES] + [
    "attr_state", "attr_capital", "attr_demonym", "attr_capitalised_names", "attr_has_quote",
    "attr_starts_with_quote", "attr_has_reporting_verb", "attr_trailing_verb", "attr_leading_verb",
    "attr_named_near_verb", "attr_vague_near_verb", "attr_pronoun_near_verb"]


def claim_family(a, reference_year):
    counts = Counter()
    for i, j, cats in a.with_prefix("k"):
        for c in cats:
            counts[c] += 1
    numbers = years = past_years = this_year = months = weekdays = recent = 0
    superlative = first_person = 0
    for k, tok in enumerate(a.tokens):
        if _YEAR.match(tok):
            years += 1
            if reference_year and int(tok) <= reference_year - 2:
                past_years += 1
            elif reference_year and int(tok) >= reference_year - 1:
                this_year += 1
        elif _NUMBER.match(tok):
            if not (k > 0 and a.tokens[k - 1] in MONTHS) and not (k + 1 < a.n and a.tokens[k + 1] in MONTHS):
                numbers += 1
        if tok in MONTHS and tok != "may":
            months += 1
        weekdays += tok in WEEKDAYS
        recent += tok in RECENT
        first_person += tok in FIRST_PERSON
        superlative += len(tok) > 5 and tok.endswith("est") and tok not in ("interest", "protest", "arrest",
                                                                                "request", "suggest", "west")
    values = [counts[c] for c in CLAIM_CATEGORIES]
    values += [numbers, float(numbers > 0), years, past_years, this_year, months, weekdays, recent,
               superlative, first_person, float("?" in a.text), float(any(t in QUOTES for t in a.tokens))]
    return values


def claim_bag(a):
    """Sparse features: how the sentence and its reported content begin."""
    bag = {}
    if a.tokens:
        bag[f"start={a.tokens[0]}"] = 1.0
        bag[f"start2={' '.join(a.tokens[:2])}"] = 1.0
    region = _reported_region(a, a.n)
    if region is not None and region[1] > region[0]:
        content = [t for t in a.tokens[region[0]:region[1]] if t not in ("that", ",", '"', "“", "”")]
        if content:
            bag[f"content_start={content[0]}"] = 1.0
            bag[f"content_start2={' '.join(content[:2])}"] = 1.0
    for i, j, cats in a.with_prefix("k"):
        where = "reported" if region is not None and region[0] <= i < region[1] else "main"
        for c in cats:
            bag[f"{c}={' '.join(a.tokens[i:j])}|{where}"] = 1.0
    for k, tok in enumerate(a.tokens):
        if _NUMBER.match(tok) and not _YEAR.match(tok):
            bag[f"num_prev={a.tokens[k - 1] if k else '<s>'}"] = 1.0
            bag[f"num_next={a.tokens[k + 1] if k + 1 < a.n else '</s>'}"] = 1.0
            bag[f"num_third={min(3 * k // max(a.n, 1), 2)}"] = 1.0
    return bag


CLAIM_NAMES = [f"claim_{c}" for c in CLAIM_CATEGORIES] + [
    "claim_numbers", "claim_has_number", "claim_years", "claim_past_years", "claim_current_years",
    "claim_months", "claim_weekdays", "claim_recent_markers", "claim_superlatives", "claim_first_person",
    "claim_question", "claim_quote"]

FAMILIES = {"hedge": HEDGE_NAMES, "attribution": ATTRIBUTION_NAMES, "claim": CLAIM_NAMES}
BAGS = {"hedge": hedge_bag, "attribution": attribution_bag, "claim": claim_bag}


@lru_cache(maxsize=16)
def _merged(entries):
    return Lexicon(entries, name="merged")


class LinguisticFeatures(TransformerMixin, BaseEstimator):
    """Hedge, attribution and claim-type cue features from one tokenization and one lexicon pass.

    Parameters
    ----------
    families : tuple of str, default=("hedge", "attribution", "claim")
        Which feature families to compute.
    lexicons : dict, default=None
        Replacement lexicons by file name (``"hedges"``, ``"boosters"``,
        ``"attribution"``, ``"claims"``, ``"countries"``): each value a TSV path,
        a :class:`Lexicon` or a list of ``(phrase, category)`` pairs.
    reference_year : int, default=None
        Year of reporting, for "past year" features; ``None`` learns the most
        frequent year in the training text.
    context_features : bool, default=True
        Add sparse, learned-vocabulary features that locate the cues: each
        hedge phrase with its clause (main or reported) and negation, the
        words around each reporting verb (its likely subject), and how the
        sentence and its reported content begin.
    min_count : int, default=2
        Minimum training count of a context feature.
    scale : bool, default=True
        Divide each count feature by its largest training value, so counts sit
        in [0, 1] next to TF-IDF columns (as scikit-learn's ``MaxAbsScaler``).

    Examples
    --------
    >>> from stancekit.features import LinguisticFeatures
    >>> f = LinguisticFeatures(families=("hedge",)).fit(["It may rain."])
    >>> dict(zip(f.get_feature_names_out(), f.transform(["It may rain."]).toarray()[0]))["hedge_epistemic_modal"]
    1.0
    """

    def __init__(self, *, families=("hedge", "attribution", "claim"), lexicons=None, reference_year=None,
                 context_features=True, min_count=2, scale=True):
        self.families = families
        self.lexicons = lexicons
        self.reference_year = reference_year
        self.context_features = context_features
        self.min_count = min_count
        self.scale = scale

    def _check_params(self):
        fams = (self.families,) if isinstance(self.families, str) else tuple(self.families)
        unknown = [f for f in fams if f not in FAMILIES]
        if unknown or not fams:
            raise ValueError(f"The 'families' parameter of {type(self).__name__} must be a non-empty subset of "
                             f"{list(FAMILIES)}. Got {self.families!r} instead.")
        lexicons = dict(self.lexicons or {})
        known = {name for fam in FAMILY_LEXICONS.values() for name in fam.values()}
        for key in lexicons:
            if key not in known:
                raise ValueError(f"The 'lexicons' parameter of {type(self).__name__} has unknown key {key!r}; "
                                 f"expected some of {sorted(known)}.")
        return fams, lexicons

    def fit(self, X, y=None):
        texts = check_texts(X)
        fams, overrides = self._check_params()
        entries = []
        for fam in fams:
            for prefix, name in FAMILY_LEXICONS[fam].items():
                lex = load_lexicon(overrides.get(name, name))
                entries.extend((p, f"{prefix}:{c}") for p, c in lex.entries())
        self.families_ = list(fams)
        self.lexicon_entries_ = sorted(set(entries))
        if self.reference_year is None:
            years = Counter(int(m) for t in texts for m in re.findall(r"\b(?:19|20)\d\d\b", t))
            self.reference_year_ = years.most_common(1)[0][0] if years else 0
        else:
            self.reference_year_ = int(self.reference_year)
        self.context_vocabulary_ = []
        self.scale_ = []
        analyses = self.analyses(texts)
        if self.scale and analyses:
            dense = np.asarray([self._dense_row(a) for a in analyses], dtype=float)
            self.scale_ = np.maximum(np.abs(dense).max(axis=0), 1.0).tolist()
        if self.context_features:
            counts = Counter()
            for a in analyses:
                for fam in self.families_:
                    counts.update(BAGS[fam](a))
            self.context_vocabulary_ = sorted(k for k, n in counts.items() if n >= self.min_count)
        self.n_features_out_ = sum(len(FAMILIES[f]) for f in self.families_) + len(self.context_vocabulary_)
        return self

    def analyses(self, X):
        """Tokenize and match each text once; reusable by several families."""
        check_is_fitted(self, "lexicon_entries_")
        lex = _merged(tuple(map(tuple, self.lexicon_entries_)))
        return [Analysis(t, lex) for t in check_texts(X)]

    def _dense_row(self, a):
        row = []
        for fam in self.families_:
            if fam == "hedge":
                row += hedge_family(a)
            elif fam == "attribution":
                row += attribution_family(a)
            else:
                row += claim_family(a, self.reference_year_)
        return row

    def transform(self, X):
        check_is_fitted(self, "lexicon_entries_")
        texts = check_texts(X)
        with TYPES.session():
            return self._transform_batch(tokenize_batch(texts))

    def _transform_batch(self, batch):
        """:meth:`transform` of a TokenBatch (tokens shared with other featurizers)."""
        dense, bag_keys = _batch_features(self, batch)
        if len(self.scale_):
            dense = dense / np.asarray(self.scale_)
        dense = sp.csr_matrix(dense)
        if not self.context_vocabulary_:
            return dense
        n_bags = len(self.context_vocabulary_)
        keys = unique_ints(np.asarray(bag_keys, dtype=np.int64))
        indptr = np.searchsorted(keys // n_bags, np.arange(len(batch) + 1))
        bags = sp.csr_matrix((np.ones(len(keys)), keys % n_bags, indptr), shape=(len(batch), n_bags))
        return sp.hstack([dense, bags], format="csr")

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "lexicon_entries_")
        return np.asarray([n for f in self.families_ for n in FAMILIES[f]] + list(self.context_vocabulary_),
                          dtype=object)

    def cue_spans(self, text):
        """Lexicon matches in *text* as ``(start, end, lexicon:category)``, for explanations."""
        [a] = self.analyses([text])
        out = []
        for i, j, _, cats in a.matches:
            start, end = a.char_span(i, j)
            out.extend((start, end, c) for c in cats)
        return out


class HedgeCueFeaturizer(LinguisticFeatures):
    """Hedge cues by category, boosters and negated doubt, negation and clause position.

    Same parameters as :class:`LinguisticFeatures`, with ``families=("hedge",)``.
    """

    def __init__(self, *, families=("hedge",), lexicons=None, reference_year=None, context_features=True,
                 min_count=2, scale=True):
        super().__init__(families=families, lexicons=lexicons, reference_year=reference_year,
                         context_features=context_features, min_count=min_count, scale=scale)


class AttributionFeaturizer(LinguisticFeatures):
    """Reporting verbs by kind, quotation, "according to", named vs vague source patterns."""

    def __init__(self, *, families=("attribution",), lexicons=None, reference_year=None, context_features=True,
                 min_count=2, scale=True):
        super().__init__(families=families, lexicons=lexicons, reference_year=reference_year,
                         context_features=context_features, min_count=min_count, scale=scale)


class ClaimCueFeaturizer(LinguisticFeatures):
    """Quantities, time and future/conditional markers, causal connectives, evaluative words."""

    def __init__(self, *, families=("claim",), lexicons=None, reference_year=None, context_features=True,
                 min_count=2, scale=True):
        super().__init__(families=families, lexicons=lexicons, reference_year=reference_year,
                         context_features=context_features, min_count=min_count, scale=scale)


# --- batch path: the features of many texts at once, identical to the per-sentence functions above ----------

_NEG, _PRON, _QUOTE, _MONTH, _MONTHC, _WEEKDAY, _RECENT, _FIRSTP, _SUPER, _YEARF, _NUMF, _CONTENT, _BREAK, _STOP, \
    _NOTCONTENT = (1 << k for k in range(15))
_YEAR_SHIFT, _YEAR_BASE = 16, 1700
#: Tokens that end a clause, for the stance featurizer.
CLAUSE_BREAKS = frozenset({",", ";", ":", "but", "while", "although", "whereas"})
_NOT_SUPERLATIVE = ("interest", "protest", "arrest", "request", "suggest", "west")
_NOT_CONTENT = ("that", ",", '"', "“", "”")


def _type_flags(tok):
    """Everything the families ask of a lowercased token, as bit flags (and the year, if it is one)."""
    f = 0
    if tok in NEGATORS:
        f |= _NEG
    if tok in PRONOUNS:
        f |= _PRON
    if tok in QUOTES:
        f |= _QUOTE
    if tok in MONTHS:
        f |= _MONTH | (_MONTHC if tok != "may" else 0)
    if tok in WEEKDAYS:
        f |= _WEEKDAY
    if tok in RECENT:
        f |= _RECENT
    if tok in FIRST_PERSON:
        f |= _FIRSTP
    if len(tok) > 5 and tok.endswith("est") and tok not in _NOT_SUPERLATIVE:
        f |= _SUPER
    if tok.isalnum() and tok not in ENGLISH_STOP_WORDS:
        f |= _CONTENT
    if tok in CLAUSE_BREAKS:
        f |= _BREAK
    if tok in _STOP_SUBJECT:
        f |= _STOP
    if tok in _NOT_CONTENT:
        f |= _NOTCONTENT
    if _YEAR.match(tok):
        f |= _YEARF | ((int(tok) - _YEAR_BASE) << _YEAR_SHIFT)
    elif _NUMBER.match(tok):
        f |= _NUMF
    return f




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
