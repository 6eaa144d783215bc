"""PLOVER records and the query/export commands over a store filled with the hand-built samples."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from store_samples import SYNDICATED_TEXT, other_report, sudan_story, undated_story, wire_story

from dragoman.cli import cli
from dragoman.export import plover_records
from dragoman.store import Store


def test_plover_records_carry_plover_fields_and_point_into_the_text() -> None:
    result = sudan_story()
    recs = plover_records(result)
    assert len(recs) == len(result.events)
    rec = recs[0]
    for name in ("id", "date", "actor", "recipient", "event", "mode", "context", "event_loc", "text_info", "cite_info"):
        assert name in rec
    assert (rec["event"], rec["mode"], rec["actor"], rec["actor_country"], rec["recipient"]) == (
        "ASSAULT",
        "heavy-weapons",
        "Rapid Support Forces",
        "SDN",
        "civilians",
    )
    assert rec["event_loc"]["name"] == "El Fasher" and rec["date"] == "2025-04-12"
    ti = rec["text_info"]
    assert result.article.text[ti["trigger_start"] : ti["trigger_end"]] == "shelled"
    assert rec["cite_info"]["outlet"] == "Sudan Tribune"
    assert plover_records(result) == recs  # pure


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "cli.db")
    with Store(path) as s:
        for r in (
            wire_story(),
            wire_story(outlet="Al Arabiya", text=SYNDICATED_TEXT),
            other_report(),
            sudan_story(),
            undated_story(),
        ):
            s.add(r)
    return path


def _run(*args: str) -> str:
    res = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output


def test_query_commands(db: str) -> None:
    rows = [
        json.loads(line) for line in _run("events", "--db", db, "--country", "IRQ", "--format", "json").splitlines()
    ]
    assert sorted(r["event"] for r in rows) == ["REQUEST", "RETREAT", "RETREAT", "SUPPORT"]
    assert _run("events", "--db", db, "--type", "RETREAT", "--clusters", "--count").strip() == "1"
    table = list(
        csv.DictReader(
            io.StringIO(_run("events", "--db", db, "--actor", "rapid", "--type", "assault", "--format", "csv"))
        )
    )
    assert [r["event"] for r in table] == ["ASSAULT"] and table[0]["place"] == "El Fasher"
    assert "Kataib Hezbollah" in _run("actors", "--db", db, "--format", "csv")
    profile = json.loads(_run("actors", "--db", db, "--profile", "dragoman:kataib-hezbollah"))
    assert profile["relations"][0]["other_name"] == "Popular Mobilization Forces"
    arts = [
        json.loads(x)
        for x in _run("articles", "--db", db, "--search", "gesture goodwill", "--format", "json").splitlines()
    ]
    assert len(arts) == 2 and sum(a["near_duplicate_of"] is not None for a in arts) == 1
    shown = json.loads(_run("show", "--db", db, "--format", "json", sudan_story().article.id[7:20]))
    assert shown == sudan_story().to_dict()
    assert "Shelling of Darfur camp kills 12" in _run("show", "--db", db, sudan_story().article.id)


def test_exports(db: str, tmp_path: Path) -> None:
    plover = [json.loads(x) for x in _run("export", "--db", db, "--format", "plover", "--type", "RETREAT").splitlines()]
    assert len(plover) == 2 and plover[0]["link"] == plover[1]["link"] is not None
    lines = _run("export", "--db", db, "--format", "jsonl").splitlines()
    assert len(lines) == 5 and json.loads(lines[0]) == wire_story().to_dict()
    geo = json.loads(_run("export", "--db", db, "--format", "geojson"))
    assert {f["properties"]["place"] for f in geo["features"]} == {"Mosul", "El Fasher", "North Darfur"}
    out = tmp_path / "ev.parquet"
    _run("export", "--db", db, "--format", "parquet", "-o", str(out))
    assert pq.read_table(out).num_rows == 9
    clusters = list(csv.DictReader(io.StringIO(_run("export", "--db", db, "--format", "csv", "--clusters"))))
    assert len(clusters) == 8 and max(int(c["n_mentions"]) for c in clusters) == 2


def test_country_names_and_codes_filter_alike_and_unknown_values_are_refused(db: str) -> None:
    by_code = _run("events", "--db", db, "--country", "IRQ", "--format", "json")
    assert by_code and _run("events", "--db", db, "--country", "Iraq", "--format", "json") == by_code
    assert _run("events", "--db", db, "--country", "irq", "--format", "json") == by_code
    for option, value, listed in [("--type", "BOMBING", "ASSAULT"), ("--country", "Narnia", "IRQ")]:
        res = CliRunner().invoke(cli, ["events", "--db", db, option, value])
        assert res.exit_code == 2 and value in res.output and listed in res.output, res.output
    res = CliRunner().invoke(cli, ["actors", "--db", db, "--country", "Atlantis"])
    assert res.exit_code == 2 and "unknown country" in res.output


def test_piped_tables_are_one_line_per_row_with_whole_cells(db: str) -> None:
    out = _run("events", "--db", db, "--limit", "100").splitlines()
    header = out[0].split("\t")
    assert header[:3] == ["date", "event", "mode"]
    rows = [line.split("\t") for line in out[1:]]
    assert rows and all(len(r) == len(header) for r in rows)
    dates = [r[0] for r in rows if r[0]]
    assert dates and all(len(d) in (4, 7, 10) or "W" in d or "/" in d for d in dates)  # never cut
    assert any(r[1] == "ASSAULT" and "Rapid Support Forces" in r[3] for r in rows)


def test_a_piped_article_report_keeps_each_table_row_on_one_line(db: str) -> None:
    # `show` (and `analyze`) print rich tables; piped, a terminal's 80 columns must not wrap or cut a cell.
    with Store(db) as s:
        article_id = next(a.id for a in s.articles(limit=100).items if a.title == "Shelling of Darfur camp kills 12")
    lines = _run("show", article_id[7:19], "--db", db).splitlines()
    event = sudan_story().events[0]
    names = {e.id: e.name for e in sudan_story().entities}
    cell = f"{', '.join(names[a] for a in event.actor)} → {event.event}"
    rows = [line for line in lines if line.startswith("│ ev")]
    assert rows and any(cell in row for row in rows), lines
    assert not any(line.startswith("│     │") for line in lines)  # no continuation line of a wrapped row
    assert "…" not in "".join(rows)
