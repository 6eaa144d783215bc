"""The analysis layer as the web sees it: query parameters, the article brief, trends, alerts, reports.

The figures come from :mod:`dragoman.analysis` unchanged; this module only validates the parameters
the pages and the API share and shapes the records into what the templates draw (links, tables,
small SVG charts). Everything derived from article text stays plain text here: the templates
escape it.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query

from ..analysis.brief import SECTIONS, Brief, article_brief
from ..analysis.data import Gap, Incident, with_gc_paused
from ..analysis.escalation import Alert, EscalationConfig, EscalationReport, UnitSeries, conflict_weight
from ..analysis.escalation import escalation as run_escalation
from ..analysis.report import SituationReport
from ..analysis.trends import QUAD_NAMES, Cell, TrendReport
from ..records import ArticleResult, Offsets
from ..store import EventFilter, Store
from .highlight import Span

__all__ = [
    "AnalysisOptions",
    "Analysis",
    "Escalation",
    "EscalationOptions",
    "alert_views",
    "brief_view",
    "chart_uri",
    "current_alerts",
    "period_bounds",
    "report_view",
    "series_views",
    "sparkline",
    "trend_tables",
    "warm_brief",
]

ActorName = Annotated[str | None, Query(max_length=200, description="one side of a dyad: name, alias or key")]


@dataclass(frozen=True, slots=True)
class AnalysisOptions:
    """What every analysis view takes beyond the event filter."""

    by: str | None = None  # None: chosen per view (week, else coarser when the news period is long)
    dyad: tuple[str, str] | None = None

    def params(self) -> dict[str, str]:
        out = {"by": self.by} if self.by else {}
        if self.dyad:
            out["dyad_a"], out["dyad_b"] = self.dyad
        return out


def analysis_options(
    by: Annotated[str | None, Query(pattern="^(week|month|quarter|year|)$",
                                    description="period length: week, month, quarter or year; by default "
                                                "week, or the finest whose periods with events fit a series")]
    = None,
    dyad_a: ActorName = None,
    dyad_b: ActorName = None,
) -> AnalysisOptions:
    a = dyad_a.strip() if dyad_a else ""
    b = dyad_b.strip() if dyad_b else ""
    if bool(a) != bool(b):
        raise HTTPException(422, "a dyad needs both sides: give dyad_a and dyad_b, or neither")
    return AnalysisOptions(by or None, (a, b) if a else None)


@dataclass(frozen=True, slots=True)
class EscalationOptions:
    level: str
    config: EscalationConfig

    def params(self) -> dict[str, str]:
        c, d = self.config, EscalationConfig()
        out = {"level": self.level}
        for name in ("window", "threshold", "min_rise"):
            if getattr(c, name) != getattr(d, name):
                out[name] = f"{getattr(c, name):g}"
        return out


def escalation_options(
    level: Annotated[str, Query(pattern="^(dyad|country_dyad|country)$",
                                description="unit of the index: actor pairs, country pairs or countries")]
    = "country_dyad",
    window: Annotated[int, Query(ge=2, le=52, description="baseline: how many previous periods")] = 4,
    threshold: Annotated[float, Query(ge=0.5, le=50, description="robust z-score that raises an alert")] = 3.5,
    min_rise: Annotated[float, Query(ge=0, le=1000, description="least rise over the baseline median")] = 5.0,
) -> EscalationOptions:
    return EscalationOptions(level, EscalationConfig(window=window, min_periods=min(3, window),
                                                     threshold=threshold, min_rise=min_rise))


Analysis = Annotated[AnalysisOptions, Depends(analysis_options)]
Escalation = Annotated[EscalationOptions, Depends(escalation_options)]


def period_bounds(period: str, by: str) -> tuple[str, str]:
    """The first and last day of a period (``2025-W15``, ``2025-04``, ``2025-Q2``, ``2025``) as
    event-filter dates."""
    if by == "week" and "-W" in period:
        start = date.fromisocalendar(int(period[:4]), int(period[6:8]), 1)
        return start.isoformat(), (start + timedelta(days=6)).isoformat()
    if by == "quarter" and "-Q" in period:
        q = int(period[6])
        return f"{period[:4]}-{3 * q - 2:02d}", f"{period[:4]}-{3 * q:02d}"
    return period, period


# ---------------------------------------------------------------- the one-article brief


def _anchor(o: Offsets) -> str:
    return f"s-{o.start}-{o.end}"


def brief_view(result: dict[str, Any]) -> dict[str, Any] | None:
    """The brief of a stored result: sections of statements, evidence spans and anchors for the text.

    None when the result cannot be read back into records (an old or foreign result).
    """
    try:
        brief: Brief = article_brief(ArticleResult.from_dict(result))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    n = len(brief.text)
    cited = sorted({o for s in brief.statements for o in s.evidence if 0 <= o.start < o.end <= n},
                   key=lambda o: (o.start, o.end))
    number = {o: i for i, o in enumerate(cited, 1)}
    sections = []
    for key, title in SECTIONS.items():
        rows = []
        for s in brief.section(key):
            ev = [o for o in s.evidence if o in number]
            rows.append({
                "kind": s.kind, "text": s.text, "events": list(s.events),
                "evidence": [{"id": _anchor(o), "n": number[o], "quote": brief.quote(o)} for o in ev],
                "ids": " ".join(_anchor(o) for o in ev),
            })
        if rows:
            sections.append({"key": key, "title": title, "statements": rows})
    anchors: dict[int, list[str]] = {}
    for o in cited:
        anchors.setdefault(o.start, []).append(_anchor(o))
    spans = [Span(o.start, o.end, "evidence", "", {"evidence": _anchor(o)}) for o in cited]
    return {"sections": sections, "spans": spans, "anchors": anchors, "main_event": brief.main_event}


# ---------------------------------------------------------------- trends


def _cell_row(c: Cell) -> dict[str, Any]:
    return c.to_dict()


def trend_tables(rep: TrendReport, by: str, params: dict[str, str]) -> dict[str, Any]:
    """Rows for the trend page: per period (newest first) and per type (last period against the one before)."""
    from .pages import url_with

    quads = sorted(rep.quad)
    periods = []
    gaps = {g.at: g for g in rep.coverage.gaps}
    for i, c in enumerate(rep.total):
        if i in gaps:  # a collapsed run of empty periods: one quiet row
            g = gaps[i]
            periods.append({"period": g.last, "n": 0, "change_n": None, "quiet": True, "first": g.first,
                            "last": g.last, "count": g.periods, "gap": True})
        since, until = period_bounds(c.period, by)
        periods.append({**_cell_row(c), "href": url_with("/events", params, since=since, until=until),
                        "quads": [rep.quad[q][i].n for q in quads]})
    periods.reverse()
    periods = _fold_quiet(periods)
    last = rep.periods[-1] if rep.periods else None
    prev = rep.previous(len(rep.periods) - 1)
    after_gap = len(rep.periods) - 1 in gaps  # the one before the last had no event
    types: list[dict[str, Any]] = []
    for t, cells in rep.type.items():
        cur = cells[-1]
        before = cells[-2] if len(cells) > 1 and not after_gap else None
        since, until = period_bounds(last or "", by)
        types.append({
            "type": t, "total": sum(c.n for c in cells), "last": cur.n,
            "prev": before.n if before else (0 if after_gap else None),
            "change": cur.change_n, "change_pct": cur.change_pct, "mean": cur.mean_intensity,
            "href": url_with("/events", params, type=t, since=since, until=until),
        })
    types.sort(key=lambda r: (-abs(int(r["change"] or 0)), -int(r["total"]), str(r["type"])))
    return {"periods": periods, "quads": quads, "quad_names": QUAD_NAMES, "types": types, "last": last,
            "prev": prev, "summary": rep.total[-1] if rep.total else None}


def _fold_quiet(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Runs of periods with no event and no change (quiet after quiet), and the collapsed gaps among
    them, become one row (rows are newest first)."""
    out: list[dict[str, Any]] = []
    for r in rows:
        quiet = r["n"] == 0 and not r["change_n"]
        if quiet and out and out[-1].get("quiet"):
            out[-1]["first"] = r.get("first", r["period"])
            out[-1]["count"] += r.get("count", 1)
        elif quiet:
            out.append({"first": r["period"], "last": r["period"], "count": 1, **r, "quiet": True})
        else:
            out.append({**r, "count": 1})
    return out


