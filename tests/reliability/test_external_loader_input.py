"""The external benchmark loaders on the whole bad-input list, with tiny invented files in each format.

One table of cases runs over every loader whose rows can be written one per line (CSV, TSV, JSON
arrays written one element per line); SemEval-2016 (two aligned line files) and Szeged (XML) get
their own tests below. Each error must name the file, the line and, where there is one, the field.
"""

import json

import pytest

from stancekit.data import DataFormatError
from stancekit.data.external import EXTERNAL_LOADERS, load_semeval2016, load_szeged

MB = 1 << 20
TEXTS = ["Dam collapse floods three valley towns.", "Officials deny the dam failed.",
         "Reports claim the bridge was damaged."]
MIXED = "Officials 官员 say the dam 🚧 may have failed — плотина прорвана, قال المسؤولون 👍🏽."
BIG = ("The dam may have failed after weeks of rain " * (MB // 44 + 1))[:MB].strip()
BAD = "XXBADXX"  # placeholder replaced at byte level for invalid UTF-8 and NUL bytes


def _csv(text):
    return '"' + text.replace('"', '""') + '"'


class Spec:
    """How to write one loader's files with rows (text, label) in its main file."""

    name = folder = main = None
    text_field = label_field = None
    text_key = "text"  # where the row text ends up in an item
    labels = ("good", "good", "good")
    unknown_label = "maybe"
    extra_row_is_error = True
    kwargs = {}

    def line_of(self, i):  # 1-based line of row i in the main file (one header line by default)
        return i + 2

    def field(self, field, i):
        return field

    def files(self, rows):
        raise NotImplementedError

    def write(self, root, rows):
        for rel, data in self.files(rows).items():
            path = root / self.folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        return root / self.folder / self.main

    def load(self, root):
        return EXTERNAL_LOADERS[self.name](root, **self.kwargs)


class Conll(Spec):
    name, folder, main = "conll2010", "conll2010_wiki_pattern", "uncertainty-conll2010.csv"
    text_field, label_field = "sentence", "label"
    labels = ("1", "-1", "1")

    def line_of(self, i):
        return i + 1

    def row(self, i, text, label):
        return f"{label},{_csv(text)}"

    def missing(self, i):
        return "1", "columns"

    def extra(self, i):
        return f'1,{_csv(TEXTS[i])},"x"', "columns"

    def malformed(self, i):
        return '1,"half-quoted"text', None

    def files(self, rows):
        return {self.main: "".join(r + "\n" for r in rows)}


class Emergent(Spec):
    name = folder = "emergent"
    main = "url-versions-2015-06-14-clean.csv"
    text_field, label_field = "articleHeadline", "articleHeadlineStance"
    labels = ("for", "against", "observing")

    def row(self, i, text, label):
        return f"{i},A dam has collapsed,{_csv(text)},{label},a-{i},c-1"

    def missing(self, i):
        return f"{i},A dam has collapsed,{_csv(TEXTS[i])}", "articleHeadlineStance"

    def extra(self, i):
        return self.row(i, TEXTS[i], "for") + ",surplus", "claimId"

    def malformed(self, i):
        return f'{i},A dam has collapsed,"half-quoted"text,for,a-{i},c-1', None

    def files(self, rows):
        head = ",claimHeadline,articleHeadline,y,y_hat,articleId,claimId\n"
        return {self.main: "id,claimHeadline,articleHeadline,articleHeadlineStance,articleId,claimId\n"
                + "".join(r + "\n" for r in rows),
                "mscproject_url-versions-2015-06-14-clean-test-correct.csv": head + "0,c,t,for,for,a-0,c-1\n",
                "mscproject_url-versions-2015-06-14-clean-test-errors.csv": head}


class CheckThat(Spec):
    name, folder, main = "checkthat", "clef2024_task1_en", "CT24_checkworthy_english_train.tsv"
    text_field, label_field = "Text", "class_label"
    labels = ("Yes", "No", "No")

    def row(self, i, text, label):
        return f"{100 + i}\t{text}\t{label}"

    def missing(self, i):
        return f"{100 + i}\t{TEXTS[i]}", "class_label"

    def extra(self, i):
        return f"{100 + i}\t{TEXTS[i]}\tNo\tsurplus", "class_label"

    def malformed(self, i):
        return f"{100 + i} {TEXTS[i]} No", "Text"

    def files(self, rows):
        head = "Sentence_id\tText\tclass_label\n"
        out = {self.main: head + "".join(r + "\n" for r in rows)}
        for k, split in enumerate(("dev", "dev-test", "test_gold")):
            out[f"CT24_checkworthy_english_{split}.tsv"] = head + f"{900 + k}\tPrices rose by {k} percent.\tYes\n"
        return out


class RumourEval(Spec):
    name, folder, main = "rumoureval", "rumoureval2017_sdqc", "rumoureval2017_sdqc_traindev.tsv"
    text_field, label_field = "text", "label"
    labels = ("support", "query", "comment")

    def row(self, i, text, label):
        kind = "source" if i == 0 else "reply"
        return f"{100 + i}\tflood\t100\t{kind}\ttrain\t{label}\t{text}"

    def missing(self, i):
        return f"{100 + i}\tflood\t100\treply\ttrain\tcomment", "text"

    def extra(self, i):
        return self.row(i, TEXTS[i], "comment") + "\tsurplus", "text"

    def malformed(self, i):
        return f'{100 + i}\tflood\t100\treply\ttrain\tcomment\t"half-quoted"text', None

    def files(self, rows):
        head = "tweet_id\tevent\tthread_id\tkind\tsplit\tlabel\ttext\n"
        return {self.main: head + "".join(r + "\n" for r in rows)}


class Fnc1(Spec):
    name = folder = "fnc1"
    main = "competition_test_stances.csv"
    text_field, label_field, text_key = "Headline", "Stance", "target"
    labels = ("agree", "disagree", "discuss")

    def row(self, i, text, label):
        return f"{_csv(text)},{i % 2},{label}"

    def missing(self, i):
        return f"{_csv(TEXTS[i])},1", "Stance"

    def extra(self, i):
        return f"{_csv(TEXTS[i])},1,agree,surplus", "Stance"

    def malformed(self, i):
        return '"half-quoted"text,1,agree', None

    def files(self, rows):
        return {self.main: "Headline,Body ID,Stance\n" + "".join(r + "\n" for r in rows),
                "competition_test_bodies.csv": "Body ID,articleBody\n0,The dam held.\n1,The bridge fell.\n"}


class ClaimBuster(Spec):
    name, folder, main = "claimbuster", "claimbuster_ncs", "train.json"
    text_field, label_field = "text", "label"
    labels = (1, 0, 1)
    unknown_label = 2
    extra_row_is_error = False  # other keys of a record are ignored

    def field(self, field, i):
        return f"[{i}].{field}"

    def row(self, i, text, label):
        return json.dumps({"sentence_id": i, "label": label, "text": text}, ensure_ascii=False)

    def missing(self, i):
        return json.dumps({"sentence_id": i, "label": 1}), f"[{i}].text"

    def extra(self, i):
        return json.dumps({"sentence_id": i, "label": 1, "text": TEXTS[i], "speaker": "x"}), None

    def malformed(self, i):
        return '{"sentence_id": 1, "label": 1, "text": "unterminated}', None

    def files(self, rows):
        return {self.main: "[\n" + ",\n".join(rows) + "\n]\n",
                "test.json": json.dumps([{"sentence_id": 99, "label": 0, "text": "The vote is on Monday."}])}


class Perspectrum(Spec):
    """Rows are perspectives in the pool file; labels live in the claims file."""

    name = folder = "perspectrum"
    main = "perspective_pool_v1.0.json"
    text_field = "text"
    extra_row_is_error = False

    def field(self, field, i):
        return f"[{i}].{field}"

    def row(self, i, text, label):
        return json.dumps({"pId": i, "text": text, "source": "invented"}, ensure_ascii=False)

    def missing(self, i):
        return json.dumps({"pId": i}), f"[{i}].text"

    def extra(self, i):
        return json.dumps({"pId": i, "text": TEXTS[i], "votes": 3}), None

    def malformed(self, i):
        return '{"pId": 1, "text": "unterminated}', None

    def files(self, rows):
        claims = [{"cId": 1, "text": "The dam has failed", "perspectives": [
            {"pids": [0, 1, 2], "stance_label_3": "SUPPORT"}]}]
        return {self.main: "[\n" + ",\n".join(rows) + "\n]\n",
                "perspectrum_with_answers_v1.0.json": json.dumps(claims),
                "dataset_split_v1.0.json": json.dumps({"1": "train"})}


SPECS = [Conll(), Emergent(), CheckThat(), RumourEval(), Fnc1(), ClaimBuster(), Perspectrum()]
LABELLED = [s for s in SPECS if s.label_field]


def _rows(spec, replace=None, text=None, label=None):
    """The three default rows, row 1 replaced by *replace* (a raw row) or by (text, label)."""
    rows = [spec.row(i, t, lab) for i, (t, lab) in enumerate(zip(TEXTS, spec.labels))]
    if replace is not None:
        rows[1] = replace
    elif text is not None or label is not None:
        rows[1] = spec.row(1, TEXTS[1] if text is None else text, spec.labels[1] if label is None else label)
    return rows


def _write(spec, root, rows, raw=None):
    path = spec.write(root, rows)
    if raw is not None:
        path.write_bytes(path.read_bytes().replace(BAD.encode(), raw))
    return path


def _expect_error(spec, root, path, line, field, *fragments):
    with pytest.raises(DataFormatError) as info:
        spec.load(root)
    err, msg = info.value, str(info.value)
    assert (err.path, err.line, err.field) == (str(path), line, field), msg
    assert f"{path}, line {line}" in msg
    if field is not None:
        assert f"field '{field}'" in msg
    for fragment in fragments:
        assert fragment in msg, msg


def _item(spec, root):
    ds = spec.load(root)
    first = {"perspectrum": "1-1"}.get(spec.name)
    items = [i for i in ds.items if i["id"] == first] if first else None
    return items[0] if items else [i for i in ds.items if i[spec.text_key] != TEXTS[0]][0]


def _cases(case):
    return [pytest.param(spec, id=f"{spec.name}") for spec in (SPECS if case != "label" else LABELLED)]


# ----------------------------------------------------------------------------------------------
# Bad rows


@pytest.mark.parametrize("spec", _cases("malformed"))
def test_malformed_row(spec, tmp_path):
    path = _write(spec, tmp_path, _rows(spec, replace=spec.malformed(1)[0]))
    _expect_error(spec, tmp_path, path, spec.line_of(1), spec.malformed(1)[1])


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in (Conll(), Emergent(), Fnc1())])
def test_unterminated_quote_names_the_line_where_the_record_starts(spec, tmp_path):
    row = spec.row(1, TEXTS[1], spec.labels[1]).replace(_csv(TEXTS[1]), '"never closed')
    path = _write(spec, tmp_path, _rows(spec, replace=row))
    with pytest.raises(DataFormatError) as info:
        spec.load(tmp_path)
    assert info.value.path == str(path) and "well-formed CSV" in str(info.value)
    assert info.value.line == spec.line_of(1)


