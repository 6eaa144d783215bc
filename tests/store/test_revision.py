"""The store's revision: what caches of values read from a database are keyed by. Reading never
changes it; every committed write does, from any connection, however quickly writes follow."""

from __future__ import annotations

from store_samples import other_report, sudan_story, wire_story

from dragoman.store import Store


def test_revision_changes_with_every_commit_and_only_then(db_url: str) -> None:
    writer = Store(db_url)
    reader = Store.open(db_url, readonly=True)
    try:
        writer.add(wire_story())
        first = reader.db.revision()
        reader.db.query("SELECT count(*) AS n FROM events")
        assert reader.db.revision() == first  # reading changes nothing
        seen = {first}
        for story in (other_report(), sudan_story()):
            writer.add(story)  # a new article
            seen.add(reader.db.revision())
        for title in ("One", "Two", "Three"):  # no article added: the same rows, new values
            with writer.db.transaction():
                writer.db.execute("UPDATE articles SET title = ? WHERE pk = (SELECT min(pk) FROM articles)",
                                  (title,))
            seen.add(reader.db.revision())
            assert writer.db.revision() == reader.db.revision()  # every connection sees the same
        assert len(seen) == 6
    finally:
        reader.close()
        writer.close()
