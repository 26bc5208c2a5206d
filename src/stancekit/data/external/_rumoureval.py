"""RumourEval 2017 (SemEval-2017 Task 8) subtask A: support / deny / query / comment.

Files (folder ``rumoureval2017_sdqc``)
--------------------------------------
``rumoureval2017_sdqc_traindev.tsv``
    Tab-separated, header ``tweet_id, event, thread_id, kind
    (source|reply), in_reply_to, created_at, split (train|dev), label, text``
    (the thread folders flattened, one tweet per row).
``rumoureval-subtaskA-train.json`` / ``rumoureval-subtaskA-dev.json`` (optional)
    The official ``{tweet_id: label}`` files; when present, every TSV label
    is checked against them.

Mapping
-------
``text`` = the tweet; ``target`` = the text of the thread's source tweet
(the rumour; for the source tweet itself, its own text). Labels ``support``,
``deny``, ``query``, ``comment`` are kept. Splits ``train`` / ``dev`` as in the
file (the official test set is not available). ``id`` = ``tweet_id``;
``group`` = ``thread_id`` (a conversation).

Quirks
------
The TSV was written CSV-style: a text containing a double quote is wrapped
in double quotes with the inner ones doubled (``"RT ""@user"": hi"``), so it
is read with a CSV parser (tab delimiter), which undoes this. Tweets are
cleaned: HTML entities (``&amp;``, ``&lt;``, ``&gt;``) unescaped,
byte-order marks dropped, whitespace collapsed. Tweets with identical text
and target in a split (retweet-like replies; 10 in the shared copy) are listed in
``dataset.duplicates`` and kept unless ``drop_duplicates=True``.
"""

from ._common import (build_dataset, clean_text, dataset_dir, iter_delimited, load_json, map_label,
                      require_files, require_text)
from .._errors import DataFormatError

NAME = "rumoureval"
FOLDER = "rumoureval2017_sdqc"
TSV_FILE = "rumoureval2017_sdqc_traindev.tsv"
FILES = (TSV_FILE,)
LABEL_FILES = {"train": "rumoureval-subtaskA-train.json", "dev": "rumoureval-subtaskA-dev.json"}
COLUMNS = ("tweet_id", "event", "thread_id", "kind", "split", "label", "text")
LABEL_MAPPING = {"support": "support", "deny": "deny", "query": "query", "comment": "comment"}
SPLITS = ("train", "dev")


def load_rumoureval(data_dir=None, *, drop_duplicates=False):
    """Load RumourEval 2017 subtask A (stance of tweets toward the rumour of their thread).

    Parameters
    ----------
    data_dir : str or path-like, default=None
        Directory holding the ``rumoureval2017_sdqc`` folder (or that folder
        itself); None reads ``STANCEKIT_DATA``.
    drop_duplicates : bool, default=False
        Drop repeated (tweet, source) pairs within a split, keeping the first.

    Returns
    -------
    ExternalDataset
        Layer ``"stance"``, splits ``train`` and ``dev``.

    Raises
    ------
    FileNotFoundError
        When the TSV is missing (the message lists the expected files).
    DataFormatError
        A malformed row, a thread without its source tweet, or a label that
        disagrees with the official label file (names the file, line and field).
    """
    directory = dataset_dir(NAME, FOLDER, data_dir)
    path = require_files(NAME, directory, FILES)[TSV_FILE]
    rows = []
    for line, row in iter_delimited(path, delimiter="\t", header=COLUMNS):
        where = {"path": path, "line": line}
        for col in ("tweet_id", "thread_id"):
            if not row[col].strip():
                raise DataFormatError(f"a non-empty {col}", row[col], field=col, **where)
        if row["kind"] not in ("source", "reply"):
            raise DataFormatError("'source' or 'reply'", row["kind"], field="kind", **where)
        if row["split"] not in SPLITS:
            raise DataFormatError(f"one of {list(SPLITS)}", row["split"], field="split", **where)
        label = map_label(row["label"].strip(), LABEL_MAPPING, field="label", **where)
        text = require_text(clean_text(row["text"]), field="text", **where)
        rows.append((line, row, label, text))
    sources = {row["thread_id"].strip(): text for _, row, _, text in rows if row["kind"] == "source"}
    official = {}
    for split, fn in LABEL_FILES.items():
        if (directory / fn).is_file():
            data = load_json(directory / fn)
            if not isinstance(data, dict):
                raise DataFormatError("a JSON object {tweet_id: label}", type(data).__name__, path=directory / fn)
            official.update({str(k): str(v) for k, v in data.items()})
    items = []
    for line, row, label, text in rows:
        thread = row["thread_id"].strip()
        tweet = row["tweet_id"].strip()
        if thread not in sources:
            raise DataFormatError(f"a thread_id whose source tweet is in {TSV_FILE}", thread, path=path,
                                  line=line, field="thread_id")
        if official and official.get(tweet, label) != label:
            raise DataFormatError(f"the label of {tweet} in the official label file ({official[tweet]!r})",
                                  row["label"], path=path, line=line, field="label")
        items.append({"id": tweet, "text": text, "target": sources[thread], "label": label,
                      "split": row["split"], "group": thread, "cues": []})
    items = [i for s in SPLITS for i in items if i["split"] == s]
    return build_dataset(NAME, "stance", items, LABEL_MAPPING, directory, drop_duplicates=drop_duplicates)
