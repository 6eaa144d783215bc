"""The Store: one class over SQLite and PostgreSQL that writes article results and answers queries."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..records import ArticleResult
from . import minhash
from .db import Database, is_postgres_url
from .query import (
    ActorProfile,
    ActorRef,
    ActorRow,
    AddOutcome,
    ArticleRow,
    ClusterRow,
    EventFilter,
    EventRow,
    FailureRow,
    Page,
    PlaceRef,
    PlaceRow,
    RelationRow,
    TimelinePoint,
    decode_cursor,
    encode_cursor,
    headline_of,
    is_placeholder_actor,
    normalise_since,
    normalise_until,
    placeholder_key_sql,
    public_source,
)
from .schema import SCHEMA_VERSION, defer_indexes, migrate, restore_indexes
from .writer import (
    CLUSTER_WINDOW_DAYS,
    CatalogueDelta,
    ClusterState,
    actor_key,
    compatible,
    day_of,
    event_granularity,
    is_precise_day,
    place_key,
    shift,
    storable_number,
    versions,
)

__all__ = ["Store", "MetadataUpdate", "NEAR_DUPLICATE_THRESHOLD"]

NEAR_DUPLICATE_THRESHOLD = 0.7  # estimated Jaccard of word 3-shingles; wire copies score 0.8-0.95
_PG_WRITER_LOCK = 4_711_000_5  # advisory lock id: one writer at a time on PostgreSQL too
_MAX_KEYS = 500
_UNION_KEYS = 100  # a multi-key filter merges per-key index walks up to this many keys
_CLUSTER_CANDIDATES = 50  # stored clusters of one type and day an event is compared with


@dataclass(frozen=True, slots=True)
class MetadataUpdate:
    """What ``Store.update_metadata`` changed: anything at all, and which articles got a new date."""

    changed: bool
    redated: tuple[str, ...] = ()
    previous: tuple[str | None, ...] = ()  # the publication day each re-dated article had before

    def __bool__(self) -> bool:
        return self.changed


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _in(n: int) -> str:
    return "(" + ",".join("?" * n) + ")"


class Store:
    """A corpus of analysed articles. ``Store(":memory:")``, ``Store("x.db")`` or ``Store("postgresql://…")``."""

    def __init__(self, target: str | Path = "dragoman.db", *, readonly: bool = False) -> None:
        self.target = str(target)
        self.db = Database(self.target, readonly=readonly)
        # A server sets this: sources read back are file names, never the paths they were read from.
        self.public = False
        if not readonly:
            migrate(self.db)
            if self.db.scalar("SELECT count(*) AS n FROM deferred_indexes"):
                restore_indexes(self.db)  # a bulk load died before building them
        else:
            self._upgrade_for_reading()

    def _upgrade_for_reading(self) -> None:
        """A reader of a database written by an older dragoman: migrate it once through a writing
        connection (the queries need the new columns), or say what to do when it cannot be written."""
        try:
            version = int(self.db.scalar("SELECT max(version) AS v FROM schema_version") or 0)
        except StoreError:
            return  # not a dragoman database yet; the first query says so
        if version >= SCHEMA_VERSION:
            return
        try:
            writer = Database(self.target)
            try:
                migrate(writer)
            finally:
                writer.close()
        except StoreError as exc:
            raise StoreError(
                f"database {self.target} has schema version {version}, older than this dragoman's "
                f"({SCHEMA_VERSION}), and could not be upgraded ({exc}); open it once with write access "
                "(any `dragoman ingest` into it upgrades it)") from exc

    @classmethod
    def open(cls, db: str | Path | None = None, *, readonly: bool = False) -> Store:
        """Open the database named by ``db``, else the ``db`` setting (default ./dragoman.db)."""
        if db is None:
            from ..config import load_settings

            db = load_settings().db
        if readonly and not is_postgres_url(str(db)) and not Path(db).exists():
            raise StoreError(f"no database at {db}: run `dragoman ingest SOURCE --db {db}` first")
        return cls(db, readonly=readonly)

    @property
    def dialect(self) -> str:
        return self.db.dialect

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ writing

    @contextmanager
    def bulk_load(self, *, cache_mb: int = 1024, analyze: bool = True) -> Iterator[Store]:
        """Fill a large corpus faster: use with big :meth:`add_many` batches inside.

        The secondary indexes the writer does not read (events by day, type, article and cluster;
        the event-key, argument, mention and relation indexes) are dropped first and built once at
        the end, and SQLite gets a larger page cache meanwhile. Every ``add_many`` is still one
        transaction, and queries stay correct (only slower) during the load. If the process dies
        before the end, the dropped indexes are listed in ``deferred_indexes`` and the next
        writable opening of the store builds them.
        """
        defer_indexes(self.db)
        if self.db.is_sqlite:
            self.db.execute(f"PRAGMA cache_size = {-int(cache_mb) * 1024}")
        try:
            yield self
        finally:
            restore_indexes(self.db)
            if self.db.is_sqlite:
                self.db.execute("PRAGMA cache_size = -65536")
            if analyze:
                self.db.execute("ANALYZE")

    def has_article(self, article_id: str) -> bool:
        return self.db.query_one("SELECT pk FROM articles WHERE id = ?", (article_id,)) is not None

    def update_metadata(
        self, raw_hash: str, *, title: str | None = None, url: str | None = None, outlet: str | None = None,
        published: str | None = None,
    ) -> MetadataUpdate:
        """Give the articles stored from this raw input the metadata a new ingest brings, without
        analysing them again; true when something changed. Only values given and different count.

        A new publication date also dates the article's events that have no date of their own (the
        store dates those by the publication day). Expressions relative to the publication ("on
        Monday", "last year") and the actors and events that depend on the date (office holders,
        history against news) are the caller's: the ids of re-dated articles are returned in
        ``redated``, with their former days in ``previous`` (``dragoman ingest`` re-dates them from
        the stored results, ``ingest.run.redate_stored``, or else analyses them again)."""
        from ..dates import parse_published

        day = parse_published(published).isoformat() if published else None
        changed = False
        redated: list[str] = []
        previous: list[str | None] = []
        with self.db.transaction():
            for row in self.db.query(
                "SELECT pk, id, title, url, outlet, published, text, result_json FROM articles WHERE raw_hash = ?",
                (raw_hash,),
            ):
                new = {"title": title, "url": url, "outlet": outlet, "published": day}
                new = {k: v for k, v in new.items() if v is not None and v != row[k]}
                if not new:
                    continue
                changed = True
                result = json.loads(row["result_json"])
                result["article"].update(new)
                if "published" in new:
                    result["article"]["published_basis"] = "user"
                    for ev in result.get("events", []):  # dated by the publication: it moves with it
                        if isinstance(ev.get("date"), dict) and ev["date"].get("basis") == "published":
                            ev["date"]["value"] = day
                sets = ", ".join(f"{k} = ?" for k in new)
                extra = ", published_basis = 'user'" if "published" in new else ""
                self.db.execute(
                    f"UPDATE articles SET {sets}{extra}, result_json = ? WHERE pk = ?",
                    [*new.values(), json.dumps(result, ensure_ascii=False, separators=(",", ":")), row["pk"]],
                )
                if "title" in new and self.db.is_sqlite:  # the external-content index forgets the old title
                    self.db.execute("INSERT INTO articles_fts (articles_fts, rowid, title, text) "
                                    "VALUES ('delete', ?, ?, ?)", (row["pk"], row["title"], row["text"]))
                    self.db.execute("INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
                                    (row["pk"], new["title"], row["text"]))
                if "published" in new:
                    redated.append(str(row["id"]))
                    previous.append(row["published"])
                    undated = ("SELECT pk FROM events WHERE article_pk = ? AND (date IS NULL OR "
                               "date_basis = 'published')")
                    for table, column in (("events", "pk"), ("event_keys", "event_pk"), ("event_args", "event_pk")):
                        self.db.execute(f"UPDATE {table} SET day = ? WHERE {column} IN ({undated})",
                                        (day, row["pk"]))
                    self.db.execute("UPDATE events SET date = ? WHERE article_pk = ? AND date_basis = 'published'",
                                    (day, row["pk"]))
                    self.db.execute("UPDATE events SET granularity = ? WHERE article_pk = ? AND (date IS NULL OR "
                                    "date_basis = 'published')", (event_granularity(None, day), row["pk"]))
        return MetadataUpdate(changed, tuple(redated), tuple(previous))

    def has_raw(self, raw_hash: str) -> bool:
        """True when an input with this raw-content hash was stored already (resume skips it)."""
        return self.db.query_one("SELECT pk FROM articles WHERE raw_hash = ? LIMIT 1", (raw_hash,)) is not None

    def add(self, result: ArticleResult, *, raw_hash: str | None = None) -> AddOutcome:
        """Store one result in one transaction: all of it or nothing."""
        return self.add_many([result], raw_hashes=[raw_hash])[0]

    def add_many(
        self,
        results: Sequence[ArticleResult],
        *,
        raw_hashes: Sequence[str | None] | None = None,
        dedupe: bool = True,
    ) -> list[AddOutcome]:
        """Store several results in one transaction (the bulk path); returns one outcome each."""
        hashes = list(raw_hashes) if raw_hashes is not None else [None] * len(results)
        sigs = [minhash.signature(r.article.text) if dedupe else None for r in results]
        with self.db.transaction():
            if not self.db.is_sqlite:
                self.db.execute("SELECT pg_advisory_xact_lock(?)", (_PG_WRITER_LOCK,))
            outcomes = _Batch(self.db).write(results, hashes, sigs)
            done = [h for h in hashes if h is not None]
            if done:  # an input that failed before and now went through is no longer a failure
                self.db.execute(f"DELETE FROM failures WHERE raw_hash IN {_in(len(done))}", done)
            return outcomes

    def record_failure(
        self,
        source: str | None,
        error: BaseException | str,
        *,
        raw_hash: str | None = None,
        error_type: str | None = None,
    ) -> None:
        """Remember an input that could not be analysed, with its reason; replaces an older record
        of the same input (its raw hash, or for an input never read, its source and error type),
        so that a re-run does not record the same failure twice."""
        etype = error_type or (type(error).__name__ if isinstance(error, BaseException) else "Error")
        with self.db.transaction():
            if raw_hash is not None:
                self.db.execute("DELETE FROM failures WHERE raw_hash = ?", (raw_hash,))
            elif source is not None:
                self.db.execute("DELETE FROM failures WHERE raw_hash IS NULL AND source = ? AND error_type = ?",
                                (source, etype))
            self.db.execute(
                "INSERT INTO failures (source, raw_hash, error_type, reason, failed_at) VALUES (?, ?, ?, ?, ?)",
                (source, raw_hash, etype, str(error), _now()),
            )

    def clear_failure(self, raw_hash: str) -> None:
        with self.db.transaction():
            self.db.execute("DELETE FROM failures WHERE raw_hash = ?", (raw_hash,))

    def replace(self, old_id: str, result: ArticleResult) -> AddOutcome:
        """Swap a stored article for a new analysis of it (reanalyse), in one transaction."""
        with self.db.transaction():
            if not self.db.is_sqlite:
                self.db.execute("SELECT pg_advisory_xact_lock(?)", (_PG_WRITER_LOCK,))
            raw = self.db.scalar("SELECT raw_hash FROM articles WHERE id = ?", (old_id,))
            self._delete(old_id)
            sig = minhash.signature(result.article.text)
            return _Batch(self.db).write([result], [raw], [sig])[0]

    def delete(self, article_id: str) -> bool:
        with self.db.transaction():
            return self._delete(article_id)

    def _delete(self, article_id: str) -> bool:
        row = self.db.query_one(
            "SELECT pk, title, text, result_json, near_duplicate_of FROM articles WHERE id = ?", (article_id,)
        )
        if row is None:
            return False
        pk = row["pk"]
        clusters = [
            r["cluster_pk"]
            for r in self.db.query(
                "SELECT DISTINCT cluster_pk FROM events WHERE article_pk = ? AND cluster_pk IS NOT NULL",
                (pk,),
            )
        ]
        if row["near_duplicate_of"] is None:
            delta = CatalogueDelta()
            delta.add(ArticleResult.from_dict(json.loads(row["result_json"])), sign=-1)
            _apply_catalogue(self.db, delta)
        if self.db.is_sqlite:
            self.db.execute(
                "INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', ?, ?, ?)",
                (pk, row["title"], row["text"]),
            )
        self.db.execute("DELETE FROM articles WHERE pk = ?", (pk,))
        for cpk in clusters:
            _refresh_cluster(self.db, cpk)
        return True

    # ------------------------------------------------------------------ reading articles

    def resolve_id(self, article_id: str) -> str | None:
        """The full id for an id or a unique prefix of one (``sha256:3fa2`` or ``3fa2``)."""
        if self.db.query_one("SELECT id FROM articles WHERE id = ?", (article_id,)):
            return article_id
        prefix = article_id if article_id.startswith("sha256:") else "sha256:" + article_id
        rows = self.db.query("SELECT id FROM articles WHERE id LIKE ? ESCAPE '\\' LIMIT 2", (_like_prefix(prefix),))
        if len(rows) == 1:
            return str(rows[0]["id"])
        if len(rows) > 1:
            raise StoreError(f"{article_id!r} matches several articles; give more of the id")
        return None

    def get_result(self, article_id: str) -> dict[str, Any] | None:
        """The stored result exactly as ``ArticleResult.to_dict()`` produced it, or None."""
        full = self.resolve_id(article_id)
        if full is None:
            return None
        text = self.db.scalar("SELECT result_json FROM articles WHERE id = ?", (full,))
        if text is None:
            return None
        d = json.loads(text)
        if self.public and isinstance(d.get("article"), dict):
            d["article"]["source"] = public_source(d["article"].get("source"))
        return d

    def shown_source(self, source: str | None) -> str | None:
        return public_source(source) if self.public else source

    def get_article_result(self, article_id: str) -> ArticleResult | None:
        d = self.get_result(article_id)
        return None if d is None else ArticleResult.from_dict(d)

    def iter_results(self, article_ids: Iterable[str] | None = None, *, batch: int = 200) -> Iterator[ArticleResult]:
        """Stored results in storage order (all of them, or the given ids)."""
        if article_ids is not None:
            ids = list(article_ids)
            for i in range(0, len(ids), batch):
                chunk = ids[i : i + batch]
                rows = self.db.query(
                    f"SELECT result_json FROM articles WHERE id IN {_in(len(chunk))} ORDER BY pk", chunk
                )
                for r in rows:
                    yield ArticleResult.from_dict(json.loads(r["result_json"]))
            return
        last = 0
        while True:
            rows = self.db.query("SELECT pk, result_json FROM articles WHERE pk > ? ORDER BY pk LIMIT ?", (last, batch))
            if not rows:
                return
            for r in rows:
                yield ArticleResult.from_dict(json.loads(r["result_json"]))
            last = rows[-1]["pk"]

    def articles(
        self,
        *,
        search: str | None = None,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        duplicates: bool = True,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page[ArticleRow]:
        """Articles, newest stored first; ``search`` is a full-text query over title and text."""
        where, params = [], []
        if search:
            sub, sparams = self._fts_subquery(search)
            where.append(f"a.pk IN ({sub})")
            params += sparams
        if outlet:
            where.append("lower(a.outlet) = ?")
            params.append(outlet.lower())
        if since:
            where.append("a.published >= ?")
            params.append(normalise_since(since))
        if until:
            where.append("a.published <= ?")
            params.append(normalise_until(until))
        if not duplicates:
            where.append("a.near_duplicate_of IS NULL")
        c = decode_cursor(cursor)
        if c:
            where.append("a.pk < ?")
            params.append(int(c["p"]))
        text_col = ", a.text" if search else ""
        rows = self.db.query(
            "SELECT a.pk, a.id, a.title, a.source, a.url, a.outlet, a.published, a.n_events, "
            f"a.near_duplicate_of, a.dragoman_version, a.kb_version{text_col} FROM articles a "
            f"{'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY a.pk DESC LIMIT ?",
            [*params, limit + 1],
        )
        items = [
            ArticleRow(
                r["pk"],
                r["id"],
                r["title"],
                self.shown_source(r["source"]),
                r["url"],
                r["outlet"],
                r["published"],
                r["n_events"],
                r["near_duplicate_of"],
                r["dragoman_version"],
                r["kb_version"],
                _snippet(r["text"], search) if search else None,
            )
            for r in rows[:limit]
        ]
        nxt = encode_cursor({"p": items[-1].pk}) if len(rows) > limit and items else None
        return Page(items, nxt)

    def count_articles(self, *, duplicates: bool = True) -> int:
        sql = "SELECT count(*) AS n FROM articles" + ("" if duplicates else " WHERE near_duplicate_of IS NULL")
        return int(self.db.scalar(sql))

    def failures(self, *, limit: int = 1000) -> list[FailureRow]:
        rows = self.db.query(
            "SELECT source, error_type, reason, failed_at FROM failures ORDER BY pk DESC LIMIT ?", (limit,)
        )
        return [FailureRow(r["source"], r["error_type"], r["reason"], r["failed_at"]) for r in rows]

    def stats(self) -> dict[str, int]:
        q = self.db.scalar
        return {
            "articles": int(q("SELECT count(*) AS n FROM articles")),
            "near_duplicates": int(q("SELECT count(*) AS n FROM articles WHERE near_duplicate_of IS NOT NULL")),
            "events": int(q("SELECT count(*) AS n FROM events WHERE dup = 0")),
            "clusters": int(q("SELECT count(*) AS n FROM clusters")),
            "actors": int(q("SELECT count(*) AS n FROM actors WHERE n_articles > 0")),
            "failures": int(q("SELECT count(*) AS n FROM failures")),
        }

    def _fts_subquery(self, query: str) -> tuple[str, list[Any]]:
        words = re.findall(r"\w+", query)
        if not words:
            raise StoreError(f"search {query!r} has no words to look for")
        if self.db.is_sqlite:
            # Quote every word: user text must never be parsed as FTS5 syntax (AND, NEAR, col:).
            return (
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
                [" ".join('"' + w.replace('"', "") + '"' for w in words)],
            )
        return ("SELECT pk FROM articles WHERE tsv @@ plainto_tsquery('english', ?)", [" ".join(words)])

    # ------------------------------------------------------------------ events and clusters

    def filter_sql(self, f: EventFilter) -> tuple[list[list[str]], list[str], list[Any]] | None:
        """Translate an :class:`EventFilter` into SQL pieces over ``events e``; None when nothing matches.

        Returns ``(key_sets, where, params)``:

        - ``key_sets``: lists of ``event_keys.key`` values (``a:<actor key>``, ``p:<place key>``,
          ``c:<ISO3>``); an event matches a set when it has at least one of its keys, and it must
          match every set. Only events of first-stored articles (``dup = 0``) have keys.
        - ``where``: conditions on the alias ``e`` (always ``e.dup = 0`` first), to be joined with AND;
        - ``params``: the values of the ``?`` placeholders in ``where``, in order.

        Actor and place names are resolved to keys here (an unknown name gives None), so callers
        never put user text into SQL. :meth:`filter_where` combines the three into one clause.
        """
        key_sets: list[list[str]] = []
        where: list[str] = ["e.dup = 0"]
        params: list[Any] = []
        if f.actor:
            keys = self._actor_keys(f.actor)
            if not keys:
                return None
            key_sets.append(["a:" + k for k in keys])
        if f.place:
            # A province or region name also finds the towns inside it (their admin1).
            pat = _like_sub(f.place)
            rows = self.db.query(
                "SELECT key FROM place_catalog WHERE lower(name) LIKE ? ESCAPE '\\' "
                "OR lower(admin1) LIKE ? ESCAPE '\\' "
                "OR key = ? ORDER BY n_events DESC LIMIT ?",
                (pat, pat, f.place, _MAX_KEYS),
            )
            if not rows:
                return None
            key_sets.append(["p:" + r["key"] for r in rows])
        if f.country:
            key_sets.append(["c:" + f.country.upper()])
        if f.type:
            where.append("e.event = ?")
            params.append(f.type.upper())
        if f.quad is not None:
            where.append("e.quad = ?")
            params.append(int(f.quad))
        if f.since:
            where.append("e.day >= ?")
            params.append(normalise_since(f.since))
        if f.until:
            where.append("e.day <= ?")
            params.append(normalise_until(f.until))
        if f.article_id:
            full = self.resolve_id(f.article_id)
            if full is None:
                return None
            where.append("e.article_pk = (SELECT pk FROM articles WHERE id = ?)")
            params.append(full)
        if f.cluster is not None:
            where.append("e.cluster_pk = ?")
            params.append(int(f.cluster))
        if f.text:
            sub, sparams = self._fts_subquery(f.text)
            where.append(f"e.article_pk IN ({sub})")
            params += sparams
        return key_sets, where, params

    _filter_sql = filter_sql  # the former private name, kept for callers that still use it

    def filter_where(self, f: EventFilter) -> tuple[str, list[Any]] | None:
        """One WHERE clause over ``events e`` (and its parameters) for ``f``; None when nothing matches."""
        spec = self.filter_sql(f)
        if spec is None:
            return None
        key_sets, where, params = spec
        conds, cparams = list(where), list(params)
        for ks in key_sets:
            conds.append(f"e.pk IN (SELECT event_pk FROM event_keys WHERE key IN {_in(len(ks))})")
            cparams += ks
        return " AND ".join(conds), cparams

    def _actor_keys(self, actor: str) -> list[str]:
        if self.db.query_one("SELECT key FROM actors WHERE key = ?", (actor,)):
            return [actor]
        pat = _like_sub(actor)
        rows = self.db.query(
            "SELECT key FROM actors WHERE lower(name) LIKE ? ESCAPE '\\' UNION "
            "SELECT actor_key AS key FROM aliases WHERE lower(alias) LIKE ? ESCAPE '\\' AND n > 0 LIMIT ?",
            (pat, pat, _MAX_KEYS),
        )
        return [r["key"] for r in rows]

    def _event_pks(self, f: EventFilter, limit: int, cursor: dict[str, Any] | None) -> list[tuple[int, str | None]]:
        """(pk, day) of the next page of matching events, newest day first, undated ones last."""
        spec = self.filter_sql(f)
        if spec is None:
            return []
        key_sets, where, params = spec
        driver, others = (key_sets[0], key_sets[1:]) if key_sets else (None, [])
        conds, cparams = list(where), list(params)
        for ks in others:
            conds.append(f"EXISTS (SELECT 1 FROM event_keys k2 WHERE k2.event_pk = e.pk AND k2.key IN {_in(len(ks))})")
            cparams += ks
        out: list[tuple[int, str | None]] = []
        dated_done = cursor is not None and cursor.get("d") is None
        if not dated_done:
            page_conds, page_params = list(conds), list(cparams)
            if cursor is not None:
                # day <= d narrows the index range; the OR resolves ties on the same day.
                page_conds.append("e.day <= ? AND (e.day < ? OR e.pk < ?)")
                page_params += [cursor["d"], cursor["d"], int(cursor["p"])]
            out += self._ordered(driver, page_conds + ["e.day IS NOT NULL"], page_params, limit + 1)
        undated_allowed = not (f.since or f.until)
        if len(out) <= limit and undated_allowed:
            page_conds, page_params = list(conds) + ["e.day IS NULL"], list(cparams)
            if cursor is not None and cursor.get("d") is None:
                page_conds.append("e.pk < ?")
                page_params.append(int(cursor["p"]))
            out += self._ordered(driver, page_conds, page_params, limit + 1 - len(out))
        return out

    def _ordered(
        self, driver: list[str] | None, conds: list[str], params: list[Any], limit: int
    ) -> list[tuple[int, str | None]]:
        if driver is not None and len(driver) == 1:
            # Walk the (key, day, event_pk) index backwards: a filtered page costs a few row reads.
            sql = (
                "SELECT e.pk, e.day FROM event_keys k JOIN events e ON e.pk = k.event_pk "
                f"WHERE k.key = ? AND {' AND '.join(c.replace('e.day', 'k.day') for c in conds)} "
                "ORDER BY k.day DESC, k.event_pk DESC LIMIT ?"
            )
            rows = self.db.query(sql, [driver[0], *params, limit])
        elif driver is not None and len(driver) <= _UNION_KEYS:
            # Several keys (a name matching a few actors or places): the newest page of each key
            # from the same index, merged. Costs one short index walk per key instead of scanning
            # every event of every key.
            kconds = " AND ".join(c.replace("e.day", "k.day") for c in conds)
            parts, uparams = [], []
            for i, key in enumerate(driver):
                parts.append(
                    "SELECT * FROM (SELECT e.pk AS pk, k.day AS day FROM event_keys k "
                    f"JOIN events e ON e.pk = k.event_pk WHERE k.key = ? AND {kconds} "
                    f"ORDER BY k.day DESC, k.event_pk DESC LIMIT ?) AS u{i}"
                )
                uparams += [key, *params, limit]
            sql = " UNION ".join(parts) + " ORDER BY day DESC, pk DESC LIMIT ?"
            rows = self.db.query(sql, [*uparams, limit])
        else:
            if driver is not None:
                conds = [*conds, f"e.pk IN (SELECT event_pk FROM event_keys WHERE key IN {_in(len(driver))})"]
                params = [*params, *driver]
            sql = f"SELECT e.pk, e.day FROM events e WHERE {' AND '.join(conds)} ORDER BY e.day DESC, e.pk DESC LIMIT ?"
            rows = self.db.query(sql, [*params, limit])
        return [(int(r["pk"]), r["day"]) for r in rows]

    def events(self, f: EventFilter | None = None, *, limit: int = 50, cursor: str | None = None) -> Page[EventRow]:
        """Events matching ``f``, newest first (undated last), one page at a time."""
        f = f or EventFilter()
        pks = self._event_pks(f, limit, decode_cursor(cursor))
        more = len(pks) > limit
        pks = pks[:limit]
        items = self._hydrate([p for p, _ in pks])
        nxt = encode_cursor({"d": pks[-1][1], "p": pks[-1][0]}) if more and pks else None
        return Page(items, nxt)

    def iter_events(self, f: EventFilter | None = None, *, batch: int = 1000) -> Iterator[EventRow]:
        cursor: str | None = None
        while True:
            page = self.events(f, limit=batch, cursor=cursor)
            yield from page.items
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def count_events(self, f: EventFilter | None = None, *, clusters: bool = False) -> int:
        """How many events (reports) match, or how many distinct clusters (real-world events)."""
        f = f or EventFilter()
        spec = self.filter_sql(f)
        if spec is None:
            return 0
        key_sets, where, params = spec
        if not clusters and len(key_sets) == 1 and _only_keys_and_days(f):
            # Key-only path: event_keys holds exactly the non-duplicate events, with their day, so
            # the (key, day, event_pk) index answers the count without visiting the events table.
            ks = key_sets[0]
            conds = [f"k.key IN {_in(len(ks))}"]
            cparams: list[Any] = list(ks)
            if f.since:
                conds.append("k.day >= ?")
                cparams.append(normalise_since(f.since))
            if f.until:
                conds.append("k.day <= ?")
                cparams.append(normalise_until(f.until))
            what = "count(*)" if len(ks) == 1 else "count(DISTINCT k.event_pk)"
            return int(self.db.scalar(f"SELECT {what} AS n FROM event_keys k WHERE {' AND '.join(conds)}", cparams))
        conds, cparams = list(where), list(params)
        for ks in key_sets:
            conds.append(f"e.pk IN (SELECT event_pk FROM event_keys WHERE key IN {_in(len(ks))})")
            cparams += ks
        what = "count(DISTINCT e.cluster_pk)" if clusters else "count(*)"
        return int(self.db.scalar(f"SELECT {what} AS n FROM events e WHERE {' AND '.join(conds)}", cparams))

    def event_counts(
        self, f: EventFilter | None = None, *, by: str = "type", clusters: bool = False
    ) -> list[tuple[str | None, int]]:
        """Counts grouped by ``type``, ``quad``, ``month`` or ``year`` (for facets and timelines)."""
        group = {
            "type": "e.event",
            "quad": "e.quad",
            "month": "substr(e.day, 1, 7)",
            "year": "substr(e.day, 1, 4)",
        }.get(by)
        if group is None:
            raise StoreError(f"cannot group events by {by!r}; use type, quad, month or year")
        spec = self.filter_sql(f or EventFilter())
        if spec is None:
            return []
        key_sets, where, params = spec
        conds, cparams = list(where), list(params)
        for ks in key_sets:
            conds.append(f"e.pk IN (SELECT event_pk FROM event_keys WHERE key IN {_in(len(ks))})")
            cparams += ks
        what = "count(DISTINCT e.cluster_pk)" if clusters else "count(*)"
        rows = self.db.query(
            f"SELECT {group} AS g, {what} AS n FROM events e WHERE {' AND '.join(conds)} "
            f"GROUP BY {group} ORDER BY {group}",
            cparams,
        )
        return [(None if r["g"] is None else str(r["g"]), int(r["n"])) for r in rows]

    def _hydrate(self, pks: list[int]) -> list[EventRow]:
        if not pks:
            return []
        marks = _in(len(pks))
        rows = self.db.query(
            "SELECT e.*, a.id AS article_id, a.title, a.outlet, a.source, a.url, a.published, "
            "substr(a.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) AS sentence_text "
            f"FROM events e JOIN articles a ON a.pk = e.article_pk WHERE e.pk IN {marks}",
            pks,
        )
        args = self.db.query(
            "SELECT ea.event_pk, ea.role, en.actor_key, en.name, en.country, en.sector, en.kind "
            "FROM event_args ea JOIN events e ON e.pk = ea.event_pk "
            "JOIN entities en ON en.article_pk = e.article_pk AND en.eid = ea.eid "
            f"WHERE ea.event_pk IN {marks}",
            pks,
        )
        places = self.db.query(
            "SELECT ep.event_pk, p.place_key, p.name, p.country, p.lat, p.lon "
            "FROM event_places ep JOIN events e ON e.pk = ep.event_pk "
            "JOIN places p ON p.article_pk = e.article_pk AND p.pid = ep.pid "
            f"WHERE ep.event_pk IN {marks}",
            pks,
        )
        actors: dict[int, list[ActorRef]] = {}
        recips: dict[int, list[ActorRef]] = {}
        for a in args:
            ref = ActorRef(a["actor_key"], a["name"], a["country"], a["sector"], a["kind"])
            (actors if a["role"] == "actor" else recips).setdefault(a["event_pk"], []).append(ref)
        plc: dict[int, list[PlaceRef]] = {}
        for p in places:
            plc.setdefault(p["event_pk"], []).append(
                PlaceRef(p["place_key"], p["name"], p["country"], p["lat"], p["lon"])
            )
        by_pk = {r["pk"]: r for r in rows}
        out = []
        for pk in pks:
            r = by_pk[pk]
            out.append(
                EventRow(
                    pk=pk,
                    article_id=r["article_id"],
                    eid=r["eid"],
                    event=r["event"],
                    mode=r["mode"],
                    context=tuple(c for c in (r["context"] or "").split(",") if c),
                    quad=r["quad"],
                    intensity=r["intensity"],
                    confidence=r["confidence"],
                    date=r["date"],
                    granularity=r["granularity"],
                    day=r["day"],
                    certainty=r["certainty"],
                    negated=bool(r["negated"]),
                    trigger=r["trigger_text"],
                    sentence=r["sentence_text"],
                    actors=tuple(actors.get(pk, ())),
                    recipients=tuple(recips.get(pk, ())),
                    places=tuple(plc.get(pk, ())),
                    title=r["title"],
                    outlet=r["outlet"],
                    source=self.shown_source(r["source"]),
                    url=r["url"],
                    cluster=r["cluster_pk"],
                    published=r["published"],
                )
            )
        return out

    def clusters(self, f: EventFilter | None = None, *, limit: int = 50, cursor: str | None = None) -> Page[ClusterRow]:
        """Real-world events (clusters of reports) with at least one report matching ``f``."""
        f = f or EventFilter()
        c = decode_cursor(cursor)
        conds: list[str] = []
        params: list[Any] = []
        if not f.is_empty():
            spec = self.filter_sql(f)
            if spec is None:
                return Page([], None)
            key_sets, where, wparams = spec
            inner, iparams = list(where), list(wparams)
            for ks in key_sets:
                inner.append(f"e.pk IN (SELECT event_pk FROM event_keys WHERE key IN {_in(len(ks))})")
                iparams += ks
            conds.append(f"c.pk IN (SELECT e.cluster_pk FROM events e WHERE {' AND '.join(inner)})")
            params += iparams
        rows: list[dict[str, Any]] = []
        if not (c is not None and c.get("d") is None):
            cc, cp = conds + ["c.day IS NOT NULL"], list(params)
            if c is not None:
                cc.append("c.day <= ? AND (c.day < ? OR c.pk < ?)")
                cp += [c["d"], c["d"], int(c["p"])]
            rows += self.db.query(
                f"SELECT c.* FROM clusters c WHERE {' AND '.join(cc)} ORDER BY c.day DESC, c.pk DESC LIMIT ?",
                [*cp, limit + 1],
            )
        if len(rows) <= limit and not (f.since or f.until):
            cc, cp = conds + ["c.day IS NULL"], list(params)
            if c is not None and c.get("d") is None:
                cc.append("c.pk < ?")
                cp.append(int(c["p"]))
            rows += self.db.query(
                f"SELECT c.* FROM clusters c WHERE {' AND '.join(cc)} ORDER BY c.pk DESC LIMIT ?",
                [*cp, limit + 1 - len(rows)],
            )
        items = [
            ClusterRow(
                r["pk"],
                r["event"],
                r["day"],
                r["n_mentions"],
                r["n_articles"],
                tuple(x for x in (self.shown_source(v) for v in json.loads(r["sources"])) if x),
                tuple(json.loads(r["actor_keys"])),
                tuple(json.loads(r["countries"])),
                tuple(json.loads(r["place_keys"])),
            )
            for r in rows[:limit]
        ]
        nxt = encode_cursor({"d": items[-1].day, "p": items[-1].pk}) if len(rows) > limit and items else None
        return Page(items, nxt)

    # ------------------------------------------------------------------ actors and places

    def actors(
        self,
        *,
        name: str | None = None,
        country: str | None = None,
        kind: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page[ActorRow]:
        """Actors by number of events (as actor or recipient), most active first."""
        ph_sql, ph_params = placeholder_key_sql("key")
        where, params = ["(n_articles > 0)", f"NOT {ph_sql}"], list(ph_params)
        if name:
            pat = _like_sub(name)
            where.append(
                "(lower(name) LIKE ? ESCAPE '\\' OR key IN "
                "(SELECT actor_key FROM aliases WHERE lower(alias) LIKE ? ESCAPE '\\' AND n > 0))"
            )
            params += [pat, pat]
        if country:
            where.append("country = ?")
            params.append(country.upper())
        if kind:
            where.append("kind = ?")
            params.append(kind)
        offset = int((decode_cursor(cursor, offset=True) or {}).get("o", 0))
        rows = self.db.query(
            f"SELECT * FROM actors WHERE {' AND '.join(where)} "
            "ORDER BY n_actor + n_recipient DESC, n_articles DESC, key LIMIT ? OFFSET ?",
            [*params, limit + 1, offset],
        )
        items = [_actor_row(r) for r in rows[:limit]]
        return Page(items, encode_cursor({"o": offset + limit}) if len(rows) > limit else None)

    def actor(self, key: str) -> ActorRow | None:
        r = self.db.query_one("SELECT * FROM actors WHERE key = ?", (key,))
        return None if r is None else _actor_row(r)

    def actor_profile(self, key: str) -> ActorProfile | None:
        """An actor with its aliases, events as actor and recipient per month, relations, counterparts."""
        actor = self.actor(key)
        if actor is None:
            return None
        # A placeholder's mentions are the trigger words of the events it stands in for ("attacked",
        # "killed"), not names: it lists none (stores written before kept them in the alias table).
        placeholder_actor = is_placeholder_actor(key)
        aliases = [] if placeholder_actor else [
            (r["alias"], int(r["n"]))
            for r in self.db.query(
                "SELECT alias, n FROM aliases WHERE actor_key = ? AND n > 0 ORDER BY n DESC, alias LIMIT 50",
                (key,),
            )
        ]
        timeline, left_out = self._actor_months(key)
        rels = []
        for direction, mine, other in (
            ("out", "subject_key", "object_key"),
            ("in", "object_key", "subject_key"),
        ):
            for r in self.db.query(
                f"SELECT r.predicate, r.{other} AS other, max(o.name) AS other_name, count(*) AS n "
                f"FROM relations r LEFT JOIN actors o ON o.key = r.{other} WHERE r.{mine} = ? "
                f"GROUP BY r.predicate, r.{other} ORDER BY count(*) DESC LIMIT 50",
                (key,),
            ):
                rels.append(
                    RelationRow(r["predicate"], direction, r["other"], r["other_name"] or r["other"], int(r["n"]))
                )
        # A stand-in for an unnamed actor ("unidentified perpetrator") is no counterpart to rank.
        placeholder, placeholder_params = placeholder_key_sql("o.actor_key")
        counter_rows = self.db.query(
            "SELECT o.actor_key, count(DISTINCT o.event_pk) AS n FROM event_keys k "
            "JOIN event_args o ON o.event_pk = k.event_pk AND o.actor_key <> ? "
            f"WHERE k.key = ? AND NOT {placeholder} "
            "GROUP BY o.actor_key ORDER BY count(DISTINCT o.event_pk) DESC LIMIT 20",
            (key, "a:" + key, *placeholder_params),
        )
        counterparts: list[tuple[ActorRow, int]] = []
        for r in counter_rows:
            counterpart = self.actor(r["actor_key"])
            if counterpart is not None:
                counterparts.append((counterpart, int(r["n"])))
        return ActorProfile(actor, aliases, timeline, rels, counterparts, left_out,
                            actor.n_actor if placeholder_actor else None)

    def _actor_months(self, key: str) -> tuple[list[TimelinePoint], dict[str, int]]:
        """An actor's events per month over the news period (the span of the publication days), with
        what was left out: undated events, events dated only to a quarter, a year or coarser (never
        put in a January), background dated long before its article, and months outside the period."""
        from ..analysis.data import is_context
        from ..timex import coarse_enough

        span = self.db.query_one("SELECT min(published) AS lo, max(published) AS hi FROM articles") or {}
        lo, hi = (str(span["lo"])[:7] if span.get("lo") else None), (str(span["hi"])[:7] if span.get("hi") else None)
        left_out = {"undated": 0, "context": 0, "coarse": 0, "outside": 0}
        points: dict[str, list[int]] = {}
        for r in self.db.query(
            "SELECT DISTINCT ea.event_pk, ea.role, e.day, e.date, e.granularity, a.published "
            "FROM event_keys k JOIN event_args ea ON ea.event_pk = k.event_pk AND ea.actor_key = ? "
            "JOIN events e ON e.pk = ea.event_pk JOIN articles a ON a.pk = e.article_pk WHERE k.key = ?",
            (key, "a:" + key),
        ):
            day = r["day"] and str(r["day"])[:10]
            reason = ("undated" if not day
                      else "context" if is_context(r["date"], r["published"] and str(r["published"])[:10])
                      else "coarse" if not coarse_enough(r["granularity"], "month")
                      else "outside" if (lo and day[:7] < lo) or (hi and day[:7] > hi) else None)
            if reason:
                left_out[reason] += 1
                continue
            pt = points.setdefault(day[:7], [0, 0])
            pt[0 if r["role"] == "actor" else 1] += 1
        return [TimelinePoint(m, v[0], v[1]) for m, v in sorted(points.items())], left_out

    def places(
        self,
        *,
        name: str | None = None,
        country: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page[PlaceRow]:
        where, params = ["n_articles > 0"], []
        if name:
            where.append("lower(name) LIKE ? ESCAPE '\\'")
            params.append(_like_sub(name))
        if country:
            where.append("country = ?")
            params.append(country.upper())
        offset = int((decode_cursor(cursor, offset=True) or {}).get("o", 0))
        rows = self.db.query(
            f"SELECT * FROM place_catalog WHERE {' AND '.join(where)} "
            "ORDER BY n_events DESC, n_articles DESC, key LIMIT ? OFFSET ?",
            [*params, limit + 1, offset],
        )
        items = [
            PlaceRow(
                r["key"],
                r["name"],
                r["country"],
                r["admin1"],
                r["lat"],
                r["lon"],
                r["geonameid"],
                r["feature"],
                int(r["n_articles"]),
                int(r["n_events"]),
            )
            for r in rows[:limit]
        ]
        return Page(items, encode_cursor({"o": offset + limit}) if len(rows) > limit else None)


def _only_keys_and_days(f: EventFilter) -> bool:
    """True when ``f`` filters on event keys (actor, place, country) and days only."""
    return f.type is None and f.quad is None and f.text is None and f.article_id is None and f.cluster is None


def _actor_row(r: dict[str, Any]) -> ActorRow:
    return ActorRow(
        r["key"],
        r["name"],
        r["kind"],
        r["country"],
        r["sector"],
        r["kb_id"],
        r["wikidata"],
        int(r["n_articles"]),
        int(r["n_actor"]),
        int(r["n_recipient"]),
    )


def _like_escape(s: str) -> str:
    """The text as a LIKE literal: ``%``, ``_`` and the escape character match only themselves
    (every LIKE in this module declares ``ESCAPE '\\'``)."""
    return s.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like_sub(s: str) -> str:
    return "%" + _like_escape(s).strip() + "%"


def _like_prefix(s: str) -> str:
    return _like_escape(s).strip() + "%"


def _snippet(text: str | None, query: str | None, width: int = 160) -> str | None:
    if not text:
        return None
    pos = -1
    for w in re.findall(r"\w+", query or ""):
        m = re.search(r"\b" + re.escape(w[: max(4, len(w) - 2)]), text, re.IGNORECASE)
        if m:
            pos = m.start()
            break
    start = max(0, pos - width // 3) if pos >= 0 else 0
    piece = " ".join(text[start : start + width].split())
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def _apply_catalogue(db: Database, delta: CatalogueDelta) -> None:
    # An adding delta carries the latest coding of an actor (a knowledge base that renamed it, say),
    # so its descriptive columns replace the stored ones; a removing delta only changes counters.
    latest = "CASE WHEN excluded.n_articles > 0 THEN excluded.{c} ELSE actors.{c} END"
    described = ", ".join(f"{c} = {latest.format(c=c)}" for c in ("name", "kind", "country", "sector", "wikidata"))
    db.executemany(
        "INSERT INTO actors (key, name, kind, country, sector, kb_id, wikidata, n_articles, n_actor, "
        "n_recipient) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
        f"{described}, "
        "n_articles = actors.n_articles + excluded.n_articles, n_actor = actors.n_actor + excluded.n_actor, "
        "n_recipient = actors.n_recipient + excluded.n_recipient",
        [(k, *v) for k, v in delta.actors.items()],
    )
    db.executemany(
        "INSERT INTO aliases (actor_key, alias, n) VALUES (?, ?, ?) ON CONFLICT (actor_key, alias) "
        "DO UPDATE SET n = aliases.n + excluded.n",
        [(k, alias, n) for (k, alias), n in delta.aliases.items()],
    )
    db.executemany(
        "INSERT INTO place_catalog (key, name, country, admin1, lat, lon, geonameid, feature, n_articles, "
        "n_events) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
        "n_articles = place_catalog.n_articles + excluded.n_articles, "
        "n_events = place_catalog.n_events + excluded.n_events",
        [(k, *v) for k, v in delta.places.items()],
    )


def _refresh_cluster(db: Database, cpk: int) -> None:
    """Recount a cluster from its remaining reports; drop it when none is left."""
    rows = db.query(
        "SELECT e.article_pk, coalesce(a.outlet, a.source) AS src FROM events e "
        "JOIN articles a ON a.pk = e.article_pk WHERE e.cluster_pk = ?",
        (cpk,),
    )
    if not rows:
        db.execute("DELETE FROM clusters WHERE pk = ?", (cpk,))
        return
    sources = sorted({r["src"] for r in rows if r["src"]})
    db.execute(
        "UPDATE clusters SET n_mentions = ?, n_articles = ?, sources = ? WHERE pk = ?",
        (len(rows), len({r["article_pk"] for r in rows}), json.dumps(sources), cpk),
    )


def _cluster_day(day: str | None, event_date: str | None, published: str | None) -> str | None:
    """The day an event is clustered on: only a precise day (its own, else the article's) counts."""
    if is_precise_day(event_date) or (event_date is None and is_precise_day(published)):
        return day
    return None


class _Batch:
    """Writes a batch of results inside the caller's transaction, with primary keys it assigns."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.rows: dict[str, list[tuple[Any, ...]]] = {}
        self.clusters: dict[int, ClusterState] = {}
        # (type, day) -> candidate clusters: decoded ClusterStates, or stored rows not decoded yet
        self.cluster_cache: dict[tuple[str, str], list[ClusterState | dict[str, Any]]] = {}
        self.cluster_articles: set[tuple[int, int]] = set()
        self.delta = CatalogueDelta()

    def _next(self, table: str) -> int:
        return int(self.db.scalar(f"SELECT coalesce(max(pk), 0) AS m FROM {table}")) + 1

    def _add(self, table: str, row: tuple[Any, ...]) -> None:
        self.rows.setdefault(table, []).append(row)

    def write(
        self, results: Sequence[ArticleResult], raw_hashes: Sequence[str | None], sigs: Sequence[Any]
    ) -> list[AddOutcome]:
        db = self.db
        ids = [r.article.id for r in results]
        present: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            present |= {r["id"] for r in db.query(f"SELECT id FROM articles WHERE id IN {_in(len(chunk))}", chunk)}
        next_article, next_event = self._next("articles"), self._next("events")
        self.next_cluster = self._next("clusters")
        self._prefetch_clusters(results)
        outcomes: list[AddOutcome] = []
        batch_sigs: list[tuple[int, str, str | None, Any, list[str]]] = []
        for result, raw, sig in zip(results, raw_hashes, sigs, strict=True):
            art = result.article
            if art.id in present:
                outcomes.append(AddOutcome("present", art.id))
                continue
            present.add(art.id)
            apk = next_article
            next_article += 1
            dup_of, sim = None, None
            band_keys: list[str] = []
            if sig is not None:
                band_keys = minhash.bands(sig)
                dup_of, sim = self._near_duplicate(sig, band_keys, batch_sigs)
                batch_sigs.append((apk, art.id, dup_of, sig, band_keys))
            dv, kv = versions(result)
            title = art.title or headline_of(art.text)
            self._add(
                "articles",
                (
                    apk,
                    art.id,
                    raw,
                    art.source,
                    title,
                    art.url,
                    art.outlet,
                    art.published,
                    art.published_basis,
                    art.language,
                    art.text,
                    json.dumps(result.to_dict(), ensure_ascii=False, separators=(",", ":")),
                    dv,
                    kv,
                    dup_of,
                    sim,
                    minhash.encode(sig) if sig is not None else None,
                    len(result.events),
                    _now(),
                ),
            )
            if db.is_sqlite:
                self._add("articles_fts", (apk, title, art.text))
            for b in band_keys:
                self._add("minhash_bands", (b, apk))
            if sig is not None:
                self._add("signatures", (apk, art.id, minhash.encode(sig), dup_of))
            next_event = self._rows_for(result, apk, next_event, dup=dup_of is not None)
            if dup_of is None:
                self.delta.add(result)
            outcomes.append(AddOutcome("near_duplicate" if dup_of else "stored", art.id, dup_of, sim))
        self._flush()
        return outcomes

    def _near_duplicate(self, sig: Any, band_keys: list[str], batch_sigs: list[Any]) -> tuple[str | None, float | None]:
        best: tuple[float, str] | None = None
        rows = self.db.query(
            "SELECT DISTINCT a.id, a.minhash, a.near_duplicate_of FROM minhash_bands b "
            "JOIN signatures a ON a.article_pk = b.article_pk "
            f"WHERE b.band IN {_in(len(band_keys))} LIMIT 50",
            band_keys,
        )
        cands = [(r["id"], r["near_duplicate_of"], minhash.decode(r["minhash"])) for r in rows if r["minhash"]]
        keyset = set(band_keys)
        cands += [(aid, dof, s) for _, aid, dof, s, bk in batch_sigs if keyset.intersection(bk)]
        for aid, dof, s in cands:
            sim = minhash.similarity(sig, s)
            if sim >= NEAR_DUPLICATE_THRESHOLD and (best is None or sim > best[0]):
                best = (sim, dof or aid)  # link to the first copy, not to another copy
        return (best[1], best[0]) if best else (None, None)

    def _rows_for(self, result: ArticleResult, apk: int, next_event: int, *, dup: bool) -> int:
        art = result.article
        ekeys = {e.id: actor_key(e) for e in result.entities}
        ecountry = {e.id: e.country for e in result.entities}
        pkeys = {p.id: place_key(p) for p in result.places}
        pcountry = {p.id: p.country for p in result.places}
        for e in result.entities:
            self._add(
                "entities",
                (
                    apk,
                    e.id,
                    ekeys[e.id],
                    e.name,
                    e.kind,
                    e.country,
                    e.sector,
                    e.kb_id,
                    e.wikidata,
                    int(e.anonymous),
                ),
            )
            for m in e.mentions:
                self._add("mentions", (apk, e.id, m.start, m.end, m.text))
        for r in result.relations:
            evid = r.evidence
            self._add(
                "relations",
                (
                    apk,
                    r.subject,
                    r.predicate,
                    r.object,
                    ekeys.get(r.subject),
                    ekeys.get(r.object),
                    evid.start if evid else None,
                    evid.end if evid else None,
                    r.source,
                ),
            )
        for q in result.quotes:
            self._add("quotes", (apk, q.speaker, q.speaker_text, q.text, q.cue, q.start, q.end, int(q.direct)))
        for p in result.places:
            self._add(
                "places",
                (apk, p.id, pkeys[p.id], p.name, p.country, p.admin1, p.lat, p.lon, p.geonameid, p.feature,
                 int(p.associative)),
            )
            for m in p.mentions:
                self._add("place_mentions", (apk, p.id, m.start, m.end, m.text, m.kind))
        for t in result.times:
            self._add("times", (apk, t.text, t.start, t.end, t.value, t.type))
        for qn in result.quantities:
            self._add("quantities", (apk, qn.text, qn.start, qn.end, storable_number(qn.value), qn.unit,
                                     int(qn.approximate)))
        source = art.outlet or art.source
        for ev in result.events:
            epk = next_event
            next_event += 1
            day = day_of(ev.date.value) or (day_of(art.published) if ev.date.value is None else None)
            akeys = {ekeys[i] for i in (*ev.actor, *ev.recipient) if i in ekeys}
            countries = {c for i in (*ev.actor, *ev.recipient) if (c := ecountry.get(i))}
            places = {pkeys[i] for i in ev.places if i in pkeys}
            cpk = None
            if not dup:
                cpk = self._cluster(
                    ev.event,
                    _cluster_day(day, ev.date.value, art.published),
                    akeys,
                    countries,
                    places,
                    apk,
                    source,
                )
            att = ev.attribution
            mod = ev.modality
            self._add(
                "events",
                (
                    epk,
                    apk,
                    ev.id,
                    ev.event,
                    ev.mode,
                    ",".join(ev.context),
                    ev.quad,
                    ev.intensity,
                    ev.confidence,
                    ev.date.value,
                    ev.date.basis,
                    day,
                    mod.certainty,
                    mod.time,
                    int(mod.negated),
                    int(mod.conditional),
                    att.speaker if att else None,
                    att.type if att else None,
                    ev.trigger.start,
                    ev.trigger.end,
                    ev.trigger.text,
                    ev.sentence.start,
                    ev.sentence.end,
                    int(dup),
                    cpk,
                    event_granularity(ev.date.value, day),
                ),
            )
            for role, members in (("actor", ev.actor), ("recipient", ev.recipient)):
                for i in dict.fromkeys(members):
                    if i in ekeys:
                        self._add("event_args", (epk, role, i, ekeys[i], day))
            for i in dict.fromkeys(ev.places):
                if i in pkeys:
                    self._add("event_places", (epk, i, pkeys[i]))
            if not dup:
                keys = {"a:" + k for k in akeys} | {"p:" + k for k in places}
                keys |= {"c:" + c for c in countries}
                keys |= {"c:" + c for i in ev.places if (c := pcountry.get(i))}
                for k in keys:
                    self._add("event_keys", (k, day, epk))
        return next_event

    def _cluster(
        self,
        event: str,
        day: str | None,
        akeys: set[str],
        countries: set[str],
        places: set[str],
        apk: int,
        source: str | None,
    ) -> int:
        chosen: ClusterState | None = None
        if day is not None:
            for c in self._candidates(event, day):
                if compatible(c, akeys, countries, places):
                    chosen = c
                    break
        if chosen is None:
            chosen = ClusterState(self.next_cluster, event, day, set(), set(), set(), new=True)
            self.next_cluster += 1
            self.clusters[chosen.pk] = chosen
            if day is not None:
                self.cluster_cache.setdefault((event, day), []).append(chosen)
        chosen.actor_keys |= akeys
        chosen.countries |= countries
        chosen.place_keys |= places
        chosen.n_mentions += 1
        if (chosen.pk, apk) not in self.cluster_articles:
            self.cluster_articles.add((chosen.pk, apk))
            chosen.n_articles += 1
        if source and source not in chosen.sources:
            chosen.sources.append(source)
        chosen.dirty = True
        return chosen.pk

    def _prefetch_clusters(self, results: Sequence[ArticleResult]) -> None:
        """Load the stored clusters every event of the batch may join, a few queries per event type.

        Without this, each event looks up its window of days one query at a time (five queries an
        event); with it, a batch of thousands of events costs a handful of indexed range reads.
        """
        need: dict[str, set[str]] = {}
        for r in results:
            for ev in r.events:
                day = day_of(ev.date.value) or (day_of(r.article.published) if ev.date.value is None else None)
                cday = _cluster_day(day, ev.date.value, r.article.published)
                if cday is None:
                    continue
                days = need.setdefault(ev.event, set())
                for offset in range(-CLUSTER_WINDOW_DAYS, CLUSTER_WINDOW_DAYS + 1):
                    days.add(shift(cday, offset))
        for event, days in need.items():
            todo = sorted(d for d in days if (event, d) not in self.cluster_cache)
            for i in range(0, len(todo), _MAX_KEYS):
                chunk = todo[i : i + _MAX_KEYS]
                found: dict[str, list[ClusterState | dict[str, Any]]] = {d: [] for d in chunk}
                for row in self.db.query(
                    f"SELECT * FROM clusters WHERE event = ? AND day IN {_in(len(chunk))} ORDER BY pk",
                    [event, *chunk],
                ):
                    lst = found[row["day"]]
                    if len(lst) < _CLUSTER_CANDIDATES:
                        lst.append(row)  # decoded by _candidates when an event reaches it
                for d, lst in found.items():
                    self.cluster_cache[(event, d)] = lst

    def _candidates(self, event: str, day: str) -> Iterator[ClusterState]:
        """Clusters of this type within the window around ``day``, oldest first on each day.

        Stored clusters stay raw rows until an event actually reaches them: most events join one
        of the first candidates, so most rows are never decoded.
        """
        for offset in range(-CLUSTER_WINDOW_DAYS, CLUSTER_WINDOW_DAYS + 1):
            d = shift(day, offset)
            found = self.cluster_cache.get((event, d))
            if found is None:
                found = list(
                    self.db.query(
                        "SELECT * FROM clusters WHERE event = ? AND day = ? ORDER BY pk LIMIT ?",
                        (event, d, _CLUSTER_CANDIDATES),
                    )
                )
                self.cluster_cache[(event, d)] = found
            for i, c in enumerate(found):
                if not isinstance(c, ClusterState):
                    c = self.clusters.get(int(c["pk"])) or ClusterState.from_row(c)
                    self.clusters[c.pk] = c
                    found[i] = c
                yield c

    def _flush(self) -> None:
        db = self.db
        new = [c for c in self.clusters.values() if c.new]
        changed = [c for c in self.clusters.values() if c.dirty and not c.new]
        # Clusters first: events reference them.
        db.executemany(
            "INSERT INTO clusters (event, day, actor_keys, countries, place_keys, n_mentions, "
            "n_articles, sources, pk) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [c.row() for c in new],
        )
        db.executemany(
            "UPDATE clusters SET event = ?, day = ?, actor_keys = ?, countries = ?, place_keys = ?, "
            "n_mentions = ?, n_articles = ?, sources = ? WHERE pk = ?",
            [c.row() for c in changed],
        )
        order = [
            (
                "articles",
                "pk, id, raw_hash, source, title, url, outlet, published, published_basis, language, "
                "text, result_json, dragoman_version, kb_version, near_duplicate_of, similarity, "
                "minhash, n_events, ingested_at",
            ),
            ("articles_fts", "rowid, title, text"),
            ("minhash_bands", "band, article_pk"),
            ("signatures", "article_pk, id, minhash, near_duplicate_of"),
            (
                "entities",
                "article_pk, eid, actor_key, name, kind, country, sector, kb_id, wikidata, anonymous",
            ),
            ("mentions", "article_pk, eid, start_off, end_off, text"),
            (
                "relations",
                "article_pk, subject, predicate, object, subject_key, object_key, evidence_start, evidence_end, origin",
            ),
            ("quotes", "article_pk, speaker, speaker_text, text, cue, start_off, end_off, direct"),
            ("places", "article_pk, pid, place_key, name, country, admin1, lat, lon, geonameid, feature, associative"),
            ("place_mentions", "article_pk, pid, start_off, end_off, text, kind"),
            ("times", "article_pk, text, start_off, end_off, value, type"),
            ("quantities", "article_pk, text, start_off, end_off, value, unit, approximate"),
            (
                "events",
                "pk, article_pk, eid, event, mode, context, quad, intensity, confidence, date, "
                "date_basis, day, certainty, tense, negated, conditional, attribution_speaker, "
                "attribution_type, trigger_start, trigger_end, trigger_text, sentence_start, "
                "sentence_end, dup, cluster_pk, granularity",
            ),
            ("event_args", "event_pk, role, eid, actor_key, day"),
            ("event_places", "event_pk, pid, place_key"),
            ("event_keys", "key, day, event_pk"),
        ]
        for table, cols in order:
            rows = self.rows.get(table)
            if rows:
                n = cols.count(",") + 1
                db.executemany(f"INSERT INTO {table} ({cols}) VALUES {_in(n)}", rows)
        _apply_catalogue(db, self.delta)
