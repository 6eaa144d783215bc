"""Ingesting an article again with new metadata updates what is stored without analysing it again; a
new publication date re-resolves its dates from the stored result, and only an article whose stored
result cannot tell is analysed again (tests/store/test_reingest.py covers both backends)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from dragoman.ingest import RawArticle, ingest
from dragoman.store import Store

TEXT = ("Police in Dhaka detained dozens of opposition supporters ahead of a planned rally, party officials "
        "said. The army was deployed in 2014 after the election.")


def test_new_title_and_new_date_are_stored_without_a_second_analysis(tmp_path: Path, pipeline) -> None:
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
    with Store(db) as store:
        second = ingest(store, [titled], analyser=no_analysis)  # type: ignore[arg-type]
        assert (second.present, second.updated, second.failed) == (1, 1, 0)
        assert store.articles().items[0].title == "Dhaka crackdown"
        dated = ingest(store, [again], analyser=no_analysis)  # type: ignore[arg-type]
        assert (dated.present, dated.updated, dated.redated, dated.reanalysed, dated.failed) == (1, 1, 1, 0, 0)
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
        moved = ingest(store, [later], analyser=broken)  # type: ignore[arg-type]
        assert (moved.failed, moved.redated, moved.reanalysed) == (0, 1, 0)
        assert store.articles().items[0].published == "2025-06-10"
    with sqlite3.connect(db) as c:
        days = dict(c.execute("SELECT date LIKE '2014%', min(day) FROM events GROUP BY date LIKE '2014%'").fetchall())
    assert days[0] == "2025-06-10"  # events with no date in the text take the publication day (in place)
    if 1 in days:
        assert days[1] == "2014-01-01"  # dated by the text: unchanged


def test_an_article_the_stored_result_cannot_re_date_is_analysed_again(tmp_path: Path, pipeline) -> None:
    # John Kerry held no office in 2019: who he is on that day (country, sector) needs a new analysis,
    # which here fails; the date stays written
    text = "John Kerry met the Iraqi foreign minister in Baghdad on Monday, the State Department said."
    analysed: list[str | None] = []

    def count(raw: RawArticle):
        analysed.append(raw.published)
        return raw.analyse(pipeline)

    def broken(raw: RawArticle) -> None:
        raise RuntimeError("analysis bug")

    with Store(tmp_path / "k.db") as store:
        assert ingest(store, [RawArticle(text, source="k.txt")], analyser=count).stored == 1
        dated = ingest(store, [RawArticle(text, source="k.txt", published="2019-06-03")], analyser=count)
        assert (dated.present, dated.updated, dated.redated, dated.reanalysed, dated.failed) == (1, 1, 1, 1, 0)
        assert analysed == [None, "2019-06-03"]
        failed = ingest(store, [RawArticle(text, source="k.txt", published="2015-06-03")],
                        analyser=broken)  # type: ignore[arg-type]
        assert (failed.failed, failed.redated) == (1, 0) and "analysis bug" in store.failures()[0].reason
        assert store.articles().items[0].published == "2015-06-03"  # the new date is kept all the same
