"""A placeholder actor ("unidentified perpetrator") has no names: the words its mentions cover are the
trigger words of the events it stands in for. Its profile lists no aliases and says it is unattributed,
with the number of events, in the store, the API, the page and the command; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner
from fastapi.testclient import TestClient

from dragoman.analyse import analyse
from dragoman.store import Store
from dragoman.store.cli import actors as actors_command
from dragoman.store.query import is_placeholder_actor
from dragoman.web.app import create_app

TEXTS = [("2025-05-12", "A roadside bomb struck an Iraqi army convoy near Kirkuk on Sunday, killing two "
                        "soldiers, the Iraqi army said."),
         ("2025-05-14", "A car bomb exploded at a market in Mosul on Tuesday, killing five people. The Iraqi "
                        "police arrested four suspects later.")]


def test_a_placeholder_profile_lists_no_trigger_words_as_aliases(store: Store, db_url: str, pipeline: Any) -> None:
    for day, text in TEXTS:
        store.add(analyse(text, source=f"{day}.txt", published=day, pipeline=pipeline))
    keys = [r["key"] for r in store.db.query("SELECT key FROM actors")]
    placeholder = "unknown:unidentified perpetrator:"
    assert placeholder in keys and is_placeholder_actor(placeholder)
    profile = store.actor_profile(placeholder)
    assert profile is not None and profile.aliases == []
    assert profile.unattributed == profile.actor.n_actor >= 2
    assert profile.unattributed_note == f"unattributed: stands in for the unnamed actor of {profile.unattributed} " \
                                        "events; it has no names of its own"
    # nothing was written as its names, so a name search does not find it by a verb either
    assert store.db.scalar("SELECT count(*) FROM aliases WHERE actor_key = ?", (placeholder,)) == 0
    assert all(not is_placeholder_actor(a.key) for a in store.actors(name="struck").items)
    # a real actor keeps its names
    police = next(k for k in keys if not is_placeholder_actor(k) and store.actor_profile(k).aliases)
    assert store.actor_profile(police).unattributed is None

    with TestClient(create_app(db_url), base_url="http://localhost") as client:
        data = client.get(f"/api/actors/{placeholder}").json()
        assert data["aliases"] == [] and data["unattributed"] == profile.unattributed
        page = client.get(f"/actors/{placeholder}").text
        aliases = page.split("<h2>Aliases</h2>")[1].split("</section>")[0]
        assert f"Unattributed: stands in for the unnamed actor of {profile.unattributed} events" in aliases
        assert "struck" not in aliases and "exploded" not in aliases
    out = CliRunner().invoke(actors_command, ["--db", db_url, "--profile", placeholder])
    assert out.exit_code == 0, out.output
    printed = json.loads(out.output)
    assert printed["aliases"] == [] and printed["unattributed"] == profile.unattributed
