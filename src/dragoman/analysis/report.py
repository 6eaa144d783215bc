"""The situation report over a selection of the store: key developments, trends, escalation, caveats.

Key developments are incidents (store clusters) ranked by significance::

    score = |intensity| / 10 * (1 + log2(independent sources)) * novelty * alert * conditional

- independent sources: distinct outlets (else articles) reporting the incident;
- ``novelty = 1 / (1 + k)``, where ``k`` is how many earlier incidents of the same event type
  between the same actors the selection holds: the first attack counts fully, the fifth much less;
- ``alert = 1.5`` when the incident drives an escalation alert, else 1;
- ``conditional = 0.5`` when every report of it is conditional.

Other sections: claims resting only on anonymous or on single sources; contradictions (the same
event type between the same actors in the same period, asserted by some reports and negated by
others); and what to watch (announced, conditional and ongoing material events). Every line names
its events and articles; the renderers turn them into links to an appendix that quotes each
event's sentence and names its article.
"""

from __future__ import annotations

import base64
import html
import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..store import EventFilter, Store
from .data import (
    CorpusEvent,
    Coverage,
    Incident,
    Memo,
    incidents,
    load_events,
    period_of,
    store_key,
    with_gc_paused,
)
from .escalation import EscalationConfig, EscalationReport, escalation_from_events
from .trends import QUAD_NAMES, TrendReport, trends_from_events

__all__ = ["Item", "SituationReport", "render_report_html", "render_report_markdown", "report_figures",
           "report_sections", "report_title", "situation_report"]


@dataclass(frozen=True, slots=True)
class Item:
    """One line of a report section, with the events and articles it rests on."""

    kind: str
    text: str
    score: float
    events: tuple[int, ...]
    articles: tuple[str, ...]
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "score": round(self.score, 4),
                "events": list(self.events), "articles": list(self.articles), **self.details}


@dataclass(frozen=True, slots=True)
class SituationReport:
    selection: dict[str, Any]
    since: str | None
    by: str
    developments: list[Item]
    trend: TrendReport
    escalation: EscalationReport
    weak: list[Item]
    contradictions: list[Item]
    watch: list[Item]
    events: dict[int, CorpusEvent]

    @property
    def coverage(self) -> Coverage:
        return self.trend.coverage

    def to_dict(self) -> dict[str, Any]:
        return {
            "selection": self.selection,
            "since": self.since,
            "by": self.by,
            "coverage": self.coverage.to_dict(),
            "developments": [i.to_dict() for i in self.developments],
            # The brief carries the totals and the alerts; per-type series and every unit's index
            # are in /api/trends and /api/escalation (a brief stays small however long the period).
            "trend": {k: v for k, v in self.trend.to_dict().items() if k != "type"},
            "escalation": {k: v for k, v in self.escalation.to_dict().items() if k != "series"},
            "weak_sourcing": [i.to_dict() for i in self.weak],
            "contradictions": [i.to_dict() for i in self.contradictions],
            "watch": [i.to_dict() for i in self.watch],
            "events": {str(k): v.to_dict() for k, v in sorted(self.events.items())},
        }


def _side_key(inc: Incident) -> frozenset[str]:
    return frozenset(a.key for r in inc.reports for a in (*r.actors, *r.recipients))


def _item(kind: str, text: str, score: float, incs: list[Incident], **details: Any) -> Item:
    evs = tuple(dict.fromkeys(r.pk for i in incs for r in i.reports))
    arts = tuple(dict.fromkeys(r.article_id for i in incs for r in i.reports))
    return Item(kind, text, score, evs, arts, details)


@with_gc_paused
def situation_report(
    store: Store,
    f: EventFilter | None = None,
    *,
    since: str | None = None,
    by: str | None = "week",
    dyad: tuple[str, str] | None = None,
    level: str = "dyad",
    top: int = 10,
    config: EscalationConfig | None = None,
) -> SituationReport:
    """Build the report; ``since`` limits the developments and caveats, not the baselines.

    The last few reports are kept, keyed by the store's revision and every argument: a dashboard asks
    for the same brief again and again (and a server builds its default brief at start), and any
    committed change to the store (an article added, metadata updated) builds it anew."""
    f = f or EventFilter()
    key = (*store_key(store), f, since, by, dyad, level, top, config or EscalationConfig())
    return _REPORTS.get(key, lambda: _situation_report(store, f, since=since, by=by, dyad=dyad, level=level,
                                                        top=top, config=config))


_REPORTS = Memo(8)


