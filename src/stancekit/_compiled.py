"""The compiled predictor: a fitted Analyzer's state as plain arrays, labeling without scikit-learn.

``stancekit predict`` spends most of its start-up importing scikit-learn,
SciPy's statistics and skops (about 3 s on a 2-core machine) before it labels
a line. Labeling itself needs none of them: the featurization is stancekit's
own array code, and the classifiers are linear. :func:`compile_analyzer` takes
the fitted state an :class:`~stancekit.Analyzer` labels with (vocabularies,
IDF weights, lexicon entries, scales, coefficients, class names), and
:class:`CompiledAnalyzer` labels with it, through the same functions as the
Analyzer (:class:`~stancekit._labeling.BatchLabeler`), importing only NumPy,
SciPy's sparse matrices and ``scipy.special``. Its records are the Analyzer's,
bit for bit (tested on the whole corpus).

A compiled file is a NumPy ``.npz`` archive read with ``allow_pickle=False``:
arrays and one JSON header, no code. ``stancekit predict`` keeps one per model
file in its cache, named by the model file's SHA-256 (see
:func:`stancekit._predict.load_for_prediction`).

Only the Analyzer's default kind of model is compiled: a word TF-IDF that the
shared-token path reproduces, :class:`~stancekit.features.LinguisticFeatures`
blocks, logistic-regression layers, no extra stance featurizer and a lexicon
cue tagger. :func:`compile_analyzer` returns None for anything else, which
``stancekit predict`` then labels with the Analyzer itself.
"""

import json
import os
import zipfile

import numpy as np
import scipy.sparse as sp

from . import __version__
from ._labeling import BatchLabeler, StackedLogistic, check_chunk_size, cue_spans, grouped_cue_pattern
from .data._vocab import SENTENCE_LAYERS
from .features._linguistic_batch import english_stop_words, transform_batch, use_stop_words
from .features._linguistic_core import FAMILIES
from .features._ngrams import ngram_transform
from .features._packed import pack_vocabulary, unpack_vocabulary
from .features._pair_core import pair_features

FORMAT = "stancekit-compiled/1"
_LAYERS = (*SENTENCE_LAYERS, "stance")


class CompiledModelError(ValueError):
    """A compiled model file that cannot be used (wrong format or version, or inconsistent)."""


class _VectorizerState:
    """The fitted state of a TF-IDF vectorizer that :func:`~stancekit.features._ngrams.ngram_transform` reads."""

    def __init__(self, vocabulary, idf, ngram_range, dtype, binary, sublinear_tf, norm, stop_words):
        self.vocabulary_ = vocabulary
        self.idf_ = idf
        self.ngram_range = tuple(ngram_range)
        self.dtype = np.dtype(dtype).type
        self.binary = binary
        self.sublinear_tf = sublinear_tf
        self.norm = norm
        self.use_idf = True
        self._stop_words = None if stop_words is None else frozenset(stop_words)

    def get_stop_words(self):
        return self._stop_words


class _LinguisticState:
    """The fitted state of a LinguisticFeatures that :func:`~stancekit.features._linguistic_batch.transform_batch` reads."""

    def __init__(self, families, lexicon_entries, context_vocabulary, reference_year, scale):
        self.families_ = list(families)
        self.lexicon_entries_ = [tuple(e) for e in lexicon_entries]
        self.context_vocabulary_ = list(context_vocabulary)
        self.reference_year_ = reference_year
        self.scale_ = list(scale)


