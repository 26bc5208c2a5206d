"""Input checks shared by the text featurizers."""

import numpy as np


def _as_list(X, what, name):
    """``list(X)``; None or a non-iterable raises ValueError naming the parameter (not a bare TypeError)."""
    try:
        iterator = iter(X)
    except TypeError:
        raise ValueError(f"Iterable over {what} expected for {name}, got {type(X).__name__}") from None
    return list(iterator)


def check_texts(X, *, name="X"):
    """Return *X* as a list of strings, refusing a bare string and non-string items."""
    if isinstance(X, (str, bytes)):
        raise ValueError(f"Iterable over raw text documents expected for {name}, string object received.")
    texts = _as_list(X, "raw text documents", name)
    if texts and set(map(type, texts)) == {str}:  # the common case, checked in one C-level pass
        return texts
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise ValueError(f"{name}[{i}] must be a string, got {type(t).__name__} {t!r:.60}")
    return texts


def check_pairs(X, *, name="X"):
    """Return ``(sentences, targets)`` from a sequence of (sentence, target) pairs.

    Accepts a list of 2-tuples or a 2-column array of strings.
    """
    if isinstance(X, (str, bytes)):
        raise ValueError(f"Iterable over (sentence, target) pairs expected for {name}, string object received.")
    if isinstance(X, np.ndarray) and X.ndim == 2 and X.shape[1] == 2:
        pairs = X.tolist()
    else:
        pairs = _as_list(X, "(sentence, target) pairs", name)
    sentences, targets = [], []
    for i, pair in enumerate(pairs):
        if isinstance(pair, (str, bytes, dict, set, frozenset)) or not hasattr(pair, "__len__") \
                or not hasattr(pair, "__getitem__") or len(pair) != 2:
            raise ValueError(f"{name}[{i}] must be a (sentence, target) pair, got {pair!r:.80}")
        s, t = pair[0], pair[1]
        if not isinstance(s, str) or not isinstance(t, str):
            raise ValueError(f"{name}[{i}] must hold two strings, got ({type(s).__name__}, {type(t).__name__})")
        sentences.append(s)
        targets.append(t)
    return sentences, targets


def is_int(value):
    """Whether *value* is an integer (numpy integers too), not a bool."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def check_int_param(owner, name, value, *, minimum=None):
    """Refuse a parameter that is not an int (numpy integers accepted, bools refused) of at least *minimum*."""
    if not is_int(value) or (minimum is not None and value < minimum):
        bound = "" if minimum is None else f" >= {minimum}"
        raise ValueError(f"The '{name}' parameter of {owner} must be an int{bound}. Got {value!r} instead.")
    return int(value)


def check_bool_param(owner, name, value):
    """Refuse a parameter that is not a bool (numpy bools accepted)."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"The '{name}' parameter of {owner} must be a bool. Got {value!r} instead.")
    return bool(value)


def check_real_param(owner, name, value, *, low=None, high=None, low_open=False):
    """Refuse a parameter that is not a real number (numpy numbers accepted, bools refused) within the bounds."""
    ok = (is_int(value) or isinstance(value, (float, np.floating))) and np.isfinite(value)
    if ok and low is not None:
        ok = value > low if low_open else value >= low
    if ok and high is not None:
        ok = value <= high
    if not ok:
        if low == 0 and low_open and high is None:
            what = "a positive number"
        else:
            bounds = ([f"{'>' if low_open else '>='} {low}"] if low is not None else []) \
                + ([f"<= {high}"] if high is not None else [])
            what = " ".join(["a number", " and ".join(bounds)]).strip()
        raise ValueError(f"The '{name}' parameter of {owner} must be {what}. Got {value!r} instead.")
    return value
