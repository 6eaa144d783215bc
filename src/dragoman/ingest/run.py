"""The ingest loop: analyse each raw article and store it, one transaction each, recording failures."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from ..errors import DragomanError, InputError, batch_exit_status
from ..records import ArticleResult
from ..store import Store
from .raw import RawArticle, SourceFailure

__all__ = ["IngestSummary", "ingest", "Analyser", "redate_stored", "refresh_stored", "redo_input",
           "store_redated", "updated_note"]

Analyser = Callable[[RawArticle], ArticleResult]


@dataclass(slots=True)
class IngestSummary:
    stored: int = 0
    present: int = 0
    near_duplicates: int = 0
    failed: int = 0
    updated: int = 0  # stored before; their metadata (title, date, URL, outlet) updated
    redated: int = 0  # of those, with a new publication date: their dates updated against it
    reanalysed: int = 0  # of the re-dated, those the stored result could not re-date: analysed again
    reasons: Counter[str] = field(default_factory=Counter)
    seconds_analysing: float = 0.0
    seconds_storing: float = 0.0
    cpu_seconds_analysing: float = 0.0  # process CPU time: what the work costs on a busy machine
    cpu_seconds_storing: float = 0.0
    started: float = field(default_factory=time.perf_counter)

    @property
    def seen(self) -> int:
        return self.stored + self.present + self.near_duplicates + self.failed

    @property
    def exit_status(self) -> int:
        """0 all good, 1 nothing analysed, 2 some items failed (``errors.batch_exit_status``)."""
        return batch_exit_status(self.stored + self.present + self.near_duplicates, self.failed)

    @property
    def rate(self) -> float:
        elapsed = time.perf_counter() - self.started
        return self.seen / elapsed if elapsed > 0 else 0.0


def updated_note(summary: IngestSummary) -> str:
    """What the ingest did to inputs stored before, for its closing lines: " (metadata updated: 3;
    date updated for 2 articles, 1 of them analysed again)"; empty when nothing was updated."""
    if not summary.updated:
        return ""
    out = f" (metadata updated: {summary.updated}"
    if summary.redated:
        n = summary.redated
        out += f"; date updated for {n} article{'s' if n != 1 else ''}"
        if summary.reanalysed:
            out += f", {summary.reanalysed} of them analysed again"
        else:
            out += ", without analysing again"
    return out + ")"


def default_analyser() -> Analyser:
    from ..nlp import load_pipeline

    pipeline = load_pipeline()

    def run(raw: RawArticle) -> ArticleResult:
        return raw.analyse(pipeline)

    return run


def _reason_kind(exc: BaseException) -> str:
    return type(exc).__name__


def refresh_stored(store: Store, item: RawArticle, summary: IngestSummary, note: Callable[[str], None]) -> bool:
    """An input stored before: store the metadata it brings without analysing it. A new publication
    date re-resolves the stored time expressions and the event dates that follow from them
    (``redate_stored``), so that the article reads as a fresh ingest on that date would. True when
    the stored result cannot tell what a new analysis would (``dragoman.redate``): the caller
    analyses it again (``redo_input``, ``store_redated``)."""
    try:
        update = store.update_metadata(item.raw_hash, title=item.title, url=item.url, outlet=item.outlet,
                                       published=item.published)
    except InputError as exc:
        store.record_failure(item.source, exc, raw_hash=item.raw_hash)
        summary.failed += 1
        summary.reasons[_reason_kind(exc)] += 1
        note("failed")
        return False
    if update.redated:
        if not redate_stored(store, update.redated, update.previous):
            return True
        summary.redated += 1
    summary.present += 1
    summary.updated += bool(update)
    note("updated" if update else "present")
    return False


@lru_cache(maxsize=4)
def _knowledge_base(files: tuple[str, ...]) -> Any:
    from ..kb import load_kb

    return load_kb(files)


def redate_stored(store: Store, article_ids: Sequence[str], previous: Sequence[str | None]) -> bool:
    """Give stored articles, whose new publication day is written already (their days before in
    ``previous``), the time values and event dates an analysis on that day gives, from their stored
    results (``dragoman.redate``), without analysing them again. False, and nothing changed, when a
    stored result cannot tell."""
    from ..config import load_settings
    from ..redate import redate_result

    kb = _knowledge_base(tuple(load_settings().kb_files))
    new: list[tuple[str, ArticleResult]] = []
    for article_id, before in zip(article_ids, previous, strict=True):
        text = store.db.scalar("SELECT result_json FROM articles WHERE id = ?", (article_id,))
        if text is None:
            return False
        stored = ArticleResult.from_dict(json.loads(text))
        day = stored.article.published
        redated = redate_result(stored, day, kb=kb, analysed_on=before) if day else None
        if redated is None:
            return False
        new.append((article_id, redated))
    for article_id, result in new:
        store.replace(article_id, result)
    return True


def redo_input(store: Store, item: RawArticle) -> RawArticle:
    """The input to analyse again for a re-dated article: its raw text with all the metadata now
    stored (a title given by an earlier ingest stays when this one brings only a date)."""
    row = store.db.query_one("SELECT title, url, outlet, published FROM articles WHERE raw_hash = ? ORDER BY pk "
                             "LIMIT 1", (item.raw_hash,))
    if row is None:
        return item
    return replace(item, title=row["title"], url=row["url"], outlet=row["outlet"], published=row["published"])


