"""Shared code of the external benchmark loaders.

The in-memory form every loader returns (:class:`ExternalDataset`), data
directory resolution, the check for expected files, text cleaning (HTML
entities, byte-order marks, whitespace) with offset-preserving cue spans,
duplicate flagging, and readers for CSV/TSV and JSON files whose errors name
the file, line and field.
"""

import bisect
import csv
import hashlib
import html
import io
import json
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .._errors import DataFormatError

#: Environment variable holding the directory that contains the dataset folders.
DATA_ENV = "STANCEKIT_DATA"

#: Layers an external dataset can belong to.
EXTERNAL_LAYERS = ("stance", "hedging", "checkworthy")


@dataclass
class ExternalDataset:
    """A public benchmark dataset in stancekit's common in-memory form.

    Parameters
    ----------
    name : str
        Short dataset name, e.g. ``"emergent"``.
    layer : {"stance", "hedging", "checkworthy"}
        The annotation layer the labels belong to.
    items : list of dict
        One dict per example with the keys ``id`` (str, unique), ``text``
        (str), ``target`` (str or None; the claim/headline/target phrase for
        stance datasets, None otherwise), ``label`` (str, after
        ``label_mapping``), ``split`` (str), ``group`` (str; the unit that must
        not be split across cross-validation folds) and ``cues`` (list of
        ``[start, end]`` character spans into ``text``; only hedging datasets
        with cue annotation fill it).
    label_mapping : dict
        The dataset's own label -> the label used in ``items``.
    source_dir : pathlib.Path
        The directory the files were read from.
    duplicates : dict, default={}
        Id of each later item that repeats an earlier one (same split, text
        and target) -> id of the first such item. Duplicates are kept unless
        the loader was called with ``drop_duplicates=True``.
    has_cues : bool, default=False
        Whether the items carry cue spans (see :meth:`cue_view`).

    Examples
    --------
    >>> ds = ExternalDataset("toy", "hedging",
    ...     [{"id": "1", "text": "It may rain.", "target": None, "label": "hedged",
    ...       "split": "all", "group": "d1", "cues": [[3, 6]]}],
    ...     {"-1": "hedged"}, Path("."), has_cues=True)
    >>> ds.view()
    (['It may rain.'], ['hedged'], ['d1'])
    >>> ds.cue_view()
    (['It may rain.'], [[(3, 6)]], ['d1'])
    """

    name: str
    layer: str
    items: list
    label_mapping: dict
    source_dir: Path
    duplicates: dict = field(default_factory=dict)
    has_cues: bool = False

    def splits(self):
        """Split names present in the data, in the order they first occur.

        Returns
        -------
        list of str
        """
        return list(dict.fromkeys(item["split"] for item in self.items))

    def labels(self):
        """Sorted set of the labels present in the data.

        Returns
        -------
        list of str
        """
        return sorted({item["label"] for item in self.items})

    def _select(self, split):
        if split is None:
            return self.items
        wanted = (split,) if isinstance(split, str) else tuple(split)
        present = self.splits()
        for s in wanted:
            if s not in present:
                raise ValueError(f"{self.name}: split must be one of {present} or a list of them, got {s!r}")
        return [item for item in self.items if item["split"] in wanted]

    def label_counts(self, split=None):
        """Number of items per label.

        Parameters
        ----------
        split : str or list of str, default=None
            Restrict to these split(s); None counts every item.

        Returns
        -------
        dict
            Label -> count, labels sorted.
        """
        counts = Counter(item["label"] for item in self._select(split))
        return {label: counts[label] for label in sorted(counts)}

    def view(self, split=None):
        """``(X, y, groups)`` ready for scikit-learn.

        Parameters
        ----------
        split : str or list of str, default=None
            Restrict to these split(s); None returns every item.

        Returns
        -------
        X : list
            ``(text, target)`` pairs for stance datasets, texts otherwise.
        y : list of str
            Labels.
        groups : list of str
            Group of each item (for ``GroupKFold`` and friends).
        """
        rows = self._select(split)
        if self.layer == "stance":
            X = [(item["text"], item["target"]) for item in rows]
        else:
            X = [item["text"] for item in rows]
        return X, [item["label"] for item in rows], [item["group"] for item in rows]

    def cue_view(self, split=None):
        """``(texts, spans, groups)`` for hedging datasets with cue spans.

        Parameters
        ----------
        split : str or list of str, default=None
            Restrict to these split(s); None returns every item.

        Returns
        -------
        texts : list of str
        spans : list of list of tuple
            ``(start, end)`` character offsets of the cues of each text.
        groups : list of str

        Raises
        ------
        ValueError
            When the dataset carries no cue spans.
        """
        if not self.has_cues:
            raise ValueError(f"{self.name}: this dataset has no cue spans (layer {self.layer!r}); "
                             "use view() for sentence labels")
        rows = self._select(split)
        return ([item["text"] for item in rows], [[tuple(c) for c in item["cues"]] for item in rows],
                [item["group"] for item in rows])

    def __len__(self):
        return len(self.items)

    def __repr__(self):
        per_split = ", ".join(f"{s}={sum(1 for i in self.items if i['split'] == s)}" for s in self.splits())
        return (f"ExternalDataset(name={self.name!r}, layer={self.layer!r}, items={len(self.items)} "
                f"[{per_split}], labels={self.labels()}, duplicates={len(self.duplicates)})")


