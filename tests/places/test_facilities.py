"""Named buildings and quarters placed at the town the text puts them in, on sentences written
for these tests."""

from __future__ import annotations

import pytest

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
