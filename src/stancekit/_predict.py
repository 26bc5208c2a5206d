"""Streaming prediction over JSON Lines: one output line per input line, in order."""

import json
import os
import sys
import warnings
from pathlib import Path

from .data import DataFormatError, parse_jsonl_line

_RESERVED = ("hedging", "hedge_cues", "claim_type", "source", "stance", "error", "explanation",
             "hedging_probability", "claim_type_probability", "source_probability", "stance_probability")
# = json.dumps(row, ensure_ascii=False), built once; rows are fresh dicts of parsed JSON and labels, never cyclic
_encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def default_model_path(corpus_sha256):
    from . import __version__

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "stancekit" / "models" / f"analyzer-{corpus_sha256[:16]}-v{__version__}.skops"


def get_default_model(log=None):
    """The default Analyzer: trained on the included corpus on first use, then cached."""
    from .analyzer import Analyzer
    from .data import load_corpus
    from .persistence import load_model, save_model

    corpus = load_corpus()
    path = default_model_path(corpus.sha256)
    if path.exists():
        return load_model(path)
    if log:
        log(f"stancekit: training the default model on {corpus.path} (cached at {path})")
    model = Analyzer().fit(corpus)
    save_model(model, path, metadata={"corpus_sha256": corpus.sha256})
    return model


def compiled_cache_path(model_path, *, data=None):
    """Where ``stancekit predict`` keeps the compiled form of the model file *model_path*, or None.

    Named by the file's SHA-256 (of *data*, the file's bytes, when the caller
    has read them already) and the stancekit and scikit-learn versions, so a
    changed file or an upgrade never meets an old entry (an upgrade of
    scikit-learn goes through :func:`~stancekit.persistence.load_model`'s
    version check again).
    """
    import hashlib
    from importlib.metadata import PackageNotFoundError, version

    from . import __version__

    try:
        if data is None:
            with open(model_path, "rb") as fh:
                data = fh.read()
        digest = hashlib.sha256(data).hexdigest()
        sklearn_version = version("scikit-learn")
    except (OSError, PackageNotFoundError):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "stancekit" / "compiled" / f"{digest[:32]}-v{__version__}-sklearn{sklearn_version}.npz"


def load_for_prediction(model_path=None, log=None, *, compiled=True):
    """The labeler ``stancekit predict`` uses for *model_path* (default: the default model).

    With *compiled*, a :class:`~stancekit._compiled.CompiledAnalyzer` read from
    the cache when this model file was compiled before: no scikit-learn,
    SciPy statistics or skops import, so start-up takes a fraction of a
    second. Otherwise the model is loaded with every check of
    :func:`~stancekit.persistence.load_model`, compiled when it is of the kind
    the compiled predictor reproduces, and the compiled form cached for the
    next run (best effort: a cache that cannot be written only costs time).
    Returns ``(labeler, how)``, *how* being "cached", "compiled" or "model".
    """
    if model_path is None:
        from .data import load_corpus

        model_path = default_model_path(load_corpus().sha256)
        if not model_path.exists():
            return get_default_model(log), "model"
    data = None
    if compiled:
        try:  # read once: the bytes hashed to name the compiled form are the bytes loaded below
            data = Path(model_path).read_bytes()
        except OSError:
            pass  # load_model below raises the error that names the file
    cache = compiled_cache_path(model_path, data=data) if data is not None else None
    if cache is not None and cache.exists():
        from ._compiled import CompiledModelError, load_compiled

        try:
            return load_compiled(cache), "cached"
        except (CompiledModelError, OSError) as exc:
            if log:
                log(f"stancekit: ignoring the compiled cache entry ({exc})")
    import_skops_without_estimator_scan()
    from .persistence import load_model, load_model_bytes

    model = load_model(model_path) if data is None else load_model_bytes(data, model_path)
    if not callable(getattr(model, "analyze", None)):
        raise ValueError(f"{model_path}: expected a stancekit Analyzer model (written by 'stancekit train' or "
                         f"save_model(Analyzer().fit(...))), found {type(model).__name__}")
    if cache is None:
        return model, "model"
    from ._compiled import CompiledAnalyzer, compile_analyzer, save_compiled

    state = compile_analyzer(model)
    if state is None:
        return model, "model"
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        save_compiled(state, cache)
    except OSError as exc:
        if log:
            log(f"stancekit: could not cache the compiled model at {cache} ({exc})")
    return CompiledAnalyzer(*state, source=str(model_path)), "compiled"


