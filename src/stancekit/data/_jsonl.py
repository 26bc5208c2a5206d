"""Reading JSON Lines files with errors that name the file, line and problem."""

import json
import math
import os
import re

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


def _safe(key):
    """A key as printable text (unpaired surrogates and NULs escaped)."""
    return key.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


class _Reject(ValueError):
    """Raised by the JSON decoding hooks; turned into a DataFormatError by the caller."""

    def __init__(self, expected, found, field=None):
        super().__init__(expected)
        self.expected, self.found, self.field = expected, found, field


_NO_REPEATS = "an object without repeated keys"


def _object_pairs(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise _Reject(_NO_REPEATS, f"the key '{_safe(key)}' twice", _safe(key))
        obj[key] = value
    return obj


def _repeated_key_path(text):
    """The dotted path (``meta.a``, ``items[2].b``) of the first repeated key in *text*, or None.

    Only called for a line that has one: decodes it again keeping repeats, notes the innermost object that
    had one (objects are built innermost first), then finds where that object sits.
    """
    found = []

    def keep(pairs):
        obj = dict(pairs)
        if not found and len(obj) < len(pairs):
            seen = set()
            key = next(k for k, _ in pairs if k in seen or seen.add(k))
            found.append((obj, key))
        return obj

    try:
        root = json.loads(text, object_pairs_hook=keep)
    except (ValueError, RecursionError):
        return None
    if not found:
        return None
    target, key = found[0]
    stack = [(root, None)]
    while stack:
        node, path = stack.pop()
        if node is target:
            return _safe(key) if path is None else f"{path}.{_safe(key)}"
        if isinstance(node, dict):
            stack.extend((v, _safe(k) if path is None else f"{path}.{_safe(k)}") for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, f"{path or ''}[{i}]") for i, v in enumerate(node))
    return None


def _constant(name):
    raise _Reject("standard JSON numbers", f"the non-standard constant {name}")


def _float(text):
    value = float(text)
    if not math.isfinite(value):
        raise _Reject("a finite number", f"{text[:40]} (overflows to {value})")
    return value


_DECODER = json.JSONDecoder(object_pairs_hook=_object_pairs, parse_constant=_constant, parse_float=_float)
#: Deepest nesting of arrays and objects a line may have. Fixed, so that whether a line is accepted never
#: depends on how deep the reading process's own stack is (a worker's differs from the main process's).
MAX_DEPTH = 400


def json_kind(value):
    """The JSON name of a decoded value's type: object, array, string, number, true/false or null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "number"
    return {dict: "object", list: "array", str: "string"}.get(type(value), type(value).__name__)


def _too_deep(text, limit=MAX_DEPTH):
    """Whether *text* nests arrays/objects more than *limit* deep (brackets inside strings do not count)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def _bad_string(value):
    """Why *value* cannot be written back as UTF-8 JSON text, or None."""
    if "\x00" in value:
        return f"a NUL character (\\u0000) at column {value.index(chr(0)) + 1} of the value"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"an unpaired surrogate \\u{ord(value[exc.start]):04x} at column {exc.start + 1} of the value"
    return None


def _check_strings(obj):
    """Find the first string (key or value) holding a NUL or an unpaired surrogate.

    Iterative, so deeply nested records cannot exhaust the stack. Returns
    ``(field, problem)`` or None; ``field`` is a dotted path such as ``stance[0].label``.
    """
    stack = [(obj, None)]
    while stack:
        node, field = stack.pop()
        if isinstance(node, str):
            problem = _bad_string(node)
            if problem:
                return field, problem
        elif isinstance(node, dict):
            items = list(node.items())
            for key, value in reversed(items):
                sub = _safe(key) if field is None else f"{field}.{_safe(key)}"
                problem = _bad_string(key)
                if problem:
                    return sub, f"{problem.replace('of the value', 'of the key')}"
                stack.append((value, sub))
        elif isinstance(node, list):
            for i in range(len(node) - 1, -1, -1):
                stack.append((node[i], f"{field or ''}[{i}]"))
    return None


def parse_jsonl_line(raw, *, path=None, line=None):
    """Decode one raw line (bytes) of a JSON Lines file into a JSON object (dict).

    A UTF-8 byte-order mark and CRLF line ends are accepted; invalid UTF-8,
    NUL bytes (raw or escaped as ``\\u0000``), unpaired surrogates, repeated
    keys, ``NaN``/``Infinity``, malformed JSON and non-object values raise
    :class:`DataFormatError` naming the file and line (and the field, where
    there is one).
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
    if not text.strip(" \t"):
        raise DataFormatError("a JSON object", "a blank line", path=path, line=line)
    if _too_deep(text):
        raise DataFormatError("a JSON object", f"JSON nested more than {MAX_DEPTH} levels deep", path=path,
                              line=line)
    try:
        obj = _DECODER.decode(text)
    except _Reject as exc:
        field = exc.field
        if exc.expected == _NO_REPEATS:
            field = _repeated_key_path(text) or field
        raise DataFormatError(exc.expected, exc.found, path=path, line=line, field=field) from None
    except json.JSONDecodeError as exc:
        raise DataFormatError("a JSON object", f"malformed JSON ({exc.msg} at column {exc.colno})",
                              path=path, line=line) from None
    except RecursionError:
        raise DataFormatError("a JSON object", "JSON nested too deeply to decode", path=path, line=line) from None
    except ValueError as exc:  # e.g. an integer longer than Python's int-string conversion limit
        raise DataFormatError("a JSON object", f"a value that cannot be read ({exc})", path=path,
                              line=line) from None
    if not isinstance(obj, dict):
        raise DataFormatError("a JSON object", f"a JSON {json_kind(obj)}", path=path, line=line)
    # Valid UTF-8 without NUL bytes decodes to text with neither NULs nor unpaired surrogates, so a
    # decoded string can hold one only through a \u escape: lines without one need no walk of their strings.
    bad = _check_strings(obj) if b"\\u" in raw else None
    if bad is not None:
        field, problem = bad
        expected = "text without NUL characters" if "NUL" in problem else "text that is valid Unicode"
        raise DataFormatError(expected, problem, path=path, line=line, field=field)
    return obj


def _is_blank(raw):
    if raw.startswith(_BOM):
        raw = raw[len(_BOM):]
    return not raw.strip(b" \t\r\n")


_LONE_CR = re.compile(rb"\r(?!\n)")


def split_lines(fh):
    """Yield the raw lines of a binary file, ending a line at LF, CRLF or a lone CR (old Mac files).

    JSON text cannot hold a raw CR (inside a string it must be escaped), so a lone CR is always a line end.
    """
    for raw in fh:
        if b"\r" not in raw or (raw.endswith(b"\r\n") and raw.count(b"\r") == 1):
            yield raw
            continue
        parts = _LONE_CR.split(raw)
        if parts and parts[-1] == b"":
            parts.pop()
        yield from parts


def iter_jsonl(path, *, skip_blank=True):
    """Yield ``(line_number, record)`` for each non-blank line of a JSON Lines file."""
    path = check_readable_file(path)
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(split_lines(fh), start=1):
            if skip_blank and _is_blank(raw):
                continue
            yield lineno, parse_jsonl_line(raw, path=path, line=lineno)
