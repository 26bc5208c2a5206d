"""Fifth model-selection round for SemEval-2016 Task 6A (issue 7). The test split is never read.

Run from the repository root (about 15 minutes on 2 cores):

    python experiments/selection/semeval2016_round5.py --data-dir ../shared/benchmarks

Protocol, as in rounds 1 to 4 (see experiments/external/semeval2016.toml):
fit on TweetEval's train split and score F_avg on its val split; grouped
stratified 5-fold CV on train (fold seed 13, groups = the loader's tweet
hash), F_avg of the pooled out-of-fold predictions. The reference is the
chosen model (experiments/selection/semeval2016__chosen.toml), rebuilt here
from the same registry so the first row must equal that run's val and cv.
The bar for another reading of the test split: the mean of val and CV at
least 1.0 above the reference's, with neither lower.

Candidates are ideas not tried in rounds 1 to 4: stemmed or negation-marked
word blocks, a cased word block, a latent semantic (SVD) block, a block of
hashtag character n-grams, and per-target stacking of separate word and
character SVMs. The last row rebuilds round 4's best candidate (an
equal-weight average of the SVM's, a ridge classifier's and an averaged SGD
hinge model's decision scores) and scores it on a second fold seed too.
"""

import argparse
import re
import sys
import time

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from nltk.stem import SnowballStemmer
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin, clone
from sklearn.decomposition import TruncatedSVD
from sklearn.linear_model import LogisticRegression, RidgeClassifier, SGDClassifier
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from stancekit.evaluation import semeval_f_avg
from stancekit.experiments import load_config
from stancekit.experiments._registry import FEATURIZERS, make_featurizer
from stancekit.experiments._runner import DataSource
from stancekit.features import PairVectorizer

SEED = 13
REFERENCE = "experiments/selection/semeval2016__chosen.toml"
_TOKEN = re.compile(r"#\w+|@\w+|\w+(?:'\w+)?|[^\w\s]")
_NEGATION = re.compile(r"^(?:not|no|never|nothing|nobody|none|nor|neither|cannot|without|\w+n't)$", re.I)
_CLAUSE_END = re.compile(r"^[.,:;!?]$")
_HASHTAG = re.compile(r"#\w+")
_STEMMER = SnowballStemmer("english")  # rule-based: needs no NLTK data


def stemmed(text):
    """Words stemmed (Snowball), hashtags and mentions left whole."""
    return " ".join(w if w[0] in "#@" else _STEMMER.stem(w) for w in _TOKEN.findall(text))


def negation_marked(text):
    """Words after a negation, up to the next clause punctuation, get a '_NEG' suffix (Pang et al. 2002)."""
    out, scope = [], False
    for w in _TOKEN.findall(text):
        if _CLAUSE_END.match(w):
            scope = False
        elif scope and w[0] not in "#@":
            w += "_NEG"
        out.append(w)
        if _NEGATION.match(w.removesuffix("_NEG")):
            scope = True
    return " ".join(out)


def hashtags_only(text):
    return " ".join(_HASHTAG.findall(text)) or "_notag_"


REWRITES = {"stem": stemmed, "negation": negation_marked, "hashtags": hashtags_only}


class Rewritten(TransformerMixin, BaseEstimator):
    """Apply a text vectorizer to rewritten texts (see REWRITES)."""

    def __init__(self, rewrite="stem", vectorizer=None):
        self.rewrite = rewrite
        self.vectorizer = vectorizer

    def fit(self, X, y=None):
        self.vectorizer_ = clone(self.vectorizer).fit([REWRITES[self.rewrite](t) for t in X])
        return self

    def transform(self, X):
        return self.vectorizer_.transform([REWRITES[self.rewrite](t) for t in X])

    def get_feature_names_out(self, input_features=None):
        return np.asarray([f"{self.rewrite}__{n}" for n in self.vectorizer_.get_feature_names_out()], dtype=object)