@pytest.mark.parametrize("spec", _cases("missing"))
def test_row_with_a_missing_field(spec, tmp_path):
    row, field = spec.missing(1)
    path = _write(spec, tmp_path, _rows(spec, replace=row))
    _expect_error(spec, tmp_path, path, spec.line_of(1), spec.field(field, 1) if "[" not in field else field)


@pytest.mark.parametrize("spec", _cases("extra"))
def test_row_with_an_extra_field(spec, tmp_path):
    row, field = spec.extra(1)
    path = _write(spec, tmp_path, _rows(spec, replace=row))
    if spec.extra_row_is_error:
        _expect_error(spec, tmp_path, path, spec.line_of(1), field)
    else:  # JSON records may carry other keys; they are ignored
        assert sum(1 for i in spec.load(tmp_path).items if i["split"] == "train") == 3


@pytest.mark.parametrize("spec", _cases("label"))
def test_unknown_label(spec, tmp_path):
    path = _write(spec, tmp_path, _rows(spec, label=spec.unknown_label))
    _expect_error(spec, tmp_path, path, spec.line_of(1), spec.field(spec.label_field, 1),
                  f"found {spec.unknown_label!r}")


@pytest.mark.parametrize("text", ["", "  \u00a0 \u2003 "], ids=["empty", "whitespace-only"])
@pytest.mark.parametrize("spec", _cases("empty"))
def test_empty_or_whitespace_text(spec, tmp_path, text):
    path = _write(spec, tmp_path, _rows(spec, text=text))
    _expect_error(spec, tmp_path, path, spec.line_of(1), spec.field(spec.text_field, 1), "a non-empty text")


