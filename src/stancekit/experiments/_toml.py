"""Reading TOML (tomllib / tomli) and writing the small TOML subset that configs use."""

import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def load_toml(path):
    """Parse a TOML file; a leading UTF-8 byte-order mark is dropped.

    Invalid UTF-8 raises UnicodeDecodeError whose message names the line of the bad byte; malformed TOML
    raises ``tomllib.TOMLDecodeError``; OSError (missing, unreadable) propagates.
    """
    with open(path, "rb") as fh:
        raw = fh.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start + len(raw) - len(exc.object)  # the codec reports offsets after a byte-order mark
        line = raw.count(b"\n", 0, start) + 1
        raise UnicodeDecodeError(exc.encoding, raw, start, start + (exc.end - exc.start),
                                 f"{exc.reason} (line {line})") from None
    return tomllib.loads(text)


def _value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items() if x is not None) + "}"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def _key(k):
    return k if k.replace("_", "").replace("-", "").isalnum() else _value(k)


def dumps_toml(data, _prefix=""):
    """Serialise nested dicts to TOML. ``None`` values are written as comments (TOML has no null)."""
    lines, tables, arrays = [], [], []
    for k, v in data.items():
        if isinstance(v, dict):
            tables.append((k, v))
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            arrays.append((k, v))
        elif v is None:
            lines.append(f"# {_key(k)} = (none)")
        else:
            lines.append(f"{_key(k)} = {_value(v)}")
    out = "\n".join(lines)
    for k, v in tables:
        name = f"{_prefix}{_key(k)}"
        out += f"\n\n[{name}]\n" + dumps_toml(v, name + ".")
    for k, v in arrays:
        name = f"{_prefix}{_key(k)}"
        for item in v:
            out += f"\n\n[[{name}]]\n" + dumps_toml(item, name + ".")
    return out.strip("\n") + ("\n" if not _prefix else "")
