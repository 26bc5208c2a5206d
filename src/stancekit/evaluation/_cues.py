"""Cue-level evaluation: exact-span and overlap precision, recall and F1, with a per-category breakdown."""

from collections import Counter

from ..features._lexicon import load_lexicon


def _prf(tp_p, n_pred, tp_r, n_gold):
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 6), "recall": round(r, 6), "f1": round(f, 6), "n_gold": n_gold, "n_pred": n_pred}


def _overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def cue_category(text, span, lexicon=None):
    """Hedge-lexicon category of a cue's words (``other`` when the phrase is not in the lexicon)."""
    lexicon = lexicon or load_lexicon("hedges")
    phrase = " ".join(text[span[0]:span[1]].lower().split())
    cats = lexicon.table.get(phrase)
    if cats:
        return cats[0]
    found = [c for _, _, _, cs in lexicon.finditer(text[span[0]:span[1]]) for c in cs]
    return found[0] if found else "other"


def cue_metrics(texts, gold, pred, *, by_category=True):
    """Compare predicted cue spans with gold ones, sentence by sentence.

    Parameters
    ----------
    texts : list of str
    gold, pred : list of list of [start, end]

    Returns
    -------
    dict with ``exact`` and ``overlap`` P/R/F1 and, optionally, ``per_category``
    (exact match; recall by the gold cue's lexicon category, precision by the
    predicted cue's).
    """
    if not len(texts) == len(gold) == len(pred):
        raise ValueError(f"texts, gold and pred must have the same length, got {len(texts)}, {len(gold)}, {len(pred)}")
    lex = load_lexicon("hedges")
    n_gold = n_pred = exact = ov_p = ov_r = 0
    cat_gold, cat_pred, cat_tp_r, cat_tp_p = Counter(), Counter(), Counter(), Counter()
    for text, g, p in zip(texts, gold, pred):
        g = [tuple(s[:2]) for s in g]
        p = [tuple(s[:2]) for s in p]
        gs, ps = set(g), set(p)
        n_gold += len(gs)
        n_pred += len(ps)
        exact += len(gs & ps)
        ov_p += sum(any(_overlaps(a, b) for b in gs) for a in ps)
        ov_r += sum(any(_overlaps(a, b) for b in ps) for a in gs)
        if by_category:
            for s in gs:
                c = cue_category(text, s, lex)
                cat_gold[c] += 1
                cat_tp_r[c] += s in ps
            for s in ps:
                c = cue_category(text, s, lex)
                cat_pred[c] += 1
                cat_tp_p[c] += s in gs
    out = {"exact": _prf(exact, n_pred, exact, n_gold), "overlap": _prf(ov_p, n_pred, ov_r, n_gold)}
    if by_category:
        out["per_category"] = {c: _prf(cat_tp_p[c], cat_pred[c], cat_tp_r[c], cat_gold[c])
                               for c in sorted(set(cat_gold) | set(cat_pred))}
    return out