@pytest.mark.parametrize("spec", _cases("utf8"))
def test_invalid_utf8(spec, tmp_path):
    path = _write(spec, tmp_path, _rows(spec, text=f"Caf{BAD} owners fled."), raw=b"\xe9")
    _expect_error(spec, tmp_path, path, spec.line_of(1), None, "valid UTF-8", "\\xe9")


@pytest.mark.parametrize("spec", _cases("nul"))
def test_nul_byte(spec, tmp_path):
    path = _write(spec, tmp_path, _rows(spec, text=f"The dam{BAD} failed."), raw=b"\x00")
    with pytest.raises(DataFormatError) as info:
        spec.load(tmp_path)
    assert info.value.path == str(path) and info.value.line == spec.line_of(1)


JSON_TYPE_CASES = [
    ("text as number", ClaimBuster(), {"sentence_id": 1, "label": 1, "text": 5}, "[1].text", "a string"),
    ("text as null", ClaimBuster(), {"sentence_id": 1, "label": 1, "text": None}, "[1].text", "a string"),
    ("label as string", ClaimBuster(), {"sentence_id": 1, "label": "1", "text": "x"}, "[1].label",
     "the integer 0 or 1"),
    ("label as bool", ClaimBuster(), {"sentence_id": 1, "label": True, "text": "x"}, "[1].label", "0 or 1"),
    ("id as list", ClaimBuster(), {"sentence_id": [1], "label": 1, "text": "x"}, "[1].sentence_id", "id"),
    ("record as list", ClaimBuster(), [1, 1, "x"], "[1]", "a JSON object"),
    ("pool text as list", Perspectrum(), {"pId": 1, "text": ["x"]}, "[1].text", "a string"),
    ("pool id as float", Perspectrum(), {"pId": 1.5, "text": "x"}, "[1].pId", "an integer id"),
]


