"""HashtagTfidf: word TF-IDF over tweets with hashtags read as words."""

import pytest
from sklearn.exceptions import NotFittedError

from stancekit.features import HashtagTfidf
from stancekit.features._hashtag import camel_parts, segment

TWEETS = ["We stand for life and for women", "#ProLife rally today", "#prolife #StandWithHer",
          "life begins at conception", "women deserve a choice #choice"]


def test_camel_case_and_digits():
    assert camel_parts("StopHillary2016") == ["Stop", "Hillary", "2016"]
    assert camel_parts("GOP") == ["GOP"]
    assert camel_parts("prolife") == ["prolife"]


def test_segment_uses_known_words_only():
    counts = {"pro": 3, "life": 5, "stand": 2}
    assert segment("prolife", counts, 10) == ["pro", "life"]
    assert segment("prolifex", counts, 10) is None
    assert segment("a", counts, 10) is None


def test_hashtag_modes():
    both = HashtagTfidf(ngram_range=(1, 1), min_count=1).fit(TWEETS)
    names = set(both.get_feature_names_out())
    assert {"hashtag__#prolife", "hashtag__life", "hashtag__stand", "hashtag__her"} <= names
    split = HashtagTfidf(ngram_range=(1, 1), min_count=1, hashtags="split").fit(TWEETS)
    assert not any(n.startswith("hashtag__#") for n in split.get_feature_names_out())
    keep = HashtagTfidf(ngram_range=(1, 1), min_count=1, hashtags="keep").fit(TWEETS)
    assert "hashtag__#standwithher" in set(keep.get_feature_names_out())
    assert "hashtag__her" not in set(keep.get_feature_names_out())


def test_one_case_tag_split_by_training_vocabulary():
    h = HashtagTfidf(ngram_range=(1, 1), min_count=1).fit(["pro choice", "pro life", "#prochoice"])
    row = h.transform(["#prochoice"])
    cols = {h.get_feature_names_out()[j] for j in row.nonzero()[1]}
    assert cols == {"hashtag__pro", "hashtag__choice", "hashtag__#prochoice"}


def test_errors():
    with pytest.raises(NotFittedError):
        HashtagTfidf().transform(TWEETS)
    with pytest.raises(ValueError, match="hashtags"):
        HashtagTfidf(hashtags="drop").fit(TWEETS)
    with pytest.raises(ValueError, match="min_count"):
        HashtagTfidf(min_count=0).fit(TWEETS)
    with pytest.raises(ValueError, match="string object received"):
        HashtagTfidf().fit(TWEETS).transform("a bare string")
