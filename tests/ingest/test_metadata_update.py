"""Ingesting an article again with new metadata updates what is stored, without analysing it again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from dragoman.ingest import RawArticle, ingest
from dragoman.store import Store

TEXT = ("Police in Dhaka detained dozens of opposition supporters ahead of a planned rally, party officials "
        "said. The army was deployed in 2014 after the election.")


def test_new_title_and_date_are_stored_without_a_second_analysis(tmp_path: Path, pipeline) -> None:
    db = tmp_path / "c.db"
    with Store(db) as store:
        first = ingest(store, [RawArticle(TEXT, source="dump.jsonl:1")], analyser=lambda r: r.analyse(pipeline))
        assert first.stored == 1
        article_id = store.articles().items[0].id
        assert store.articles().items[0].title.startswith("Police in Dhaka")  # the first line stands in

    def no_analysis(raw: RawArticle) -> None:
        raise AssertionError("analysed again")

    again = RawArticle(TEXT, source="dump.jsonl:1", title="Dhaka crackdown",
                       published="Tue, 03 Jun 2025 09:00:00 GMT")
    with Store(db) as store:
        second = ingest(store, [again], analyser=no_analysis)  # type: ignore[arg-type]
        assert (second.present, second.updated, second.failed) == (1, 1, 0)
        row = store.articles().items[0]
        assert (row.title, row.published) == ("Dhaka crackdown", "2025-06-03")
        result = store.get_article_result(article_id)
        assert result is not None and result.article.published == "2025-06-03"
        assert result.article.published_basis == "user" and result.article.title == "Dhaka crackdown"
        assert [a.id for a in store.articles(search="crackdown").items] == [article_id]  # title searchable
        third = ingest(store, [again], analyser=no_analysis)  # type: ignore[arg-type]
        assert (third.present, third.updated) == (1, 0)  # nothing new: nothing written
        bad_date = RawArticle(TEXT, source="dump.jsonl:1", published="sometime")
        bad = ingest(store, [bad_date], analyser=no_analysis)  # type: ignore[arg-type]
        assert bad.failed == 1 and "'sometime'" in store.failures()[0].reason
    with sqlite3.connect(db) as c:
        days = dict(c.execute("SELECT date IS NULL, min(day) FROM events GROUP BY date IS NULL").fetchall())
    assert days[1] == "2025-06-03"  # events with no date of their own take the publication day
    if 0 in days:
        assert days[0] == "2014-01-01"  # dated by the text: unchanged
