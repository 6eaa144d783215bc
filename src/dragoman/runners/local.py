"""Analysis on N local processes: a process pool whose workers build the pipeline once each.

Only picklable records cross the process boundary: lists of ``RawArticle`` go out, lists of
``Outcome`` (a result as ``ArticleResult.to_dict()`` or a failure with its reason) come back. At most
``max_in_flight`` batches are submitted ahead, so memory stays bounded however long the input is.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from ..ingest.raw import RawArticle, SourceFailure
from ..ingest.run import IngestSummary
from .base import OnItem, run_batch
from .worker import Outcome, PartitionReport, analyse_batch, process_partition, warm

if TYPE_CHECKING:
    from ..config import Settings
    from ..store import Store

__all__ = ["LocalEngine", "default_workers", "run_local"]

WORKER_LOST = "WorkerLost"


def default_workers() -> int:
    """Every core this process may use (the CPU affinity mask, not the machine's total)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class LocalEngine:
    """A pool of ``workers`` processes (spawned: no inherited locks or half-built pipelines).

    A worker that dies (killed, out of memory) breaks a ``ProcessPoolExecutor``; the engine then
    starts a new pool and resubmits the batches that were in flight, up to ``retries`` times each,
    after which their articles are recorded as failures instead of ending the run.
    """

    def __init__(
        self,
        workers: int | None = None,
        *,
        settings: Settings | None = None,
        max_in_flight: int | None = None,
        retries: int = 2,
        context: str = "spawn",
    ) -> None:
        self.workers = workers or default_workers()
        self.settings = settings
        self.max_in_flight = max_in_flight or 2 * self.workers
        self.retries = retries
        self._context = multiprocessing.get_context(context)
        self._pool: ProcessPoolExecutor | None = None
        self.restarts = 0

    def _new_pool(self) -> ProcessPoolExecutor:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=self._context,
            initializer=warm,
            initargs=(self.settings,),
        )
        return self._pool

    def _get_pool(self) -> ProcessPoolExecutor:
        return self._pool or self._new_pool()

    def map_unordered(self, batches: Iterable[list[RawArticle]]) -> Iterator[list[Outcome]]:
        source = iter(batches)
        # future -> (batch, attempts so far, generation of the pool it ran on)
        inflight: dict[Future[list[Outcome]], tuple[list[RawArticle], int, int]] = {}
        generation = 0
        exhausted = False

        def submit(batch: list[RawArticle], attempts: int) -> None:
            fut = self._get_pool().submit(analyse_batch, batch, self.settings)
            inflight[fut] = (batch, attempts, generation)

        while True:
            while not exhausted and len(inflight) < self.max_in_flight:
                nxt = next(source, None)
                if nxt is None:
                    exhausted = True
                else:
                    submit(nxt, 0)
            if not inflight:
                return
            done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
            for fut in done:
                batch, attempts, gen = inflight.pop(fut)
                try:
                    outcomes = fut.result()
                except BrokenProcessPool:
                    if gen == generation:  # the first future to report it: start one new pool
                        generation += 1
                        self.restarts += 1
                        self._new_pool()
                    if attempts < self.retries:
                        submit(batch, attempts + 1)
                    else:
                        yield [
                            Outcome(r.source, r.raw_hash, None, WORKER_LOST,
                                    f"the worker process died {attempts + 1} times analysing this batch "
                                    "(killed, or out of memory)")
                            for r in batch
                        ]
                    continue
                yield outcomes

    def run_partitions(
        self, paths: list[str], out_dir: str, fields: dict[str, str]
    ) -> Iterator[PartitionReport]:
        pool = self._get_pool()
        pending = iter(paths)
        inflight: set[Future[PartitionReport]] = set()
        while True:
            while len(inflight) < self.max_in_flight and (p := next(pending, None)) is not None:
                inflight.add(pool.submit(process_partition, p, out_dir, fields, self.settings))
            if not inflight:
                return
            done, inflight = wait(inflight, return_when=FIRST_COMPLETED)
            for fut in done:
                yield fut.result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_local(
    items: Iterable[RawArticle | SourceFailure],
    store: Store,
    *,
    workers: int | None = None,
    settings: Settings | None = None,
    batch_size: int = 1,
    on_item: OnItem | None = None,
) -> IngestSummary:
    """Analyse ``items`` on ``workers`` local processes and store the results in ``store``."""
    with LocalEngine(workers, settings=settings) as engine:
        return run_batch(items, store, engine, batch_size=batch_size, on_item=on_item)
