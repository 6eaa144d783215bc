"""Reading the store for analysis: events with their modality, de-duplicated incidents, periods, dyads.

The store's query API gives :class:`~dragoman.store.EventRow`; analysis also needs the tense,
conditional flag, attribution and sentence offsets of each report, which this module reads over the
store's own database handle (read-only queries, no change to the store's files).

An *incident* is one real-world event: the store's event cluster (reports of the same event type,
day, actors and places from several articles), or a single report when it has no cluster. Counting
incidents instead of reports keeps one event reported by ten outlets from weighing ten times.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from statistics import fmean
from typing import Any, ParamSpec, TypeVar

from ..store import EventFilter, Store
from ..store.query import ActorRef, PlaceRef, is_placeholder_actor, public_source
from ..timex import GRANULARITIES, coarse_enough, granularity, span_of

__all__ = [
    "CONTEXT_DAYS",
    "MAX_PERIODS",
    "Coverage",
    "CorpusEvent",
    "Gap",
    "PERIOD_LENGTHS",
    "Window",
    "choose_period",
    "first_day",
    "last_day",
    "window_of",
    "is_context",
    "news_window",
    "Incident",
    "dyads_of",
    "gc_paused",
    "with_gc_paused",
    "incidents",
    "incidents_within",
    "load_events",
    "Memo",
    "store_key",
    "period_of",
    "period_range",
    "resolve_actor_keys",
]


_P = ParamSpec("_P")
_R = TypeVar("_R")
_GC_LOCK = threading.Lock()
_GC_HOLDERS = [0, False]  # views computing now; whether the collector was on before the first


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold the cycle collector off while a period view is computed.

    A view over a large corpus builds tens of thousands of small records (incidents, cells, rows)
    that hold no reference cycles: reference counting frees them all, and the collector, which
    each burst of allocations sets off, only walks them and the cached events again and again
    (half the CPU time of a brief over 10,000 articles). Nested and concurrent views share one
    pause; the collector is back on (if it was on) when the last one ends.
    """
    with _GC_LOCK:
        if _GC_HOLDERS[0] == 0:
            _GC_HOLDERS[1] = gc.isenabled()
            gc.disable()
        _GC_HOLDERS[0] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_HOLDERS[0] -= 1
            if _GC_HOLDERS[0] == 0 and _GC_HOLDERS[1]:
                gc.enable()


def with_gc_paused(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """``fn`` run inside :func:`gc_paused`."""
    from functools import wraps

    @wraps(fn)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with gc_paused():
            return fn(*args, **kwargs)

    return run


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
    granularity: str | None = "day"  # of the event's date: day, week, month, quarter, year, decade, century
    published: str | None = None  # the article's publication day

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
    mean_intensity: float | None = None  # computed once by incidents(); read through ``intensity``

    @property
    def intensity(self) -> float:
        if self.mean_intensity is not None:
            return self.mean_intensity
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
    counts: dict[str, int] | None = None,
) -> list[CorpusEvent]:
    """Dated reports matching ``f`` (and, with ``dyad``, involving both actors on either side).

    Historical background ("the 2003 invasion") is left out by default: it is dated in its own time
    and would stretch every time series back decades. So is any event dated long before its article
    was published (``CONTEXT_DAYS``): "in 1914", "the 2003 invasion" are context, not news of the
    period. ``counts``, when given, receives how many matching events were ``undated`` and ``context``.
    """
    f = f or EventFilter()
    # Negated reports are loaded always and dropped here, so every view of a selection shares one read.
    key = (*store_key(store), f, dyad, include_historical)
    events, found = _LOADED.get(key, lambda: _load(store, f, dyad=dyad, include_negated=True,
                                                   include_historical=include_historical))
    if counts is not None:
        for k, v in found.items():
            counts[k] = counts.get(k, 0) + v
    return list(events) if include_negated else [e for e in events if not e.negated]


def store_key(store: Store) -> tuple[Any, ...]:
    """What a cache of values read from ``store`` is keyed by: the database, whether server paths are
    hidden, and its revision, which any committed write changes (a new article, new metadata)."""
    return (store.target, store.public, store.db.revision())


