"""The Analyzer: all four layers over one shared featurization."""

import os
import time
import weakref

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion
from sklearn.utils.validation import check_is_fitted

from ._labeling import (BatchLabeler, StackedLogistic, check_chunk_size, cue_spans, grouped_cue_pattern,  # noqa: F401
                        label_columns, round4)  # round4: re-exported
from .data import SENTENCE_LAYERS, Corpus, load_corpus
from .features import LinguisticFeatures, StanceCueFeaturizer, pair_features
from .features._compact import CompactTfidfVectorizer
from .features._ngrams import vectorizer_transform
from .features._pair import pair_feature_names
from .models import LexiconCueTagger


def default_analyzer_features():
    """Word 1-2-gram TF-IDF plus the hedge, attribution and claim cue features, computed once per sentence."""
    return FeatureUnion([
        ("word", CompactTfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
        ("ling", LinguisticFeatures()),
    ])


class Analyzer(BatchLabeler, BaseEstimator):
    """Label sentences for hedging (with cue spans), claim type, source and stance.

    The sentence text is featurized once and shared by every layer; the stance
    layer combines the sentence's features with its target's.

    Parameters
    ----------
    featurizer : transformer, default=None
        Text featurizer shared by all layers; ``None`` is word TF-IDF plus
        :class:`~stancekit.features.LinguisticFeatures`.
    stance_featurizer : pair transformer or "none", default="none"
        Extra (sentence, target) features for stance; ``None`` is
        :class:`~stancekit.features.StanceCueFeaturizer`.
    stance_blocks : str, tuple of str or None, default=("word",)
        Block(s) of a ``FeatureUnion`` featurizer whose sentence and target
        features (and their products) the stance layer sees; ``None``: all.
        The defaults were chosen on the dev split: the cue-feature block and
        the stance cue featurizer added nothing to stance there (macro-F1
        0.549 without both, 0.549 with both, 0.514 with the block alone;
        ``python -m stancekit.bench --variants``), and cost a third of the
        labeling time.
    classifier : classifier with ``predict_proba``, default=None
        Cloned once per layer; ``None`` is ``LogisticRegression(C=4)``.
        :meth:`fit` refuses one without ``predict_proba`` (``LinearSVC``, or
        ``SGDClassifier`` with the hinge loss).
    cue_tagger : estimator, default=None
        Hedge cue tagger with ``fit(texts, spans)`` / ``predict(texts)``;
        ``None`` is :class:`~stancekit.models.LexiconCueTagger`.
    train_splits : str or tuple of str, default=("train", "dev")
        Corpus split(s) used by :meth:`fit`.
    chunk_size : int, default=4096
        Sentences featurized at a time by :meth:`analyze`; a positive integer.

    Examples
    --------
    >>> from stancekit import Analyzer
    >>> analyzer = Analyzer().fit()
    >>> [rec] = analyzer.analyze(["Officials said the convoy may have crossed the border."],
    ...                          targets=["The convoy crossed the border"])
    >>> sorted(rec)[:3]
    ['claim_type', 'claim_type_probability', 'hedge_cues']
    """

    def __init__(self, *, featurizer=None, stance_featurizer="none", stance_blocks=("word",), classifier=None,
                 cue_tagger=None, train_splits=("train", "dev"), chunk_size=4096):
        self.featurizer = featurizer
        self.stance_featurizer = stance_featurizer
        self.stance_blocks = stance_blocks
        self.classifier = classifier
        self.cue_tagger = cue_tagger
        self.train_splits = train_splits
        self.chunk_size = chunk_size

    def _new_classifier(self):
        if self.classifier is None:
            return LogisticRegression(C=4.0, max_iter=3000)
        return clone(self.classifier)

    def fit(self, corpus=None, y=None):
        """Fit every layer on *corpus* (default: the included corpus), using ``train_splits``."""
        return self._fit(corpus, {})

    def _fit(self, corpus, seconds):
        """:meth:`fit`, recording the seconds each step took in the dict *seconds* (for ``stancekit bench``)."""
        clock = time.perf_counter()

        def step(name):
            nonlocal clock
            now = time.perf_counter()
            seconds[name] = now - clock
            clock = now

        if corpus is None or isinstance(corpus, (str, os.PathLike)):
            corpus = load_corpus(corpus)
        elif not isinstance(corpus, Corpus):
            raise TypeError(f"Analyzer.fit expects a Corpus (stancekit.load_corpus), a corpus name or folder, or "
                            f"None for the included corpus; got {type(corpus).__name__}. To fit on your own "
                            f"sentences, write them as a corpus (see datasets/geonews/raw/FORMAT.md)")
        splits = _names(self.train_splits)
        check_chunk_size(self.chunk_size)
        if self.classifier is not None and not hasattr(self.classifier, "predict_proba"):
            raise ValueError(f"Analyzer needs a classifier with predict_proba (the records carry each label's "
                             f"probability); {type(self.classifier).__name__} has none as configured")
        rows = corpus.filter(split=splits)
        if not rows:
            raise ValueError(f"no sentences in splits {splits} of {corpus!r}")
        texts = [s["text"] for s in rows]
        target_of = {t["id"]: t["text"] for d in corpus.documents.values() for t in d["targets"]}
        step("load")
        featurizer = default_analyzer_features() if self.featurizer is None else clone(self.featurizer)
        self.featurizer_ = featurizer.fit(texts + sorted({target_of[i["target"]] for s in rows for i in s["stance"]}))
        Xs = self.featurizer_.transform(texts)
        self.stance_columns_ = self._stance_columns()
        step("featurizer")
        self.classifiers_ = {}
        for layer in SENTENCE_LAYERS:
            self.classifiers_[layer] = self._new_classifier().fit(Xs, [s[layer] for s in rows])
            step(layer)
        idx, tgt, ys = [], [], []
        for i, s in enumerate(rows):
            for item in s["stance"]:
                idx.append(i)
                tgt.append(target_of[item["target"]])
                ys.append(item["label"])
        pairs = [(texts[i], t) for i, t in zip(idx, tgt)]
        if isinstance(self.stance_featurizer, str) and self.stance_featurizer == "none":
            self.stance_featurizer_ = None
        else:
            sf = StanceCueFeaturizer() if self.stance_featurizer is None else clone(self.stance_featurizer)
            self.stance_featurizer_ = sf.fit(pairs)
        Xp = self._pair_matrix(Xs[idx], pairs)
        step("stance_features")
        self.classifiers_["stance"] = self._new_classifier().fit(Xp, ys)
        step("stance")
        tagger = LexiconCueTagger() if self.cue_tagger is None else clone(self.cue_tagger)
        self.cue_tagger_ = tagger.fit(texts, [s["hedge_cues"] for s in rows])
        step("hedge_cues")
        self.labels_ = {layer: [str(c) for c in clf.classes_] for layer, clf in self.classifiers_.items()}
        self.corpus_sha256_ = corpus.sha256
        return self

    def _stance_columns(self):
        """``(start, stop)`` of the featurizer columns the stance layer uses (the ``stance_blocks``), or None: all."""
        f = self.featurizer_
        blocks = None if self.stance_blocks is None else _names(self.stance_blocks)
        if blocks is None or type(f) is not FeatureUnion:
            return None
        names = [name for name, trans in f.transformer_list if not (isinstance(trans, str) and trans == "drop")]
        unknown = sorted(set(blocks) - set(names))
        if unknown or not blocks:
            raise ValueError(f"stance_blocks must name blocks of the featurizer {names}, got {blocks}")
        widths = [len(trans.get_feature_names_out()) for name, trans in f.transformer_list if name in names]
        starts = np.cumsum([0] + widths)
        chosen = [k for k, name in enumerate(names) if name in blocks]
        if chosen != list(range(chosen[0], chosen[-1] + 1)):
            raise ValueError(f"stance_blocks must be adjacent blocks of {names}, got {blocks}")
        if chosen == list(range(len(names))):
            return None
        return int(starts[chosen[0]]), int(starts[chosen[-1] + 1])

    def _pair_matrix(self, S, pairs):
        X = pair_features(self._stance_side(S), self._stance_side(self.featurizer_.transform([t for _, t in pairs])))
        if self.stance_featurizer_ is not None:
            X = sp.hstack([X, self.stance_featurizer_.transform(pairs)], format="csr")
        return X

    def feature_names(self, layer):
        """Names of the columns a layer's classifier sees."""
        check_is_fitted(self, "classifiers_")
        if layer not in self.classifiers_:
            raise ValueError(f"layer must be one of {list(self.classifiers_)}, got {layer!r}")
        names = np.asarray(self.featurizer_.get_feature_names_out(), dtype=object)
        if layer != "stance":
            return names
        out = pair_feature_names(self._stance_side(names.reshape(1, -1))[0])
        if self.stance_featurizer_ is not None:
            out = np.concatenate([out, self.stance_featurizer_.get_feature_names_out()])
        return out

    def _sentence_probas(self, Xs):
        """``predict_proba(Xs)`` of each sentence layer's classifier, in ``SENTENCE_LAYERS`` order.

        For scikit-learn logistic regressions (the default) the three
        layers' scores come from one sparse product with their stacked
        coefficients (:class:`~stancekit._labeling.StackedLogistic`), the
        probabilities of ``predict_proba``, bit for bit.
        """
        clfs = [self.classifiers_[layer] for layer in SENTENCE_LAYERS]
        if not all(type(c) is LogisticRegression and c.coef_.ndim == 2 and sp.issparse(Xs)
                   and c.coef_.shape[1] == Xs.shape[1] for c in clfs):
            return [c.predict_proba(Xs) for c in clfs]
        stacked = _STACKED.get(self)
        if stacked is None or any(a is not b for a, b in zip(stacked[0], clfs)):
            stacked = _STACKED[self] = (clfs, StackedLogistic([c.coef_ for c in clfs], [c.intercept_ for c in clfs],
                                                              [len(c.classes_) for c in clfs]))
        return stacked[1].probabilities(Xs)

    # --- hooks of BatchLabeler ---

    def _check_fitted(self):
        check_is_fitted(self, "classifiers_")

    def _classes(self, layer):
        return self.classifiers_[layer].classes_

    def _stance_probas(self, Xp):
        return self.classifiers_["stance"].predict_proba(Xp)

    def _bank_key(self):
        return self.featurizer_

    def _featurize(self, batch):
        """``featurizer_.transform(batch.texts)`` and whether it came from the shared tokens.

        A FeatureUnion of word TF-IDF and :class:`LinguisticFeatures` blocks
        (the default) is computed block by block from the batch's tokens and
        stacked as FeatureUnion does; anything else is transformed as given.
        """
        f = self.featurizer_
        if type(f) is FeatureUnion:
            weights = f.transformer_weights or {}
            steps = [(trans, weights.get(name)) for name, trans in f.transformer_list
                     if not (isinstance(trans, str) and trans == "drop")]
        else:
            steps = [(f, None)]
        blocks = []
        for trans, weight in steps:
            X = _shared_block(trans, batch)
            if X is None:
                return f.transform(batch.texts), False
            blocks.append(X if weight is None else X * weight)
        if not blocks:
            return f.transform(batch.texts), False
        if type(f) is FeatureUnion:
            return sp.hstack(blocks).tocsr(), True
        return blocks[0], True

    def _pair_matrix_batch(self, S, batch, rows, targets, shared):
        """:meth:`_pair_matrix` for the texts at *rows* of *batch*, reusing their tokens."""
        if shared:
            T = self._target_rows(targets)
        else:
            T = self.featurizer_.transform(targets)
        X = pair_features(self._stance_side(S), self._stance_side(T))
        sf = self.stance_featurizer_
        if sf is not None:
            if type(sf) is StanceCueFeaturizer:
                P = sf._transform_batch(batch, targets, rows)
            else:
                P = sf.transform([(batch.texts[i], t) for i, t in zip(rows, targets)])
            X = sp.hstack([X, P], format="csr")
        return X

    def _cue_spans(self, texts):
        """``cue_tagger_.predict(texts)``; for a LexiconCueTagger, with an equivalent faster pattern."""
        tagger = self.cue_tagger_
        if type(tagger) is LexiconCueTagger and getattr(tagger, "lexicon_", None):
            patterns = grouped_cue_pattern(tuple(sorted(tagger.lexicon_)))
            if patterns is not None:
                return cue_spans(patterns, texts)
        return tagger.predict(texts)

    def explain(self, text, target=None, *, top=8):
        """Why each layer got its label: top features for and against it, and the cue spans that fired.

        Returns a dict per layer with ``label``, ``probability``, ``for`` and
        ``against`` (lists of ``{"feature", "value", "weight", "contribution"}``);
        a contribution is the feature value times the class weight minus the
        mean weight of the other classes (the shift that matters in a softmax).
        ``cues`` lists every lexicon match ``[start, end, text, category]``.
        """
        check_is_fitted(self, "classifiers_")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"text must be a non-empty string, got {type(text).__name__} {text!r:.60}")
        if target is not None and (not isinstance(target, str) or not target.strip()):
            raise ValueError(f"target must be a non-empty string or None, got {type(target).__name__} {target!r:.60}")
        [record] = self.analyze([text], None if target is None else [target])
        Xs = self.featurizer_.transform([text])
        out = {"text": text, "layers": {}}
        for layer, clf in self.classifiers_.items():
            if layer == "stance":
                if target is None:
                    continue
                X = self._pair_matrix(Xs, [(text, target)])
            else:
                X = Xs
            label = record[layer]
            names = self.feature_names(layer)
            out["layers"][layer] = {"label": label, "probability": record[f"{layer}_probability"],
                                    **_contributions(clf, X, label, names, top)}
        cues = []
        for _, step in getattr(self.featurizer_, "transformer_list", [("", self.featurizer_)]):
            if hasattr(step, "cue_spans"):
                cues += [[a, b, text[a:b], c] for a, b, c in step.cue_spans(text)]
        out["cues"] = sorted(cues)
        out["hedge_cues"] = record["hedge_cues"]
        return out

    def predict(self, texts, targets=None):
        """Labels only: a dict from layer to a list of labels (stance only where targets are given)."""
        recs = self.analyze(texts, targets)
        out = {layer: [r[layer] for r in recs] for layer in SENTENCE_LAYERS}
        if targets is not None:
            out["stance"] = [r.get("stance") for r in recs]
        return out



