"""The dashboard in real Chromium: pages load with data, filters and links work, nothing injected runs."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from .conftest import TOKEN, LiveServer, screenshot
from .corpus import XSS_NAME, XSS_QUOTE


def _api(server: LiveServer, path: str, **params: Any) -> Any:
    return httpx.get(server.url + path, params=params, timeout=30).json()


def _no_script_ran(page: Any) -> None:
    assert page.evaluate("() => window.__xss") is None
    assert page.dialogs == []
    # Escaped, not merely blocked: the markup is shown as text and never became elements.
    assert page.locator("img[src=x], script:not([src]), iframe, svg[onload]").count() == 0


def test_overview_shows_counts_recent_events_and_top_actors(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/")
    stats = _api(live_server, "/api/stats")
    assert page.locator(".card .num").first.inner_text() == f"{stats['articles']:,}"
    assert page.locator("table.events tbody tr").count() >= 3
    assert page.locator("table.bars tr").count() >= 2
    screenshot(page, "overview")


def test_events_filter_by_type_and_click_through(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/events")
    total = page.locator("table.events tbody tr").count()
    assert total >= 5
    screenshot(page, "events")
    first_type = page.locator("table.events tbody tr .badge").first.inner_text()
    # Choosing a type submits the form by itself (progressive enhancement).
    page.select_option("select[name=type]", first_type)
    page.wait_for_url("**/events?*type=" + first_type + "*")
    badges = page.locator("table.events tbody tr td:nth-child(2) .badge").all_inner_texts()
    assert badges and set(badges) == {first_type}
    assert "&actor=" not in page.url  # blank fields are left out of the address
    # A facet link narrows further and shows as selected.
    page.locator("aside.facets a.on").first.wait_for()
    page.locator("table.events tbody tr a", has_text="article").first.click()
    page.wait_for_url("**/articles/**")
    assert page.locator("#article-text .hl-trigger").count() >= 1
    assert page.locator(".event-card .badge", has_text=first_type).count() >= 1


def test_events_date_range_and_clusters(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/events")
    page.fill("input[name=since]", "2025-03")
    page.fill("input[name=until]", "2025-03")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**since=2025-03**")
    dates = page.locator("table.events tbody tr td:first-child").all_inner_texts()
    assert dates and all(d.startswith("2025-03") for d in dates)
    page.click("text=Show real-world events (clusters)")
    page.wait_for_url("**clusters=1**")
    page.locator("table.events tbody tr a", has_text="reports").first.click()
    page.wait_for_url("**cluster=**")
    assert page.locator("table.events tbody tr").count() >= 1


def test_article_page_highlights_each_kind(page: Any, live_server: LiveServer) -> None:
    hit = _api(live_server, "/api/articles", q="Mosul Defence")["items"][0]
    page.goto(f"{live_server.url}/articles/{hit['id']}")
    for cls in ("hl-entity", "hl-trigger", "hl-quote", "hl-place"):
        assert page.locator(f"#article-text .{cls}").count() >= 1, cls
    # The text on the page is exactly the stored text: highlighting adds no characters.
    full = _api(live_server, f"/api/articles/{hit['id']}")
    assert page.locator("#article-text").inner_text().strip() == full["article"]["text"].strip()
    assert page.locator(".event-card").count() == len(full["events"])
    assert page.locator(".event-card dd", has_text="asserted").count() + page.locator(
        ".event-card dd", has_text="reported").count() >= 1
    screenshot(page, "article")


def test_actor_page_and_its_links(page: Any, live_server: LiveServer) -> None:
    top = _api(live_server, "/api/actors")["items"][0]
    page.goto(f"{live_server.url}/actors/{quote(top['key'], safe='')}")
    assert page.locator("h1").inner_text().startswith(top["name"])
    assert page.locator("svg.chart rect").count() >= 1
    assert page.locator("table.events tbody tr").count() >= 1
    screenshot(page, "actor")
    page.click("text=all its events")
    page.wait_for_url("**/events?actor=**")
    assert page.locator("table.events tbody tr").count() >= 1


def test_timeline_draws_bars_and_intensity_line(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/timeline")
    assert page.locator("#timeline-chart rect.bar").count() >= 3
    assert page.locator("#timeline-chart polyline.intensity").count() == 1
    screenshot(page, "timeline")
    page.click("text=quad class")
    page.wait_for_url("**by=quad**")
    assert page.locator("#timeline-chart rect.bar").count() >= 3
    page.locator("#timeline-chart a").first.click()
    page.wait_for_url("**/events?**")
    assert page.locator("table.events tbody tr").count() >= 1


def test_map_shows_points_and_links_to_events(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/map")
    page.wait_for_load_state("networkidle")
    assert page.locator("#worldmap .point").count() >= 2
    # The outlines image loaded from this server.
    assert page.evaluate("() => fetch('/map/world.svg').then(r => r.status)") == 200
    screenshot(page, "map")
    page.locator("#worldmap .point circle").last.click(force=True)
    page.wait_for_url("**/events?*place=*")
    assert page.locator("table.events tbody tr").count() >= 1


def test_network_links_actors_and_clicks_through(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/network")
    assert page.locator("#network .node").count() >= 2
    screenshot(page, "network")
    name = page.locator("#network .node text").first.text_content()
    # Labels never take the click: another actor's label may lie over this circle.
    page.locator("#network .node circle").first.click()
    page.wait_for_url("**/actors/**")
    assert page.locator("h1").inner_text().startswith(name or "")


def test_analyse_page_shows_result_and_stores_with_token(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/analyse")
    page.fill("textarea[name=text]", "BAGHDAD, May 6 - Iraqi police arrested four men in Baghdad on "
              "Tuesday, the Interior Ministry said.")
    page.fill("input[name=published]", "2025-05-06")
    page.click("form.analyse button[type=submit]")
    page.locator(".event-card").first.wait_for()
    assert page.locator("#article-text .hl-trigger").count() >= 1
    screenshot(page, "analyse")
    page.check("input[name=store]")
    page.fill("input[name=token]", "wrong")
    page.click("form.analyse button[type=submit]")
    page.locator(".error").first.wait_for()
    assert page.locator(".ok").count() == 0
    page.check("input[name=store]")
    page.fill("input[name=token]", TOKEN)
    page.click("form.analyse button[type=submit]")
    page.locator(".ok a").click()
    page.wait_for_url("**/articles/**")
    assert "arrested four men" in page.locator("#article-text").inner_text()


def test_docs_page_is_offline(page: Any, live_server: LiveServer) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(live_server.url + "/docs")
    assert page.locator("section.op").count() >= 8
    assert all(u.startswith(live_server.url) for u in requests)
    screenshot(page, "docs")


def test_markup_in_articles_never_executes(page: Any, live_server: LiveServer) -> None:
    hit = _api(live_server, "/api/articles", q="checkpoint")["items"][0]
    evil = [a for a in _api(live_server, "/api/actors", name="Commander", limit=50)["items"]
            if a["name"] == XSS_NAME][0]
    pages = ["/", "/events", "/events?clusters=1", f"/articles/{hit['id']}",
             f"/actors/{quote(evil['key'], safe='')}", "/timeline", "/map", "/network",
             "/events?actor=" + quote(XSS_NAME), "/articles/" + quote("<script>", safe="")]
    for path in pages:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        _no_script_ran(page)
    page.goto(f"{live_server.url}/articles/{hit['id']}")
    text = page.locator("#article-text").inner_text()
    assert XSS_NAME in text and XSS_QUOTE in text
    assert page.locator(".side", has_text=XSS_NAME).count() == 1
    screenshot(page, "article-markup")
    # The analyse page echoes pasted markup back as text too.
    page.goto(live_server.url + "/analyse")
    page.fill("textarea[name=text]", XSS_NAME + " said the army attacked the town. " + XSS_QUOTE)
    page.click("form.analyse button[type=submit]")
    page.wait_for_load_state("load")
    page.locator("h2", has_text="Result").wait_for()
    _no_script_ran(page)
