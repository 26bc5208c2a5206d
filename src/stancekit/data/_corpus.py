"""The corpus object, its loader and per-layer views."""

import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ._errors import CorpusFormatError
from ._jsonl import iter_jsonl
from ._schema import validate_document, validate_sentence
from ._vocab import LAYERS, SENTENCE_LAYERS, SPLITS

DEFAULT_CORPUS = "geonews"
DOCUMENTS_FILE = "documents.jsonl"
SENTENCES_FILE = "sentences.jsonl"


def _candidate_roots():
    env = os.environ.get("STANCEKIT_DATASETS")
    if env:
        yield Path(env)
    # A source checkout or editable install: <repo>/src/stancekit/data/_corpus.py
    yield Path(__file__).resolve().parents[3] / "datasets"
    # A regular install puts the corpus under <prefix>/share/stancekit/datasets.
    yield Path(sys.prefix) / "share" / "stancekit" / "datasets"


def resolve_corpus_path(path=None):
    """Return the directory of a corpus given a path, a corpus name, or None (the included corpus)."""
    if path is not None:
        p = Path(path)
        if p.exists():
            if not p.is_dir():
                raise NotADirectoryError(f"{p}: expected a corpus directory holding {DOCUMENTS_FILE} "
                                         f"and {SENTENCES_FILE}, found a file")
            return p
        if os.sep in str(path) or "/" in str(path):
            raise FileNotFoundError(f"{p}: no such corpus directory")
    name = DEFAULT_CORPUS if path is None else str(path)
    tried = []
    for root in _candidate_roots():
        candidate = root / name
        tried.append(str(candidate))
        if (candidate / SENTENCES_FILE).is_file():
            return candidate
    raise FileNotFoundError(f"corpus '{name}' not found; looked in: {', '.join(tried)}. "
                            "Set STANCEKIT_DATASETS to the folder that holds it.")


def describe_documents(documents):
    """How messages and table headers name a selection of documents by id prefix: 'documents xa*, xb*'."""
    return "documents " + ", ".join(f"{d}*" for d in documents)


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def combined_sha256(checksums):
    """One checksum over ``{file name: sha256}``, independent of dict order."""
    digest = hashlib.sha256()
    for name in sorted(checksums):
        digest.update(f"{name}:{checksums[name]}\n".encode())
    return digest.hexdigest()


@dataclass
class Corpus:
    """A validated corpus: documents by id and sentences in file order.

    Use :func:`load_corpus` to read one. The views return plain lists so they
    can be passed straight to scikit-learn estimators.
    """

    documents: dict
    sentences: list
    path: Path = None
    checksums: dict = field(default_factory=dict)

    @property
    def sha256(self):
        """One checksum over both corpus files (in a fixed order)."""
        return combined_sha256(self.checksums)

    def _select(self, split):
        if split is None:
            return self.sentences
        splits = (split,) if isinstance(split, str) else tuple(split)
        for s in splits:
            if s not in SPLITS:
                raise ValueError(f"split must be one of {list(SPLITS)} or a list of them, got {s!r}")
        return [s for s in self.sentences if s["split"] in splits]

    def filter(self, *, split=None, phenomenon=None):
        """Return the sentences of the given split(s) and, optionally, phenomenon tag."""
        rows = self._select(split)
        if phenomenon is not None:
            rows = [s for s in rows if phenomenon in s.get("phenomena", ())]
        return rows

    def sentence_view(self, layer, split=None, *, phenomenon=None):
        """``(texts, y, groups)`` for a sentence layer; groups are document ids."""
        if layer not in SENTENCE_LAYERS:
            raise ValueError(f"layer must be one of {list(SENTENCE_LAYERS)}, got {layer!r}")
        rows = self.filter(split=split, phenomenon=phenomenon)
        return [s["text"] for s in rows], [s[layer] for s in rows], [s["doc_id"] for s in rows]

    def stance_view(self, split=None, *, phenomenon=None):
        """``(texts, targets, y, groups)`` over (sentence, target) pairs; targets are claim texts."""
        texts, targets, y, groups = [], [], [], []
        for s in self.filter(split=split, phenomenon=phenomenon):
            target_text = {t["id"]: t["text"] for t in self.documents[s["doc_id"]]["targets"]}
            for item in s["stance"]:
                texts.append(s["text"])
                targets.append(target_text[item["target"]])
                y.append(item["label"])
                groups.append(s["doc_id"])
        return texts, targets, y, groups

    def cue_view(self, split=None):
        """``(texts, spans, groups)``: hedge cue spans per sentence."""
        rows = self.filter(split=split)
        return ([s["text"] for s in rows], [[tuple(c) for c in s["hedge_cues"]] for s in rows],
                [s["doc_id"] for s in rows])

    def view(self, layer, split=None, *, phenomenon=None):
        """``(X, y, groups)`` for any layer; for stance X is a list of (sentence, target) pairs."""
        if layer == "stance":
            texts, targets, y, groups = self.stance_view(split, phenomenon=phenomenon)
            return list(zip(texts, targets)), y, groups
        return self.sentence_view(layer, split, phenomenon=phenomenon)

    def __len__(self):
        return len(self.sentences)

    def __repr__(self):
        return (f"Corpus(path={str(self.path)!r}, documents={len(self.documents)}, "
                f"sentences={len(self.sentences)})")


