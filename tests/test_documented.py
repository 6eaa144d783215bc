"""Every command and every setting is documented in the README (the Datasette habit)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

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


def _readme_command_lines() -> list[list[str]]:
    """Every `dragoman ...` invocation of the README's shell blocks, as argument lists: comments,
    environment assignments and what comes before a pipe dropped; 'a|b|c' placeholders read as 'a'."""
    import shlex

    lines: list[list[str]] = []
    for block in re.findall(r"```bash\n(.*?)```", README, re.S):
        for line in block.splitlines():
            for part in re.split(r"\s(?:;|&&)\s", line.split("  #")[0]):
                part = part.rsplit(" | ", 1)[-1].strip()
                words = shlex.split(part)
                while words and "=" in words[0] and not words[0].startswith("-"):
                    words.pop(0)  # DRAGOMAN_TOKEN=secret dragoman serve
                if words and words[0].endswith("dragoman"):
                    lines.append([w.split("|")[0] for w in words[1:]])
    return lines


def test_every_readme_command_line_parses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Options, choices and values (a country name, an event type) as the README writes them are
    # accepted by the command they are given to; nothing is run. Files the README names exist here.
    import click

    from dragoman.cli import cli

    lines = _readme_command_lines()
    assert len(lines) >= 20 and ["serve", "--db", "corpus.db"] in lines
    monkeypatch.chdir(tmp_path)
    for args in lines:
        for word in args:
            if word.endswith("/"):
                (tmp_path / word).mkdir(parents=True, exist_ok=True)
            elif re.fullmatch(r"[\w./-]+\.(txt|html|jsonl|xml|json|csv)", word):
                (tmp_path / word).parent.mkdir(parents=True, exist_ok=True)
                (tmp_path / word).touch()
        ctx = click.Context(cli, info_name="dragoman")
        cmd: click.Command | None = cli
        rest = list(args)
        while isinstance(cmd, click.Group):
            name, rest = rest[0], rest[1:]
            cmd = cmd.get_command(ctx, name)
            assert cmd is not None, args
        assert cmd is not None
        cmd.make_context(args[0], rest, parent=ctx)  # raises on an unknown option or a refused value