def import_skops_without_estimator_scan():
    """Import ``skops.io`` without its scan of every scikit-learn estimator (for ``stancekit predict`` only).

    On import, skops builds its *default* list of trusted types by importing
    all of scikit-learn (``sklearn.utils.all_estimators``), a second or more
    of start-up. stancekit never relies on that list: :func:`stancekit.persistence.load_model`
    checks every type in a file against its own rules and passes the result
    to skops explicitly. So the command-line process, which does nothing else
    with skops, imports it with an empty scan. skops's defaults then trust
    nothing extra, which only makes skops stricter; a library user's process
    is never changed (this runs only from the command line, and not at all
    when skops is already imported).
    """
    if "skops.io" in sys.modules:
        return
    import sklearn.utils

    original = sklearn.utils.all_estimators
    sklearn.utils.all_estimators = lambda *args, **kwargs: []
    try:
        import skops.io  # noqa: F401
    finally:
        sklearn.utils.all_estimators = original


def freeze_startup_heap():
    """Exclude everything alive now (modules, the loaded model) from later garbage collections.

    ``stancekit predict`` calls it once the model is loaded. Labeling creates
    a dict and a list per line; when enough survive a young collection,
    Python's collector rescans every tracked object, most of which belong to
    the imported modules and the model and are never garbage. Frozen, they
    are skipped (``gc.freeze``). A process-wide setting, so the library
    itself never calls it.
    """
    import gc

    gc.collect()
    gc.freeze()


def parse_input_line(raw, *, path, line):
    """Parse and check one input line; return the record or raise DataFormatError."""
    return check_input_record(parse_jsonl_line(raw, path=path, line=line), path=path, line=line)


def _json_found(value):
    """A decoded JSON value as an error message shows it: its JSON kind and (a start of) its JSON text."""
    from .data._jsonl import json_kind

    kind = json_kind(value)
    if kind in ("null", "true", "false"):
        return kind
    return f"{kind} {json.dumps(value, ensure_ascii=False)[:40]}"


def check_input_record(rec, *, path, line):
    """Check the fields of a parsed input record; return it or raise DataFormatError."""
    if "text" not in rec:
        raise DataFormatError("an object with a 'text' field", f"fields {sorted(rec)}", path=path, line=line,
                              field="text")
    text = rec["text"]
    if not isinstance(text, str):
        raise DataFormatError("a string", _json_found(text), path=path, line=line, field="text")
    if not text.strip():
        raise DataFormatError("a non-empty sentence", text, path=path, line=line, field="text")
    target = rec.get("target")
    if target is not None and (not isinstance(target, str) or not target.strip()):
        raise DataFormatError("a non-empty string or no 'target' field", _json_found(target), path=path, line=line,
                              field="target")
    if "id" in rec and (not isinstance(rec["id"], (str, int)) or isinstance(rec["id"], bool)):
        raise DataFormatError("a string or integer", _json_found(rec["id"]), path=path, line=line, field="id")
    for key in _RESERVED:
        if key in rec:
            raise DataFormatError(f"no '{key}' field (it is an output field)", _json_found(rec[key]), path=path,
                                  line=line, field=key)
    return rec


