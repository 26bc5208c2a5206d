"""Emergent (Ferreira & Vlachos, NAACL 2016): claim vs. news-article headline.

Files (folder ``emergent``)
---------------------------
``url-versions-2015-06-14-clean.csv``
    Header ``id,claimHeadline,articleHeadline,articleHeadlineStance,articleId,claimId``.
``mscproject_url-versions-2015-06-14-clean-test-correct.csv`` and ``...-test-errors.csv``
    The authors' test-set outputs (columns ``,claimHeadline,articleHeadline,y,y_hat,articleId,claimId``);
    only their ``articleId`` column is used.

Mapping
-------
``text`` = ``articleHeadline``, ``target`` = ``claimHeadline``; labels
``for`` -> ``support``, ``against`` -> ``deny``, ``observing`` -> ``neutral``.
``id`` = the ``id`` column; ``group`` = ``claimId`` (no claim is in both
splits). Split ``test`` = the articleIds found in either ``mscproject_*``
file (the official test set, 524 headlines); every other row is ``train``.

Quirks
------
Texts are cleaned (HTML entities unescaped, byte-order marks dropped,
whitespace collapsed). 40 (claim, headline) pairs occur twice (the same
headline syndicated under another articleId); they are real, separately
judged articles and part of the official counts, so they are kept and listed
in ``dataset.duplicates`` (later id -> first id); ``drop_duplicates=True``
keeps the first occurrence in file order only.
"""

from ._common import (build_dataset, clean_text, dataset_dir, iter_delimited, map_label, require_files,
                      require_text)
from .._errors import DataFormatError

NAME = "emergent"
FOLDER = "emergent"
MAIN_FILE = "url-versions-2015-06-14-clean.csv"
TEST_FILES = ("mscproject_url-versions-2015-06-14-clean-test-correct.csv",
              "mscproject_url-versions-2015-06-14-clean-test-errors.csv")
FILES = (MAIN_FILE,) + TEST_FILES
COLUMNS = ("id", "claimHeadline", "articleHeadline", "articleHeadlineStance", "articleId", "claimId")
LABEL_MAPPING = {"for": "support", "against": "deny", "observing": "neutral"}


def load_emergent(data_dir=None, *, drop_duplicates=False):
    """Load Emergent claim/headline stance pairs.

    Parameters
    ----------
    data_dir : str or path-like, default=None
        Directory holding the ``emergent`` folder (or that folder itself);
        None reads ``STANCEKIT_DATA``.
    drop_duplicates : bool, default=False
        Drop repeated (claim, headline) pairs within a split, keeping the first.

    Returns
    -------
    ExternalDataset
        Layer ``"stance"``, splits ``train`` and ``test``.

    Raises
    ------
    FileNotFoundError
        When a file is missing (the message lists every expected file).
    DataFormatError
        A malformed row (names the file, line and field).
    """
    directory = dataset_dir(NAME, FOLDER, data_dir)
    paths = require_files(NAME, directory, FILES)
    test_ids = set()
    for fn in TEST_FILES:
        for line, row in iter_delimited(paths[fn], header=("articleId",)):
            article = row["articleId"].strip()
            if not article:
                raise DataFormatError("an articleId", article, path=paths[fn], line=line, field="articleId")
            test_ids.add(article)
    main = paths[MAIN_FILE]
    items, seen_articles = [], set()
    for line, row in iter_delimited(main, header=COLUMNS):
        where = {"path": main, "line": line}
        for col in ("id", "articleId", "claimId"):
            if not row[col].strip():
                raise DataFormatError(f"a non-empty {col}", row[col], field=col, **where)
        label = map_label(row["articleHeadlineStance"].strip(), LABEL_MAPPING, field="articleHeadlineStance",
                          **where)
        text = require_text(clean_text(row["articleHeadline"]), field="articleHeadline", **where)
        target = require_text(clean_text(row["claimHeadline"]), field="claimHeadline", **where)
        article = row["articleId"].strip()
        seen_articles.add(article)
        items.append({"id": row["id"].strip(), "text": text, "target": target, "label": label,
                      "split": "test" if article in test_ids else "train", "group": row["claimId"].strip(),
                      "cues": []})
    unknown = sorted(test_ids - seen_articles)
    if unknown:
        raise DataFormatError(f"test articleIds that occur in {MAIN_FILE}", unknown[:5],
                              path=paths[TEST_FILES[0]], field="articleId")
    # Canonical order: train then test, each in file order.
    items = [i for i in items if i["split"] == "train"] + [i for i in items if i["split"] == "test"]
    return build_dataset(NAME, "stance", items, LABEL_MAPPING, directory, drop_duplicates=drop_duplicates)
