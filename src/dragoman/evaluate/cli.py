"""``dragoman evaluate``: one subcommand per kind of gold standard, each in its own module."""

from __future__ import annotations

import click

from ..lazycli import LazyGroup

SUBCOMMANDS = {
    "article": "dragoman.evaluate.article:command",
    "plover": "dragoman.evaluate.plover:command",
    "timex": "dragoman.evaluate.timex:command",
    "geo": "dragoman.evaluate.geo:command",
    "ner": "dragoman.evaluate.ner:command",
    "quotes": "dragoman.evaluate.quotes:command",
    "dev": "dragoman.evaluate.dev:command",
}


@click.group(cls=LazyGroup, lazy=SUBCOMMANDS)
def evaluate() -> None:
    """Measure accuracy against gold standards (table for people, --json for machines)."""
