"""Ingesting a stored input again: new metadata is written in place, and a new publication date makes
the article read as a fresh ingest with that date would (relative dates re-resolved from the stored
result, without analysing it again), on one process and on worker processes alike, on SQLite and
PostgreSQL; the command says what it did."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dragoman.ingest import RawArticle, ingest
from dragoman.runners import LocalEngine, run_batch
from dragoman.store import Store

TEXT = ("Gunmen attacked a police checkpoint near Mosul yesterday, killing three officers, the Interior "
        "Ministry said. Last week, militants kidnapped two engineers in Kirkuk. The army retook the town "
        "in 2017.")
SOURCE = "dump.jsonl:7"


@pytest.fixture(scope="module")
def engine() -> Iterator[LocalEngine]:
    with LocalEngine(1) as eng:  # one worker process, shared by both backends' tests
        yield eng


def _times(store: Store) -> dict[str, str | None]:
    result = store.get_article_result(store.articles().items[0].id)
    assert result is not None
    return {t.text: t.value for t in result.times}


def _comparable(store: Store) -> dict[str, Any]:
    """The stored result and event rows, without what differs between two runs (timings)."""
    row = store.db.query_one("SELECT id, title, published, result_json FROM articles")
    assert row is not None
    result = json.loads(row["result_json"])
    result.pop("meta", None)
    events = [tuple(r.values()) for r in store.db.query(
        "SELECT event, day, date, granularity FROM events ORDER BY event, day")]
    return {"row": (row["id"], row["title"], row["published"]), "result": result, "events": events}


def _run(store: Store, items: list[RawArticle], engine: LocalEngine | None, pipeline: Any) -> Any:
    if engine is None:
        return ingest(store, items, analyser=lambda r: r.analyse(pipeline))
    return run_batch(items, store, engine)


@pytest.mark.parametrize("workers", [False, True], ids=["one-process", "workers"])
def test_a_new_date_re_resolves_relative_dates_and_a_new_title_needs_no_analysis(
    db_url: str, tmp_path: Path, pipeline: Any, engine: LocalEngine, workers: bool
) -> None:
    eng = engine if workers else None
    with Store(db_url) as store:
        first = _run(store, [RawArticle(TEXT, source=SOURCE, title="Checkpoint attack")], eng, pipeline)
        assert first.stored == 1
        undated = _times(store)
        assert undated["yesterday"] is None and undated["Last week"] is None  # nothing to resolve against

        # Only a URL: written in place, no analysis (the summary says none was re-dated).
        url_only = _run(store, [RawArticle(TEXT, source=SOURCE, url="https://example.org/a")], eng, pipeline)
        assert (url_only.present, url_only.updated, url_only.redated, url_only.failed) == (1, 1, 0, 0)

        dated = RawArticle(TEXT, source=SOURCE, published="Tue, 03 Jun 2025 09:00:00 GMT")
        second = _run(store, [dated], eng, pipeline)
        assert (second.stored, second.present, second.updated, second.redated, second.failed) == (0, 1, 1, 1, 0)
        assert second.reanalysed == 0 and second.seconds_analysing == 0  # re-dated from the stored result
        assert store.count_articles() == 1
        times = _times(store)
        assert times["yesterday"] == "2025-06-02" and times["Last week"] == "2025-W22"
        assert times["2017"] == "2017"  # an absolute year does not move
        attack = [r for r in store.db.query("SELECT day, granularity FROM events WHERE date = ?", ("2025-06-02",))]
        assert attack and all(r["granularity"] == "day" for r in attack)
        redated = _comparable(store)
        assert redated["row"][1:] == ("Checkpoint attack", "2025-06-03")  # the first ingest's title kept
        assert store.db.scalar("SELECT url FROM articles") == "https://example.org/a"

        # The same metadata again: nothing changes, nothing is analysed.
        third = _run(store, [dated], eng, pipeline)
        assert (third.present, third.updated, third.redated) == (1, 0, 0)
        assert _comparable(store) == redated

    # What a fresh ingest of the input with all that metadata stores, on the same backend kind.
    fresh_db = str(tmp_path / "fresh.db")
    with Store(fresh_db) as fresh:
        full = RawArticle(TEXT, source=SOURCE, title="Checkpoint attack", url="https://example.org/a",
                          published="2025-06-03")
        assert ingest(fresh, [full], analyser=lambda r: r.analyse(pipeline)).stored == 1
        assert _comparable(fresh) == redated


def test_the_ingest_command_says_how_many_dates_it_updated(db_url: str, tmp_path: Path, pipeline: Any) -> None:
    from click.testing import CliRunner

    from dragoman.store.cli import ingest as command

    with Store(db_url) as store:
        assert ingest(store, [RawArticle(TEXT, source=SOURCE)], analyser=lambda r: r.analyse(pipeline)).stored == 1
    table = tmp_path / "dated.jsonl"
    table.write_text(json.dumps({"text": TEXT, "when": "20250603T0900Z", "headline": "Checkpoint attack"}) + "\n",
                     encoding="utf-8")
    out = CliRunner().invoke(command, [str(table), "--db", db_url, "-q", "--field", "text=text",
                                       "--field", "date=when", "--field", "title=headline"])
    assert out.exit_code == 0, out.output
    assert "already present: 1 (metadata updated: 1; date updated for 1 article, without analysing again)" \
        in out.output
    with Store(db_url) as store:
        assert _times(store)["yesterday"] == "2025-06-02"
