"""Print the counts the audit's README and the corpus card quote, from the audit files and the corpus.

    python reports/geonews-audit-7.1/summarise.py
    python reports/geonews-audit-7.1/summarise.py --revised /tmp/rev/geonews   # a build with the draft applied

Sentences are counted once per file even when several of their layers are listed.
"""

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[1] / "datasets" / "geonews"
LAYERS = ("claim_type", "stance", "hedging", "source")


def _rows(name):
    with open(HERE / name, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _sentences(corpus):
    with open(Path(corpus) / "sentences.jsonl", encoding="utf-8") as fh:
        return {s["id"]: s for s in map(json.loads, fh)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--revised", help="a corpus folder built with revisions.draft.jsonl applied")
    args = parser.parse_args(argv)
    released = _sentences(CORPUS)
    earlier = sum(1 for s in released.values() if not s["doc_id"].startswith("x"))
    for name in ("conflicts.jsonl", "unclear.jsonl"):
        rows = _rows(name)
        ids = {r["id"] for r in rows}
        per_rule = defaultdict(set)
        for r in rows:
            per_rule[r["rule"]].add(r["id"])
        splits = Counter(released[i]["split"] for i in ids)
        layers = Counter(r["layer"].split(":")[0] for r in rows)
        print(f"{name}: {len(ids)} sentences ({100 * len(ids) / earlier:.1f} % of the {earlier} earlier ones), "
              f"{len(rows)} lines; by split {dict(sorted(splits.items()))}; by layer {dict(layers.most_common())}")
        print("  by rule: " + ", ".join(f"{rule} {len(v)}" for rule, v in sorted(per_rule.items())))
    clear, arguable = ({r["id"] for r in _rows(n)} for n in ("conflicts.jsonl", "unclear.jsonl"))
    print(f"arguable sentences not among the clear conflicts: {len(arguable - clear)}; test sentences in the two "
          f"lists: {sum(1 for i in clear | arguable if released[i]['split'] == 'test')}")
    table = Counter((d["audit"], d["agrees_with"], d["confidence"]) for d in _rows("adjudication.jsonl"))
    print("adjudication (audit file, decision agrees with, confidence): "
          + ", ".join(f"{k[0]}/{k[1]}/{k[2]} {n}" for k, n in sorted(table.items())))
    print(f"revisions.draft.jsonl: {len(_rows('revisions.draft.jsonl'))} lines")
    if args.revised:
        revised = _sentences(args.revised)
        changed = {i for i in released if any(released[i][k] != revised[i][k] for k in LAYERS + ("hedge_cues",))}
        by_layer = Counter(k for i in changed for k in LAYERS if released[i][k] != revised[i][k])
        test = sum(1 for i in changed if released[i]["split"] == "test")
        print(f"revised build: {len(changed)} sentences changed ({test} in test); by layer {dict(by_layer.most_common())}")


if __name__ == "__main__":
    main()
