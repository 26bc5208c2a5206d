"""Claim-type cues read where the scheme reads them: on the main proposition, in the scheme's precedence order.

The annotation scheme (section 2) types a sentence by its *main proposition* —
the main clause, or after a reporting verb the reported content — and when it
fits several types the first of prediction > quantity > causal > opinion >
background > event wins. Whole-sentence n-grams see neither: "said" frames
every class, and a number in a relative clause or a date looks like a quantity.
:class:`ClaimTypeCueFeaturizer` splits each sentence into zones (the reporting
frame, the head clause of the main proposition, the rest of it), flags cue
families by zone, and one-hot encodes the first type whose cues fire, in the
scheme's order, on the sentence, the main proposition and its head clause.
"""

import re

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ._lexicon import load_lexicon
from ._linguistic_core import _NUMBER, MONTHS, QUOTES, _merged
from ._tokens import tokenize_batch
from ._validation import check_bool_param, check_int_param, check_real_param, check_texts

#: Claim types in the scheme's precedence order (the first whose cues fire wins).
CLAIM_TYPES = ("prediction", "quantity", "causal", "opinion", "background", "event")

#: Cue families of the ``claim_type`` lexicon, by the claim type they point to.
LEXICON_FAMILIES = {
    "prediction": ("future", "modal", "plan", "conditional"),
    "quantity": ("quantity_word", "quantity_unit", "quantity_money", "quantity_change", "quantity_compare",
                 "ranking", "small_number", "counted", "ordinal_word"),
    "causal": ("causal", "motive", "effect"),
    "opinion": ("evaluative", "deontic", "characterise"),
    "background": ("background_time", "background_state"),
    "event": ("recent_time",),
}
#: Cues found in code rather than in the lexicon (numbers, years, tense, quotation).
CODE_CUES = ("number", "percent_sign", "ordinal", "year_old", "year_recent", "since_year", "date",
             "modal_base", "modal_perfect", "past_perfect", "present_perfect", "past_copula", "present_copula",
             "past_ed", "first_person", "question")
CUES = tuple(c for fam in LEXICON_FAMILIES.values() for c in fam) + CODE_CUES
#: Zones of a sentence: its main proposition's head clause, the rest of the main proposition, the frame.
ZONES = ("head", "side", "frame")
FRAME_KINDS = ("none", "leading", "trailing", "according_to", "quote")

# Cues that decide the precedence one-hot (the "strong" evidence for each type).
_RULES = (
    ("prediction", frozenset({"future", "plan", "conditional", "modal_base"})),
    ("quantity", frozenset({"number", "percent_sign", "quantity_word", "quantity_unit", "ranking"})),
    ("causal", frozenset({"causal", "motive", "effect"})),
    ("opinion", frozenset({"evaluative", "deontic", "characterise"})),
    ("background", frozenset({"background_time", "year_old", "since_year"})),
)
_YEAR = re.compile(r"^(19\d\d|20\d\d)$")
_ORDINAL = re.compile(r"^\d+(st|nd|rd|th)$")
_MODALS = frozenset({"would", "could", "may", "might", "can", "should", "will", "must", "shall"})
_BREAKS = frozenset({",", '"', "“", "”", "—", "–", "(", ";", ":"})
_HEAD_END = frozenset({",", ";", "(", "—", "–", ":", "which", "who", "whom", "whose", "where", "when", "while",
                       "although", "though", "after", "before", "as", "since", "because", "despite", "amid",
                       "until", "unless", "if", "whereas", "and", "but"})
_INTRO = frozenset({"on", "in", "at", "during", "after", "before", "late", "early", "earlier", "last", "since",
                    "as", "while", "when", "with", "despite", "amid", "following", "although", "though", "if",
                    "unless", "because", "by", "for", "from", "under", "until", "once", "whatever", "whoever",
                    "however", "meanwhile", "still", "yet", "instead", "separately", "elsewhere"})
_NOT_PAST = frozenset({"need", "speed", "seed", "feed", "bleed", "breed", "indeed", "proceed", "succeed", "exceed",
                       "hundred", "red", "bed", "shed", "creed", "greed", "weed", "wed", "med"})
_FIRST_PERSON = frozenset({"we", "our", "us", "i", "my", "me"})


def _is_frame(cats):
    return any(c.startswith("a:verb_") or c == "a:according_to" for c in cats)


