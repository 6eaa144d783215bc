"""Sources: files, folders, tables with field maps, feeds, URLs over a local HTTP server, stdin."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from dragoman.clean import clean_article
from dragoman.errors import ConfigError
from dragoman.ingest import RawArticle, SourceFailure, iter_sources, parse_field_map

STORY = (
    "Kenyan police arrested 14 people in Nairobi on Thursday after protests over new taxes turned violent, "
    "a police spokesman said. Demonstrators blocked roads and set tyres alight in several districts."
)
PAGE = f"""<!doctype html><html><head><title>Nairobi protests: 14 arrested</title>
<meta property="og:site_name" content="Coast Herald">
<meta name="date" content="2025-06-26"></head>
<body><nav>Home | World | Sport</nav><article><h1>Nairobi protests: 14 arrested</h1>
<p>{STORY}</p><p>Opposition leaders called for calm and asked the government to withdraw the bill, which
they said would hurt traders and families already struggling with high prices across the country.</p>
</article><footer>Copyright Coast Herald</footer></body></html>"""
FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Coast Herald</title>
<item><title>Nairobi protests</title><link>{base}/story</link><pubDate>Thu, 26 Jun 2025 10:00:00 GMT</pubDate>
<description>Kenyan police arrested 14 people.</description></item>
<item><title>Port strike ends</title><link>urn:no-fetch</link><pubDate>Fri, 27 Jun 2025 09:00:00 GMT</pubDate>
<description>Dock workers in Mombasa ended a three-day strike on Friday after the port authority agreed to
review wages, union officials said.</description></item></channel></rss>"""


def _collect(specs: list[str], **kw: object) -> tuple[list[RawArticle], list[SourceFailure]]:
    items = list(iter_sources(specs, **kw))  # type: ignore[arg-type]
    return ([i for i in items if isinstance(i, RawArticle)], [i for i in items if isinstance(i, SourceFailure)])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            base = f"http://127.0.0.1:{self.server.server_port}"  # type: ignore[attr-defined]
            routes = {
                "/story": (PAGE, "text/html"),
                "/feed": (FEED.format(base=base), "application/rss+xml"),
                "/huge": ("x" * 50_000, "text/plain"),
            }
            if self.path not in routes:
                self.send_error(404)
                return
            body, ctype = routes[self.path]
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_a_folder_yields_text_and_html_files_and_reports_unreadable_ones(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(b"\x00\x01\x02 not text")
    (tmp_path / "notes.bin").write_bytes(b"ignored: unknown kind")
    arts, fails = _collect([str(tmp_path), str(tmp_path / "missing.txt")])
    assert [Path(a.source).name for a in arts] == ["a.txt", "b.html"]
    page = clean_article(arts[1].text, html_input=arts[1].html)  # HTML goes through the cleaner, as in analyze
    assert page.title == "Nairobi protests: 14 arrested" and "Kenyan police arrested" in page.text
    assert "Home | World" not in page.text and page.published == "2025-06-26"
    assert sorted(f.error_type for f in fails) == ["BinaryInputError", "FileNotFoundError"]


def test_tables_use_the_field_map_and_report_bad_rows(tmp_path: Path) -> None:
    rows = [
        {"body": STORY, "headline": "Arrests in Nairobi", "pubDate": "2025-06-26", "site": "Coast Herald"},
        {"headline": "no body here"},
    ]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n{not json\n", encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"articles": [{"content": {"text": STORY}, "link": "u"}]}))
    (tmp_path / "c.csv").write_text('story,date\n"' + STORY + '",2025-06-27\n', encoding="utf-8")
    fields = parse_field_map(["text=body", "date=pubDate", "outlet=site"])
    arts, fails = _collect([str(tmp_path / "a.jsonl")], fields=fields)
    assert [(a.text[:12], a.title, a.published, a.outlet) for a in arts] == [
        ("Kenyan polic", "Arrests in Nairobi", "2025-06-26", "Coast Herald")
    ]
    assert sorted(f.error_type for f in fails) == ["JSONDecodeError", "MissingField"]
    arts, _ = _collect([str(tmp_path / "b.json")], fields=parse_field_map(["text=content.text"]))
    assert arts[0].text == STORY and arts[0].url == "u"
    arts, _ = _collect([str(tmp_path / "c.csv")])  # default names: story, date
    assert arts[0].text == STORY and arts[0].published == "2025-06-27"
    with pytest.raises(ConfigError):
        parse_field_map(["colour=red"])
    with pytest.raises(ConfigError):
        parse_field_map(["text"])


def test_feeds_from_a_url_fetch_teaser_links_and_keep_full_entries(server: str) -> None:
    arts, fails = _collect([server + "/feed"])
    assert not fails
    assert [a.title for a in arts] == ["Nairobi protests", "Port strike ends"]
    fetched, kept = arts
    assert "Kenyan police arrested 14 people in Nairobi" in fetched.text and fetched.url == server + "/story"
    assert fetched.published == "2025-06-26" and fetched.outlet == "Coast Herald"
    assert kept.published == "2025-06-27" and "Dock workers" in kept.text


def test_feed_files_and_urls_and_their_limits(server: str, tmp_path: Path) -> None:
    feed = tmp_path / "news.xml"
    feed.write_text(FEED.format(base=server), encoding="utf-8")
    arts, _ = _collect([str(feed)], fetch_links=False)
    assert [a.text[:20] for a in arts] == ["Kenyan police arrest", "Dock workers in Momb"]
    arts, fails = _collect([server + "/story", server + "/huge", server + "/nothing"], max_bytes=10_000)
    assert arts[0].title == "Nairobi protests: 14 arrested" and arts[0].published == "2025-06-26"
    assert [f.error_type for f in fails] == ["TooLargeError", "FetchError"]
    assert "404" in fails[1].reason


def test_standard_input_is_one_article() -> None:
    arts, _ = _collect(["-"], stdin_text=STORY)
    assert arts == [RawArticle(STORY, source="-")]


def test_a_text_file_of_links_fetches_the_pages(server: str, tmp_path: Path) -> None:
    links = tmp_path / "links.txt"
    links.write_text(f"{server}/story\n\n{server}/gone\n", encoding="utf-8")
    arts, fails = _collect([str(links)])
    assert [a.source for a in arts] == [f"{server}/story"] and "Kenyan police arrested" in str(arts[0].text)
    assert [f.source for f in fails] == [f"{server}/gone"] and "404" in fails[0].reason
