"""Typed filters, rows and cursors of the query API shared by the CLI, the web layer and exports."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from ..errors import StoreError

__all__ = [
    "ActorProfile",
    "ActorRef",
    "ActorRow",
    "AddOutcome",
    "ArticleRow",
    "ClusterRow",
    "EventFilter",
    "EventRow",
    "FailureRow",
    "Page",
    "PlaceRef",
    "PlaceRow",
    "RelationRow",
    "TimelinePoint",
    "decode_cursor",
    "headline_of",
    "is_placeholder_actor",
    "placeholder_key_sql",
    "public_source",
    "encode_cursor",
    "normalise_since",
    "normalise_until",
]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What an events query keeps; every field is optional and they combine with AND."""

    actor: str | None = None  # name or alias, case-insensitive substring; or an exact actor key
    type: str | None = None  # PLOVER event type
    country: str | None = None  # ISO3 of an actor, a recipient or the place
    place: str | None = None  # place name, case-insensitive substring
    since: str | None = None  # ISO date, month or year; inclusive
    until: str | None = None
    text: str | None = None  # full-text query over the articles
    quad: int | None = None
    article_id: str | None = None
    cluster: int | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, f) is None for f in self.__slots__)


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list; pass ``next_cursor`` back to get the following page (None: no more)."""

    items: list[T]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class ActorRef:
    key: str
    name: str
    country: str | None
    sector: str | None
    kind: str | None


@dataclass(frozen=True, slots=True)
class PlaceRef:
    key: str
    name: str
    country: str | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class EventRow:
    pk: int
    article_id: str
    eid: str
    event: str
    mode: str | None
    context: tuple[str, ...]
    quad: int | None
    intensity: float | None
    confidence: float | None
    date: str | None
    day: str | None
    certainty: str | None
    negated: bool
    trigger: str | None
    sentence: str | None
    actors: tuple[ActorRef, ...] = ()
    recipients: tuple[ActorRef, ...] = ()
    places: tuple[PlaceRef, ...] = ()
    title: str | None = None
    outlet: str | None = None
    source: str | None = None
    url: str | None = None
    cluster: int | None = None
    published: str | None = None  # the article's publication day
    granularity: str | None = None  # how precise the event's date is (day … century; see dragoman.timex)

    def to_dict(self) -> dict[str, Any]:
        return {
            "pk": self.pk,
            "article_id": self.article_id,
            "id": self.eid,
            "event": self.event,
            "mode": self.mode,
            "context": list(self.context),
            "quad": self.quad,
            "intensity": self.intensity,
            "confidence": self.confidence,
            "date": self.date,
            "day": self.day,
            "granularity": self.granularity,
            "certainty": self.certainty,
            "negated": self.negated,
            "trigger": self.trigger,
            "sentence": self.sentence,
            "actor": [_ref(a) for a in self.actors],
            "recipient": [_ref(a) for a in self.recipients],
            "places": [_ref(p) for p in self.places],
            "title": self.title,
            "outlet": self.outlet,
            "source": self.source,
            "url": self.url,
            "cluster": self.cluster,
        }


@dataclass(frozen=True, slots=True)
class ClusterRow:
    """One real-world event as reported by several articles."""

    pk: int
    event: str
    day: str | None
    n_mentions: int
    n_articles: int
    sources: tuple[str, ...]
    actors: tuple[str, ...]  # actor keys
    countries: tuple[str, ...]
    places: tuple[str, ...]  # place keys

    def to_dict(self) -> dict[str, Any]:
        return {
            "cluster": self.pk,
            "event": self.event,
            "day": self.day,
            "n_mentions": self.n_mentions,
            "n_articles": self.n_articles,
            "sources": list(self.sources),
            "actors": list(self.actors),
            "countries": list(self.countries),
            "places": list(self.places),
        }


@dataclass(frozen=True, slots=True)
class ActorRow:
    key: str
    name: str
    kind: str | None
    country: str | None
    sector: str | None
    kb_id: str | None
    wikidata: str | None
    n_articles: int
    n_actor: int
    n_recipient: int

    def to_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__slots__}


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    period: str  # YYYY-MM
    n_actor: int
    n_recipient: int


@dataclass(frozen=True, slots=True)
class RelationRow:
    predicate: str
    direction: str  # "out": this actor is the subject; "in": the object
    other_key: str
    other_name: str
    n: int


@dataclass(frozen=True, slots=True)
class ActorProfile:
    actor: ActorRow
    aliases: list[tuple[str, int]] = field(default_factory=list)
    timeline: list[TimelinePoint] = field(default_factory=list)
    relations: list[RelationRow] = field(default_factory=list)
    counterparts: list[tuple[ActorRow, int]] = field(default_factory=list)
    # Events the monthly timeline does not count: undated, dated only coarser than a month,
    # background (dated long before their article), outside the news period.
    left_out: dict[str, int] = field(default_factory=dict)
    # A placeholder ("unidentified perpetrator") stands in for the unnamed actors of this many events;
    # None for a real actor. A placeholder has no names: its mentions are the events' trigger words.
    unattributed: int | None = None

    @property
    def unattributed_note(self) -> str | None:
        if self.unattributed is None:
            return None
        n = self.unattributed
        return (f"unattributed: stands in for the unnamed actor of {n} event{'s' if n != 1 else ''}; "
                "it has no names of its own")

    @property
    def notes(self) -> list[str]:
        words = {"undated": "undated {}", "coarse": "{} dated only to a quarter, a year or coarser",
                 "context": "{} dated long before their article (background)", "outside": "{} outside the news period"}
        return [f"{n} {words[k].format('event' if n == 1 else 'events')} not shown"
                for k, n in self.left_out.items() if n]

    def to_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor.to_dict(),
            "aliases": [{"alias": a, "n": n} for a, n in self.aliases],
            "unattributed": self.unattributed,
            "unattributed_note": self.unattributed_note,
            "timeline": [
                {"period": p.period, "n_actor": p.n_actor, "n_recipient": p.n_recipient} for p in self.timeline
            ],
            "timeline_left_out": dict(self.left_out),
            "relations": [
                {
                    "predicate": r.predicate,
                    "direction": r.direction,
                    "other": r.other_key,
                    "other_name": r.other_name,
                    "n": r.n,
                }
                for r in self.relations
            ],
            "counterparts": [{"actor": a.to_dict(), "n": n} for a, n in self.counterparts],
        }


@dataclass(frozen=True, slots=True)
class ArticleRow:
    pk: int
    id: str
    title: str | None
    source: str | None
    url: str | None
    outlet: str | None
    published: str | None
    n_events: int
    near_duplicate_of: str | None
    dragoman_version: str
    kb_version: str
    snippet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__slots__}


@dataclass(frozen=True, slots=True)
class PlaceRow:
    key: str
    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    feature: str | None
    n_articles: int
    n_events: int

    def to_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__slots__}


@dataclass(frozen=True, slots=True)
class FailureRow:
    source: str | None
    error_type: str
    reason: str
    failed_at: str


@dataclass(frozen=True, slots=True)
class AddOutcome:
    """What the writer did with one result: stored, present (same content hash) or near_duplicate."""

    status: str
    article_id: str
    near_duplicate_of: str | None = None
    similarity: float | None = None


def _ref(r: ActorRef | PlaceRef) -> dict[str, Any]:
    return {f: getattr(r, f) for f in r.__slots__}


def encode_cursor(values: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, *, offset: bool = False) -> dict[str, Any] | None:
    """The values of a cursor; ``StoreError`` for anything ``encode_cursor`` did not write.

    Key cursors hold ``p`` (and ``d``, a day or None); offset cursors (``offset=True``) hold ``o``."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)
    except (ValueError, json.JSONDecodeError) as exc:
        raise StoreError(f"invalid cursor {cursor!r}: pass back the next_cursor of a previous page") from exc
    wanted = {"o"} if offset else {"p"}
    if not isinstance(value, dict) or not _valid_cursor(value) or set(value) & {"o", "p"} != wanted:
        raise StoreError(f"invalid cursor {cursor!r}: pass back the next_cursor of a previous page")
    return value


