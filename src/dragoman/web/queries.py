"""Read-only aggregate queries the dashboard needs beyond the store's API (timeline, map, network, facets).

They reuse the store's event filter (``Store.filter_where``) so that every page and the events API
select exactly the same events, and they only ever pass values as SQL parameters.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..analysis.data import Coverage, choose_period, first_day, last_day, period_of, undated_count, with_gc_paused
from ..store import Store
from ..store.query import EventFilter, placeholder_key_sql
from ..timex import coarse_enough

__all__ = [
    "Facet",
    "MapPoint",
    "Network",
    "NetworkEdge",
    "NetworkNode",
    "TimelineData",
    "QuoteRow",
    "actor_facet",
    "unattributed_count",
    "actor_quotes",
    "country_facet",
    "map_points",
    "network",
    "timeline",
]

_MAX_KEYS_IN = 500


@dataclass(frozen=True, slots=True)
class Facet:
    value: str
    label: str
    n: int


def _where(store: Store, f: EventFilter) -> tuple[str, list[Any]] | None:
    """A WHERE clause over ``events e`` for the filter, or None when nothing can match."""
    return store.filter_where(f)


def actor_facet(store: Store, f: EventFilter, *, limit: int = 12) -> list[Facet]:
    """The actors (as actor or recipient) most often in the selected events."""
    w = _where(store, f)
    if w is None:
        return []
    cond, params = w
    ph_sql, ph_params = placeholder_key_sql("ea.actor_key")
    rows = store.db.query(
        "SELECT ea.actor_key AS k, max(ac.name) AS name, count(DISTINCT e.pk) AS n "
        "FROM events e JOIN event_args ea ON ea.event_pk = e.pk LEFT JOIN actors ac ON ac.key = ea.actor_key "
        f"WHERE {cond} AND NOT {ph_sql} "
        "GROUP BY ea.actor_key ORDER BY count(DISTINCT e.pk) DESC, ea.actor_key LIMIT ?",
        [*params, *ph_params, limit],
    )
    return [Facet(r["k"], r["name"] or r["k"], int(r["n"])) for r in rows]


def unattributed_count(store: Store, f: EventFilter) -> int:
    """Selected events whose actor the text leaves unnamed ("unidentified perpetrator", "unknown gunmen")."""
    w = _where(store, f)
    if w is None:
        return 0
    cond, params = w
    ph_sql, ph_params = placeholder_key_sql("ea.actor_key")
    return int(store.db.scalar(
        "SELECT count(DISTINCT e.pk) AS n FROM events e JOIN event_args ea ON ea.event_pk = e.pk "
        f"AND ea.role = 'actor' WHERE {cond} AND {ph_sql}",
        [*params, *ph_params],
    ) or 0)


def country_facet(store: Store, f: EventFilter, *, limit: int = 12) -> list[Facet]:
    """Countries (of actors, recipients or places) most often in the selected events."""
    w = _where(store, f)
    if w is None:
        return []
    cond, params = w
    rows = store.db.query(
        "SELECT substr(k.key, 3) AS c, count(*) AS n FROM events e "
        "JOIN event_keys k ON k.event_pk = e.pk AND k.key >= 'c:' AND k.key < 'c;' "
        f"WHERE {cond} GROUP BY k.key ORDER BY count(*) DESC, k.key LIMIT ?",
        [*params, limit],
    )
    return [Facet(r["c"], r["c"], int(r["n"])) for r in rows]


@dataclass(frozen=True, slots=True)
class TimelineData:
    periods: list[str]  # YYYY-MM (or YYYY-Qn, YYYY): the periods of the news period shown
    groups: list[str]  # event types or quad classes, in a stable order
    counts: dict[str, dict[str, int]]  # period -> group -> events
    intensity: dict[str, float]  # period -> mean conflict-cooperation score
    coverage: Coverage = field(default_factory=lambda: Coverage(None, None))

    def to_dict(self, group: str, selection: dict[str, Any] | None = None) -> dict[str, Any]:
        """The timeline as /api/timeline answers it: one entry per period shown (``series``, aligned
        with ``periods``: its events, their mean intensity, its events per group), the collapsed gaps
        and everything left out in ``coverage``, as on the page."""
        return {
            "group": group,
            "by": self.coverage.by,
            "selection": selection or {},
            "periods": self.periods,
            "groups": self.groups,
            "series": [{"period": p, "n": sum(self.counts.get(p, {}).values()),
                        "mean_intensity": _round(self.intensity.get(p)),
                        "counts": {g: n for g, n in sorted(self.counts.get(p, {}).items())}}
                       for p in self.periods],
            "coverage": self.coverage.to_dict(),
        }

    def rows(self) -> list[dict[str, Any]]:
        """Rows for CSV: one per period shown and group (zeros included), with the period's mean
        intensity, and one per collapsed gap of empty periods where the page draws it (``row`` gap)."""
        from ..analysis.trends import gap_row

        gaps = {g.at: g for g in self.coverage.gaps}
        out: list[dict[str, Any]] = []
        for i, p in enumerate(self.periods):
            if i in gaps:
                out.append(gap_row(gaps[i], n=0))
            mean = _round(self.intensity.get(p))
            out += [{"row": "period", "period": p, "last": p, "periods": 1, "group": g,
                     "n": self.counts.get(p, {}).get(g, 0), "mean_intensity": mean} for g in self.groups]
        return out


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 3)


# The period lengths of the timeline, finest first: months, else coarser when the news period has
# more months with events than a series shows.
_TIMELINE_LENGTHS = ("month", "quarter", "year")


@with_gc_paused
def timeline(store: Store, f: EventFilter, *, by: str = "type") -> TimelineData:
    """Events per month grouped by PLOVER type or quad class, with the mean intensity per month.

    Periods run over the news period (the selection's publication days; a user's range wins). A
    series longer than ``MAX_PERIODS`` collapses its runs of empty months into gaps; when even its
    months with events are too many, it counts quarters (else years) and says so. Events dated only
    more coarsely than the period (a year in a month), undated, or outside are counted in the
    coverage, not drawn."""
    group = "e.event" if by == "type" else "e.quad"
    w = _where(store, f)
    if w is None:
        return TimelineData([], [], {}, {})
    cond, params = w
    span = store.db.query_one(
        "SELECT min(a.published) AS lo, max(a.published) AS hi, count(*) AS n "
        f"FROM events e JOIN articles a ON a.pk = e.article_pk WHERE {cond}",
        params,
    ) or {}
    # Per month, group and date granularity: a quarter or a year counts in coarser periods only.
    rows = [
        (str(r["m"]), str(r["g"]), r["gr"], int(r["n"]), r["i"])
        for r in store.db.query(
            f"SELECT substr(e.day, 1, 7) AS m, {group} AS g, e.granularity AS gr, count(*) AS n, "
            f"avg(e.intensity) AS i FROM events e WHERE {cond} AND e.day IS NOT NULL "
            f"GROUP BY substr(e.day, 1, 7), {group}, e.granularity",
            params,
        )
        if r["m"] and len(str(r["m"])) == 7
    ]
    undated = undated_count(store, f)
    months = sorted(m for m, *_ in rows)
    lo = first_day(f.since or (span.get("lo") or "")[:10] or (months[0] if months else ""))
    hi = last_day(f.until or (span.get("hi") or "")[:10] or (months[-1] if months else ""))
    if not lo or not hi or lo > hi:
        coarse = sum(n for m, _, gr, n, _ in rows if not coarse_enough(gr, "month"))
        return TimelineData([], [], {}, {}, Coverage(None, None, undated, 0, coarse,
                                                     sum(n for *_, n, _ in rows) - coarse, 0, by="month"))

    def fits(unit: str) -> list[tuple[str, str, int, Any]]:
        """(period, group, events, mean intensity) of the rows a period of this length counts."""
        return [(_period(m, unit), g, n, i) for m, g, gr, n, i in rows if coarse_enough(gr, unit)]

    def busy(unit: str) -> set[str]:
        first, last = _period(lo[:7], unit), _period(hi[:7], unit)
        return {p for p, *_ in fits(unit) if first <= p <= last}

    unit, window, chosen = choose_period(lo[:10], hi[:10], busy, None, lengths=_TIMELINE_LENGTHS)
    keep = set(window.periods)
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    weighted: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    groups: set[str] = set()
    outside = 0
    fitting = fits(unit)
    for period, g, n, i in fitting:
        if period not in keep:
            outside += n
            continue
        groups.add(g)
        counts[period][g] = counts[period].get(g, 0) + n
        if i is not None:
            weighted[period][0] += float(i) * n
            weighted[period][1] += n
    intensity = {m: s / n for m, (s, n) in weighted.items() if n}
    coarse = sum(n for *_, n, _ in rows) - sum(n for _, _, n, _ in fitting)
    periods = window.periods
    coverage = Coverage(periods[0], periods[-1], undated, 0, coarse, outside, len(periods), window.cut,
                        window.cut_first, window.cut_last, unit, window.gaps, chosen)
    return TimelineData(periods, sorted(groups), dict(counts), intensity, coverage)


def _period(month: str, unit: str) -> str:
    """The period of length ``unit`` holding a month (``2025-04``)."""
    if unit == "month":
        return month
    return period_of(month + "-01", unit)


@dataclass(frozen=True, slots=True)
class MapPoint:
    key: str
    name: str
    country: str | None
    lat: float
    lon: float
    n: int


def map_points(store: Store, f: EventFilter, *, limit: int = 2000) -> list[MapPoint]:
    """Places of the selected events with coordinates, with how many events happened at each."""
    w = _where(store, f)
    if w is None:
        return []
    cond, params = w
    rows = store.db.query(
        "SELECT ep.place_key AS k, max(pc.name) AS name, max(pc.country) AS country, max(pc.lat) AS lat, "
        "max(pc.lon) AS lon, count(DISTINCT e.pk) AS n FROM events e "
        "JOIN event_places ep ON ep.event_pk = e.pk JOIN place_catalog pc ON pc.key = ep.place_key "
        f"WHERE {cond} AND pc.lat IS NOT NULL AND pc.lon IS NOT NULL "
        "GROUP BY ep.place_key ORDER BY count(DISTINCT e.pk) DESC LIMIT ?",
        [*params, limit],
    )
    return [
        MapPoint(r["k"], r["name"] or r["k"], r["country"], float(r["lat"]), float(r["lon"]), int(r["n"]))
        for r in rows
    ]


@dataclass(slots=True)
class NetworkNode:
    key: str
    name: str
    country: str | None
    n: int
    x: float = 0.0
    y: float = 0.0
    r: float = 6.0
    label: str = ""


@dataclass(frozen=True, slots=True)
class NetworkEdge:
    source: str
    target: str
    kind: str  # "event" or a relation predicate
    quad: int | None
    n: int


@dataclass(slots=True)
class Network:
    nodes: list[NetworkNode] = field(default_factory=list)
    edges: list[NetworkEdge] = field(default_factory=list)


# Kinds of entities that do not act: places, stand-ins and things named like organisations.
NOT_ACTOR_KINDS = frozenset({"unknown", "place", "event", "law", "work", "product"})


def network(store: Store, f: EventFilter, *, max_nodes: int = 40) -> Network:
    """Actors linked by the selected events (actor -> recipient, per quad class) and by relations."""
    w = _where(store, f)
    if w is None:
        return Network()
    cond, params = w
    # Only actors linked by events: placeholders ("unidentified perpetrator") and names that are not
    # actors (an entity of another kind) are left out, and so are actors with no link to draw.
    not_actors = ", ".join(f"'{k}'" for k in sorted(NOT_ACTOR_KINDS))
    (a_sql, a_params), (r_sql, r_params) = placeholder_key_sql("a.actor_key"), placeholder_key_sql("r.actor_key")
    pairs = store.db.query(
        "SELECT a.actor_key AS s, r.actor_key AS t, e.quad AS q, count(DISTINCT e.pk) AS n FROM events e "
        "JOIN event_args a ON a.event_pk = e.pk AND a.role = 'actor' "
        "JOIN event_args r ON r.event_pk = e.pk AND r.role = 'recipient' "
        "JOIN actors aa ON aa.key = a.actor_key JOIN actors ra ON ra.key = r.actor_key "
        f"WHERE {cond} AND a.actor_key <> r.actor_key "
        f"AND NOT {a_sql} AND NOT {r_sql} "
        f"AND coalesce(aa.kind, '') NOT IN ({not_actors}) AND coalesce(ra.kind, '') NOT IN ({not_actors}) "
        "GROUP BY a.actor_key, r.actor_key, e.quad",
        [*params, *a_params, *r_params],
    )
    weight: dict[str, int] = defaultdict(int)
    for p in pairs:
        weight[p["s"]] += int(p["n"])
        weight[p["t"]] += int(p["n"])
    keep = sorted(weight, key=lambda k: (-weight[k], k))[:max_nodes]
    if not keep:
        return Network()
    keys = set(keep)
    marks = ",".join("?" * len(keep))
    names = {
        r["key"]: r
        for r in store.db.query(f"SELECT key, name, country FROM actors WHERE key IN ({marks})", keep)
    }
    nodes = [
        NetworkNode(k, (names[k]["name"] if k in names else k), names[k]["country"] if k in names else None,
                    weight[k])
        for k in keep
    ]
    edges = [
        NetworkEdge(p["s"], p["t"], "event", None if p["q"] is None else int(p["q"]), int(p["n"]))
        for p in pairs
        if p["s"] in keys and p["t"] in keys
    ]
    for r in store.db.query(
        "SELECT subject_key AS s, object_key AS t, predicate AS p, count(*) AS n FROM relations "
        f"WHERE subject_key IN ({marks}) AND object_key IN ({marks}) AND subject_key <> object_key "
        "GROUP BY subject_key, object_key, predicate",
        [*keep, *keep],
    ):
        edges.append(NetworkEdge(r["s"], r["t"], str(r["p"]), None, int(r["n"])))
    # An actor kept for its weight whose every partner fell outside the kept ones has nothing drawn
    # to link it: it is left out rather than shown alone.
    linked = {e.source for e in edges} | {e.target for e in edges}
    nodes = [nd for nd in nodes if nd.key in linked]
    _layout(nodes, edges)
    peak = max((nd.n for nd in nodes), default=1) or 1
    for nd in nodes:
        nd.r = round(5 + 11 * math.sqrt(nd.n / peak), 1)
        nd.label = nd.name if len(nd.name) <= LABEL_CHARS else nd.name[: LABEL_CHARS - 1].rstrip() + "…"
    separate_labels(nodes)
    return Network(nodes, edges)


LABEL_CHARS = 28
CHAR_W, LABEL_H = 7.0, 15.0  # generous for 12 px sans-serif, so estimated boxes hold the drawn ones


def label_box(nd: NetworkNode) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a node's label drawn above its circle, and the circle itself."""
    half = max(len(nd.label) * CHAR_W / 2, nd.r)
    return (nd.x - half, nd.y - nd.r - 4 - LABEL_H, nd.x + half, nd.y + nd.r)


