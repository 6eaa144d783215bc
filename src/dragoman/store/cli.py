"""The corpus commands: ingest, events, actors, articles, show, export and reanalyse."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from ..errors import StoreError
from .query import EventFilter
from .store import Store

DB_OPTION = click.option(
    "--db",
    "db",
    default=None,
    metavar="DB",
    help="SQLite path or postgresql:// URL (default: the `db` setting, ./dragoman.db)",
)


def _checked(convert: Callable[[str], str]) -> Callable[[click.Context, click.Parameter, str | None], str | None]:
    """A click callback that turns a value into its code, or refuses it with the valid choices."""
    from ..errors import ConfigError

    def callback(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            return convert(value)
        except ConfigError as exc:
            raise click.BadParameter(str(exc)) from exc

    return callback


def _type_code(value: str) -> str:
    from ..codes import event_type

    return event_type(value)


def _country_code(value: str) -> str:
    from ..codes import country_code

    return country_code(value)


TYPE_CHECK = _checked(_type_code)
COUNTRY_CHECK = _checked(_country_code)


def _filters(func: Callable[..., Any]) -> Callable[..., Any]:
    for opt in reversed(
        [
            click.option("--actor", help="actor name or alias (substring, case-insensitive) or actor key"),
            click.option("--type", "type_", metavar="TYPE", callback=TYPE_CHECK,
                         help="PLOVER event type, e.g. ASSAULT"),
            click.option("--country", metavar="ISO3", callback=COUNTRY_CHECK,
                         help="country of an actor, recipient or place (ISO3 code or name)"),
            click.option("--place", help="place name, or a province containing it"),
            click.option("--since", metavar="DATE", help="from this day, month or year (inclusive)"),
            click.option("--until", metavar="DATE", help="up to this day, month or year (inclusive)"),
            click.option("--text", metavar="QUERY", help="full-text query over the articles"),
        ]
    ):
        func = opt(func)
    return func


def _event_filter(
    actor: str | None,
    type_: str | None,
    country: str | None,
    place: str | None,
    since: str | None,
    until: str | None,
    text: str | None,
) -> EventFilter:
    return EventFilter(actor=actor, type=type_, country=country, place=place, since=since, until=until, text=text)


def _open(db: str | None, *, readonly: bool = True) -> Store:
    return Store.open(db, readonly=readonly)


def _emit_table(columns: list[str], rows: list[list[Any]], title: str | None = None) -> None:
    """A table for people on a terminal; tab-separated lines when piped, so no cell is wrapped or cut."""
    cells = [["" if v is None else str(v) for v in r] for r in rows]
    if not sys.stdout.isatty():
        if title:
            click.echo(f"# {title}")
        click.echo("\t".join(columns))
        for r in cells:
            click.echo("\t".join(" ".join(c.split()) for c in r))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold")
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in cells:
        table.add_row(*r)
    Console().print(table)


def _emit(
    fmt: str,
    dicts: list[dict[str, Any]],
    columns: list[str],
    table_rows: list[list[Any]],
    table_cols: list[str],
    title: str | None = None,
) -> None:
    if fmt == "json":
        for d in dicts:
            click.echo(json.dumps(d, ensure_ascii=False))
    elif fmt == "csv":
        from ..export.tables import write_csv

        write_csv(dicts, columns, sys.stdout)
    else:
        _emit_table(table_cols, table_rows, title)


FORMAT_OPTION = click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
)


# ---------------------------------------------------------------------------------------------- ingest


@click.command()
@click.argument("sources", nargs=-1, required=True)
@DB_OPTION
@click.option(
    "--field",
    "fields",
    multiple=True,
    metavar="NAME=COLUMN",
    help="map a JSON/CSV column to text, title, url, date, outlet or id (repeatable)",
)
@click.option("--timeout", type=float, default=20.0, show_default=True, help="seconds per URL fetch")
@click.option("--no-fetch-links", is_flag=True, help="use feed entries as they are; do not fetch their pages")
@click.option("--quiet", "-q", is_flag=True, help="no progress bar")
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(min=0),
    default=None,
    help="analyse on N worker processes (0: every core; default: in this process)",
)
@click.option("--engine", type=click.Choice(["local", "dask"]), default=None, help="local processes or a Dask cluster")
@click.option("--scheduler", metavar="ADDRESS", default=None, help="a running Dask scheduler, tcp://host:8786")
@click.option(
    "--commit-every",
    type=click.IntRange(min=1),
    default=32,
    show_default=True,
    help="store analysed articles N at a time, one transaction per group (at most 2 s apart)",
)
def ingest(
    sources: tuple[str, ...],
    db: str | None,
    fields: tuple[str, ...],
    timeout: float,
    no_fetch_links: bool,
    quiet: bool,
    workers: int | None = None,
    engine: str | None = None,
    scheduler: str | None = None,
    commit_every: int = 1,
) -> None:
    """Analyse articles from files, folders, tables, feeds, URLs or - (stdin) and store them."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from ..config import load_settings
    from ..ingest import ingest as run_ingest
    from ..ingest import iter_sources, parse_field_map
    from ..ingest.run import updated_note

    missing = [s for s in sources if s != "-" and not s.startswith(("http://", "https://")) and not Path(s).exists()]
    if missing:  # before the store is opened: a typo creates no database
        raise click.UsageError("no such file or folder: " + ", ".join(missing))
    settings = load_settings()
    mapping = parse_field_map(fields)
    store = Store.open(db)
    items = iter_sources(
        sources, fields=mapping, max_bytes=settings.max_bytes, timeout=timeout, fetch_links=not no_fetch_links
    )
    err = Console(stderr=True)
    failures: list[tuple[str, str]] = []

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        disable=quiet,
        transient=False,
    ) as progress:
        task = progress.add_task("starting", total=None)

        def on_item(summary: Any, kind: str) -> None:
            progress.update(
                task,
                description=(
                    f"{summary.seen} articles: {summary.stored} stored, {summary.present} already present, "
                    f"{summary.near_duplicates} near-duplicates, {summary.failed} failed, "
                    f"{summary.rate:.1f} articles/s"
                ),
            )

        if workers is not None or engine or scheduler:  # parallel: see dragoman.runners, docs/scaling.md
            from ..runners.base import run_batch
            from ..runners.cli import make_engine

            dask = bool(scheduler) or engine == "dask"
            with make_engine(engine or "local", workers or None, scheduler, settings) as eng:
                summary = run_batch(items, store, eng, batch_size=4 if dask else 1, on_item=on_item)
        else:
            summary = run_ingest(store, items, on_item=on_item, commit_every=commit_every)
    failures = [(f.source or "?", f.reason) for f in store.failures(limit=20)] if summary.failed else []
    store.close()
    click.echo(f"stored: {summary.stored}", err=True)
    click.echo(f"already present: {summary.present}{updated_note(summary)}", err=True)
    click.echo(f"near-duplicates: {summary.near_duplicates}", err=True)
    click.echo(f"failed: {summary.failed}", err=True)
    for reason, n in summary.reasons.most_common():
        click.echo(f"  {reason}: {n}", err=True)
    for source, reason in failures[: summary.failed][:10]:
        click.echo(f"  - {source}: {reason}", err=True)
    if summary.seen:
        total = summary.seconds_analysing + summary.seconds_storing
        click.echo(
            f"rate: {summary.rate:.2f} articles/s (storing {100 * summary.seconds_storing / total:.1f}% of the work)"
            if total
            else f"rate: {summary.rate:.2f} articles/s",
            err=True,
        )
    if summary.exit_status:  # as analyze, batch and load: 1 nothing analysed, 2 some items failed
        raise SystemExit(summary.exit_status)


