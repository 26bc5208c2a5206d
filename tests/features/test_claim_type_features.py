"""ClaimTypeCueFeaturizer: claim-type cues by zone of the main proposition, and the scheme's precedence one-hot."""

import pytest
from sklearn.base import clone

from stancekit.experiments._registry import FEATURIZERS
from stancekit.features import ClaimTypeCueFeaturizer
from stancekit.features._claim_type import CLAIM_TYPES, proposition_zones


def _fired(texts, **params):
    f = ClaimTypeCueFeaturizer(**params).fit(texts)
    names = f.get_feature_names_out()
    return [{n for n, v in zip(names, row) if v} for row in f.transform(texts).toarray()]


def _first(text, scope="main"):
    (fired,) = _fired([text])
    found = [t for t in CLAIM_TYPES if f"first={t}|{scope}" in fired]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("text, expected", [
    ("The minister said casualties would rise.", "prediction"),
    ("If the pipeline is cut, prices would double.", "prediction"),
    ("Exports fell 12 percent in the first quarter.", "quantity"),
    ("More than 9,000 people crossed the river in a week.", "quantity"),
    ("The shortages are a result of the blockade.", "causal"),
    ('"This is a reckless gamble," the minister said.', "opinion"),
    ("The two countries have long been rivals in the region.", "background"),
    ("Engineers were sent to the dam last week.", "event"),
    ("On 3 May, the council met.", "event"),  # a date is not a quantity, and May is not a modal
])
def test_precedence_on_the_main_proposition(text, expected):
    assert _first(text) == expected


def test_reported_content_decides_not_the_frame():
    # the frame's own words ('warned', a number in the speaker's description) sit outside the head
    assert _first("The minister, who has served 12 years, said several soldiers had died.", "head") == "event"
    assert _first("Exports fell 12 percent, according to the ministry.", "head") == "quantity"


def test_zones_and_frame_kinds():
    tokens = "the ministry said 40 trucks had crossed .".split()
    from stancekit.features._linguistic_core import _merged
    from stancekit.features._tokens import tokenize_batch
    lexicon = _merged(tuple(map(tuple, ClaimTypeCueFeaturizer().fit(["x"]).lexicon_entries_)))
    (matches,) = lexicon.match_batch(tokenize_batch(["The ministry said 40 trucks had crossed."]))
    zone, kind = proposition_zones(tokens, matches)
    assert kind == "leading"
    assert zone == ["frame", "frame", "frame", "head", "head", "head", "head", "head"]
    fired = _fired(["Exports fell, according to the ministry.", '"It is a farce," she said.',
                    "Troops crossed the river."])
    assert "frame=according_to" in fired[0] and "frame=quote" in fired[1] and "frame=none" in fired[2]


def test_cue_flags_by_zone():
    (fired,) = _fired(["Officials who spoke on Monday said the plant had been shut because of a fire."],
                      zones=("head", "side", "frame"))
    assert "cue=recent_time|frame" in fired
    assert "cue=past_perfect|head" in fired
    assert "cue=causal|side" in fired and "cue=causal|head" not in fired
    assert "cue=number|head" not in fired


def test_zones_parameter_selects_columns():
    texts = ["The minister said casualties would rise.", "Exports fell 12 percent."]
    names = set(ClaimTypeCueFeaturizer().fit(texts).get_feature_names_out())
    assert "cue=number|head" in names and "cue=number|side" not in names
    names = set(ClaimTypeCueFeaturizer(zones=("head", "frame")).fit(texts).get_feature_names_out())
    assert "cue=number|frame" in names and "cue=number|side" not in names


def test_weight_and_phrase_columns():
    texts = ["Officials said exports would fall.", "Officials said imports would fall."]
    f = ClaimTypeCueFeaturizer(weight=0.5, phrase_features=True, head_words=True, min_count=2).fit(texts)
    names = list(f.get_feature_names_out())
    assert "phrase=would|head" in names and "head=would" in names
    assert "head=exports" not in names  # seen once: below min_count
    out = f.transform(texts)
    assert set(out.data) == {0.5}
    assert out.shape == (2, len(names))
    assert abs(clone(f).fit(texts).transform(texts) - out).max() == 0


@pytest.mark.parametrize("params", [{"weight": 0}, {"weight": "1"}, {"zones": "head"}, {"zones": ("main",)},
                                    {"min_count": 0}, {"phrase_features": "yes"}, {"frame_rule": "segments"}])
