"""Associative toponyms in the article result: a place the text names only by a demonym ("Syrian
forces"), as the first part of a compound ("Iran-backed") or inside an organisation's name
("Islamic Resistance in Iraq") is reported, flagged, with the kind of each mention, and is never
where an event happens. Sentences written for these tests."""

from __future__ import annotations

import pytest

from dragoman.analyse import analyse
from dragoman.records import Place
from dragoman.segments import ResultMerger

# (text, literal place mentions, {country of each associative place: kinds of its mentions})
CASES = [
    ("Iran-backed militias fired rockets at a base near Erbil on Tuesday, officials said.",
     {"Erbil"}, {"IRN": ["backed"]}),
    ("Syrian forces shelled villages in Idlib province on Monday, a monitoring group said.",
     {"Idlib"}, {"SYR": ["adjectival"]}),
    ("A U.S.-led coalition carried out air strikes near Raqqa on Sunday, the coalition said.",
     {"Raqqa"}, {"USA": ["backed"]}),
    ("The Islamic Resistance in Iraq said it launched drones at Eilat on Friday.",
     {"Eilat"}, {"IRQ": ["embedded"]}),
    ("Turkish and Russian troops patrolled the road outside Kobani, residents said.",
     {"Kobani"}, {"TUR": ["adjectival"], "RUS": ["adjectival"]}),
    ("The Syrian Democratic Forces captured a village near Hasakah on Monday, a spokesman said.",
     {"Hasakah"}, {"SYR": ["embedded"]}),
]


@pytest.mark.parametrize(("text", "literal", "associative"), CASES, ids=[c[0][:30] for c in CASES])
def test_associative_places_are_flagged_and_never_event_places(pipeline, text, literal, associative):
    result = analyse(text, published="2025-04-08", pipeline=pipeline)
    lit = {m.text for p in result.places if not p.associative for m in p.mentions}
    assoc = {p.country: [m.kind for m in p.mentions] for p in result.places if p.associative}
    assert lit == literal, result.places
    assert assoc == associative, result.places
    # literal places first (p1, p2, ...), then the associative ones (a1, a2, ...)
    ids = [p.id for p in result.places]
    assert ids == [f"p{i}" for i in range(1, len(lit) + 1)] + [f"a{i}" for i in range(1, len(assoc) + 1)]
    flagged = {p.id for p in result.places if p.associative}
    for ev in result.events:
        assert not flagged & set(ev.places), (ev.event, ev.places)
    # the JSON keeps every field it had and adds the flag and the kinds
    for d in result.to_dict()["places"]:
        assert {"id", "name", "country", "admin1", "lat", "lon", "geonameid", "feature", "mentions"} <= set(d)
        assert d["associative"] is (d["id"][0] == "a")
        assert all(("kind" in m) is d["associative"] for m in d["mentions"])


def test_a_literal_place_is_not_merged_with_its_associative_mentions(pipeline):
    result = analyse("Syrian troops entered Syria's north near Manbij on Monday, officials said.",
                     published="2025-04-08", pipeline=pipeline)
    syria = [p for p in result.places if p.country == "SYR" and p.feature == "country"]
    assert sorted(p.associative for p in syria) == [False, True]
    assert [m.text for p in syria if p.associative for m in p.mentions] == ["Syrian"]


def test_segments_keep_associative_places_apart_and_numbered():
    def part(pid: str, assoc: bool, start: int) -> dict:
        kind = {"kind": "adjectival"} if assoc else {}
        return {"id": pid, "name": "Syria", "country": "SYR", "geonameid": 163843, "feature": "country",
                "associative": assoc, "mentions": [{"start": start, "end": start + 5, "text": "Syria", **kind}]}

    merger = ResultMerger()
    merger.add({"places": [part("p1", False, 0), part("a1", True, 10)]}, 0)
    merger.add({"places": [part("a1", True, 0), part("p1", False, 20)]}, 100)
    from dragoman.records import Article

    places: tuple[Place, ...] = merger.result(Article(id="x", text="y" * 200), ()).places
    assert [(p.id, p.associative, [m.start for m in p.mentions]) for p in places] == [
        ("p1", False, [0, 120]), ("a1", True, [10, 100])]
    assert [m.kind for m in places[1].mentions] == ["adjectival", "adjectival"]
