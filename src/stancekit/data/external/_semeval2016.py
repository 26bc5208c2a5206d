"""SemEval-2016 Task 6A (stance in tweets), as packaged by TweetEval.

Files (folder ``semeval2016t6_tweeteval``)
------------------------------------------
``mapping.txt``
    ``<integer><TAB><label>`` per line (0 none, 1 against, 2 favor).
``<target>/{train,val,test}_text.txt`` and ``<target>/{train,val,test}_labels.txt``
    One tweet per line and one integer label per line, for the targets
    ``abortion``, ``atheism``, ``climate``, ``feminist``, ``hillary``.

Mapping
-------
``text`` = the tweet; ``target`` = the official SemEval target phrase of the
folder (``abortion`` -> "Legalization of Abortion", ``atheism`` ->
"Atheism", ``climate`` -> "Climate Change is a Real Concern",
``feminist`` -> "Feminist Movement", ``hillary`` -> "Hillary Clinton").
Labels: the integers are mapped through ``mapping.txt`` and kept as
``favor`` / ``against`` / ``none``; ``label_mapping`` is read from that file
(``"0" -> "none"``, ...). Splits ``train`` / ``val`` / ``test`` (TweetEval cut
the original training set into train and val). ``id`` =
``"<folder>-<split>-<line index from 0>"``; ``group`` = a hash of the cleaned
tweet (identical tweets share a group).

Quirks
------
The ``#SemST`` hashtag artefact appended to nearly every tweet is removed;
trailing spaces and irregular whitespace are collapsed; HTML entities are
unescaped and byte-order marks dropped. Identical tweets within a split (and
target) are listed in ``dataset.duplicates`` (14 items in the shared copy, one
with a label different from its first occurrence) and kept unless
``drop_duplicates=True``, which keeps the first occurrence and its label.
"""

import re

from ._common import (build_dataset, clean_text, dataset_dir, map_label, read_text, require_files,
                      require_text, text_group)
from .._errors import DataFormatError

NAME = "semeval2016"
FOLDER = "semeval2016t6_tweeteval"
MAPPING_FILE = "mapping.txt"
#: TweetEval folder -> official SemEval-2016 Task 6 target phrase.
TARGETS = {
    "abortion": "Legalization of Abortion",
    "atheism": "Atheism",
    "climate": "Climate Change is a Real Concern",
    "feminist": "Feminist Movement",
    "hillary": "Hillary Clinton",
}
SPLITS = ("train", "val", "test")
_ARTEFACT = re.compile(r"#SemST\b")


def _expected_files(targets):
    files = [MAPPING_FILE]
    for t in targets:
        for s in SPLITS:
            files += [f"{t}/{s}_text.txt", f"{t}/{s}_labels.txt"]
    return files


def _lines(path):
    text = read_text(path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def _read_mapping(path):
    mapping = {}
    for n, line in enumerate(_lines(path), start=1):
        if not line.strip():
            continue
        parts = line.split("\t") if "\t" in line else line.split()
        if len(parts) != 2 or not parts[0].strip().lstrip("-").isdigit() or not parts[1].strip():
            raise DataFormatError("'<integer><TAB><label>'", line, path=path, line=n, field="mapping")
        mapping[parts[0].strip()] = parts[1].strip()
    if not mapping:
        raise DataFormatError("at least one '<integer><TAB><label>' line", "an empty file", path=path, line=1)
    return mapping


def clean_tweet(text):
    """Remove the ``#SemST`` artefact, then clean entities, BOMs and whitespace."""
    return clean_text(_ARTEFACT.sub(" ", text))


def load_semeval2016(data_dir=None, *, targets=None, drop_duplicates=False):
    """Load SemEval-2016 Task 6A tweets (TweetEval packaging).

    Parameters
    ----------
    data_dir : str or path-like, default=None
        Directory holding the ``semeval2016t6_tweeteval`` folder (or that
        folder itself); None reads ``STANCEKIT_DATA``.
    targets : list of str, default=None
        Target folders to load (``abortion``, ``atheism``, ``climate``,
        ``feminist``, ``hillary``); None loads all five.
    drop_duplicates : bool, default=False
        Drop repeated tweets (same split and target), keeping the first.

    Returns
    -------
    ExternalDataset
        Layer ``"stance"``, splits ``train``, ``val`` and ``test``.

    Raises
    ------
    FileNotFoundError
        When a file is missing (the message lists every expected file).
    DataFormatError
        A malformed line (names the file, line and field).
    """
    targets = list(TARGETS) if targets is None else list(targets)
    for t in targets:
        if t not in TARGETS:
            raise ValueError(f"{NAME}: targets must be among {list(TARGETS)}, got {t!r}")
    directory = dataset_dir(NAME, FOLDER, data_dir)
    paths = require_files(NAME, directory, _expected_files(targets))
    mapping = _read_mapping(paths[MAPPING_FILE])
    items = []
    for split in SPLITS:
        for t in targets:
            text_path, label_path = paths[f"{t}/{split}_text.txt"], paths[f"{t}/{split}_labels.txt"]
            texts, labels = _lines(text_path), _lines(label_path)
            if len(labels) != len(texts):
                n = min(len(texts), len(labels)) + 1
                raise DataFormatError(f"{len(texts)} label lines, one per line of {text_path.name}",
                                      f"{len(labels)} lines", path=label_path, line=n, field="label")
            for n, (raw_text, raw_label) in enumerate(zip(texts, labels)):
                label = map_label(raw_label.strip(), mapping, path=label_path, line=n + 1, field="label")
                text = require_text(clean_tweet(raw_text), path=text_path, line=n + 1, field="text")
                items.append({"id": f"{t}-{split}-{n}", "text": text, "target": TARGETS[t], "label": label,
                              "split": split, "group": text_group(text), "cues": []})
    return build_dataset(NAME, "stance", items, mapping, directory, drop_duplicates=drop_duplicates)
