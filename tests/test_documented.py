"""Every command and every setting is documented in the README (the Datasette habit)."""

from __future__ import annotations

from pathlib import Path

from dragoman.cli import COMMANDS
from dragoman.config import SETTINGS_TABLE

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme() -> None:
    missing = [name for name in COMMANDS if f"dragoman {name}" not in README and name != "analyse"]
    assert not missing, f"commands missing from README.md: {missing}"


def test_every_setting_is_in_the_readme() -> None:
    missing = [name for name, _default, _help in SETTINGS_TABLE if f"`{name}`" not in README]
    assert not missing, f"settings missing from README.md: {missing}"


def test_every_command_loads() -> None:
    import click

    from dragoman.cli import cli

    ctx = click.Context(cli)
    for name in COMMANDS:
        assert cli.get_command(ctx, name) is not None, name
