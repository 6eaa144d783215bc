"""The command line: thin wrappers that parse arguments, call one library function and turn
dragoman's errors into messages. Subcommands live beside the code they drive and load lazily."""

from __future__ import annotations

import sys

import click

from . import __version__
from .errors import DragomanError
from .lazycli import LazyGroup

COMMANDS = {
    "analyze": "dragoman.cli_analyze:analyze",
    "analyse": "dragoman.cli_analyze:analyze",
    "kb": "dragoman.kb.cli:kb",
    "evaluate": "dragoman.evaluate.cli:evaluate",
    "ingest": "dragoman.store.cli:ingest",
    "events": "dragoman.store.cli:events",
    "actors": "dragoman.store.cli:actors",
    "articles": "dragoman.store.cli:articles",
    "show": "dragoman.store.cli:show",
    "export": "dragoman.store.cli:export",
    "reanalyse": "dragoman.store.cli:reanalyse",
    "trends": "dragoman.analysis.cli:trends",
    "escalation": "dragoman.analysis.cli:escalation",
    "network": "dragoman.analysis.cli:network",
    "brief": "dragoman.analysis.cli:brief",
    "batch": "dragoman.runners.cli:batch",
    "load": "dragoman.runners.cli:load",
    "serve": "dragoman.web.cli:serve",
}


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dragoman")
def cli() -> None:
    """dragoman: news articles in, source-linked PLOVER event data out."""


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="dragoman", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code or 0)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except DragomanError as exc:
        click.echo(f"error: {exc}", err=True)
        return 1
    except BrokenPipeError:
        return 0
    except SystemExit as exc:  # analyze and ingest end with 1 (nothing analysed) or 2 (some failed)
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
