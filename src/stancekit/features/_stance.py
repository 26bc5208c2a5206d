"""Stance cues for (sentence, target) pairs: overlap with the target, denial, negation and doubt near it."""

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted

from ._lexicon import load_lexicon, merge_lexicons, token_spans
from ._linguistic import QUOTES
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
        from ._linguistic import _merged

        lex = _merged(tuple(map(tuple, self.lexicon_entries_)))
        S = normalize(self.tfidf_.transform(sentences))
        T = normalize(self.tfidf_.transform(targets))
        cosine = np.asarray(S.multiply(T).sum(axis=1)).ravel()
        rows = []
        for k, (sent, target) in enumerate(zip(sentences, targets)):
            spans = token_spans(sent)
            toks = [t.lower() for _, _, t in spans]
            ttoks = set(_content([t.lower() for _, _, t in token_spans(target)]))
            stoks = set(_content(toks))
            inter = ttoks & stoks
            jacc = len(inter) / len(ttoks | stoks) if ttoks | stoks else 0.0
            cover = len(inter) / len(ttoks) if ttoks else 0.0
            idf_total = sum(self.idf_.get(t, 1.0) for t in ttoks)
            cover_idf = sum(self.idf_.get(t, 1.0) for t in inter) / idf_total if idf_total else 0.0
            tl = [t.lower() for _, _, t in token_spans(target)]
            tbig = set(zip(tl, tl[1:]))
            shared_bigrams = len(tbig & set(zip(toks, toks[1:])))
            near = {i for i, t in enumerate(toks) if t in ttoks}
            near_window = {j for i in near for j in range(i - self.window, i + self.window + 1)}
            counts = dict.fromkeys(("denial", "negation", "neutral", "support", "hedge"), 0)
            near_counts = dict.fromkeys(("denial", "negation", "neutral"), 0)
            clause_of = self._clauses(toks)
            target_clauses = {clause_of[i] for i in near}
            hedge_in_clause = 0
            for i, j, _, cats in lex.match_tokens(toks):
                for c in cats:
                    prefix, cat = c.split(":", 1)
                    if prefix == "s":
                        counts[cat] += 1
                        if cat in near_counts and (set(range(i, j)) & near_window):
                            near_counts[cat] += 1
                    elif prefix == "h" and cat != "approximator":
                        counts["hedge"] += 1
                        hedge_in_clause += clause_of[i] in target_clauses
            rows.append([
                cosine[k], jacc, cover, cover_idf, shared_bigrams, counts["denial"], near_counts["denial"],
                counts["negation"], near_counts["negation"], counts["neutral"], near_counts["neutral"],
                counts["support"], hedge_in_clause, float("?" in sent), float(any(t in QUOTES for t in toks)),
                cover * counts["denial"], cover * counts["neutral"], cover * counts["hedge"],
                cover * counts["negation"], float(not inter),
            ])
        return sp.csr_matrix(np.asarray(rows, dtype=float).reshape(len(rows), len(STANCE_NAMES)))

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