class Memo:
    """The last few values computed per key, shared by threads. One computation per key at a time:
    threads asking for a key being computed (by a request, or by the server's warm-up) wait for it
    instead of computing it again."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: dict[tuple[Any, ...], Any] = {}
        self._lock = threading.Lock()
        self._computing: dict[tuple[Any, ...], threading.Lock] = {}

    def get(self, key: tuple[Any, ...], compute: Callable[[], _R]) -> _R:
        with self._lock:
            if key in self._values:
                return self._values[key]
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if key in self._values:
                    return self._values[key]
            try:
                value = compute()
                with self._lock:
                    self._values[key] = value
                    while len(self._values) > self.size:
                        self._values.pop(next(iter(self._values)))
            finally:
                with self._lock:
                    if self._computing.get(key) is gate:
                        del self._computing[key]
            return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


# The period views of one corpus (brief, trends, alerts) read the same events: the last few loads
# are kept, keyed by the store's revision, so any committed change reloads.
_LOADED = Memo(4)


def undated_count(store: Store, f: EventFilter) -> int:
    """How many events of the selection have no date. A date range (``since``/``until``) cannot
    select them, and they may belong to it: they are counted as the selection without its range."""
    w = store.filter_where(replace(f, since=None, until=None) if f.since or f.until else f)
    if w is None:
        return 0
    cond, params = w
    return int(store.db.scalar(f"SELECT count(*) AS n FROM events e WHERE {cond} AND e.day IS NULL", params) or 0)


def _load(
    store: Store, f: EventFilter, *, dyad: tuple[str, str] | None, include_negated: bool, include_historical: bool,
) -> tuple[tuple[CorpusEvent, ...], dict[str, int]]:
    counts: dict[str, int] = {}
    w = store.filter_where(f)
    if w is None:
        return (), counts
    cond, params = w
    counts["undated"] = undated_count(store, f)
    # One pass per table over the selection (not per page of events): the views over a large corpus
    # read tens of thousands of reports, and building a full EventRow for each costs seconds.
    where = f"{cond} AND e.day IS NOT NULL"
    rows = store.db.tuples(
        "SELECT e.pk, e.eid, e.event, e.mode, e.quad, e.intensity, e.confidence, e.date, e.day, e.certainty, "
        "e.tense, e.negated, e.conditional, e.attribution_type, e.cluster_pk, e.sentence_start, e.sentence_end, "
        "e.trigger_text, a.id, a.title, a.outlet, a.source, a.url, a.published, "
        "substr(a.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) "
        f"FROM events e JOIN articles a ON a.pk = e.article_pk WHERE {where}",
        params,
    )
    refs: dict[tuple[Any, ...], ActorRef] = {}
    actors: dict[int, list[ActorRef]] = {}
    recipients: dict[int, list[ActorRef]] = {}
    for event_pk, role, *k in store.db.tuples(
        "SELECT ea.event_pk, ea.role, en.actor_key, en.name, en.country, en.sector, en.kind "
        "FROM event_args ea JOIN events e ON e.pk = ea.event_pk "
        f"JOIN entities en ON en.article_pk = e.article_pk AND en.eid = ea.eid WHERE {where}",
        params,
    ):
        if _placeholder(k[0]):
            continue  # stand-ins for unnamed perpetrators never rank as actors (they count as unattributed)
        key = tuple(k)
        ref = refs.get(key) or refs.setdefault(key, ActorRef(*k))
        (actors if role == "actor" else recipients).setdefault(event_pk, []).append(ref)
    place_refs: dict[tuple[Any, ...], PlaceRef] = {}
    places: dict[int, list[PlaceRef]] = {}
    for event_pk, *k in store.db.tuples(
        "SELECT ep.event_pk, p.place_key, p.name, p.country, p.lat, p.lon "
        "FROM event_places ep JOIN events e ON e.pk = ep.event_pk "
        f"JOIN places p ON p.article_pk = e.article_pk AND p.pid = ep.pid WHERE {where}",
        params,
    ):
        key = tuple(k)
        places.setdefault(event_pk, []).append(place_refs.get(key) or place_refs.setdefault(key, PlaceRef(*k)))
    if dyad is not None:
        a_keys, b_keys = resolve_actor_keys(store, dyad[0]), resolve_actor_keys(store, dyad[1])
        rows = [r for r in rows if _between(actors.get(r[0], ()), recipients.get(r[0], ()), a_keys, b_keys)]
    out = []
    context = 0
    sources: dict[tuple[str | None, str | None, str], str] = {}
    for (pk, eid, event, mode, quad, intensity, confidence, value, day, certainty, tense, negated, conditional,
         attribution, cluster, s_start, s_end, trigger, article_id, title, outlet, source, url, published,
         sentence) in rows:
        tense = tense or "past"
        if not include_historical and (tense == "historical" or _is_context(value, published)):
            context += 1
            continue
        if negated and not include_negated:
            continue
        skey = (outlet, source, article_id)
        if skey not in sources:
            # who reported it, as every view and command shows it: the outlet, else the input's file name
            # or URL; never the path the input was read from on this machine (CLI output included)
            sources[skey] = outlet or public_source(source) or article_id
        out.append(
            CorpusEvent(
                pk, article_id, eid, event, mode, int(quad or 0), float(intensity or 0.0),
                float(confidence or 0.0), day, certainty or "asserted", tense, bool(negated), bool(conditional),
                attribution, tuple(actors.get(pk, ())), tuple(recipients.get(pk, ())), tuple(places.get(pk, ())),
                cluster, sources[skey], title, url, (sentence or "").strip(), s_start, s_end, trigger,
                # an event with no date of its own is dated by its article: the publication day stands in
                _granularity(value) if value else "day",
                published,
            )
        )
    counts["context"] = context
    out.sort(key=lambda e: (e.day or "", e.pk))
    return tuple(out), counts


@lru_cache(maxsize=65536)
def _placeholder(key: str) -> bool:
    return is_placeholder_actor(key)


@lru_cache(maxsize=65536)
def _granularity(value: str | None) -> str | None:
    return granularity(value)


@lru_cache(maxsize=65536)
def _is_context(value: str | None, published: str | None) -> bool:
    return is_context(value, published)


def _between(actors: Sequence[ActorRef], recipients: Sequence[ActorRef], a: set[str], b: set[str]) -> bool:
    keys = [{x.key for x in actors}, {x.key for x in recipients}]
    return bool((keys[0] & a and keys[1] & b) or (keys[0] & b and keys[1] & a) or (keys[0] & a and keys[0] & b))


def incidents(events: Iterable[CorpusEvent]) -> list[Incident]:
    """Group reports into incidents (one per cluster); ordered by day."""
    # Integer keys while grouping (clusters as they are, lone reports as negative pks): a view of a
    # large corpus groups tens of thousands of reports, and most incidents are a single report.
    groups: dict[int, list[CorpusEvent]] = {}
    for e in events:
        k = e.cluster if e.cluster is not None else -1 - e.pk
        g = groups.get(k)
        if g is None:
            groups[k] = [e]
        else:
            g.append(e)
    out = []
    for k, rs in groups.items():
        key = f"c{k}" if k >= 0 else f"e{-1 - k}"
        if len(rs) == 1:
            r = rs[0]
            out.append(Incident(key, r.event, r.day or None, (r,), r.intensity))
            continue
        out.append(Incident(key, rs[0].event, min((r.day for r in rs if r.day), default=None), tuple(rs),
                            sum(r.intensity for r in rs) / len(rs)))
    out.sort(key=_incident_order)
    return out


def _incident_order(i: Incident) -> tuple[str, str]:
    return (i.day or "", i.key)


def incidents_within(incs: Sequence[Incident], events: Iterable[CorpusEvent]) -> list[Incident]:
    """``incidents(events)`` for a subset of the reports ``incs`` were built from, without grouping
    them again: each incident keeps the reports among ``events`` (as itself when it keeps all)."""
    keep = {e.pk for e in events}
    out: list[Incident] = []
    changed = False
    for inc in incs:
        rs = [r for r in inc.reports if r.pk in keep]
        if len(rs) == len(inc.reports):
            out.append(inc)
        elif rs:
            changed = True
            out.append(Incident(inc.key, rs[0].event, min((r.day for r in rs if r.day), default=None), tuple(rs),
                                sum(r.intensity for r in rs) / len(rs)))
    if changed:  # an incident that lost its first reports may now start later
        out.sort(key=_incident_order)
    return out


def dyads_of(e: CorpusEvent, *, level: str = "actor") -> set[tuple[str, str]]:
    """Unordered pairs this report links: actor × recipient, or the sides of a fight with no recipient.

    ``level="country"`` pairs the actors' countries instead (pairs of one country are dropped).
    """
    if level == "actor":
        acts = {a.key for a in e.actors if a.key}
        recs = {a.key for a in e.recipients if a.key}
    else:
        acts = {a.country for a in e.actors if a.country}
        recs = {a.country for a in e.recipients if a.country}
    pairs: set[tuple[str, str]] = set()
    for a in acts:
        for b in recs:
            if a != b:
                pairs.add((a, b) if a < b else (b, a))
    if not recs and len(acts) > 1:
        pairs.update((a, b) for a in acts for b in acts if a < b)
    return pairs


@lru_cache(maxsize=200_000)
def period_of(day: str, by: str) -> str:
    """``2025-W14`` for weeks (ISO), ``2025-04`` for months, ``2025-Q2`` for quarters, ``2025`` for years."""
    d = date.fromisoformat(day[:10])
    if by == "week":
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"
    if by == "month":
        return d.strftime("%Y-%m")
    if by == "quarter":
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
    if by == "year":
        return f"{d.year:04d}"
    raise ValueError(f"cannot group by {by!r}; use week, month, quarter or year")


def _ordinal(period: str, by: str) -> int:
    """The period's place on a line of periods of its length: consecutive periods differ by one."""
    if by == "week":
        return date.fromisocalendar(int(period[:4]), int(period[6:8]), 1).toordinal() // 7
    if by == "month":
        return int(period[:4]) * 12 + int(period[5:7]) - 1
    if by == "quarter":
        return int(period[:4]) * 4 + int(period[6]) - 1
    return int(period[:4])


