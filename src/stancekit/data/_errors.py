"""Errors raised for bad input: each names the file, line, field, expected and found."""


def _short(value, limit=80):
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class DataFormatError(ValueError):
    """A record in an input file is malformed.

    Attributes
    ----------
    path : str or None
        File the record came from.
    line : int or None
        1-based line number in that file.
    field : str or None
        Name (or dotted path) of the offending field.
    expected : str
        What was expected.
    found : object
        What was found instead.
    """

    def __init__(self, expected, found=None, *, path=None, line=None, field=None):
        self.path = None if path is None else str(path)
        self.line = line
        self.field = field
        self.expected = expected
        self.found = found
        where = []
        if self.path is not None:
            where.append(self.path if line is None else f"{self.path}, line {line}")
        elif line is not None:
            where.append(f"line {line}")
        if field is not None:
            where.append(f"field '{field}'")
        prefix = ": ".join(where)
        msg = f"expected {expected}, found {_short(found)}"
        super().__init__(f"{prefix}: {msg}" if prefix else msg)


class CorpusFormatError(DataFormatError):
    """A corpus file (documents or sentences) breaks the annotation scheme."""
