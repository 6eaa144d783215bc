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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..records import Mention, Place
from .places_build import normalize_name
from .places_gazetteer import CITY, COUNTRY, DISTRICT, PROVINCE, REGION

__all__ = ["Facility", "NamedFacility", "facility_places", "find_facilities", "find_named_facilities",
           "focus_town", "place_locally"]

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
# a capitalised word, which an Arabic article may open ("al-Khani")
_CAP_WORD = r"(?:(?:al|el|an|ad|ar|as|ash|at|az)-)?[A-Z][\w'\u2019-]*"
# a name of capitalised words, then a head noun, then "in" (or "near", "outside") and the town,
# right before the toponym that ends the match
_NAME = rf"{_CAP_WORD}(?:\s+[A-Z][\w'\u2019-]*){{0,3}}"
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



# -- facilities and streets that no town follows ------------------------------------------------

# capitalised heads that end an institution's or a building's proper name ("Temple University",
# "City Hall", "Supervisor of Elections Office", "Qayyarah Airfield West" has its head inside)
_NAME_HEADS = {
    "University": "facility", "College": "facility", "Hospital": "facility", "Hall": "facility",
    "Airport": "facility", "Airfield": "facility", "Airbase": "facility", "Stadium": "facility",
    "Prison": "facility", "Mosque": "facility", "Church": "facility", "Cathedral": "facility",
    "Palace": "facility", "Guesthouse": "facility", "Hotel": "facility", "Dam": "facility",
    "Square": "facility", "Office": "facility", "Courthouse": "facility", "Station": "facility",
    "Tower": "facility", "Bridge": "facility", "Market": "facility", "Embassy": "facility",
}
_COMPASS_WORD = r"(?:North|South|East|West)"
# "<Name> <Head>" or "<Name> <head> complex": capitalised words (with "of" between them) and a
# head; after a capitalised head, a compass word or a town may end the name ("Qayyarah Airfield
# West", "Trump Tower Manila")
_NAMED = re.compile(
    rf"(?<![\w-])((?:{_CAP_WORD}\s+(?:of\s+(?:the\s+)?)?){{1,4}}?)"
    rf"(?:({'|'.join(_NAME_HEADS)})(\s+{_COMPASS_WORD}|\s+{_CAP_WORD})?"
    rf"|({'|'.join(h for h in _HEADS if h not in ('base', 'camp'))})(?:\s+(complex|compound))?)\b")
# "University of Florida", "University of Massachusetts-Dartmouth": the head first
_HEAD_OF = re.compile(rf"(?<![\w-])(?:University|College)\s+of\s+({_CAP_WORD}(?:\s+{_CAP_WORD}){{0,2}})")
# words that open a sentence or a title rather than a name
_NOT_NAME = {"The", "A", "An", "This", "That", "These", "Those", "Its", "Their", "His", "Her", "Our",
             "In", "At", "On", "From", "To", "By", "For", "And", "But", "Near", "Outside", "Inside",
             "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
             "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"}


@dataclass(frozen=True, slots=True)
class NamedFacility:
    """A building or an institution named without a town after it: its mention, its whole name
    and the spans of the toponyms written inside the name."""

    mention: Mention
    name: str
    feature: str
    core: str = ""  # the name without its head ("Tabqa" of "Tabqa Dam", "Mosul" of "University of Mosul")


def _cut(text: str, s: int, e: int) -> int:
    """The end of a name at its first word that opens a sentence or names a day or month."""
    for m in re.finditer(r"\S+", text[s:e]):
        if m.start() > 0 and m.group() in _NOT_NAME:
            return s + len(text[s:s + m.start()].rstrip())
    return e