def compile_analyzer(analyzer):
    """The fitted state of *analyzer* as ``(header, arrays)`` for :class:`CompiledAnalyzer`, or None.

    None when the Analyzer is not of the kind the compiled predictor
    reproduces (see the module docstring); the caller then uses the Analyzer.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion

    from .features._linguistic import LinguisticFeatures
    from .features._ngrams import _fast_vectorizer
    from .models import LexiconCueTagger

    clfs = getattr(analyzer, "classifiers_", None)
    if not clfs or set(clfs) != set(_LAYERS) or getattr(analyzer, "stance_featurizer_", None) is not None:
        return None
    if not all(type(c) is LogisticRegression and c.coef_.ndim == 2 for c in clfs.values()):
        return None
    tagger = analyzer.cue_tagger_
    if type(tagger) is not LexiconCueTagger or not getattr(tagger, "lexicon_", None):
        return None
    if grouped_cue_pattern(tuple(sorted(tagger.lexicon_))) is None:
        return None
    f = analyzer.featurizer_
    if type(f) is not FeatureUnion:
        return None
    weights = f.transformer_weights or {}
    arrays, blocks = {}, []
    for k, (name, trans) in enumerate(f.transformer_list):
        if isinstance(trans, str):
            return None
        if name in weights and weights[name] is not None:
            return None
        if isinstance(trans, LinguisticFeatures):
            if (type(trans).transform is not LinguisticFeatures.transform
                    or type(trans)._transform_batch is not LinguisticFeatures._transform_batch):
                return None
            blocks.append({"kind": "linguistic", "families": list(trans.families_),
                           "lexicon_entries": [list(e) for e in trans.lexicon_entries_],
                           "context_vocabulary": list(trans.context_vocabulary_),
                           "reference_year": trans.reference_year_, "scale": [float(s) for s in trans.scale_]})
        elif _fast_vectorizer(trans) and hasattr(trans, "idf_"):
            stop = trans.get_stop_words()
            blocks.append({"kind": "tfidf", "ngram_range": list(trans.ngram_range),
                           "dtype": np.dtype(trans.dtype).name, "binary": bool(trans.binary),
                           "sublinear_tf": bool(trans.sublinear_tf), "norm": trans.norm,
                           "stop_words": None if not stop else sorted(stop)})
            for key, value in pack_vocabulary(trans.vocabulary_).items():
                arrays[f"block{k}_vocabulary_{key}"] = value
            arrays[f"block{k}_idf"] = np.asarray(trans.idf_, dtype=np.float64)
        else:
            return None
    layers = {}
    for layer in _LAYERS:
        c = clfs[layer]
        layers[layer] = {"classes": [str(x) for x in c.classes_]}
        arrays[f"{layer}_coef"] = np.ascontiguousarray(c.coef_, dtype=np.float64)
        arrays[f"{layer}_intercept"] = np.asarray(c.intercept_, dtype=np.float64)
    cols = analyzer.stance_columns_
    header = {
        "format": FORMAT,
        "stancekit_version": __version__,
        "blocks": blocks,
        "layers": layers,
        "stance_columns": None if cols is None else [int(cols[0]), int(cols[1])],
        "chunk_size": check_chunk_size(analyzer.chunk_size),
        "cue_lexicon": sorted(tagger.lexicon_),
        "stop_words": sorted(english_stop_words()),
    }
    return header, arrays


def save_compiled(compiled, path):
    """Write ``(header, arrays)`` from :func:`compile_analyzer` to *path* (.npz), atomically."""
    from ._atomic import temp_path

    header, arrays = compiled
    fd, tmp = temp_path(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, header=np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8), **arrays)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def load_compiled(path):
    """A :class:`CompiledAnalyzer` from a file written by :func:`save_compiled`.

    Raises CompiledModelError when the file is not a compiled model of this
    stancekit version or its parts disagree; OSError when it cannot be read.
    """
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{path}: no such compiled model file")
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
        header = json.loads(arrays.pop("header").tobytes().decode("utf-8"))
    except (ValueError, KeyError, OSError, UnicodeDecodeError, TypeError, AttributeError, EOFError,
            zipfile.BadZipFile) as exc:  # a .npy: no archive; a truncated .npz: a bad zip
        raise CompiledModelError(f"{path}: not a compiled stancekit model ({type(exc).__name__}: {exc})") from None
    return CompiledAnalyzer(header, arrays, source=str(path))


class CompiledAnalyzer(BatchLabeler):
    """An Analyzer's labeling from its compiled state: :meth:`analyze` gives the Analyzer's records.

    Parameters
    ----------
    header : dict
        The JSON part of :func:`compile_analyzer`'s output.
    arrays : dict of str to ndarray
        Its arrays.
    source : str, default="<compiled>"
        Where the state came from, for error messages.
    """

    def __init__(self, header, arrays, *, source="<compiled>"):
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise CompiledModelError(f"{source}: expected a compiled model (format {FORMAT}), "
                                     f"found {header.get('format') if isinstance(header, dict) else header!r}")
        if header.get("stancekit_version") != __version__:
            raise CompiledModelError(f"{source}: compiled by stancekit {header.get('stancekit_version')}, "
                                     f"this is {__version__}")
        try:
            self._blocks = [self._block(k, b, arrays) for k, b in enumerate(header["blocks"])]
            self._layers = {layer: (list(header["layers"][layer]["classes"]), arrays[f"{layer}_coef"],
                                    arrays[f"{layer}_intercept"]) for layer in _LAYERS}
            cols = header["stance_columns"]
            self.stance_columns_ = None if cols is None else (int(cols[0]), int(cols[1]))
            self.chunk_size = int(header["chunk_size"])
            self._patterns = grouped_cue_pattern(tuple(header["cue_lexicon"]))
            stop_words = header["stop_words"]
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise CompiledModelError(f"{source}: inconsistent compiled model ({type(exc).__name__}: {exc})") \
                from None
        width = sum(self._width(b) for b in self._blocks)
        side = width if self.stance_columns_ is None else self.stance_columns_[1] - self.stance_columns_[0]
        for layer, (classes, coef, intercept) in self._layers.items():
            rows = 1 if len(classes) == 2 else len(classes)
            # the stance layer sees pair features: sentence, target and shared columns, and the cosine
            want = width if layer != "stance" else 3 * side + 1
            if coef.ndim != 2 or coef.shape != (rows, want) or intercept.shape != (rows,):
                raise CompiledModelError(f"{source}: the {layer} coefficients have shape {coef.shape} "
                                         f"(intercept {intercept.shape}), expected ({rows}, {want})")
        if self._patterns is None:
            raise CompiledModelError(f"{source}: the hedge-cue lexicon is empty or cannot be compiled")
        try:
            use_stop_words(stop_words)
        except (TypeError, ValueError) as exc:
            raise CompiledModelError(f"{source}: {exc}") from None
        sentence = [self._layers[layer] for layer in SENTENCE_LAYERS]
        self._sentence = StackedLogistic([c for _, c, _ in sentence], [i for _, _, i in sentence],
                                         [len(k) for k, _, _ in sentence])
        classes, coef, intercept = self._layers["stance"]
        self._stance = StackedLogistic([coef], [intercept], [len(classes)])

    @staticmethod
    def _block(k, spec, arrays):
        if spec["kind"] == "tfidf":
            vocabulary = unpack_vocabulary({key: arrays[f"block{k}_vocabulary_{key}"]
                                            for key in ("data", "lengths", "indices")})
            idf = arrays[f"block{k}_idf"]
            if len(idf) != len(vocabulary):
                raise ValueError(f"block {k}: {len(idf)} IDF weights for {len(vocabulary)} terms")
            return _VectorizerState(vocabulary, idf, spec["ngram_range"], spec["dtype"], spec["binary"],
                                    spec["sublinear_tf"], spec["norm"], spec["stop_words"])
        if spec["kind"] == "linguistic":
            return _LinguisticState(spec["families"], spec["lexicon_entries"], spec["context_vocabulary"],
                                    spec["reference_year"], spec["scale"])
        raise ValueError(f"block {k}: unknown kind {spec['kind']!r}")

    @staticmethod
    def _width(block):
        if isinstance(block, _VectorizerState):
            return len(block.vocabulary_)
        return sum(len(FAMILIES[f]) for f in block.families_) + len(block.context_vocabulary_)

    @property
    def labels_(self):
        """Class names per layer, as the Analyzer's ``labels_``."""
        return {layer: list(classes) for layer, (classes, _, _) in self._layers.items()}

    # --- hooks of BatchLabeler ---

    def _check_fitted(self):
        pass

    def _classes(self, layer):
        return self._layers[layer][0]

    def _featurize(self, batch):
        blocks = [ngram_transform(b, batch) if isinstance(b, _VectorizerState) else transform_batch(b, batch)
                  for b in self._blocks]
        return sp.hstack(blocks).tocsr(), True

    def _sentence_probas(self, Xs):
        return self._sentence.probabilities(Xs)

    def _pair_matrix_batch(self, S, batch, rows, targets, shared):
        return pair_features(self._stance_side(S), self._stance_side(self._target_rows(targets)))

    def _stance_probas(self, Xp):
        return self._stance.probabilities(Xp)[0]

    def _cue_spans(self, texts):
        return cue_spans(self._patterns, texts)

    def _bank_key(self):
        return self
