"""Batch runners: local processes and Dask."""
