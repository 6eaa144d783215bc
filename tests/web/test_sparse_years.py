"""A sparse corpus over twelve years (a few stories, years apart), ingested through the CLI: every
period view covers the whole news period, its first and its last period, with the long quiet runs
between the stories collapsed into labelled gaps, in the CLI, the API and the pages (real Chromium)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dragoman.cli import cli

from .conftest import TOKEN, LiveServer, screenshot

# (publication day, title, text): two reports of one clash in March 2004, then a story every few
# years, and two reports of a clash between the same sides in October 2016.
ARTICLES: list[tuple[str, str, str]] = [
    ("2004-03-15", "Clash at Goma",
     "Congolese government forces attacked rebel fighters near Goma on Sunday, killing six, officials said."),
    ("2004-03-16", "Fighting near Goma",
     "Congolese government forces attacked rebel positions outside Goma on Monday, the army said."),
    ("2007-06-12", "Talks in Kampala",
     "Ugandan and Congolese officials met in Kampala on Monday to discuss border security."),
    ("2010-11-03", "Aid for Kisumu",
     "The Kenyan government delivered food aid to flooded villages near Kisumu on Tuesday."),
    ("2013-02-20", "Arrests in Bamako",
     "Malian police arrested ten protesters in Bamako on Tuesday after a march against the curfew."),
    ("2016-10-04", "Goma attacked again",
     "Congolese government forces attacked rebel fighters near Goma on Monday, killing eight, officials said."),
    ("2016-10-05", "Rebels shelled near Goma",
     "Congolese government forces shelled rebel camps north of Goma on Tuesday, the army said."),
]
FIRST_WEEK, LAST_WEEK = "2004-W12", "2016-W40"  # the weeks of the first and the last publication day
FIRST_MONTH, LAST_MONTH = "2004-03", "2016-10"


@pytest.fixture(scope="module")
def sparse_db(tmp_path_factory: pytest.TempPathFactory, pipeline: Any) -> Path:
    d = tmp_path_factory.mktemp("sparse")
    src = d / "sparse.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for day, title, text in ARTICLES:
            fh.write(json.dumps({"text": text, "title": title, "date": day}) + "\n")
    db = d / "sparse.db"
    res = CliRunner().invoke(cli, ["ingest", str(src), "--db", str(db), "--field", "text=text", "--field",
                                   "date=date", "--field", "title=title", "-q"], catch_exceptions=False)
    assert res.exit_code == 0 and f"stored: {len(ARTICLES)}" in res.output, res.output
    return db


@pytest.fixture(scope="module")
def api(sparse_db: Path) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from dragoman.web.app import create_app

    with TestClient(create_app(sparse_db), base_url="http://localhost") as c:
        yield c


def _whole(cov: dict[str, Any], first: str, last: str, unit: str) -> None:
    """The coverage of a view that spans the news period from ``first`` to ``last`` with gaps."""
    assert (cov["first"], cov["last"], cov["by"]) == (first, last, unit), cov
    assert cov["cut"] is None and cov["gaps"], cov
    assert all(g["label"].endswith(": no events") and g["first"] <= g["last"] for g in cov["gaps"])
    assert any("collapsed into" in n for n in cov["notes"]), cov["notes"]


def test_the_api_covers_the_news_period_end_to_end(api: Any) -> None:
    t = api.get("/api/trends").json()
    _whole(t["coverage"], FIRST_WEEK, LAST_WEEK, "week")
    assert t["by"] == "week" and t["periods"][0] == FIRST_WEEK and t["periods"][-1] == LAST_WEEK
    # the weeks shown and the gaps between them are every week of the news period, once
    weeks = len(t["periods"]) + sum(g["periods"] for g in t["coverage"]["gaps"])
    assert weeks == 656 > 157 and len(t["periods"]) < 20
    assert sum(c["n"] for c in t["total"]) >= len(ARTICLES) - 1
    gap = t["coverage"]["gaps"][0]
    after = t["total"][gap["at"]]
    assert after["n"] > 0 and after["change_pct"] is None and after["change_n"] == after["n"]  # against zero
    e = api.get("/api/escalation?level=country").json()
    _whole(e["coverage"], FIRST_WEEK, LAST_WEEK, "week")
    assert all(s["periods"] == t["periods"] for s in e["series"])
    assert all(a["n_reports"] >= 2 for a in e["alerts"])
    b = api.get("/api/brief").json()
    _whole(b["coverage"], FIRST_WEEK, LAST_WEEK, "week")
    assert b["trend"]["periods"][0] == FIRST_WEEK and b["trend"]["periods"][-1] == LAST_WEEK
    monthly = api.get("/api/trends?by=month").json()["coverage"]
    _whole(monthly, FIRST_MONTH, LAST_MONTH, "month")  # 152 months: over the cap of 120, collapsed
    yearly = api.get("/api/trends?by=year").json()
    assert yearly["periods"] == [str(y) for y in range(2004, 2017)] and not yearly["coverage"]["gaps"]
    assert api.get("/api/trends?by=fortnight").status_code == 422


def _csv(api: Any, path: str) -> list[dict[str, str]]:
    r = api.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), r.text
    return list(csv.DictReader(io.StringIO(r.text)))


def _gaps_of(rows: list[dict[str, str]]) -> list[tuple[str, str, int]]:
    return [(r["period"], r["last"], int(r["periods"])) for r in rows if r["row"] == "gap"]


@pytest.mark.parametrize("by", ["week", "month"])
def test_the_trends_csv_has_a_row_per_gap_where_the_json_and_the_page_have_it(api: Any, by: str) -> None:
    body = api.get(f"/api/trends?by={by}").json()
    gaps = [(g["first"], g["last"], g["periods"]) for g in body["coverage"]["gaps"]]
    assert gaps
    rows = _csv(api, f"/api/trends.csv?by={by}")
    assert {r["row"] for r in rows} == {"period", "gap"}
    series = list(dict.fromkeys((r["series"], r["key"]) for r in rows))
    assert len(series) == 1 + len(body["quad"]) + len(body["type"])
    for name, key in series:
        mine = [r for r in rows if (r["series"], r["key"]) == (name, key)]
        # every series: its periods in order, each gap as one marked row before the period that follows it
        assert [r["period"] for r in mine if r["row"] == "period"] == body["periods"]
        assert _gaps_of(mine) == gaps
        for r in mine:
            if r["row"] == "gap":
                after = mine[mine.index(r) + 1]
                assert after["row"] == "period" and after["period"] == body["periods"][
                    next(g["at"] for g in body["coverage"]["gaps"] if g["first"] == r["period"])]
                assert (r["n"], r["incidents"], r["mean_intensity"]) == ("0", "0", "")
                assert r["note"].endswith(": no events") and r["period"] in r["note"]
        # periods shown and periods collapsed: the whole news period, once
        assert sum(int(r["periods"]) for r in mine) == len(body["periods"]) + sum(g[2] for g in gaps)
    total = {r["period"]: int(r["n"]) for r in rows if r["series"] == "total" and r["row"] == "period"}
    assert total == {c["period"]: c["n"] for c in body["total"]}
    # the page's table states the same gaps (it may fold a quiet period beside a gap into its row)
    page = api.get(f"/trends?by={by}").text
    shown = [(m.group(1), m.group(2)) for m in re.finditer(
        r'<tr class="quiet gap" data-first="([^"]+)" data-period="([^"]+)"', page)]
    assert shown and all(any(f <= first and last <= t for f, t in shown) for first, last, _ in gaps)


def test_the_escalation_series_csv_has_a_row_per_gap_with_no_activity(api: Any) -> None:
    body = api.get("/api/escalation?level=country").json()
    gaps = [(g["first"], g["last"], g["periods"]) for g in body["coverage"]["gaps"]]
    rows = _csv(api, "/api/escalation.csv?level=country&rows=series")
    assert gaps and body["series"]
    for s in body["series"]:
        mine = [r for r in rows if r["unit"] == s["unit"]]
        assert [r["period"] for r in mine if r["row"] == "period"] == s["periods"]
        assert [float(r["index"]) for r in mine if r["row"] == "period"] == s["index"]
        assert _gaps_of(mine) == gaps
        assert all(float(r["index"]) == 0 and r["z"] == "" for r in mine if r["row"] == "gap")


def test_the_timeline_api_is_bounded_as_the_page(api: Any) -> None:
    r = api.get("/api/timeline")
    assert r.status_code == 200 and len(r.content) < 1_000_000
    body = r.json()
    cov = body["coverage"]
    # 152 months from the first publication to the last: more than the 120 a series shows, so the
    # empty runs are collapsed, and the months shown and collapsed are the whole news period, once
    _whole(cov, FIRST_MONTH, LAST_MONTH, "month")
    assert body["by"] == "month" and len(body["periods"]) <= 120
    assert len(body["periods"]) + sum(g["periods"] for g in cov["gaps"]) == 152
    assert cov["undated"] == 0 and "0 undated events not shown" in cov["notes"]
    assert [x["period"] for x in body["series"]] == body["periods"]
    page = api.get("/timeline").text
    assert f'data-first="{FIRST_MONTH}" data-last="{LAST_MONTH}"' in page
    assert f'data-gaps="{len(cov["gaps"])}"' in page
    rows = _csv(api, "/api/timeline.csv")
    assert _gaps_of(rows) == [(g["first"], g["last"], g["periods"]) for g in cov["gaps"]]
    assert all(r["n"] == "0" and r["note"].endswith(": no events") for r in rows if r["row"] == "gap")
    # a user's range wins, and the same filters as every API answer apply
    ranged = api.get("/api/timeline", params={"since": "2016-01-01", "until": "2016-12-31", "by": "quad"}).json()
    assert ranged["periods"] == [f"2016-{m:02d}" for m in range(1, 13)] and not ranged["coverage"]["gaps"]
    assert ranged["selection"] == {"since": "2016-01-01", "until": "2016-12-31"} and ranged["group"] == "quad"
    assert api.get("/api/timeline", params={"by": "week"}).status_code == 422


def test_the_cli_prints_the_gaps_and_both_ends(sparse_db: Path) -> None:
    out = CliRunner().invoke(cli, ["trends", "--db", str(sparse_db)])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert "Events per week" in lines[0] and "collapsed into" in lines[0]
    cells = [line.split("\t")[0] for line in lines[2:]]
    assert cells[0].startswith(FIRST_WEEK) and cells[-1].startswith(LAST_WEEK), cells
    gaps = [c for c in cells if c.endswith(": no events")]
    assert gaps and all(re.fullmatch(r"\d{4}-W\d\d( … \d{4}-W\d\d)?: no events", g) for g in gaps), gaps
    as_json = json.loads(CliRunner().invoke(cli, ["trends", "--db", str(sparse_db), "--format", "json"]).output)
    assert as_json["coverage"]["gaps"] and as_json["periods"][-1] == LAST_WEEK
    brief = CliRunner().invoke(cli, ["brief", "--db", str(sparse_db)])
    assert brief.exit_code == 0 and "Coverage: " in brief.output and ": no events" in brief.output, brief.output
    esc = CliRunner().invoke(cli, ["escalation", "--db", str(sparse_db), "--level", "country"])
    assert esc.exit_code == 0 and "collapsed into" in esc.output, esc.output


@pytest.fixture(scope="module")
def server(sparse_db: Path) -> Iterator[LiveServer]:
    s = LiveServer(sparse_db, TOKEN).start()
    yield s
    s.stop()


@pytest.mark.parametrize(("path", "first", "last"), [
    ("/trends", FIRST_WEEK, LAST_WEEK), ("/alerts?level=country", FIRST_WEEK, LAST_WEEK),
    ("/brief", FIRST_WEEK, LAST_WEEK), ("/timeline", FIRST_MONTH, LAST_MONTH)])
def test_each_page_shows_both_ends_and_a_collapsed_gap(page: Any, server: LiveServer, path: str, first: str,
                                                       last: str) -> None:
    page.goto(server.url + path)
    html = page.content()
    assert len(html.encode("utf-8")) < 1_000_000
    note = page.locator("p.coverage")
    assert (note.get_attribute("data-first"), note.get_attribute("data-last")) == (first, last)
    assert int(note.get_attribute("data-gaps") or 0) > 0 and "collapsed into" in note.inner_text()
    if path in ("/trends", "/timeline"):  # the chart labels the first and the last period, with gap bands
        chart = page.locator("svg.chart").first
        labels = chart.locator("text.tick").all_text_contents()
        assert first in labels and last in labels, labels
        bands = chart.locator("g.gap")
        assert bands.count() > 0 and (bands.first.locator("title").text_content() or "").endswith("periods collapsed)")
        assert page.locator(".gaps-note .gap-label").first.inner_text().endswith(": no events")
    if path == "/trends":  # the table, newest first, runs from the last week to the first, gaps folded
        rows = page.locator("#trend-table tbody tr")
        assert rows.first.get_attribute("data-period") == last
        assert first in (rows.last.get_attribute("data-first") or rows.last.get_attribute("data-period") or "")
        gap_rows = page.locator("#trend-table tr.gap")
        assert gap_rows.count() > 0 and ": no events" in gap_rows.first.inner_text()
    screenshot(page, "sparse-" + path.strip("/").split("?")[0])