def _of_ordinal(n: int, by: str) -> str:
    if by == "week":
        return period_of(date.fromordinal(n * 7 + 1).isoformat(), by)  # ordinal 7k + 1 is a Monday
    if by == "month":
        return f"{n // 12:04d}-{n % 12 + 1:02d}"
    if by == "quarter":
        return f"{n // 4:04d}-Q{n % 4 + 1}"
    return f"{n:04d}"


def period_range(first: str, last: str, by: str) -> list[str]:
    """Every period from the one holding ``first`` to the one holding ``last``, empty ones included."""
    lo, hi = _ordinal(period_of(first, by), by), _ordinal(period_of(last, by), by)
    return [_of_ordinal(n, by) for n in range(lo, hi + 1)]


# An event dated more than this before its article's publication is background, not news.
CONTEXT_DAYS = 365
# Longest series a view draws: three years of weeks, ten of months, thirty of quarters, a century of
# years. Runs of empty periods are collapsed before a series is measured against it (see ``Gap``).
MAX_PERIODS = {"week": 157, "month": 120, "quarter": 120, "year": 100}
# The period lengths an automatic choice tries, finest first.
PERIOD_LENGTHS = ("week", "month", "quarter", "year")


def is_context(value: str | None, published: str | None) -> bool:
    """Does a date end long (``CONTEXT_DAYS``) before the publication day? ("in 1914", "in 2003")"""
    if not value or not published:
        return False
    span = span_of(value)
    try:
        pub = date.fromisoformat(published[:10])
    except ValueError:
        return False
    return span is not None and span[1] < pub - timedelta(days=CONTEXT_DAYS)


