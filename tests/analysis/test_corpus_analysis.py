"""Trends, escalation, network and the situation report on a corpus analysed and stored for real."""

from __future__ import annotations

import json
import sys
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner

from dragoman.analyse import analyse
from dragoman.analysis.escalation import escalation
from dragoman.analysis.network import actor_network, to_graphml
from dragoman.analysis.report import render_report_html, render_report_markdown, situation_report
from dragoman.analysis.trends import trends
from dragoman.cli import cli
from dragoman.store import Store

sys.path.insert(0, str(Path(__file__).parent))
from corpus import ARTICLES  # noqa: E402

QUIET = ["2025-W10", "2025-W11", "2025-W12", "2025-W13"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, pipeline) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("corpus") / "corpus.db"
    with Store(path) as store:
        for published, outlet, text in ARTICLES:
            result = analyse(text, source=f"{outlet}-{published}.txt", outlet=outlet, published=published,
                             pipeline=pipeline)
            assert store.add(result).status == "stored"
    return path


def test_escalation_alerts_in_the_week_of_the_first_attacks(db: Path) -> None:
    with Store(db, readonly=True) as store:
        rep = escalation(store, level="country_dyad", by="week")
    alerts = [a for a in rep.alerts if a.unit == "ARM | AZE"]
    assert alerts
    strongest = max(alerts, key=lambda a: a.z)
    assert strongest.period == "2025-W15"
    assert all(a.period not in QUIET for a in rep.alerts)
    assert {d.event for d in strongest.drivers} >= {"ASSAULT"}
    series = next(s for s in rep.series if s.unit == "ARM | AZE")
    assert [series.index[series.periods.index(p)] for p in QUIET] == [0, 0, 0, 0]
    assert json.dumps(rep.to_dict())  # JSON-ready for the dashboard


def test_trends_show_the_rise_in_material_conflict(db: Path) -> None:
    with Store(db, readonly=True) as store:
        rep = trends(store, by="week")
        dyad = trends(store, by="week", dyad=("Armenia", "Azerbaijan"))
    assert rep.periods[0] == "2025-W10" and rep.periods[-1] == "2025-W16"
    q4 = {c.period: c.incidents for c in rep.quad[4]}
    assert all(q4[p] == 0 for p in QUIET)
    assert q4["2025-W15"] > q4["2025-W14"]
    total = {c.period: c for c in rep.total}
    assert total["2025-W15"].mean_intensity is not None and total["2025-W15"].mean_intensity < -5
    assert all((total[p].mean_intensity or 0) > 0 for p in QUIET)
    assert total["2025-W15"].change_intensity is not None and total["2025-W15"].change_intensity < 0
    assert dyad.total and sum(c.n for c in dyad.total) <= sum(c.n for c in rep.total)


def test_network_has_conflict_and_cooperation_edges_and_their_change(db: Path) -> None:
    with Store(db, readonly=True) as store:
        net = actor_network(store, compare="2025-04-01")
    country = {k: v["country"] for k, v in net.nodes.items()}

    def between(kind: str) -> list[object]:
        return [e for e in net.edges if e.kind == kind and {country[e.source], country[e.target]} == {"ARM", "AZE"}]

    assert between("conflict") and between("cooperation")
    assert net.changes is not None
    added = net.changes["added"]
    pair = {"ARM", "AZE"}
    assert any(e["kind"] == "conflict" and {country[e["source"]], country[e["target"]]} == pair for e in added)
    # the talks between the two sides all came before the cut
    assert not any(e["kind"] == "cooperation" and {country[e["source"]], country[e["target"]]} == pair
                   for e in added)
    graphml = to_graphml(net)
    assert "<graphml" in graphml and 'key="d' in graphml


def test_situation_report_ranks_the_escalation_first(db: Path, tmp_path: Path) -> None:
    with Store(db, readonly=True) as store:
        rep = situation_report(store, since="2025-03-31", by="week", level="country_dyad")
    first = rep.developments[0]
    assert first.details["event"] == "ASSAULT"
    countries = {c for pk in first.events for c in rep.events[pk].countries}
    assert {"ARM", "AZE"} <= countries
    assert first.details["alert"] is True
    md = render_report_markdown(rep, chart_dir=tmp_path, stem="sitrep")
    assert (tmp_path / "sitrep-trend.png").read_bytes()[:4] == b"\x89PNG"
    for pk in first.events:
        assert f"(#ev-{pk})" in md and f'id="ev-{pk}"' in md
    page = render_report_html(rep)
    assert "data:image/png;base64," in page and f'href="#ev-{first.events[0]}"' in page
    assert any(i.kind == "watch" for i in rep.watch)


def test_commands_run_over_the_store(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["escalation", "--db", str(db), "--level", "country_dyad", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert any(a["period"] == "2025-W15" for a in json.loads(out.output)["alerts"])
    out = runner.invoke(cli, ["trends", "--db", str(db), "--by", "month", "--format", "json"])
    assert out.exit_code == 0 and json.loads(out.output)["periods"] == ["2025-03", "2025-04"]
    out = runner.invoke(cli, ["network", "--db", str(db), "--format", "graphml"])
    assert out.exit_code == 0 and "<graphml" in out.output
    target = tmp_path / "report.md"
    out = runner.invoke(cli, ["brief", "--db", str(db), "--since", "2025-03-31", "--level", "country_dyad",
                              "-o", str(target)])
    assert out.exit_code == 0, out.output
    assert target.read_text().startswith("# Situation report") and (tmp_path / "report-trend.png").exists()


def test_the_trends_table_folds_a_run_of_empty_weeks_into_one_row(db: Path) -> None:
    # From January on, the weeks before the first article are empty: one row says so, not nine.
    out = CliRunner().invoke(cli, ["trends", "--db", str(db), "--since", "2025-01-01"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    folded = [line for line in lines if ": no events" in line]
    assert len(folded) == 1 and folded[0].split("\t")[0].startswith("2025-W01 … 2025-W")
    periods = [line.split("\t")[0] for line in lines[1:] if line.startswith("2025-W")]
    assert len(periods) == len(set(periods)) and all(": no events" in p or " " not in p for p in periods)
    assert "undated event" in out.output  # the coverage note heads the table


def test_the_brief_writes_a_run_of_quiet_weeks_once_per_quad_class(db: Path) -> None:
    # Material conflict is quiet through the weeks of talks: the brief's trend line says so once.
    from dragoman.analysis.report import report_figures

    with Store(db, readonly=True) as store:
        rep = situation_report(store, by="week", level="country_dyad")
    quads = [line for line in report_figures(rep, coverage=False) if line.startswith("material conflict: ")]
    assert len(quads) == 1
    cells = quads[0].split(": ", 1)[1].split(", ")
    assert any(" … " in c and c.endswith(" 0") for c in cells), cells
    zero = [c.endswith(" 0") for c in cells]
    assert not any(a and b for a, b in pairwise(zero)), cells  # no two quiet entries side by side
    weeks = set(rep.trend.periods)
    named = {p for c in cells for p in c.rsplit(" ", 1)[0].split(" … ")}
    assert named <= weeks and rep.trend.periods[0] in named and rep.trend.periods[-1] in named
