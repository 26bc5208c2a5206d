"""FNC-1 (Fake News Challenge, stage 1): headline vs. article body.

Files (folder ``fnc1``)
-----------------------
``competition_test_stances.csv``
    Header ``Headline,Body ID,Stance`` (the gold competition test labels).
``competition_test_bodies.csv``
    Header ``Body ID,articleBody`` (multi-line quoted bodies).
``train_stances.csv`` + ``train_bodies.csv`` (optional)
    The training pairs. The shared copy lacks ``train_stances.csv`` (only the
    bodies are there), so by default **only split "test" exists** and
    ``train`` is absent; when both training files are present they are
    loaded as split ``train``.

Mapping
-------
``text`` = the article body, ``target`` = the headline; the labels
``agree``, ``disagree``, ``discuss``, ``unrelated`` are kept as they are
(the FNC-1 scorer needs all four). ``id`` = ``"<split>-<row>"`` with the
0-based data-row index of the stances file (the index FNC-1 code uses);
``group`` = ``"body-<Body ID>"``.

Quirks
------
Bodies keep paragraph breaks; otherwise whitespace is collapsed, HTML
entities unescaped (including the double-escaped ``&amp;lt;``) and
byte-order marks removed. 242 (Headline, Body ID) rows of the test stances
repeat an earlier row with the same label, and a few bodies recur under other
Body IDs, so 266 test items repeat an earlier (headline, body text) pair (no
label conflicts). They count in the official score, so they are kept and
listed in ``dataset.duplicates`` (``drop_duplicates=True`` removes them).
"""

from ._common import (build_dataset, clean_text, dataset_dir, iter_delimited, map_label, require_files,
                      require_text)
from .._errors import DataFormatError

NAME = "fnc1"
FOLDER = "fnc1"
TEST_STANCES = "competition_test_stances.csv"
TEST_BODIES = "competition_test_bodies.csv"
TRAIN_STANCES = "train_stances.csv"
TRAIN_BODIES = "train_bodies.csv"
FILES = (TEST_STANCES, TEST_BODIES)
LABEL_MAPPING = {"agree": "agree", "disagree": "disagree", "discuss": "discuss", "unrelated": "unrelated"}


def _read_bodies(path):
    bodies = {}
    for line, row in iter_delimited(path, header=("Body ID", "articleBody")):
        body_id = row["Body ID"].strip()
        if not body_id.isdigit():
            raise DataFormatError("an integer Body ID", row["Body ID"], path=path, line=line, field="Body ID")
        if body_id in bodies:
            raise DataFormatError("a unique Body ID", body_id, path=path, line=line, field="Body ID")
        bodies[body_id] = require_text(clean_text(row["articleBody"], keep_newlines=True), path=path, line=line,
                                       field="articleBody")
    return bodies


def _read_pairs(split, stances_path, bodies_path):
    bodies = _read_bodies(bodies_path)
    items = []
    for n, (line, row) in enumerate(iter_delimited(stances_path, header=("Headline", "Body ID", "Stance"))):
        where = {"path": stances_path, "line": line}
        body_id = row["Body ID"].strip()
        if body_id not in bodies:
            raise DataFormatError(f"a Body ID present in {bodies_path.name}", row["Body ID"], field="Body ID",
                                  **where)
        label = map_label(row["Stance"].strip(), LABEL_MAPPING, field="Stance", **where)
        headline = require_text(clean_text(row["Headline"]), field="Headline", **where)
        items.append({"id": f"{split}-{n}", "text": bodies[body_id], "target": headline, "label": label,
                      "split": split, "group": f"body-{body_id}", "cues": []})
    return items


def load_fnc1(data_dir=None, *, drop_duplicates=False):
    """Load FNC-1 headline/body stance pairs.

    Parameters
    ----------
    data_dir : str or path-like, default=None
        Directory holding the ``fnc1`` folder (or that folder itself); None
        reads ``STANCEKIT_DATA``.
    drop_duplicates : bool, default=False
        Drop repeated (headline, body) rows within a split, keeping the first.

    Returns
    -------
    ExternalDataset
        Layer ``"stance"``; split ``test`` (and ``train`` only when
        ``train_stances.csv`` is present).

    Raises
    ------
    FileNotFoundError
        When a test file is missing (the message lists every expected file).
    DataFormatError
        A malformed row (names the file, line and field).
    """
    directory = dataset_dir(NAME, FOLDER, data_dir)
    paths = require_files(NAME, directory, FILES)
    items = []
    if (directory / TRAIN_STANCES).is_file():
        train = require_files(NAME, directory, (TRAIN_STANCES, TRAIN_BODIES))
        items += _read_pairs("train", train[TRAIN_STANCES], train[TRAIN_BODIES])
    items += _read_pairs("test", paths[TEST_STANCES], paths[TEST_BODIES])
    return build_dataset(NAME, "stance", items, LABEL_MAPPING, directory, drop_duplicates=drop_duplicates)