def load_corpus(path=None):
    """Load and validate a corpus.

    Parameters
    ----------
    path : str or path-like, default=None
        A corpus directory holding ``documents.jsonl`` and ``sentences.jsonl``,
        or the name of an included corpus. ``None`` loads the included GeoNews corpus.

    Returns
    -------
    Corpus

    Raises
    ------
    CorpusFormatError
        When a record breaks the scheme; the message names the file, line,
        field, what was expected and what was found.

    Examples
    --------
    >>> from stancekit.data import load_corpus
    >>> corpus = load_corpus()
    >>> texts, y, groups = corpus.sentence_view("hedging", split="train")
    >>> len(texts) == len(y) == len(groups)
    True
    """
    root = resolve_corpus_path(path)
    doc_path, sent_path = root / DOCUMENTS_FILE, root / SENTENCES_FILE
    documents, doc_lines = {}, {}
    for lineno, record in iter_jsonl(doc_path):
        validate_document(record, path=doc_path, line=lineno)
        if record["doc_id"] in documents:
            raise CorpusFormatError("a unique doc_id", f"'{record['doc_id']}' also on line "
                                    f"{doc_lines[record['doc_id']]}", path=doc_path, line=lineno,
                                    field="doc_id")
        documents[record["doc_id"]] = record
        doc_lines[record["doc_id"]] = lineno
    if not documents:
        raise CorpusFormatError("at least one document", "an empty file", path=doc_path)
    sentences, seen_ids, seen_pos = [], {}, set()
    for lineno, record in iter_jsonl(sent_path):
        where = {"path": sent_path, "line": lineno}
        validate_sentence(record, **where)
        if record["id"] in seen_ids:
            raise CorpusFormatError("a unique id", f"'{record['id']}' also on line {seen_ids[record['id']]}",
                                    field="id", **where)
        seen_ids[record["id"]] = lineno
        doc = documents.get(record["doc_id"])
        if doc is None:
            raise CorpusFormatError(f"a doc_id present in {doc_path.name}", record["doc_id"],
                                    field="doc_id", **where)
        if record["split"] != doc["split"]:
            raise CorpusFormatError(f"split '{doc['split']}' (the split of document {doc['doc_id']})",
                                    record["split"], field="split", **where)
        key = (record["doc_id"], record["position"])
        if key in seen_pos:
            raise CorpusFormatError(f"a unique position within document {record['doc_id']}",
                                    record["position"], field="position", **where)
        seen_pos.add(key)
        target_ids = [t["id"] for t in doc["targets"]]
        given = [item["target"] for item in record["stance"]]
        if sorted(given) != sorted(target_ids):
            raise CorpusFormatError(f"one stance label for each target of {doc['doc_id']} {target_ids}",
                                    given, field="stance", **where)
        sentences.append(record)
    if not sentences:
        raise CorpusFormatError("at least one sentence", "an empty file", path=sent_path)
    with_sentences = {s["doc_id"] for s in sentences}
    for doc_id, lineno in doc_lines.items():
        if doc_id not in with_sentences:
            raise CorpusFormatError(f"at least one sentence in {sent_path.name}", "none",
                                    path=doc_path, line=lineno, field="doc_id")
    return Corpus(documents=documents, sentences=sentences, path=root,
                  checksums={DOCUMENTS_FILE: file_sha256(doc_path), SENTENCES_FILE: file_sha256(sent_path)})


__all__ = ["Corpus", "load_corpus", "LAYERS"]
