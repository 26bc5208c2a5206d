"""Szeged Uncertainty Corpus (Szarvas et al. 2012): sentences with inline uncertainty cues.

Files (folder ``szeged_uncertainty``)
-------------------------------------
``wiki.xml`` (WikiWeasel, the CoNLL-2010 Wikipedia material), ``bio_bmc.xml``,
``bio_fly.xml``, ``bio_hbc.xml`` (biomedical); optionally ``factbank.xml``
(news; only loaded when asked for with ``parts=``). BioScope-style XML::

    <Document><DocID>...</DocID><DocumentPart type="Text">
      <Sentence id="S1.2">It <ccue type="speculation_modal_possible_">may</ccue> rain.</Sentence>
    </DocumentPart></Document>

Mapping
-------
A sentence is ``hedged`` if it contains at least one ``<ccue>`` of the
selected types (default: every type present in the XML), else ``certain``.
Cue types are normalised by stripping trailing spaces and underscores
(``"speculation_hypo_doxastic _"`` -> ``"speculation_hypo_doxastic"``);
``label_mapping`` maps each type present to ``"hedged"`` (or ``"certain"``
when left out of ``cue_types``) and ``"(no ccue)"`` to ``"certain"``.
``cues`` holds the ``[start, end]`` character span of each selected cue in
the cleaned sentence text (``text[start:end]`` is the cue words, whitespace
collapsed). ``target`` is None.

There is no official split. ``split`` = ``"fold<k>"`` with ``k`` = sha256 of
the document id (UTF-8) modulo 10, so a document's sentences share a fold;
``group`` = the document id; ``id`` = ``"<part>/<doc id>/<sentence id>"``.

Quirks
------
Irregular whitespace left over from removed markup (``has  not   raised``)
is collapsed and HTML entities left in the text (``&prime;``) are unescaped,
with cue offsets tracked through both; cue type values carry trailing
``" _"``/``"_"``; the element is ``Sentence`` although the DTD says
``sentence`` (both accepted). Sentences that are empty after cleaning are
skipped (two in ``bio_hbc.xml`` hold only a no-break space, so that part
gives 13,230 items, not 13,232). Identical sentences within a fold (titles,
boilerplate; 229 in the four default parts) are listed in
``dataset.duplicates`` and kept unless ``drop_duplicates=True``. The four
default parts hold the types ``speculation_modal_probable``,
``speculation_hypo_doxastic``, ``speculation_hypo_condition`` and
``speculation_hypo_investigation``; ``speculation_modal_possible`` occurs
only in ``factbank.xml``. Errors name the file, line and element; as the
files put all documents on one line, the column is added to the error's
``found`` text.
"""

import re
import xml.parsers.expat
from pathlib import Path

from ._common import build_dataset, clean_segments, dataset_dir, doc_fold, require_files
from .._errors import DataFormatError

NAME = "szeged"
FOLDER = "szeged_uncertainty"
PARTS = ("wiki", "bio_bmc", "bio_fly", "bio_hbc")
KNOWN_PARTS = PARTS + ("factbank",)
N_FOLDS = 10
NO_CUE = "(no ccue)"
_SENTENCE = ("Sentence", "sentence")


def normalise_cue_type(value):
    """Strip the trailing spaces/underscores of a ``ccue`` type value."""
    return re.sub(r"[\s_]+$", "", value.strip())