# ---------------------------------------------------------------------------------------------- queries


@click.command()
@_filters
@click.option("--clusters", is_flag=True, help="one row per real-world event (cluster of reports)")
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--count", is_flag=True, help="print only how many events (or clusters) match")
@FORMAT_OPTION
@DB_OPTION
def events(
    actor: str | None,
    type_: str | None,
    country: str | None,
    place: str | None,
    since: str | None,
    until: str | None,
    text: str | None,
    clusters: bool,
    limit: int,
    count: bool,
    fmt: str,
    db: str | None,
) -> None:
    """List stored events, newest first, filtered."""
    from ..export.tables import CLUSTER_COLUMNS, EVENT_COLUMNS, cluster_flat, event_flat

    f = _event_filter(actor, type_, country, place, since, until, text)
    with _open(db) as store:
        if count:
            click.echo(store.count_events(f, clusters=clusters))
            return
        if clusters:
            crows = store.clusters(f, limit=limit).items
            _emit(
                fmt,
                [cluster_flat(c) for c in crows] if fmt == "csv" else [c.to_dict() for c in crows],
                CLUSTER_COLUMNS,
                [
                    [
                        c.pk,
                        c.day,
                        c.event,
                        c.n_mentions,
                        c.n_articles,
                        ", ".join(c.sources),
                        ", ".join(c.countries),
                    ]
                    for c in crows
                ],
                ["cluster", "day", "event", "reports", "articles", "sources", "countries"],
            )
            return
        rows = store.events(f, limit=limit).items
        _emit(
            fmt,
            [event_flat(e) for e in rows] if fmt == "csv" else [e.to_dict() for e in rows],
            EVENT_COLUMNS,
            [
                [
                    e.date or e.day,
                    e.event,
                    e.mode,
                    ", ".join(a.name for a in e.actors),
                    ", ".join(a.name for a in e.recipients),
                    ", ".join(p.name for p in e.places),
                    e.trigger,
                    e.article_id[7:19],
                ]
                for e in rows
            ],
            ["date", "event", "mode", "actor", "recipient", "place", "trigger", "article"],
        )


