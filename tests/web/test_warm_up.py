"""A server reads the events its period views share, and builds its default brief with the brief's
charts, at start, in the background; requests arriving meanwhile wait for that one computation; any
committed change to the store (a new article, new metadata for a stored one) makes the views read again."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dragoman.analysis import charts, data, report
from dragoman.store import EventFilter, Store
from dragoman.web.app import create_app

from .conftest import BASE, TOKEN


def _cached_keys(db: Path) -> list[tuple[Any, ...]]:
    return [k for k in data._LOADED._values if k[0] == str(db) and k[3] == EventFilter() and k[4] is None]


class _CountingLoad:
    """The real read, counted (and, on demand, held until released)."""

    def __init__(self, hold: bool = False) -> None:
        self.calls = 0
        self.started = threading.Event()
        self.release = threading.Event()
        self.hold = hold
        self.real = data._load

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        self.started.set()
        if self.hold:
            self.release.wait(60)
        return self.real(*args, **kwargs)


def test_server_reads_the_shared_events_at_start_and_a_store_change_reads_again(
        writable_db: Path, pipeline: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from dragoman.analyse import analyse

    data._LOADED.clear()
    report._REPORTS.clear()
    with TestClient(create_app(writable_db, token=TOKEN), base_url=BASE) as c:
        state = c.app.state.web  # type: ignore[attr-defined]
        assert state.warming is not None
        assert state.warmed.wait(60)
        state.stop()  # no rebuild in the background: every read below is a request's
        # filled without any request, as the server's request stores see it
        assert len(_cached_keys(writable_db)) == 1 and _cached_keys(writable_db)[0][1] is True
        events, counts = data._LOADED._values[_cached_keys(writable_db)[0]]
        assert events and "undated" in counts
        load = _CountingLoad()
        monkeypatch.setattr(data, "_load", load)
        before = c.get("/api/trends").json()
        assert load.calls == 0  # the first request used the warm cache
        text = ("Rebels seize border town\n\nRebels attacked the border town of Kidal on 7 April 2025, "
                "officials said, after two days of fighting with the army.")
        with Store(writable_db) as store:
            store.add(analyse(text, source="wire/kidal.txt", outlet="Wire One", published="2025-04-07",
                              pipeline=pipeline))
        after = c.get("/api/trends").json()
        assert load.calls == 1  # the new article changed the store: the views read it
        assert sum(p["n"] for p in after["total"]) > sum(p["n"] for p in before["total"])


def test_concurrent_first_reads_wait_for_one_read(corpus_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data._LOADED.clear()
    load = _CountingLoad(hold=True)
    monkeypatch.setattr(data, "_load", load)
    results: list[Any] = [None, None]

    def read(i: int) -> None:
        store = Store.open(corpus_db, readonly=True)
        try:
            results[i] = data.load_events(store, EventFilter())
        finally:
            store.close()

    first = threading.Thread(target=read, args=(0,))
    first.start()
    assert load.started.wait(60)  # the first read is under way (and held)
    second = threading.Thread(target=read, args=(1,))
    second.start()
    second.join(0.5)  # let it reach the cache while the first read is still held
    load.release.set()
    first.join(60)
    second.join(60)
    assert load.calls == 1
    assert results[0] and results[0] == results[1]


def test_a_failed_read_is_not_cached_and_the_next_reads_again(corpus_db: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    data._LOADED.clear()
    store = Store.open(corpus_db, readonly=True)
    try:
        def broken(*_args: Any, **_kwargs: Any) -> Any:
            raise OSError("disk gone")

        monkeypatch.setattr(data, "_load", broken)
        with pytest.raises(OSError, match="disk gone"):
            data.load_events(store, EventFilter())
        assert not data._LOADED._computing
        monkeypatch.undo()
        assert data.load_events(store, EventFilter())
    finally:
        store.close()


class _Counting:
    """A real function, counted."""

    def __init__(self, real: Any) -> None:
        self.calls = 0
        self.real = real

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self.real(*args, **kwargs)


def test_server_builds_its_default_brief_at_start_and_a_metadata_update_builds_it_again(
        writable_db: Path, pipeline: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from dragoman.analyse import analyse

    text = ("Rebels attack border town\n\nRebels attacked the border town of Kidal, officials said, after two "
            "days of fighting with the army.")
    with Store(writable_db) as store:
        store.add(analyse(text, source="wire/kidal.txt", outlet="Wire One", published="2025-02-03",
                          pipeline=pipeline), raw_hash="raw-kidal")
    data._LOADED.clear()
    report._REPORTS.clear()
    charts._CACHE.clear()
    with TestClient(create_app(writable_db, token=TOKEN), base_url=BASE) as c:
        state = c.app.state.web  # type: ignore[attr-defined]
        assert state.warming is not None
        assert state.warmed.wait(60)
        state.stop()  # no rebuild in the background: every build below is a request's
        assert len(charts._CACHE) == 2  # the default brief's trend and escalation charts, drawn at start
        build = _Counting(report._situation_report)
        monkeypatch.setattr(report, "_situation_report", build)
        page = c.get("/brief")
        assert page.status_code == 200 and "data:image/png;base64," in page.text
        before = c.get("/api/brief?by=month").json()
        assert build.calls == 1  # /brief and its charts came from the warm-up; only by=month was built
        c.get("/api/brief?by=month")
        assert build.calls == 1  # and the same question again is answered from the cache

        def month_total(brief: dict[str, Any], month: str) -> int:
            return sum(cell["n"] for cell in brief["trend"]["total"] if cell["period"] == month)

        # The article gets a new publication date: no article is added, its undated events move.
        with Store(writable_db) as store:
            assert store.update_metadata("raw-kidal", published="2025-03-12").changed
        after = c.get("/api/brief?by=month").json()
        assert build.calls == 2
        assert month_total(after, "2025-02") < month_total(before, "2025-02")
        assert month_total(after, "2025-03") > month_total(before, "2025-03")
        trends = c.get("/api/trends?by=month").json()
        assert [(p["period"], p["n"]) for p in trends["total"]] == \
            [(p["period"], p["n"]) for p in after["trend"]["total"]]



def test_the_server_builds_its_brief_again_once_a_write_has_settled(
        writable_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report._REPORTS.clear()
    with TestClient(create_app(writable_db, token=TOKEN), base_url=BASE) as c:
        state = c.app.state.web  # type: ignore[attr-defined]
        assert state.warmed.wait(60)
        state.watch_seconds = 0.05
        with Store(writable_db) as store:
            with store.db.transaction():
                store.db.execute("UPDATE articles SET title = 'Re-titled' WHERE pk = (SELECT min(pk) FROM articles)")
            revision = store.db.revision()

        def built() -> bool:
            return any(k[2] == revision for k in list(report._REPORTS._values))

        deadline = time.monotonic() + 60
        while not built() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert built()  # no request asked: the server's watcher built the brief of the new revision
        build = _Counting(report._situation_report)
        monkeypatch.setattr(report, "_situation_report", build)
        assert c.get("/api/brief").status_code == 200
        assert build.calls == 0
    assert state.warming is not None and not state.warming.is_alive()  # the server's end stops it
