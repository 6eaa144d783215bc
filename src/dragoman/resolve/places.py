"""Toponyms in a spaCy ``Doc``: find them, group their mentions and resolve them with the gazetteer.

What counts as a toponym (the GeoVirus conventions, which match how people read news):
- names of countries, territories, regions, divisions, cities and other places, including
  a country acting as a state ("Iraq", "Iran"): the name is still a place name in the text;
- never demonyms or nationalities ("Iraqi", "Iranian-backed"), nor a place name used as the name
  of a disease ("West Nile virus", "Marburg virus");
- a mention is the name itself: a leading "the", a trailing possessive and a trailing lower-case
  designator are not part of it ("the Gaza Strip" -> "Gaza Strip", "Anbar province" -> "Anbar",
  the designator still steers resolution towards a province);
- a street's name ("Memphis Street", "Dayton Ave.") is a toponym of its own, feature "street",
  unresolved; the town or person it is named after is not a mention;
- a place named inside an organisation's name ("the California Department of Public Health")
  is a toponym too, by its own name ("[Henderson County] Jail", "[Laconia] police"); a caller
  that does not want that (the actor resolver, for names such as "Islamic Resistance in Iraq")
  passes those spans in ``exclude`` and nothing overlapping them becomes a mention.

A toponym the gazetteer cannot resolve is kept, with ``lat``/``lon`` None, when the statistical
model calls it a place (GPE or LOC): one unknown village must not cost the article its places,
and the caller can see what was not resolved. Names found only by the gazetteer scan are resolved
by construction.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any

from spacy.tokens import Doc, Span, Token

from ..extract.sentences import capitals, text_of
from ..records import Mention, Place
from .places_gazetteer import (
    CITY,
    COUNTRY,
    DISTRICT,
    PROVINCE,
    REGION,
    TERRITORY,
    Gazetteer,
    PlaceCandidate,
    normalize_name,
)

__all__ = ["Gazetteer", "PlaceCandidate", "Toponym", "associative_places", "directional_parts", "extract_places",
           "find_associative", "find_backed", "find_embedded", "find_toponyms", "is_street_name", "resolve_toponyms",
           "split_associative", "split_backed"]

_PLACE_LABELS = {"GPE", "LOC", "FAC"}
# labels whose spans may contain a place name ("the U.S. Army", "Pandi, Bulacan")
_SCAN_LABELS = {"ORG", "PERSON", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "FAC"}
_DESIGNATORS = {"province", "provinces", "region", "state", "district", "county", "governorate",
                "prefecture", "city", "town", "village", "territory", "municipality", "area",
                "oblast", "department", "island", "islands"}
# outside the name, only designators that tell a division from a town of the same name; a
# singular "county" or "district" after a town's name often means the area around the town
_OUTER_DESIGNATORS = {"province", "provinces", "state", "counties", "governorate", "city", "town",
                      "village", "prefecture", "oblast"}
_PLURAL_DESIGNATORS = {"provinces", "counties", "states"}
_HINT_OF = {"provinces": "province", "counties": "county", "states": "state", "town": "city",
            "village": "city", "islands": "region",
            "island": "region", "area": "region", "municipality": "city", "oblast": "province",
            "department": "province"}
# the word after a name that makes it a pathogen or disease, not a place
_PATHOGEN_NEXT = {"virus", "viruses", "ebolavirus", "fever", "flu", "influenza", "disease",
                  "strain", "strains", "vaccine", "vaccines", "encephalitis", "virion"}
# names that news text uses for pathogens far more often than for the places they come from
_PATHOGEN_NAMES = {"ebola", "h5n1", "h1n1", "h7n9", "swine", "ebolavirus", "sars", "mers",
                   "covid", "zika"}
_DEMONYM_SUFFIXES = ("ian", "ean", "an", "ese", "ish", "i", "n")
_MAX_SCAN = 5
# words that name divisions somewhere ("Western" province, "Centre" region) but in running text
# are almost always just directions or adjectives
_GENERIC = {"north", "south", "east", "west", "northern", "southern", "eastern", "western",
            "central", "centre", "center", "federal", "capital", "free", "act", "bay", "delta",
            "metro", "region", "midlands", "midland", "national", "union", "republic", "state",
            "island", "valley", "coast", "city", "county", "province", "district", "mount",
            # common nouns capitalised in headlines and names ("Man Arrested", "University of X",
            # "Lot No. 5") that are also names of places somewhere
            "man", "university", "college", "church", "hall", "street", "forest", "lot", "no", "no."}
_SPLIT = re.compile(r"\s*(?:,|/|\s-\s|\s–\s|\band\b)\s*")
# non-city features and cities this large are safe to accept without the model's say-so
_STRONG_CITY_POP = 100_000


@dataclass(frozen=True, slots=True)
class Toponym:
    """One place-name mention: where it is, what it says, and how it was found."""

    start: int
    end: int
    text: str
    hint: str | None = None  # feature designator next to it ("province", "city")
    # ner | gazetteer | demonym (a demonym or place adjective: "Syrian") | associative (a place
    # name used associatively: "Iran-backed", "Islamic Resistance in Iraq")
    source: str = "ner"
    kind: str | None = None  # for associative ones: adjectival | backed | embedded


def _is_cap(tok_text: str) -> bool:
    return bool(tok_text) and (tok_text[0].isupper() or tok_text[0].isdigit() is False
                               and tok_text.isupper())


_LOCATIVE_PREPS = {"in", "near", "at", "from", "towards", "toward", "around", "outside", "into", "to",
                   "across", "through", "inside", "between", "of"}


def _locative_at(doc: Doc, i: int) -> bool:
    """Whether token i follows a locative preposition ("near Sake", "in the town of Masisi"),
    or stands in a list of names that one opens ("in Qamenas, Sarmin and Talamenes")."""
    return _after_locative(doc, i) or _listed_after_locative(doc, i)


_LIST_WORDS = {",", "and", "or"}


def _listed_after_locative(doc: Doc, i: int) -> bool:
    """Whether token i is a later member of a list of capitalised names whose first member
    follows a locative preposition: "around Hawija and Tuz Khurmatu" places both. A list whose
    names modify a noun after it ("at Reese Road and Claflin elementary schools", "between First
    and Herman streets") names those things, and a name after a comma that no list word follows
    ("in Boston, Wagner said") is no member."""
    if not doc[i].is_alpha or i == 0 or not _list_ends_well(doc, i):
        return False
    k = i
    for _ in range(6):
        j = k - 1
        if j < 1 or doc[j].text not in _LIST_WORDS:
            return False
        while j > 0 and doc[j - 1].text in _LIST_WORDS:
            j -= 1
        k, n = j, 0
        while k > 0 and n < 4 and doc[k - 1].text[:1].isupper() and doc[k - 1].is_alpha:
            k -= 1
            n += 1
        if n == 0 or doc[k].is_sent_start:
            return False
        if _after_locative(doc, k):
            return True
    return False


def _list_ends_well(doc: Doc, i: int) -> bool:
    """Whether the list that token i stands in ends in punctuation, a verb or a preposition
    rather than a noun its names modify; a member after a comma must be followed by another."""
    j = i
    while j < len(doc) and doc[j].text[:1].isupper() and doc[j].is_alpha:
        j += 1
    if doc[i - 1].text == "," and (j >= len(doc) or doc[j].text not in _LIST_WORDS):
        return False
    while j + 1 < len(doc) and doc[j].text in _LIST_WORDS and doc[j + 1].text[:1].isupper():
        j += 1
        while j < len(doc) and doc[j].text[:1].isupper() and doc[j].is_alpha:
            j += 1
    return j >= len(doc) or not (doc[j].is_alpha and doc[j].text.islower() and doc[j].pos_ in ("NOUN", "ADJ"))


def _after_locative(doc: Doc, i: int) -> bool:
    j = i - 1
    while j >= 0 and (doc[j].lower_ in {"the", "northern", "southern", "eastern", "western", "central"}
                      or doc[j].tag_ == "JJ"):
        j -= 1
    return j >= 0 and doc[j].lower_ in _LOCATIVE_PREPS and doc[j].lower_ != "of" or (
        j >= 1 and doc[j].lower_ == "of" and doc[j - 1].lower_ in {"town", "city", "village", "district",
                                                                   "province", "region", "capital", "port"})


# nouns that a town's name modifies in local news ("Laconia police", "an Elkhart man", "Woodstock
# mayor", "the Byesville Volunteer Fire Department"): the name before them is a place
_LOCAL_HEADS = {"police", "man", "woman", "men", "women", "teen", "teenager", "boy", "girl", "resident",
                "residents", "native", "natives", "mayor", "officials", "firefighters", "councilman",
                "councilwoman", "Police", "Mayor", "Sheriff", "Sheriff's", "Sheriff\u2019s", "Fire", "Town",
                "Township", "Village", "Borough", "City"}


def _local_head(doc: Doc, i: int, j: int) -> bool:
    """Whether tokens [i, j) are a whole name that modifies a noun of local news at token j, in
    the same sentence; not the last words of a longer name ("Food Inspection Agency officials")."""
    if j >= len(doc) or doc[j].text not in _LOCAL_HEADS or doc[j].is_sent_start:
        return False
    before = doc[i - 1] if i > 0 else None
    return before is None or doc[i].is_sent_start or before.is_stop \
        or not (before.text[:1].isupper() and before.is_alpha)


def _strong(gaz: Gazetteer, name: str, *, cities_ok: bool = True, locative: bool = False) -> bool:
    """Whether a name is known well enough to accept without the statistical model. After a
    locative preposition ("near Sake") any town the gazetteer knows will do."""
    for c in gaz.candidates(name):
        if c.lat is None:
            continue
        if locative and c.feature in (CITY, PROVINCE, COUNTRY, TERRITORY, REGION):
            return True
        if c.feature in (COUNTRY, TERRITORY, REGION, PROVINCE) or c.source < 2:
            return True
        if cities_ok and c.feature == CITY and c.population >= _STRONG_CITY_POP and not c.alt:
            return True
    return False


def _whole_name(gaz: Gazetteer, name: str, *, towns: bool = True) -> bool:
    """A name of several capitalised words that is a town's or a county's own name ("New London",
    "South Charleston", "Madison County"): the place is that one, not the town its last word
    names ("London"). Towns only with ``towns``: not after "the" ("the White House")."""
    # without towns, only a county written as one ("Madison County Health Department")
    county = name.rsplit(" ", 1)[-1].casefold() in _DESIGNATORS
    return any((c.feature == CITY and towns or c.feature == DISTRICT and (towns or county))
               and not c.alt and c.lat is not None for c in gaz.candidates(name))


def _words(span: Span) -> bool:
    """Capitalised words, the first perhaps abbreviated ("St. Marys", "Mt. Pleasant")."""
    return all(t.is_alpha and t.text[:1].isupper() for t in span[1:]) and span[0].text[:1].isupper() \
        and (span[0].is_alpha or span[0].text in ("St.", "Mt.", "Ft."))


def _is_demonym(gaz: Gazetteer, text: str) -> bool:
    """"Angolan", "Iraqi", "Ukrainian", "Chinese": an adjective made from a place name."""
    low = text.casefold()
    for suf in _DEMONYM_SUFFIXES:
        if not low.endswith(suf) or len(low) - len(suf) < 3:
            continue
        stem = text[: len(text) - len(suf)]
        for cand in (stem, stem + "a", stem + "e", stem + "ia", stem + "y", stem + "o"):
            for c in gaz.candidates(cand):
                if c.feature in (COUNTRY, TERRITORY, REGION, PROVINCE) and not c.alt:
                    return True
    return False


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int, str | None]:
    """Token bounds without determiners, possessives and designators; plus the designator."""
    hint: str | None = None
    while start < end and (doc[start].lower_ in ("the", "of") or not doc[start].text[:1].isupper()
                           and not doc[start].text[:1].isdigit()):
        start += 1
    while end > start and (doc[end - 1].text in ("'s", "\u2019s", "'", "\u2019") or doc[end - 1].is_punct):
        end -= 1
    if end - start > 1 and doc[end - 1].lower_ in _DESIGNATORS and doc[end - 1].text.islower():
        word = doc[end - 1].lower_
        hint = _HINT_OF.get(word, word)
        end -= 1
    return start, end, hint


def _char_trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a possessive glued to the last token ("Angola\u2019s" as one token)."""
    s = text[start:end]
    for suf in ("'s", "\u2019s"):
        if s.endswith(suf):
            return start, end - len(suf)
    return start, end


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _pathogen(doc: Doc, start_tok: int, end_tok: int, text: str) -> bool:
    if normalize_name(text) in _PATHOGEN_NAMES:
        return True
    if end_tok < len(doc) and doc[end_tok].lower_ in _PATHOGEN_NEXT:
        return True
    # "West Nile Virus" inside the entity itself
    return any(t.lower_ in _PATHOGEN_NEXT for t in doc[start_tok:end_tok])


def _scan(doc: Doc, gaz: Gazetteer, start: int, end: int, out: list[Toponym],
          taken: list[tuple[int, int]], *, cities_ok: bool = True, towns: bool = True,
          taken_place: bool = False) -> None:
    """Gazetteer names inside tokens [start, end): longest match first, capitalised words only;
    a name of several words that is a county's own name counts, and a town's too with ``towns``
    (not inside an organisation's name: "White House", "Red Cross"). With ``taken_place`` (the
    span is what was captured or liberated) a town's name counts as after a locative."""
    capital = capitals(doc)
    i = start
    while i < end:
        if not capital[i]:
            i += 1
            continue
        tok = doc[i]
        if tok.is_punct or tok.lower_ in ("the", "a", "an"):
            i += 1
            continue
        hit = 0
        for n in range(min(_MAX_SCAN, end - i), 0, -1):
            last = doc[i + n - 1]
            if not last.text[:1].isupper() and not last.text.endswith("."):
                continue
            span = doc[i: i + n]
            if n > 1 and (last.text == "." and gaz.abbreviation(span.text) is None
                          or any(t.text == "," for t in span)):
                continue  # "No ." is the word "No." cut in two; "Washington, D.C." is two names
            if n == 1 and (tok.is_stop or tok.lower_ in _GENERIC or tok.tag_ in ("JJ", "NNPS")
                           and _is_demonym(gaz, tok.text)):
                break
            if n == 1 and not (tok.pos_ == "PROPN" or tok.text.isupper() or _local_head(doc, i, i + 1)
                               or (not tok.is_sent_start and _locative_at(doc, i))):
                break
            if n == 1 and cities_ok is False and not _locative_at(doc, i) and i + 1 < len(doc) \
                    and doc[i + 1].text[:1].isupper() and not doc[i + 1].is_punct:
                # one word of a longer unknown name ("Nelson Mandela")
                break
            if gaz.abbreviation(span.text) is not None and not (i > start and doc[i - 1].text == ","
                                                                 or _party_state(doc, i)):
                # "Ill.", "Miss.": a state abbreviation only as a parent ("Springfield, Ill.") or
                # as the state of a member of Congress ("Sen. Bob Smith (R-Tenn.)")
                continue
            locative = taken_place and n == end - start or _locative_at(doc, i) or _local_head(doc, i, i + n)
            if _strong(gaz, span.text, cities_ok=cities_ok or locative, locative=locative) \
                    or n > 1 and cities_ok and _words(span) and _whole_name(
                        gaz, span.text, towns=towns and not (i > 0 and doc[i - 1].lower_ == "the")):
                s, e = span.start_char, span.end_char
                if not _overlaps(s, e, taken) and not _pathogen(doc, i, i + n, span.text):
                    # sentence-initial "US"/"Us" is more often the pronoun than the country
                    if not (n == 1 and tok.text in ("Us", "US") and tok.is_sent_start):
                        out.append(Toponym(s, e, span.text, None, "gazetteer"))
                        taken.append((s, e))
                hit = n
                break
        i += hit or 1


# verbs of war whose object, or passive subject, is a place ("Sinjar has been liberated",
# "troops retook Sarmin"), and "fall" whose subject is one ("Mosul fell")
_TAKING_VERBS = {"liberate", "capture", "recapture", "retake", "seize", "besiege", "storm", "occupy",
                 "encircle", "surround", "overrun", "shell", "evacuate"}


def _taken_place(ent: Span) -> bool:
    """Whether a span is what a verb of war took, freed or besieged: the object or the passive
    subject of one of ``_TAKING_VERBS``, or the subject of "fall"."""
    root = ent.root
    verb = root.head
    if root.dep_ in ("dobj", "nsubjpass"):
        return verb.lemma_ in _TAKING_VERBS
    return root.dep_ == "nsubj" and verb.lemma_ == "fall" and any(c.dep_ == "prep" and c.lower_ == "to"
                                                                 for c in verb.children)


def _party_state(doc: Doc, i: int) -> bool:
    """Whether token i follows a party letter and a hyphen inside a bracket: "(R-Tenn.)",
    "(D-N.J.)", the way American news gives a legislator's party and state."""
    return i >= 3 and doc[i - 1].text in ("-", "\u2010", "\u2011") and doc[i - 2].text in ("R", "D", "I") \
        and doc[i - 3].text == "("


def _curated_long_names(doc: Doc, gaz: Gazetteer, found: list[Toponym], taken: list[tuple[int, int]]
                        ) -> None:
    """Names of several words from the curated tables ("South China Sea", "Second Thomas Shoal",
    "Gulf of Aden") are taken whole, whatever pieces the statistical model cut them into."""
    capital = capitals(doc)
    i = 0
    while i < len(doc):
        hit = 0
        if capital[i] and doc[i].lower_ not in ("the", "a", "an"):
            for n in range(min(_MAX_SCAN, len(doc) - i), 1, -1):
                if not capital[i + n - 1]:
                    continue
                span = doc[i:i + n]
                if any(t.text == "," for t in span) or not gaz.is_curated(span.text):
                    continue  # "Washington, D.C.": a town and its parent are two names
                s, e = span.start_char, span.end_char
                if not _overlaps(s, e, taken):
                    found.append(Toponym(s, e, span.text, None, "gazetteer"))
                    taken.append((s, e))
                hit = n
                break
        i += hit or 1


# the designators that make capitalised words before them a street's name ("Memphis Street",
# "Old Lexington Road", "East 50th Avenue"); the town or person a street is named after is not
# where anything happens. Abbreviated ones only after a name and at its end ("Orchard St.," but
# not "St. Louis").
_STREETS = {"Street", "Road", "Avenue", "Drive", "Boulevard", "Lane", "Parkway", "Pike", "Terrace", "Trail"}
_STREETS_ABBR = {"St.", "Rd.", "Ave.", "Blvd.", "Ln.", "Pkwy."}
_MAX_STREET = 4
# words of a headline in title case that are never part of a street's name ("Man Shot On Main Street")
_NOT_STREET_WORDS = {"the", "a", "an", "on", "in", "at", "of", "for", "and", "or", "to", "from", "by",
                     "with", "near", "into", "onto", "off", "along", "across", "down", "up"}
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)$")