class _PartParser:
    """Streaming (expat) parser of one Szeged XML file; errors carry line and column."""

    def __init__(self, path, part):
        self.path, self.part = Path(path), part
        self.sentences = []
        self.doc = None
        self.docid_buf = None
        self.sentence = None
        self.cue = None
        self.doc_ids = set()
        self.parser = xml.parsers.expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.data

    def fail(self, expected, found, field):
        col = self.parser.CurrentColumnNumber + 1
        raise DataFormatError(expected, f"{found} (column {col})", path=self.path,
                              line=self.parser.CurrentLineNumber, field=field)

    def _where(self):
        sid = self.sentence["id"] if self.sentence else "?"
        doc = self.doc["id"] if self.doc and self.doc["id"] else "?"
        return f"Document[{doc}]/Sentence[{sid}]"

    def start(self, name, attrs):
        if name == "Document":
            if self.doc is not None:
                self.fail("</Document> before a new <Document>", "a nested <Document>", "Document")
            self.doc = {"id": None, "sids": set()}
        elif name == "DocID":
            if self.doc is None:
                self.fail("<DocID> inside a <Document>", "<DocID> outside any document", "DocID")
            self.docid_buf = []
        elif name in _SENTENCE:
            if self.sentence is not None:
                self.fail("</Sentence> before a new <Sentence>", "a nested <Sentence>", self._where())
            if self.doc is None or not self.doc["id"]:
                self.fail("a <DocID> before the first <Sentence> of a <Document>", "a <Sentence> without DocID",
                          "DocID")
            sid = (attrs.get("id") or "").strip()
            if not sid:
                self.fail("an id attribute", attrs.get("id"), f"Document[{self.doc['id']}]/Sentence@id")
            if sid in self.doc["sids"]:
                self.fail("a sentence id unique within its document", sid,
                          f"Document[{self.doc['id']}]/Sentence@id")
            self.doc["sids"].add(sid)
            self.sentence = {"id": sid, "doc": self.doc["id"], "segments": [], "types": [],
                             "line": self.parser.CurrentLineNumber}
        elif name == "ccue":
            if self.sentence is None:
                self.fail("<ccue> inside a <Sentence>", "<ccue> outside any sentence", "ccue")
            if self.cue is not None:
                self.fail("</ccue> before a new <ccue>", "a nested <ccue>", self._where() + "/ccue")
            ctype = normalise_cue_type(attrs.get("type") or "")
            if not ctype:
                self.fail("a type attribute naming the cue type", attrs.get("type"), self._where() + "/ccue@type")
            self.cue = len(self.sentence["types"])
            self.sentence["types"].append(ctype)
        elif self.sentence is not None:
            self.fail("only <ccue> elements inside a <Sentence>", f"<{name}>", self._where())

    def data(self, text):
        if self.docid_buf is not None:
            self.docid_buf.append(text)
        elif self.sentence is not None:
            self.sentence["segments"].append((text, self.cue))

    def end(self, name):
        if name == "DocID":
            doc_id = "".join(self.docid_buf).strip()
            self.docid_buf = None
            if not doc_id:
                self.fail("a non-empty <DocID>", doc_id, "DocID")
            if doc_id in self.doc_ids:
                self.fail("a DocID unique within the file", doc_id, "DocID")
            self.doc_ids.add(doc_id)
            self.doc["id"] = doc_id
        elif name == "ccue":
            if not any(s.strip() for s, tag in self.sentence["segments"] if tag == self.cue):
                self.fail("cue words inside <ccue>", "an empty <ccue>", self._where() + "/ccue")
            self.cue = None
        elif name in _SENTENCE:
            text, spans = clean_segments(self.sentence["segments"])
            if not text:
                # Whitespace-only sentences (two in bio_hbc.xml hold a lone no-break space) carry
                # nothing to label; they are skipped (a <ccue> inside one would already have failed).
                self.sentence = None
                return
            self.sentence["text"] = text
            missing = [k for k in range(len(self.sentence["types"])) if k not in spans]
            if missing:
                self.fail("cue words inside <ccue>", "a <ccue> holding only whitespace", self._where() + "/ccue")
            self.sentence["spans"] = [spans[k] for k in range(len(self.sentence["types"]))]
            del self.sentence["segments"]
            self.sentences.append(self.sentence)
            self.sentence = None
        elif name == "Document":
            if not self.doc["id"]:
                self.fail("a <DocID> in each <Document>", "none", "DocID")
            self.doc = None

    def parse(self):
        try:
            self.parser.Parse(self.path.read_bytes(), True)
        except xml.parsers.expat.ExpatError as exc:
            raise DataFormatError("well-formed XML", f"{xml.parsers.expat.ErrorString(exc.code)} "
                                  f"(column {exc.offset + 1})", path=self.path, line=exc.lineno) from None
        return self.sentences


def load_szeged(data_dir=None, *, parts=None, cue_types=None, drop_duplicates=False):
    """Load the Szeged Uncertainty Corpus as sentence labels plus cue spans.

    Parameters
    ----------
    data_dir : str or path-like, default=None
        Directory holding the ``szeged_uncertainty`` folder (or that folder
        itself); None reads ``STANCEKIT_DATA``.
    parts : list of str, default=None
        Parts to load among ``wiki``, ``bio_bmc``, ``bio_fly``, ``bio_hbc``
        and ``factbank``; None loads the first four.
    cue_types : list of str, default=None
        Normalised cue types that make a sentence hedged (e.g.
        ``["speculation_modal_probable", "speculation_modal_possible"]``);
        None uses every type present in the loaded files.
    drop_duplicates : bool, default=False
        Drop repeated sentences within a fold, keeping the first.

    Returns
    -------
    ExternalDataset
        Layer ``"hedging"`` with cue spans, splits ``fold0`` ... ``fold9``.

    Raises
    ------
    FileNotFoundError
        When a file is missing (the message lists every expected file).
    DataFormatError
        Malformed XML or annotation (names the file, line and element).
    """
    parts = list(PARTS) if parts is None else list(parts)
    for p in parts:
        if p not in KNOWN_PARTS:
            raise ValueError(f"{NAME}: parts must be among {list(KNOWN_PARTS)}, got {p!r}")
    directory = dataset_dir(NAME, FOLDER, data_dir)
    files = [f"{p}.xml" for p in parts]
    paths = require_files(NAME, directory, files)
    sentences = []
    for p, fn in zip(parts, files):
        for s in _PartParser(paths[fn], p).parse():
            s["part"] = p
            sentences.append(s)
    present = sorted({t for s in sentences for t in s["types"]})
    if cue_types is None:
        selected = set(present)
    else:
        selected = {normalise_cue_type(t) for t in cue_types}
        unknown = sorted(selected - set(present))
        if unknown:
            raise ValueError(f"{NAME}: cue types {unknown} not in the data; present: {present}")
    items = []
    for s in sentences:
        cues = [span for span, t in zip(s["spans"], s["types"]) if t in selected]
        items.append({"id": f"{s['part']}/{s['doc']}/{s['id']}", "text": s["text"], "target": None,
                      "label": "hedged" if cues else "certain", "split": f"fold{doc_fold(s['doc'], N_FOLDS)}",
                      "group": s["doc"], "cues": [list(c) for c in cues]})
    items.sort(key=lambda it: int(it["split"][4:]))
    mapping = {t: ("hedged" if t in selected else "certain") for t in present}
    mapping[NO_CUE] = "certain"
    return build_dataset(NAME, "hedging", items, mapping, directory, drop_duplicates=drop_duplicates,
                         has_cues=True)
