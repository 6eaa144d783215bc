"""Ingest with several articles per transaction: the same corpus, groups stored whole, failures kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from dragoman.errors import InputError
from dragoman.ingest import RawArticle, ingest
from dragoman.records import Article, ArticleResult
from dragoman.store import Store


def _analyser(raw: RawArticle) -> ArticleResult:
    if "refuse" in raw.text:
        raise InputError("not an article")
    return ArticleResult(article=Article(id="sha256:" + raw.raw_hash, text=raw.text, source=raw.source))


def _items(n: int) -> list[RawArticle]:
    items = [RawArticle(text=f"Report number {i} about the day's events.", source=f"{i}.txt") for i in range(n)]
    items.insert(3, RawArticle(text="please refuse this one", source="bad.txt"))
    items.append(items[0])  # the same input again
    return items


@pytest.mark.parametrize("commit_every", [1, 4, 100])
def test_grouped_commits_store_the_same_corpus(tmp_path: Path, commit_every: int) -> None:
    seen: list[str] = []
    with Store(tmp_path / "g.db") as store:
        summary = ingest(
            store,
            _items(10),
            analyser=_analyser,
            commit_every=commit_every,
            on_item=lambda s, kind: seen.append(kind),
        )
        assert (summary.stored, summary.present, summary.failed) == (10, 1, 1)
        assert store.count_articles() == 10
        assert [f.source for f in store.failures()] == ["bad.txt"]
        assert summary.cpu_seconds_storing > 0 and summary.seconds_storing > 0
    assert sorted(seen) == sorted(["stored"] * 10 + ["present", "failed"])


def test_an_interrupted_grouped_ingest_keeps_what_was_analysed(tmp_path: Path) -> None:
    def items():
        yield from _items(5)[:5]
        raise KeyboardInterrupt

    with Store(tmp_path / "i.db") as store:
        with pytest.raises(KeyboardInterrupt):
            ingest(store, items(), analyser=_analyser, commit_every=100)
        assert store.count_articles() == 4  # the pending group was stored before stopping
        again = ingest(store, _items(5), analyser=_analyser, commit_every=100)
        assert (again.stored, again.present) == (1, 5)
