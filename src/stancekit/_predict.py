"""Streaming prediction over JSON Lines: one output line per input line, in order."""

import json
import os
from pathlib import Path

from .data import DataFormatError, parse_jsonl_line

_RESERVED = ("hedging", "hedge_cues", "claim_type", "source", "stance", "error", "explanation")


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


def parse_input_line(raw, *, path, line):
    """Parse and check one input line; return the record or raise DataFormatError."""
    rec = parse_jsonl_line(raw, path=path, line=line)
    if "text" not in rec:
        raise DataFormatError("an object with a 'text' field", f"fields {sorted(rec)}", path=path, line=line,
                              field="text")
    text = rec["text"]
    if not isinstance(text, str):
        raise DataFormatError("a string", f"{type(text).__name__} {text!r:.40}", path=path, line=line, field="text")
    if not text.strip():
        raise DataFormatError("a non-empty sentence", text, path=path, line=line, field="text")
    target = rec.get("target")
    if target is not None and (not isinstance(target, str) or not target.strip()):
        raise DataFormatError("a non-empty string or no 'target' field", target, path=path, line=line,
                              field="target")
    if "id" in rec and not isinstance(rec["id"], (str, int)):
        raise DataFormatError("a string or integer", rec["id"], path=path, line=line, field="id")
    for key in _RESERVED:
        if key in rec:
            raise DataFormatError(f"no '{key}' field (it is an output field)", rec[key], path=path, line=line,
                                  field=key)
    return rec


def predict_stream(model, infile, outfile, *, source="<stdin>", chunk_size=2048, strict=False, explain=False):
    """Label every line of *infile* (binary) and write JSON Lines to *outfile* (text).

    Returns ``(n_lines, n_failed)``. A bad line yields an error record
    ``{"line": N, "error": ...}`` in its place; with *strict* the first bad
    line raises :class:`DataFormatError` instead.
    """
    n_lines = n_failed = 0
    chunk = []

    def flush():
        nonlocal n_failed
        good = [(i, rec) for i, (_, rec, err) in enumerate(chunk) if err is None]
        results = model.analyze([r["text"] for _, r in good], [r.get("target") for _, r in good]) if good else []
        by_index = {i: res for (i, _), res in zip(good, results)}
        for i, (lineno, rec, err) in enumerate(chunk):
            if err is not None:
                n_failed += 1
                out = {"line": lineno, "error": str(err)}
                if isinstance(rec, dict) and "id" in rec:
                    out["id"] = rec["id"]
            else:
                out = dict(rec)
                out.update(by_index[i])
                if explain:
                    exp = model.explain(rec["text"], rec.get("target"))
                    out["explanation"] = {"layers": exp["layers"], "cues": exp["cues"]}
            outfile.write(json.dumps(out, ensure_ascii=False) + "\n")
        chunk.clear()

    for lineno, raw in enumerate(infile, start=1):
        n_lines += 1
        try:
            rec = parse_input_line(raw, path=source, line=lineno)
            chunk.append((lineno, rec, None))
        except DataFormatError as exc:
            if strict:
                flush()
                raise
            chunk.append((lineno, None, exc))
        if len(chunk) >= chunk_size:
            flush()
    flush()
    return n_lines, n_failed
