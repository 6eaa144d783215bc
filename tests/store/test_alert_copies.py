"""An alert needs two independent reports: a wire copy of the one article (a near-duplicate, stored
and linked) is not a second report; another article is. On SQLite and PostgreSQL."""

from __future__ import annotations

from store_samples import build

from dragoman.analysis.escalation import EscalationConfig, escalation
from dragoman.store import EventFilter, Store

ARMY = {"id": "e1", "name": "Alphaland Army", "kind": "military", "country": "AAA", "mentions": ["Alphaland Army"]}
REBELS = {"id": "e2", "name": "Betaland Front", "kind": "rebels", "country": "BBB", "mentions": ["Betaland Front"]}
QUIET = ["2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27", "2025-02-03"]
ATTACK = ("The Alphaland Army attacked positions of the Betaland Front near the northern border crossing on "
          "Monday morning, killing at least twelve fighters and wounding many more, according to officials in "
          "the provincial capital who spoke after the fighting ended late in the {end}.")
OTHER = ("Fighters of the Betaland Front said the Alphaland Army attacked their camp with artillery and drones, "
         "and that the assault went on for hours before the army withdrew to its bases.")


def _attack(text: str, outlet: str) -> object:
    return build(text, outlet=outlet, published="2025-02-11", entities=[ARMY, REBELS],
                 events=[{"event": "ASSAULT", "trigger": "attacked", "actor": ["e1"], "recipient": ["e2"],
                          "date": "2025-02-10", "intensity": -9.0}])


def test_a_copy_of_the_one_article_is_not_a_second_report(store: Store) -> None:
    for k, day in enumerate(QUIET):
        text = f"The Alphaland Army accused the Betaland Front of breaking the truce, statement number {k}."
        store.add(build(text, outlet=f"Daily {k}", published=day, entities=[ARMY, REBELS],
                        events=[{"event": "ACCUSE", "trigger": "accused", "actor": ["e1"], "recipient": ["e2"],
                                 "date": day, "quad": 3, "intensity": -1.0}]))
    first = store.add(_attack(ATTACK.format(end="afternoon"), "Wire One"))
    copy = store.add(_attack(ATTACK.format(end="evening"), "Reprint Daily"))
    assert (first.status, copy.status) == ("stored", "near_duplicate")
    cfg = EscalationConfig(min_periods=3)
    assert escalation(store, EventFilter(), by="week", level="country_dyad", config=cfg).alerts == []

    other = store.add(_attack(OTHER, "Front Radio"))
    assert other.status == "stored"
    alerts = escalation(store, EventFilter(), by="week", level="country_dyad", config=cfg).alerts
    assert [a.period for a in alerts] == ["2025-W07"]
    assert {aid for aid, _, _ in alerts[0].reports} == {first.article_id, other.article_id}
    assert alerts[0].report_count == 2 and "Reprint Daily" not in alerts[0].explanation


def test_the_escalation_command_names_reports_by_title_or_outlet_never_by_a_server_path(
        store: Store, db_url: str, tmp_path) -> None:
    """``dragoman escalation`` prints each alert's reports as the API does: title and outlet, else the
    input's file name; the absolute path an input was read from never appears."""
    import json

    from click.testing import CliRunner

    from dragoman.analysis.cli import escalation as command

    inbox = tmp_path / "private" / "inbox"
    for k, day in enumerate(QUIET):
        text = f"The Alphaland Army accused the Betaland Front of breaking the truce, statement number {k}."
        store.add(build(text, source=str(inbox / f"statement-{k}.txt"), published=day, entities=[ARMY, REBELS],
                        events=[{"event": "ACCUSE", "trigger": "accused", "actor": ["e1"], "recipient": ["e2"],
                                 "date": day, "quad": 3, "intensity": -1.0}]))
    store.add(build(ATTACK.format(end="afternoon"), source=str(inbox / "wire.txt"), title="Border attack",
                    published="2025-02-11", entities=[ARMY, REBELS],
                    events=[{"event": "ASSAULT", "trigger": "attacked", "actor": ["e1"], "recipient": ["e2"],
                             "date": "2025-02-10", "intensity": -9.0}]))
    store.add(_attack(OTHER, "Front Radio"))
    args = ["--db", db_url, "--level", "country_dyad"]
    table = CliRunner().invoke(command, args, env={"COLUMNS": "400"})
    assert table.exit_code == 0, table.output
    assert "2025-W07" in table.output and "Border attack (wire.txt)" in table.output
    assert "Front Radio" in table.output
    as_json = CliRunner().invoke(command, [*args, "--format", "json"])
    alert = json.loads(as_json.output)["alerts"][0]
    assert {r["source"] for r in alert["reports"]} == {"wire.txt", "Front Radio"}
    for out in (table.output, as_json.output):
        assert str(tmp_path) not in out and "private" not in out
