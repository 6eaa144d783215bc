"""Named buildings and quarters placed by the town the text puts them in.

"the al-Khani mosque in Daquq", "the Al-Sinek neighborhood in Baghdad", "the Diaoyutai State
Guesthouse in Beijing": a gazetteer of towns holds no mosques, hospitals or quarters, but the
text says which town each lies in, and a building or a quarter lies within a few kilometres of
its town's point. Such a name becomes a place of its own at the town's point, its feature the
kind of thing it is. A lower-case head noun is a designator and stays out of the mention
("Al-Sinek" in "the Al-Sinek neighborhood"), as for other places; a capitalised one is part of
the name ("Diaoyutai State Guesthouse"). The place's ``name`` is the whole phrase.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..records import Mention, Place
from .places_gazetteer import CITY, DISTRICT

__all__ = ["Facility", "facility_places", "find_facilities"]

# head nouns of named buildings, sites and quarters, by the feature their place gets
_HEADS = {
    "mosque": "facility", "church": "facility", "shrine": "facility", "hospital": "facility",
    "clinic": "facility", "school": "facility", "university": "facility", "college": "facility",
    "prison": "facility", "jail": "facility", "market": "facility", "bazaar": "facility",
    "airport": "facility", "airbase": "facility", "base": "facility", "camp": "facility",
    "compound": "facility", "hotel": "facility", "guesthouse": "facility", "stadium": "facility",
    "palace": "facility", "refinery": "facility", "dam": "facility", "bridge": "facility",
    "square": "facility", "station": "facility",
    "neighborhood": "quarter", "neighbourhood": "quarter", "quarter": "quarter",
}
# a name of capitalised words (an Arabic article may open it: "al-Khani"), then a head noun,
# then "in" (or "near", "outside") and the town, right before the toponym that ends the match
_NAME = r"(?:(?:al|el|an|ad|ar|as|ash|at|az)-)?[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*){0,3}"
_BEFORE = re.compile(rf"(?<![\w-])({_NAME})\s+((?i:{'|'.join(_HEADS)}))\s+(?:in|near|outside|of)\s+(?:the\s+)?$")


@dataclass(frozen=True, slots=True)
class Facility:
    """A named building or quarter: its mention, its whole name, its feature and where the
    toponym of its town lies in the text."""

    mention: Mention
    name: str
    feature: str
    town_start: int


def find_facilities(text: str, toponym_spans: Sequence[tuple[int, int]],
                    place_words: Sequence[tuple[int, int]] = ()) -> list[Facility]:
    """Named buildings and quarters written as "<Name> <head> in <town>", each before one of the
    ``toponym_spans`` (character offsets of the literal toponyms). A name that is only a place
    name or a demonym (``place_words``: "the US base in Baghdad", "the Iraqi base") says whose
    it is, not which one: none is made of it."""
    out: list[Facility] = []
    whole = {*map(tuple, toponym_spans), *map(tuple, place_words)}
    for start, _ in toponym_spans:
        m = _BEFORE.search(text, max(0, start - 80), start)
        if m is None or (m.start(1), m.end(1)) in whole:
            continue
        name, head = m.group(1), m.group(2)
        if not name[:1].isupper() and not name.casefold().startswith(("al-", "el-")):
            continue
        if any(w.casefold() in _HEADS for w in name.split()):
            continue  # "the University Hospital in X": one head is enough, the name is unclear
        if head[:1].isupper():
            mention = Mention(m.start(1), m.end(2), text[m.start(1):m.end(2)])
        else:
            mention = Mention(m.start(1), m.end(1), name)
        out.append(Facility(mention, text[m.start(1):m.end(2)], _HEADS[head.casefold()], start))
    return out


def facility_places(facilities: Sequence[Facility], places: Sequence[Place]) -> tuple[Place, ...]:
    """One place per facility whose town resolved to a town or district, at the town's point,
    with ids after ``places``' (same name, same place)."""
    town_at = {m.start: p for p in places for m in p.mentions}
    out: list[Place] = []
    by_name: dict[str, int] = {}
    for f in facilities:
        town = town_at.get(f.town_start)
        if town is None or town.lat is None or town.feature not in (CITY, DISTRICT):
            continue
        key = f.name.casefold()
        if key in by_name:
            i = by_name[key]
            out[i] = replace(out[i], mentions=out[i].mentions + (f.mention,))
            continue
        by_name[key] = len(out)
        out.append(Place(id=f"p{len(places) + len(out) + 1}", name=f.name, country=town.country,
                         admin1=town.admin1, lat=town.lat, lon=town.lon, feature=f.feature,
                         mentions=(f.mention,)))
    return tuple(out)