#: How :func:`proposition_zones` decides that a reporting verb after a comma ends the sentence's content.
FRAME_RULES = ("position", "segment")


def proposition_zones(tokens, matches, frame_rule="position"):
    """Zone of each token (``"head"``, ``"side"`` or ``"frame"``) and the kind of reporting frame.

    *tokens* are a sentence's lowercased tokens, *matches* its lexicon matches
    ``(i, j, phrase, categories)``. The main proposition is the reported
    content after (or before) the first reporting verb or "according to"; its
    head is the stretch up to the first comma or subordinating word.

    With ``frame_rule="position"`` a verb after a comma in the last 70 % of
    the sentence is a trailing frame ('<content>, the minister said').
    ``"segment"`` reads 'X, a spokesman for Y, said <long content>' (a short
    subject, an apposition between commas, a long stretch after the verb) as a
    leading frame instead, and does not end a head clause at the comma of a
    number the tokenizer split ('25 , 000').
    """
    n = len(tokens)
    zone = ["head"] * n
    frames = [(i, j, "a:according_to" in cats) for i, j, _, cats in matches if _is_frame(cats)]
    start, end, kind = 0, n, "none"
    if frames and n:
        i, j, according = frames[0]
        breaks = [k for k in range(i) if tokens[k] in _BREAKS]
        trailing = bool(breaks) and i >= 0.3 * n
        if trailing and frame_rule == "segment":
            stop = next((k for k in range(j, n) if tokens[k] in _BREAKS or tokens[k] in (".", "!", "?")), n)
            trailing = tokens[0] in QUOTES or not (stop - j > 5 and len(breaks) >= 2 and breaks[0] <= 8)
        if trailing:  # trailing frame: '<content>, the minister said'
            start, end = 0, breaks[-1]
            kind = "quote" if tokens[0] in QUOTES else ("according_to" if according else "trailing")
        elif according:  # 'According to X, <content>'
            comma = next((k for k in range(j, n) if tokens[k] == ","), None)
            start, kind = (comma + 1 if comma is not None else j), "according_to"
        else:  # 'The minister said (that) <content>'
            start, kind = j, "leading"
            that = next((k for k in range(j, min(n, j + 7)) if tokens[k] == "that"), None)
            if that is not None:
                start = that + 1
            elif j < n and tokens[j] in QUOTES:
                kind = "quote"
        if end <= start:
            start, end, kind = 0, n, "none"
    for k in range(n):
        if k < start or k >= end:
            zone[k] = "frame"
    k = start
    while k < end and (tokens[k] in QUOTES or tokens[k] == ","):
        k += 1
    def ends_head(m):
        if frame_rule == "segment" and tokens[m] == "," and 0 < m < n - 1 and tokens[m - 1].isdigit() \
                and tokens[m + 1].isdigit():
            return False  # '25,000', split by the tokenizer
        return tokens[m] in _HEAD_END

    head_end = next((m for m in range(k + 2, end) if ends_head(m)), end)
    if head_end < end and tokens[head_end] == "," and k < end and tokens[k] in _INTRO:
        # an introductory phrase or clause ('On Monday, ...', 'If the pipe is cut, ...'): the head follows it
        for m in range(k, head_end + 1):
            zone[m] = "side"
        k = head_end + 1
        head_end = next((m for m in range(k + 2, end) if ends_head(m)), end)
    for m in range(head_end, end):
        zone[m] = "side"
    return zone, kind


def _code_cues(tokens, k, recent_year=2023):
    """Cues of token *k* found by pattern rather than by lexicon (a year before *recent_year* is old)."""
    tok = tokens[k]
    prev = tokens[k - 1] if k else ""
    nxt = tokens[k + 1] if k + 1 < len(tokens) else ""
    out = []
    if _YEAR.match(tok):
        out.append("year_old" if int(tok) < recent_year else "year_recent")
        if prev in ("since", "from", "between"):
            out.append("since_year")
    elif _NUMBER.match(tok):
        if prev in MONTHS or nxt in MONTHS:
            out.append("date")
        else:
            out.append("number")
    elif _ORDINAL.match(tok):
        out.append("ordinal")
    elif tok == "%":
        out.append("percent_sign")
    elif tok == "may" and (_NUMBER.match(prev) or _NUMBER.match(nxt)):
        out.append("date")
    elif tok in _MODALS:
        if nxt == "have" or (nxt == "not" and k + 2 < len(tokens) and tokens[k + 2] == "have"):
            out.append("modal_perfect")
        elif tok not in ("can", "should", "must"):
            out.append("modal_base")
    elif tok == "had" and nxt.endswith(("ed", "en")) or tok == "had" and nxt == "been":
        out.append("past_perfect")
    elif tok in ("has", "have") and (nxt.endswith(("ed", "en")) or nxt == "been"):
        out.append("present_perfect")
    elif tok in ("was", "were"):
        out.append("past_copula")
    elif tok in ("is", "are"):
        out.append("present_copula")
    elif len(tok) > 4 and tok.endswith("ed") and tok not in _NOT_PAST:
        out.append("past_ed")
    if tok in _FIRST_PERSON:
        out.append("first_person")
    if tok == "?":
        out.append("question")
    return out


