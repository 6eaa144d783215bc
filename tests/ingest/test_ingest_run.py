"""Ingest end to end with the real analysis: storing, resuming, failures, and surviving SIGKILL."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dragoman.ingest import RawArticle, ingest, iter_sources
from dragoman.store import Store

ARTICLES = [
    "Turkish warplanes struck suspected Kurdish militant positions in northern Iraq on Sunday, the defence "
    "ministry in Ankara said, adding that 11 fighters were killed.",
    "The United Nations Security Council met on Monday to discuss the worsening humanitarian situation in "
    "Sudan, where fighting has displaced millions of people.",
    "Police in Dhaka detained dozens of opposition supporters on Tuesday ahead of a planned rally, party "
    "officials said.",
    "Ukraine and Russia exchanged 150 prisoners of war on Wednesday in a deal brokered by the United Arab "
    "Emirates, officials in Kyiv said.",
    "Protesters in Nairobi blocked main roads on Thursday to demand lower fuel prices, and police fired "
    "tear gas to disperse them.",
    "Israel's military said on Friday it had killed a senior Hezbollah commander in a drone strike in "
    "southern Lebanon.",
]


def _write_corpus(folder: Path) -> None:
    folder.mkdir()
    for i, text in enumerate(ARTICLES):
        (folder / f"{i:02d}.txt").write_text(text, encoding="utf-8")


def test_ingest_stores_skips_known_articles_and_records_failures(tmp_path: Path, pipeline) -> None:
    def analyser(raw: RawArticle):
        return raw.analyse(pipeline)

    corpus = tmp_path / "in"
    _write_corpus(corpus)
    (corpus / "zz-german.txt").write_text(
        "Die Bundesregierung hat am Montag neue Sanktionen gegen mehrere Unternehmen beschlossen, teilte das "
        "Ministerium in Berlin mit.",
        encoding="utf-8",
    )
    (corpus / "zz-empty.txt").write_text("   \n", encoding="utf-8")
    with Store(tmp_path / "c.db") as store:
        first = ingest(store, iter_sources([str(corpus)]), analyser=analyser)
        assert (first.stored, first.present, first.failed) == (len(ARTICLES), 0, 2)
        assert set(first.reasons) == {"UnsupportedLanguageError", "EmptyInputError"}
        again = ingest(store, iter_sources([str(corpus)]), analyser=analyser)
        assert (again.stored, again.present, again.failed) == (0, len(ARTICLES), 2)
        assert store.count_articles() == len(ARTICLES)
        assert {f.error_type for f in store.failures()} == {"UnsupportedLanguageError", "EmptyInputError"}
        for row in store.articles(limit=20).items:
            stored = store.get_article_result(row.id)
            assert stored is not None
            fresh = analyser(RawArticle(stored.article.text, source=stored.article.source))
            assert store.get_result(row.id) == {**fresh.to_dict(), "meta": stored.to_dict()["meta"]}


def _counts(db: Path) -> tuple[int, int, list[tuple[str, int, str]]]:
    con = sqlite3.connect(db)
    try:
        n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        rows = con.execute(
            "SELECT a.id, a.n_events, a.result_json, (SELECT count(*) FROM events e "
            "WHERE e.article_pk = a.pk) FROM articles a"
        ).fetchall()
    finally:
        con.close()
    return n, len(rows), [(r[0], r[1], r[2]) for r in rows if r[1] != r[3]]


def test_killing_ingest_loses_nothing_and_a_rerun_completes(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    _write_corpus(corpus)
    db = tmp_path / "kill.db"
    # groups of two: the kill lands between and inside groups, and neither may leave half a group
    cmd = [sys.executable, "-m", "dragoman.cli", "ingest", str(corpus), "--db", str(db), "--quiet",
           "--commit-every", "2"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    stored = 0
    # Kill as soon as some but not all articles are in: the writer is then between or inside commits.
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                stored = _counts(db)[0]
            except sqlite3.OperationalError:
                stored = 0
            if stored >= 2:
                break
        time.sleep(0.05)
    assert proc.poll() is None, f"ingest ended before it could be killed: {proc.stderr.read()!r}"  # type: ignore[union-attr]
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    n_after_kill, _, broken = _counts(db)
    assert 2 <= n_after_kill < len(ARTICLES)
    assert broken == []  # every stored article has all its events: none is half-written
    with Store(db) as store:
        for row in store.articles(limit=20).items:
            assert store.get_result(row.id) is not None
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"already present: {n_after_kill}" in rerun.stderr
    assert f"stored: {len(ARTICLES) - n_after_kill}" in rerun.stderr
    n, _, broken = _counts(db)
    assert n == len(ARTICLES) and broken == []


@pytest.mark.parametrize("fmt", ["plover", "jsonl", "csv", "geojson", "parquet"])
def test_cli_queries_and_exports_after_ingest(tmp_path: Path, fmt: str) -> None:
    corpus = tmp_path / "in"
    _write_corpus(corpus)
    db = tmp_path / "q.db"
    from dragoman.cli import main

    assert main(["ingest", str(corpus), "--db", str(db), "-q"]) == 0
    out = tmp_path / f"out.{fmt}"
    assert main(["export", "--format", fmt, "--db", str(db), "-o", str(out)]) == 0
    assert out.stat().st_size > 0
