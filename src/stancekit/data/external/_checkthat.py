"""CLEF-2024 CheckThat! Task 1, English: check-worthiness of debate sentences.

Files (folder ``clef2024_task1_en``)
------------------------------------
``CT24_checkworthy_english_train.tsv``, ``..._dev.tsv``, ``..._dev-test.tsv``,
``..._test_gold.tsv``: tab-separated, header ``Sentence_id<TAB>Text<TAB>class_label``,
labels ``Yes`` / ``No``.

Mapping
-------
``Yes`` -> ``checkworthy``, ``No`` -> ``not_checkworthy``. Splits ``train``,
``dev``, ``dev-test`` and ``test`` (from the ``_test_gold`` file). ``id`` =
``Sentence_id`` (unique across the four files); ``target`` is None;
``group`` = a hash of the cleaned text (identical sentences share a group).

Quirks
------
* Fused lines: in the training file one line holds two records (missing
  newline), so its label field reads ``No29286`` followed by the next
  record's text and label in extra columns. Such a line is split back into
  its records (the label field ``<Yes|No><digits>`` gives the next id); the
  training split then has 22,501 items.
* Texts containing commas are wrapped CSV-style in double quotes with inner
  quotes doubled (``"He said ""no"", twice."``); the wrapping is removed and
  ``""`` becomes ``"``. A text with an unpaired inner quote is kept as is.
* CRLF line ends (dev file), byte-order marks and HTML entities are handled;
  whitespace is collapsed.
* Identical sentences within a split are listed in ``dataset.duplicates`` (99
  in the shared copy, 6 of them labelled differently from their first
  occurrence) and kept unless ``drop_duplicates=True``, which keeps the first
  occurrence and its label.
"""

import re

from ._common import (build_dataset, clean_text, dataset_dir, map_label, read_text, require_files, require_text,
                      text_group)
from .._errors import DataFormatError

NAME = "checkthat"
FOLDER = "clef2024_task1_en"
SPLIT_FILES = {
    "train": "CT24_checkworthy_english_train.tsv",
    "dev": "CT24_checkworthy_english_dev.tsv",
    "dev-test": "CT24_checkworthy_english_dev-test.tsv",
    "test": "CT24_checkworthy_english_test_gold.tsv",
}
COLUMNS = ("Sentence_id", "Text", "class_label")
LABEL_MAPPING = {"Yes": "checkworthy", "No": "not_checkworthy"}
_FUSED = re.compile(r"(Yes|No)\s*(\d+)")


def unquote(text):
    """Undo CSV-style quoting of a field (``"a ""b"" c"`` -> ``a "b" c``) if it is well formed."""
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        inner = text[1:-1]
        if '"' not in inner.replace('""', ""):
            return inner.replace('""', '"')
    return text


def _split_fused(fields, *, path, line):
    """Split one line's fields into records of 3 fields, undoing fused lines."""
    records = []
    while True:
        if len(fields) == 3:
            records.append(fields)
            return records
        if len(fields) < 3:
            raise DataFormatError("3 tab-separated fields (Sentence_id, Text, class_label)",
                                  f"{len(fields)} fields: {fields}", path=path, line=line, field=COLUMNS[len(fields)])
        m = _FUSED.fullmatch(fields[2].strip())
        if not m:
            raise DataFormatError("3 tab-separated fields (Sentence_id, Text, class_label)",
                                  f"{len(fields)} fields: {fields}", path=path, line=line, field="class_label")
        records.append([fields[0], fields[1], m.group(1)])
        fields = [m.group(2)] + fields[3:]


def _read_split(path, split):
    lines = read_text(path).split("\n")
    header = lines[0].rstrip("\r").split("\t") if lines else []
    if [h.strip() for h in header] != list(COLUMNS):
        raise DataFormatError("the header " + "<TAB>".join(COLUMNS), lines[0] if lines else "an empty file",
                              path=path, line=1, field="header")
    items, seen = [], {}
    for n, raw in enumerate(lines[1:], start=2):
        raw = raw.rstrip("\r")
        if not raw.strip():
            continue
        for sid, text, label in _split_fused(raw.split("\t"), path=path, line=n):
            where = {"path": path, "line": n}
            sid = sid.strip()
            if not sid:
                raise DataFormatError("a non-empty Sentence_id", sid, field="Sentence_id", **where)
            if sid in seen:
                raise DataFormatError(f"a unique Sentence_id (also on line {seen[sid]})", sid, field="Sentence_id",
                                      **where)
            seen[sid] = n
            label = map_label(label.strip(), LABEL_MAPPING, field="class_label", **where)
            text = require_text(clean_text(unquote(text.strip())), field="Text", **where)
            items.append({"id": sid, "text": text, "target": None, "label": label, "split": split,
                          "group": text_group(text), "cues": []})
    return items


def load_checkthat(data_dir=None, *, drop_duplicates=False):
    """Load CheckThat! 2024 Task 1 (English) check-worthiness sentences.

    Parameters
    ----------
    data_dir : str or path-like, default=None
        Directory holding the ``clef2024_task1_en`` folder (or that folder
        itself); None reads ``STANCEKIT_DATA``.
    drop_duplicates : bool, default=False
        Drop repeated sentences within a split, keeping the first.

    Returns
    -------
    ExternalDataset
        Layer ``"checkworthy"``, splits ``train``, ``dev``, ``dev-test``, ``test``.

    Raises
    ------
    FileNotFoundError
        When a file is missing (the message lists every expected file).
    DataFormatError
        A malformed line (names the file, line and field).
    """
    directory = dataset_dir(NAME, FOLDER, data_dir)
    paths = require_files(NAME, directory, list(SPLIT_FILES.values()))
    items = []
    for split, fn in SPLIT_FILES.items():
        items += _read_split(paths[fn], split)
    return build_dataset(NAME, "checkworthy", items, LABEL_MAPPING, directory, drop_duplicates=drop_duplicates)
