"""`dragoman kb`: what the knowledge base knows about a name, its coverage, and its validity."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import click

from ..errors import KnowledgeBaseError

__all__ = ["kb"]


def _load(files: tuple[str, ...]) -> Any:
    from ..config import load_settings
    from . import load_kb

    extra = files or load_settings().kb_files
    return load_kb(extra)


def _entry_dict(kb: Any, e: Any, on: date | None) -> dict[str, Any]:
    r = kb.resolve(e, on=on)
    return {
        "id": e.id, "name": e.name, "kind": e.kind, "country": r.country, "sector": r.sector,
        "role": r.role.title if r.role else None, "theatre": e.theatre, "wikidata": e.wikidata,
        "aliases": list(e.aliases), "affiliations": [list(a) for a in e.affiliations],
        "roles": [{"title": x.title, "country": x.country, "sector": x.sector,
                   "start": x.start.isoformat() if x.start else None,
                   "end": x.end.isoformat() if x.end else None, "org": x.org} for x in e.roles],
        "source": e.source,
    }


@click.group(name="kb")
def kb() -> None:
    """Inspect the actor knowledge base (built-in data plus the kb_files setting)."""


@kb.command()
@click.argument("name")
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="resolve offices as of this date (YYYY-MM-DD)")
@click.option("--json", "as_json", is_flag=True, help="print JSON instead of tables")
@click.option("--kb-file", "files", multiple=True, type=click.Path(dir_okay=False),
              help="extra knowledge-base file (repeatable; default: the kb_files setting)")
def lookup(name: str, on: Any, as_json: bool, files: tuple[str, ...]) -> None:
    """Show what the knowledge base knows about NAME, best match first."""
    base = _load(files)
    day = on.date() if on else None
    hits = base.lookup(name, on=day)
    rows = [_entry_dict(base, e, day) for e in hits]
    if not hits:
        role = base.role_noun(name)
        dem = base.demonym(name)
    if as_json:
        out: dict[str, Any] = {"query": name, "date": day.isoformat() if day else None, "entries": rows}
        if not hits:
            out["demonym"] = dem
            out["role_noun"] = ({"lemma": role.lemma, "sector": role.sector, "kind": role.kind,
                                 "collective": role.collective, "anonymous": role.anonymous}
                                if role else None)
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        if not hits and not dem and not role:
            raise SystemExit(1)  # nothing known: scripts can tell a miss from a hit
        return
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(Console().width, 140))
    if not hits:
        if dem:
            console.print(f"{name!r} is a demonym of {dem}")
        elif role:
            console.print(f"{name!r} is a role noun: sector {role.sector}, kind {role.kind}"
                          + (", anonymous collective" if role.anonymous else ""))
        else:
            click.echo(f"nothing known about {name!r}; add it to a file named in kb_files", err=True)
            raise SystemExit(1)
        return
    table = Table(title=f"{name}" + (f" on {day}" if day else ""))
    table.add_column("id", no_wrap=True)
    for col in ("name", "kind", "country", "sector", "role", "theatre", "wikidata"):
        table.add_column(col)
    for r in rows:
        table.add_row(*(str(r[c] or "") for c in ("id", "name", "kind", "country", "sector", "role",
                                                  "theatre", "wikidata")))
    console.print(table)
    for e, r in zip(hits, rows, strict=True):
        if e.roles:
            roles = Table(title=f"offices of {e.name}")
            for col in ("title", "country", "sector", "start", "end", "org"):
                roles.add_column(col)
            for x in r["roles"]:
                roles.add_row(*(str(x[c] or ("…" if c == "end" else "")) for c in
                                ("title", "country", "sector", "start", "end", "org")))
            console.print(roles)


@kb.command()
@click.option("--json", "as_json", is_flag=True, help="print JSON instead of tables")
@click.option("--kb-file", "files", multiple=True, type=click.Path(dir_okay=False),
              help="extra knowledge-base file (repeatable; default: the kb_files setting)")
def stats(as_json: bool, files: tuple[str, ...]) -> None:
    """Coverage: entries and aliases by kind, entries by theatre."""
    s = _load(files).stats()
    if as_json:
        click.echo(json.dumps(s, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"version {s['version']}: {s['entries']} entries, {s['aliases']} aliases "
                  f"({s['alias_keys']} distinct keys), {s['roles']} dated roles, {s['role_nouns']} role nouns")
    t = Table(title="by kind")
    t.add_column("kind")
    t.add_column("entries", justify="right")
    t.add_column("aliases", justify="right")
    for k, n in s["by_kind"].items():
        t.add_row(k, str(n), str(s["aliases_by_kind"].get(k, 0)))
    console.print(t)
    t = Table(title="by theatre")
    t.add_column("theatre")
    t.add_column("entries", justify="right")
    for k, n in s["by_theatre"].items():
        t.add_row(k, str(n))
    console.print(t)


@kb.command(name="validate")
@click.option("--kb-file", "files", multiple=True, type=click.Path(dir_okay=False),
              help="extra knowledge-base file (repeatable; default: the kb_files setting)")
def validate_cmd(files: tuple[str, ...]) -> None:
    """Check the knowledge base and list every problem; exit status 1 if there are any."""
    from .validate import validate

    problems = validate(_load(files))
    for p in problems:
        click.echo(p)
    if problems:
        raise KnowledgeBaseError(f"{len(problems)} problem(s) in the knowledge base; fix the entries above")
    click.echo("knowledge base is valid")
