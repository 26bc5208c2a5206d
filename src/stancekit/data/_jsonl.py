"""Reading JSON Lines files with errors that name the file, line and problem."""

import json
import os

from ._errors import DataFormatError

_BOM = b"\xef\xbb\xbf"


def check_readable_file(path):
    """Raise a clear error unless *path* is an existing, readable regular file."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path}: no such file")
    if os.path.isdir(path):
        raise IsADirectoryError(f"{path}: expected a file, found a directory")
    if not os.access(path, os.R_OK):
        raise PermissionError(f"{path}: file is not readable (permission denied)")
    return path


def parse_jsonl_line(raw, *, path=None, line=None):
    """Decode one raw line (bytes) of a JSON Lines file into a JSON object (dict).

    A UTF-8 byte-order mark and CRLF line ends are accepted; invalid UTF-8,
    NUL bytes, malformed JSON and non-object values raise
    :class:`DataFormatError` naming the file and line.
    """
    if raw.startswith(_BOM):
        raw = raw[len(_BOM):]
    raw = raw.rstrip(b"\r\n")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise DataFormatError("text without NUL bytes", f"NUL byte at column {nul + 1}",
                              path=path, line=line)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataFormatError("valid UTF-8", f"invalid byte {raw[exc.start:exc.start + 1]!r} at column {exc.start + 1}",
                              path=path, line=line) from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFormatError("a JSON object", f"malformed JSON ({exc.msg} at column {exc.colno})",
                              path=path, line=line) from None
    if not isinstance(obj, dict):
        raise DataFormatError("a JSON object", f"a JSON {type(obj).__name__}", path=path, line=line)
    return obj


def iter_jsonl(path, *, skip_blank=True):
    """Yield ``(line_number, record)`` for each non-blank line of a JSON Lines file."""
    path = check_readable_file(path)
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if skip_blank and not raw.strip(b" \t\r\n\xef\xbb\xbf"):
                continue
            yield lineno, parse_jsonl_line(raw, path=path, line=lineno)