def trend_timeline(rep: TrendReport, group: str) -> Any:
    """The trend report in the shape of the timeline page's chart data (reports per period)."""
    from .queries import TimelineData

    series: dict[str, list[Cell]] = (
        {str(q): cs for q, cs in rep.quad.items()} if group == "quad" else dict(rep.type)
    )
    counts: dict[str, dict[str, int]] = {p: {} for p in rep.periods}
    for g, cells in series.items():
        for c in cells:
            if c.n:
                counts[c.period][g] = c.n
    intensity = {c.period: c.mean_intensity for c in rep.total if c.mean_intensity is not None}
    return TimelineData(list(rep.periods), sorted(series), counts, intensity, rep.coverage)


# ---------------------------------------------------------------- escalation


def sparkline(s: UnitSeries, marked: set[str], *, width: float = 260.0, height: float = 46.0,
              gaps: Sequence[Gap] = ()) -> dict[str, Any]:
    """Bars of a unit's index per period, the baseline as a line, alert periods in red; each collapsed
    gap of empty periods takes one slot, marked with a dashed line."""
    at = {g.at: g for g in gaps}
    n = max(len(s.periods) + len(gaps), 1)
    peak = max(max(s.index, default=0.0), max((b or 0.0 for b in s.baseline), default=0.0), 1.0)
    slot = width / n
    bars, base, marks = [], [], []
    k = 0  # slots of gaps so far
    for i, (p, v, b) in enumerate(zip(s.periods, s.index, s.baseline, strict=True)):
        if i in at:
            marks.append({"x": round(k * slot + i * slot + slot / 2, 1), "title": at[i].label})
            k += 1
        x = i + k
        h = v / peak * (height - 4)
        bars.append({"x": round(x * slot + slot * 0.1, 1), "y": round(height - h, 1), "w": round(max(slot * 0.8, 1), 1),
                     "h": round(h, 1), "alert": p in marked, "title": f"{p}: index {v:g}"
                     + (f", baseline {b:g}" if b is not None else "")})
        if b is not None:
            base.append(f"{round(x * slot + slot / 2, 1)},{round(height - b / peak * (height - 4), 1)}")
    return {"width": width, "height": height, "bars": bars, "baseline": " ".join(base), "gaps": marks}


