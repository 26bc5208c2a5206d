"""The data and the per-sentence functions of the linguistic featurizers (no scikit-learn import).

Shared by :mod:`._linguistic` (the transformers) and :mod:`._linguistic_batch`
(their batch computation), and importable without scikit-learn for the
compiled predictor (:mod:`stancekit._compiled`).
"""

import re
from collections import Counter
from functools import lru_cache

from ._lexicon import Lexicon
from ._tokens import is_capitalised, token_spans

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
