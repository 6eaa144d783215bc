"""The store's revision: what caches of values read from a database are keyed by. Reading never
changes it; every committed write does, from any connection, however quickly writes follow."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def test_a_reader_keeps_seeing_the_writes_of_other_processes(tmp_path: Path) -> None:
    # A server's connection asks the revision before each view while ingests come and go in other
    # processes; asking must not drop SQLite's locks (the last ingest would then delete the log and
    # its index under the reader, which would read its old pages from then on).
    db = str(tmp_path / "r.db")
    writer = Store(db)
    writer.add(wire_story())
    reader = Store.open(db, readonly=True)
    try:
        reader.db.revision()
        writer.close()
        for title in ("Two", "Three", "Four"):
            code = ("import sys\nfrom dragoman.store import Store\ns = Store(sys.argv[1])\n"
                    "with s.db.transaction():\n"
                    "    s.db.execute('UPDATE articles SET title = ?', (sys.argv[2],))\ns.close()\n")
            subprocess.run([sys.executable, "-c", code, db, title], check=True, timeout=120)
            before = reader.db.revision()
            assert reader.db.scalar("SELECT title FROM articles") == title
            assert reader.db.revision() == before
    finally:
        reader.close()