# ---------------------------------------------------------------------------
# Directories and files
# ---------------------------------------------------------------------------

def resolve_data_dir(data_dir=None):
    """Return the directory that holds the dataset folders.

    Parameters
    ----------
    data_dir : str or path-like, default=None
        The directory; None reads the environment variable ``STANCEKIT_DATA``.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        When neither ``data_dir`` nor ``STANCEKIT_DATA`` is given.
    FileNotFoundError
        When the directory does not exist.
    """
    if data_dir is None:
        env = os.environ.get(DATA_ENV)
        if not env:
            raise ValueError(f"no data directory for the external benchmarks: pass data_dir=... or set the "
                             f"environment variable {DATA_ENV} to the folder holding the dataset folders")
        data_dir, origin = env, f" (from {DATA_ENV})"
    else:
        origin = ""
    root = Path(data_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"{root}{origin}: no such data directory")
    return root


def dataset_dir(name, folder, data_dir=None):
    """Directory of one dataset: ``<data_dir>/<folder>``, or ``data_dir`` itself if it is that folder."""
    root = resolve_data_dir(data_dir)
    candidate = root / folder
    if candidate.is_dir():
        return candidate
    if root.name == folder:
        return root
    raise FileNotFoundError(f"{name}: dataset folder '{folder}' not found in {root}")


def require_files(name, directory, filenames):
    """Return ``{file name: path}``; raise FileNotFoundError naming every expected file if any is missing.

    A directory where a file belongs raises IsADirectoryError naming it.
    """
    directory = Path(directory)
    paths = {fn: directory / fn for fn in filenames}
    for fn, p in paths.items():
        if p.is_dir():
            raise IsADirectoryError(f"{name}: {p}: expected a file, found a directory")
    missing = [fn for fn, p in paths.items() if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"{name}: missing {', '.join(missing)} in {directory}; "
                                f"expected files: {', '.join(filenames)}")
    return paths