def is_street_name(text: str) -> bool:
    """Whether a name is a street's: capitalised words ending in a street designator."""
    words = text.split()
    if words and words[0].casefold() == "the":
        words = words[1:]
    return len(words) >= 2 and (words[-1] in _STREETS or words[-1] in _STREETS_ABBR) \
        and all(w[:1].isupper() or _ORDINAL.match(w) for w in words)


def _street_word(tok: Token) -> bool:
    """A word of a street's name: capitalised ("Memphis", "St." in "St. Charles", "Jr."), an
    ordinal ("50th") or a hyphen inside a name ("Wam-Sag-Man")."""
    t = tok.text
    return (t[:1].isupper() and (tok.is_alpha or t.endswith(".") and t[:-1].isalpha() and len(t) <= 4)
            and tok.lower_ not in _NOT_STREET_WORDS) or bool(_ORDINAL.match(t))


def _street_designator(doc: Doc, i: int) -> int | None:
    """The end (token index) of a street designator at token i, or None: "Street", or an
    abbreviation ending the name ("Orchard St.," and "Nordland Ave." split as "Ave" "." at the end
    of a sentence), never one before another capitalised word ("St. Louis")."""
    tok = doc[i]
    if tok.text in _STREETS:
        return i + 1
    end = i + 1
    if tok.text + "." in _STREETS_ABBR and end < len(doc) and doc[end].text == "." and not tok.whitespace_:
        end += 1
    elif tok.text not in _STREETS_ABBR:
        return None
    if end < len(doc) and not doc[end].is_sent_start and doc[end].text[:1].isupper() and not doc[end].is_punct:
        return None
    return end


