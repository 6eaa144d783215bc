"""Briefs, trends, escalation and the situation report over the API (and their pages), in process,
against the real corpus: the web articles plus the analysis tests' escalation between Armenia and Azerbaijan."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from .corpus import ALERT_PERIOD, XSS_NAME, XSS_QUOTE

QUIET = ["2025-W10", "2025-W11", "2025-W12", "2025-W13"]
PAIR = "ARM | AZE"


def _article_id(client: TestClient, q: str) -> str:
    hits = client.get("/api/articles", params={"q": q}).json()["items"]
    assert hits, q
    return str(hits[0]["id"])


def test_escalation_alerts_in_the_week_of_the_first_attacks(client: TestClient) -> None:
    body = client.get("/api/escalation").json()
    assert body["level"] == "country_dyad" and body["by"] == "week"
    assert body["method"] == {"window": 4, "min_periods": 3, "threshold": 3.5, "min_rise": 5.0, "floor": 1.0,
                              "min_history": 1, "min_reports": 2}
    pair = [a for a in body["alerts"] if a["unit"] == PAIR]
    assert pair
    strongest = max(pair, key=lambda a: a["z"])
    assert strongest["period"] == ALERT_PERIOD
    assert not [a for a in pair if a["period"] in QUIET]
    assert "ASSAULT" in {d["event"] for d in strongest["drivers"]}
    for d in strongest["drivers"]:
        assert d["events"] and d["articles"] and d["weight"] > 0
    series = next(s for s in body["series"] if s["unit"] == PAIR)
    assert [series["index"][series["periods"].index(p)] for p in QUIET] == [0, 0, 0, 0]


def test_escalation_method_parameters_and_levels(client: TestClient) -> None:
    strict = client.get("/api/escalation", params={"threshold": 40}).json()
    assert strict["method"]["threshold"] == 40 and strict["alerts"] == []
    dyads = client.get("/api/escalation", params={"level": "dyad", "window": 3}).json()
    assert dyads["level"] == "dyad" and dyads["method"]["window"] == 3
    assert all(" | " in a["unit"] for a in dyads["alerts"])
    countries = client.get("/api/escalation", params={"level": "country"}).json()
    assert any(a["unit"] in {"ARM", "AZE"} and a["period"] == ALERT_PERIOD for a in countries["alerts"])


def test_escalation_csv_lists_the_alerts_and_the_series(client: TestClient) -> None:
    alerts = client.get("/api/escalation").json()["alerts"]
    for r in (client.get("/api/escalation.csv"), client.get("/api/escalation", params={"format": "csv"})):
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert [(x["unit"], x["period"]) for x in rows] == [(a["unit"], a["period"]) for a in alerts]
        assert rows[0]["events"] and rows[0]["articles"].startswith("sha256:")
    series = list(csv.DictReader(io.StringIO(client.get("/api/escalation.csv", params={"rows": "series"}).text)))
    pair = {r["period"]: float(r["index"]) for r in series if r["unit"] == PAIR}
    assert pair[ALERT_PERIOD] > 5 and all(pair[p] == 0 for p in QUIET)


def test_trends_show_the_rise_and_follow_the_filters(client: TestClient) -> None:
    body = client.get("/api/trends").json()
    # The Iraq articles have their own events in 2025-W14; the selection of one side shows the rise.
    aze = client.get("/api/trends", params={"country": "AZE"}).json()
    q4 = {c["period"]: c["incidents"] for c in aze["quad"]["4"]}
    assert q4[ALERT_PERIOD] > q4["2025-W14"] and all(q4.get(p, 0) == 0 for p in QUIET)
    total = {c["period"]: c for c in aze["total"]}
    assert total[ALERT_PERIOD]["change_intensity"] < 0 and total[ALERT_PERIOD]["mean_intensity"] < -5
    assert set(aze["type"]) >= {"ASSAULT", "THREATEN", "CONSULT"}
    dyad = client.get("/api/trends", params={"dyad_a": "Armenia", "dyad_b": "Azerbaijan"}).json()
    assert dyad["selection"]["dyad"] == ["Armenia", "Azerbaijan"]
    assert 0 < sum(c["n"] for c in dyad["total"]) < sum(c["n"] for c in body["total"])
    assert dyad["periods"][0] == "2025-W10"  # nothing of the Iraq articles before the talks
    months = client.get("/api/trends", params={"by": "month", "country": "arm"}).json()
    assert months["periods"] == ["2025-03", "2025-04"] and months["selection"]["country"] == "ARM"


def test_trends_csv_has_a_row_per_series_and_period(client: TestClient) -> None:
    body = client.get("/api/trends", params={"by": "month"}).json()
    rows = list(csv.DictReader(io.StringIO(client.get("/api/trends.csv", params={"by": "month"}).text)))
    n_series = 1 + len(body["quad"]) + len(body["type"])
    assert len(rows) == n_series * len(body["periods"])
    assert {"series", "key", "period", "n", "incidents", "mean_intensity", "change_n"} <= set(rows[0])


def test_situation_report_ranks_the_escalation_first(client: TestClient) -> None:
    body = client.get("/api/brief", params={"since": "2025-03-31"}).json()
    first = body["developments"][0]
    assert first["event"] == "ASSAULT" and first["alert"] is True
    assert "Armenia" in first["text"] and "Azerbaijan" in first["text"]
    assert all(str(pk) in body["events"] for pk in first["events"])
    assert body["since"] == "2025-03-31" and "since" not in body["selection"]
    assert body["escalation"]["alerts"] and body["watch"]
    md = client.get("/api/brief", params={"since": "2025-03-31", "format": "md"})
    assert md.status_code == 200 and md.text.startswith("# Situation report")


def test_article_brief_statements_rest_on_the_article_text(client: TestClient) -> None:
    aid = _article_id(client, "shelled")
    text = client.get(f"/api/articles/{aid}").json()["article"]["text"]
    brief = client.get(f"/api/articles/{aid}/brief").json()
    assert brief["article_id"] == aid and brief["main_event"]
    sections = {s["section"] for s in brief["statements"]}
    assert {"main", "solidity"} <= sections
    main = next(s for s in brief["statements"] if s["section"] == "main")
    assert main["events"] == [brief["main_event"]] and main["evidence"]
    for s in brief["statements"]:
        for span, quote in zip(s["evidence"], s["quotes"], strict=True):
            assert text[span["start"]:span["end"]].strip() == quote
    md = client.get(f"/api/articles/{aid}/brief", params={"format": "md"})
    assert md.status_code == 200 and md.text.startswith("# Brief")
    assert client.get(f"/api/articles/{aid}/brief", params={"format": "text"}).text.startswith("Brief:")
    assert client.get("/api/articles/sha256:0000000000/brief").status_code == 404


def test_markup_in_a_brief_is_data_in_json_and_text_in_html(client: TestClient) -> None:
    aid = _article_id(client, "checkpoint")
    brief = client.get(f"/api/articles/{aid}/brief").json()
    assert any(XSS_NAME in s["text"] for s in brief["statements"])
    page = client.get(f"/articles/{aid}").text
    panel = page[page.index('id="brief"'):page.index('class="article-layout"')]
    assert "&lt;img src=x" in panel and "<img" not in panel and "<script" not in panel
    assert XSS_QUOTE not in page  # only ever escaped


@pytest.mark.parametrize(
    ("path", "params"),
    [("/api/trends", {"by": "day"}), ("/api/trends", {"dyad_a": "Armenia"}), ("/api/trends", {"dyad_b": "x"}),
     ("/api/trends", {"dyad_a": "x" * 300, "dyad_b": "y"}), ("/api/trends", {"country": "ARMENIA"}),
     ("/api/escalation", {"level": "planet"}), ("/api/escalation", {"window": 1}),
     ("/api/escalation", {"threshold": 0}), ("/api/escalation", {"min_rise": -1}),
     ("/api/escalation", {"rows": "everything"}), ("/api/escalation", {"format": "xml"}),
     ("/api/brief", {"top": 0}), ("/api/brief", {"since": "last week"}),
     ("/api/articles/sha256:abc/brief", {"format": "pdf"})],
)
def test_invalid_analysis_parameters_are_refused(client: TestClient, path: str, params: dict[str, Any]) -> None:
    r = client.get(path, params=params)
    assert r.status_code == 422, (path, params, r.text)
    assert r.json()["detail"]


def test_analysis_pages_render_with_data(client: TestClient) -> None:
    trends = client.get("/trends").text
    assert 'id="trend-quad-chart"' in trends and 'data-period="2025-W15"' in trends
    alerts = client.get("/alerts").text
    assert f'data-unit="{PAIR}" data-period="{ALERT_PERIOD}"' in alerts and "robust z" in alerts
    report = client.get("/brief", params={"since": "2025-03-31"}).text
    assert "Key developments" in report and "data:image/png;base64," in report
    overview = client.get("/").text
    assert 'id="current-alerts"' in overview and ALERT_PERIOD in overview
    bad = client.get("/alerts", params={"level": "planet"})
    assert bad.status_code == 422 and "text/html" in bad.headers["content-type"]
    assert client.get("/trends", params={"dyad_a": "Armenia"}).status_code == 422


def test_alert_evidence_names_each_report_and_its_outlet_once(client: TestClient) -> None:
    import html
    import re

    alerts = client.get("/alerts").text
    first = client.get("/api/escalation").json()["alerts"][0]
    evidence = re.search(r'<p class="evidence">On (\d+) independent reports: (.*?)</p>', alerts, re.S)
    assert evidence is not None and int(evidence.group(1)) == first["n_reports"] == len(first["reports"]) >= 2
    items = evidence.group(2).rstrip(".").split("; ")
    assert len(items) == len(first["reports"])
    for item, report in zip(items, first["reports"], strict=True):
        shown = re.sub(r"<[^>]+>", "", item)
        assert shown.count(html.escape(report["source"])) == 1, shown  # the outlet once, not as title and source


def test_openapi_lists_the_analysis_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/articles/{article_id}/brief", "/api/trends", "/api/trends.csv", "/api/escalation",
              "/api/escalation.csv", "/api/brief"):
        assert p in paths
