"""A thin connection wrapper that lets one set of SQL statements run on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import StoreError

__all__ = ["Database", "connect", "is_postgres_url"]

Params = Sequence[Any]


def is_postgres_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


class Database:
    """One connection with ``?`` placeholders on both backends and explicit transactions.

    Statements are written once with ``?`` placeholders; for PostgreSQL they are rewritten to
    ``%s``. SQL text must therefore never contain a literal ``?`` or ``%``: values always travel
    as parameters.
    """

    dialect: str

    def __init__(self, target: str, *, readonly: bool = False) -> None:
        self.target = target
        self.readonly = readonly
        self._depth = 0
        if is_postgres_url(target):
            self.dialect = "postgresql"
            try:
                import psycopg
                from psycopg.rows import dict_row
            except ImportError as exc:  # pragma: no cover - psycopg is a declared dependency
                raise StoreError("PostgreSQL needs psycopg: pip install 'psycopg[binary]'") from exc
            try:
                self._pg = psycopg.connect(target, autocommit=True, row_factory=dict_row)
            except psycopg.Error as exc:
                raise StoreError(
                    f"cannot connect to {_redact(target)}: {exc}; check the URL, the server and the credentials"
                ) from exc
        else:
            self.dialect = "sqlite"
            path = Path(target)
            if path.parent and not path.parent.exists():
                raise StoreError(f"cannot create database {target}: folder {path.parent} does not exist")
            try:
                # isolation_level=None: we issue BEGIN/COMMIT ourselves so that a write transaction
                # takes the write lock up front (BEGIN IMMEDIATE) instead of failing half-way.
                self._sq = sqlite3.connect(target, isolation_level=None, timeout=60, check_same_thread=False)
                self._sq.row_factory = sqlite3.Row
                self._sq.execute("PRAGMA busy_timeout = 60000")
                self._sq.execute("PRAGMA foreign_keys = ON")
                if not readonly:
                    # WAL lets readers run while the single writer commits; NORMAL sync is
                    # durable against a killed process (only an OS crash can lose the last commit).
                    self._sq.execute("PRAGMA journal_mode = WAL")
                    self._sq.execute("PRAGMA synchronous = NORMAL")
                    # Checkpoint (and sync) every ~40 MB of WAL instead of ~4 MB: pages an ingest
                    # rewrites again and again reach the database file once per checkpoint.
                    self._sq.execute("PRAGMA wal_autocheckpoint = 10000")
                self._sq.execute("PRAGMA cache_size = -65536")
            except sqlite3.Error as exc:
                raise StoreError(f"cannot open SQLite database {target}: {exc}") from exc

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def _sql(self, sql: str) -> str:
        return sql if self.is_sqlite else sql.replace("?", "%s")

    def execute(self, sql: str, params: Params = ()) -> None:
        try:
            if self.is_sqlite:
                self._sq.execute(sql, tuple(params))
            else:
                self._pg.execute(self._sql(sql), tuple(params))
        except (sqlite3.Error, Exception) as exc:
            if isinstance(exc, StoreError):
                raise
            raise _wrap(exc, sql) from exc

    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        rows = [tuple(r) for r in rows]
        if not rows:
            return
        try:
            if self.is_sqlite:
                self._sq.executemany(sql, rows)
            else:
                with self._pg.cursor() as cur:
                    cur.executemany(self._sql(sql), rows)
        except Exception as exc:
            raise _wrap(exc, sql) from exc

    def query(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        try:
            if self.is_sqlite:
                return [dict(r) for r in self._sq.execute(sql, tuple(params)).fetchall()]
            return list(self._pg.execute(self._sql(sql), tuple(params)).fetchall())
        except Exception as exc:
            raise _wrap(exc, sql) from exc

    def tuples(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        """Rows as plain tuples, in the order of the SELECT: for reads of tens of thousands of rows,
        where building a mapping per row costs more than the query."""
        try:
            if self.is_sqlite:
                cur = self._sq.cursor()
                cur.row_factory = None
                return cur.execute(sql, tuple(params)).fetchall()
            from psycopg.rows import tuple_row

            with self._pg.cursor(row_factory=tuple_row) as pcur:
                return list(pcur.execute(self._sql(sql), tuple(params)).fetchall())
        except Exception as exc:
            raise _wrap(exc, sql) from exc

    def query_one(self, sql: str, params: Params = ()) -> dict[str, Any] | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.query_one(sql, params)
        return None if row is None else next(iter(row.values()))

    def insert_returning(self, sql: str, params: Params, column: str = "pk") -> int:
        row = self.query_one(f"{sql} RETURNING {column}", params)
        assert row is not None
        return int(row[column])

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction; nested calls join the outer one (one article = one transaction)."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._depth = 1
        try:
            if self.is_sqlite:
                self._sq.execute("BEGIN IMMEDIATE")
                try:
                    yield
                except BaseException:
                    self._sq.execute("ROLLBACK")
                    raise
                self._sq.execute("COMMIT")
            else:
                with self._pg.transaction():
                    yield
        finally:
            self._depth = 0

    def revision(self) -> tuple[Any, ...]:
        """A value that changes whenever a write is committed to the database, by this or any other
        connection or process: caches of what was read from it are keyed by it.

        SQLite: the state of the database file and of its write-ahead log, from ``stat`` alone. Every
        commit in WAL mode appends frames to the log (it grows) or, after a checkpoint, rewrites it
        from the start (a new modification time); in rollback mode it rewrites the file. The files
        are never opened here: closing any descriptor of a database file drops every POSIX lock the
        process holds on it, SQLite's included, and another process's last connection then deletes
        the log and its index under this one's feet, leaving its readers on the old pages for good.
        PostgreSQL: the current snapshot (next transaction id and those in progress), which moves
        with every transaction that writes (anywhere in the cluster: at worst a cache is read again).
        """
        if not self.is_sqlite:
            return ("pg", self.scalar("SELECT txid_current_snapshot()::text AS s"))
        return _file_revision(self.target)

    def close(self) -> None:
        if self.is_sqlite:
            self._sq.close()
        else:
            self._pg.close()


def _file_revision(path: str) -> tuple[Any, ...]:
    out: list[Any] = []
    for name in (path, path + "-wal"):
        try:
            st = os.stat(name)  # never open(): see Database.revision
        except OSError:
            out.append(None)  # no log (rollback mode, or checkpointed away)
            continue
        out.append((st.st_size, st.st_mtime_ns, st.st_ino))
    if out[0] is None:  # not a file (":memory:"): nothing to key a cache by, so never the same twice
        return ("unkeyed", time.monotonic_ns())
    return tuple(out)


def _redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


def _wrap(exc: Exception, sql: str) -> StoreError:
    first = " ".join(sql.split())[:80]
    return StoreError(f"database error: {exc} (in: {first}…)")


def connect(target: str, *, readonly: bool = False) -> Database:
    return Database(target, readonly=readonly)
