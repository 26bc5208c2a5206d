"""Task-specific scores used by public benchmarks."""

from sklearn.metrics import f1_score

FNC_RELATED = ("agree", "disagree", "discuss")


def fnc1_relative_score(y_true, y_pred):
    """FNC-1 weighted score as a percentage of the best possible score.

    Per pair: +0.25 for the right related/unrelated decision; +0.75 more for
    the exact label of a related pair (agree, disagree, discuss).
    """
    def score(gold, pred):
        total = 0.0
        for g, p in zip(gold, pred):
            if g == p:
                total += 0.25
                if g != "unrelated":
                    total += 0.50
            if g in FNC_RELATED and p in FNC_RELATED:
                total += 0.25
        return total

    best = score(y_true, y_true)
    return round(100.0 * score(y_true, y_pred) / best, 4) if best else 0.0


def semeval_f_avg(y_true, y_pred, *, positive=("favor", "against")):
    """SemEval-2016 Task 6 F_avg: the mean F1 of the FAVOR and AGAINST classes (NONE is not averaged)."""
    return round(100.0 * f1_score(list(y_true), list(y_pred), labels=list(positive), average="macro",
                                  zero_division=0), 4)


def task_scores(y_true, y_pred, labels):
    """The benchmark scores that apply to a label set: FNC-1 relative score, SemEval F_avg, F1 of 'checkworthy'."""
    labels = set(labels)
    out = {}
    if {"agree", "disagree", "discuss", "unrelated"} <= labels:
        out["fnc1_relative_score"] = fnc1_relative_score(y_true, y_pred)
    if {"favor", "against"} <= labels:
        out["semeval_f_avg"] = semeval_f_avg(y_true, y_pred)
    if "checkworthy" in labels:
        out["f1_checkworthy"] = round(100.0 * f1_score(list(y_true), list(y_pred), labels=["checkworthy"],
                                                       average="macro", zero_division=0), 4)
    if "hedged" in labels and "certain" in labels:
        out["f1_hedged"] = round(100.0 * f1_score(list(y_true), list(y_pred), labels=["hedged"],
                                                  average="macro", zero_division=0), 4)
    return out
