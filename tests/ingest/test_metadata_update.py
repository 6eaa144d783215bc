"""Ingesting an article again with new metadata updates what is stored, without analysing it again
unless its publication date changed (tests/store/test_reingest.py covers that on both backends)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from dragoman.ingest import RawArticle, ingest
from dragoman.store import Store

TEXT = ("Police in Dhaka detained dozens of opposition supporters ahead of a planned rally, party officials "
        "said. The army was deployed in 2014 after the election.")


def test_new_title_is_stored_without_a_second_analysis_and_a_new_date_with_one(tmp_path: Path, pipeline) -> None:
    db = tmp_path / "c.db"
    with Store(db) as store:
        first = ingest(store, [RawArticle(TEXT, source="dump.jsonl:1")], analyser=lambda r: r.analyse(pipeline))
        assert first.stored == 1
        article_id = store.articles().items[0].id
        assert store.articles().items[0].title.startswith("Police in Dhaka")  # the first line stands in

    def no_analysis(raw: RawArticle) -> None:
        raise AssertionError("analysed again")

    titled = RawArticle(TEXT, source="dump.jsonl:1", title="Dhaka crackdown")
    again = RawArticle(TEXT, source="dump.jsonl:1", title="Dhaka crackdown",
                       published="Tue, 03 Jun 2025 09:00:00 GMT")
    analysed: list[str | None] = []

    def count(raw: RawArticle):
        analysed.append(raw.published)
        return raw.analyse(pipeline)

    with Store(db) as store:
        second = ingest(store, [titled], analyser=no_analysis)  # type: ignore[arg-type]
        assert (second.present, second.updated, second.failed) == (1, 1, 0)
        assert store.articles().items[0].title == "Dhaka crackdown"
        dated = ingest(store, [again], analyser=count)
        assert (dated.present, dated.updated, dated.redated, dated.failed) == (1, 1, 1, 0)
        assert analysed == ["2025-06-03"]  # analysed once more, against the new date
        row = store.articles().items[0]
        assert (row.id, row.title, row.published) == (article_id, "Dhaka crackdown", "2025-06-03")
        result = store.get_article_result(article_id)
        assert result is not None and result.article.published == "2025-06-03"
        assert result.article.published_basis == "user" and result.article.title == "Dhaka crackdown"
        assert [a.id for a in store.articles(search="crackdown").items] == [article_id]  # title searchable
        third = ingest(store, [again], analyser=no_analysis)  # type: ignore[arg-type]
        assert (third.present, third.updated) == (1, 0)  # nothing new: nothing written
        bad_date = RawArticle(TEXT, source="dump.jsonl:1", published="sometime")
        bad = ingest(store, [bad_date], analyser=no_analysis)  # type: ignore[arg-type]
        assert bad.failed == 1 and "'sometime'" in store.failures()[0].reason

        def broken(raw: RawArticle) -> None:
            raise RuntimeError("analysis bug")

        later = RawArticle(TEXT, source="dump.jsonl:1", published="2025-06-10")
        failed = ingest(store, [later], analyser=broken)  # type: ignore[arg-type]
        assert (failed.failed, failed.redated) == (1, 0) and "analysis bug" in store.failures()[0].reason
        assert store.articles().items[0].published == "2025-06-10"  # the new date is kept all the same
    with sqlite3.connect(db) as c:
        days = dict(c.execute("SELECT date LIKE '2014%', min(day) FROM events GROUP BY date LIKE '2014%'").fetchall())
    assert days[0] == "2025-06-10"  # events with no date in the text take the publication day (in place)
    if 1 in days:
        assert days[1] == "2014-01-01"  # dated by the text: unchanged