@dataclass(frozen=True, slots=True)
class Gap:
    """A run of periods with no event, collapsed into one mark that stands before ``periods[at]``.

    A series longer than ``MAX_PERIODS`` keeps every period with an event (and the first and last
    period of the news period) and collapses each run of empty periods between them, so a sparse
    corpus spread over years is covered end to end. A gap is zero activity, not missing data: the
    trend's change after it is measured against zero, and an escalation baseline reads it as that
    many quiet periods (see :mod:`.escalation`).
    """

    first: str
    last: str
    periods: int  # how many empty periods it holds
    at: int  # index of the shown period that follows it

    @property
    def label(self) -> str:
        return f"{self.first} … {self.last}: no events" if self.periods > 1 else f"{self.first}: no events"

    def to_dict(self) -> dict[str, Any]:
        return {"first": self.first, "last": self.last, "periods": self.periods, "at": self.at, "label": self.label}


@dataclass(frozen=True, slots=True)
class Coverage:
    """What a period view shows and what it leaves out, and why: every view states it."""

    first: str | None  # first and last period shown
    last: str | None
    undated: int = 0  # events with no date at all
    context: int = 0  # dated long before their article: background, not news of the period
    coarse: int = 0  # dated more coarsely than the period (a year in a weekly view)
    outside: int = 0  # dated outside the periods shown
    periods: int = 0
    # Periods of the news period left off the start because a series keeps its latest MAX_PERIODS
    # (after collapsing empty runs, and only when the user chose the period length): how many, the
    # first and last of them, and the period length ("week", "month", …).
    cut: int = 0
    cut_first: str | None = None
    cut_last: str | None = None
    by: str | None = None
    gaps: tuple[Gap, ...] = ()  # runs of empty periods collapsed between the periods shown
    # Why the period length was chosen for the user (they gave none): the finer one had more
    # periods with events than a series shows. None when it was asked for or fitted.
    chosen: str | None = None

    def notes(self) -> list[str]:
        out = [f"{self.undated} undated event{'s' if self.undated != 1 else ''} not shown"]
        if self.chosen:
            out.append(self.chosen)
        if self.gaps:
            unit = self.by or "period"
            empty = sum(g.periods for g in self.gaps)
            longest = sorted(self.gaps, key=lambda g: (-g.periods, g.at))[:3]
            out.append(f"{empty} {unit}s with no event collapsed into {len(self.gaps)} gap"
                       f"{'s' if len(self.gaps) != 1 else ''} (longest: "
                       + "; ".join(g.label for g in sorted(longest, key=lambda g: g.at)) + ")")
        if self.coarse:
            out.append(f"{self.coarse} dated only to a coarser period (month, year, …) not shown")
        if self.context:
            out.append(f"{self.context} dated long before their article (background) not shown")
        if self.outside:
            out.append(f"{self.outside} outside the periods shown not counted")
        if self.cut:
            unit = self.by or "period"
            coarser = {"week": "group by month or ", "month": "group by quarter or ",
                       "quarter": "group by year or "}.get(self.by or "", "")
            out.append(f"the first {self.cut} {unit}s of the news period ({self.cut_first} to {self.cut_last}) "
                       f"not drawn: a series shows its latest {self.periods}; {coarser}choose a shorter period "
                       "to see them")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"first": self.first, "last": self.last, "periods": self.periods, "by": self.by,
                "chosen": self.chosen, "undated": self.undated,
                "context": self.context, "coarse": self.coarse, "outside": self.outside,
                "cut": {"periods": self.cut, "first": self.cut_first, "last": self.cut_last} if self.cut else None,
                "gaps": [g.to_dict() for g in self.gaps],
                "notes": self.notes()}


