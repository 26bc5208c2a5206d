"""CoNLL-2010 Wikipedia sample (Pattern CSV) loader on an invented fixture."""

import pytest

from stancekit.data import DataFormatError
from stancekit.data.external import load_conll2010

CSV = (
    '"1","Harbour lighthouses"\n'
    '"-1","Some historians suggest the tower was probably built earlier."\n'
    '"1","The tower is 40 metres tall &amp; painted white."\n'
    '"-1","Locals often claim the &quot;keeper&quot; never left."\n'
    '"1","Harbour lighthouses"\n'
)


@pytest.fixture
def conll_root(tmp_path, write_file):
    write_file(tmp_path / "conll2010_wiki_pattern" / "uncertainty-conll2010.csv", CSV, bom=True, crlf=True)
    return tmp_path


def test_mapping_entities_bom_and_duplicates(conll_root):
    ds = load_conll2010(conll_root)
    assert ds.layer == "hedging" and ds.splits() == ["all"]
    assert ds.label_mapping == {"1": "certain", "-1": "hedged"}
    assert [i["id"] for i in ds.items] == ["0", "1", "2", "3", "4"]
    assert ds.items[0]["text"] == "Harbour lighthouses"  # BOM gone
    assert ds.items[2]["text"] == "The tower is 40 metres tall & painted white."
    assert ds.items[3]["text"] == 'Locals often claim the "keeper" never left.'
    assert ds.label_counts() == {"certain": 3, "hedged": 2}
    assert ds.duplicates == {"4": "0"}
    assert ds.items[4]["group"] == ds.items[0]["group"] != ds.items[1]["group"]
    assert all(i["target"] is None and i["cues"] == [] for i in ds.items)
    texts, y, groups = ds.view()
    assert texts[1].startswith("Some historians") and y[1] == "hedged"
    with pytest.raises(ValueError, match="no cue spans"):
        ds.cue_view()
    assert len(load_conll2010(conll_root, drop_duplicates=True)) == 4


def test_missing_file(tmp_path):
    (tmp_path / "conll2010_wiki_pattern").mkdir()
    with pytest.raises(FileNotFoundError) as exc:
        load_conll2010(tmp_path)
    assert "conll2010" in str(exc.value) and "uncertainty-conll2010.csv" in str(exc.value)


@pytest.mark.parametrize("bad, field", [('"0","A tower."\n', "label"), ('"1",""\n', "sentence"),
                                        ('"1","A tower.","extra"\n', "columns")])
def test_malformed_row(conll_root, write_file, bad, field):
    write_file(conll_root / "conll2010_wiki_pattern" / "uncertainty-conll2010.csv", CSV + bad, bom=True)
    with pytest.raises(DataFormatError) as exc:
        load_conll2010(conll_root)
    assert exc.value.line == 6 and exc.value.field == field