def store_redated(store: Store, result: ArticleResult, raw_hash: str, summary: IngestSummary,
                  note: Callable[[str], None]) -> None:
    """Swap the stored analysis of a re-dated input for its new one, in one transaction."""
    ids = [str(r["id"]) for r in store.db.query("SELECT id FROM articles WHERE raw_hash = ? ORDER BY pk",
                                                (raw_hash,))]
    try:
        if ids:
            store.replace(result.article.id if result.article.id in ids else ids[0], result)
        else:
            store.add(result, raw_hash=raw_hash)
    except Exception as exc:  # the date written in place stands; say why the new analysis is not stored
        store.record_failure(result.article.source, f"store error: {type(exc).__name__}: {exc}",
                             raw_hash=raw_hash, error_type="StoreError")
        summary.failed += 1
        summary.reasons["StoreError"] += 1
        note("failed")
        return
    summary.present += 1
    summary.updated += 1
    summary.redated += 1
    summary.reanalysed += 1
    note("updated")


def ingest(
    store: Store,
    items: Iterable[RawArticle | SourceFailure],
    *,
    analyser: Analyser | None = None,
    on_item: Callable[[IngestSummary, str], None] | None = None,
    commit_every: int = 1,
    commit_seconds: float = 2.0,
) -> IngestSummary:
    """Analyse and store every item; bad input is recorded with its reason and the loop goes on.

    By default every article is stored in its own transaction. With ``commit_every=N`` analysed
    articles are stored N at a time (or after ``commit_seconds``, whichever comes first), in one
    transaction each group: cheaper per article, and still all or nothing. A killed run then loses
    at most the analyses of the group in hand, which a re-run redoes; nothing stored is lost.
    """
    summary = IngestSummary()
    analyse = analyser
    pending: list[tuple[ArticleResult, str]] = []
    since = 0.0
    group = max(1, commit_every)

    def note(kind: str) -> None:
        if on_item is not None:
            on_item(summary, kind)

    def _store_one(result: ArticleResult, raw_hash: str) -> Any:
        """One article the group could not store, alone; a failure is recorded, not raised."""
        try:
            return store.add(result, raw_hash=raw_hash)
        except Exception as exc:  # a value the database refuses loses this article only
            store.record_failure(result.article.source, f"store error: {type(exc).__name__}: {exc}",
                                 raw_hash=raw_hash, error_type="StoreError")
            return None

    def flush() -> None:
        if not pending:
            return
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            outcomes: list[Any] = store.add_many([r for r, _ in pending], raw_hashes=[h for _, h in pending])
        except Exception:  # the group rolled back: store its articles one at a time
            outcomes = [_store_one(r, h) for r, h in pending]
        summary.seconds_storing += time.perf_counter() - t0
        summary.cpu_seconds_storing += time.process_time() - c0
        pending.clear()
        for outcome in outcomes:
            if outcome is None:
                summary.failed += 1
                summary.reasons["StoreError"] += 1
                note("failed")
            elif outcome.status == "stored":
                summary.stored += 1
            elif outcome.status == "near_duplicate":
                summary.near_duplicates += 1
            else:
                summary.present += 1
            note(outcome.status)

    try:
        for item in items:
            if isinstance(item, SourceFailure):
                store.record_failure(item.source, item.reason, error_type=item.error_type)
                summary.failed += 1
                summary.reasons[item.error_type] += 1
                note("failed")
                continue
            raw_hash = item.raw_hash
            redo = False
            if store.has_raw(raw_hash):  # stored before: skip the analysis, take any new metadata
                redo = refresh_stored(store, item, summary, note)
                if not redo:
                    continue
            if analyse is None:
                analyse = default_analyser()
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                result = analyse(item if not redo else redo_input(store, item))
            except Exception as exc:  # an analysis bug on one article must not end a long batch
                summary.seconds_analysing += time.perf_counter() - t0
                summary.cpu_seconds_analysing += time.process_time() - c0
                if isinstance(exc, InputError | DragomanError | ValueError | UnicodeError):
                    store.record_failure(item.source, exc, raw_hash=raw_hash)
                    kind = _reason_kind(exc)
                else:
                    kind = f"AnalysisError:{type(exc).__name__}"
                    store.record_failure(item.source, f"analysis error: {exc!r}", raw_hash=raw_hash, error_type=kind)
                summary.failed += 1
                summary.reasons[kind] += 1
                note("failed")
                continue
            summary.seconds_analysing += time.perf_counter() - t0
            summary.cpu_seconds_analysing += time.process_time() - c0
            if redo:  # stored before with another publication date: the new analysis replaces it
                store_redated(store, result, raw_hash, summary, note)
                continue
            if not pending:
                since = time.perf_counter()
            pending.append((result, raw_hash))
            if len(pending) >= group or time.perf_counter() - since >= commit_seconds:
                flush()
    except KeyboardInterrupt:
        flush()  # keep what was analysed; the transaction is still all or nothing
        raise
    flush()
    return summary