def _street_names(doc: Doc, found: list[Toponym], taken: list[tuple[int, int]]) -> None:
    """Streets' names, whole: capitalised words (a direction first) ending in a street designator.
    They are toponyms of their own, which the gazetteer does not hold, and the words inside them
    name no town ("Memphis Street" is not in Memphis)."""
    for i in range(1, len(doc)):
        end = _street_designator(doc, i)
        if end is None:
            continue
        j, words = i, 0
        if doc[i].text == "Road" and doc[i - 1].text == "County" and end < len(doc) and doc[end].text.isdigit():
            # "County Road 42" is the road's whole name; a county before it is a place of its own
            j, words, end = i - 1, _MAX_STREET, end + 1
        while j > 0 and words < _MAX_STREET:
            prev = doc[j - 1]
            if prev.text in ("-", "\u2011") and j > 1 and _street_word(doc[j - 2]) and not prev.whitespace_:
                j -= 1
                continue
            if not _street_word(prev):
                break
            j -= 1
            words += 1
            if prev.is_sent_start:
                break
        if words == 0:
            continue
        s, e = doc[j].idx, doc[end - 1].idx + len(doc[end - 1].text)
        if not _overlaps(s, e, taken):
            found.append(Toponym(s, e, text_of(doc)[s:e], None, "street"))
            taken.append((s, e))


# a dateline: a place in capitals opening a paragraph or following a headline, then a dash, a
# news agency or a comma and its state ("PATASKALA --", "BOWLING GREEN, Ohio (AP) --")
_DATELINE = re.compile(
    r"(?:^|(?<=[.!?\n]\s)|(?<=\n))([A-Z][A-Z.'\u2019]*(?:[ -][A-Z][A-Z.'\u2019]*){0,3})"
    r"(?=(?:,\s+[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?\s*(?:\([A-Z]{2,}\)\s*)?[-\u2013\u2014\x97]{1,2}\s)")


def _datelines(doc: Doc, gaz: Gazetteer, found: list[Toponym], taken: list[tuple[int, int]]) -> None:
    """The place of a dateline, written in capitals: any town the gazetteer knows will do, as
    after a locative preposition (the dateline says where the story was filed)."""
    text = text_of(doc)
    for m in _DATELINE.finditer(text):
        name = m.group(1)
        s, e = m.span(1)
        if len(name) < 3 or _overlaps(s, e, taken):
            continue
        if any(c.lat is not None and c.feature in (CITY, DISTRICT, PROVINCE, COUNTRY, TERRITORY)
               for c in gaz.candidates(name)):
            found.append(Toponym(s, e, name, None, "gazetteer"))
            taken.append((s, e))


_PLURAL_DIVISIONS = {"counties": "county", "parishes": "county", "townships": "county", "provinces": "province",
                     "states": "province"}


def _listed_divisions(doc: Doc, gaz: Gazetteer, found: list[Toponym], taken: list[tuple[int, int]]) -> None:
    """Names listed before a plural designator are each a division of that kind ("Jackson and
    Barrow counties", "Cooke, Grayson and Love counties"), however small or ambiguous the name."""
    for i, tok in enumerate(doc):
        hint = _PLURAL_DIVISIONS.get(tok.text)
        if hint is None:
            continue
        names: list[tuple[int, int]] = []
        j = i
        while j > 0:
            k = j
            while k > 0 and j - k < 3 and doc[k - 1].text[:1].isupper() and doc[k - 1].is_alpha \
                    and doc[k - 1].lower_ not in _GENERIC:
                k -= 1
            if k == j:
                break
            names.append((k, j))
            if k > 0 and doc[k - 1].lower_ in ("and", "or", ","):
                j = k - 1
                if j > 0 and doc[j].lower_ in ("and", "or") and doc[j - 1].text == ",":
                    j -= 1
                continue
            break
        if len(names) < 2:
            continue  # one name before "counties" is the model's and the outer designator's to read
        wanted = {DISTRICT} if hint == "county" else {PROVINCE}
        for k, j in names:
            span = doc[k:j]
            s, e = span.start_char, span.end_char
            if _overlaps(s, e, taken) or not any(c.feature in wanted and c.lat is not None
                                                 for c in gaz.candidates(span.text)):
                continue
            found.append(Toponym(s, e, span.text, hint, "gazetteer"))
            taken.append((s, e))


