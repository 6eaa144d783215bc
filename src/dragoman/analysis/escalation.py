"""An escalation index per dyad or country, with alerts where it departs from its own baseline.

The method
----------
1. Reports are grouped into incidents (one per store cluster, see :mod:`.data`), so an event
   reported by many outlets counts once. Negated events and historical background are left out.
2. An incident's *conflict weight* is ``max(0, -intensity)``, its reports' mean PLOVER intensity
   turned into a positive conflict score (an attack at -9 weighs 9, a threat at -3.5 weighs 3.5,
   talks weigh 0). An incident that is only conditional ("will strike if …") weighs half; a material
   act that is only announced for the future weighs nothing (it has not happened).
3. The *index* of a unit (a dyad of actors, a dyad of countries, or one country) in a period (ISO
   week, month, quarter or year) is the sum of the conflict weights of its incidents in that period; periods with
   no incident count 0, so quiet weeks form the baseline.
4. The baseline of period ``t`` is the ``window`` periods before it (default 4). With at least
   ``min_periods`` of them (default 3), the robust z-score is::

       z = (x_t - median) / max(1.4826 * MAD, floor)

   where MAD is the median absolute deviation of the baseline. ``floor`` (default 1.0, one intensity
   point) keeps a perfectly flat baseline (MAD = 0) from making any blip infinite.
5. An *alert* is a period with ``z >= threshold`` (default 3.5, the usual cut-off for robust
   z-scores) and a rise ``x_t - median >= min_rise`` (default 5.0: more than one threat's worth), so a
   single minor event on a quiet baseline does not raise one. Each alert lists the incidents that
   drive it, heaviest first.
6. An alert also needs history and independent evidence: the unit must have been reported in at
   least ``min_history`` earlier periods (default 1: a pair seen for the first time has no baseline
   of its own, and a zero baseline would make z equal the index), and the period's incidents must
   rest on at least ``min_reports`` independent reports (default 2): different articles, near-
   duplicate copies never counting (the store keeps them out of every query). The alert names them.

Periods run over the news period (see :func:`~dragoman.analysis.data.news_window`): events dated
only to a month or a year never land in a week, and background dated long before its article is
left out. A series too long to draw collapses its runs of empty periods into gaps; a gap is quiet
within the news period, zero activity and not missing data, so the baseline reads it as the periods
of zero it stands for (as many as the window holds). The baseline is thus the same whether a quiet
run is drawn or collapsed, and a unit that comes back after a long silence is measured against that
silence; what keeps its first burst from alerting on nothing is the rest of rule 6: history of its
own and two independent articles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from ..store import EventFilter, Store
from .data import (
    CorpusEvent,
    Coverage,
    Incident,
    dyads_of,
    incidents,
    incidents_within,
    load_events,
    news_window,
    period_of,
    with_gc_paused,
)

__all__ = ["EscalationConfig", "EscalationReport", "Alert", "UnitSeries", "escalation", "escalation_from_events",
           "conflict_weight"]


MAX_SERIES = 40  # series kept in a report: those with alerts, then the heaviest
MAX_ALERTS = 50  # the strongest alerts kept in a report; ``n_alerts`` says how many there were
# Independent reports an alert names (the heaviest incidents' first); a country's alert in a busy week
# rests on hundreds of articles, and naming them all made /api/escalation?level=country 1.6 MB.
MAX_NAMED_REPORTS = 25


@dataclass(frozen=True, slots=True)
class EscalationConfig:
    window: int = 4
    min_periods: int = 3
    threshold: float = 3.5
    min_rise: float = 5.0
    floor: float = 1.0
    min_history: int = 1
    min_reports: int = 2

    def to_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__slots__}


@dataclass(frozen=True, slots=True)
class Alert:
    unit: str
    label: str
    period: str
    index: float
    baseline: float
    z: float
    drivers: tuple[Incident, ...]
    reports: tuple[tuple[str, str, str | None], ...] = ()  # independent reports: (article id, source, title)
    n_reports: int | None = None  # how many there were; ``reports`` names the first MAX_NAMED_REPORTS

    @property
    def report_count(self) -> int:
        return len(self.reports) if self.n_reports is None else self.n_reports

    @property
    def explanation(self) -> str:
        named = "; ".join(f"{title or 'article ' + aid.removeprefix('sha256:')[:12]} ({source})"
                          for aid, source, title in self.reports)
        more = self.report_count - len(self.reports)
        return (f"index {self.index:g} against a baseline of {self.baseline:g} (z = {self.z:g}), "
                f"on {self.report_count} independent reports: {named}" + (f" and {more} more" if more else ""))

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "label": self.label,
            "period": self.period,
            "index": self.index,
            "baseline": self.baseline,
            "z": self.z,
            "drivers": [dict(d.to_dict(), weight=round(conflict_weight(d), 3)) for d in self.drivers],
            "reports": [{"article_id": a, "source": s, "title": t} for a, s, t in self.reports],
            "n_reports": self.report_count,
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class UnitSeries:
    unit: str
    label: str
    periods: list[str]
    index: list[float]
    baseline: list[float | None]
    z: list[float | None]

    def to_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__slots__}


@dataclass(frozen=True, slots=True)
class EscalationReport:
    by: str
    level: str
    config: EscalationConfig
    series: list[UnitSeries]
    alerts: list[Alert]
    selection: dict[str, Any] = field(default_factory=dict)
    coverage: Coverage = field(default_factory=lambda: Coverage(None, None))
    n_alerts: int | None = None  # how many alerts there were before the strongest MAX_ALERTS were kept

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "level": self.level,
            "n_alerts": len(self.alerts) if self.n_alerts is None else self.n_alerts,
            "method": self.config.to_dict(),
            "selection": self.selection,
            "coverage": self.coverage.to_dict(),
            "series": [s.to_dict() for s in self.series],
            "alerts": [a.to_dict() for a in self.alerts],
        }

    def series_rows(self) -> list[dict[str, Any]]:
        """The index of every unit, one row per unit and period, and one per collapsed gap of empty
        periods where it stands (``row`` is ``gap``, index 0: a gap is quiet, see the module docstring)."""
        from .trends import gap_row

        gaps = {g.at: g for g in self.coverage.gaps}
        out: list[dict[str, Any]] = []
        for s in self.series:
            for i, (p, x, b, z) in enumerate(zip(s.periods, s.index, s.baseline, s.z, strict=True)):
                if i in gaps:
                    out.append(gap_row(gaps[i], unit=s.unit, label=s.label, index=0.0))
                out.append({"unit": s.unit, "label": s.label, "row": "period", "period": p, "last": p, "periods": 1,
                            "index": x, "baseline": b, "z": z})
        return out


def conflict_weight(inc: Incident) -> float:
    # A material act announced for the future ("preparing an attack") has not happened yet: it is
    # something to watch, not part of this period's index. Verbal acts (threats) happen when uttered.
    if inc.quad in (2, 4) and all(r.tense == "future" for r in inc.reports):
        return 0.0
    w = max(0.0, -inc.intensity)
    return w * 0.5 if inc.conditional else w


def _units(inc: Incident, level: str) -> set[str]:
    if level == "country":
        return {c for r in inc.reports for c in r.countries}
    lvl = "country" if level == "country_dyad" else "actor"
    return {f"{a} | {b}" for r in inc.reports for a, b in dyads_of(r, level=lvl)}


def _labels(events: list[CorpusEvent]) -> dict[str, str]:
    names: dict[str, str] = {}
    for e in events:
        for a in (*e.actors, *e.recipients):
            names.setdefault(a.key, a.name)
    return names


def escalation_from_events(
    events: list[CorpusEvent],
    *,
    by: str | None = "week",
    level: str = "dyad",
    config: EscalationConfig | None = None,
    max_drivers: int = 5,
    since: str | None = None,
    until: str | None = None,
    undated: int = 0,
    context: int = 0,
    incidents_of: Sequence[Incident] | None = None,
) -> EscalationReport:
    """The escalation index and alerts of already loaded events (see the module docstring);
    ``incidents_of``, when the caller has them, are the incidents of ``events``."""
    cfg = config or EscalationConfig()
    if level not in {"dyad", "country_dyad", "country"}:
        raise ValueError(f"unknown level {level!r}; use dyad, country_dyad or country")
    events = [e for e in events if not e.negated and e.day and e.tense != "historical"]
    periods, events, coverage = news_window(events, by, since=since, until=until, undated=undated,
                                            context=context)
    by = coverage.by or "week"
    if not periods:
        return EscalationReport(by, level, cfg, [], [], coverage=coverage)
    names = _labels(events)
    per_unit: dict[str, dict[str, list[Incident]]] = {}
    for inc in incidents(events) if incidents_of is None else incidents_within(incidents_of, events):
        assert inc.day is not None
        p = period_of(inc.day, by)
        for u in _units(inc, level):
            per_unit.setdefault(u, {}).setdefault(p, []).append(inc)
    series: list[UnitSeries] = []
    alerts: list[Alert] = []
    weights: dict[str, float] = {}  # per incident, computed once however many units it belongs to

    def weight(i: Incident) -> float:
        w = weights.get(i.key)
        if w is None:
            w = weights[i.key] = conflict_weight(i)
        return w

    # A collapsed gap stands for its periods of zero: as many as a baseline window can hold.
    pad = {g.at: min(g.periods, cfg.window) for g in coverage.gaps}
    for unit, by_period in per_unit.items():
        label = " – ".join(names.get(k, k) for k in unit.split(" | "))
        idx = [round(sum(weight(i) for i in by_period[p]), 3) if p in by_period else 0.0 for p in periods]
        base: list[float | None] = []
        zs: list[float | None] = []
        seen_before = 0  # earlier periods in which the unit was reported
        line: list[float] = []  # the index with each gap's zeros in place
        for t, x in enumerate(idx):
            line.extend([0.0] * pad.get(t, 0))
            window = line[max(0, len(line) - cfg.window):]
            line.append(x)
            history, seen_before = seen_before, seen_before + bool(by_period.get(periods[t]))
            if len(window) < max(cfg.min_periods, 1):  # an empty baseline has no median
                base.append(None)
                zs.append(None)
                continue
            if not any(window) and not x:
                base.append(0.0)  # quiet before and now: nothing to measure
                zs.append(0.0)
                continue
            med = median(window)
            mad = median(abs(v - med) for v in window)
            z = (x - med) / max(1.4826 * mad, cfg.floor)
            base.append(round(med, 3))
            zs.append(round(z, 3))
            if z >= cfg.threshold and x - med >= cfg.min_rise and history >= cfg.min_history:
                drivers = sorted(by_period.get(periods[t], []), key=lambda i: -weight(i))
                weighty = [d for d in drivers if weight(d) > 0]
                reports = _independent_reports(weighty)
                if len(reports) < cfg.min_reports:
                    continue
                alerts.append(Alert(unit, label, periods[t], x, round(med, 3), round(z, 3),
                                    tuple(weighty[:max_drivers]), tuple(reports[:MAX_NAMED_REPORTS]), len(reports)))
        if any(idx):
            series.append(UnitSeries(unit, label, periods, idx, base, zs))
    series.sort(key=lambda s: (-max(s.index), s.unit))
    alerts.sort(key=lambda a: (-a.z, a.period, a.unit))
    n_alerts = len(alerts)
    alerts = alerts[:MAX_ALERTS]
    # The series of units with an alert, then the heaviest others: a report stays readable and small.
    alerted = {a.unit for a in alerts}
    series = [s for s in series if s.unit in alerted] + [s for s in series if s.unit not in alerted]
    return EscalationReport(by, level, cfg, series[:max(MAX_SERIES, len(alerted))], alerts, coverage=coverage,
                            n_alerts=n_alerts)


def _independent_reports(incs: list[Incident]) -> list[tuple[str, str, str | None]]:
    """One (article, source, title) per distinct article behind the incidents. Near-duplicate copies
    are never among them: the store keeps their events out of every query."""
    out: dict[str, tuple[str, str, str | None]] = {}
    for inc in incs:
        for r in inc.reports:
            out.setdefault(r.article_id, (r.article_id, r.source, r.title))
    return list(out.values())


@with_gc_paused
def escalation(
    store: Store,
    f: EventFilter | None = None,
    *,
    by: str | None = "week",
    level: str = "dyad",
    dyad: tuple[str, str] | None = None,
    config: EscalationConfig | None = None,
) -> EscalationReport:
    """Escalation index and alerts for the events matching ``f`` (see the module docstring)."""
    f = f or EventFilter()
    counts: dict[str, int] = {}
    events = load_events(store, f, dyad=dyad, include_negated=False, counts=counts)
    rep = escalation_from_events(events, by=by, level=level, config=config, since=f.since, until=f.until,
                                 undated=counts.get("undated", 0), context=counts.get("context", 0))
    selection = {k: v for k, v in ((s, getattr(f, s)) for s in f.__slots__) if v is not None}
    if dyad:
        selection["dyad"] = list(dyad)
    return EscalationReport(rep.by, rep.level, rep.config, rep.series, rep.alerts, selection, rep.coverage,
                            rep.n_alerts)
