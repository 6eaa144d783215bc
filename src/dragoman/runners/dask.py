"""Analysis on Dask: a LocalCluster by default, or any running scheduler (dask-jobqueue, dask-kubernetes).

Tasks call functions of ``dragoman.runners.worker``, pickled by reference, so every worker process
builds its pipeline once and keeps it. Results come back to the client in completion order and
are written by the single writer; at most ``max_in_flight`` tasks are submitted ahead, and a new
one is added as each finishes. A task lost with its worker is recomputed by the scheduler; a task
that raised is retried ``retries`` times; a batch that keeps killing workers is recorded as failed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..ingest.raw import RawArticle, SourceFailure
from ..ingest.run import IngestSummary
from .base import OnItem, run_batch
from .shards import result_shard_path
from .worker import Outcome, PartitionReport, analyse_batch, process_partition

if TYPE_CHECKING:
    from distributed import Client

    from ..config import Settings
    from ..store import Store

__all__ = ["DaskEngine", "WORKER_MEMORY_CONFIG", "local_cluster", "run_dask"]

WORKER_LOST = "WorkerLost"

# A worker's memory is almost all pipeline (spaCy model, knowledge base, gazetteer: ~0.6-0.7 GB)
# that Dask counts as "unmanaged". Its default thresholds would spill (at 70%) and pause (at 80%) a
# healthy worker with nothing to spill; only the hard limit matters here, so keep that one alone.
WORKER_MEMORY_CONFIG: dict[str, Any] = {
    "distributed.worker.memory.target": False,
    "distributed.worker.memory.spill": False,
    "distributed.worker.memory.pause": False,
    "distributed.worker.memory.terminate": 0.95,
}


def local_cluster(workers: int | None = None, *, memory_limit: str = "1GB") -> Any:
    """A LocalCluster of single-threaded worker processes with dragoman's memory settings."""
    import dask
    from distributed import LocalCluster

    from .local import default_workers

    with dask.config.set(WORKER_MEMORY_CONFIG):
        return LocalCluster(
            n_workers=workers or default_workers(),
            threads_per_worker=1,  # spaCy holds the GIL: one analysis per process
            processes=True,
            memory_limit=memory_limit,
            dashboard_address=None,  # no fixed port to collide with on a shared machine
            silence_logs=logging.ERROR,
        )


class DaskEngine:
    """Runs batches on a Dask cluster; closes only the cluster and client it started itself."""

    def __init__(
        self,
        workers: int | None = None,
        *,
        scheduler: str | None = None,
        client: Client | None = None,
        settings: Settings | None = None,
        memory_limit: str = "1GB",
        retries: int = 2,
        max_in_flight: int | None = None,
    ) -> None:
        self.settings = settings
        self.retries = retries
        self._own: list[Any] = []
        if client is None:
            from distributed import Client

            if scheduler:
                client = Client(scheduler)
            else:
                cluster = local_cluster(workers, memory_limit=memory_limit)
                self._own.append(cluster)
                client = Client(cluster)
            self._own.insert(0, client)
        self.client = client
        # On a cluster that is still scaling up, count at least the workers asked for.
        nthreads = sum(self.client.nthreads().values())
        self.workers = max(nthreads, workers or 0, 1)
        self.max_in_flight = max_in_flight or 2 * self.workers

    def _stream(
        self, tasks: Iterator[tuple[Any, ...]], on_lost: Any
    ) -> Iterator[tuple[tuple[Any, ...], Any]]:
        """Submit ``(func, *args)`` tasks with at most ``max_in_flight`` pending; yield (task, result)."""
        from distributed import as_completed
        from distributed.scheduler import KilledWorker

        ac = as_completed(with_results=True, raise_errors=False)
        pending: dict[Any, tuple[Any, ...]] = {}

        def submit() -> bool:
            task = next(tasks, None)
            if task is None:
                return False
            fut = self.client.submit(*task, retries=self.retries, pure=False)
            pending[fut.key] = task
            ac.add(fut)
            return True

        for _ in range(self.max_in_flight):
            if not submit():
                break
        for fut, result in ac:
            task = pending.pop(fut.key)
            if fut.status == "error":
                exc = result[1]
                # KilledWorker: the task took down workers again and again (a crash or memory blow-up
                # inside the analysis); its articles become failures and the run goes on.
                if not isinstance(exc, KilledWorker):
                    raise exc
                yield task, on_lost(task, exc)
            elif fut.status == "cancelled":  # e.g. released by a scheduler that restarted
                yield task, on_lost(task, result)
            else:
                yield task, result
            del fut, result  # drop the references so the cluster can forget the result
            submit()

    def map_unordered(self, batches: Iterable[list[RawArticle]]) -> Iterator[list[Outcome]]:
        tasks = ((analyse_batch, b, self.settings) for b in batches)

        def lost(task: tuple[Any, ...], exc: BaseException) -> list[Outcome]:
            return [
                Outcome(r.source, r.raw_hash, None, WORKER_LOST, f"workers died analysing this batch: {exc}")
                for r in task[1]
            ]

        for _, outcomes in self._stream(tasks, lost):
            yield outcomes

    def run_partitions(
        self, paths: list[str], out_dir: str, fields: dict[str, str]
    ) -> Iterator[PartitionReport]:
        todo: list[str] = []
        for p in paths:
            out = result_shard_path(p, out_dir)
            if out.exists():  # done by an earlier run: resume without a round trip
                yield PartitionReport(p, str(out), 0, 0, skipped=True)
            else:
                todo.append(p)
        tasks = ((process_partition, p, out_dir, fields, self.settings) for p in todo)

        def lost(task: tuple[Any, ...], exc: BaseException) -> PartitionReport:
            raise RuntimeError(f"partition {task[1]} failed on every try: {exc}") from exc

        for _, report in self._stream(tasks, lost):
            yield report

    def worker_memory(self) -> dict[str, int]:
        """Peak resident memory of each worker process, in bytes."""
        from .worker import worker_rss

        return dict(self.client.run(worker_rss))

    def close(self) -> None:
        for obj in self._own:
            obj.close()
        self._own = []

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_dask(
    items: Iterable[RawArticle | SourceFailure],
    store: Store,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Client | None = None,
    settings: Settings | None = None,
    batch_size: int = 4,
    on_item: OnItem | None = None,
) -> IngestSummary:
    """Analyse ``items`` on Dask and store the results in ``store`` (written by this process)."""
    with DaskEngine(workers, scheduler=scheduler, client=client, settings=settings) as engine:
        return run_batch(items, store, engine, batch_size=batch_size, on_item=on_item)