def series_views(rep: EscalationReport, top: int = 12) -> list[dict[str, Any]]:
    """The heaviest units' index series, each with a sparkline and the periods it raised alerts in."""
    marked: dict[str, set[str]] = {}
    for a in rep.alerts:
        marked.setdefault(a.unit, set()).add(a.period)
    return [{"s": s, "spark": sparkline(s, marked.get(s.unit, set()), gaps=rep.coverage.gaps), "peak": max(s.index),
             "alerts": sorted(marked.get(s.unit, set()))} for s in rep.series[:top]]


def _events_href(inc: Incident) -> str:
    from .pages import url_with

    if inc.key.startswith("c"):
        return url_with("/events", {}, cluster=inc.key[1:])
    r = inc.reports[0]
    return url_with("/events", {}, article=r.article_id, type=inc.event, since=inc.day, until=inc.day)


def _unit_filter(unit: str, level: str) -> dict[str, str]:
    first = unit.split(" | ")[0]
    return {"country": first} if level in ("country", "country_dyad") else {"actor": first}


def alert_views(rep: EscalationReport, params: dict[str, str]) -> list[dict[str, Any]]:
    """Each alert with its unit's series, its drivers and links to their events and articles."""
    from .pages import url_with

    series = {s.unit: s for s in rep.series}
    marked: dict[str, set[str]] = {}
    for a in rep.alerts:
        marked.setdefault(a.unit, set()).add(a.period)
    out = []
    for a in rep.alerts[:MAX_ALERT_VIEWS]:
        since, until = period_bounds(a.period, rep.by)
        s = series.get(a.unit)
        out.append({
            "alert": a, "anchor": _alert_anchor(a),
            "spark": sparkline(s, marked.get(a.unit, set()), gaps=rep.coverage.gaps) if s else None,
            "period_href": url_with("/events", {**params, **_unit_filter(a.unit, rep.level)}, since=since,
                                    until=until),
            "drivers": [_driver(d) for d in a.drivers[:MAX_DRIVERS]],
        })
    return out


def _alert_anchor(a: Alert) -> str:
    return "alert-" + "".join(ch if ch.isalnum() else "-" for ch in f"{a.unit}-{a.period}")


MAX_REPORTS = 3  # reports listed per driving incident; a syndicated story can have hundreds
MAX_DRIVERS = 3  # driving incidents listed per alert on the page (the JSON has up to five)
MAX_ALERT_VIEWS = 20  # alerts drawn on a page, strongest first; the JSON and CSV have the others


def _driver(d: Incident) -> dict[str, Any]:
    acts, recs = d.actor_names()
    return {
        "incident": d.key, "event": d.event, "day": d.day, "summary": d.summary(), "weight": conflict_weight(d),
        "quad": d.quad, "intensity": round(d.intensity, 2), "sources": list(d.sources), "href": _events_href(d),
        "reports": [{"pk": r.pk, "article_id": r.article_id, "eid": r.eid, "title": r.title or _untitled(r.article_id),
                     "source": r.source, "sentence": r.sentence, "href": f"/articles/{r.article_id}#{r.eid}"}
                    for r in d.reports[:MAX_REPORTS]],
        "more_reports": max(0, len(d.reports) - MAX_REPORTS),
        "actors": acts, "recipients": recs,
    }


