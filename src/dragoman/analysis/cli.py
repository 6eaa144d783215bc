"""The analysis commands: trends, escalation, network and brief (a situation report) over the store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..store import EventFilter, Store
from ..store.cli import DB_OPTION, _filters

__all__ = ["brief", "escalation", "network", "trends"]

BY_OPTION = click.option("--by", type=click.Choice(["week", "month", "quarter", "year"]), default=None,
                         help="period length [default: week, or the finest whose periods with events a series "
                              "can show: a long news period collapses its empty runs into gaps first]")
DYAD_OPTION = click.option("--dyad", nargs=2, metavar="A B", default=None,
                           help="only events between actors A and B (names, aliases or keys)")


def _f(actor: str | None, type_: str | None, country: str | None, place: str | None, since: str | None,
       until: str | None, text: str | None) -> EventFilter:
    return EventFilter(actor=actor, type=type_, country=country, place=place, since=since, until=until,
                       text=text)


def _dump(d: Any) -> None:
    click.echo(json.dumps(d, ensure_ascii=False, indent=2))


def _table(title: str, cols: list[str], rows: list[list[Any]]) -> None:
    from ..store.cli import _emit_table

    _emit_table(cols, rows, title)


@click.command()
@_filters
@BY_OPTION
@DYAD_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@DB_OPTION
def trends(actor: str | None, type_: str | None, country: str | None, place: str | None, since: str | None,
           until: str | None, text: str | None, by: str | None, dyad: tuple[str, str] | None, fmt: str,
           db: str | None) -> None:
    """Event counts and mean intensity per week, month, quarter or year, by quad class and type, with the change."""
    from .trends import QUAD_NAMES
    from .trends import trends as run

    with Store.open(db, readonly=True) as store:
        rep = run(store, _f(actor, type_, country, place, since, until, text), by=by, dyad=dyad)
    if fmt == "json":
        _dump(rep.to_dict())
        return
    quads = sorted(rep.quad)
    rows: list[list[Any]] = []
    quiet: list[str] = []  # a run of empty periods, and the collapsed gaps in it, shows as one row
    gaps = {g.at: g for g in rep.coverage.gaps}
    for i, c in enumerate(rep.total):
        if i in gaps:
            quiet += [gaps[i].first, gaps[i].last]
        if c.n == 0:
            quiet.append(c.period)
            continue
        if quiet:
            rows.append([_run_of(quiet), 0, 0, "", "", *["" for _ in quads]])
            quiet = []
        rows.append([c.period, c.incidents, c.n, c.mean_intensity,
                     "" if c.change_n is None else f"{c.change_n:+d}",
                     *[rep.quad[q][i].incidents for q in quads]])
    if quiet:
        rows.append([_run_of(quiet), 0, 0, "", "", *["" for _ in quads]])
    _table(f"Events per {rep.by}; " + "; ".join(rep.coverage.notes()),
           ["period", "incidents", "reports", "mean intensity", "change", *[QUAD_NAMES[q] for q in quads]], rows)


def _run_of(periods: list[str]) -> str:
    return f"{periods[0]}: no events" if len(set(periods)) == 1 else f"{periods[0]} … {periods[-1]}: no events"


@click.command()
@_filters
@BY_OPTION
@DYAD_OPTION
@click.option("--level", type=click.Choice(["dyad", "country_dyad", "country"]), default="dyad",
              show_default=True, help="unit of the index: actor pairs, country pairs or countries")
@click.option("--window", type=int, default=4, show_default=True, help="baseline: previous periods")
@click.option("--threshold", type=float, default=3.5, show_default=True, help="robust z-score for an alert")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@DB_OPTION
def escalation(actor: str | None, type_: str | None, country: str | None, place: str | None,
               since: str | None, until: str | None, text: str | None, by: str | None,
               dyad: tuple[str, str] | None, level: str, window: int, threshold: float, fmt: str,
               db: str | None) -> None:
    """Escalation index per dyad or country, and alerts where it departs from its own baseline."""
    from .escalation import EscalationConfig
    from .escalation import escalation as run

    cfg = EscalationConfig(window=window, min_periods=min(3, window), threshold=threshold)
    with Store.open(db, readonly=True) as store:
        rep = run(store, _f(actor, type_, country, place, since, until, text), by=by, level=level,
                  dyad=dyad, config=cfg)
    if fmt == "json":
        _dump(rep.to_dict())
        return
    _table("Escalation alerts; " + "; ".join(rep.coverage.notes()),
           ["period", "unit", "index", "baseline", "z", "independent reports", "driving events"],
           [[a.period, a.label, a.index, a.baseline, a.z,
             "; ".join(f"{t or aid[7:19]} ({src})" for aid, src, t in a.reports)
             + (f" and {a.report_count - len(a.reports)} more" if a.report_count > len(a.reports) else ""),
             "; ".join(f"{d.summary()} (events {', '.join(str(r.pk) for r in d.reports)})" for d in a.drivers)]
            for a in rep.alerts])
    # The index of the heaviest units over their latest twelve periods (the JSON has every period).
    periods = rep.series[0].periods[-12:] if rep.series else []
    gaps = [g.label for g in rep.coverage.gaps if g.at > len(rep.series[0].periods) - len(periods)] if periods else []
    _table(f"Escalation index per {rep.by}, latest periods" + (f" (collapsed between them: {'; '.join(gaps)})"
                                                               if gaps else ""), ["unit", *periods],
           [[s.label, *s.index[-len(periods):]] for s in rep.series[:15]] if periods else [])


@click.command()
@_filters
@DYAD_OPTION
@click.option("--compare", metavar="DATE", default=None,
              help="also list the edges that changed from before DATE to after it")
@click.option("--format", "fmt", type=click.Choice(["json", "graphml"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
@DB_OPTION
def network(actor: str | None, type_: str | None, country: str | None, place: str | None, since: str | None,
            until: str | None, text: str | None, dyad: tuple[str, str] | None, compare: str | None, fmt: str,
            output: Path | None, db: str | None) -> None:
    """The actor network: cooperation and conflict edges from events, affiliations from relations."""
    from .network import actor_network, to_graphml

    with Store.open(db, readonly=True) as store:
        net = actor_network(store, _f(actor, type_, country, place, since, until, text), dyad=dyad,
                            compare=compare)
    out = to_graphml(net) if fmt == "graphml" else json.dumps(net.to_dict(), ensure_ascii=False, indent=2)
    if output:
        output.write_text(out, encoding="utf-8")
        click.echo(f"wrote {len(net.nodes)} actors and {len(net.edges)} edges to {output}", err=True)
    else:
        click.echo(out)


@click.command()
@_filters
@BY_OPTION
@DYAD_OPTION
@click.option("--level", type=click.Choice(["dyad", "country_dyad", "country"]), default="dyad",
              show_default=True, help="unit of the escalation index")
@click.option("--top", type=int, default=10, show_default=True, help="items per section")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="file to write; with md, the charts are written beside it as PNG")
@DB_OPTION
def brief(actor: str | None, type_: str | None, country: str | None, place: str | None, since: str | None,
          until: str | None, text: str | None, by: str | None, dyad: tuple[str, str] | None, level: str, top: int,
          fmt: str, output: Path | None, db: str | None) -> None:
    """A situation report: key developments, trends and escalation with charts, caveats, what to watch.

    --since limits the developments and caveats; the trend and the escalation baselines still use the
    earlier events of the selection.
    """
    from .report import render_report_html, render_report_markdown, situation_report

    with Store.open(db, readonly=True) as store:
        rep = situation_report(store, _f(actor, type_, country, place, None, until, text), since=since, by=by,
                               dyad=dyad, level=level, top=top)
    if fmt == "json":
        out = json.dumps(rep.to_dict(), ensure_ascii=False, indent=2)
    elif fmt == "html":
        out = render_report_html(rep)
    else:
        out = render_report_markdown(rep, chart_dir=output.parent if output else None,
                                     stem=output.stem if output else "brief")
    if output:
        output.write_text(out, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(out)