def find_toponyms(doc: Doc, gazetteer: Gazetteer, *, exclude: Sequence[tuple[int, int]] = ()
                  ) -> list[Toponym]:
    """Place-name mentions in the doc, in text order, without resolving them."""
    found: list[Toponym] = []
    taken: list[tuple[int, int]] = list(exclude)
    text = text_of(doc)
    _curated_long_names(doc, gazetteer, found, taken)
    _street_names(doc, found, taken)
    _datelines(doc, gazetteer, found, taken)
    _listed_divisions(doc, gazetteer, found, taken)
    covered: list[tuple[int, int]] = []  # token ranges of entities
    for ent in doc.ents:
        covered.append((ent.start, ent.end))
        if ent.label_ in _PLACE_LABELS:
            _from_place_entity(doc, gazetteer, ent, found, taken)
        elif ent.label_ in _SCAN_LABELS:
            # a person's name is often also a town's; inside PERSON only larger units count
            _scan(doc, gazetteer, ent.start, ent.end, found, taken,
                  cities_ok=ent.label_ != "PERSON", towns=False, taken_place=_taken_place(ent))
    # names the model did not tag at all ("Sudan", "DRC" in some contexts)
    i = 0
    ent_tokens = {t for s, e in covered for t in range(s, e)}
    while i < len(doc):
        if i in ent_tokens:
            i += 1
            continue
        j = i
        while j < len(doc) and j not in ent_tokens and j - i < 8:
            j += 1
        _scan(doc, gazetteer, i, j, found, taken)
        i = j
    found.sort(key=lambda t: t.start)
    people = _person_names(doc)
    # one mention per span even when two routes found it
    out: list[Toponym] = []
    for t in found:
        if out and out[-1].start == t.start and out[-1].end == t.end:
            continue
        if (t.text in people or _before_surname(doc, t, people)) and not _country_name(gazetteer, t.text):
            # "Henry Farrin ... Farrin, 43, was arrested": the article's person, not a town; and
            # "Natalia Skaggs" beside "Phillip Skaggs Jr.": a given name before the family's name
            continue
        if re.match(r"['\u2019]s Day\b", text[t.end:t.end + 7]):
            continue  # "St. Patrick's Day": a day named after a saint, not a place
        s, e = _char_trim(text, t.start, t.end)
        if text[e:e + 1] == "." and gazetteer.abbreviation(text[s:e] + ".") is not None:
            e += 1  # "W.Va" and its full stop: the abbreviation keeps its dot
        hint = t.hint or _outer_hint(doc, s, e)
        out.append(Toponym(s, e, text[s:e], hint, t.source) if (s, e, hint) != (t.start, t.end, t.hint)
                   else t)
    return out


# words before a surname that make it a person's ("coach Ripley", "Sen. Byrd", "Mayor Smith")
_TITLES_DOTTED = {"Mr.", "Mrs.", "Ms.", "Dr.", "Sen.", "Rep.", "Gov.", "Lt.", "Sgt.", "Capt.", "Det.",
                  "Rev.", "Gen.", "Col.", "Prof.", "Supt.", "Cpl.", "Pvt.", "Atty."}
_TITLES = {"coach", "officer", "deputy", "trooper", "detective", "sheriff", "judge", "mayor", "senator",
           "governor", "president", "professor", "pastor", "sergeant", "councilman", "councilwoman",
           "commissioner", "superintendent", "principal"}


_SUFFIXES = {"Jr.", "Sr.", "Jr", "Sr", "II", "III", "IV"}


def _before_surname(doc: Doc, t: Toponym, people: set[str]) -> bool:
    """Whether a one-word name is followed at once by a surname the article gives a person."""
    span = doc.char_span(t.start, t.end, alignment_mode="expand")
    return span is not None and len(span) == 1 and span.end < len(doc) and doc[span.end].text in people \
        and not doc[span.end].is_sent_start


def _person_names(doc: Doc) -> set[str]:
    """Surnames the article gives people: the last word of a person's full name ("Henry Farrin",
    "Matthew D. Flores", "Phillip Skaggs Jr.") and a capitalised word after a title ("coach
    Ripley", "Mr. Flores"; both words of "Lt. Brent Wheat"). The same word alone elsewhere in the
    article names that person too."""
    out: set[str] = set()
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        if len(ent) > 2 and ent[-1].text in _SUFFIXES:
            ent = ent[:-1]
        if ent[-1].text == "," and len(ent) > 2:
            ent = ent[:-1]
        if not 2 <= len(ent) <= 3:
            continue
        first, last = ent[0], ent[-1]
        if first.is_alpha and first.text[:1].isupper() and first.lower_ not in _DESIGNATORS \
                and last.is_alpha and last.text[:1].isupper() \
                and all(t.text[:1].isupper() for t in ent) and not any(t.pos_ == "VERB" for t in ent) \
                and last.text not in _LOCAL_HEADS and last.text not in _INSTITUTION_HEADS:
            out.add(last.text)  # not "Huntsville Fire" taken for a person's name
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        titled = prev.text in _TITLES_DOTTED or prev.lower_ in _TITLES or prev.text == "." and tok.i > 1 \
            and doc[tok.i - 2].text + "." in _TITLES_DOTTED and not doc[tok.i - 2].whitespace_
        if tok.text[:1].isupper() and tok.is_alpha and titled:
            out.add(tok.text)
            after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if after is not None and after.is_alpha and after.text[:1].isupper() and not after.is_sent_start:
                out.add(after.text)  # "Lt. Brent Wheat": the surname after the given name
    return out


def _country_name(gaz: Gazetteer, name: str) -> bool:
    return any(c.feature in (COUNTRY, TERRITORY) and not c.alt for c in gaz.candidates(name))


def _outer_hint(doc: Doc, start: int, end: int) -> str | None:
    """A lower-case designator just outside the name: "Washington state", "Otoe and Washington
    counties", "the state of Washington", "the city of Hue"."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and after.text.islower() and after.lower_ in _OUTER_DESIGNATORS:
        # a plural designator names the places of a list ("Otoe and Washington counties"); after
        # one name it names the parts of that place ("Indiana counties", "Iraqi provinces")
        coordinated = span.start > 0 and doc[span.start - 1].lower_ in {"and", "or", ",", "&"}
        if after.lower_ not in _PLURAL_DESIGNATORS or coordinated:
            return _HINT_OF.get(after.lower_, after.lower_)
    if span.start >= 2 and doc[span.start - 1].lower_ == "of":
        before = doc[span.start - 2]
        if before.text.islower() and before.lower_ in _OUTER_DESIGNATORS:
            return _HINT_OF.get(before.lower_, before.lower_)
    return None


def _widen(doc: Doc, gaz: Gazetteer, start: int, end: int) -> tuple[int, int]:
    """The model sometimes tags part of a place's name ("New [Jersey]", "[Rock] Hill"): the
    longest name the gazetteer knows well made of the entity and capitalised words beside it."""
    def cap(i: int) -> bool:
        t = doc[i]
        return t.text[:1].isupper() and t.is_alpha and not t.is_stop \
            and t.lower_ not in _GENERIC and t.lower_ not in _DESIGNATORS and t.ent_type_ in ("", *_PLACE_LABELS)

    best = (start, end)
    for left in range(0, 3):
        s = start - left
        if s < 0 or left and not (cap(s) or doc[s].text in _NAME_PREFIXES):
            break
        for right in range(0, 3):
            e = end + right
            if e > len(doc) or right and not cap(e - 1):
                break
            name = doc[s:e]
            if (left or right) and e - s > best[1] - best[0] and (
                    _strong(gaz, name.text, cities_ok=True) or _words(name) and _whole_name(gaz, name.text)):
                best = (s, e)
    # "Guernsey County": a capitalised designator after the name makes it the county's own name
    # and "Kanawha City" is a town's own name, when the gazetteer knows the town
    s, e = best
    if e < len(doc) and doc[e].text in _NAME_DESIGNATORS and _whole_name(gaz, doc[s:e + 1].text, towns=False) \
            or e < len(doc) and doc[e].text == "City" and _words(doc[s:e + 1]) and _whole_name(gaz, doc[s:e + 1].text):
        best = (s, e + 1)
    return best


# designators that are part of a division's own name when capitalised ("Madison County")
_NAME_DESIGNATORS = {"County", "Parish", "Borough", "Township"}
# words that open towns' own names ("St. Paris", "Mount Washington", "Fort Worth", "New Concord")
_NAME_PREFIXES = {"St.", "Saint", "Mt.", "Mount", "Ft.", "Fort", "Port", "New", "Lake"}


# the first words of an organisation's or a building's name after the place it is named after
_INSTITUTION_HEADS = {"Jail", "City", "Police", "Sheriff", "Sheriff's", "Sheriff\u2019s", "Special", "Council",
                      "Schools", "School", "Department", "Court", "Courthouse", "Hospital", "Airport", "Library",
                      "Board", "Fire", "Detention", "Commission", "Sanitation", "Water", "Health", "Public",
                      "Unified", "Community", "Municipal", "Chamber", "Clerk", "Coroner", "Superior", "Circuit",
                      "District"}


def _known_prefix(doc: Doc, gaz: Gazetteer, start: int, end: int) -> int:
    """The end of the longest name the gazetteer knows that opens tokens [start, end) when the
    rest name an institution after it: the model's span ran on into an organisation's or a
    building's name ("[Henderson County] Jail", "[Huntsville] City Manager"); else ``end``."""
    for k in range(end - 1, start, -1):
        if doc[k].text in _INSTITUTION_HEADS and _words(doc[start:k]) and doc[start:k].text in gaz \
                and not (k - start == 1 and doc[start].lower_ in _GENERIC):
            return k
    return end