class LatentSemantic(TransformerMixin, BaseEstimator):
    """Unit-length truncated-SVD projection of a vectorizer's output (LSA)."""

    def __init__(self, vectorizer=None, n_components=200):
        self.vectorizer = vectorizer
        self.n_components = n_components

    def fit(self, X, y=None):
        self.vectorizer_ = clone(self.vectorizer).fit(X)
        self.svd_ = TruncatedSVD(self.n_components, random_state=SEED).fit(self.vectorizer_.transform(X))
        return self

    def transform(self, X):
        return sp.csr_matrix(normalize(self.svd_.transform(self.vectorizer_.transform(X))))

    def get_feature_names_out(self, input_features=None):
        return np.asarray([f"lsa{i}" for i in range(self.n_components)], dtype=object)


class PerTargetStack(ClassifierMixin, BaseEstimator):
    """Per-target logistic regression over the decision scores of several pipelines (inner grouped 5-fold CV)."""

    def __init__(self, members=None, C=1.0):
        self.members = members
        self.C = C

    def fit(self, X, y):
        y = np.asarray(y)
        cv = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=SEED)
        groups = [x[0] for x in X]
        columns = []
        for member in self.members:
            block = None
            for tr, te in cv.split(X, y, groups):
                m = clone(member).fit([X[i] for i in tr], y[tr])
                scores = m.decision_function([X[i] for i in te])
                block = np.zeros((len(X), scores.shape[1])) if block is None else block
                block[te] = scores
            columns.append(block)
        S = np.hstack(columns)
        self.members_ = [clone(m).fit(X, y) for m in self.members]
        targets = np.asarray([x[1] for x in X])
        self.meta_ = {t: LogisticRegression(C=self.C, max_iter=2000).fit(S[targets == t], y[targets == t])
                      for t in sorted(set(targets))}
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        S = np.hstack([m.decision_function(X) for m in self.members_])
        targets = np.asarray([x[1] for x in X])
        out = np.empty(len(X), dtype=object)
        for t, meta in self.meta_.items():
            rows = targets == t
            if rows.any():
                out[rows] = meta.predict(S[rows])
        return out


class ScoreAverage(ClassifierMixin, BaseEstimator):
    """Equal-weight average of several pipelines' decision scores (round 4's best candidate)."""

    def __init__(self, members=None):
        self.members = members

    def fit(self, X, y):
        self.members_ = [clone(m).fit(X, y) for m in self.members]
        self.classes_ = self.members_[0].classes_
        return self

    def predict(self, X):
        scores = np.mean([m.decision_function(X) for m in self.members_], axis=0)
        return self.classes_[scores.argmax(axis=1)]


def featurizer(name, **params):
    return make_featurizer(name, {**FEATURIZERS[name][1], **params})


def words():
    return featurizer("hashtag_tfidf", ngram_range=[1, 3], hashtags="both")


def chars(lowercase=True):
    return featurizer("char_tfidf", ngram_range=[2, 5], min_df=1, lowercase=lowercase)


def svc():
    return LinearSVC(C=0.5, max_iter=5000, random_state=SEED)


def pairs(blocks, clf=None, weights=None, **pair_params):
    """The reference's pipeline shape: blocks in a FeatureUnion (optionally weighted), target-conjoined pair
    features (PairVectorizer options in *pair_params*), then *clf* (default: the reference's SVM)."""
    union = FeatureUnion([(f"{i}", b) for i, b in enumerate(blocks)],
                         transformer_weights=None if weights is None else {f"{i}": w for i, w in enumerate(weights)})
    pair = PairVectorizer(vectorizer=union, **{"target_specific": True, **pair_params})
    return Pipeline([("features", pair), ("clf", clf if clf is not None else svc())])


def reference():
    return pairs([words(), chars(), chars(lowercase=False)])


