"""Reading the store for analysis: events with their modality, de-duplicated incidents, periods, dyads.

The store's query API gives :class:`~dragoman.store.EventRow`; analysis also needs the tense,
conditional flag, attribution and sentence offsets of each report, which this module reads over the
store's own database handle (read-only queries, no change to the store's files).

An *incident* is one real-world event: the store's event cluster (reports of the same event type,
day, actors and places from several articles), or a single report when it has no cluster. Counting
incidents instead of reports keeps one event reported by ten outlets from weighing ten times.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean
from typing import Any

from ..store import EventFilter, Store
from ..store.query import ActorRef, PlaceRef, is_placeholder_actor

__all__ = [
    "CorpusEvent",
    "Incident",
    "dyads_of",
    "incidents",
    "load_events",
    "period_of",
    "period_range",
    "resolve_actor_keys",
]


@dataclass(frozen=True, slots=True)
class CorpusEvent:
    """One stored report of an event, with what analysis needs beyond the store's EventRow."""

    pk: int
    article_id: str
    eid: str
    event: str
    mode: str | None
    quad: int
    intensity: float
    confidence: float
    day: str | None
    certainty: str
    tense: str
    negated: bool
    conditional: bool
    attribution_type: str | None
    actors: tuple[ActorRef, ...]
    recipients: tuple[ActorRef, ...]
    places: tuple[PlaceRef, ...]
    cluster: int | None
    source: str  # outlet, else the source path or URL: what counts as an independent source
    title: str | None
    url: str | None
    sentence: str
    sentence_start: int | None
    sentence_end: int | None
    trigger: str | None

    @property
    def countries(self) -> set[str]:
        refs: list[ActorRef | PlaceRef] = [*self.actors, *self.recipients, *self.places]
        return {r.country for r in refs if r.country}

    def to_dict(self) -> dict[str, Any]:
        return {
            "pk": self.pk,
            "article_id": self.article_id,
            "id": self.eid,
            "event": self.event,
            "mode": self.mode,
            "quad": self.quad,
            "intensity": self.intensity,
            "day": self.day,
            "certainty": self.certainty,
            "tense": self.tense,
            "negated": self.negated,
            "conditional": self.conditional,
            "attribution": self.attribution_type,
            "actor": [a.name for a in self.actors],
            "recipient": [a.name for a in self.recipients],
            "places": [p.name for p in self.places],
            "cluster": self.cluster,
            "source": self.source,
            "title": self.title,
            "url": self.url,
            "sentence": self.sentence,
            "sentence_start": self.sentence_start,
            "sentence_end": self.sentence_end,
        }


@dataclass(frozen=True, slots=True)
class Incident:
    """One real-world event: the reports of one cluster (or a single unclustered report)."""

    key: str  # "c<cluster>" or "e<event pk>"
    event: str
    day: str | None
    reports: tuple[CorpusEvent, ...]

    @property
    def intensity(self) -> float:
        return fmean(r.intensity for r in self.reports)

    @property
    def quad(self) -> int:
        return self.reports[0].quad

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({r.source for r in self.reports}))

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.article_id for r in self.reports))

    @property
    def conditional(self) -> bool:
        return all(r.conditional for r in self.reports)

    @property
    def anonymous_only(self) -> bool:
        return all(r.attribution_type == "anonymous" for r in self.reports)

    def actor_names(self) -> tuple[list[str], list[str]]:
        acts = list(dict.fromkeys(a.name for r in self.reports for a in r.actors))
        recs = list(dict.fromkeys(a.name for r in self.reports for a in r.recipients))
        return acts, recs

    def summary(self) -> str:
        acts, recs = self.actor_names()
        mode = next((r.mode for r in self.reports if r.mode), None)
        what = self.event + (f"/{mode}" if mode else "")
        line = f"{', '.join(acts) or 'unidentified actors'} → {what}"
        if recs:
            line += f" → {', '.join(recs)}"
        places = list(dict.fromkeys(p.name for r in self.reports for p in r.places))
        if places:
            line += f" in {', '.join(places)}"
        return line + (f" ({self.day})" if self.day else "")

    def to_dict(self) -> dict[str, Any]:
        acts, recs = self.actor_names()
        return {
            "incident": self.key,
            "event": self.event,
            "day": self.day,
            "summary": self.summary(),
            "intensity": round(self.intensity, 3),
            "actor": acts,
            "recipient": recs,
            "n_reports": len(self.reports),
            "sources": list(self.sources),
            "articles": list(self.articles),
            "events": [r.pk for r in self.reports],
        }


def resolve_actor_keys(store: Store, actor: str) -> set[str]:
    """Actor keys for an exact key, or a case-insensitive substring of a name or alias."""
    db = store.db
    if db.query_one("SELECT key FROM actors WHERE key = ?", (actor,)):
        return {actor}
    pat = "%" + actor.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = db.query(
        "SELECT key FROM actors WHERE lower(name) LIKE ? ESCAPE '\\' UNION "
        "SELECT actor_key AS key FROM aliases WHERE lower(alias) LIKE ? ESCAPE '\\' AND n > 0",
        (pat, pat),
    )
    return {str(r["key"]) for r in rows}