def find_named_facilities(text: str, skip: Sequence[tuple[int, int]] = (),
                          toponym_spans: Sequence[tuple[int, int]] = (),
                          demonym: Callable[[str], object] | None = None) -> list[NamedFacility]:
    """Named buildings and institutions anywhere in ``text``: "Temple University", "City Hall",
    "the Al Salem hospital complex", "University of Florida". Spans overlapping ``skip`` (the
    organisations the knowledge base knows, the facilities already placed by their town) are
    left out; a lower-case head stays out of the mention, as in :func:`find_facilities`. A name
    that opens with a demonym or place adjective (``demonym`` tells them: "Philippine Presidential
    Communications Office") is an authority's, not a building's. A building named with a
    lower-case head is definite ("the al-Nuri mosque"): after another word, or when its name is
    only a toponym, the head describes ("a north Philadelphia church") and names nothing."""
    out: list[NamedFacility] = []
    seen: list[tuple[int, int]] = list(skip)
    whole = {*map(tuple, toponym_spans)}

    def clash(s: int, e: int) -> bool:
        first = text[s:e].split(maxsplit=1)[0]
        return any(a < e and s < b for a, b in seen) or demonym is not None and demonym(first) is not None

    for m in _HEAD_OF.finditer(text):
        s, e = m.start(), _cut(text, m.start(), m.end())
        if e > m.start(1) and not clash(s, e):
            out.append(NamedFacility(Mention(s, e, text[s:e]), text[s:e], "facility", text[m.start(1):e]))
            seen.append((s, e))
    for m in _NAMED.finditer(text):
        words = m.group(1).split()
        while words and words[0] in _NOT_NAME:
            words = words[1:]
        if not words or words[-1] in ("of", "the"):
            continue
        s = m.start(1) + m.group(1).index(words[0])
        if m.group(2) is not None:
            e = m.end()
            tail = m.group(3)
            if tail is not None and not re.fullmatch(rf"\s+{_COMPASS_WORD}", tail) \
                    and (m.start(3) + len(tail) - len(tail.lstrip()), m.end(3)) not in whole:
                e = m.end(2)  # a capitalised word after the head that is no town: not the name's
            mention = Mention(s, e, text[s:e])
            feature = _NAME_HEADS[m.group(2)]
        else:
            e = m.end()
            name_end = m.start(4) - 1
            if (s, name_end) in whole or not re.search(r"\b[Tt]he\s+$", text[max(0, s - 5):s]):
                continue
            mention = Mention(s, name_end, text[s:name_end])
            feature = _HEADS[m.group(4).casefold()]
        if clash(s, e) or any(w.casefold() in _HEADS or w in _NAME_HEADS for w in words):
            continue  # two heads: the name is unclear
        core = " ".join(words)
        out.append(NamedFacility(mention, text[s:e], feature, core))
        seen.append((s, e))
    out.sort(key=lambda f: f.mention.start)
    return out


def _town_part(place: Place, towns: Sequence[Place]) -> bool:
    """"East Mosul", "North Philadelphia": a compass part of a town, at the town's own point."""
    return place.feature == REGION and any(
        t.lat == place.lat and t.lon == place.lon and normalize_name(place.name).endswith(normalize_name(t.name))
        for t in towns)


def _towns(places: Sequence[Place], gazetteer: Any) -> list[Place]:
    """The literal places that are towns, or compass parts of towns."""
    towns = [p for p in places if p.feature == CITY and p.lat is not None]
    parts = []
    for p in places:
        if p.feature != REGION or p.lat is None:
            continue
        m = _COMPASS.match(p.name)
        if m is None:
            continue
        whole = [c for c in gazetteer.candidates(p.name[m.end():]) if c.feature == CITY]
        if any(c.lat == p.lat and c.lon == p.lon for c in whole):
            parts.append(p)
    return towns + parts


_COMPASS = re.compile(r"(?i:(?:north|south)(?:[- ]?(?:east|west))?(?:ern)?|east(?:ern)?|west(?:ern)?)\s+")


def _town_named(gazetteer: Any, name: str, places: Sequence[Place]) -> Place | None:
    """The town a facility is named after when the text did not take its name for a toponym
    ("Tabqa Dam"): the largest town of that name (or spelling) in a country the article names,
    within 250 km of one of its towns or divisions (the places of one story lie together; a
    building named after a person who shares a far town's name is not there)."""
    from ..evaluate.geo import haversine_km

    countries = {p.country for p in places if p.country and p.lat is not None}
    local = [(p.lat, p.lon) for p in places if p.feature in (CITY, DISTRICT, PROVINCE)
             and p.lat is not None and p.lon is not None]
    if not name or not countries or not local:
        return None
    cands = [c for c in gazetteer.candidates(name) or gazetteer.variants(name)
             if c.feature == CITY and c.country in countries and c.lat is not None
             and any(haversine_km(c.lat, c.lon, lat, lon) <= 250.0 for lat, lon in local)]
    if not cands:
        return None
    c = max(cands, key=lambda c: c.population)
    return Place(id="", name=c.name, country=c.country, admin1=c.admin1, lat=c.lat, lon=c.lon, feature=CITY)


def focus_town(places: Sequence[Place], towns: Sequence[Place]) -> Place | None:
    """The town an article is about: the one it names most often (a compass part of a town
    counts for the town), at least twice and more often than any other town."""
    counts: dict[tuple[float | None, float | None], int] = {}
    first: dict[tuple[float | None, float | None], Place] = {}
    for p in towns:
        key = (p.lat, p.lon)
        counts[key] = counts.get(key, 0) + len(p.mentions)
        if p.feature == CITY or key not in first:
            first[key] = p
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < 2 or len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return first[ranked[0][0]]


