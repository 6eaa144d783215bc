"""A corpus spanning years, ingested from JSON Lines with publication dates in every common form,
historical mentions and undated articles, then browsed in real Chromium: each period view stays
small, covers the news period only and says how many events it leaves undated."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dragoman.cli import cli

from .conftest import TOKEN, LiveServer, screenshot

LONG_WORD = "Unbrokenwordwithoutanyspace" * 8
# (date as the source writes it, title, text); None: the source gives no date.
ARTICLES: list[tuple[Any, str, str]] = [
    ("2023-03-14", "Shelling near Goma",
     "Government forces shelled rebel positions near Goma on Monday, killing four fighters, officials said. "
     "The war in the region began in 1994."),
    ("Tue, 12 Sep 2023 08:00:00 +0000", "Base attacked in Kidal",
     "Rebels attacked an army base in Kidal on Sunday, the army said. Troops repelled the attack."),
    ("17 December 2024", "Arrests in Nairobi",
     "Police arrested twelve protesters in Nairobi on Tuesday after a march against fuel prices."),
    ("7:58 AM ET, Sat January 4, 2025", f"Withdrawal {LONG_WORD}",
     "Kenyan troops withdrew from two villages near the Somali border on Friday, the defence ministry said."),
    (1718000000, "Ceasefire \u202eegaugnal\u202c signed",  # a Unix time; a right-to-left override in the title
     "Sudan and South Sudan signed a ceasefire agreement in Juba on Monday. In 1914 the region was a "
     "British protectorate, and in 1806 traders crossed it."),
    ("2024-02-02T10:00:00Z", "Looking back",
     "In 1806, troops of the empire burned the town of Kidal. In 1914, British forces attacked the fort."),
    (None, "Convoy attacked",
     "Militants attacked a military convoy near Mosul, killing three soldiers, officials said."),
    (None, "Talks held",
     "Iraqi and Turkish officials held talks in Ankara about border security, a spokesman said."),
]
VIEWS = ["/brief", "/trends", "/alerts", "/timeline"]


@pytest.fixture(scope="module")
def years_db(tmp_path_factory: pytest.TempPathFactory, pipeline: Any) -> Path:
    d = tmp_path_factory.mktemp("years")
    src = d / "corpus.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i, (day, title, text) in enumerate(ARTICLES):
            row = {"body": text, "headline": title, "id": f"a{i}"}
            if day is not None:
                row["when"] = day
            fh.write(json.dumps(row) + "\n")
    db = d / "years.db"
    res = CliRunner().invoke(cli, ["ingest", str(src), "--db", str(db), "--field", "text=body", "--field",
                                   "date=when", "--field", "title=headline", "-q"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "stored: 8" in res.output and "failed: 0" in res.output, res.output
    return db


@pytest.fixture(scope="module")
def server(years_db: Path) -> Iterator[LiveServer]:
    s = LiveServer(years_db, TOKEN).start()
    yield s
    s.stop()


def test_every_date_form_is_read(years_db: Path) -> None:
    with sqlite3.connect(years_db) as c:
        got = dict(c.execute("SELECT title, published FROM articles").fetchall())
    assert got["Shelling near Goma"] == "2023-03-14"
    assert got["Base attacked in Kidal"] == "2023-09-12"
    assert got["Arrests in Nairobi"] == "2024-12-17"
    assert got[f"Withdrawal {LONG_WORD}"] == "2025-01-04"
    assert got["Ceasefire \u202eegaugnal\u202c signed"] == "2024-06-10"
    assert got["Convoy attacked"] is None


def test_period_views_are_bounded_honest_and_readable(page: Any, server: LiveServer, years_db: Path) -> None:
    with sqlite3.connect(years_db) as c:
        undated = c.execute("SELECT count(*) FROM events WHERE dup = 0 AND day IS NULL").fetchone()[0]
        historical = c.execute("SELECT count(*) FROM events WHERE day < '1950'").fetchone()[0]
    assert undated >= 2 and historical >= 1  # the corpus has what these views must leave out
    for path in VIEWS:
        page.goto(server.url + path)
        html = page.content()
        assert len(html.encode("utf-8")) < 1_000_000, path
        note = page.locator("p.coverage")
        assert note.count() == 1, path
        assert f"{undated} undated events not shown" in note.inner_text(), path
        assert note.get_attribute("data-undated") == str(undated)
        shown = note.inner_text().split("Shown: ")[1].split(" (")[0]
        first, last = shown.split(" to ")
        assert first >= "2023" and last <= "2025-W02" and last >= "2025", (path, shown)  # the news period only
        for year in ("1806", "1914", "1994"):
            assert f">{year}" not in html, (path, year)  # no period of a historical year
        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not wide, path  # long words wrap instead of widening the page
        if path == "/trends":  # quiet weeks between the stories fold into single rows
            spans = page.locator("#trend-table tbody tr").evaluate_all("rs => rs.map(r => +r.dataset.periods)")
            assert max(spans) > 10 and len(spans) < sum(spans) / 4
        screenshot(page, "corpus-" + path.strip("/"))


def test_article_titles_are_isolated_and_wrap(page: Any, server: LiveServer) -> None:
    for title in ("Ceasefire", "Withdrawal"):
        with sqlite3.connect(server.db) as c:
            aid = c.execute("SELECT id FROM articles WHERE title LIKE ?", (title + "%",)).fetchone()[0]
        page.goto(f"{server.url}/articles/{aid}")
        h1 = page.locator("h1")
        assert h1.evaluate("e => getComputedStyle(e).unicodeBidi") == "isolate"
        box = h1.bounding_box()
        assert box is not None and box["x"] + box["width"] <= page.viewport_size["width"]
        assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        screenshot(page, "corpus-article-" + title.lower())


def test_a_date_range_still_counts_the_undated_events_it_cannot_show(years_db: Path) -> None:
    # A range cannot select an event with no date, which may belong to it: it is counted, not hidden.
    from fastapi.testclient import TestClient

    from dragoman.web.app import create_app

    with sqlite3.connect(years_db) as c:
        undated = c.execute("SELECT count(*) FROM events WHERE dup = 0 AND day IS NULL").fetchone()[0]
    assert undated >= 2
    with TestClient(create_app(years_db), base_url="http://localhost") as client:
        for query in ("", "?since=2024-01-01&until=2024-12-31"):
            for path in ("/api/trends", "/api/escalation", "/api/timeline"):
                assert client.get(path + query).json()["coverage"]["undated"] == undated, (path, query)
            assert client.get("/api/brief" + query).json()["coverage"]["undated"] == undated, query
            assert f'data-undated="{undated}"' in client.get("/timeline" + query).text, query


def test_the_timeline_page_links_an_api_answer_with_its_bounds(page: Any, server: LiveServer, years_db: Path) -> None:
    """/api/timeline answers what the page draws: the same periods over the news period, the same
    events per bar, the same undated count; its CSV has the same periods."""
    import csv
    import io

    with sqlite3.connect(years_db) as c:
        undated = c.execute("SELECT count(*) FROM events WHERE dup = 0 AND day IS NULL").fetchone()[0]
    for by in ("type", "quad"):
        page.goto(f"{server.url}/timeline?by={by}")
        note = page.locator("p.coverage")
        links = page.locator("p.views a.export")
        assert links.all_inner_texts() == ["JSON", "CSV"]
        answer = page.request.get(server.url + (links.first.get_attribute("href") or ""))
        assert answer.ok and len(answer.body()) < 1_000_000
        body = answer.json()
        cov = body["coverage"]
        assert (cov["first"], cov["last"], cov["by"], cov["undated"], str(len(cov["gaps"]))) == (
            note.get_attribute("data-first"), note.get_attribute("data-last"), note.get_attribute("data-by"),
            undated, note.get_attribute("data-gaps"))
        assert body["group"] == by and body["periods"][0] == cov["first"] and body["periods"][-1] == cov["last"]
        assert all(p >= "2023" for p in body["periods"])  # the news period: no 1806, 1914 or 1994
        bars = page.locator("svg.chart rect.bar title").all_text_contents()
        assert sum(int(t.rsplit(": ", 1)[1]) for t in bars) == sum(x["n"] for x in body["series"]) > 0
        assert all(sum(x["counts"].values()) == x["n"] for x in body["series"])
        if by == "quad":
            assert set(body["groups"]) <= {"1", "2", "3", "4"}
        table = page.request.get(server.url + (links.nth(1).get_attribute("href") or ""))
        assert table.ok and table.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(table.text())))
        assert list(dict.fromkeys(r["period"] for r in rows if r["row"] == "period")) == body["periods"]
        assert sum(int(r["n"]) for r in rows) == sum(x["n"] for x in body["series"])
    screenshot(page, "corpus-timeline-quad")
