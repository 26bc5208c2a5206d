"""The section 7.1 audit's counts, quoted in README.md and the corpus card, are the ones its script prints."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_audit_summary_gives_the_quoted_counts(capsys):
    path = ROOT / "reports" / "geonews-audit-7.1" / "summarise.py"
    spec = importlib.util.spec_from_file_location("audit_summary", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main([])
    out = capsys.readouterr().out
    assert "conflicts.jsonl: 51 sentences (1.3 % of the 3820 earlier ones), 73 lines; " \
           "by split {'dev': 6, 'test': 14, 'train': 31}" in out
    assert "arguable sentences not among the clear conflicts: 77; test sentences in the two lists: 27" in out
    assert "conflicts/prescribed/high 53, conflicts/prescribed/low 6, unclear/current/low 4, unclear/other/low 2, " \
           "unclear/prescribed/high 53, unclear/prescribed/low 24" in out
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    card = (ROOT / "datasets" / "geonews" / "README.md").read_text(encoding="utf-8")
    assert "found 51 sentences (1.3 % of the earlier ones)" in " ".join(readme.split())
    assert "found 51 sentences (14 of them in test)" in " ".join(card.split())