@pytest.mark.parametrize("name,spec,record,field,expected", JSON_TYPE_CASES, ids=[c[0] for c in JSON_TYPE_CASES])
def test_wrong_types_and_non_string_values(tmp_path, name, spec, record, field, expected):
    path = _write(spec, tmp_path, _rows(spec, replace=json.dumps(record)))
    _expect_error(spec, tmp_path, path, 3, field, expected)


def test_perspectrum_unknown_stance_label_names_the_claims_file(tmp_path):
    spec = Perspectrum()
    spec.write(tmp_path, _rows(spec))
    claims = tmp_path / "perspectrum" / "perspectrum_with_answers_v1.0.json"
    claims.write_text(claims.read_text().replace("SUPPORT", "AGREE"))
    _expect_error(spec, tmp_path, claims, 1, "[0].perspectives[0].stance_label_3", "found 'AGREE'")


# ----------------------------------------------------------------------------------------------
# Accepted: byte-order mark, CRLF, 1 MB text, mixed scripts and emoji


@pytest.mark.parametrize("spec", _cases("bom-crlf"))
def test_byte_order_mark_and_crlf_are_accepted(spec, tmp_path):
    path = _write(spec, tmp_path, _rows(spec))
    expected = [(i["id"], i[spec.text_key], i["label"]) for i in spec.load(tmp_path).items]
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    got = [(i["id"], i[spec.text_key], i["label"]) for i in spec.load(tmp_path).items]
    assert got == expected
    assert not any("\r" in t or "\ufeff" in t or "\ufeff" in i for i, t, _ in got)


@pytest.mark.parametrize("spec", _cases("1mb"))
def test_one_megabyte_text_is_accepted(spec, tmp_path):
    _write(spec, tmp_path, _rows(spec, text=BIG))
    assert _item(spec, tmp_path)[spec.text_key] == BIG


@pytest.mark.parametrize("spec", _cases("mixed"))
def test_mixed_scripts_and_emoji_are_accepted(spec, tmp_path):
    _write(spec, tmp_path, _rows(spec, text=MIXED))
    assert _item(spec, tmp_path)[spec.text_key] == MIXED


# ----------------------------------------------------------------------------------------------
# Files: empty, a directory where a file belongs, unreadable


@pytest.mark.parametrize("spec", _cases("empty-file"))
def test_empty_file(spec, tmp_path):
    path = _write(spec, tmp_path, _rows(spec))
    path.write_bytes(b"")
    with pytest.raises(DataFormatError) as info:
        spec.load(tmp_path)
    assert info.value.path == str(path)