def read_text(path):
    """Read a UTF-8 file (a leading byte-order mark is dropped); bad bytes and NUL bytes raise DataFormatError."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DataFormatError("valid UTF-8", f"invalid byte {raw[exc.start:exc.start + 1]!r}",
                              path=path, line=line) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise DataFormatError("text without NUL bytes", "a NUL byte (\\x00)", path=path,
                              line=text.count("\n", 0, nul) + 1)
    return text


# ---------------------------------------------------------------------------
# Text cleaning
# ---------------------------------------------------------------------------

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_BOM = "\ufeff"
_WHITESPACE = re.compile(r"\s+")


def unescape_entities(text):
    """Replace HTML character references that end in ``;`` (repeatedly, for double escaping).

    Unlike :func:`html.unescape` alone, a bare ``&name`` without ``;`` is left
    as it is (``&param`` stays ``&param``).
    """
    for _ in range(3):
        new = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
        if new == text:
            break
        text = new
    return text


def clean_segments(segments):
    """Clean a sequence of text segments and return the spans of the tagged ones.

    Each segment is unescaped (HTML entities) and stripped of byte-order
    marks; then whitespace runs across the whole text become one space and the
    ends are stripped. Offsets are mapped through both steps, so tagged
    segments (cues) keep exact spans.

    Parameters
    ----------
    segments : iterable of (str, hashable or None)
        Text pieces in order and their tag (None for untagged text).

    Returns
    -------
    text : str
    spans : dict
        Tag -> ``[start, end]`` from the first to the last non-space
        character of that tag's segments; tags whose text is empty after
        cleaning are absent.
    """
    pieces, bounds, pos = [], [], 0
    for piece, tag in segments:
        piece = unescape_entities(piece).replace(_BOM, "")
        if tag is not None:
            left, right = len(piece) - len(piece.lstrip()), len(piece.rstrip())
            if right > left:
                bounds.append((tag, pos + left, pos + right))
        pieces.append(piece)
        pos += len(piece)
    raw = "".join(pieces)
    text = " ".join(raw.split())
    if not bounds:
        return text, {}
    # Characters removed before each whitespace run's end: a run shrinks to one space, or to
    # nothing at the start of the text (runs at the end precede no kept character).
    ends, removed, total = [], [], 0
    for m in _WHITESPACE.finditer(raw):
        total += (m.end() - m.start()) - (0 if m.start() == 0 else 1)
        ends.append(m.end())
        removed.append(total)

    def new_index(i):  # i is the raw index of a non-space character
        k = bisect.bisect_right(ends, i)
        return i - (removed[k - 1] if k else 0)

    spans = {}
    for tag, a, b in bounds:
        start, end = new_index(a), new_index(b - 1) + 1
        if tag in spans:
            spans[tag] = [min(spans[tag][0], start), max(spans[tag][1], end)]
        else:
            spans[tag] = [start, end]
    return text, spans


def clean_text(text, *, keep_newlines=False):
    """Unescape HTML entities, drop byte-order marks and normalise whitespace.

    Parameters
    ----------
    text : str
    keep_newlines : bool, default=False
        Keep paragraph breaks (runs of line breaks become one ``"\\n"``, or
        ``"\\n\\n"`` for a blank line) and collapse only other whitespace.

    Returns
    -------
    str
    """
    if not keep_newlines:
        return " ".join(unescape_entities(text).replace(_BOM, "").split())
    text = unescape_entities(text).replace(_BOM, "").replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    out = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", out)


def text_group(text):
    """A group id shared by identical texts (for datasets without documents)."""
    return "t" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def doc_fold(doc_id, n_folds=10):
    """Fold index of a document: sha256 of its id modulo ``n_folds``."""
    return int(hashlib.sha256(str(doc_id).encode("utf-8")).hexdigest(), 16) % n_folds


# ---------------------------------------------------------------------------
# Items, labels, duplicates
# ---------------------------------------------------------------------------

def make_item(id, text, label, split, group, target=None, cues=None):
    """One item of the common form."""
    return {"id": str(id), "text": text, "target": target, "label": label, "split": split,
            "group": str(group), "cues": [list(c) for c in cues] if cues else []}


def map_label(raw, mapping, *, path, line, field):
    """``mapping[raw]``; an unknown label raises DataFormatError naming the file, line and field."""
    try:
        return mapping[raw]
    except (KeyError, TypeError):
        expected = "one of " + ", ".join(repr(k) for k in mapping)
        raise DataFormatError(expected, raw, path=path, line=line, field=field) from None


def require_text(text, *, path, line, field):
    """Return *text* unless it is empty (after cleaning); empty text raises DataFormatError."""
    if not text:
        raise DataFormatError("a non-empty text", text, path=path, line=line, field=field)
    return text


def find_duplicates(items):
    """Map each later item repeating an earlier one (same split, text and target) to the first one's id."""
    first, dups = {}, {}
    for item in items:
        key = (item["split"], item["text"], item["target"])
        if key in first:
            dups[item["id"]] = first[key]
        else:
            first[key] = item["id"]
    return dups


def check_unique_ids(items, name):
    """Raise ValueError if two items share an id (a loader bug or a corrupt file)."""
    seen = set()
    for item in items:
        if item["id"] in seen:
            raise ValueError(f"{name}: duplicate item id {item['id']!r}")
        seen.add(item["id"])


def build_dataset(name, layer, items, label_mapping, source_dir, *, drop_duplicates=False, has_cues=False):
    """Flag (or drop) duplicates and wrap the items in an :class:`ExternalDataset`."""
    check_unique_ids(items, name)
    dups = find_duplicates(items)
    if drop_duplicates and dups:
        items = [item for item in items if item["id"] not in dups]
    return ExternalDataset(name=name, layer=layer, items=items, label_mapping=dict(label_mapping),
                           source_dir=Path(source_dir), duplicates=dups, has_cues=has_cues)