def load_events(
    store: Store,
    f: EventFilter | None = None,
    *,
    dyad: tuple[str, str] | None = None,
    include_negated: bool = True,
    include_historical: bool = False,
) -> list[CorpusEvent]:
    """Dated reports matching ``f`` (and, with ``dyad``, involving both actors on either side).

    Historical background ("the 2003 invasion") is left out by default: it is dated in its own time
    and would stretch every time series back decades.
    """
    rows = [r for r in store.iter_events(f or EventFilter()) if r.day]
    if dyad is not None:
        a_keys, b_keys = resolve_actor_keys(store, dyad[0]), resolve_actor_keys(store, dyad[1])
        rows = [r for r in rows if _between(r.actors, r.recipients, a_keys, b_keys)]
    extra: dict[int, dict[str, Any]] = {}
    pks = [r.pk for r in rows]
    for i in range(0, len(pks), 500):
        chunk = pks[i : i + 500]
        for x in store.db.query(
            "SELECT pk, tense, conditional, attribution_type, sentence_start, sentence_end "
            f"FROM events WHERE pk IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            extra[int(x["pk"])] = x
    out = []
    for r in rows:
        x = extra.get(r.pk, {})
        tense = x.get("tense") or "past"
        if tense == "historical" and not include_historical:
            continue
        if r.negated and not include_negated:
            continue
        out.append(
            CorpusEvent(
                pk=r.pk, article_id=r.article_id, eid=r.eid, event=r.event, mode=r.mode,
                quad=int(r.quad or 0), intensity=float(r.intensity or 0.0),
                confidence=float(r.confidence or 0.0), day=r.day, certainty=r.certainty or "asserted",
                tense=tense, negated=r.negated, conditional=bool(x.get("conditional")),
                attribution_type=x.get("attribution_type"),
                # stand-ins for unnamed perpetrators never rank as actors (they count as unattributed)
                actors=tuple(a for a in r.actors if not is_placeholder_actor(a.key)),
                recipients=tuple(a for a in r.recipients if not is_placeholder_actor(a.key)),
                places=r.places, cluster=r.cluster, source=r.outlet or r.source or r.article_id,
                title=r.title, url=r.url, sentence=(r.sentence or "").strip(),
                sentence_start=x.get("sentence_start"), sentence_end=x.get("sentence_end"),
                trigger=r.trigger,
            )
        )
    out.sort(key=lambda e: (e.day or "", e.pk))
    return out


def _between(actors: Sequence[ActorRef], recipients: Sequence[ActorRef], a: set[str], b: set[str]) -> bool:
    keys = [{x.key for x in actors}, {x.key for x in recipients}]
    return bool((keys[0] & a and keys[1] & b) or (keys[0] & b and keys[1] & a) or (keys[0] & a and keys[0] & b))


def incidents(events: Iterable[CorpusEvent]) -> list[Incident]:
    """Group reports into incidents (one per cluster); ordered by day."""
    groups: dict[str, list[CorpusEvent]] = {}
    for e in events:
        groups.setdefault(f"c{e.cluster}" if e.cluster is not None else f"e{e.pk}", []).append(e)
    out = [
        Incident(k, rs[0].event, min((r.day for r in rs if r.day), default=None), tuple(rs))
        for k, rs in groups.items()
    ]
    out.sort(key=lambda i: (i.day or "", i.key))
    return out


def dyads_of(e: CorpusEvent, *, level: str = "actor") -> set[tuple[str, str]]:
    """Unordered pairs this report links: actor × recipient, or the sides of a fight with no recipient.

    ``level="country"`` pairs the actors' countries instead (pairs of one country are dropped).
    """
    def key(r: ActorRef) -> str | None:
        return r.key if level == "actor" else r.country

    acts = {k for a in e.actors if (k := key(a))}
    recs = {k for a in e.recipients if (k := key(a))}
    pairs = {tuple(sorted((a, b))) for a in acts for b in recs if a != b}
    if not recs and len(acts) > 1:
        pairs |= {tuple(sorted((a, b))) for a in acts for b in acts if a < b}
    return {(p[0], p[1]) for p in pairs}


def period_of(day: str, by: str) -> str:
    """``2025-W14`` for weeks (ISO), ``2025-04`` for months."""
    d = date.fromisoformat(day[:10])
    if by == "week":
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"
    if by == "month":
        return d.strftime("%Y-%m")
    raise ValueError(f"cannot group by {by!r}; use week or month")


def _period_start(period: str, by: str) -> date:
    if by == "week":
        return date.fromisocalendar(int(period[:4]), int(period[6:8]), 1)
    return date(int(period[:4]), int(period[5:7]), 1)


def period_range(first: str, last: str, by: str) -> list[str]:
    """Every period from the one holding ``first`` to the one holding ``last``, empty ones included."""
    p, end = period_of(first, by), period_of(last, by)
    out = [p]
    d = _period_start(p, by)
    while p < end:
        d = d + timedelta(days=7) if by == "week" else (d.replace(day=28) + timedelta(days=4)).replace(day=1)
        p = period_of(d.isoformat(), by)
        out.append(p)
    return out
