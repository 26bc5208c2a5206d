"""ClaimBuster (Arslan et al. 2020): check-worthy factual sentences (CFS) vs. the rest (NCS).

Files (folder ``claimbuster_ncs``)
----------------------------------
``train.json`` and ``test.json``: JSON lists of ``{"sentence_id": int,
"label": 0 | 1, "text": str}``. (The ``kfold_*ncs`` files of the same
folder are other samplings of the same sentences and are not loaded.)

Mapping
-------
``1`` (CFS) -> ``checkworthy``, ``0`` (NCS: NFS + UFS) -> ``not_checkworthy``
(``label_mapping`` keys are the labels as strings). Splits ``train`` and
``test`` from the two files. ``id`` = ``sentence_id``; ``target`` is None;
``group`` = a hash of the cleaned text (identical sentences share a group).

Quirks
------
Texts are cleaned (entities, byte-order marks, whitespace; one training
text has stray surrounding spaces). Identical sentences within a split are
listed in ``dataset.duplicates`` (8 in ``train.json``) and kept unless
``drop_duplicates=True``.
Labels must be the integers 0 or 1 (``"1"`` or ``true`` are rejected).
"""

from ._common import (build_dataset, clean_text, dataset_dir, iter_json_array, require_files, require_text,
                      text_group)
from .._errors import DataFormatError

NAME = "claimbuster"
FOLDER = "claimbuster_ncs"
SPLIT_FILES = {"train": "train.json", "test": "test.json"}
LABEL_MAPPING = {"1": "checkworthy", "0": "not_checkworthy"}


def _read_split(path, split):
    items = []
    for line, i, rec in iter_json_array(path):
        where = {"path": path, "line": line}
        if not isinstance(rec, dict):
            raise DataFormatError("a JSON object", type(rec).__name__, field=f"[{i}]", **where)
        for key in ("sentence_id", "label", "text"):
            if key not in rec:
                raise DataFormatError(f"a '{key}' field", "none", field=f"[{i}].{key}", **where)
        sid = rec["sentence_id"]
        if isinstance(sid, bool) or not isinstance(sid, (int, str)) or not str(sid).strip():
            raise DataFormatError("an integer or string id", sid, field=f"[{i}].sentence_id", **where)
        label = rec["label"]
        if isinstance(label, bool) or label not in (0, 1) or not isinstance(label, int):
            raise DataFormatError("the integer 0 or 1", label, field=f"[{i}].label", **where)
        if not isinstance(rec["text"], str):
            raise DataFormatError("a string", rec["text"], field=f"[{i}].text", **where)
        text = require_text(clean_text(rec["text"]), field=f"[{i}].text", **where)
        items.append({"id": str(sid).strip(), "text": text, "target": None, "label": LABEL_MAPPING[str(label)],
                      "split": split, "group": text_group(text), "cues": []})
    return items


def load_claimbuster(data_dir=None, *, drop_duplicates=False):
    """Load the ClaimBuster train/test check-worthiness sentences.

    Parameters
    ----------
    data_dir : str or path-like, default=None
        Directory holding the ``claimbuster_ncs`` folder (or that folder
        itself); None reads ``STANCEKIT_DATA``.
    drop_duplicates : bool, default=False
        Drop repeated sentences within a split, keeping the first.

    Returns
    -------
    ExternalDataset
        Layer ``"checkworthy"``, splits ``train`` and ``test``.

    Raises
    ------
    FileNotFoundError
        When a file is missing (the message lists every expected file).
    DataFormatError
        A malformed record (names the file, line and field).
    """
    directory = dataset_dir(NAME, FOLDER, data_dir)
    paths = require_files(NAME, directory, list(SPLIT_FILES.values()))
    items = []
    for split, fn in SPLIT_FILES.items():
        items += _read_split(paths[fn], split)
    return build_dataset(NAME, "checkworthy", items, LABEL_MAPPING, directory, drop_duplicates=drop_duplicates)
