"""``dragoman analyze``: analyse articles from files or standard input and print the results."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .errors import DragomanError, InputError, batch_exit_status

if TYPE_CHECKING:
    from .records import ArticleResult

FORMATS = ["text", "json", "jsonl", "plover", "brief"]


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{path}: is a folder; give article files (or use 'dragoman ingest' for folders)")
    try:
        return p.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc


def _path_problem(path: str) -> str | None:
    p = Path(path)
    if p.is_dir():
        return f"{path}: is a folder; give article files (or use 'dragoman ingest' for folders)"
    if not p.exists():
        return f"{path}: no such file"
    return None


def _published_option(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    from .dates import parse_published

    if value is None:
        return None
    try:
        return parse_published(value)
    except InputError as exc:
        raise click.BadParameter(str(exc)) from exc


@click.command("analyze")
@click.argument("files", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text: a report for people; json/jsonl: the article result; plover: PLOVER records; "
                   "brief: an analyst's note drafted from the result")
@click.option("--published", default=None, callback=_published_option,
              help="publication date when the article does not give it (2025-04-08, '8 April 2025', RFC 2822, ...)")
@click.option("--outlet", default=None, help="name of the outlet that published the articles")
@click.option("--model", default=None, help="spaCy model to use instead of the configured one")
def analyze(files: tuple[str, ...], fmt: str, published: date | None, outlet: str | None, model: str | None) -> None:
    """Analyse news articles (plain text or HTML; FILE '-' or none reads standard input)."""
    paths = list(files) or ["-"]
    failures = 0
    # Paths are checked before the pipeline and the ingest layer (httpx, numpy, the store) are
    # imported, which takes seconds on a busy machine: a typo is reported at once.
    for path in [p for p in paths if p != "-"]:
        problem = _path_problem(path)
        if problem:
            failures += 1
            click.echo(f"error: {problem}", err=True)
            paths.remove(path)
    if not paths:
        raise SystemExit(1)
    from .analyse import analyse
    from .config import load_settings
    from .ingest.sources import HTML_SUFFIXES
    from .nlp import load_pipeline

    pipe = load_pipeline(load_settings(model=model))
    many = len(paths) > 1
    array = fmt == "json" and many  # several articles as json: one JSON document, an array
    analysed = 0
    if array:
        click.echo("[")
    for path in paths:
        try:
            result = analyse(_read(path), source=path, outlet=outlet, published=published, pipeline=pipe,
                             html=True if Path(path).suffix.lower() in HTML_SUFFIXES else None)
        except DragomanError as exc:
            failures += 1
            click.echo(f"error: {exc}" if str(exc).startswith(path) else f"error: {path}: {exc}", err=True)
            continue
        except Exception as exc:  # a bug on one article is reported, and the other articles go on
            failures += 1
            click.echo(f"error: {path}: internal error {type(exc).__name__}: {exc} (please report it)", err=True)
            continue
        if array:
            _write_json(result, indent=2, before="," if analysed else "")
        else:
            _emit(result, fmt, many=many)
        del result  # a long text's result is not kept while the next file is analysed
        analysed += 1
    if array:
        click.echo("]")
    status = batch_exit_status(analysed, failures)  # the same as ingest, batch and load
    if status:
        raise SystemExit(status)


def _emit(result: ArticleResult, fmt: str, *, many: bool) -> None:
    if fmt == "text":
        from .render import render_text, report_console

        report_console().print(render_text(result))
    elif fmt == "json":
        _write_json(result, indent=2)
    elif fmt == "jsonl":
        _write_json(result, indent=None)
    elif fmt == "brief":
        from .analysis.brief import article_brief, render_brief_text

        click.echo(render_brief_text(article_brief(result)))
    else:
        from .export.plover import plover_records

        for rec in plover_records(result):
            click.echo(json.dumps(rec, ensure_ascii=False))


def _write_json(result: ArticleResult, *, indent: int | None, before: str = "") -> None:
    """The result's JSON and a newline, written record by record: neither the whole dict nor the
    whole string exists at once (a 5 MB text's result would take hundreds of MB as either)."""
    out = sys.stdout
    out.write(before)
    for chunk in result.json_chunks(indent=indent):
        out.write(chunk)
    out.write("\n")
    out.flush()


__all__ = ["analyze"]
