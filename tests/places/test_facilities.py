"""Named buildings and quarters placed at the town the text puts them in, on sentences written
for these tests."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from dragoman.evaluate.geo import haversine_km
from dragoman.records import Mention, Place
from dragoman.resolve.places_facilities import facility_places, find_facilities


def _spans(text: str, *names: str) -> list[tuple[int, int]]:
    return [(text.index(n), text.index(n) + len(n)) for n in names]


@pytest.mark.parametrize(("text", "town", "mention", "name", "feature"), [
    # a lower-case head is a designator: out of the mention, in the place's name
    ("Shells hit the al-Nuri mosque in Tikrit at dawn.", "Tikrit", "al-Nuri", "al-Nuri mosque", "facility"),
    ("Gunmen raided the Al-Karama neighborhood in Homs.", "Homs", "Al-Karama", "Al-Karama neighborhood",
     "quarter"),
    # a capitalised head is part of the proper name
    ("The envoys met at the Grand Hyatt Hotel in Amman.", "Amman", "Grand Hyatt Hotel", "Grand Hyatt Hotel",
     "facility"),
    ("Crowds gathered in Tahrir Square in Cairo.", "Cairo", "Tahrir Square", "Tahrir Square", "facility"),
])
def test_a_named_building_or_quarter_before_its_town(text, town, mention, name, feature):
    found = find_facilities(text, _spans(text, town))
    assert len(found) == 1
    f = found[0]
    assert (f.mention.text, f.name, f.feature) == (mention, name, feature)
    assert text[f.mention.start:f.mention.end] == mention
    assert f.town_start == text.index(town)


@pytest.mark.parametrize(("text", "town", "others"), [
    ("Rockets struck the US base in Kirkuk.", "Kirkuk", ("US",)),  # whose base, not which
    ("Rockets struck the Iraqi base in Kirkuk.", "Kirkuk", ("Iraqi",)),
    ("Rockets struck an air base in Kirkuk.", "Kirkuk", ()),  # no name at all
    ("Rockets struck the main hospital in Kirkuk.", "Kirkuk", ()),
    ("Doctors at the City University Hospital in Kirkuk said so.", "Kirkuk", ()),  # two heads: unclear
])
def test_no_facility_without_a_name_of_its_own(text, town, others):
    assert find_facilities(text, _spans(text, town), _spans(text, *others)) == []


def test_the_facility_lies_at_its_town_and_only_at_a_town():
    text = "Shells hit the al-Nuri mosque in Tikrit, then the Al-Rashid hospital in Iraq."
    facilities = find_facilities(text, _spans(text, "Tikrit", "Iraq"))
    assert [f.name for f in facilities] == ["al-Nuri mosque", "Al-Rashid hospital"]
    tikrit = Place("p1", "Tikrit", "IRQ", "Salah ad Din", 34.6, 43.68, 1, "city",
                   (Mention(text.index("Tikrit"), text.index("Tikrit") + 6, "Tikrit"),))
    iraq = Place("p2", "Iraq", "IRQ", None, 33.0, 44.0, 2, "country",
                 (Mention(text.index("Iraq"), text.index("Iraq") + 4, "Iraq"),))
    placed = facility_places(facilities, [tikrit, iraq])
    # a hospital "in Iraq" is nowhere in particular: only the mosque is placed
    assert [(p.id, p.name, p.feature, p.country, p.lat, p.lon) for p in placed] == [
        ("p3", "al-Nuri mosque", "facility", "IRQ", 34.6, 43.68)]
    assert placed[0].mentions[0].text == "al-Nuri"


def test_an_article_reports_the_building_and_no_town_inside_its_name():
    from dragoman.analyse import analyse

    result = analyse("Troops retook the Al Salem hospital in Mosul on Tuesday, officials in Baghdad said.")
    by_name = {p.name: p for p in result.places}
    hospital = by_name["Al Salem hospital"]
    mosul = by_name["Mosul"]
    assert (hospital.lat, hospital.lon, hospital.country) == (mosul.lat, mosul.lon, "IRQ")
    # "Salem" inside the building's name is not the Indian city
    assert not any(m.text == "Salem" for p in result.places for m in p.mentions)


# -- facilities and streets that no town follows --------------------------------------------------

from dragoman.resolve.places_facilities import find_named_facilities, focus_town, place_locally  # noqa: E402


@pytest.mark.parametrize(("text", "name", "mention"), [
    ("Students gathered at Lakeview University before the vote.", "Lakeview University", "Lakeview University"),
    ("The march ended at City Hall.", "City Hall", "City Hall"),
    ("Voters queued outside the Supervisor of Elections Office.", "Supervisor of Elections Office",
     "Supervisor of Elections Office"),
    ("She studies at the University of Ostrava now.", "University of Ostrava", "University of Ostrava"),
    # a lower-case head after "the" names a building; the head stays out of the mention
    ("Gunmen held the Al Noor hospital complex for a day.", "Al Noor hospital complex", "Al Noor"),
    # a compass word after a capitalised head ends the name
    ("Engineers repaired Kharbat Airfield West last year.", "Kharbat Airfield West", "Kharbat Airfield West"),
])
def test_a_named_building_without_its_town(text, name, mention):
    found = find_named_facilities(text)
    assert [(f.name, f.mention.text) for f in found] == [(name, mention)]
    assert text[found[0].mention.start:found[0].mention.end] == mention


@pytest.mark.parametrize("text", [
    "Crowds gathered outside a Lakeview church on Sunday.",  # indefinite: a description
    "The ministry said on Monday that the talks would go on.",  # no head
    "Officials at the Ruritanian Foreign Office said so.",  # an authority named by its country
])
def test_no_named_building(text):
    assert find_named_facilities(text, demonym=lambda w: w if w == "Ruritanian" else None) == []


def _town(pid, name, start, n=1, lat=40.0, lon=-80.0, feature="city", country="USA", admin1="Ohio"):
    return Place(pid, name, country, admin1, lat, lon, None, feature,
                 tuple(Mention(start + 100 * i, start + 100 * i + len(name), name) for i in range(n)))


def test_the_focus_town_is_named_most_often_and_at_least_twice():
    a, b = _town("p1", "Lakeview", 0, n=3), _town("p2", "Hillsboro", 10, lat=41.0)
    assert focus_town([a, b], [a, b]) == a
    c = _town("p3", "Dayton", 20, n=3, lat=42.0)
    assert focus_town([a, c], [a, c]) is None  # a tie
    assert focus_town([b], [b]) is None  # named once


def test_streets_and_buildings_lie_in_the_town_the_article_is_about(pipeline):
    text = ("Lakeview residents marched along Northwest 12th Avenue on Friday. The march ended at "
            "Lakeview City Hall, where Lakeview officials spoke. Later they met at Ferris University.")
    gaz = pipeline.gazetteer
    town = _town("p1", "Lakeview", text.index("Lakeview"))
    town = replace(town, mentions=tuple(Mention(m.start(), m.end(), "Lakeview")
                                        for m in re.finditer("Lakeview", text)))
    street = Place("p2", "Northwest 12th Avenue", feature="street",
                   mentions=(Mention(text.index("Northwest"), text.index(" on Friday"), "Northwest 12th Avenue"),))
    named = find_named_facilities(text, (), [(m.start, m.end) for m in town.mentions])
    placed = {p.name: p for p in place_locally(text, [town, street], named, gaz)}
    for name in ("Northwest 12th Avenue", "Lakeview City Hall", "Ferris University"):
        assert (placed[name].lat, placed[name].lon) == (40.0, -80.0), name
    assert placed["Northwest 12th Avenue"].feature == "street"
    assert [p.id for p in placed.values()] == ["p1", "p2", "p3", "p4"]


def test_a_building_lies_in_the_town_its_sentence_puts_it_in_or_the_town_it_is_named_after(pipeline):
    text = "Gunmen held the Al Noor hospital complex in the heart of Kirkuk. Mosul University reopened."
    gaz = pipeline.gazetteer
    kirkuk = _town("p1", "Kirkuk", text.index("Kirkuk"), lat=35.47, lon=44.39, country="IRQ", admin1="Kirkuk")
    mosul = _town("p2", "Mosul", text.index("Mosul"), lat=36.34, lon=43.12, country="IRQ", admin1="Nineveh")
    named = find_named_facilities(text, (), [(text.index("Mosul"), text.index("Mosul") + 5)])
    placed = {p.name: p for p in place_locally(text, [kirkuk, mosul], named, gaz)}
    assert (placed["Al Noor hospital complex"].lat, placed["Al Noor hospital complex"].lon) == (35.47, 44.39)
    assert (placed["Mosul University"].lat, placed["Mosul University"].lon) == (36.34, 43.12)
    # the town inside the university's name is part of it, not a mention of its own
    assert "Mosul" not in placed


def test_a_building_named_after_a_town_the_text_did_not_tag(pipeline):
    # "Tabqa" is a town of Syria the gazetteer knows, near Raqqa, which the article names
    text = "Fighters neared the Tabqa Dam as aircraft struck targets in Raqqa, Syria."
    raqqa = Place("p1", "Raqqa", "SYR", "Raqqa", 35.95, 39.01, None, "city",
                  (Mention(text.index("Raqqa"), text.index("Raqqa") + 5, "Raqqa"),))
    syria = Place("p2", "Syria", "SYR", None, 35.0, 38.0, None, "country",
                  (Mention(text.index("Syria"), text.index("Syria") + 5, "Syria"),))
    placed = {p.name: p for p in place_locally(text, [raqqa, syria], find_named_facilities(text),
                                               pipeline.gazetteer)}
    dam = placed["Tabqa Dam"]
    assert dam.country == "SYR" and haversine_km(dam.lat, dam.lon, 35.84, 38.55) < 15


def test_a_building_nowhere_the_article_says_is_left_out(pipeline):
    text = "Delegates from Ruritania met at Grand Lodge Hotel."
    ruritania = Place("p1", "Ruritania", "RUR", None, 10.0, 10.0, None, "country",
                      (Mention(text.index("Ruritania"), text.index("Ruritania") + 9, "Ruritania"),))
    assert [p.name for p in place_locally(text, [ruritania], find_named_facilities(text),
                                          pipeline.gazetteer)] == ["Ruritania"]


def test_an_article_places_its_streets_and_a_description_keeps_its_place(pipeline):
    from dragoman.analyse import analyse

    text = ("About 40 Springfield residents marched on Saturday near the intersection of Elm Street and "
            "Oak Avenue. Springfield officials said the march was peaceful. On Monday, Islamic State "
            "fighters in the heart of East Mosul attacked troops.")
    places = {p.name: p for p in analyse(text).places}
    springfield = next(p for p in places.values() if any(m.text == "Springfield" for m in p.mentions))
    for street in ("Elm Street", "Oak Avenue"):
        assert (places[street].lat, places[street].lon) == (springfield.lat, springfield.lon)
    # the group's name is "Islamic State"; where its fighters are is a place
    assert "East Mosul" in places and places["East Mosul"].country == "IRQ"


def test_a_town_of_the_buildings_name_in_the_story_towns_country_is_a_coincidence(pipeline):
    # there is a Temple in Pennsylvania; the university of a Philadelphia story is in Philadelphia
    text = "Philadelphia students marched from Temple University on Tuesday, Philadelphia police said."
    philly = Place("p1", "Philadelphia", "USA", "Pennsylvania", 39.95, -75.16, None, "city",
                   tuple(Mention(m.start(), m.end(), "Philadelphia") for m in re.finditer("Philadelphia", text)))
    placed = {p.name: p for p in place_locally(text, [philly], find_named_facilities(text), pipeline.gazetteer)}
    assert (placed["Temple University"].lat, placed["Temple University"].lon) == (39.95, -75.16)


def test_a_place_after_a_towns_possessive_is_a_quarter_of_it(pipeline):
    text = "Police fired tear gas in Mombasa's Zzyzx Quay district on Friday."
    mombasa = Place("p1", "Mombasa", "KEN", "Mombasa", -4.05, 39.66, None, "city",
                    (Mention(text.index("Mombasa"), text.index("Mombasa") + 7, "Mombasa"),))
    quay = Place("p2", "Zzyzx Quay", mentions=(Mention(text.index("Zzyzx"), text.index(" district"), "Zzyzx Quay"),))
    placed = {p.name: p for p in place_locally(text, [mombasa, quay], [], pipeline.gazetteer)}
    quarter = placed["Zzyzx Quay"]
    assert (quarter.lat, quarter.lon, quarter.feature) == (-4.05, 39.66, "quarter")
    # a name of no town's and nowhere the text says stays unresolved
    alone = Place("p1", "Zzyzx Quay", mentions=(Mention(text.index("Zzyzx"), text.index(" district"), "Zzyzx Quay"),))
    assert place_locally(text, [alone], [], pipeline.gazetteer)[0].lat is None


def test_a_building_in_no_town_leaves_the_names_inside_it_as_toponyms():
    from dragoman.analyse import analyse

    # the Badia is a desert, not a town: the base is not placed at it, and al-Tanf stays a place
    result = analyse("US advisers at the al-Tanf base in the Badia trained local fighters.")
    names = {p.name: p for p in result.places}
    assert "al-Tanf base" not in names
    tanf = next(p for p in result.places if any("Tanf" in m.text for m in p.mentions))
    assert tanf.country == "SYR" and tanf.feature == "crossing"
    assert names["Syrian Desert"].feature == "region"