def separate_labels(nodes: list[NetworkNode], *, width: float = 1000.0, height: float = 700.0) -> None:
    """Move nodes apart until no two labels (with their circles) overlap: each overlapping pair is
    pushed apart along the axis where the overlap is smaller. Deterministic; stops when clear."""
    margin = 8.0
    for _ in range(400):
        moved = False
        for i, a in enumerate(nodes):
            for b in nodes[i + 1:]:
                la, ta, ra, ba = label_box(a)
                lb, tb, rb, bb = label_box(b)
                ox, oy = min(ra, rb) - max(la, lb), min(ba, bb) - max(ta, tb)
                if ox <= 0 or oy <= 0:
                    continue
                moved = True
                if ox < oy:
                    d = (ox / 2 + 1) * (1 if a.x <= b.x else -1)
                    a.x, b.x = a.x - d, b.x + d
                else:
                    d = (oy / 2 + 1) * (1 if a.y <= b.y else -1)
                    a.y, b.y = a.y - d, b.y + d
        for nd in nodes:  # keep every label inside the drawing
            half = max(len(nd.label) * CHAR_W / 2, nd.r)
            nd.x = round(min(max(nd.x, half + margin), width - half - margin), 1)
            nd.y = round(min(max(nd.y, nd.r + 4 + LABEL_H + margin), height - nd.r - margin), 1)
        if not moved:
            return


