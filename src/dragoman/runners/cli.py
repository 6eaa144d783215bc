"""The batch commands: `dragoman batch` (analyse on local processes or Dask) and `dragoman load`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from ..errors import batch_exit_status
from ..ingest.run import IngestSummary, updated_note

__all__ = ["batch", "load", "make_engine"]


def make_engine(
    engine: str, workers: int | None, scheduler: str | None, settings: Any = None
) -> Any:
    """A LocalEngine or a DaskEngine from the command-line options (``--scheduler`` means Dask)."""
    if scheduler or engine == "dask":
        from .dask import DaskEngine

        return DaskEngine(workers, scheduler=scheduler, settings=settings)
    from .local import LocalEngine

    return LocalEngine(workers, settings=settings)


@contextmanager
def progress_bar(quiet: bool, what: str = "articles") -> Iterator[Callable[[IngestSummary, str], None]]:
    """A progress line on stderr with the counts and the rate; yields the ``on_item`` callback."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
        console=Console(stderr=True), disable=quiet,
    ) as progress:
        task = progress.add_task("starting workers", total=None)

        def on_item(s: IngestSummary, kind: str) -> None:
            progress.update(
                task,
                # Short enough for an 80-column terminal with the spinner and the clock.
                description=(
                    f"{s.seen} {what} | {s.stored} stored | {s.present} present | "
                    f"{s.near_duplicates} near-dup | {s.failed} failed | {s.rate:.1f}/s"
                ),
            )

        yield on_item


def refuse_missing(sources: tuple[str, ...]) -> None:
    """A path that names no file or folder is refused before anything starts (no worker pool, no
    database), as ingest does; a glob may match nothing (a failure names it), and '-' and URLs are
    not paths."""
    missing = [s for s in sources if s != "-" and not s.startswith(("http://", "https://"))
               and not any(c in s for c in "*?[") and not Path(s).exists()]
    if missing:
        raise click.UsageError("no such file or folder: " + ", ".join(missing))


def report(summary: IngestSummary, failures: list[tuple[str, str]]) -> None:
    for label, n in (
        ("stored", summary.stored),
        ("already present", summary.present),
        ("near-duplicates", summary.near_duplicates),
        ("failed", summary.failed),
    ):
        more = updated_note(summary) if label == "already present" else ""
        click.echo(f"{label}: {n}{more}", err=True)
    for reason, n in summary.reasons.most_common():
        click.echo(f"  {reason}: {n}", err=True)
    for source, reason in list(dict.fromkeys(failures))[:10]:
        click.echo(f"  - {source}: {reason}", err=True)
    if summary.seen:
        click.echo(f"rate: {summary.rate:.2f} articles/s", err=True)


DB_HELP = "SQLite path or postgresql:// URL (default: the `db` setting, ./dragoman.db)"


@click.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--db", default=None, metavar="DB", help=DB_HELP)
@click.option(
    "--output", "-o", "output", default=None, metavar="DIR",
    help="write one Parquet shard of results per input shard here instead of storing them "
    "(load them later with `dragoman load DIR`)",
)
@click.option(
    "--workers", "-w", type=click.IntRange(min=1), default=None,
    help="worker processes (default: every core); for a running --scheduler, its workers are used",
)
@click.option(
    "--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
    help="local processes, or Dask (a LocalCluster unless --scheduler is given)",
)
@click.option("--scheduler", metavar="ADDRESS", default=None, help="a running Dask scheduler, tcp://host:8786")
@click.option(
    "--field", "fields", multiple=True, metavar="NAME=COLUMN",
    help="map a JSON/CSV/Parquet column to text, title, url, date, outlet or id (repeatable)",
)
@click.option(
    "--batch-size", type=click.IntRange(min=1), default=None,
    help="articles per task (default: 1 on local processes, 4 on Dask)",
)
@click.option("--quiet", "-q", is_flag=True, help="no progress bar")
def batch(
    sources: tuple[str, ...],
    db: str | None,
    output: str | None,
    workers: int | None,
    engine: str,
    scheduler: str | None,
    fields: tuple[str, ...],
    batch_size: int | None,
    quiet: bool,
) -> None:
    """Analyse many articles in parallel: files, folders or globs of JSONL, CSV or Parquet shards.

    Results go to the store (--db), written by this process, or to Parquet shards (--output).
    A re-run skips what is stored already (or shards already written), so an interrupted run is
    resumed by running it again.
    """
    refuse_missing(sources)  # before any worker starts
    from ..config import load_settings
    from ..ingest.tables import parse_field_map
    from ..store import Store
    from .base import run_batch
    from .shards import expand_inputs, iter_inputs, remove_stale_tmp

    if output and db:
        raise click.UsageError("give either --db (store the results) or --output (write shards), not both")
    settings = load_settings()
    mapping = parse_field_map(fields)
    dask = bool(scheduler) or engine == "dask"
    with make_engine(engine, workers, scheduler, settings) as eng:
        if output:
            # Absolute paths: the tasks run in other processes, perhaps on other machines, whose
            # working directory is not ours (a shared file system is assumed; see docs/scaling.md).
            paths = [str(Path(p).resolve()) for p in expand_inputs(sources)]
            output = str(Path(output).resolve())
            # what a killed run left half-written; with Dask other machines may still be writing
            stale = remove_stale_tmp(output, min_age=3600.0 if dask else 0.0)
            if stale and not quiet:
                click.echo(f"removed {len(stale)} unfinished shard file(s) of an earlier run", err=True)
            done = rows = failed = skipped = 0
            for rep in eng.run_partitions(paths, output, mapping):
                done += 1
                rows += rep.rows
                failed += rep.failed
                skipped += rep.skipped
                if not quiet:
                    click.echo(
                        f"[{done}/{len(paths)}] {rep.input} -> {rep.output}: "
                        + ("already written" if rep.skipped else f"{rep.rows} rows, {rep.failed} failed"),
                        err=True,
                    )
            click.echo(
                f"shards: {done} ({skipped} already written); rows: {rows}; failed: {failed}", err=True
            )
            # a shard written by an earlier run counts as analysed, as a stored article does
            status = batch_exit_status(rows - failed + skipped, failed)
            if status:
                raise SystemExit(status)
            return
        with Store.open(db) as store, progress_bar(quiet) as on_item:
            summary = run_batch(
                iter_inputs(sources, fields=mapping), store, eng,
                batch_size=batch_size or (4 if dask else 1), on_item=on_item,
            )
            failures = [(f.source or "?", f.reason) for f in store.failures(limit=10)] if summary.failed else []
    report(summary, failures)
    if summary.exit_status:  # as analyze and ingest: 1 nothing analysed, 2 some articles failed
        raise SystemExit(summary.exit_status)


@click.command()
@click.argument("shards", nargs=-1, required=True)
@click.option("--db", default=None, metavar="DB", help=DB_HELP)
@click.option("--quiet", "-q", is_flag=True, help="no progress bar")
def load(shards: tuple[str, ...], db: str | None, quiet: bool) -> None:
    """Bulk-load Parquet result shards written by `dragoman batch --output` into the store."""
    refuse_missing(shards)  # before the store is opened: a typo creates no database
    from ..store import Store
    from .base import load_outcomes
    from .shards import iter_result_shards

    with Store.open(db) as store, progress_bar(quiet) as on_item:
        summary = load_outcomes(iter_result_shards(shards), store, on_item=on_item)
        failures = [(f.source or "?", f.reason) for f in store.failures(limit=10)] if summary.failed else []
    report(summary, failures)
    if summary.exit_status:  # failure rows of the shards and unreadable shards count as failed
        raise SystemExit(summary.exit_status)