def _valid_cursor(value: dict[str, Any]) -> bool:
    """Only what ``encode_cursor`` writes: a day (or None), a row key and an offset, well typed."""
    def count(v: Any) -> bool:
        return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 1 << 62

    if not set(value) <= {"d", "p", "o"}:
        return False
    if "p" in value and not count(value["p"]):
        return False
    if "o" in value and not count(value["o"]):
        return False
    d = value.get("d")
    return d is None or (isinstance(d, str) and len(d) <= 32)


def _check_date(value: str) -> str:
    parts = value.split("-")
    try:
        if len(parts) == 1:
            date(int(parts[0]), 1, 1)
        elif len(parts) == 2:
            date(int(parts[0]), int(parts[1]), 1)
        elif len(parts) == 3:
            date(int(parts[0]), int(parts[1]), int(parts[2]))
        else:
            raise ValueError(value)
    except ValueError as exc:
        raise StoreError(f"not a date: {value!r}; use YYYY, YYYY-MM or YYYY-MM-DD") from exc
    return value


def normalise_since(value: str | date | None) -> str | None:
    """The first day a since-bound covers: 2025-04 -> 2025-04-01."""
    if value is None:
        return None
    v = _check_date(value.isoformat() if isinstance(value, date) else value.strip())
    return {1: v + "-01-01", 2: v + "-01", 3: v}[len(v.split("-"))]


