"""The analysis pages in real Chromium: trends, alerts, the situation report and the article brief."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import TOKEN, LiveServer, screenshot
from .corpus import ALERT_PERIOD, XSS_NAME
from .test_browser import _no_script_ran


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory, corpus_db: Path) -> Iterator[LiveServer]:
    """A server of its own: the session's live server may have stored a later article (the analyse page
    test does), which moves what the overview calls current."""
    db = tmp_path_factory.mktemp("analysis-live") / "live.db"
    shutil.copy(corpus_db, db)
    server = LiveServer(db, TOKEN).start()
    yield server
    server.stop()


def _api(server: LiveServer, path: str, **params: Any) -> Any:
    return httpx.get(server.url + path, params=params, timeout=60).json()


def test_trends_page_draws_the_rise_and_links_to_events(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/trends?country=AZE")
    assert page.locator("#trend-quad-chart rect.bar").count() >= 3
    assert page.locator("#trend-quad-chart polyline.intensity").count() == 1
    spans = page.locator("#trend-table tbody tr").evaluate_all("rs => rs.map(r => +r.dataset.periods)")
    assert sum(spans) == len(_api(live_server, "/api/trends", country="AZE")["periods"])  # quiet runs folded
    w15 = page.locator(f'#trend-table tr[data-period="{ALERT_PERIOD}"]')
    assert w15.locator(".up").count() >= 1  # more reports than the week before
    assert page.locator("#type-table tbody tr", has_text="ASSAULT").count() == 1
    screenshot(page, "trends")
    page.locator(f'#trend-table tr[data-period="{ALERT_PERIOD}"] a').click()
    page.wait_for_url("**/events?**since=2025-04-07**")
    dates = page.locator("table.events tbody tr td:first-child").all_inner_texts()
    assert dates and all("2025-04-07" <= d <= "2025-04-13" for d in dates)


def test_trends_by_month_for_a_dyad_from_the_form(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/trends")
    page.fill("input[name=dyad_a]", "Armenia")
    page.fill("input[name=dyad_b]", "Azerbaijan")
    page.select_option("select[name=by]", "month")  # a changed select applies the form at once
    page.wait_for_url("**by=month**")
    assert "dyad_a=Armenia" in page.url and "dyad_b=Azerbaijan" in page.url
    periods = page.locator("#trend-table tbody tr td:first-child").all_inner_texts()
    assert periods == ["2025-04", "2025-03"]
    assert "between Armenia and Azerbaijan" in page.locator("h1").inner_text()


def test_alerts_page_shows_the_alert_in_the_week_of_the_attacks(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/alerts")
    first = page.locator("article.alert-card").first
    assert first.get_attribute("data-period") == ALERT_PERIOD
    assert first.get_attribute("data-unit") == "ARM | AZE"
    assert first.locator("svg.spark rect.hit").count() >= 1
    assert page.locator("details.method-box dl.params").inner_text().count("3.5") == 1
    assert first.locator("tr.driver", has_text="ASSAULT").count() >= 1
    screenshot(page, "alerts")
    # A driving incident's events: its cluster (or its report) in the events table.
    first.locator("tr.driver", has_text="ASSAULT").first.locator("a.events-link").click()
    page.wait_for_url("**/events?**")
    badges = page.locator("table.events tbody tr td:nth-child(2) .badge").all_inner_texts()
    assert badges and set(badges) == {"ASSAULT"}
    # And its article, with the reported event's card in view.
    page.go_back()
    page.locator("article.alert-card").first.locator("a.report-link").first.click()
    page.wait_for_url("**/articles/**#**")
    assert page.locator(".event-card:target").count() == 1


def test_alert_settings_change_the_alerts(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/alerts")
    page.fill("input[name=threshold]", "40")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**threshold=40**")
    assert page.locator("article.alert-card").count() == 0
    assert page.locator(".empty").count() == 1
    assert "40" in page.locator("details.method-box dl.params").inner_text()


def test_overview_shows_the_current_alert_and_clicks_through(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/")
    alerts = page.locator("#current-alerts li")
    assert alerts.count() >= 1
    assert ALERT_PERIOD in alerts.first.inner_text()
    screenshot(page, "overview")
    alerts.first.locator("a.alert-link").click()
    page.wait_for_url("**/alerts#alert-**")
    assert page.locator("article.alert-card:target").get_attribute("data-period") == ALERT_PERIOD


def test_situation_report_page(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/brief?since=2025-03-31")
    dev = page.locator('section[data-section="Key developments"] li.item').first
    assert "ASSAULT" in dev.inner_text() and "Armenia" in dev.inner_text()
    assert page.locator('section[data-section="Escalation alerts"] li.item').count() >= 1
    # The charts are data URIs that the browser decoded.
    charts = page.locator("img.report-chart")
    assert charts.count() == 2
    assert page.evaluate("() => [...document.querySelectorAll('img.report-chart')].every(i => i.naturalWidth > 0)")
    screenshot(page, "brief")
    dev.locator("a.art").first.click()
    page.wait_for_url("**/articles/**")
    assert page.locator("#brief").count() == 1


def test_article_brief_panel_lights_up_the_evidence(page: Any, live_server: LiveServer) -> None:
    hit = _api(live_server, "/api/articles", q="shelled")["items"][0]
    brief = _api(live_server, f"/api/articles/{hit['id']}/brief")
    page.goto(f"{live_server.url}/articles/{hit['id']}")
    panel = page.locator("#brief")
    assert panel.locator(".brief-section h3").first.inner_text().lower() == "main development"
    assert panel.locator(".stmt").count() == len(brief["statements"])
    assert page.locator("#article-text .evidence-on").count() == 0
    main = panel.locator(".brief-main .stmt").first
    main.click()
    lit = page.locator("#article-text .evidence-on")
    assert lit.count() >= 1
    main_quote = next(s for s in brief["statements"] if s["section"] == "main")["quotes"][0]
    # The lit pieces, put together, are exactly the sentence the main statement rests on.
    assert "".join("".join(lit.all_inner_texts()).split()) == "".join(main_quote.split())
    assert "active" in (main.get_attribute("class") or "")
    screenshot(page, "article-brief")
    # Another statement moves the light to its own sentences.
    other = panel.locator(".brief-solidity .stmt").first
    other.click()
    assert "active" not in (main.get_attribute("class") or "")
    assert page.locator("#article-text .evidence-on").count() >= 1
    # The text on the page is still exactly the stored text.
    full = _api(live_server, f"/api/articles/{hit['id']}")
    assert page.locator("#article-text").inner_text().strip() == full["article"]["text"].strip()


def test_markup_in_the_brief_panel_never_executes(page: Any, live_server: LiveServer) -> None:
    hit = _api(live_server, "/api/articles", q="checkpoint")["items"][0]
    page.goto(f"{live_server.url}/articles/{hit['id']}")
    panel = page.locator("#brief")
    assert XSS_NAME in panel.inner_text()
    for i in range(panel.locator(".stmt").count()):
        panel.locator(".stmt").nth(i).click()
    assert page.locator("#article-text .evidence-on").count() >= 1
    _no_script_ran(page)
    screenshot(page, "article-brief-markup")
    for path in ("/trends", "/alerts?level=dyad", "/alerts?level=country", "/brief",
                 "/trends?actor=" + XSS_NAME, "/brief?dyad_a=%3Cscript%3E&dyad_b=x"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        _no_script_ran(page)