def _situation_report(
    store: Store, f: EventFilter, *, since: str | None, by: str | None, dyad: tuple[str, str] | None, level: str,
    top: int, config: EscalationConfig | None,
) -> SituationReport:
    counts: dict[str, int] = {}
    all_events = load_events(store, f, dyad=dyad, include_negated=True, counts=counts)
    selection = {k: v for k, v in ((s, getattr(f, s)) for s in f.__slots__) if v is not None}
    if dyad:
        selection["dyad"] = list(dyad)
    return report_from_events(all_events, selection=selection, since=since, by=by, level=level, top=top,
                              config=config, window=(f.since, f.until), **counts)


def report_from_events(
    all_events: list[CorpusEvent],
    *,
    selection: dict[str, Any] | None = None,
    since: str | None = None,
    by: str | None = "week",
    level: str = "dyad",
    top: int = 10,
    config: EscalationConfig | None = None,
    window: tuple[str | None, str | None] = (None, None),
    undated: int = 0,
    context: int = 0,
) -> SituationReport:
    events = [e for e in all_events if not e.negated]
    incs = incidents(events)
    trend = trends_from_events(events, by=by, since=window[0], until=window[1], undated=undated, context=context)
    by = trend.by  # the period length chosen when none was given: the escalation uses the same
    esc = escalation_from_events(events, by=by, level=level, config=config, since=window[0], until=window[1],
                                 undated=undated, context=context, incidents_of=incs)
    # A brief names the strongest alerts (``n_alerts`` keeps the total; /api/escalation has them all).
    esc = replace(esc, alerts=esc.alerts[:top], n_alerts=esc.n_alerts)
    cut = since or ""
    recent_period = period_of(since, by) if since else ""
    alert_incidents = {d.key for a in esc.alerts if a.period >= recent_period for d in a.drivers}

    seen: dict[tuple[str, frozenset[str]], int] = {}
    # (score, incident, sources, novelty, alert) of every incident; details are written for those shown
    ranked: list[tuple[float, Incident, int, float, bool]] = []
    log2 = math.log2
    for inc in incs:  # in day order, so ``seen`` counts earlier incidents only
        k = (inc.event, _side_key(inc))
        prior = seen.get(k, 0)
        seen[k] = prior + 1
        if (inc.day or "") < cut:
            continue
        n_src = len({r.source for r in inc.reports})
        novelty = 1.0 / (1.0 + prior)
        is_alert = inc.key in alert_incidents
        cond = 0.5 if inc.conditional else 1.0
        score = abs(inc.intensity) / 10.0 * (1.0 + log2(max(1, n_src))) * novelty * (1.5 if is_alert else 1.0) * cond
        ranked.append((score, inc, n_src, novelty, is_alert))
    ranked.sort(key=lambda t: (-t[0], t[1].day or "", t[1].key))
    scored = [(s, inc, {"sources": n, "novelty": round(nov, 3), "alert": al}) for s, inc, n, nov, al in ranked[:top]]
    developments = [
        _item("development", inc.summary(), s, [inc], incident=inc.key, event=inc.event, day=inc.day,
              intensity=round(inc.intensity, 2), **d)
        for s, inc, d in scored
    ]
    score_of = {t[1].key: t[0] for t in ranked}

    weak: list[Item] = []
    for s, inc, *_ in ranked:
        if len(weak) >= top:
            break
        flags = []
        if inc.anonymous_only:
            flags.append("anonymous sources only")
        if len(inc.sources) == 1:
            flags.append(f"single source ({inc.sources[0]})")
        if flags:
            weak.append(_item("weak", f"{inc.summary()}: {'; '.join(flags)}", s, [inc], flags=flags))
    weak = weak[:top]

    contradictions: list[Item] = []
    groups: dict[tuple[str, frozenset[str], str], list[CorpusEvent]] = {}
    # A contradiction needs a denial: only the type and period of a denied report can hold one, so the
    # (rare) denials pick the candidates and the sides of every other report are never built.
    denied = {(e.event, period_of(e.day, by)) for e in all_events if e.negated and e.day and e.day >= cut}
    for e in all_events:
        if (e.day or "") < cut or not e.day or (e.event, period_of(e.day, by)) not in denied:
            continue
        sides = frozenset(a.key for a in (*e.actors, *e.recipients))
        if not any(_names_a_party(k) for k in sides):
            # No side named ('arrested 14', 'police', an unidentified attacker): nothing says two
            # reports tell the same event, so only an article can contradict itself.
            sides |= {"article:" + e.article_id}
        groups.setdefault((e.event, sides, period_of(e.day, by)), []).append(e)
    for (event, _sides, period), es in sorted(groups.items(), key=lambda kv: kv[0][2]):
        yes = [e for e in es if not e.negated]
        no = [e for e in es if e.negated]
        if yes and no:
            names = sorted({a.name for e in es for a in (*e.actors, *e.recipients)})
            text = (f"{event} between {', '.join(names) or 'unidentified actors'} in {period}: "
                    f"asserted by {', '.join(sorted({e.source for e in yes}))}; "
                    f"denied by {', '.join(sorted({e.source for e in no}))}")
            contradictions.append(Item("contradiction", text, float(len(es)),
                                       tuple(e.pk for e in es), tuple(dict.fromkeys(e.article_id for e in es)),
                                       {"asserted": [e.pk for e in yes], "denied": [e.pk for e in no]}))

    watching: list[tuple[float, Incident, list[str]]] = []
    for inc in incs:
        if (inc.day or "") < cut:
            continue
        reasons = []
        r0 = inc.reports
        if any(r.tense == "future" for r in r0):
            reasons.append("announced")
        if any(r.conditional for r in r0):
            reasons.append("conditional")
        if inc.event == "THREATEN":
            reasons.append("threat")
        if inc.quad in (2, 4) and any(r.tense == "ongoing" for r in r0):
            reasons.append("ongoing")
        if reasons:
            watching.append((score_of.get(inc.key, 0.0) + 0.01 * len(reasons), inc, reasons))
    watching.sort(key=lambda t: -t[0])  # stable, as the items' sort was; only the cited ones are written
    watch = [_item("watch", f"{inc.summary()} [{', '.join(reasons)}]", s, [inc], reasons=reasons)
             for s, inc, reasons in watching[:top]]
    contradictions = contradictions[-top:]
    # Only the events the report cites travel with it: a brief stays small however large the corpus.
    cited = {pk for item in (*developments, *weak, *contradictions, *watch) for pk in item.events}
    cited |= {r.pk for a in esc.alerts for d in a.drivers for r in d.reports}
    return SituationReport(
        selection or {}, since, by, developments, trend, esc, weak, contradictions, watch,
        {e.pk: e for e in all_events if e.pk in cited},
    )


