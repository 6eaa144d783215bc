"""`dragoman reanalyse` with the real analysis: unchanged inputs give unchanged results, and a
knowledge-base change (a user file renaming an actor) reaches the stored results and catalogues."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dragoman import __version__
from dragoman.ingest import RawArticle, ingest
from dragoman.store import Store
from dragoman.store.cli import reanalyse

HEZBOLLAH = "dragoman:hezbollah"
ARTICLES = [
    RawArticle(
        text="Israel's military said on Friday it had killed a senior Hezbollah commander in a drone strike "
        "in southern Lebanon.",
        source="a.txt",
        published="2024-03-08",
    ),
    RawArticle(
        text="Turkish warplanes struck suspected Kurdish militant positions in northern Iraq on Sunday, the "
        "defence ministry in Ankara said, adding that 11 fighters were killed.",
        source="b.txt",
        published="2024-03-10",
    ),
]


def _stored(store: Store) -> dict[str, dict[str, Any]]:
    rows = store.db.query("SELECT id, dragoman_version, kb_version, result_json FROM articles ORDER BY id")
    return {r["id"]: r for r in rows}


def _run_reanalyse(db: Path, *args: str) -> str:
    result = CliRunner().invoke(reanalyse, [*args, "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_reanalyse_keeps_unchanged_results_and_applies_a_renamed_actor(
    tmp_path: Path, pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dragoman.analyse import analyse

    monkeypatch.delenv("DRAGOMAN_KB_FILES", raising=False)
    monkeypatch.setenv("DRAGOMAN_CONFIG", str(tmp_path / "absent.toml"))

    def analyser(raw: RawArticle):
        return analyse(raw.text, source=raw.source, published=raw.published, pipeline=pipeline)

    db = tmp_path / "re.db"
    with Store(db) as store:
        summary = ingest(store, ARTICLES, analyser=analyser)
        assert summary.stored == 2
        before = _stored(store)
        results_before = {i: store.get_result(i) for i in before}
        hez_before = store.actor(HEZBOLLAH)
    assert hez_before is not None and hez_before.name == "Hezbollah"
    kb_before = pipeline.kb.version
    for row in before.values():
        assert (row["dragoman_version"], row["kb_version"]) == (__version__, kb_before)

    # Nothing changed: every article is analysed again and stored exactly as before.
    out = _run_reanalyse(db)
    assert "reanalysed: 2" in out
    with Store(db) as store:
        after = _stored(store)
        assert set(after) == set(before)
        for article_id in before:
            assert store.get_result(article_id) == results_before[article_id]
            assert after[article_id]["kb_version"] == kb_before
            assert after[article_id]["dragoman_version"] == __version__
        assert store.count_articles() == 2
        assert store.actor(HEZBOLLAH) == hez_before  # counters unchanged: removed once, added once

    # --outdated with the same knowledge base skips everything.
    out = _run_reanalyse(db, "--outdated")
    assert "reanalysed: 0" in out

    # A user knowledge-base file renames Hezbollah: the KB version changes, so --outdated redoes all.
    kb_file = tmp_path / "renames.yaml"
    kb_file.write_text(f"- {{id: {HEZBOLLAH}, extend: true, name: Lebanese Hezbollah Movement}}\n", encoding="utf-8")
    monkeypatch.setenv("DRAGOMAN_KB_FILES", str(kb_file))
    out = _run_reanalyse(db, "--outdated")
    assert "reanalysed: 2" in out
    with Store(db) as store:
        after = _stored(store)
        assert set(after) == set(before)
        kb_versions = {r["kb_version"] for r in after.values()}
        assert len(kb_versions) == 1 and kb_before not in kb_versions
        hez_id = next(i for i, r in before.items() if "Hezbollah" in r["result_json"])
        result = store.get_result(hez_id)
        assert result is not None
        names = {e["name"] for e in result["entities"] if e.get("kb_id") == HEZBOLLAH}
        assert names == {"Lebanese Hezbollah Movement"}
        actor = store.actor(HEZBOLLAH)
        assert actor is not None and actor.name == "Lebanese Hezbollah Movement"
        assert actor.n_articles == hez_before.n_articles
        found = store.actors(name="Lebanese Hezbollah Movement").items
        assert [a.key for a in found] == [HEZBOLLAH], "the actor is listed under its new name"
        # The other article changed only in the versions it records.
        other = next(i for i in before if i != hez_id)
        new_other = store.get_result(other)
        assert new_other is not None
        old_other = results_before[other]
        assert old_other is not None
        assert {k: v for k, v in new_other.items() if k != "meta"} == {
            k: v for k, v in old_other.items() if k != "meta"
        }