def _layout(nodes: list[NetworkNode], edges: list[NetworkEdge], *, size: float = 1000.0) -> None:
    """A deterministic force layout (Fruchterman-Reingold) so the page needs no script to draw."""
    import math

    n = len(nodes)
    if n == 0:
        return
    index = {nd.key: i for i, nd in enumerate(nodes)}
    # Start on a circle: deterministic, and no two nodes share a position.
    xs = [size / 2 + size / 3 * math.cos(2 * math.pi * i / n) for i in range(n)]
    ys = [size / 2 + size / 3 * math.sin(2 * math.pi * i / n) for i in range(n)]
    links = [(index[e.source], index[e.target], e.n) for e in edges]
    k = size / math.sqrt(n) * 0.6
    temp = size / 10
    for _ in range(120):
        dx = [0.0] * n
        dy = [0.0] * n
        for i in range(n):
            xi, yi = xs[i], ys[i]
            for j in range(i + 1, n):
                ddx, ddy = xi - xs[j], yi - ys[j]
                d2 = ddx * ddx + ddy * ddy + 0.01
                f = k * k / d2
                dx[i] += ddx * f
                dy[i] += ddy * f
                dx[j] -= ddx * f
                dy[j] -= ddy * f
        for a, b, w in links:
            ddx, ddy = xs[a] - xs[b], ys[a] - ys[b]
            d = math.sqrt(ddx * ddx + ddy * ddy) + 0.01
            f = d / k * min(3.0, 1 + math.log(w)) if w > 0 else 0.0
            dx[a] -= ddx * f
            dy[a] -= ddy * f
            dx[b] += ddx * f
            dy[b] += ddy * f
        for i in range(n):
            # Gravity keeps unconnected actors from drifting to the edge.
            dx[i] += (size / 2 - xs[i]) * 0.3
            dy[i] += (size / 2 - ys[i]) * 0.3
            d = math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) + 0.01
            step = min(d, temp)
            xs[i] += dx[i] / d * step
            ys[i] += dy[i] / d * step
        temp *= 0.96
    minx, maxx, miny, maxy = min(xs), max(xs), min(ys), max(ys)
    spanx, spany = max(maxx - minx, 1.0), max(maxy - miny, 1.0)
    margin = 80.0
    for i, nd in enumerate(nodes):
        nd.x = round(margin + (xs[i] - minx) / spanx * (size - 2 * margin), 1)
        nd.y = round(margin + (ys[i] - miny) / spany * (size * 0.7 - 2 * margin), 1)


@dataclass(frozen=True, slots=True)
class QuoteRow:
    article_id: str
    title: str | None
    text: str
    cue: str | None
    direct: bool


def actor_quotes(store: Store, key: str, *, limit: int = 20) -> list[QuoteRow]:
    """What an actor is quoted as saying, newest stored articles first."""
    rows = store.db.query(
        "SELECT a.id, a.title, q.text, q.cue, q.direct FROM quotes q "
        "JOIN entities en ON en.article_pk = q.article_pk AND en.eid = q.speaker "
        "JOIN articles a ON a.pk = q.article_pk "
        "WHERE en.actor_key = ? AND q.text IS NOT NULL ORDER BY a.pk DESC LIMIT ?",
        (key, limit),
    )
    return [QuoteRow(r["id"], r["title"], r["text"], r["cue"], bool(r["direct"])) for r in rows]