@click.command()
@click.option("--name", help="name or alias (substring)")
@click.option("--country", metavar="ISO3", callback=COUNTRY_CHECK, help="ISO3 code or country name")
@click.option("--profile", metavar="KEY", help="print one actor's profile (JSON): aliases, timeline, relations")
@click.option("--limit", type=int, default=50, show_default=True)
@FORMAT_OPTION
@DB_OPTION
def actors(name: str | None, country: str | None, profile: str | None, limit: int, fmt: str, db: str | None) -> None:
    """List actors by how many events they take part in."""
    with _open(db) as store:
        if profile:
            p = store.actor_profile(profile)
            if p is None:
                raise click.ClickException(f"no actor with key {profile!r}; `dragoman actors --name` finds keys")
            click.echo(json.dumps(p.to_dict(), ensure_ascii=False, indent=2))
            return
        rows = store.actors(name=name, country=country, limit=limit).items
        cols = ["key", "name", "kind", "country", "sector", "n_articles", "n_actor", "n_recipient"]
        _emit(
            fmt,
            [a.to_dict() for a in rows],
            cols,
            [[a.name, a.kind, a.country, a.sector, a.n_actor, a.n_recipient, a.n_articles, a.key] for a in rows],
            ["name", "kind", "country", "sector", "as actor", "as recipient", "articles", "key"],
        )


@click.command()
@click.option("--search", metavar="QUERY", help="full-text search over titles and texts")
@click.option("--limit", type=int, default=50, show_default=True)
@FORMAT_OPTION
@DB_OPTION
def articles(search: str | None, limit: int, fmt: str, db: str | None) -> None:
    """List stored articles, or search them."""
    with _open(db) as store:
        rows = store.articles(search=search, limit=limit).items
        cols = [
            "id",
            "title",
            "source",
            "url",
            "outlet",
            "published",
            "n_events",
            "near_duplicate_of",
            "dragoman_version",
            "kb_version",
            "snippet",
        ]
        _emit(
            fmt,
            [a.to_dict() for a in rows],
            cols,
            [
                [
                    a.id[7:19],
                    a.published,
                    a.outlet,
                    a.title or a.source,
                    a.n_events,
                    (a.near_duplicate_of or "")[7:19],
                    a.snippet,
                ]
                for a in rows
            ],
            ["id", "published", "outlet", "title", "events", "copy of", "snippet"],
        )


@click.command()
@click.argument("article_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@DB_OPTION
def show(article_id: str, fmt: str, db: str | None) -> None:
    """Show one stored article's analysis (an id or a unique prefix of one)."""
    with _open(db) as store:
        result = store.get_article_result(article_id)
    if result is None:
        raise click.ClickException(f"no stored article {article_id!r}; `dragoman articles` lists them")
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    from ..render import render_text, report_console

    report_console().print(render_text(result))


# ---------------------------------------------------------------------------------------------- export


@click.command()
@click.option("--format", "fmt", type=click.Choice(["plover", "jsonl", "csv", "geojson", "parquet"]), required=True)
@_filters
@click.option("--clusters", is_flag=True, help="csv/parquet: one row per cluster instead of per report")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="file to write (default: standard output; required for parquet)",
)
@DB_OPTION
def export(
    fmt: str,
    actor: str | None,
    type_: str | None,
    country: str | None,
    place: str | None,
    since: str | None,
    until: str | None,
    text: str | None,
    clusters: bool,
    output: Path | None,
    db: str | None,
) -> None:
    """Export stored events (or whole results with jsonl), filtered."""
    from ..export.tables import (
        CLUSTER_COLUMNS,
        EVENT_COLUMNS,
        cluster_flat,
        event_flat,
        write_csv,
        write_geojson,
        write_parquet,
    )

    f = _event_filter(actor, type_, country, place, since, until, text)
    if fmt == "parquet" and output is None:
        raise click.UsageError("parquet needs a file: -o events.parquet")
    with _open(db) as store:
        if fmt == "parquet":
            assert output is not None
            if clusters:
                n = write_parquet((cluster_flat(c) for c in _all_clusters(store, f)), CLUSTER_COLUMNS, output)
            else:
                n = write_parquet((event_flat(e) for e in store.iter_events(f)), EVENT_COLUMNS, output)
            click.echo(f"wrote {n} rows to {output}", err=True)
            return
        out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            if fmt == "csv":
                if clusters:
                    n = write_csv((cluster_flat(c) for c in _all_clusters(store, f)), CLUSTER_COLUMNS, out)
                else:
                    n = write_csv((event_flat(e) for e in store.iter_events(f)), EVENT_COLUMNS, out)
            elif fmt == "geojson":
                n = write_geojson(store.iter_events(f), out)
            else:
                n = _export_results(store, f, fmt, out)
        finally:
            if output:
                out.close()
    if output:
        click.echo(f"wrote {n} records to {output}", err=True)