def _from_place_entity(doc: Doc, gaz: Gazetteer, ent: Span, found: list[Toponym],
                       taken: list[tuple[int, int]]) -> None:
    start, end, hint = _trim(doc, ent.start, ent.end)
    if start >= end:
        return
    if hint is None:
        start, end = _widen(doc, gaz, start, end)
    if doc[start:end].text not in gaz:
        end = _known_prefix(doc, gaz, start, end)
    span = doc[start:end]
    text = text_of(doc)
    s, e = _char_trim(text, span.start_char, span.end_char)
    name = text[s:e]
    if _overlaps(s, e, taken):
        return
    if _pathogen(doc, start, end, name):
        return
    known = name in gaz
    if not known and end - start == 1 and (_is_demonym(gaz, name) or span[0].tag_ == "JJ"):
        return
    if known and end - start == 1 and span[0].tag_ in ("JJ",) and _is_demonym(gaz, name) \
            and not _strong(gaz, name):
        return
    if not known or "," in name:
        # "Central Africa - Nigeria", "Pandi, Bulacan": a list of places in one entity; a town and
        # its state are two places even when the gazetteer knows them together ("Washington, D.C.")
        if _SPLIT.search(name):
            before = len(found)
            _scan(doc, gaz, start, end, found, taken)
            if len(found) > before:
                return
        if ent.label_ == "FAC":
            # facility names (schools, hospitals) are rarely in a gazetteer; scan inside instead
            _scan(doc, gaz, start, end, found, taken)
            return
        if _is_demonym(gaz, name):
            return
        if not any(ch.isalpha() for ch in name) or not name[:1].isupper():
            return
    found.append(Toponym(s, e, name, hint, "ner"))
    taken.append((s, e))


_LIST_SEPARATORS = {",", "and", ", and", "or", ", or"}


def _parents(toponyms: Sequence[Toponym], gazetteer: Gazetteer, text: str | None
             ) -> dict[str, list[PlaceCandidate]]:
    """Divisions and countries written right after a name, after a comma ("Springfield, Ill.",
    "Paris, Texas", "Kirkuk, Iraq"), by the key of the name they qualify. A run of places of one
    level ("Virginia, Washington, West Virginia and Wyoming") is a list, not a place and its parent."""
    out: dict[str, list[PlaceCandidate]] = {}
    if text is None:
        return out
    tops = [gazetteer.resolve(t.text, hint=t.hint) for t in toponyms]

    def sep(i: int) -> str:
        return " ".join(text[toponyms[i].end:toponyms[i + 1].start].split())

    def level(c: PlaceCandidate | None) -> str | None:
        return None if c is None else COUNTRY if c.feature == TERRITORY else c.feature

    for i in range(len(toponyms) - 1):
        t, parent = toponyms[i], tops[i + 1]
        if sep(i) != "," or parent is None or parent.feature not in (PROVINCE, COUNTRY, TERRITORY):
            continue
        own = tops[i]
        if own is not None and own.feature in (COUNTRY, TERRITORY, REGION, PROVINCE) and not t.hint:
            continue  # "Iraq, Syria", "Ohio, Indiana": a list of places of one level
        before = i > 0 and sep(i - 1) in _LIST_SEPARATORS and level(tops[i - 1]) == level(parent)
        after = i + 2 < len(toponyms) and sep(i + 1) in _LIST_SEPARATORS \
            and level(tops[i + 2]) == level(parent)
        if before or after:
            continue
        out.setdefault(normalize_name(t.text), []).append(parent)
    return out


def _list_hints(toponyms: Sequence[Toponym], gazetteer: Gazetteer, text: str | None) -> dict[str, str]:
    """A name listed among divisions is a division: "Utah, Washington and Wisconsin", "Oregon and
    Washington laws"; by key, the hint "province" for such names that have a division reading."""
    out: dict[str, str] = {}
    if text is None:
        return out
    tops = [gazetteer.resolve(t.text, hint=t.hint) for t in toponyms]
    for i, t in enumerate(toponyms):
        if t.hint:
            continue
        near = [j for j in (i - 1, i + 1) if 0 <= j < len(toponyms)
                and " ".join(text[toponyms[min(i, j)].end:toponyms[max(i, j)].start].split())
                in _LIST_SEPARATORS]
        for j in near:
            other = tops[j]
            if other is None or other.feature != PROVINCE or normalize_name(toponyms[j].text) == \
                    normalize_name(t.text):
                continue
            if any(c.feature == PROVINCE and c.country == other.country and not c.alt
                   for c in gazetteer.candidates(t.text)):
                out[normalize_name(t.text)] = "province"
    return out


# what is said of a town, a county or a state and never of a country, right after its name: its
# residents ("a Palestine man": a country's people go by its demonym), its municipal institutions
# ("Jordan Elementary School", "the Lebanon Police Department", "Athens City Council"), the person's
# home in the apposition of local news ("Terry Jolly, 60, Lebanon, was arrested")
_LOCAL_AFTER = re.compile(
    r"(?:['\u2019]s)?\s+(?:(?:man|woman|men|women|resident|residents|couple|teen|teenager|boy|girl)\b"
    r"|(?:City|Town|Village|city|town|village) (?:[Cc]ouncil|[Hh]all|[Mm]anager|[Cc]lerk|[Ll]imits)\b"
    r"|(?:Elementary|Middle School|High School|Junior High|Public Library|Police Department"
    r"|Fire Department|Independent School District|Civic Center)\b)")
_LOCAL_BEFORE = re.compile(r"\b[A-Z][a-z]+,\s\d{1,3},\s+$")


def _local_hints(toponyms: Sequence[Toponym], text: str | None) -> dict[str, str]:
    """By key, the hint "local" for names written where only a town, county or state can stand
    (see _LOCAL_AFTER, _LOCAL_BEFORE): "Jordan" there is the town in Minnesota, not the kingdom."""
    out: dict[str, str] = {}
    if text is None:
        return out
    for t in toponyms:
        if t.hint is None and (_LOCAL_AFTER.match(text, t.end)
                               or _LOCAL_BEFORE.search(text, max(0, t.start - 40), t.start)):
            out[normalize_name(t.text)] = "local"
    return out


def resolve_toponyms(toponyms: Sequence[Toponym], gazetteer: Gazetteer, *,
                     context_countries: Sequence[str] = (), text: str | None = None
                     ) -> tuple[Place, ...]:
    """Group mentions by name and resolve each name, using the others as context; ``text``
    (the text the offsets point into) lets a parent written after a name qualify it."""
    groups: dict[str, list[Toponym]] = {}
    for t in toponyms:
        groups.setdefault(normalize_name(t.text), []).append(t)
    # streets are named places the gazetteer does not hold: kept, unresolved, out of the context
    streets = {k for k, v in groups.items() if v[0].source == "street"}
    toponyms = [t for t in toponyms if t.source != "street"]
    parents = _parents(toponyms, gazetteer, text)
    listed = _list_hints(toponyms, gazetteer, text)
    listed = {**_local_hints(toponyms, text), **listed}
    hints = {k: next((t.hint for t in v if t.hint), listed.get(k)) for k, v in groups.items()}
    ctx, own, admin, focus = _article_context(groups, gazetteer, hints, context_countries, text,
                                              skip=streets)
    ranked_of: dict[str, list[tuple[float, PlaceCandidate]]] = {}
    known: dict[str, set[PlaceCandidate]] = {}  # each name's readings on its own, without the story
    for key, mentions in groups.items():
        # a name should not count as its own context
        mine = own.get(key, [])
        others = list(ctx)
        for c in mine:
            others.remove(c)
        ranked_of[key] = [] if key in streets else _rank(
            gazetteer, mentions[0].text, context_countries=others, hint=hints[key], context_admin1=admin,
            parents=parents.get(key, ()), focus=focus)
        alone = [] if key in streets else _rank(gazetteer, mentions[0].text, hint=hints[key],
                                                parents=parents.get(key, ()))
        known[key] = {c for sc, c in alone if sc >= alone[0][0] - _PLAUSIBLE} if alone else set()
    _nearest_to_context(ranked_of, focus or None, known, {k: len(v) for k, v in groups.items()})
    places: list[Place] = []
    by_identity: dict[tuple[object, ...], int] = {}
    for key, mentions in groups.items():
        best = ranked_of[key][0][1] if ranked_of[key] else None
        ms = tuple(Mention(t.start, t.end, t.text) for t in mentions)
        pid = f"p{len(places) + 1}"
        ident = (best.geonameid or best.name, best.feature, best.country) if best else None
        if ident is not None and ident in by_identity:
            # "U.S." and "United States" are one place with mentions under both names
            i = by_identity[ident]
            merged = tuple(sorted(places[i].mentions + ms, key=lambda m: m.start))
            places[i] = replace(places[i], mentions=merged)
            continue
        if ident is not None:
            by_identity[ident] = len(places)
        if best is None or best.lat is None:
            places.append(Place(id=pid, name=mentions[0].text, mentions=ms,
                                feature="street" if key in streets else None))
        else:
            places.append(Place(id=pid, name=best.name, country=best.country, admin1=best.admin1,
                                lat=best.lat, lon=best.lon, geonameid=best.geonameid,
                                feature=best.feature, mentions=ms))
    return tuple(_placed_by_distance(places, text)) if text is not None else tuple(places)


