"""The actor network: cooperation and conflict edges from events, affiliation edges from relations.

Edges from events go from actor to recipient (between the sides of a fight with no recipient) and
are kept apart by kind: ``cooperation`` (quads 1-2) and ``conflict`` (quads 3-4). An edge's weight is
the number of incidents (de-duplicated by store cluster) behind it; it also carries the number of
reports, the mean intensity and the events. Affiliation edges (``member_of``, ``backed_by``, …) come
from the relations stated in the selected articles (or known from the knowledge base), weighted by
how many articles state them. :func:`compare_networks` lists what changed between two periods.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any

from ..store import EventFilter, Store
from .data import CorpusEvent, incidents, load_events

__all__ = ["Edge", "Network", "actor_network", "compare_networks", "network_from_events", "to_graphml"]


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    kind: str  # cooperation | conflict | <relation predicate>
    weight: int
    reports: int = 0
    mean_intensity: float | None = None
    events: tuple[int, ...] = ()
    articles: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.target, self.kind)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "kind": self.kind,
            "weight": self.weight,
            "reports": self.reports,
            "mean_intensity": self.mean_intensity,
            "events": list(self.events),
            "articles": list(self.articles),
        }


@dataclass(frozen=True, slots=True)
class Network:
    nodes: dict[str, dict[str, Any]]
    edges: list[Edge]
    selection: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, Any] | None = None

    def edge(self, source: str, target: str, kind: str) -> Edge | None:
        return next((e for e in self.edges if e.key == (source, target, kind)), None)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "selection": self.selection,
            "nodes": [{"id": k, **v} for k, v in sorted(self.nodes.items())],
            "edges": [e.to_dict() for e in self.edges],
        }
        if self.changes is not None:
            d["changes"] = self.changes
        return d


def network_from_events(
    events: list[CorpusEvent], relations: list[dict[str, Any]] | None = None
) -> Network:
    """The network of already loaded events (negated ones dropped) plus relation rows."""
    events = [e for e in events if not e.negated]
    nodes: dict[str, dict[str, Any]] = {}
    for e in events:
        for a in (*e.actors, *e.recipients):
            n = nodes.setdefault(a.key, {"name": a.name, "country": a.country, "sector": a.sector,
                                         "kind": a.kind, "events": 0})
            n["events"] += 1
    acc: dict[tuple[str, str, str], dict[str, Any]] = {}
    for inc in incidents(events):
        kind = "cooperation" if inc.quad in (1, 2) else "conflict"
        pairs: set[tuple[str, str]] = set()
        for r in inc.reports:
            acts = [a.key for a in r.actors]
            recs = [a.key for a in r.recipients]
            pairs |= {(a, b) for a in acts for b in recs if a != b}
            if not recs:
                pairs |= {(a, b) for a in acts for b in acts if a < b}
        for s, t in pairs:
            x = acc.setdefault((s, t, kind), {"incidents": set(), "reports": [], "articles": {}})
            x["incidents"].add(inc.key)
            x["reports"] += list(inc.reports)
            for r in inc.reports:
                x["articles"][r.article_id] = None
    edges = [
        Edge(s, t, k, len(x["incidents"]), len(x["reports"]),
             round(fmean(r.intensity for r in x["reports"]), 3), tuple(sorted({r.pk for r in x["reports"]})),
             tuple(x["articles"]))
        for (s, t, k), x in acc.items()
    ]
    rel_acc: dict[tuple[str, str, str], dict[str, None]] = {}
    for rel in relations or []:
        s, t = rel["subject_key"], rel["object_key"]
        if not s or not t or s == t:
            continue
        rel_acc.setdefault((s, t, rel["predicate"]), {})[rel["article_id"]] = None
        for key, name in ((s, rel.get("subject_name")), (t, rel.get("object_name"))):
            nodes.setdefault(key, {"name": name or key, "country": None, "sector": None, "kind": None,
                                   "events": 0})
    edges += [Edge(s, t, p, len(arts), 0, None, (), tuple(arts)) for (s, t, p), arts in rel_acc.items()]
    edges.sort(key=lambda e: (-e.weight, e.kind, e.source, e.target))
    return Network(nodes, edges)


def _relations(store: Store, article_ids: list[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i in range(0, len(article_ids), 500):
        chunk = article_ids[i : i + 500]
        out += store.db.query(
            "SELECT r.subject_key, r.object_key, r.predicate, a.id AS article_id, "
            "s.name AS subject_name, o.name AS object_name FROM relations r "
            "JOIN articles a ON a.pk = r.article_pk "
            "LEFT JOIN entities s ON s.article_pk = r.article_pk AND s.eid = r.subject "
            "LEFT JOIN entities o ON o.article_pk = r.article_pk AND o.eid = r.object "
            f"WHERE a.id IN ({','.join('?' * len(chunk))})",
            chunk,
        )
    return out


def compare_networks(before: Network, after: Network) -> dict[str, Any]:
    """Edges that appeared, disappeared or changed weight between two networks."""
    b = {e.key: e for e in before.edges}
    a = {e.key: e for e in after.edges}
    added = [a[k].to_dict() for k in a if k not in b]
    removed = [b[k].to_dict() for k in b if k not in a]
    changed: list[dict[str, Any]] = [
        {"source": k[0], "target": k[1], "kind": k[2], "before": b[k].weight, "after": a[k].weight,
         "change": a[k].weight - b[k].weight}
        for k in a if k in b and a[k].weight != b[k].weight
    ]
    changed.sort(key=lambda c: -abs(int(c["change"])))
    return {"added": added, "removed": removed, "changed": changed}


def actor_network(
    store: Store,
    f: EventFilter | None = None,
    *,
    dyad: tuple[str, str] | None = None,
    compare: str | None = None,
) -> Network:
    """The actor network of the selection; with ``compare=DATE``, also the changes from the period
    before DATE to the period from DATE on (the returned edges are the whole selection's)."""
    f = f or EventFilter()
    events = load_events(store, f, dyad=dyad, include_negated=False)
    arts = list(dict.fromkeys(e.article_id for e in events))
    rels = _relations(store, arts)
    net = network_from_events(events, rels)
    selection = {k: v for k, v in ((s, getattr(f, s)) for s in f.__slots__) if v is not None}
    changes = None
    if compare:
        cut = compare if len(compare) == 10 else (compare + "-01" if len(compare) == 7 else compare + "-01-01")
        early = [e for e in events if e.day and e.day < cut]
        late = [e for e in events if e.day and e.day >= cut]
        art_early = {e.article_id for e in early}
        art_late = {e.article_id for e in late}
        changes = {"date": cut, **compare_networks(
            network_from_events(early, [r for r in rels if r["article_id"] in art_early]),
            network_from_events(late, [r for r in rels if r["article_id"] in art_late]),
        )}
    return Network(net.nodes, net.edges, selection, changes)


def to_graphml(net: Network) -> str:
    """The network as GraphML (a directed multigraph; one edge per kind)."""
    import networkx as nx

    g = nx.MultiDiGraph()
    for key, attrs in net.nodes.items():
        g.add_node(key, **{k: ("" if v is None else v) for k, v in attrs.items()})
    for e in net.edges:
        g.add_edge(
            e.source, e.target, key=e.kind, kind=e.kind, weight=e.weight, reports=e.reports,
            mean_intensity=e.mean_intensity if e.mean_intensity is not None else 0.0,
            events=",".join(map(str, e.events)), articles=",".join(e.articles),
        )
    buf = io.BytesIO()
    nx.write_graphml(g, buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")
