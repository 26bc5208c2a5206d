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


#: Benchmark scores that are the mean F1 of some classes, in percent: the classes each one averages, and the
#: labels a label set must hold for the score to apply to it.
CLASS_F1_SCORES = {"semeval_f_avg": (("favor", "against"), {"favor", "against"}),
                   "f1_checkworthy": (("checkworthy",), {"checkworthy"}),
                   "f1_hedged": (("hedged",), {"hedged", "certain"})}


def class_f1(y_true, y_pred, classes):
    """The mean F1 of *classes*, in percent (a class never gold nor predicted scores 0)."""
    return round(100.0 * f1_score(list(y_true), list(y_pred), labels=list(classes), average="macro",
                                  zero_division=0), 4)


def semeval_f_avg(y_true, y_pred, *, positive=CLASS_F1_SCORES["semeval_f_avg"][0]):
    """SemEval-2016 Task 6 F_avg: the mean F1 of the FAVOR and AGAINST classes (NONE is not averaged)."""
    return class_f1(y_true, y_pred, positive)


def task_scores(y_true, y_pred, labels):
    """The benchmark scores that apply to a label set: FNC-1 relative score, SemEval F_avg, F1 of 'checkworthy',
    F1 of 'hedged'."""
    labels = set(labels)
    out = {}
    if {"agree", "disagree", "discuss", "unrelated"} <= labels:
        out["fnc1_relative_score"] = fnc1_relative_score(y_true, y_pred)
    for name, (classes, needed) in CLASS_F1_SCORES.items():
        if needed <= labels:
            out[name] = class_f1(y_true, y_pred, classes)
    return out
