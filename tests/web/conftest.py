"""Web fixtures: a real SQLite corpus built with analyse(), an in-process client, a live server, Chromium.

The browser tests need Debian's chromium at /usr/bin/chromium (``apt-get install -y chromium``)
and the playwright Python package; no browser is downloaded.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dragoman.analyse import analyse
from dragoman.store import Store

from .corpus import ARTICLES, ESCALATION, XSS_TEXT, poison, title_of

TOKEN = "test-token-7f3a9c"
BASE = "http://localhost"  # a host name the server answers to by default
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory, pipeline: Any) -> Path:
    """A database holding the test articles, the markup-laden one and the analysis tests' escalation
    corpus (Armenia and Azerbaijan from talks to attacks over seven weeks), written by the bulk path."""
    path = tmp_path_factory.mktemp("web") / "corpus.db"
    results = [analyse(text, source=f"tests/web/{i}.txt", title=title, published=day, pipeline=pipeline)
               for i, (day, title, text) in enumerate(ARTICLES)]
    results += [analyse(text, source=f"{outlet}-{day}.txt", outlet=outlet, title=title_of(text), published=day,
                        pipeline=pipeline)
                for day, outlet, text in ESCALATION]
    evil = analyse(XSS_TEXT, source="tests/web/markup.txt", title="<script>window.__xss=5</script>Markup",
                   published="2025-04-05", html=False, pipeline=pipeline)
    results.append(poison(evil))
    with Store(path) as store:
        store.add_many(results)
    return path


@pytest.fixture
def writable_db(corpus_db: Path, tmp_path: Path) -> Path:
    """A private copy of the corpus for tests that write."""
    copy = tmp_path / "copy.db"
    shutil.copy(corpus_db, copy)
    return copy


@pytest.fixture(scope="session")
def client(corpus_db: Path) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from dragoman.web.app import create_app

    with TestClient(create_app(corpus_db, token=TOKEN), base_url=BASE) as c:
        yield c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """uvicorn in a thread on a free loopback port."""

    def __init__(self, db: Path, token: str | None) -> None:
        import uvicorn

        from dragoman.web.app import create_app

        self.db = db
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(db, token=token), host="127.0.0.1", port=self.port,
                                log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the web server did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, corpus_db: Path) -> Iterator[LiveServer]:
    # Its own copy: the browser's analyse page may store an article.
    db = tmp_path_factory.mktemp("live") / "live.db"
    shutil.copy(corpus_db, db)
    server = LiveServer(db, TOKEN).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that records dialogs and console errors, so a test can assert none happened."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.dialogs = []  # type: ignore[attr-defined]

    def on_dialog(d: Any) -> None:
        pg.dialogs.append(d.message)  # type: ignore[attr-defined]
        d.dismiss()

    pg.on("dialog", on_dialog)
    yield pg
    context.close()


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