def label_lines(model, lines, *, first_line=1, source="<stdin>", strict=False, explain=False):
    """Label raw JSON Lines *lines* (bytes) numbered from *first_line*; one output line per input line.

    Returns ``(text, n_failed, error)``: the output lines as one string, the
    number of error records in it, and, with *strict*, the first bad line's
    :class:`DataFormatError` (the output then stops before that line), else None.
    """
    chunk, error = [], None
    for lineno, raw in enumerate(lines, start=first_line):
        rec = None
        try:
            rec = parse_jsonl_line(raw, path=source, line=lineno)
            chunk.append((lineno, check_input_record(rec, path=source, line=lineno), None))
        except DataFormatError as exc:
            if strict:
                error = exc
                break
            chunk.append((lineno, rec, exc))
    good = [(i, rec) for i, (_, rec, err) in enumerate(chunk) if err is None]
    results = model.analyze([r["text"] for _, r in good], [r.get("target") for _, r in good]) if good else []
    by_index = {i: res for (i, _), res in zip(good, results)}
    out, n_failed = [], 0
    for i, (lineno, rec, err) in enumerate(chunk):
        if err is not None:
            n_failed += 1
            row = {"line": lineno, "error": str(err)}
            if isinstance(rec, dict) and isinstance(rec.get("id"), (str, int)) and not isinstance(rec["id"], bool):
                row["id"] = rec["id"]
        else:
            row = dict(rec)
            row.update(by_index[i])
            if explain:
                exp = model.explain(rec["text"], rec.get("target"))
                row["explanation"] = {"layers": exp["layers"], "cues": exp["cues"]}
        out.append(_encode(row))
    out.append("")
    return "\n".join(out), n_failed, error


def read_chunks(infile, chunk_size):
    """Yield ``(first_line_number, [raw lines])`` of at most *chunk_size* lines, reading lazily."""
    from ._labeling import check_chunk_size
    from .data._jsonl import split_lines

    check_chunk_size(chunk_size)
    lines, first = [], 1
    for lineno, raw in enumerate(split_lines(infile), start=1):
        lines.append(raw)
        if len(lines) >= chunk_size:
            yield first, lines
            lines, first = [], lineno + 1
    if lines:
        yield first, lines


def predict_stream(model, infile, outfile, *, source="<stdin>", chunk_size=2048, strict=False, explain=False,
                   n_jobs=1, scheduler=None):
    """Label every line of *infile* (binary) and write JSON Lines to *outfile* (text).

    Returns ``(n_lines, n_failed)``. A bad line yields an error record
    ``{"line": N, "error": ...}`` in its place; with *strict* the first bad
    line raises :class:`DataFormatError` instead (after the lines before it
    are written).

    Input is read and output written chunk by chunk (*chunk_size* lines), so
    memory stays flat whatever the input size. ``n_jobs`` > 1 (or -1 for every
    core) labels chunks in that many worker processes (joblib, loky);
    ``scheduler`` (a Dask scheduler address, or a ``distributed.Client``) runs
    them on a Dask cluster. Output order and content are the same either way.
    """
    chunks = read_chunks(infile, chunk_size)
    options = {"source": source, "strict": strict, "explain": explain}
    if scheduler is not None:
        from ._dask import dask_label_chunks

        results = dask_label_chunks(scheduler, model, chunks, options)
    elif n_jobs is None or n_jobs == 1:
        results = ((len(lines), *label_lines(model, lines, first_line=first, **options)) for first, lines in chunks)
    else:
        results = _parallel_label_chunks(model, chunks, options, n_jobs)
    n_lines = n_failed = 0
    try:
        for n, text, failed, error in results:
            n_lines += n
            n_failed += failed
            outfile.write(text)
            if error is not None:
                raise _as_error(error)
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            with warnings.catch_warnings():  # stopping early (--strict) leaves chunks unused, on purpose
                warnings.filterwarnings("ignore", category=UserWarning,
                                        message=r".*tasks (have been successfully executed|which were still being)")
                close()
    return n_lines, n_failed


# --- worker side ----------------------------------------------------------------------------------------

def _error_state(exc):
    # DataFormatError keeps keyword-only fields that pickling (args only) would lose.
    return None if exc is None else (exc.expected, exc.found, exc.path, exc.line, exc.field)


def _as_error(error):
    if isinstance(error, DataFormatError):
        return error
    expected, found, path, line, field = error
    return DataFormatError(expected, found, path=path, line=line, field=field)


def label_chunk(model, lines, first, options):
    """:func:`label_lines` for a worker: ``(n_lines, text, n_failed, error state)``, all picklable."""
    text, failed, error = label_lines(model, lines, first_line=first, **options)
    return len(lines), text, failed, _error_state(error)


