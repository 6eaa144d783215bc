"""Turning ArticleResults into rows: keys, days, catalogue deltas and event clustering rules."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from .. import __version__
from ..records import ArticleResult, Entity, Place
from ..timex import granularity, span_of
from .query import is_placeholder_actor

CLUSTER_WINDOW_DAYS = 2  # reports of the same event disagree on its date by a day or two


_FLOAT_MAX = 1.7976931348623157e308


def storable_number(value: float | int | None) -> float | int | None:
    """A number both SQLite and PostgreSQL accept in a DOUBLE PRECISION column.

    Integers within 64 bits go in as they are; larger ones as the nearest float (the exact value
    stays in the article's result JSON and in the quantity's text). Infinities are capped at the
    largest float, and NaN, which no comparison can use, is stored as NULL.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if -(2**63) <= value < 2**63:
            return value
        try:
            return float(value)
        except OverflowError:
            return _FLOAT_MAX if value > 0 else -_FLOAT_MAX
    if math.isnan(value):
        return None
    return max(-_FLOAT_MAX, min(_FLOAT_MAX, value))


def actor_key(e: Entity) -> str:
    """A stable key for an actor across articles: the KB id, else kind + name + country."""
    if e.kb_id:
        return e.kb_id
    return f"{e.kind}:{e.name.casefold()}:{e.country or ''}"


def place_key(p: Place) -> str:
    if p.geonameid is not None:
        return f"gn:{p.geonameid}"
    return f"{p.name.casefold()}:{p.country or ''}"


def versions(result: ArticleResult) -> tuple[str, str]:
    meta = dict(result.meta)
    dv = meta.get("dragoman") or meta.get("dragoman_version") or meta.get("version") or __version__
    kv = meta.get("kb") or meta.get("kb_version") or meta.get("knowledge_base") or __version__
    return str(dv), str(kv)


def day_of(value: str | None) -> str | None:
    """The first day a date value covers: an ISO date, week, month, quarter or season ("2023-Q2",
    "2023-SU"), year, decade ("199") or century, or the start of an interval; None when there is none.
    A quarter or a decade is a date like a year: its events are dated (to their granularity), not undated."""
    if not value:
        return None
    v = value.split("/")[0].strip()
    try:
        if len(v) == 10 and v[4] == "-" and v[7] == "-":
            return date.fromisoformat(v).isoformat()
        if len(v) == 7 and v[4] == "-" and v[5:].isdigit():
            return date(int(v[:4]), int(v[5:]), 1).isoformat()
        if len(v) == 4 and v.isdigit():
            return f"{v}-01-01"
        if len(v) >= 8 and v[4:6] == "-W":
            return date.fromisocalendar(int(v[:4]), int(v[6:8]), 1).isoformat()
    except ValueError:
        return None
    span = span_of(v)
    return span[0].isoformat() if span else None


def event_granularity(value: str | None, day: str | None) -> str | None:
    """How precise a stored event's date is: the granularity of its value, or ``day`` when the event
    is dated by its article's publication day (no value of its own); None when it has no day."""
    if day is None:
        return None
    return granularity(value) if value else "day"


def is_precise_day(value: str | None) -> bool:
    return bool(value) and len(value or "") == 10 and day_of(value) == value


@lru_cache(maxsize=65536)
def shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


@dataclass(slots=True)
class ClusterState:
    """A cluster as the writer sees it while a batch is being written."""

    pk: int
    event: str
    day: str | None
    actor_keys: set[str]
    countries: set[str]
    place_keys: set[str]
    n_mentions: int = 0
    n_articles: int = 0
    sources: list[str] = field(default_factory=list)
    dirty: bool = False
    new: bool = False

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ClusterState:
        return cls(
            int(row["pk"]),
            row["event"],
            row["day"],
            set(json.loads(row["actor_keys"] or "[]")),
            set(json.loads(row["countries"] or "[]")),
            set(json.loads(row["place_keys"] or "[]")),
            int(row["n_mentions"]),
            int(row["n_articles"]),
            list(json.loads(row["sources"] or "[]")),
        )

    def row(self) -> tuple[Any, ...]:
        return (
            self.event,
            self.day,
            json.dumps(sorted(self.actor_keys)),
            json.dumps(sorted(self.countries)),
            json.dumps(sorted(self.place_keys)),
            self.n_mentions,
            self.n_articles,
            json.dumps(self.sources),
            self.pk,
        )


# Group nouns the actor resolver takes as actors where no role noun lists them
# (``resolve.actors.GROUP_ROLE_FALLBACK``).
_GROUP_HEADS = ("group", "faction", "militia", "network", "proxy", "movement", "organization", "organisation")
_STATE_KEYS = ("state:", "gov:")  # knowledge-base ids of a country's state and of its government
_QUALIFIED = re.compile(r"\s+(?:in|of|from|at|on|near|with|for|outside|inside)\s.*$")


