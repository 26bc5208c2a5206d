"""PropositionTfidf: n-grams of the main proposition (the reported content after a reporting frame)."""

from sklearn.base import clone

from stancekit.experiments._registry import FEATURIZERS
from stancekit.features import PropositionTfidf, main_proposition


def test_main_proposition_drops_the_reporting_frame():
    assert main_proposition("The ministry said 40 trucks had crossed.") == "40 trucks had crossed"
    assert main_proposition('"This is a reckless gamble," the minister said.') == "this is a reckless gamble"
    assert main_proposition("Exports fell 12 percent, according to the ministry.") == "exports fell 12 percent"
    assert main_proposition("Engineers were sent to the dam last week.") == "engineers were sent to the dam last week"


def test_frame_words_are_not_features():
    texts = ["The minister said casualties would rise.", "The minister said prices would rise.",
             "Officials said exports fell.", "Officials said exports would fall."]
    f = PropositionTfidf(min_df=1).fit(texts)
    names = set(f.get_feature_names_out())
    assert "prop__would" in names and "prop__exports" in names
    assert "prop__said" not in names and "prop__minister" not in names
    out = f.transform(texts)
    assert out.shape == (4, len(names)) == (4, f.n_features_out_)
    assert abs(clone(f).fit(texts).transform(texts) - out).max() == 0
    assert FEATURIZERS["proposition_tfidf"][0] is PropositionTfidf
