"""Output shared by the ``dragoman evaluate`` commands: figure tables, JSON, error lists, progress."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

__all__ = [
    "analysed_or_refused",
    "read_checked_jsonl",
    "confusion_table",
    "emit",
    "error_table",
    "figures_table",
    "format_value",
    "output_options",
    "progress",
    "prf",
]

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def prf(hits_pred: int, n_pred: int, hits_gold: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1; a figure with nothing to divide by is 0.

    Precision and recall take separate hit counts because some scorers count a prediction as
    correct differently from how they count a gold item as found (several predictions may hit
    one gold item)."""
    p = hits_pred / n_pred if n_pred else 0.0
    r = hits_gold / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def format_value(value: Any) -> str:
    """Three decimals for fractions, plain text for everything else."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}"
    if value is None:
        return "–"
    return str(value)


def output_options(func: F) -> F:
    """The ``--json`` and ``--errors`` options every evaluate command takes."""
    func = click.option(
        "--errors", "show_errors", is_flag=True, help="List each miss and false alarm with its text."
    )(func)
    func = click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON (for machines).")(
        func
    )
    return func


def figures_table(title: str, rows: Iterable[Sequence[Any]], columns: Sequence[str]) -> Any:
    """A rich table; the first column is left-aligned, the figures right-aligned."""
    from rich.table import Table

    table = Table(title=title)
    for i, col in enumerate(columns):
        table.add_column(col, justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*(format_value(v) for v in row))
    return table


def error_table(errors: Sequence[Mapping[str, Any]], columns: Sequence[str], *, title: str = "errors") -> Any:
    """One row per error record; missing keys print as a dash."""
    from rich.table import Table

    table = Table(title=f"{title} ({len(errors)})", show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for err in errors:
        table.add_row(*(format_value(err.get(col)) for col in columns))
    return table


def confusion_table(
    matrix: Mapping[str, Mapping[str, int]],
    labels: Sequence[str],
    *,
    title: str = "confusion (rows: gold, columns: predicted)",
) -> Any:
    """A gold × predicted count table; zero cells are left blank so the diagonal stands out."""
    from rich.table import Table

    table = Table(title=title)
    table.add_column("gold \\ pred")
    # four-letter column heads keep a 17-column matrix inside an ordinary terminal
    for label in labels:
        table.add_column(label[:4], justify="right")
    for gold in labels:
        row = matrix.get(gold, {})
        if not any(row.values()):
            continue
        table.add_row(gold, *(str(row.get(p, 0) or "") for p in labels))
    return table


def emit(
    figures: Mapping[str, Any],
    *,
    as_json: bool,
    show_errors: bool,
    render: Callable[[Any], None],
    errors_key: str = "errors",
) -> None:
    """Print ``figures`` as JSON (errors only with ``--errors``) or hand a console to ``render``."""
    if as_json:
        out = dict(figures)
        if not show_errors:
            out.pop(errors_key, None)
        click.echo(json.dumps(out, indent=2, ensure_ascii=False, default=str))
        return
    from rich.console import Console

    render(Console())


def progress(
    items: Iterable[T], *, total: int | None = None, description: str = "", enabled: bool = True
) -> Iterator[T]:
    """Iterate with a rich progress bar on stderr when ``enabled`` and stderr is a terminal.

    The bar goes to stderr so that ``--json`` output on stdout stays clean."""
    if not enabled or not sys.stderr.isatty():
        yield from items
        return
    from rich.console import Console
    from rich.progress import track

    yield from track(
        items, total=total, description=description, transient=True, console=Console(stderr=True)
    )


def analysed_or_refused(text: str | bytes, pipeline: Any, **kwargs: Any) -> dict[str, Any]:
    """The article result of ``text`` as a dict; a text dragoman refuses as input (not English, say)
    gets an empty result with the reason under ``refused``, so that it scores as having found nothing
    and a development run goes on."""
    from ..analyse import analyse
    from ..errors import InputError

    try:
        return analyse(text, pipeline=pipeline, **kwargs).to_dict()
    except InputError as exc:
        return {"events": [], "entities": [], "quotes": [], "places": [], "refused": str(exc)}


def read_checked_jsonl(
    path: str | Path, check: Callable[[dict[str, Any]], object], *, what: str, limit: int | None = None
) -> list[dict[str, Any]]:
    """The records of a JSON Lines gold file, each passed to ``check`` (which raises ValueError,
    KeyError, TypeError or AttributeError on a malformed record); the first bad line is reported with
    its number and ``what`` a line should hold."""
    from ..errors import DragomanError

    docs: list[dict[str, Any]] = []
    p = Path(path)
    try:
        fh = p.open(encoding="utf-8")
    except OSError as exc:
        raise DragomanError(f"cannot read {str(p)!r}: {exc.strerror}") from exc
    with fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
                check(doc)
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise DragomanError(f"{p}:{lineno}: {what} ({exc!s})") from exc
            docs.append(doc)
            if limit is not None and len(docs) >= limit:
                break
    return docs