@lru_cache(maxsize=1)
def _role_words() -> frozenset[str]:
    """The role nouns of the knowledge base (singular and plural: "official", "residents") and the
    group nouns: the heads of actors named by what they are, not by a name."""
    from ..kb.loader import DATA_DIR

    words = set(_GROUP_HEADS)
    for line in (DATA_DIR / "role_nouns.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            words.update(w.casefold() for w in line.split("\t")[:2])
    return frozenset(words)


@lru_cache(maxsize=65536)
def is_nominal_actor(key: str) -> bool:
    """An actor the text names by a common noun, not by a name: no knowledge-base id, and a name
    headed by a role or group noun ("people", "police", "two men", "Iraqi officials", "residents of
    the town") or a people by its demonym ("Americans"). Every town's news has its police and its
    residents: sharing one says no more than sharing a country does."""
    kind, _, rest = key.partition(":")
    name, sep, _country = rest.rpartition(":")
    if not sep:  # a knowledge-base id ("person:barack-obama", "state:USA"): a name
        return False
    if kind == "people":
        return True
    words = re.findall(r"[^\W\d_]+", _QUALIFIED.sub("", name))
    return bool(words) and (words[-1] in _role_words() or " ".join(words[-2:]) in _role_words())


def compatible(c: ClusterState, actors: set[str], countries: set[str], places: set[str]) -> bool:
    """Same real-world event? Needs positive evidence and no contradiction on actors or places.

    Actors agree when they share a key; actors resolved differently but of one country ("US
    troops", "American soldiers") do not contradict, but a shared country is no evidence on its
    own: most events of a national news corpus share its country, so it would join unrelated
    reports of one type and week into one event. For the same reason one shared state or its
    government and nothing else ("the United States", "the federal government" in two local
    stories) is only the absence of a contradiction; a shared actor of any other kind, or a shared
    pair (a dyad of states), is evidence. An actor named
    by a common noun ("police", "civilians:people:USA", see ``is_nominal_actor``) is like a country:
    shared, it neither joins nor contradicts, and it makes no pair. A placeholder ("unidentified
    perpetrator") is no actor known: it neither agrees nor contradicts. Places agree when they share
    a place key. A side with nothing known neither agrees nor contradicts.
    """
    evidence = False
    actors = {a for a in actors if not is_placeholder_actor(a)}
    known = {a for a in c.actor_keys if not is_placeholder_actor(a)}
    if actors and known:
        shared = actors & known
        named = {k for k in shared if not is_nominal_actor(k)}
        others = {k for k in named if not k.startswith(_STATE_KEYS)}
        states = {k.partition(":")[2] for k in named - others}  # a state and its government: one party
        if others or len(states) >= 2:
            evidence = True
        elif not (shared or (countries and countries & c.countries)):
            return False
    if places and c.place_keys:
        if places & c.place_keys:
            evidence = True
        else:
            return False
    return evidence


@dataclass(slots=True)
class CatalogueDelta:
    """Counter changes one article brings to the actor, alias and place catalogues."""

    actors: dict[str, list[Any]] = field(default_factory=dict)  # key -> [name, kind, ..., counts]
    aliases: Counter[tuple[str, str]] = field(default_factory=Counter)
    places: dict[str, list[Any]] = field(default_factory=dict)

    def add(self, result: ArticleResult, sign: int = 1) -> None:
        keys = {e.id: actor_key(e) for e in result.entities}
        seen: set[str] = set()
        for e in result.entities:
            k = keys[e.id]
            row = self.actors.setdefault(k, [e.name, e.kind, e.country, e.sector, e.kb_id, e.wikidata, 0, 0, 0])
            if k not in seen:  # two entities resolved to one actor still make one article
                row[6] += sign
                seen.add(k)
            if is_placeholder_actor(k):  # its mentions are the events' trigger words, not names
                continue
            for m in e.mentions:
                if m.text:
                    self.aliases[(k, m.text)] += sign
        for ev in result.events:
            for eid in set(ev.actor):
                if eid in keys:
                    self.actors[keys[eid]][7] += sign
            for eid in set(ev.recipient):
                if eid in keys:
                    self.actors[keys[eid]][8] += sign
        pkeys = {p.id: place_key(p) for p in result.places}
        seen_places: set[str] = set()
        for p in result.places:
            if p.associative:  # "Syrian forces" does not make an article one about a place in Syria
                continue
            row = self.places.setdefault(
                pkeys[p.id], [p.name, p.country, p.admin1, p.lat, p.lon, p.geonameid, p.feature, 0, 0]
            )
            if pkeys[p.id] not in seen_places:
                row[7] += sign
                seen_places.add(pkeys[p.id])
        for ev in result.events:
            for pid in set(ev.places):
                if pid in pkeys:
                    self.places[pkeys[pid]][8] += sign