def candidates():
    ref = [words(), chars(), chars(lowercase=False)]
    return [
        ("reference (chosen model)", reference(), [SEED, 1]),
        ("word block on stemmed text", pairs([Rewritten("stem", words())] + ref[1:]), [SEED]),
        ("word block on negation-marked text", pairs([Rewritten("negation", words())] + ref[1:]), [SEED]),
        ("+ stemmed word 1-2 block", pairs(ref + [Rewritten("stem", featurizer("word_tfidf"))]), [SEED]),
        ("+ negation-marked word 1-2 block", pairs(ref + [Rewritten("negation", featurizer("word_tfidf"))]), [SEED]),
        ("+ cased word 1-2 block", pairs(ref + [featurizer("word_tfidf", lowercase=False)]), [SEED]),
        ("+ LSA (200) of the word block", pairs(ref + [LatentSemantic(words(), 200)]), [SEED]),
        ("+ hashtag char 2-5 block", pairs(ref + [Rewritten("hashtags", chars())]), [SEED]),
        ("stack: word / char / cased-char SVMs", PerTargetStack([pairs([words()]), pairs([chars()]),
                                                                pairs([chars(lowercase=False)])]), [SEED]),
        ("stack: full / word / char SVMs", PerTargetStack([reference(), pairs([words()]), pairs([chars()])]),
         [SEED]),
        ("round 4 best: SVM + ridge + SGD hinge", ScoreAverage([
            reference(), pairs(ref, RidgeClassifier(alpha=1.0)),
            pairs(ref, SGDClassifier(loss="hinge", average=True, random_state=SEED))]), [SEED, 1]),
    ]


def _fold(model, X, y, tr, te):
    fitted = clone(model).fit([X[i] for i in tr], [y[i] for i in tr])
    return te, list(fitted.predict([X[i] for i in te]))


def evaluate(model, train, val, seeds, n_jobs):
    X, y, groups = train
    val_score = semeval_f_avg(val[1], list(clone(model).fit(X, y).predict(val[0])))
    cv_scores = []
    for seed in seeds:
        cv = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=seed)
        out = Parallel(n_jobs=n_jobs)(delayed(_fold)(model, X, y, tr, te) for tr, te in cv.split(X, y, groups))
        oof = [None] * len(y)
        for te, pred in out:
            for i, p in zip(te, pred):
                oof[i] = p
        cv_scores.append(semeval_f_avg(y, oof))
    return val_score, cv_scores


def run_table(models, data_dir, n_jobs):
    """Print the selection table for (name, model, fold seeds) rows; the first row is the reference."""
    cfg = load_config(REFERENCE)
    cfg["data"]["data_dir"] = data_dir
    source = DataSource(cfg)
    X, y, groups, _ = source.items(["train"])
    Xv, yv, _, _ = source.items(["val"])
    print("| candidate | val F_avg | CV F_avg (fold seed) | mean | vs reference | meets bar |")
    print("|---|---:|---:|---:|---:|---|")
    ref_val = ref_cv = ref_mean = None
    for name, model, seeds in models:
        start = time.time()
        val, cvs = evaluate(model, (X, y, groups), (Xv, yv), seeds, n_jobs)
        mean = (val + cvs[0]) / 2
        if ref_mean is None:
            ref_val, ref_cv, ref_mean = val, cvs[0], mean
        meets = mean - ref_mean >= 1.0 and val >= ref_val and cvs[0] >= ref_cv
        cv_text = ", ".join(f"{c:.2f} ({s})" for c, s in zip(cvs, seeds))
        print(f"| {name} | {val:.2f} | {cv_text} | {mean:.2f} | {mean - ref_mean:+.2f} | {'yes' if meets else 'no'} |",
              flush=True)
        print(f"  ({time.time() - start:.0f} s)", file=sys.stderr, flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", required=True, help="folder holding semeval2016t6_tweeteval/")
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args(argv)
    run_table(candidates(), args.data_dir, args.n_jobs)


if __name__ == "__main__":
    main()
