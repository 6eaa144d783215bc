"""Exports of stored results: PLOVER records, JSONL, CSV, GeoJSON, Parquet."""
