"""Shared parts of the external loaders: data directory, registry, dataset object, text cleaning."""

import json
from pathlib import Path

import pytest

import stancekit.data.external as ext
from stancekit.data import DataFormatError
from stancekit.data.external import EXTERNAL_FOLDERS, EXTERNAL_LOADERS, ExternalDataset, load_external
from stancekit.data.external._common import (clean_segments, clean_text, iter_json_array, resolve_data_dir,
                                             unescape_entities)

CLAIMS = '[{"sentence_id": 1, "label": 1, "text": "Prices rose."}]'


def _claimbuster(root):
    folder = root / "claimbuster_ncs"
    folder.mkdir(parents=True)
    (folder / "train.json").write_text(CLAIMS, encoding="utf-8")
    (folder / "test.json").write_text(CLAIMS.replace('"sentence_id": 1', '"sentence_id": 2'), encoding="utf-8")
    return folder


def test_registry_and_public_api():
    assert set(EXTERNAL_LOADERS) == {"emergent", "fnc1", "semeval2016", "rumoureval", "perspectrum", "conll2010",
                                     "szeged", "checkthat", "claimbuster"}
    assert EXTERNAL_FOLDERS == {"emergent": "emergent", "fnc1": "fnc1", "semeval2016": "semeval2016t6_tweeteval",
                                "rumoureval": "rumoureval2017_sdqc", "perspectrum": "perspectrum",
                                "conll2010": "conll2010_wiki_pattern", "szeged": "szeged_uncertainty",
                                "checkthat": "clef2024_task1_en", "claimbuster": "claimbuster_ncs"}
    for name in ext.__all__:
        assert hasattr(ext, name)


def test_data_dir_from_argument_env_or_error(tmp_path, monkeypatch):
    _claimbuster(tmp_path)
    assert len(load_external("claimbuster", tmp_path)) == 2
    assert len(load_external("claimbuster_ncs", str(tmp_path))) == 2  # folder name works as an alias
    monkeypatch.setenv("STANCEKIT_DATA", str(tmp_path))
    assert load_external("claimbuster").source_dir == tmp_path / "claimbuster_ncs"
    monkeypatch.delenv("STANCEKIT_DATA")
    with pytest.raises(ValueError, match="STANCEKIT_DATA"):
        load_external("claimbuster")
    with pytest.raises(FileNotFoundError, match="no such data directory"):
        resolve_data_dir(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="emergent"):
        load_external("emergent", tmp_path)  # its folder is absent
    with pytest.raises(KeyError, match="unknown external dataset"):
        load_external("imaginary", tmp_path)


def test_dataset_folder_itself_is_accepted(tmp_path):
    folder = _claimbuster(tmp_path)
    assert len(EXTERNAL_LOADERS["claimbuster"](folder)) == 2


def _toy():
    items = [
        {"id": "a", "text": "It may rain.", "target": None, "label": "hedged", "split": "train", "group": "d1",
         "cues": [[3, 6]]},
        {"id": "b", "text": "It rained.", "target": None, "label": "certain", "split": "test", "group": "d2",
         "cues": []},
    ]
    return ExternalDataset("toy", "hedging", items, {"-1": "hedged", "1": "certain"}, Path("."), has_cues=True)


def test_dataset_views_and_split_selection():
    ds = _toy()
    assert ds.splits() == ["train", "test"] and ds.labels() == ["certain", "hedged"]
    assert ds.view() == (["It may rain.", "It rained."], ["hedged", "certain"], ["d1", "d2"])
    assert ds.view(["test"]) == (["It rained."], ["certain"], ["d2"])
    assert ds.cue_view("train") == (["It may rain."], [[(3, 6)]], ["d1"])
    assert ds.label_counts() == {"certain": 1, "hedged": 1}
    with pytest.raises(ValueError, match="split must be one of"):
        ds.view("dev")
    assert "toy" in repr(ds) and len(ds) == 2
    stance = ExternalDataset("s", "stance", [dict(ds.items[0], target="Rain", cues=[])], {}, Path("."))
    assert stance.view()[0] == [("It may rain.", "Rain")]
    with pytest.raises(ValueError, match="no cue spans"):
        stance.cue_view()


def test_unescape_only_terminated_entities():
    assert unescape_entities("AT&amp;T &param &lt;b&gt; &#8217; &amp;lt;") == "AT&T &param <b> \u2019 <"
    assert clean_text("  a\t\tb \ufeff c\n") == "a b c"
    assert clean_text("p1 line\r\n\r\n\r\n\r\np2  x", keep_newlines=True) == "p1 line\n\np2 x"


def test_clean_segments_tracks_offsets():
    segs = [("  The\u00a0 town ", None), (" may  well ", 0), ("&amp; ", None), ("&#160;", 1), ("perhaps", 2),
            ("  grow. ", None)]
    text, spans = clean_segments(segs)
    assert text == "The town may well & perhaps grow."
    assert text[slice(*spans[0])] == "may well" and 1 not in spans and text[slice(*spans[2])] == "perhaps"


def test_iter_json_array_reports_lines(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"x": 1}, {"x": 2}], indent=1), encoding="utf-8")
    assert [(line, i) for line, i, _ in iter_json_array(path)] == [(2, 0), (5, 1)]
    path.write_text('{"not": "a list"}', encoding="utf-8")
    with pytest.raises(DataFormatError, match="a JSON array"):
        list(iter_json_array(path))
    path.write_text("[1, 2\n 3]", encoding="utf-8")
    with pytest.raises(DataFormatError) as exc:
        list(iter_json_array(path))
    assert exc.value.line == 2
    path.write_bytes(b"[1, \xff]")
    with pytest.raises(DataFormatError, match="UTF-8"):
        list(iter_json_array(path))