# "the village of Safra, about 45km (28 miles) south of Mosul": a distance and a direction from
# a place the gazetteer knows, written right after a name it does not know
_BEARINGS = {"north": 0.0, "northeast": 45.0, "east": 90.0, "southeast": 135.0, "south": 180.0,
             "southwest": 225.0, "west": 270.0, "northwest": 315.0}
_DISTANCE_FROM = re.compile(
    r",?\s+(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){0,4}?(?:about|some|around|roughly|nearly|almost|approximately)?\s*"
    r"(\d+(?:\.\d+)?)\s*(km|kilometres|kilometers|miles|mi)\b(?:\s*\([^)]{0,30}\))?\s+"
    r"((?:north|south)?-?(?:east|west)?)(?:ern)?\s+of\s+(?:the\s+)?", re.IGNORECASE)


def _placed_by_distance(places: Sequence[Place], text: str) -> list[Place]:
    """Places the text puts at a distance and a direction from another place ("Safra, about 45km
    south of Mosul"), at the point that far along that bearing from the other place's point, when
    the gazetteer could not resolve them or put them elsewhere (further than that distance, and
    than 50 km, from it): what the text says of a village beats a namesake far away."""
    from ..evaluate.geo import haversine_km

    at = {m.start: p for p in places if p.lat is not None for m in p.mentions}
    out = list(places)
    for i, place in enumerate(places):
        if place.feature == "street":
            continue
        for m in place.mentions:
            hit = _DISTANCE_FROM.match(text, m.end, min(len(text), m.end + 120))
            if hit is None or hit.group(3).replace("-", "").casefold() not in _BEARINGS:
                continue
            origin = at.get(hit.end())
            if origin is None or origin.lat is None or origin.lon is None:
                continue
            km = float(hit.group(1)) * (1.609344 if hit.group(2).casefold().startswith("mi") else 1.0)
            lat, lon = _destination(origin.lat, origin.lon, _BEARINGS[hit.group(3).replace("-", "").casefold()], km)
            if place.lat is not None and place.lon is not None \
                    and haversine_km(place.lat, place.lon, lat, lon) <= max(50.0, km):
                break  # the gazetteer's reading agrees with the text
            out[i] = replace(place, name=m.text if place.lat is not None else place.name, lat=round(lat, 5),
                             lon=round(lon, 5), country=origin.country, admin1=origin.admin1,
                             geonameid=None, feature=CITY)
            break
    return out


def _destination(lat: float, lon: float, bearing: float, km: float) -> tuple[float, float]:
    """The point ``km`` from (lat, lon) along ``bearing`` degrees, on a sphere of radius 6371 km."""
    import math

    d, b = km / 6371.0, math.radians(bearing)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), (math.degrees(l2) + 540.0) % 360.0 - 180.0


def _article_context(groups: dict[str, list[Toponym]], gazetteer: Gazetteer, hints: dict[str, str | None],
                     context_countries: Sequence[str], text: str | None, *, skip: Collection[str] = ()
                     ) -> tuple[list[str], dict[str, list[str]], list[str], set[str]]:
    """The first pass: names that are unambiguous on their own give the article its countries
    (one per mention, up to three; with ``context_countries``), the countries each name gave
    (by key), its divisions, and the countries it is about (see :func:`_focus`). Names whose
    keys are in ``skip`` (streets) give nothing."""
    ctx = list(context_countries)
    own: dict[str, list[str]] = {}
    admin: list[str] = []
    local: set[str] = set()  # countries of a division or town it names, or named as a location
    for key, mentions in groups.items():
        ranked = _rank(gazetteer, mentions[0].text, hint=hints[key]) if key not in skip else []
        if not ranked:
            continue
        top_score, top = ranked[0]
        runner = next((sc for sc, c in ranked[1:] if c.country != top.country), None)
        if top.feature in (COUNTRY, TERRITORY) or runner is None or top_score - runner >= 1.5:
            if top.country:
                own[key] = [top.country] * min(len(mentions), 3)
                ctx.extend(own[key])
                if top.feature in (PROVINCE, DISTRICT, CITY) or text is not None and any(
                        _LOCATIVE_BEFORE.search(text, max(0, t.start - 30), t.start) for t in mentions):
                    local.add(top.country)
            if top.feature == PROVINCE:
                admin.append(top.name)
                admin.append(mentions[0].text)
    # a story is set where its institutions are: that country counts as one more mention (a
    # story from Oxford that names a car maker of Japan is still an English story)
    setting = _setting(text) if text is not None else None
    if setting is not None:
        ctx.append(setting)
        local.add(setting)
    return ctx, own, admin, _focus(ctx, local)


# the institutions of local government and justice, and the ways of writing, that only one
# country's news has: a story that names two kinds of them is set in that country
_SETTING_CUES: dict[str, tuple[re.Pattern[str], ...]] = {
    "USA": tuple(re.compile(p) for p in (
        r"\b[Ss]heriff(?:'s|\u2019s|s)?\b",
        r"\b(?:County|Parish|Township) (?i:commission(?:ers?)?|board|attorney|clerk|jail|prosecutor|judge|schools)\b",
        r"\b[Cc]ounty (?:commission(?:ers?)?|board|attorney|clerk|jail|prosecutor|judge|schools|officials|seat)\b",
        r"\b[Ss]tate (?:Sen\.|Rep\.|(?i:senator|representative|troopers?|police|legislature|lawmakers|house|senate))",
        r"\b(?:Interstate|I-)\s?\d+\b",
        r"\b(?:[Ss]chool [Dd]istrict|[Ss]chool [Bb]oard|[Ee]lementary [Ss]chool|[Mm]iddle [Ss]chool)\b",
        r"\b[Gg]rand [Jj]ury\b",
        r"\b(?:[Dd]istrict|Commonwealth(?:'s|\u2019s)?) [Aa]ttorney\b",
        r"\b\d{2,5} (?:[NSEW]\. )?[A-Z][a-z]+ (?:St|Ave|Blvd|Rd|Dr)\.",
        r"\b[A-Z][a-z]+ Township\b",
        r"\b(?:Police|Fire|Sheriff(?:'s|\u2019s)?) Department\b",
        r"\b(?:U\.S\.|State) Route \d+\b|\bRoute \d+ (?:North|South|East|West)\b",
        # money counted with the dollar sign: the United States' currency (not decisive alone,
        # like every cue here: Canada and Australia write it too)
        r"(?<![A-Z])\$\d",
    )),
    "GBR": tuple(re.compile(p) for p in (
        r"\u00a3\s?\d",  # money in pounds
        r"\b(?:Borough|District|County|Parish|Town) Council\b",
        r"\b(?:PC|PCSO|DCI|Det Sgt|Det Con|Insp) [A-Z][a-z]+",  # police ranks written before a name
        r"\b(?:Crown|[Mm]agistrates(?:'|\u2019)?) [Cc]ourt\b",
        r"\b(?:council tax|NHS|[Pp]ostcode)\b",
        r"\b(?:Mr|Mrs|Ms|Dr) [A-Z][a-z]+",  # British style: no full stop after a contraction
    )),
}


def _setting(text: str) -> str | None:
    """The country a story is set in by the institutions it names (see _SETTING_CUES)."""
    for country, cues in _SETTING_CUES.items():
        if sum(1 for cue in cues if cue.search(text)) >= 2:
            return country
    return None