def normalise_until(value: str | date | None) -> str | None:
    """A string at or after the last day an until-bound covers: 2025-04 -> 2025-04-31 (compares right)."""
    if value is None:
        return None
    v = _check_date(value.isoformat() if isinstance(value, date) else value.strip())
    return {1: v + "-12-31", 2: v + "-31", 3: v}[len(v.split("-"))]


_PSEUDO_SOURCES = {"-", "api", "web", "input"}


def public_source(source: str | None) -> str | None:
    """A source as a server may show it: URLs and pseudo-sources as they are, a file path reduced to
    its file name (with its ``#id`` or ``:line`` suffix), so no server path leaves the machine."""
    if not source or source in _PSEUDO_SOURCES or "://" in source:
        return source
    name = source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return name or None


def headline_of(text: str, limit: int = 140) -> str | None:
    """An article's first line, as its title when the source gave none (cut at a word, with "…")."""
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            if len(line) <= limit:
                return line
            cut = line[:limit].rsplit(" ", 1)[0] or line[:limit]
            return cut.rstrip(" ,;:-") + "…"
    return None


# Stand-ins for perpetrators the text does not name ("a bomb exploded" -> "unidentified perpetrator").
# They are kept with their events but never rank as actors: lists, facets, networks and briefs show
# them as "unattributed", with a count.
_PLACEHOLDER_WORDS = ("unidentified", "unknown", "unnamed")


def is_placeholder_actor(key: str) -> bool:
    """Is this actor key a stand-in for an unnamed actor (kind ``unknown``, or named "unidentified …")?"""
    kind, _, rest = key.partition(":")
    if kind == "unknown":
        return True
    name = rest.rsplit(":", 1)[0]
    return any(name.startswith(w + " ") for w in _PLACEHOLDER_WORDS) and " " in rest


def placeholder_key_sql(column: str) -> tuple[str, list[str]]:
    """SQL (with its parameters) true when ``column``, an actor key, is a placeholder: the same test
    as ``is_placeholder_actor``. Patterns travel as parameters (no literal ``%`` in SQL text)."""
    likes = " OR ".join(f"{column} LIKE ?" for _ in ("unknown", *_PLACEHOLDER_WORDS))
    return f"({likes})", ["unknown:%", *(f"%:{w} %" for w in _PLACEHOLDER_WORDS)]