#: Stacked coefficients of an Analyzer's sentence-layer classifiers (see Analyzer._sentence_probas).
_STACKED = weakref.WeakKeyDictionary()


def _names(value):
    """A parameter naming one or more things (splits, blocks) as a list: a single name or a sequence of names."""
    return [value] if isinstance(value, str) else list(value)


def _label_columns(clf, proba):
    """The predicted labels (str) and their rounded probabilities, as two lists."""
    return label_columns(clf.classes_, proba)


def _contributions(clf, X, label, names, top):
    coef = getattr(clf, "coef_", None)
    if coef is None:
        return {"for": [], "against": []}
    classes = [str(c) for c in clf.classes_]
    k = classes.index(label)
    if coef.shape[0] == 1:  # binary: one row, positive for classes_[1]
        w = coef[0] if k == 1 else -coef[0]
    else:
        w = coef[k] - np.delete(coef, k, axis=0).mean(axis=0)
    x = sp.csr_matrix(X)
    cols, vals = x.indices, x.data
    contrib = vals * w[cols]
    order = np.argsort(contrib)
    rows = lambda idx: [{"feature": str(names[cols[i]]), "value": round(float(vals[i]), 4),
                         "weight": round(float(w[cols[i]]), 4), "contribution": round(float(contrib[i]), 4)}
                        for i in idx]
    pos = [i for i in order[::-1] if contrib[i] > 0][:top]
    neg = [i for i in order if contrib[i] < 0][:top]
    return {"for": rows(pos), "against": rows(neg)}


def _shared_block(trans, batch):
    """One featurizer block computed from a TokenBatch, or None if *trans* needs the raw texts."""
    if isinstance(trans, str):
        return None
    if isinstance(trans, LinguisticFeatures) and type(trans).transform is LinguisticFeatures.transform:
        check_is_fitted(trans, "lexicon_entries_")
        return trans._transform_batch(batch)
    return vectorizer_transform(trans, batch)