# ------------------------------------------------------------------------------------- rendering


def _art_anchor(article_id: str) -> str:
    return "art-" + article_id.split(":")[-1][:12]


def report_figures(rep: SituationReport, *, coverage: bool = True) -> list[str]:
    """The trend and escalation figures of a report, one line each (with ``coverage``, what the
    periods cover and leave out, gaps included, last)."""
    lines = []
    t = rep.trend
    if t.total:
        last = t.total[-1]
        prev = t.previous(len(t.total) - 1)
        line = f"{last.period}: {last.incidents} incidents ({last.n} reports)"
        if prev is not None and last.change_n is not None:
            line += f", {last.change_n:+d} reports against {prev}"
        if last.mean_intensity is not None:
            line += f", mean intensity {last.mean_intensity:+.1f}"
            if last.change_intensity is not None:
                line += f" ({last.change_intensity:+.1f})"
        lines.append(line)
        gaps = {g.at: g for g in t.coverage.gaps}
        for q, cells in sorted(t.quad.items()):
            lines.append(f"{QUAD_NAMES.get(q, q)}: " + ", ".join(_quad_cells(cells, gaps)))
    if coverage:
        lines += [f"Coverage: {note}" for note in t.coverage.notes()]
    return lines


def _names_a_party(key: str) -> bool:
    """Does this actor key name a party (a name, not a placeholder or a common noun such as 'police')?
    Only a named party makes two articles' reports of one type and period the same event."""
    from ..store.query import is_placeholder_actor
    from ..store.writer import is_nominal_actor

    return not is_placeholder_actor(key) and not is_nominal_actor(key)


def _quad_cells(cells: list[Any], gaps: dict[int, Any]) -> list[str]:
    """A quad class's count per period, a run of quiet periods written once ('2023-W12 … 2023-W35 0'),
    as the trends table folds them; a collapsed gap stays where it is."""
    out: list[str] = []
    quiet: list[str] = []

    def flush() -> None:
        if quiet:
            out.append(f"{quiet[0]} … {quiet[-1]} 0" if len(quiet) > 1 else f"{quiet[0]} 0")
            quiet.clear()

    for i, c in enumerate(cells):
        if i in gaps:
            flush()
            out.append(f"[{gaps[i].label}]")
        if c.incidents:
            flush()
            out.append(f"{c.period} {c.incidents}")
        else:
            quiet.append(c.period)
    flush()
    return out


def _alert_line(a: Any) -> str:
    return (f"{a.label}: index {a.index:.1f} in {a.period} against a baseline of {a.baseline:.1f} "
            f"(robust z = {a.z:.1f})")


def report_sections(rep: SituationReport) -> list[tuple[str, list[Item]]]:
    """The report's sections in reading order, as (heading, items)."""
    alerts = [
        Item("alert", _alert_line(a), a.z,
             tuple(r.pk for d in a.drivers for r in d.reports),
             tuple(dict.fromkeys(r.article_id for d in a.drivers for r in d.reports)))
        for a in rep.escalation.alerts if not rep.since or a.period >= period_of(rep.since, rep.by)
    ]
    return [
        ("Key developments", rep.developments),
        ("Escalation alerts", alerts),
        ("Claims resting on anonymous or single sources", rep.weak),
        ("Contradictions", rep.contradictions),
        ("What to watch", rep.watch),
    ]