def _all_clusters(store: Store, f: EventFilter) -> Iterator[Any]:
    cursor = None
    while True:
        page = store.clusters(f, limit=1000, cursor=cursor)
        yield from page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def _export_results(store: Store, f: EventFilter, fmt: str, out: Any) -> int:
    """plover: the matching events' records; jsonl: whole results of articles with a matching event."""
    from ..export.plover import plover_records

    wanted: dict[str, dict[str, int | None]] = {}
    order: list[str] = []
    if f.is_empty():
        for a in store.iter_results():
            order.append(a.article.id)
        ids: list[str] | None = None
    else:
        for e in store.iter_events(f):
            if e.article_id not in wanted:
                wanted[e.article_id] = {}
                order.append(e.article_id)
            wanted[e.article_id][e.eid] = e.cluster
        ids = order
    n = 0
    for result in store.iter_results(ids):
        if fmt == "jsonl":
            out.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
            n += 1
            continue
        links = store_links(store, result.article.id)
        for rec in plover_records(result, links=links):
            eid = rec["id"].rsplit("#", 1)[1]
            if ids is not None and eid not in wanted.get(result.article.id, {}):
                continue
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


def store_links(store: Store, article_id: str) -> dict[str, str]:
    """Event id -> cluster id for one article, as PLOVER ``link`` values."""
    rows = store.db.query(
        "SELECT e.eid, e.cluster_pk FROM events e JOIN articles a ON a.pk = e.article_pk "
        "WHERE a.id = ? AND e.cluster_pk IS NOT NULL",
        (article_id,),
    )
    return {r["eid"]: f"cluster:{r['cluster_pk']}" for r in rows}


# ---------------------------------------------------------------------------------------------- reanalyse


@click.command()
@_filters
@click.option("--outdated", is_flag=True, help="only articles coded by another dragoman or KB version")
@DB_OPTION
def reanalyse(
    actor: str | None,
    type_: str | None,
    country: str | None,
    place: str | None,
    since: str | None,
    until: str | None,
    text: str | None,
    outdated: bool,
    db: str | None,
) -> None:
    """Re-run the analysis over stored articles (after the pipeline or the knowledge base changed)."""
    from .. import __version__
    from ..analyse import analyse
    from ..nlp import load_pipeline
    from ..store.writer import versions

    f = _event_filter(actor, type_, country, place, since, until, text)
    pipeline = load_pipeline()
    done = failed = skipped = 0
    with Store.open(db) as store:
        ids = (
            [str(r["id"]) for r in store.db.query("SELECT id FROM articles ORDER BY pk")]
            if f.is_empty()
            else list(dict.fromkeys(e.article_id for e in store.iter_events(f)))
        )
        # The versions a new analysis records (as analyse() writes them into the result's meta):
        # --outdated skips articles already coded by them without analysing them again.
        current: tuple[str, str] = (__version__, str(getattr(pipeline.kb, "version", "unknown")))
        for article_id in ids:
            if outdated:
                row = store.db.query_one(
                    "SELECT dragoman_version, kb_version FROM articles WHERE id = ?", (article_id,)
                )
                if row is not None and (row["dragoman_version"], row["kb_version"]) == current:
                    skipped += 1
                    continue
            old = store.get_article_result(article_id)
            if old is None:
                continue
            art = old.article
            published = art.published if art.published_basis in {"metadata", "user"} else None
            try:
                new = analyse(
                    art.text,
                    source=art.source,
                    title=art.title,
                    url=art.url,
                    outlet=art.outlet,
                    published=published,
                    html=False,
                    pipeline=pipeline,
                )
            except Exception as exc:  # keep the old result; record why the new analysis failed
                store.record_failure(art.source, f"reanalysis of {article_id}: {exc}")
                failed += 1
                continue
            current = versions(new)
            if outdated and versions(old) == current:
                skipped += 1
                continue
            store.replace(article_id, new)
            done += 1
    click.echo(f"reanalysed: {done}, unchanged versions skipped: {skipped}, failed: {failed}", err=True)


__all__ = ["actors", "articles", "events", "export", "ingest", "reanalyse", "show", "StoreError"]