class SharedModel:
    """A model handed to worker processes once, not with every chunk.

    The parent writes it to a private temporary folder; each worker process
    loads it on first use and keeps it (by token) for later chunks. The file is
    written and read only by this process tree, for the duration of one run.
    """

    def __init__(self, model):
        import pickle
        import tempfile
        import uuid

        self.token = uuid.uuid4().hex
        self.folder = tempfile.mkdtemp(prefix="stancekit-model-")
        self.path = os.path.join(self.folder, "model.pickle")
        with open(self.path, "wb") as fh:
            pickle.dump(model, fh, protocol=pickle.HIGHEST_PROTOCOL)

    def __getstate__(self):
        return {"token": self.token, "path": self.path, "folder": None}

    def get(self):
        model = _WORKER_MODELS.get(self.token)
        if model is None:
            import pickle

            with open(self.path, "rb") as fh:
                model = pickle.load(fh)
            _WORKER_MODELS.clear()  # one model per worker at a time
            _WORKER_MODELS[self.token] = model
            freeze_startup_heap()
        return model

    def close(self):
        import shutil

        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)


_WORKER_MODELS = {}


def _label_shared(shared, lines, first, options):
    return label_chunk(shared.get(), lines, first, options)


def _warm_up(compiled=False):
    """Import what labeling needs (run once in each worker process, ahead of the first chunk).

    With *compiled*, what the compiled predictor needs (no scikit-learn); else the Analyzer's modules.
    """
    if compiled:
        from . import _compiled  # noqa: F401
    else:
        from . import analyzer  # noqa: F401
    from .features._tokens import _unsafe_lowercase

    _unsafe_lowercase("")
    return os.getpid()


def start_workers(n_jobs, *, compiled=False):
    """Start *n_jobs* loky worker processes in a background thread; return the thread.

    ``stancekit predict --n-jobs`` calls it before loading the model, so the
    workers import their modules (those of the compiled predictor, with
    *compiled*) while the model loads; :func:`predict_stream` then reuses them.
    """
    import threading

    from joblib import Parallel, delayed, effective_n_jobs

    def run():
        try:
            with Parallel(n_jobs=n_jobs, backend="loky") as parallel:
                parallel(delayed(_warm_up)(compiled) for _ in range(effective_n_jobs(n_jobs)))
        except Exception:  # noqa: BLE001 - a failed warm-up only costs time; labeling reports real errors
            pass

    thread = threading.Thread(target=run, name="stancekit-warm-up", daemon=True)
    thread.start()
    return thread


def use_fork():
    """Whether ``--n-jobs`` forks its workers from the process holding the model (Linux) or starts loky workers."""
    import multiprocessing

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


_FORKED_MODEL = []


def _label_forked(lines, first, options):
    return label_chunk(_FORKED_MODEL[0], lines, first, options)


def _forked_label_chunks(model, chunks, options, n_jobs):
    """Label chunks in *n_jobs* processes forked from this one; yield results in input order.

    The workers inherit the loaded model and imported modules (nothing to
    import, unpickle or send), which is what lets two processes beat one on a
    few hundred thousand lines. At most ``2 * n_jobs`` chunks are in flight,
    so memory stays bounded whatever the input size.
    """
    import multiprocessing
    import os
    from collections import deque

    n_jobs = (os.cpu_count() or 1) if n_jobs == -1 else n_jobs
    _FORKED_MODEL[:] = [model]
    pool = multiprocessing.get_context("fork").Pool(n_jobs)
    pending = deque()
    try:
        for first, lines in chunks:
            pending.append(pool.apply_async(_label_forked, (lines, first, options)))
            if len(pending) >= 2 * n_jobs:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
        pool.close()
    finally:
        pool.terminate()
        pool.join()
        _FORKED_MODEL.clear()


def _parallel_label_chunks(model, chunks, options, n_jobs):
    """Label chunks in *n_jobs* worker processes (forked on Linux, else loky); yield results in input order."""
    if use_fork():
        yield from _forked_label_chunks(model, chunks, options, n_jobs)
        return
    from joblib import Parallel, delayed

    shared = SharedModel(model)
    try:
        with Parallel(n_jobs=n_jobs, backend="loky", return_as="generator", batch_size=1,
                      pre_dispatch="2*n_jobs") as parallel:
            yield from parallel(delayed(_label_shared)(shared, lines, first, options) for first, lines in chunks)
    finally:
        shared.close()