def current_alerts(store: Store, *, limit: int = 5, weeks: int = 16) -> tuple[list[dict[str, Any]], str | None]:
    """The strongest country-pair alerts among the latest periods of the data (not of the calendar).

    Only the last ``weeks`` weeks before the newest dated event are read, so the overview stays fast on a
    large store; that still leaves the baseline window before each recent week.
    """
    # The end of the news period: the newest publication day (an event dated in the future, or a
    # date misread, must not move "now").
    row = store.db.query_one("SELECT max(published) AS d FROM articles WHERE published IS NOT NULL")
    newest = row["d"] if row else None
    if not newest:
        row = store.db.query_one("SELECT max(day) AS d FROM events WHERE dup = 0 AND day IS NOT NULL")
        newest = row["d"] if row else None
    if not newest or len(newest) < 10:
        return [], None
    try:
        end = date.fromisoformat(newest[:10])
    except ValueError:
        return [], None
    since = (end - timedelta(weeks=weeks)).isoformat()
    rep = run_escalation(store, EventFilter(since=since, until=newest[:10]), by="week", level="country_dyad")
    periods = rep.series[0].periods if rep.series else []
    recent = set(periods[-rep.config.window :])
    views = alert_views(rep, {})
    return [v for v in views if v["alert"].period in recent][:limit], newest[:10]


# ---------------------------------------------------------------- the situation report


def chart_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


@with_gc_paused
def report_view(rep: SituationReport, *, charts: bool = True) -> dict[str, Any]:
    """The report's sections as rows with links to their events and articles, and its charts."""
    from ..analysis.report import report_figures, report_sections

    def ev_link(pk: int) -> dict[str, Any]:
        e = rep.events[pk]
        return {"pk": pk, "href": f"/articles/{e.article_id}#{e.eid}", "event": e.event, "day": e.day,
                "label": f"{e.event} {e.day or ''}".strip(), "title": e.title or _untitled(e.article_id)}

    cited: dict[int, None] = {}
    sections = []
    for title, items in report_sections(rep):
        rows = []
        for it in items:
            for pk in it.events:
                cited[pk] = None
            links: dict[str, dict[str, Any]] = {}
            for pk in it.events:
                if pk in rep.events:
                    link = ev_link(pk)
                    # Reports of one type and day read as one link (to the first), with their number.
                    links.setdefault(link["label"], {**link, "n": 0})["n"] += 1
            rows.append({"kind": it.kind, "text": it.text, "score": it.score,
                         "events": list(links.values())[:8], "more": max(0, len(links) - 8),
                         "articles": [{"id": a, "href": f"/articles/{a}",
                                       "title": next((rep.events[p].title or _untitled(a) for p in it.events
                                                      if p in rep.events and rep.events[p].article_id == a),
                                                     _untitled(a))}
                                      for a in it.articles[:4]]})
        sections.append({"title": title, "rows": rows})
    appendix = []
    for pk in sorted(cited):
        if pk not in rep.events:
            continue
        e = rep.events[pk]
        appendix.append({"pk": pk, "day": e.day, "event": e.event, "quad": e.quad, "source": e.source,
                         "title": e.title or _untitled(e.article_id), "sentence": e.sentence, "negated": e.negated,
                         "href": f"/articles/{e.article_id}#{e.eid}", "article_id": e.article_id})
    images: list[dict[str, str]] = []
    if charts and rep.trend.periods:
        from ..analysis.charts import escalation_chart, trend_chart

        images.append({"alt": "Incidents per period by quad class, with the mean intensity",
                       "src": chart_uri(trend_chart(rep.trend))})
        if rep.escalation.series:
            images.append({"alt": "Escalation index of the heaviest units; alerts marked with a triangle",
                           "src": chart_uri(escalation_chart(rep.escalation))})
    return {"sections": sections, "figures": report_figures(rep, coverage=False), "appendix": appendix,
            "charts": images}


def warm_brief(store: Store) -> SituationReport:
    """Build the brief /brief and /api/brief show by default, with its charts, into the report and
    chart caches: a server does this at start, so that its first user does not wait for it. Uses
    the defaults of the query parameters, so a request with none finds it."""
    from ..analysis.report import situation_report

    a, e = analysis_options(), escalation_options()
    rep = situation_report(store, EventFilter(), since=None, by=a.by, dyad=a.dyad, level=e.level, top=10,
                           config=e.config)
    report_view(rep)
    return rep


def _untitled(article_id: str) -> str:
    return f"article {article_id.removeprefix('sha256:')[:12]}"
