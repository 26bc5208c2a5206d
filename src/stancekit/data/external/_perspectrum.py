"""PERSPECTRUM (Chen et al., NAACL 2019): claim vs. perspective, support / undermine.

Files (folder ``perspectrum``)
------------------------------
``perspectrum_with_answers_v1.0.json``
    List of claims ``{cId, text, source, perspectives: [{pids, stance_label_3, ...}], ...}``;
    each perspective cluster lists perspective ids sharing one stance.
``perspective_pool_v1.0.json``
    List of perspectives ``{pId, text, source}``.
``dataset_split_v1.0.json``
    ``{cId: "train" | "dev" | "test"}``.

Mapping
-------
One item per (claim, perspective id) in a cluster: ``text`` = the
perspective, ``target`` = the claim; ``stance_label_3`` ``SUPPORT`` ->
``support``, ``UNDERMINE`` -> ``undermine`` (upper case in the data, lower
case in the README; both accepted). Splits from ``dataset_split_v1.0.json``.
``id`` = ``"<cId>-<pId>"``; ``group`` = ``"claim-<cId>"``.

Quirks
------
Texts are cleaned (entities, byte-order marks, whitespace). 17 (claim,
perspective) pairs are listed in two clusters of the same claim (always with
the same stance); the repeat gets the id ``"<cId>-<pId>-2"`` and is listed in
``dataset.duplicates`` (``drop_duplicates=True`` removes it). Errors in the
single-line JSON files name the record by its index, e.g. field
``[12].perspectives[0].stance_label_3``.
"""

from ._common import (build_dataset, clean_text, dataset_dir, iter_json_array, load_json, map_label,
                      require_files, require_text)
from .._errors import DataFormatError

NAME = "perspectrum"
FOLDER = "perspectrum"
CLAIMS_FILE = "perspectrum_with_answers_v1.0.json"
POOL_FILE = "perspective_pool_v1.0.json"
SPLIT_FILE = "dataset_split_v1.0.json"
FILES = (CLAIMS_FILE, POOL_FILE, SPLIT_FILE)
LABEL_MAPPING = {"SUPPORT": "support", "UNDERMINE": "undermine", "support": "support", "undermine": "undermine"}
SPLITS = ("train", "dev", "test")


def _int_id(value, *, path, line, field):
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdigit():
        raise DataFormatError("an integer id", value, path=path, line=line, field=field)
    return str(int(value))


def _read_pool(path):
    pool = {}
    for line, i, rec in iter_json_array(path):
        if not isinstance(rec, dict):
            raise DataFormatError("a JSON object", type(rec).__name__, path=path, line=line, field=f"[{i}]")
        pid = _int_id(rec.get("pId"), path=path, line=line, field=f"[{i}].pId")
        text = rec.get("text")
        if not isinstance(text, str):
            raise DataFormatError("a string", text, path=path, line=line, field=f"[{i}].text")
        pool[pid] = require_text(clean_text(text), path=path, line=line, field=f"[{i}].text")
    return pool


def load_perspectrum(data_dir=None, *, drop_duplicates=False):
    """Load PERSPECTRUM claim/perspective stance pairs.

    Parameters
    ----------
    data_dir : str or path-like, default=None
        Directory holding the ``perspectrum`` folder (or that folder itself);
        None reads ``STANCEKIT_DATA``.
    drop_duplicates : bool, default=False
        Drop repeated (claim, perspective) pairs, keeping the first.

    Returns
    -------
    ExternalDataset
        Layer ``"stance"``, splits ``train``, ``dev`` and ``test``.

    Raises
    ------
    FileNotFoundError
        When a file is missing (the message lists every expected file).
    DataFormatError
        A malformed record (names the file, line and field).
    """
    directory = dataset_dir(NAME, FOLDER, data_dir)
    paths = require_files(NAME, directory, FILES)
    split_path = paths[SPLIT_FILE]
    split_of = load_json(split_path)
    if not isinstance(split_of, dict):
        raise DataFormatError("a JSON object {cId: split}", type(split_of).__name__, path=split_path, line=1)
    for cid, s in split_of.items():
        if s not in SPLITS:
            raise DataFormatError(f"one of {list(SPLITS)}", s, path=split_path, field=str(cid))
    split_of = {str(k).strip(): v for k, v in split_of.items()}
    pool = _read_pool(paths[POOL_FILE])
    path = paths[CLAIMS_FILE]
    items, seen = [], {}
    for line, i, claim in iter_json_array(path):
        where = {"path": path, "line": line}
        if not isinstance(claim, dict):
            raise DataFormatError("a JSON object", type(claim).__name__, field=f"[{i}]", **where)
        cid = _int_id(claim.get("cId"), field=f"[{i}].cId", **where)
        if cid not in split_of:
            raise DataFormatError(f"a cId listed in {SPLIT_FILE}", cid, field=f"[{i}].cId", **where)
        if not isinstance(claim.get("text"), str):
            raise DataFormatError("a string", claim.get("text"), field=f"[{i}].text", **where)
        target = require_text(clean_text(claim["text"]), field=f"[{i}].text", **where)
        clusters = claim.get("perspectives")
        if not isinstance(clusters, list):
            raise DataFormatError("a list of perspective clusters", clusters, field=f"[{i}].perspectives", **where)
        for j, cluster in enumerate(clusters):
            here = f"[{i}].perspectives[{j}]"
            if not isinstance(cluster, dict):
                raise DataFormatError("a JSON object", cluster, field=here, **where)
            raw = cluster.get("stance_label_3")
            label = map_label(raw.strip() if isinstance(raw, str) else raw, LABEL_MAPPING,
                              field=f"{here}.stance_label_3", **where)
            pids = cluster.get("pids")
            if not isinstance(pids, list) or not pids:
                raise DataFormatError("a non-empty list of perspective ids", pids, field=f"{here}.pids", **where)
            for k, pid in enumerate(pids):
                pid = _int_id(pid, field=f"{here}.pids[{k}]", **where)
                if pid not in pool:
                    raise DataFormatError(f"a pId present in {POOL_FILE}", pid, field=f"{here}.pids[{k}]", **where)
                key = f"{cid}-{pid}"
                seen[key] = seen.get(key, 0) + 1
                item_id = key if seen[key] == 1 else f"{key}-{seen[key]}"
                items.append({"id": item_id, "text": pool[pid], "target": target, "label": label,
                              "split": split_of[cid], "group": f"claim-{cid}", "cues": []})
    items = [it for s in SPLITS for it in items if it["split"] == s]
    return build_dataset(NAME, "stance", items, LABEL_MAPPING, directory, drop_duplicates=drop_duplicates)