# a compass direction before a name names a part of the place ("northern Iraq", "East Mosul")
_DIRECTION = r"(?:north|south)(?:[- ]?(?:east|west))?(?:ern)?|east(?:ern)?|west(?:ern)?|central"
_PART = re.compile(rf"({_DIRECTION})\s+(\S.*)", re.IGNORECASE)
_PART_BEFORE = re.compile(rf"\b({_DIRECTION})\s+$")


def _rank(gazetteer: Gazetteer, name: str, **kw: Any) -> list[tuple[float, PlaceCandidate]]:
    """The gazetteer's readings of a name; a name it does not know that is a compass direction
    and a place ("North Philadelphia", "northern Iraq") reads as that part of the place."""
    ranked = gazetteer.rank(name, **kw)
    if ranked:
        return ranked
    m = _PART.fullmatch(name)
    if m is None:
        return []
    whole = gazetteer.rank(m.group(2), **kw)
    if not whole or whole[0][1].lat is None:
        return []
    return [(whole[0][0], gazetteer.part(whole[0][1], m.group(1).casefold(), name))]


def directional_parts(text: str, toponyms: Sequence[Toponym]) -> list[Toponym]:
    """The toponyms, each written right after a lower-case compass direction ("northern Iraq",
    "in west Mosul") widened to name that part of the place. The article result reports the part
    ("northern Iraq" is a region of Iraq); gold standards that mark only the name ("Iraq", as
    GeoVirus does) are scored on the toponyms as found. The centre of a place lies at its own
    point: "central Bogota" stays Bogota."""
    out: list[Toponym] = []
    for t in toponyms:
        m = _PART_BEFORE.search(text, max(0, t.start - 20), t.start)
        if m is not None and m.group(1).islower() and m.group(1) != "central" and t.source != "associative":
            out.append(replace(t, start=m.start(), text=text[m.start():t.end]))
        else:
            out.append(t)
    return out


# a place named as where something is ("in Chile", "across Syria", "the country of Chile"), not
# as the adjective of its officials ("US Secretary of State")
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|into|inside|across|throughout|within|to|towards?|from|near|at|"
                              r"around|through|outside|(?:country|nation|state|republic) of)\s+(?:the\s+)?$",
                              re.IGNORECASE)


def _focus(ctx: Sequence[str], local: set[str]) -> set[str]:
    """The countries an article is about: those it names a division or town of or names as
    where something is ("in Syria"), and those it names about as often as its most named one
    (at least half as often)."""
    counts: dict[str, int] = {}
    for c in ctx:
        counts[c] = counts.get(c, 0) + 1
    most = max(counts.values(), default=0)
    return local | {c for c, n in counts.items() if 2 * n >= most}


# the places of one story lie together ("Paris" beside Edgar County and Urbana is Paris, Ill.):
# a candidate gains up to _NEAR_BONUS from the other names' readings that lie near it, each
# counting fully at the same point and not at all from _NEAR_KM on; a division named in the story
# counts _IN_DIVISION for the towns and counties inside it ("Manhattan" beside Kansas: a division
# is wide, a neighbouring town says more), and a town or county of the same division counts
# _SAME_DIVISION however far it lies ("Springfield" beside St. Louis and Greene County: all three
# in Missouri)
_NEAR_BONUS = 4.0
_NEAR_KM = 250.0
_SAME_DIVISION = 0.25
_IN_DIVISION = 0.5
_LOCAL = (CITY, DISTRICT)
_PLAUSIBLE = 3.0  # how far below a name's best reading another still counts as its reading
_MAX_READINGS = 12


def _closeness(c: PlaceCandidate, o: PlaceCandidate, *, divisions: bool = True) -> float:
    """How much reading ``o`` of another name supports candidate ``c`` (0 to 1): by distance
    between towns and counties, by containment between a division and what lies inside it."""
    from ..evaluate.geo import haversine_km

    if o.feature == PROVINCE:  # a division supports only what lies inside it
        return _IN_DIVISION if divisions and c.feature in _LOCAL and _in_division(c, o) else 0.0
    near = max(0.0, 1.0 - haversine_km(c.lat, c.lon, o.lat, o.lon) / _NEAR_KM)  # type: ignore[arg-type]
    if divisions and c.feature in _LOCAL and c.country == o.country and c.admin1 and c.admin1 == o.admin1:
        return max(near, _SAME_DIVISION)
    return near


def _in_division(c: PlaceCandidate, division: PlaceCandidate) -> bool:
    return c.country == division.country and c.admin1 is not None \
        and normalize_name(c.admin1) == normalize_name(division.name)


def _nearest_to_context(ranked_of: dict[str, list[tuple[float, PlaceCandidate]]],
                        focus: Collection[str] | None = None,
                        known: dict[str, set[PlaceCandidate]] | None = None,
                        counts: dict[str, int] | None = None) -> None:
    """Re-rank each name's candidates by the support of the other names: for each other name,
    the best :func:`_closeness` of its plausible readings (towns, counties and divisions only, of
    the countries the article is about when ``focus`` names them). Names that are ambiguous alike
    disambiguate each other ("Paris" and "Henry County": both in Tennessee); in a report on Mosul,
    "Paris" and "Geneva" are not two American towns."""
    readings = {k: [c for sc, c in r[:_MAX_READINGS] if sc >= r[0][0] - _PLAUSIBLE
                    and c.feature in (*_LOCAL, PROVINCE) and c.lat is not None and c.lon is not None
                    and (focus is None or c.country in focus)
                    and (known is None or c.feature != CITY or c in known.get(k, ()))]
                for k, r in ranked_of.items() if r}
    readings = {k: v for k, v in readings.items() if v}
    if len(readings) < 2:
        return
    # one place under two names ("Louisiana", "La.") supports as one name
    seen: set[tuple[object, ...]] = set()
    for k in list(readings):
        ident = tuple((c.geonameid, c.name) for c in readings[k])
        if ident in seen:
            del readings[k]
        seen.add(ident)

    # a story that ranges over several divisions ("Wisconsin", "North Carolina") does not place its
    # towns by one of them: division support only from the division the story is about, the one
    # it names alone or at least twice as often as any other of its country ("Indiana" four
    # times beside one mention each of Ohio and Kentucky)
    named: dict[str | None, dict[str, int]] = {}
    for k, r in ranked_of.items():
        if r and r[0][1].feature == PROVINCE:
            per = named.setdefault(r[0][1].country, {})
            per[r[0][1].name] = per.get(r[0][1].name, 0) + (counts or {}).get(k, 1)
    dominant: dict[str | None, str] = {}
    for country, per in named.items():
        most = sorted(per.values(), reverse=True)
        if len(most) == 1 or most[0] >= 2 * most[1]:
            dominant[country] = max(per, key=lambda n: per[n])

    def counts_for(o: PlaceCandidate) -> bool:
        return o.feature != PROVINCE or o.country not in named or dominant.get(o.country) == o.name

    def support(key: str, c: PlaceCandidate, divisions: bool) -> float:
        return sum(max((_closeness(c, o, divisions=divisions) for o in cands if counts_for(o)), default=0.0)
                   for other, cands in readings.items() if other != key)

    for key, ranked in ranked_of.items():
        if len(ranked) < 2:
            continue
        # a division named in the story chooses among a name's plausible readings on its own: it
        # does not make "Moscow" the Pennsylvanian village, nor a country's name ("Italy") a
        # village of Texas; only a town near the story's others can do that
        country_name = any(c.feature in (COUNTRY, TERRITORY) for _, c in ranked)
        mine = known.get(key, set()) if known is not None else {c for _, c in ranked}
        # in a story of several divisions, the one it is about places small towns and counties,
        # not a name a large city is known by ("Cleveland" in a report from Wisconsin is Ohio's)
        big = any(c.feature == CITY and c.population >= _STRONG_CITY_POP for c in mine)
        divisions = {id(c) for _, c in ranked
                     if not country_name and c in mine and (c.country not in named or len(named[c.country]) == 1
                                                            or c.country in dominant and not big)}
        rescored = [(sc + _NEAR_BONUS * min(1.0, support(key, c, id(c) in divisions) / 2)
                     if c.lat is not None else sc, c) for sc, c in ranked]
        rescored.sort(key=lambda sc: -sc[0])
        ranked_of[key] = rescored


def extract_places(doc: Doc, gazetteer: Gazetteer, *, exclude: Sequence[tuple[int, int]] = (),
                   context_countries: Sequence[str] = ()) -> tuple[Place, ...]:
    """The places of an article: one Place per distinct name, ids p1, p2, ... by first mention."""
    return resolve_toponyms(find_toponyms(doc, gazetteer, exclude=exclude), gazetteer,
                            context_countries=context_countries, text=text_of(doc))