@dataclass(frozen=True, slots=True)
class Window:
    """The periods of a series over the news period: those shown, the gaps between them, what was cut."""

    periods: list[str]
    gaps: tuple[Gap, ...]
    cut: int = 0
    cut_first: str | None = None
    cut_last: str | None = None


def window_of(first: str, last: str, busy: set[str], by: str, *, cap: int | None = None) -> Window:
    """The periods from ``first`` to ``last`` (periods of length ``by``) a series shows.

    All of them when they fit the cap (``MAX_PERIODS``); else every period in ``busy`` (those with
    events) and the first and last, each run of empty periods between them collapsed into a
    :class:`Gap`; when even that is too long, the latest ``cap`` of those, the earlier ones cut.
    """
    cap = cap or MAX_PERIODS.get(by, 157)
    lo, hi = _ordinal(first, by), _ordinal(last, by)
    if hi - lo + 1 <= cap:
        return Window([_of_ordinal(n, by) for n in range(lo, hi + 1)], ())
    marks = sorted({lo, hi} | {n for n in (_ordinal(p, by) for p in busy) if lo <= n <= hi})
    kept = marks[-cap:]
    cut = kept[0] - lo
    periods: list[str] = []
    gaps: list[Gap] = []
    prev = None
    for n in kept:
        if prev is not None and n - prev > 1:
            gaps.append(Gap(_of_ordinal(prev + 1, by), _of_ordinal(n - 1, by), n - prev - 1, len(periods)))
        periods.append(_of_ordinal(n, by))
        prev = n
    return Window(periods, tuple(gaps), cut, _of_ordinal(lo, by) if cut else None,
                  _of_ordinal(kept[0] - 1, by) if cut else None)


