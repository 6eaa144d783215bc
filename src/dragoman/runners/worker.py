"""What runs inside a worker process: the pipeline built once per process, raw articles in, outcomes out.

This module is importable on every worker (local processes and Dask workers alike), so the
pipeline cache lives here and in ``dragoman.nlp``, never in ``__main__``: a function pickled by
reference finds the same cache on every call in that process.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, DragomanError, KnowledgeBaseError, ModelNotFoundError
from ..ingest.raw import RawArticle, SourceFailure

if TYPE_CHECKING:
    from ..config import Settings
    from ..nlp import Pipeline

__all__ = [
    "Outcome",
    "PartitionReport",
    "WorkerSetupError",
    "analyse_batch",
    "analyse_raw",
    "get_pipeline",
    "process_partition",
    "warm",
    "worker_rss",
]

# Errors that concern the worker's setup, not one article: recording them on every article of a
# long batch would hide the real problem, so they end the run instead.
_SETUP_ERRORS = (ModelNotFoundError, KnowledgeBaseError, ConfigError)


class WorkerSetupError(DragomanError):
    """A worker could not build its pipeline (model missing, knowledge base invalid, bad setting)."""

    def __init__(self, message: str) -> None:
        # One plain string argument keeps the exception picklable across process boundaries.
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Outcome:
    """The picklable answer for one raw article: its result as JSON-ready dict, or why it failed."""

    source: str
    raw_hash: str | None
    result: dict[str, Any] | None = None  # ArticleResult.to_dict()
    error_type: str | None = None
    reason: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.result is not None

    @classmethod
    def from_failure(cls, failure: SourceFailure) -> Outcome:
        return cls(failure.source, None, None, failure.error_type, failure.reason)


@dataclass(frozen=True, slots=True)
class PartitionReport:
    """What one partition task did: where it wrote, how many rows it analysed and how many failed."""

    input: str
    output: str
    rows: int
    failed: int
    skipped: bool = False  # the output shard was there already (a resumed run)


def get_pipeline(settings: Settings | None = None) -> Pipeline:
    """The pipeline of this process, built on first use and cached by ``dragoman.nlp``."""
    from ..nlp import load_pipeline

    try:
        return load_pipeline(settings)
    except _SETUP_ERRORS as exc:
        raise WorkerSetupError(f"worker {os.getpid()} cannot build the pipeline: {exc}") from None


def warm(settings: Settings | None = None) -> None:
    """Process-pool initializer: build the pipeline before the first article arrives.

    A failure is not raised here (that would break the whole pool without a message); the first
    task raises it again, with its reason, through ``get_pipeline``.
    """
    _die_with_parent()
    try:
        get_pipeline(settings)
    except WorkerSetupError:
        pass


def _die_with_parent(interval: float = 1.0) -> None:
    """A worker whose parent is gone (killed with SIGKILL, which no handler sees) exits too, within
    ``interval`` seconds, instead of holding its pipeline's memory forever: a daemon thread
    watches for the worker being handed to another parent."""
    import multiprocessing
    import os
    import threading

    # the process that started this one, even if it died before this line ran
    started_by = multiprocessing.parent_process()
    parent = started_by.pid if started_by is not None and started_by.pid else os.getppid()
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="dragoman-parent-watch", daemon=True).start()


def _error_kind(exc: BaseException) -> str:
    # The same names the single-process ingest records, so failures read alike whatever the engine.
    if isinstance(exc, DragomanError | ValueError | UnicodeError):
        return type(exc).__name__
    return f"AnalysisError:{type(exc).__name__}"


def analyse_raw(raw: RawArticle, settings: Settings | None = None) -> Outcome:
    """Analyse one raw article; any per-article error becomes a failure outcome, never an exception."""

    pipe = get_pipeline(settings)
    t0 = time.perf_counter()
    try:
        result = raw.analyse(pipe)
        # Serialised inside the guard: a result that cannot be turned into JSON is this article's
        # failure, not the batch's.
        data = result.to_dict()
    except _SETUP_ERRORS as exc:
        raise WorkerSetupError(str(exc)) from None
    except Exception as exc:  # one bad article must not end a batch of thousands
        kind = _error_kind(exc)
        reason = str(exc) if kind == type(exc).__name__ else f"analysis error: {exc!r}"
        return Outcome(raw.source, raw.raw_hash, None, kind, reason, time.perf_counter() - t0)
    return Outcome(raw.source, raw.raw_hash, data, None, None, time.perf_counter() - t0)


def analyse_batch(raws: Sequence[RawArticle], settings: Settings | None = None) -> list[Outcome]:
    """Analyse a small batch in one task (fewer round trips to the scheduler or the pool)."""
    return [analyse_raw(r, settings) for r in raws]


def worker_rss() -> int:
    """Peak resident memory of this process in bytes (for the benchmark's per-worker figure)."""
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


def process_partition(
    path: str,
    out_dir: str,
    fields: Mapping[str, str] | None = None,
    settings: Settings | None = None,
) -> PartitionReport:
    """Read one input shard, analyse every row and write one Parquet shard of results.

    The shard is written under a temporary name and renamed at the end, so a shard that exists is
    complete: a re-run skips it, and a worker lost half-way leaves nothing that looks finished.
    """
    from .shards import iter_shard, result_shard_path, write_result_shard

    out = result_shard_path(path, out_dir)
    if out.exists():
        return PartitionReport(path, str(out), 0, 0, skipped=True)
    counts = {"rows": 0, "failed": 0}

    def outcomes() -> Iterator[Outcome]:
        for item in iter_shard(path, fields or {}):
            o = Outcome.from_failure(item) if isinstance(item, SourceFailure) else analyse_raw(item, settings)
            counts["rows"] += 1
            counts["failed"] += not o.ok
            yield o

    write_result_shard(outcomes(), out)
    return PartitionReport(path, str(out), counts["rows"], counts["failed"])