# the participle of an attributive compound whose first part names a place without placing
# anything there: "Iran-backed militias", "US-led coalition", "Qatar-based channel"
_BACKED = {"backed", "led", "based", "allied", "aligned", "funded", "sponsored", "supported",
           "brokered", "made", "born", "built", "controlled", "run", "owned", "trained", "armed",
           "linked", "affiliated", "friendly", "held", "dominated", "headquartered", "registered",
           "mediated", "bound", "oriented"}


def _backed_at(text: str, end: int) -> bool:
    """Whether the text right after a name is "-backed", "-led", ... (after a hyphen)."""
    m = re.match(r"[-\u2010\u2011]([a-z]+)\b", text[end:end + 16])
    return m is not None and m.group(1) in _BACKED


def find_associative(doc: Doc, gazetteer: Gazetteer, toponyms: Sequence[Toponym] = ()) -> list[Toponym]:
    """Associative toponyms: demonyms and place adjectives ("Syrian forces", "Russian-backed",
    "Sri Lankan", "Palestinians"), outside the place names already found and outside people's
    names. They name a place without being its name, so they are kept apart from the places.
    Their kind is "backed" as the first part of a compound ("Russian-backed"), else "adjectival"."""
    taken = [(t.start, t.end) for t in toponyms]
    text = text_of(doc)
    out: list[Toponym] = []
    # capitalised words: only they can start a demonym, and most words are not
    capital = [c and doc[i].is_alpha for i, c in enumerate(capitals(doc))]
    i = 0
    while i < len(doc):
        step = 1
        for n in (2, 1):
            if i + n > len(doc) or not all(capital[i:i + n]):
                continue
            span = doc[i:i + n]
            if span[0].lower_ in ("the", "a", "an") or _overlaps(span.start_char, span.end_char, taken):
                continue
            # the model's nationality tag, an attributive compound ("Russian-backed"), or a word
            # the knowledge base made part of an organisation's name ("Syrian forces"); never
            # a person's name ("Christian Dior")
            if not (all(t.ent_type_ in ("NORP", "ORG") for t in span)
                    or span.end < len(doc) and doc[span.end].text == "-"):
                continue
            if any(t.ent_type_ == "PERSON" for t in span):
                continue
            if gazetteer.demonym_of(span.text) is not None:
                kind = "backed" if _backed_at(text, span.end_char) else "adjectival"
                out.append(Toponym(span.start_char, span.end_char, span.text, None, "demonym", kind))
                step = n
                break
        i += step
    return out


_COMPOUND = re.compile(r"(?<![\w.])((?:[A-Z][\w.'\u2019]*\s){0,2}[A-Z][\w.'\u2019]*?)[-\u2010\u2011]([a-z]+)\b")


def find_backed(doc: Doc, gazetteer: Gazetteer, toponyms: Sequence[Toponym] = ()) -> list[Toponym]:
    """Place names and demonyms opening a compound that the tokenizer kept in one word or the
    model did not tag ("U.S.-led", "Kremlin-backed" is not one): kind "backed"."""
    text = text_of(doc)
    taken = [(t.start, t.end) for t in toponyms]
    out: list[Toponym] = []
    for m in _COMPOUND.finditer(text):
        if m.group(2) not in _BACKED or _overlaps(m.start(1), m.end(1), taken):
            continue
        words = m.group(1).split()
        for k in range(len(words)):  # the longest known tail: "the Saudi-led" -> "Saudi"
            name = " ".join(words[k:])
            start = m.end(1) - len(name)
            if gazetteer.demonym_of(name) is not None:
                out.append(Toponym(start, m.end(1), name, None, "demonym", "backed"))
                break
            if _strong(gazetteer, name, cities_ok=True):
                out.append(Toponym(start, m.end(1), name, None, "associative", "backed"))
                break
    return out


def split_backed(doc: Doc, toponyms: Sequence[Toponym]) -> tuple[list[Toponym], list[Toponym]]:
    """Place names that open a compound ("Iran-backed militias", "U.S.-led coalition") name a
    place associatively: (the others, those), the latter with kind "backed"."""
    text = text_of(doc)
    literal: list[Toponym] = []
    backed: list[Toponym] = []
    for t in toponyms:
        if _backed_at(text, t.end):
            backed.append(replace(t, source="associative", kind="backed"))
        else:
            literal.append(t)
    return literal, backed


def find_embedded(doc: Doc, gazetteer: Gazetteer, spans: Sequence[tuple[int, int]],
                  toponyms: Sequence[Toponym] = ()) -> list[Toponym]:
    """Place names inside the names of organisations (``spans``, by characters: "Central Bank of
    Iraq", "Islamic Resistance in Iraq"), with kind "embedded": the name is there, the place is
    not where anything happens."""
    taken = [(t.start, t.end) for t in toponyms]
    found: list[Toponym] = []
    for s, e in sorted(set(spans)):
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            _scan(doc, gazetteer, span.start, span.end, found, taken)
    return [replace(t, source="associative", kind="embedded") for t in sorted(found, key=lambda t: t.start)]


def split_associative(doc: Doc, gazetteer: Gazetteer, toponyms: Sequence[Toponym],
                      organisations: Sequence[tuple[int, int]] = ()) -> tuple[list[Toponym], list[Toponym]]:
    """The literal toponyms among ``toponyms`` and, apart, every associative one in the doc:
    place names opening a compound ("Iran-backed"), demonyms ("Syrian forces") and names inside
    the ``organisations``' names ("Central Bank of Iraq", "Syrian Democratic Forces": embedded)."""
    literal, backed = split_backed(doc, toponyms)
    text = text_of(doc)
    # a demonym inside an organisation's proper name ("Syrian Democratic Forces") is embedded
    # in it; in a description the knowledge base knows ("Syrian forces") it stays adjectival
    names = [(s, e) for s, e in organisations if _proper_name(text[s:e])]
    adjectival = [replace(t, kind="embedded") if t.kind == "adjectival" and _overlaps(t.start, t.end, names)
                  else t for t in find_associative(doc, gazetteer, toponyms)]
    backed += find_backed(doc, gazetteer, [*toponyms, *adjectival])
    embedded = find_embedded(doc, gazetteer, organisations, [*toponyms, *adjectival, *backed])
    return literal, sorted([*backed, *adjectival, *embedded], key=lambda t: t.start)


_FUNCTION_WORDS = {"of", "the", "for", "in", "and", "on", "de", "al", "el", "to"}


def _proper_name(name: str) -> bool:
    """"Syrian Democratic Forces", "Bank of Iraq": every word but function words capitalised."""
    words = [w for w in re.split(r"[\s-]+", name) if w and w.casefold() not in _FUNCTION_WORDS]
    return len(words) > 1 and all(w[:1].isupper() or w[:1].isdigit() for w in words)


def associative_places(toponyms: Sequence[Toponym], gazetteer: Gazetteer,
                       places: Sequence[Place] = ()) -> tuple[Place, ...]:
    """One Place per place named by associative toponyms, ids a1, a2, ... by first mention,
    flagged ``associative``; each mention keeps its kind. A demonym names its country or region;
    a place name ("Iran-backed", "Bank of Iraq") is resolved in the context of the article's
    other ``places``, and is the same place as one of them with that name."""
    by_name = {normalize_name(m.text): p for p in places for m in p.mentions}
    ctx = [p.country for p in places if p.country]
    out: list[Place] = []
    index: dict[tuple[object, ...], int] = {}
    for t in sorted(toponyms, key=lambda t: t.start):
        m = Mention(t.start, t.end, t.text, t.kind or "adjectival")
        known = by_name.get(normalize_name(t.text))
        c = gazetteer.demonym_of(t.text) if t.source == "demonym" and known is None else None
        if c is None and known is None:
            c = gazetteer.resolve(t.text, context_countries=ctx)
        if known is not None:
            place = replace(known, mentions=(m,), associative=True)
        elif c is not None and c.lat is not None:
            place = Place(id="", name=c.name, country=c.country, admin1=c.admin1, lat=c.lat, lon=c.lon,
                          geonameid=c.geonameid, feature=c.feature, mentions=(m,), associative=True)
        else:
            continue
        ident = (place.geonameid or place.name, place.feature, place.country)
        if ident in index:
            k = index[ident]
            out[k] = replace(out[k], mentions=out[k].mentions + (m,))
            continue
        index[ident] = len(out)
        out.append(replace(place, id=f"a{len(out) + 1}"))
    return tuple(out)