def _first_type(cues):
    for name, strong in _RULES:
        if cues & strong:
            return name
    return "event"


class ClaimTypeCueFeaturizer(TransformerMixin, BaseEstimator):
    """Claim-type cue flags by zone of the sentence, and the scheme's precedence rule as a one-hot.

    Each sentence is split into its reporting frame and its main proposition
    (the reported content, else the whole sentence), and the main proposition
    into its head clause and the rest (:func:`proposition_zones`). The columns
    are:

    * ``cue=<family>|<zone>``: a cue of the family (prediction, quantity,
      causal, opinion, background or event cues from the ``claim_type``
      lexicon; numbers, years, dates, tense and quotation found in code) in
      one of ``zones`` (head, side or frame), 0 or 1;
    * ``first=<type>|<scope>``: the first claim type, in the scheme's order,
      whose strong cues fire on the sentence, the main proposition or its
      head clause (``event`` when none does);
    * ``frame=<kind>``: no frame, a leading or trailing reporting verb,
      "according to", or a direct quotation;
    * with ``phrase_features``, ``phrase=<cue phrase>|<zone>`` for cue phrases
      seen at least ``min_count`` times in fit; with ``head_words``,
      ``head=<word>`` for the words of the head clause.

    Every column is multiplied by ``weight``, which sets its strength next to
    TF-IDF columns of unit norm. In grouped 5-fold cross-validation on the
    GeoNews train and dev splits, next to word and character TF-IDF with a
    logistic regression (C=4), flags of the head zone only at weight 0.1 did
    best; larger weights (0.25 and up) let the flags overfit.

    Parameters
    ----------
    zones : tuple of str, default=("head",)
        Zones whose cue flags become columns: any of "head", "side", "frame".
        The precedence one-hot always reads the head, the main proposition
        (head and side) and the whole sentence.
    weight : float, default=0.1
        Value of a set column.
    phrase_features : bool, default=False
        Add one column per (cue phrase, zone) seen ``min_count`` times.
    head_words : bool, default=False
        Add one column per head-clause word seen ``min_count`` times.
    min_count : int, default=2
        Minimum training frequency of a phrase or word column.
    lexicon : str, path or Lexicon, default=None
        Cue lexicon whose categories are the families above (default: the
        built-in ``lexicons/claim_type.tsv``); a TSV file of
        ``phrase<TAB>category`` lines or a :class:`Lexicon` replaces it.
    recent_year : int, default=2023
        A four-digit year before it is an old year (a background cue), from
        it on a recent one (GeoNews reports date from 2025 and 2026; the
        cross-validated default counts 2022 and before as old).
    frame_rule : {"position", "segment"}, default="position"
        How a reporting verb after a comma is read (see
        :func:`proposition_zones`): by its position alone, or also by the
        segments around it, which finds the content of 'X, a spokesman for
        Y, said ...' sentences.

    Examples
    --------
    >>> f = ClaimTypeCueFeaturizer().fit(["The minister said casualties would rise."])
    >>> row = dict(zip(f.get_feature_names_out(), f.transform(["Officials said exports would fall."]).toarray()[0]))
    >>> [float(row[n]) for n in ("first=prediction|main", "frame=leading", "cue=modal_base|head")]
    [0.1, 0.1, 0.1]
    """

    def __init__(self, *, zones=("head",), weight=0.1, phrase_features=False, head_words=False, min_count=2,
                 lexicon=None, recent_year=2023, frame_rule="position"):
        self.zones = zones
        self.weight = weight
        self.phrase_features = phrase_features
        self.head_words = head_words
        self.min_count = min_count
        self.lexicon = lexicon
        self.recent_year = recent_year
        self.frame_rule = frame_rule

    def _check_params(self):
        if isinstance(self.zones, str) or not hasattr(self.zones, "__iter__") or not set(self.zones) <= set(ZONES):
            raise ValueError(f"The 'zones' parameter of {type(self).__name__} must be a tuple of zones from "
                             f"{list(ZONES)}. Got {self.zones!r} instead.")
        owner = type(self).__name__
        check_real_param(owner, "weight", self.weight, low=0, low_open=True)
        if self.frame_rule not in FRAME_RULES:
            raise ValueError(f"The 'frame_rule' parameter of {type(self).__name__} must be one of "
                             f"{list(FRAME_RULES)}. Got {self.frame_rule!r} instead.")
        for name in ("phrase_features", "head_words"):
            check_bool_param(owner, name, getattr(self, name))
        check_int_param(owner, "min_count", self.min_count, minimum=1)
        check_int_param(owner, "recent_year", self.recent_year)

    def fit(self, X, y=None):
        self._check_params()
        texts = check_texts(X)
        zones = tuple(self.zones)
        fixed = [f"cue={c}|{z}" for c in CUES for z in ZONES if z in zones]
        fixed += [f"first={t}|{s}" for s in ("sentence", "main", "head") for t in CLAIM_TYPES]
        fixed += [f"frame={k}" for k in FRAME_KINDS]
        self.fixed_names_ = fixed
        # read once here and kept with the model, as LinguisticFeatures does: transform never reads a file
        named = {"t": load_lexicon("claim_type" if self.lexicon is None else self.lexicon),
                 "a": load_lexicon("attribution")}
        self.lexicon_entries_ = sorted({(p, f"{prefix}:{c}") for prefix, lex in named.items() for p, c in lex.entries()})
        self.phrase_vocabulary_ = []
        if self.phrase_features or self.head_words:
            counts = {}
            for _, phrases in self._analyse(texts):
                for p in phrases:
                    counts[p] = counts.get(p, 0) + 1
            self.phrase_vocabulary_ = sorted(p for p, c in counts.items() if c >= self.min_count)
        return self

    def _analyse(self, texts):
        """Per text: the set of fixed column names that fire, and the set of phrase keys."""
        lex = _merged(tuple(map(tuple, self.lexicon_entries_)))
        batch = tokenize_batch(texts)
        low, offsets = batch.lower, batch.offsets
        out = []
        for d, matches in enumerate(lex.match_batch(batch)):
            tokens = low[offsets[d]:offsets[d + 1]]
            zone, kind = proposition_zones(tokens, matches, self.frame_rule)
            cues = {z: set() for z in ZONES}
            phrases = set()
            for i, j, key, cats in matches:
                z = zone[i]
                for c in cats:
                    if c.startswith("t:"):
                        cues[z].add(c[2:])
                if self.phrase_features and z in self.zones and any(c.startswith("t:") for c in cats):
                    phrases.add(f"phrase={' '.join(key)}|{z}")
            if self.head_words:
                phrases.update(f"head={t}" for t, z in zip(tokens, zone) if z == "head" and t[:1].isalpha())
            for k in range(len(tokens)):
                cues[zone[k]].update(_code_cues(tokens, k, self.recent_year))
            main = cues["head"] | cues["side"]
            fired = {f"cue={c}|{z}" for z in ZONES for c in cues[z]}
            fired.add(f"first={_first_type(main | cues['frame'])}|sentence")
            fired.add(f"first={_first_type(main)}|main")
            fired.add(f"first={_first_type(cues['head'])}|head")
            fired.add(f"frame={kind}")
            out.append((fired, phrases))
        return out

    def transform(self, X):
        check_is_fitted(self, "fixed_names_")
        texts = check_texts(X)
        index = {n: k for k, n in enumerate(self.fixed_names_)}
        n_fixed = len(index)
        index.update({p: n_fixed + k for k, p in enumerate(self.phrase_vocabulary_)})
        rows, cols = [], []
        for d, (fired, phrases) in enumerate(self._analyse(texts) if texts else []):
            found = sorted(index[n] for n in fired | phrases if n in index)
            rows.extend([d] * len(found))
            cols.extend(found)
        data = np.full(len(rows), float(self.weight))
        return sp.csr_matrix((data, (rows, cols)), shape=(len(texts), len(index)))

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "fixed_names_")
        return np.asarray(self.fixed_names_ + self.phrase_vocabulary_, dtype=object)
