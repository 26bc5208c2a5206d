"""Shared fixtures: a tiny corpus written by the tests themselves."""

import json

import pytest

# (text, hedging, cue substrings, claim_type, source, stance toward t1)
SENTENCES = [
    ("Troops crossed the border on Monday, the defence ministry said.", "certain", [], "event", "named", "support"),
    ("The ministry denied that any soldiers had crossed.", "certain", [], "event", "named", "deny"),
    ("Officials said the convoy may have crossed the border at night.", "hedged", ["may"], "event", "anonymous", "support"),
    ("It could not be independently verified whether troops crossed.", "hedged", ["could not be independently verified"], "event", "author", "neutral"),
    ("About 4,000 people fled the area, according to aid workers.", "hedged", ["About"], "quantity", "anonymous", "unrelated"),
    ("The two countries fought a war over the valley in 1962.", "certain", [], "background", "author", "unrelated"),
    ("Analysts expect talks to resume if the shelling stops.", "hedged", ["expect"], "prediction", "anonymous", "unrelated"),
    ("\"This is a reckless provocation,\" the foreign minister said.", "certain", [], "opinion", "named", "support"),
    ("The fuel shortages are a result of the blockade, the agency said.", "certain", [], "causal", "named", "unrelated"),
    ("Exports fell by 12 percent in the first quarter.", "certain", [], "quantity", "author", "unrelated"),
    ("The envoys will meet in Geneva on Tuesday.", "certain", [], "prediction", "author", "unrelated"),
    ("A senior diplomat said the deployment was likely to continue.", "hedged", ["likely"], "prediction", "anonymous", "support"),
]
TOPICS = ["armed_conflict", "ceasefire", "sanctions", "energy"]


#: Texts where tokenizers, casings and scripts could disagree (fast paths are compared with plain ones on them).
TRICKY_TEXTS = [
    # casing, scripts and punctuation where tokenizers could disagree
    "ΑΣ.Β and ΟΔΟΣ: the İstanbul office said the cross-border talks “may” resume, don't they?",
    "STRASSE ẞ ﬁnal Kelvin K, ſ and ǅ: officials in Kyiv's 2024 report said 1,500 fled in May 2019.",
    "According to UN officials, there is no doubt that about 3,000 people — mostly women — left.",
    "\"It could not be independently verified,\" a senior diplomat told reporters on Monday.",
    "rock'n'roll a-b x", "!", "Officials 官员 said the convoy 🚚 may have crossed — Конвой пересёк границу.",
    "It is likely, analysts said, that the US and Russia will not agree; talks may fail.",
]
TARGETS = ["Troops crossed the border.", "The talks will resume.", "Officials said the convoy crossed the border."]


def write_corpus(root, n_docs=12, splits=("train",) * 8 + ("dev",) * 1 + ("test",) * 3):
    """Write a small valid corpus (documents.jsonl, sentences.jsonl) under *root*."""
    root.mkdir(parents=True, exist_ok=True)
    docs, sents = [], []
    for d in range(n_docs):
        doc_id = f"x-{d:03d}"
        split = splits[d % len(splits)]
        docs.append({"doc_id": doc_id, "headline": f"Border incident {d}", "region": "europe",
                     "topic": TOPICS[d % len(TOPICS)], "date": "2026-05-01", "split": split,
                     "targets": [{"id": f"{doc_id}-t1", "text": "Troops crossed the border."}]})
        for pos in range(len(SENTENCES)):
            text, hedging, cues, ctype, source, stance = SENTENCES[(pos + d) % len(SENTENCES)]
            spans = [[text.index(c), text.index(c) + len(c)] for c in cues]
            sents.append({"id": f"{doc_id}-s{pos:02d}", "doc_id": doc_id, "position": pos, "split": split,
                          "text": text, "hedging": hedging, "hedge_cues": spans, "claim_type": ctype,
                          "source": source, "stance": [{"target": f"{doc_id}-t1", "label": stance}]})
    (root / "documents.jsonl").write_text("".join(json.dumps(r) + "\n" for r in docs), encoding="utf-8")
    (root / "sentences.jsonl").write_text("".join(json.dumps(r) + "\n" for r in sents), encoding="utf-8")
    return root


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """Compiled models (and any default model) go to a cache of the test session's own, not the user's."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


@pytest.fixture
def corpus_dir(tmp_path):
    return write_corpus(tmp_path / "tiny")


@pytest.fixture
def tiny_corpus(corpus_dir):
    from stancekit.data import load_corpus

    return load_corpus(corpus_dir)


def config_text(corpus_dir, *, name, layer, seed, features=("word_tfidf",), bootstrap=100):
    """A minimal experiment config (TOML) on *corpus_dir*: the given featurizers and a logistic regression."""
    blocks = "".join(f'[[features]]\nname = "{f}"\n' for f in features)
    return (f'name = "{name}"\nseed = {seed}\n[data]\ncorpus = "{corpus_dir}"\nlayer = "{layer}"\n{blocks}'
            f'[classifier]\nname = "logistic_regression"\n[evaluation]\nbootstrap = {bootstrap}\n')


@pytest.fixture
def write_config(tmp_path):
    """``write_config(corpus_dir, name=..., layer=..., ...)``: :func:`config_text` written to <folder>/<name>.toml."""
    def write(corpus_dir, *, name, layer, folder=None, seed=1, features=("word_tfidf",), bootstrap=100):
        path = (folder or tmp_path) / f"{name}.toml"
        path.write_text(config_text(corpus_dir, name=name, layer=layer, seed=seed, features=features,
                                    bootstrap=bootstrap))
        return path
    return write
