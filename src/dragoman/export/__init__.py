"""Exports of stored results: PLOVER records, JSONL, CSV, GeoJSON, Parquet."""

from .plover import plover_records
from .tables import cluster_flat, event_flat

__all__ = ["cluster_flat", "event_flat", "plover_records"]