@pytest.mark.parametrize("spec", _cases("directory"))
def test_directory_where_a_file_belongs(spec, tmp_path):
    path = _write(spec, tmp_path, _rows(spec))
    path.unlink()
    path.mkdir()
    with pytest.raises(OSError) as info:
        spec.load(tmp_path)
    assert spec.main in str(info.value)


def test_directory_where_a_file_belongs_is_called_a_directory(tmp_path):
    spec = Conll()
    path = _write(spec, tmp_path, _rows(spec))
    path.unlink()
    path.mkdir()
    with pytest.raises(OSError, match="found a directory"):
        spec.load(tmp_path)


@pytest.mark.parametrize("spec", _cases("unreadable"))
def test_unreadable_file(spec, tmp_path, make_unreadable):
    path = _write(spec, tmp_path, _rows(spec))
    make_unreadable(path)
    with pytest.raises(PermissionError) as info:
        spec.load(tmp_path)
    assert str(path) in str(info.value)


# ----------------------------------------------------------------------------------------------
# SemEval-2016: tweets and labels in two aligned line files


def _semeval(root, texts=("A tweet for choice.", "A tweet against it.", "Nothing to say."),
             labels=("2", "1", "0")):
    folder = root / "semeval2016t6_tweeteval"
    (folder / "abortion").mkdir(parents=True, exist_ok=True)
    (folder / "mapping.txt").write_text("0\tnone\n1\tagainst\n2\tfavor\n")
    for split in ("train", "val", "test"):
        t = texts if split == "train" else ("Another tweet.",)
        lab = labels if split == "train" else ("0",)
        (folder / "abortion" / f"{split}_text.txt").write_bytes("".join(x + "\n" for x in t).encode("utf-8"))
        (folder / "abortion" / f"{split}_labels.txt").write_text("".join(x + "\n" for x in lab))
    return folder / "abortion" / "train_text.txt", folder / "abortion" / "train_labels.txt"


def _semeval_error(root, path, line, field, *fragments):
    with pytest.raises(DataFormatError) as info:
        load_semeval2016(root, targets=["abortion"])
    err = info.value
    assert (err.path, err.line, err.field) == (str(path), line, field), str(err)
    for fragment in fragments:
        assert fragment in str(err)


@pytest.mark.parametrize("texts,labels,which,line,field,expected", [
    (None, ("2", "7", "0"), "labels", 2, "label", "found '7'"),
    (None, ("2", "favor", "0"), "labels", 2, "label", "found 'favor'"),
    (None, ("2", "1"), "labels", 3, "label", "3 label lines"),
    (None, ("2", "1", "0", "1"), "labels", 4, "label", "3 label lines"),
    (("A tweet.", "   ", "x"), None, "text", 2, "text", "a non-empty text"),
    (("A tweet.", "#SemST", "x"), None, "text", 2, "text", "a non-empty text"),
    (("A tweet.", "", "x"), None, "text", 2, "text", "a non-empty text"),
], ids=["unknown label", "label word", "missing label line", "extra label line", "whitespace tweet",
        "artefact-only tweet", "empty tweet"])
def test_semeval_bad_lines(tmp_path, texts, labels, which, line, field, expected):
    kwargs = {k: v for k, v in (("texts", texts), ("labels", labels)) if v is not None}
    text_path, label_path = _semeval(tmp_path, **kwargs)
    _semeval_error(tmp_path, label_path if which == "labels" else text_path, line, field, expected)


def test_semeval_invalid_utf8_and_accepted_inputs(tmp_path):
    text_path, _ = _semeval(tmp_path, texts=("Fine.", f"Caf{BAD}", "x"))
    text_path.write_bytes(text_path.read_bytes().replace(BAD.encode(), b"\xff"))
    _semeval_error(tmp_path, text_path, 2, None, "valid UTF-8")
    text_path, _ = _semeval(tmp_path, texts=("Fine.", MIXED, BIG))
    text_path.write_bytes(b"\xef\xbb\xbf" + text_path.read_bytes().replace(b"\n", b"\r\n"))
    ds = load_semeval2016(tmp_path, targets=["abortion"])
    assert [i["text"] for i in ds.items if i["split"] == "train"] == ["Fine.", MIXED, BIG]


