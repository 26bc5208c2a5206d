"""Stance cues for (sentence, target) pairs: overlap with the target, denial, negation and doubt near it."""

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted

from ._lexicon import load_lexicon, merge_lexicons, token_spans, tokenize_batch, vectorizer_transform
from ._linguistic import _BREAK, _CONTENT, _QUOTE, QUOTES, token_flags
from ._validation import check_pairs

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
        if not isinstance(self.window, int) or self.window < 0:
            raise ValueError(f"The 'window' parameter of StanceCueFeaturizer must be an int >= 0. "
                             f"Got {self.window!r} instead.")
        self.lexicon_entries_ = sorted(set(
            merge_lexicons({"s": load_lexicon(self.lexicon or "stance"), "h": load_lexicon("hedges")}).entries()))
        self.tfidf_ = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit(sentences + sorted(set(targets)))
        vocab = self.tfidf_.vocabulary_
        self.idf_ = {term: float(self.tfidf_.idf_[i]) for term, i in vocab.items()}
        self.n_features_out_ = len(STANCE_NAMES)
        return self

    def transform(self, X):
        check_is_fitted(self, "tfidf_")
        sentences, targets = check_pairs(X)
        return self._transform_batch(tokenize_batch(sentences), targets)

    def _tfidf(self, batch):
        X = vectorizer_transform(self.tfidf_, batch)
        return normalize(self.tfidf_.transform(batch.texts) if X is None else X)

    def _transform_batch(self, batch, targets):
        """:meth:`transform` of pairs (text *d* of the TokenBatch *batch*, ``targets[d]``).

        The sentence tokens come from the batch (shared with the other
        featurizers); each distinct target is featurized once.
        """
        from ._linguistic import _merged

        lex = _merged(tuple(map(tuple, self.lexicon_entries_)))
        phrases = _stance_phrases(lex)
        unique = list(dict.fromkeys(targets))
        where = {t: k for k, t in enumerate(unique)}
        target_rows = [where[t] for t in targets]
        S = self._tfidf(batch)
        T = self._tfidf(tokenize_batch(unique))[target_rows]
        cosine = np.asarray(S.multiply(T).sum(axis=1)).ravel()
        per_target = [self._target_info(t) for t in unique]
        low, offsets = batch.lower, batch.offsets
        flags = token_flags(batch).tolist()
        matches = lex.match_batch(batch)
        window = self.window
        rows = []
        for k, sent in enumerate(batch.texts):
            ttoks, tset, tbig, idf_total = per_target[target_rows[k]]
            o, e = offsets[k], offsets[k + 1]
            toks = low[o:e]
            fl = flags[o:e]
            stoks = set([t for t, f in zip(toks, fl) if f & _CONTENT])
            inter = ttoks & stoks
            union = len(ttoks) + len(stoks) - len(inter)
            jacc = len(inter) / union if union else 0.0
            cover = len(inter) / len(ttoks) if ttoks else 0.0
            cover_idf = sum(self.idf_.get(t, 1.0) for t in inter) / idf_total if idf_total else 0.0
            shared = {(toks[i], toks[i + 1]) for i in range(len(toks) - 1) if toks[i] in tset}
            shared_bigrams = len(tbig & shared)
            near = [i for i, t in enumerate(toks) if t in ttoks]
            counts = dict.fromkeys(("denial", "negation", "neutral", "support", "hedge"), 0)
            near_counts = dict.fromkeys(("denial", "negation", "neutral"), 0)
            target_clauses = None
            hedge_in_clause = 0
            for i, j, key, _ in matches[k]:
                s_cats, n_hedge = phrases[key]
                for cat in s_cats:
                    counts[cat] += 1
                    if cat in near_counts and any(q - window <= j - 1 and q + window >= i for q in near):
                        near_counts[cat] += 1
                if n_hedge:
                    counts["hedge"] += n_hedge
                    if near:
                        if target_clauses is None:
                            clause_of = _clause_index(fl)
                            target_clauses = {clause_of[q] for q in near}
                        hedge_in_clause += n_hedge * (clause_of[i] in target_clauses)
            rows.append([
                cosine[k], jacc, cover, cover_idf, shared_bigrams, counts["denial"], near_counts["denial"],
                counts["negation"], near_counts["negation"], counts["neutral"], near_counts["neutral"],
                counts["support"], hedge_in_clause, float("?" in sent), float(any(f & _QUOTE for f in fl)),
                cover * counts["denial"], cover * counts["neutral"], cover * counts["hedge"],
                cover * counts["negation"], float(not inter),
            ])
        return sp.csr_matrix(np.asarray(rows, dtype=float).reshape(len(rows), len(STANCE_NAMES)))

    def _target_info(self, target):
        tl = [t.lower() for _, _, t in token_spans(target)]
        ttoks = set(_content(tl))
        idf_total = sum(self.idf_.get(t, 1.0) for t in ttoks)
        return ttoks, set(tl), set(zip(tl, tl[1:])), idf_total

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


def _clause_index(flags):
    """Clause number of each token (as :meth:`StanceCueFeaturizer._clauses`), from token flags."""
    clause, out = 0, []
    for f in flags:
        out.append(clause)
        if f & _BREAK:
            clause += 1
    return out


def _stance_phrases(lex):
    """Per phrase of the merged stance lexicon: its stance categories and its number of non-approximator hedge categories."""
    cached = lex.__dict__.get("_stance_phrases")
    if cached is None:
        lex._index()
        cached = {}
        for key, cats in lex._by_tokens.items():
            s_cats, n_hedge = [], 0
            for c in cats:
                prefix, cat = c.split(":", 1)
                if prefix == "s":
                    s_cats.append(cat)
                elif prefix == "h" and cat != "approximator":
                    n_hedge += 1
            cached[key] = (s_cats, n_hedge)
        lex._stance_phrases = cached
    return cached