def choose_period(first: str, last: str, busy: Callable[[str], set[str]], by: str | None,
                  *, lengths: Sequence[str] = PERIOD_LENGTHS) -> tuple[str, Window, str | None]:
    """The period length, the window and why it was chosen. ``by`` given: that length. Else the
    finest of ``lengths`` whose periods with events (``busy(length)``) fit its cap, else the coarsest.
    ``first`` and ``last`` are days."""
    for unit in ([by] if by else lengths):
        w = window_of(period_of(first, unit), period_of(last, unit), busy(unit), unit)
        if by or not w.cut or unit == lengths[-1]:
            break
    if by or unit == lengths[0]:
        return unit, w, None
    finer = lengths[lengths.index(unit) - 1]
    n = len(busy(finer))
    return unit, w, (f"grouped by {unit}: the news period has {n} {finer}s with events, more than the "
                     f"{MAX_PERIODS[finer]} a series shows")


def news_window(
    events: list[CorpusEvent], by: str | None, *, since: str | None = None, until: str | None = None,
    undated: int = 0, context: int = 0,
) -> tuple[list[str], list[CorpusEvent], Coverage]:
    """The periods a view shows and the events counted in them.

    The periods run over the news period: a user's ``since``/``until`` win, else the span of the
    events' publication days (else of their own days). Only events dated at least as finely as the
    period count (a year-only date never lands in a week). A series longer than ``MAX_PERIODS``
    collapses its runs of empty periods into gaps (:func:`window_of`), so it still covers the whole
    news period; with ``by`` None the period length is the finest (week, month, quarter, year) whose
    periods with events fit, and the coverage says why. Only a user's ``by`` whose periods with
    events exceed the cap keeps its latest periods and says which it cut. What is left out is counted
    in the returned :class:`Coverage` (whose ``by`` is the period length used).
    """
    pubs = sorted(e.published[:10] for e in events if e.published)
    dated = sorted(e.day for e in events if e.day)
    start = since or (pubs[0] if pubs else dated[0] if dated else None)
    end = until or (pubs[-1] if pubs else dated[-1] if dated else None)
    if start is None or end is None or start > end:
        unit = by or PERIOD_LENGTHS[0]
        fine = [e for e in events if e.day and e.granularity in _fitting(unit)]
        return [], [], Coverage(None, None, undated, context, len(dated) - len(fine), len(fine), 0, by=unit)
    first, last = first_day(start), last_day(end)
    busy_of: dict[str, set[str]] = {}

    def busy(unit: str) -> set[str]:
        if unit not in busy_of:
            fitting = _fitting(unit)
            busy_of[unit] = {period_of(e.day, unit) for e in events
                             if e.day and e.granularity in fitting and first <= e.day[:10] <= last}
        return busy_of[unit]

    unit, w, chosen = choose_period(first, last, busy, by)
    fitting = _fitting(unit)
    fine = [e for e in events if e.day and e.granularity in fitting]
    keep = set(w.periods)
    shown = [e for e in fine if e.day and period_of(e.day, unit) in keep]
    cov = Coverage(w.periods[0], w.periods[-1], undated, context, len(dated) - len(fine), len(fine) - len(shown),
                   len(w.periods), w.cut, w.cut_first, w.cut_last, unit, w.gaps, chosen)
    return w.periods, shown, cov


@lru_cache(maxsize=8)
def _fitting(by: str) -> frozenset[str]:
    """The date granularities a period of length ``by`` may count."""
    return frozenset(g for g in GRANULARITIES if coarse_enough(g, by))


def first_day(value: str) -> str:
    """The first day a date value (``2025``, ``2025-04``, ``2025-04-08``, …) covers, as ISO."""
    span = span_of(value) if value else None
    return span[0].isoformat() if span else value[:10]


def last_day(value: str) -> str:
    """The last day a date value covers, as ISO."""
    span = span_of(value) if value else None
    return span[1].isoformat() if span else value[:10]
