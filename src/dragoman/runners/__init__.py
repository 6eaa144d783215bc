"""Batch runners: analysis on local processes or on a Dask cluster, results to the single writer."""

from .base import Engine, StoreWriter, load_outcomes, pending_batches, run_batch
from .dask import DaskEngine, run_dask
from .local import LocalEngine, default_workers, run_local
from .shards import expand_inputs, iter_inputs, iter_result_shards, write_result_shard
from .worker import Outcome, PartitionReport, WorkerSetupError

__all__ = [
    "DaskEngine",
    "Engine",
    "LocalEngine",
    "Outcome",
    "PartitionReport",
    "StoreWriter",
    "WorkerSetupError",
    "default_workers",
    "expand_inputs",
    "iter_inputs",
    "iter_result_shards",
    "load_outcomes",
    "pending_batches",
    "run_batch",
    "run_dask",
    "run_local",
    "write_result_shard",
]
