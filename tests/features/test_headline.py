"""HeadlineCueFeaturizer on invented (headline, claim) pairs."""

import numpy as np
import pytest

from stancekit.features import HeadlineCueFeaturizer
from stancekit.features._headline import HEDGE_WORDS, REFUTE_WORDS

CLAIM = "A famous painter was arrested in London"


def _row(headline, claim=CLAIM, **params):
    f = HeadlineCueFeaturizer(**params).fit([(headline, claim)])
    return dict(zip(f.get_feature_names_out(), f.transform([(headline, claim)])[0]))


def test_question_hedge_refute_and_prefix():
    r = _row("Rumor: was the famous painter arrested in London?")
    assert r["headline__question"] == 1 and r["headline__prefix_colon"] == 1
    assert r["headline__hedge_any"] == 1 and r["headline__hedge_initial"] == 1 and r["headline__hedge__rumor"] == 1
    assert r["headline__refute_any"] == 0
    r = _row("Painter arrest story is a hoax, police deny")
    assert r["headline__refute_any"] == 1 and r["headline__refute__hoax"] == 1 and r["headline__refute__deny"] == 1
    assert r["headline__refute_initial"] == 0 and r["headline__question"] == 0 and r["headline__prefix_colon"] == 0
    assert _row("Hoax: painter not arrested")["headline__refute_initial"] == 1


def test_negation_and_mismatch():
    r = _row("The painter hasn't been arrested")
    assert r["headline__negation"] == 1 and r["headline__claim_negation"] == 0 and r["headline__negation_mismatch"] == 1
    r = _row("Painter not arrested", claim="The painter was not arrested")
    assert r["headline__negation_mismatch"] == 0


def test_overlap_values():
    r = _row("Famous painter arrested", claim="famous painter arrested")
    assert r["headline__jaccard"] == 1.0 and r["headline__claim_coverage"] == 1.0
    r = _row("Painter paints", claim="famous painter arrested")  # content: {painter, paints} vs 3 claim words
    assert r["headline__jaccard"] == pytest.approx(1 / 4)
    assert r["headline__claim_coverage"] == pytest.approx(1 / 3) and r["headline__headline_coverage"] == 0.5
    assert _row("", claim="")["headline__jaccard"] == 0.0


def test_columns_follow_the_switches():
    full = HeadlineCueFeaturizer().fit([("x", "y")])
    assert full.transform([("x", "y")]).shape == (1, 13 + len(HEDGE_WORDS) + len(REFUTE_WORDS))
    small = HeadlineCueFeaturizer(per_word=False, overlap=False).fit([("x", "y")])
    assert len(small.get_feature_names_out()) == 10
    assert not any("jaccard" in n for n in small.get_feature_names_out())


def test_values_bounded_and_bad_params():
    X = [("Reportedly, \u201cfake\u201d news isn\u2019t real?", "News is real"), ("", "")]
    out = HeadlineCueFeaturizer().fit(X).transform(X)
    assert np.isfinite(out).all() and out.min() >= 0 and out.max() <= 1
    with pytest.raises(ValueError, match="'per_word' parameter"):
        HeadlineCueFeaturizer(per_word="yes").fit(X)
