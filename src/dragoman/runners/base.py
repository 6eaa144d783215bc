"""The engine-independent batch loop: skip what is stored, feed an engine, write what comes back.

Whatever runs the analysis (local processes, a Dask cluster), one thread in the parent process
owns the ``Store`` and writes every result: SQLite has a single writer, and PostgreSQL gets one
transaction per batch instead of many small competing ones.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

from ..ingest.raw import RawArticle, SourceFailure
from ..ingest.run import IngestSummary, redo_input, refresh_stored, store_redated
from ..records import ArticleResult
from ..store import Store
from .worker import Outcome, PartitionReport

__all__ = ["Engine", "OnItem", "StoreWriter", "pending_batches", "run_batch", "load_outcomes"]

OnItem = Callable[[IngestSummary, str], None]


class Engine(Protocol):
    """Something that analyses batches of raw articles somewhere and streams the outcomes back."""

    workers: int

    def map_unordered(self, batches: Iterable[list[RawArticle]]) -> Iterator[list[Outcome]]:
        """Outcomes of each batch in completion order, with a bounded number of batches in flight."""
        ...

    def run_partitions(
        self, paths: list[str], out_dir: str, fields: dict[str, str]
    ) -> Iterator[PartitionReport]:
        """Analyse each input shard into one Parquet result shard under ``out_dir``."""
        ...

    def close(self) -> None: ...


class StoreWriter:
    """The single writer: buffers results and stores them with ``Store.add_many`` in one transaction.

    Buffering trades at most ``batch`` results of rework after a crash for far fewer commits; a
    re-run finds the rest by their raw hashes.
    """

    def __init__(
        self,
        store: Store,
        summary: IngestSummary | None = None,
        *,
        batch: int = 32,
        max_wait: float = 2.0,
        on_item: OnItem | None = None,
    ) -> None:
        self.store = store
        self.summary = summary or IngestSummary()
        self.batch = max(1, batch)
        self.max_wait = max_wait
        self.on_item = on_item
        self._buffer: list[tuple[ArticleResult, str | None]] = []
        self._since = time.perf_counter()
        self._redo: set[str] = set()  # raw hashes of stored inputs sent to be analysed again

    def _note(self, kind: str) -> None:
        if self.on_item is not None:
            self.on_item(self.summary, kind)

    def present(self) -> None:
        self.summary.present += 1
        self._note("present")

    def refresh(self, item: RawArticle) -> RawArticle | None:
        """An input stored before: its new metadata is written now, as the single-process ingest
        writes it; returns the input to analyse again when its publication date changed."""
        if not refresh_stored(self.store, item, self.summary, self._note):
            return None
        self._redo.add(item.raw_hash)
        return redo_input(self.store, item)

    def put(self, outcome: Outcome) -> None:
        """Take one outcome: a failure is recorded at once, a result joins the next transaction."""
        self.summary.seconds_analysing += outcome.seconds
        if outcome.result is None:
            self._fail(outcome.source, outcome.error_type or "Error", outcome.reason, outcome.raw_hash)
            return
        try:
            result = ArticleResult.from_dict(outcome.result)
        except Exception as exc:  # e.g. a result shard edited by hand: that row fails, the rest load
            self._fail(outcome.source, "ResultError", f"not an article result: {exc!r}", outcome.raw_hash)
            return
        if outcome.raw_hash is not None and outcome.raw_hash in self._redo:
            self._redo.discard(outcome.raw_hash)
            t0 = time.perf_counter()
            store_redated(self.store, ArticleResult.from_dict(outcome.result), outcome.raw_hash, self.summary,
                          self._note)
            self.summary.seconds_storing += time.perf_counter() - t0
            return
        if not self._buffer:
            self._since = time.perf_counter()
        self._buffer.append((result, outcome.raw_hash))
        if len(self._buffer) >= self.batch or time.perf_counter() - self._since >= self.max_wait:
            self.flush()

    def _fail(self, source: str | None, kind: str, reason: str | None, raw_hash: str | None) -> None:
        t0 = time.perf_counter()
        self.store.record_failure(source, reason or kind, raw_hash=raw_hash, error_type=kind)
        self.summary.seconds_storing += time.perf_counter() - t0
        self.summary.failed += 1
        self.summary.reasons[kind] += 1
        self._note("failed")

    def source_failure(self, failure: SourceFailure) -> None:
        self.put(Outcome.from_failure(failure))

    def flush(self) -> None:
        if not self._buffer:
            return
        buffer, self._buffer = self._buffer, []
        t0 = time.perf_counter()
        try:
            outcomes = self.store.add_many([r for r, _ in buffer], raw_hashes=[h for _, h in buffer])
        except Exception:
            # One result the store cannot take must not cost the whole batch: store them one by one
            # and record the one that fails, with its reason.
            outcomes = []
            for result, raw_hash in buffer:
                try:
                    outcomes.append(self.store.add(result, raw_hash=raw_hash))
                except Exception as exc:
                    self.store.record_failure(
                        result.article.source, f"store error: {exc}", raw_hash=raw_hash,
                        error_type=f"StoreError:{type(exc).__name__}",
                    )
                    self.summary.failed += 1
                    self.summary.reasons[f"StoreError:{type(exc).__name__}"] += 1
                    self._note("failed")
        self.summary.seconds_storing += time.perf_counter() - t0
        for o in outcomes:
            if o.status == "stored":
                self.summary.stored += 1
            elif o.status == "near_duplicate":
                self.summary.near_duplicates += 1
            else:
                self.summary.present += 1
            self._note(o.status)


def pending_batches(
    items: Iterable[RawArticle | SourceFailure], store: Store, writer: StoreWriter, *, size: int = 1
) -> Iterator[list[RawArticle]]:
    """Raw articles not stored yet, in batches of ``size``; read failures go straight to the writer.

    Resume is decided by the hash of the raw input (``RawArticle.raw_hash``), the same key the
    single-process ``ingest`` uses, so no article is cleaned or analysed twice to find out that it is
    stored; the article id (the hash of the cleaned text) still guards the store against copies.
    A stored input takes the new metadata it brings, as in ``ingest``; one with a new publication
    date goes to the engine to be analysed again against it.
    """
    size = max(1, size)
    batch: list[RawArticle] = []
    for item in items:
        if isinstance(item, SourceFailure):
            writer.source_failure(item)
        else:
            if store.has_raw(item.raw_hash):  # stored: new metadata written, re-dated ones analysed again
                redo = writer.refresh(item)
                if redo is None:
                    continue
                item = redo
            batch.append(item)
            if len(batch) >= size:
                yield batch
                batch = []
    if batch:
        yield batch


def run_batch(
    items: Iterable[RawArticle | SourceFailure],
    store: Store,
    engine: Engine,
    *,
    batch_size: int = 1,
    write_batch: int = 32,
    on_item: OnItem | None = None,
) -> IngestSummary:
    """Analyse every item on ``engine`` and store the results; the counts say what happened."""
    writer = StoreWriter(store, batch=write_batch, on_item=on_item)
    try:
        for outcomes in engine.map_unordered(pending_batches(items, store, writer, size=batch_size)):
            for o in outcomes:
                writer.put(o)
    finally:
        writer.flush()  # what was analysed before an error is kept
    return writer.summary


def load_outcomes(
    outcomes: Iterable[Outcome], store: Store, *, write_batch: int = 256, on_item: OnItem | None = None
) -> IngestSummary:
    """Bulk-load outcomes (e.g. from result shards) into the store; stored articles are skipped."""
    writer = StoreWriter(store, batch=write_batch, max_wait=float("inf"), on_item=on_item)
    try:
        for o in outcomes:
            if o.raw_hash is not None and o.ok and store.has_raw(o.raw_hash):
                writer.present()
            else:
                writer.put(o)
    finally:
        writer.flush()
    return writer.summary
