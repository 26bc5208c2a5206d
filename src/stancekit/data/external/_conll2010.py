"""CoNLL-2010 Shared Task 1, Wikipedia sentences: the balanced 3,000-sentence sample from Pattern.

Files (folder ``conll2010_wiki_pattern``)
-----------------------------------------
``uncertainty-conll2010.csv``
    CSV, UTF-8 with a byte-order mark, no header, two quoted columns
    ``label,sentence``; label ``1`` = certain, ``-1`` = uncertain.

Mapping
-------
``1`` -> ``certain``, ``-1`` -> ``hedged``. ``target`` is None and ``cues``
empty (the sample carries no cue spans, so :meth:`ExternalDataset.cue_view`
raises). There is no official split: every item has split ``"all"``; use
grouped cross-validation. ``id`` = the 0-based row index; ``group`` = a hash
of the cleaned sentence, so duplicated sentences share a group and never
straddle folds.

Quirks
------
The byte-order mark is dropped; HTML entities (``&quot;``, ``&amp;``, in 271
rows) are unescaped; whitespace is collapsed. 36 sentences occur more than
once (43 repeated rows, never with conflicting labels): the repeats are
listed in ``dataset.duplicates`` and kept (so the counts match the
published sample) unless ``drop_duplicates=True``. The sample is balanced
(50 % uncertain), unlike the real distribution.
"""

from .._errors import DataFormatError
from ._common import (build_dataset, clean_text, dataset_dir, iter_delimited, map_label, require_files,
                      require_text, text_group)

NAME = "conll2010"
FOLDER = "conll2010_wiki_pattern"
CSV_FILE = "uncertainty-conll2010.csv"
FILES = (CSV_FILE,)
LABEL_MAPPING = {"1": "certain", "-1": "hedged"}


def load_conll2010(data_dir=None, *, drop_duplicates=False):
    """Load the CoNLL-2010 Wikipedia certain/uncertain sentence sample.

    Parameters
    ----------
    data_dir : str or path-like, default=None
        Directory holding the ``conll2010_wiki_pattern`` folder (or that
        folder itself); None reads ``STANCEKIT_DATA``.
    drop_duplicates : bool, default=False
        Drop repeated sentences, keeping the first.

    Returns
    -------
    ExternalDataset
        Layer ``"hedging"``, one split ``"all"``.

    Raises
    ------
    FileNotFoundError
        When the CSV is missing (the message names the expected file).
    DataFormatError
        A malformed row (names the file, line and field), or a file without rows.
    """
    directory = dataset_dir(NAME, FOLDER, data_dir)
    path = require_files(NAME, directory, FILES)[CSV_FILE]
    items = []
    for n, (line, row) in enumerate(iter_delimited(path, columns=2)):
        where = {"path": path, "line": line}
        label = map_label(row[0].strip(), LABEL_MAPPING, field="label", **where)
        text = require_text(clean_text(row[1]), field="sentence", **where)
        items.append({"id": str(n), "text": text, "target": None, "label": label, "split": "all",
                      "group": text_group(text), "cues": []})
    if not items:
        raise DataFormatError("at least one row", "an empty file", path=path, line=1)
    return build_dataset(NAME, "hedging", items, LABEL_MAPPING, directory, drop_duplicates=drop_duplicates)