# ---------------------------------------------------------------------------
# File readers
# ---------------------------------------------------------------------------

def _raise_field_size_limit():
    """Lift csv's per-field limit (131072 characters by default) so that long texts can be read."""
    limit = sys.maxsize
    while limit > csv.field_size_limit():
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:  # a C long is smaller than sys.maxsize on some platforms
            limit //= 2


def iter_delimited(path, *, delimiter=",", header=None, columns=None, quoting=csv.QUOTE_MINIMAL,
                   allow_extra=False):
    """Yield ``(line, row)`` from a CSV/TSV file, ``line`` being the 1-based line the record starts on.

    Parameters
    ----------
    path : path-like
    delimiter : str, default=","
    header : list of str, default=None
        Column names the first line must contain (in any order, others
        allowed); rows are then dicts. None: no header line, rows are lists
        of exactly ``columns`` fields.
    columns : int, default=None
        Number of fields each row must have when ``header`` is None.
    quoting : int, default=csv.QUOTE_MINIMAL
    allow_extra : bool, default=False
        Yield rows with more fields than the header (as lists under the key
        ``None``, like :class:`csv.DictReader`) instead of raising.

    Raises
    ------
    DataFormatError
        A missing header column, or a row with the wrong number of fields.
    """
    text = read_text(path)
    _raise_field_size_limit()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting, strict=True)
    names = None
    prev_end = 0
    try:
        for row in reader:
            start, prev_end = prev_end + 1, reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if header is not None and names is None:
                names = [c.strip().lstrip("\ufeff") for c in row]
                for col in header:
                    if col not in names:
                        raise DataFormatError(f"a header with the columns {list(header)}", row,
                                              path=path, line=start, field=col)
                continue
            if names is not None:
                if len(row) < len(names) or (len(row) > len(names) and not allow_extra):
                    # Too few fields: name the first missing column; too many: the last expected one.
                    col = names[len(row)] if len(row) < len(names) else names[-1]
                    raise DataFormatError(f"{len(names)} fields ({', '.join(names)})", f"{len(row)} fields: {row}",
                                          path=path, line=start, field=col)
                record = dict(zip(names, row))
                if len(row) > len(names):
                    record[None] = row[len(names):]
                yield start, record
            else:
                if columns is not None and len(row) != columns:
                    raise DataFormatError(f"{columns} fields", f"{len(row)} fields: {row}",
                                          path=path, line=start, field="columns")
                yield start, row
    except csv.Error as exc:
        # Name the line where the bad record starts; reader.line_num is where the parser gave up
        # (the end of the file for an unterminated quote).
        raise DataFormatError("well-formed CSV", str(exc), path=path, line=prev_end + 1) from None
    if header is not None and names is None:
        raise DataFormatError(f"a header with the columns {list(header)}", "an empty file", path=path, line=1)


def load_json(path):
    """Parse a JSON file; malformed JSON raises DataFormatError naming the line."""
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFormatError("valid JSON", f"{exc.msg} at column {exc.colno}", path=path,
                              line=exc.lineno) from None


def iter_json_array(path):
    """Yield ``(line, index, element)`` for each element of a top-level JSON array.

    ``line`` is the 1-based line on which the element starts.
    """
    text = read_text(path)
    decoder = json.JSONDecoder()
    ws = re.compile(r"\s*")

    def fail(expected, pos):
        line = text.count("\n", 0, pos) + 1
        found = text[pos:pos + 30] or "end of file"
        raise DataFormatError(expected, found, path=path, line=line)

    pos = ws.match(text, 0).end()
    if not text.startswith("[", pos):
        fail("a JSON array", pos)
    pos = ws.match(text, pos + 1).end()
    if text.startswith("]", pos):
        return
    index, line, line_pos = 0, 1, 0
    while True:
        try:
            element, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise DataFormatError("valid JSON", f"{exc.msg} at column {exc.colno}", path=path,
                                  line=exc.lineno) from None
        line += text.count("\n", line_pos, pos)
        line_pos = pos
        yield line, index, element
        index += 1
        pos = ws.match(text, end).end()
        if text.startswith(",", pos):
            pos = ws.match(text, pos + 1).end()
        elif text.startswith("]", pos):
            if text[pos + 1:].strip():
                fail("end of file after the array", pos + 1)
            return
        else:
            fail("',' or ']'", pos)