_POSSESSIVE = re.compile(r"['\u2019]s\s+")
# a town named as where things are, right before it: "in Mosul", "in the heart of East Mosul"
_AT = re.compile(r"\b(?:in|at|near|outside|inside|within|around)\s+(?:the\s+(?:[a-z]+\s+of\s+(?:the\s+)?)?)?$")
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+|\n")


def _sentence(text: str, start: int) -> tuple[int, int]:
    """The bounds of the sentence around a character offset (a full stop and a space, or a
    line break, end a sentence: enough to tell which town a sentence names)."""
    s = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        s = m.end()
    end = _SENTENCE_END.search(text, start)
    return s, end.start() if end else len(text)


def _inside_of(town: Place, p: Place) -> bool:
    """Whether a town lies in a division or country (by its country and first-level division)."""
    if p.feature in (COUNTRY,):
        return town.country == p.country
    return town.country == p.country and p.feature in (PROVINCE,) and town.admin1 is not None \
        and normalize_name(town.admin1) == normalize_name(p.name)


def place_locally(text: str, places: Sequence[Place], facilities: Sequence[NamedFacility],
                  gazetteer: Any) -> tuple[Place, ...]:
    """Named facilities and streets that no town follows, placed where the article puts them.
    A facility named after a town lies at it ("Mosul University", "Tabqa Dam"); a place of
    another kind in its name says where it lies only when the article's town is in it ("University
    of Florida" in a Gainesville story); otherwise the one town its sentence names ("the Al Salem
    hospital complex ... in the heart of East Mosul"), else the town the article is about: local
    news names its own streets and buildings without repeating the town. A place the gazetteer
    does not know that a town's possessive opens ("Nairobi's Kibera district") is a quarter of that
    town. Facilities that cannot be
    placed so are left out; streets stay unresolved. Toponyms inside a facility's name become part
    of it; the literal places are numbered p1, p2, ... again, the new ones last. A town the
    building's name names, which the text did not tag, counts unless it lies in the country of the
    article's own town."""
    literal = [p for p in places if not p.associative]
    other = [p for p in places if p.associative]
    towns = _towns(literal, gazetteer)
    focus = focus_town(literal, towns)

    def sentence_town(start: int) -> Place | None:
        s, e = _sentence(text, start)
        here = {(t.lat, t.lon): t for t in towns
                if any(s <= m.start < e and _AT.search(text, max(s, m.start - 40), m.start) for m in t.mentions)}
        return next(iter(here.values())) if len(here) == 1 else None

    def owner_town(start: int) -> Place | None:
        """"Nairobi's Kibera district": the town whose possessive stands right before."""
        return next((t for t in towns for m in t.mentions
                     if m.end < start and _POSSESSIVE.fullmatch(text, m.end, start)), None)

    added: list[Place] = []
    inside: list[tuple[int, int]] = []
    by_name: dict[str, int] = {}
    for f in facilities:
        s = f.mention.start
        full_end = s + len(f.name)
        named = [p for p in literal if any(s <= m.start and m.end <= full_end for m in p.mentions)]
        # a town whose name opens or closes the facility's is the town it is named after
        after = [p for p in named if p in towns and any(m.start == s or m.end == full_end for m in p.mentions)]
        town: Place | None
        if after:
            town = after[0]
        elif not named and (own := _town_named(gazetteer, f.core, literal)) is not None \
                and (focus is None or own.country != focus.country):
            # a town of the building's name in the country of the article's own town is a
            # coincidence ("Temple University" in a Philadelphia story is not in Temple, Pa.)
            town = own
        elif named and all(p.feature in (COUNTRY, PROVINCE) for p in named):
            town = focus if focus is not None and all(_inside_of(focus, p) for p in named) else None
        else:
            town = sentence_town(s) or focus
        if town is None:
            continue
        inside.append((s, full_end))
        key = normalize_name(f.name)
        if key in by_name:
            i = by_name[key]
            added[i] = replace(added[i], mentions=added[i].mentions + (f.mention,))
            continue
        by_name[key] = len(added)
        added.append(Place(id="", name=f.name, country=town.country, admin1=town.admin1, lat=town.lat,
                           lon=town.lon, feature=f.feature, mentions=(f.mention,)))
    out: list[Place] = []
    for p in literal:
        ms = tuple(m for m in p.mentions if not any(a <= m.start and m.end <= b for a, b in inside))
        if not ms:
            continue
        if p.lat is None:
            town = next(filter(None, (owner_town(m.start) for m in ms)), None)
            if town is None and p.feature == "street":
                town = sentence_town(ms[0].start) or focus
            if town is not None:
                p = replace(p, country=town.country, admin1=town.admin1, lat=town.lat, lon=town.lon,
                            feature=p.feature or "quarter")
        out.append(replace(p, mentions=ms))
    out += added
    return tuple(replace(p, id=f"p{i}") for i, p in enumerate(out, start=1)) + tuple(other)