def test_semeval_empty_mapping_file(tmp_path):
    _semeval(tmp_path)
    mapping = tmp_path / "semeval2016t6_tweeteval" / "mapping.txt"
    mapping.write_text("")
    _semeval_error(tmp_path, mapping, 1, None, "an empty file")
    mapping.write_text("0 none extra\n")
    _semeval_error(tmp_path, mapping, 1, "mapping", "<integer><TAB><label>")


# ----------------------------------------------------------------------------------------------
# Szeged: XML with inline cues


PROLOG = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _szeged(root, body):
    folder = root / "szeged_uncertainty"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "wiki.xml"
    doc = ('<Annotation><DocumentSet>\n<Document><DocID>D1</DocID><DocumentPart>\n'
           f'{body}\n</DocumentPart></Document>\n</DocumentSet></Annotation>\n')
    path.write_bytes((PROLOG + doc).encode("utf-8"))
    return path


def _szeged_error(root, path, line, field, *fragments):
    with pytest.raises(DataFormatError) as info:
        load_szeged(root, parts=["wiki"])
    err = info.value
    assert (err.path, err.line) == (str(path), line), str(err)
    if field is not None:
        assert err.field == field
    for fragment in fragments:
        assert fragment in str(err)


SZEGED_CASES = [
    ("malformed XML", '<Sentence id="S1">The dam failed.</Sentenc>', 4, None, "mismatched tag"),
    ("unclosed element", '<Sentence id="S1">The dam failed.', 5, None, "well-formed XML"),
    ("missing id", "<Sentence>The dam failed.</Sentence>", 4, "Document[D1]/Sentence@id", "an id attribute"),
    ("unknown element in sentence", '<Sentence id="S1">The <b>dam</b>.</Sentence>', 4,
     "Document[D1]/Sentence[S1]", "only <ccue>"),
    ("empty cue", '<Sentence id="S1">The dam <ccue type="speculation_">  </ccue> failed.</Sentence>', 4,
     "Document[D1]/Sentence[S1]/ccue", "cue words inside <ccue>"),
    ("cue without type", '<Sentence id="S1">The dam <ccue>may</ccue> fail.</Sentence>', 4,
     "Document[D1]/Sentence[S1]/ccue@type", "a type attribute"),
]


@pytest.mark.parametrize("name,body,line,field,expected", SZEGED_CASES, ids=[c[0] for c in SZEGED_CASES])
def test_szeged_bad_xml(tmp_path, name, body, line, field, expected):
    path = _szeged(tmp_path, body)
    _szeged_error(tmp_path, path, line, field, expected)


@pytest.mark.parametrize("raw,expected", [(b"\xff", "well-formed XML"), (b"\x00", "well-formed XML")],
                         ids=["invalid UTF-8", "NUL byte"])
def test_szeged_bad_bytes(tmp_path, raw, expected):
    path = _szeged(tmp_path, f'<Sentence id="S1">The dam{BAD} failed.</Sentence>')
    path.write_bytes(path.read_bytes().replace(BAD.encode(), raw))
    _szeged_error(tmp_path, path, 4, None, expected)


def test_szeged_cue_offsets_with_emoji_bom_crlf_and_1mb(tmp_path):
    before = "Officials 官员 say 🚧 the dam "
    path = _szeged(tmp_path, f'<Sentence id="S1">{before}<ccue type="speculation_modal_probable_">may</ccue> '
                   f'have failed 👍🏽.</Sentence>\n<Sentence id="S2">{BIG}</Sentence>')
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    items = {i["id"]: i for i in load_szeged(tmp_path, parts=["wiki"]).items}
    s1, s2 = items["wiki/D1/S1"], items["wiki/D1/S2"]
    assert s1["text"] == before + "may have failed 👍🏽." and s1["label"] == "hedged"
    (a, b), = s1["cues"]
    assert s1["text"][a:b] == "may"
    assert s2["text"] == BIG and s2["label"] == "certain"


def test_szeged_empty_file_and_whitespace_sentence(tmp_path):
    path = _szeged(tmp_path, '<Sentence id="S1">\u00a0 </Sentence><Sentence id="S2">Kept.</Sentence>')
    assert [i["text"] for i in load_szeged(tmp_path, parts=["wiki"]).items] == ["Kept."]  # documented: skipped
    path.write_bytes(b"")
    _szeged_error(tmp_path, path, 1, None, "well-formed XML")