def report_title(rep: SituationReport) -> str:
    """A title naming the selection and the period of a report."""
    sel = ", ".join(f"{k} {v if not isinstance(v, list) else ' – '.join(v)}" for k, v in rep.selection.items())
    return "Situation report" + (f": {sel}" if sel else "") + (f" since {rep.since}" if rep.since else "")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md(s: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", s)


def render_report_markdown(rep: SituationReport, *, chart_dir: Path | None = None, stem: str = "brief") -> str:
    """Markdown; with ``chart_dir``, the charts are written there as PNG and linked."""
    from .charts import escalation_chart, trend_chart

    out = [f"# {_md(report_title(rep))}", ""]
    cited: dict[int, None] = {}
    for title, items in report_sections(rep):
        out += [f"## {title}", ""]
        if not items:
            out += ["None.", ""]
            continue
        for n, it in enumerate(items, 1):
            for pk in it.events:
                cited[pk] = None
            evs = ", ".join(f"[event {pk}](#ev-{pk})" for pk in it.events[:6])
            arts = ", ".join(f"[article {a.split(':')[-1][:12]}](#{_art_anchor(a)})" for a in it.articles[:4])
            out.append(f"{n}. {_md(it.text)} — {evs}; {arts}")
        out.append("")
    out += ["## Trend", ""] + [f"- {_md(line)}" for line in report_figures(rep)] + [""]
    if chart_dir is not None and rep.trend.periods:
        chart_dir.mkdir(parents=True, exist_ok=True)
        (chart_dir / f"{stem}-trend.png").write_bytes(trend_chart(rep.trend))
        (chart_dir / f"{stem}-escalation.png").write_bytes(escalation_chart(rep.escalation))
        out += [f"![events per period]({stem}-trend.png)", "",
                f"![escalation index]({stem}-escalation.png)", ""]
    out += ["## Events cited", ""]
    for pk in sorted(cited):
        e = rep.events[pk]
        link = f" <{e.url}>" if e.url else ""
        out.append(f'- <a id="ev-{pk}"></a><a id="{_art_anchor(e.article_id)}"></a>**event {pk}** '
                   f"({e.day}, {_md(e.event)}) in article `{e.article_id}` from {_md(e.source)}{link}: "
                   f"> {_md(e.sentence)}")
    return "\n".join(out).rstrip() + "\n"


def render_report_html(rep: SituationReport, *, charts: bool = True) -> str:
    """A standalone HTML page (all text escaped) with the charts embedded as data URIs."""
    from .charts import escalation_chart, trend_chart

    e = html.escape
    parts = [f"<h1>{e(report_title(rep))}</h1>"]
    cited: dict[int, None] = {}
    for title, items in report_sections(rep):
        parts.append(f"<h2>{e(title)}</h2>")
        if not items:
            parts.append("<p>None.</p>")
            continue
        parts.append("<ol>")
        for it in items:
            for pk in it.events:
                cited[pk] = None
            evs = ", ".join(f'<a href="#ev-{pk}">event {pk}</a>' for pk in it.events[:6])
            arts = ", ".join(f'<a href="#ev-{next(p for p in it.events if rep.events[p].article_id == a)}">'
                             f"article {e(a.split(':')[-1][:12])}</a>" for a in it.articles[:4])
            parts.append(f'<li data-kind="{e(it.kind)}">{e(it.text)} — {evs}; {arts}</li>')
        parts.append("</ol>")
    parts.append("<h2>Trend</h2><ul>" + "".join(f"<li>{e(x)}</li>" for x in report_figures(rep)) + "</ul>")
    if charts and rep.trend.periods:
        for name, png in (("events per period", trend_chart(rep.trend)),
                          ("escalation index", escalation_chart(rep.escalation))):
            parts.append(f'<img alt="{e(name)}" src="data:image/png;base64,{base64.b64encode(png).decode()}">')
    parts.append("<h2>Events cited</h2><ul>")
    for pk in sorted(cited):
        ev = rep.events[pk]
        src = e(ev.source)
        if ev.url:
            src = f'<a href="{e(ev.url)}">{src}</a>'
        parts.append(f'<li id="ev-{pk}"><b>event {pk}</b> ({e(ev.day or "")}, {e(ev.event)}) in article '
                     f"<code>{e(ev.article_id)}</code> from {src}: <q>{e(ev.sentence)}</q></li>")
    parts.append("</ul>")
    return ('<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{e(report_title(rep))}</title></head>\n<body>\n" + "\n".join(parts) + "\n</body></html>\n")