def test_bad_parameters_are_named(params):
    with pytest.raises(ValueError, match=next(iter(params))):
        ClaimTypeCueFeaturizer(**params).fit(["A sentence."])


def _zones(text, frame_rule):
    from stancekit.features._linguistic_core import _merged
    from stancekit.features._tokens import tokenize_batch

    lexicon = _merged(tuple(map(tuple, ClaimTypeCueFeaturizer().fit(["x"]).lexicon_entries_)))
    batch = tokenize_batch([text])
    (matches,) = lexicon.match_batch(batch)
    tokens = batch.lower[batch.offsets[0]:batch.offsets[1]]
    return tokens, proposition_zones(tokens, matches, frame_rule)


def test_segment_frame_rule_reads_appositive_frames_as_leading():
    text = "Colonel Ivan Petrov, a spokesman for the army, said the movements were part of routine drills near the border."
    tokens, (zone, kind) = _zones(text, "position")
    assert kind == "trailing" and zone[tokens.index("movements")] == "frame"  # the content lost: the old reading
    tokens, (zone, kind) = _zones(text, "segment")
    assert kind == "leading" and zone[tokens.index("movements")] == "head" and zone[tokens.index("petrov")] == "frame"
    # a real trailing frame stays one, and a quotation too
    for text in ("The convoy crossed the border near Kharkiv on Monday night, the ministry said.",
                 '"We will not retreat from any of these positions," the colonel, a veteran, said.'):
        for rule in ("position", "segment"):
            assert _zones(text, rule)[1][1] in ("trailing", "quote")


def test_segment_frame_rule_keeps_split_numbers_in_the_head():
    tokens, (zone, _) = _zones("Officials said that about 25,000 people fled the city.", "segment")
    assert zone[tokens.index("fled")] == "head"
    tokens, (zone, _) = _zones("Officials said that about 25,000 people fled the city.", "position")
    assert zone[tokens.index("fled")] == "side"


def test_extended_lexicon_contains_the_built_in_one():
    from stancekit.features import load_lexicon

    base, extended = set(load_lexicon("claim_type").entries()), set(load_lexicon("claim_type_extended").entries())
    assert base < extended and len(extended - base) == 372
    f = ClaimTypeCueFeaturizer(lexicon="claim_type_extended", frame_rule="segment").fit(["x"])
    (fired,) = _fired(["Officials said the strikes came in the wake of the attack."])
    assert "cue=causal|head" not in fired  # 'in the wake of' is not in the built-in lexicon
    names = f.get_feature_names_out()
    row = f.transform(["Officials said the strikes came in the wake of the attack."]).toarray()[0]
    assert "cue=causal|head" in {n for n, v in zip(names, row) if v}


def test_registered():
    assert FEATURIZERS["claim_type_cues"][0] is ClaimTypeCueFeaturizer


def test_user_lexicon_and_recent_year(tmp_path):
    from stancekit.features import ClaimTypeCueFeaturizer

    tsv = tmp_path / "mine.tsv"
    tsv.write_text("phrase\tcategory\nbrittle\tevaluative\n", encoding="utf-8")
    text = ["The truce is brittle."]
    def row(f):
        values = f.fit(text).transform(text).toarray()[0]
        return dict(zip(f.get_feature_names_out(), values))

    assert row(ClaimTypeCueFeaturizer(lexicon=str(tsv)))["first=opinion|main"] == 0.1
    fitted = ClaimTypeCueFeaturizer(lexicon=str(tsv)).fit(text)
    tsv.unlink()  # the lexicon is read in fit and kept: transform does not need the file
    assert dict(zip(fitted.get_feature_names_out(), fitted.transform(text).toarray()[0]))["first=opinion|main"] == 0.1
    assert row(ClaimTypeCueFeaturizer())["first=opinion|main"] == 0.0
    old = ["The alliance was founded in 2019."]
    f = ClaimTypeCueFeaturizer(recent_year=2019).fit(old)
    got = dict(zip(f.get_feature_names_out(), f.transform(old).toarray()[0]))
    assert got["cue=year_recent|head"] == 0.1 and got["cue=year_old|head"] == 0.0
    f = ClaimTypeCueFeaturizer(recent_year=2020).fit(old)
    got = dict(zip(f.get_feature_names_out(), f.transform(old).toarray()[0]))
    assert got["cue=year_old|head"] == 0.1
    with pytest.raises(ValueError, match="recent_year"):
        ClaimTypeCueFeaturizer(recent_year="2020").fit(old)
