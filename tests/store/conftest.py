"""Fixtures for the store tests: a real SQLite file and a real PostgreSQL server started here."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dragoman.store import Store

# The suite runs with --import-mode=importlib, which does not put test folders on sys.path; the
# hand-built sample articles live in a plain module beside this file.
sys.path.insert(0, str(Path(__file__).parent))


def _pg_bindir() -> Path | None:
    """PostgreSQL server binaries: $DRAGOMAN_PG_BIN, the newest /usr/lib/postgresql/*/bin, or PATH."""
    env = os.environ.get("DRAGOMAN_PG_BIN")
    if env:
        return Path(env)
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """A throw-away PostgreSQL cluster in a temporary folder, run as the ``postgres`` user when root."""

    def __init__(self) -> None:
        bindir = _pg_bindir()
        if bindir is None:
            pytest.fail(
                "PostgreSQL server binaries not found: apt-get install -y postgresql "
                "(or set DRAGOMAN_PG_BIN to the folder holding initdb and pg_ctl)"
            )
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="dragoman-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            # initdb refuses to run as root; the data folder must belong to the server's user.
            shutil.chown(self.root, "postgres", "postgres")
            os.chmod(self.root, 0o700)
        self.user = "postgres" if self.as_root else os.environ.get("USER", "postgres")
        self._run(
            [
                str(bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                self.user,
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale",
                "C",
            ]
        )
        opts = (
            f"-c listen_addresses='' -c unix_socket_directories={self.root} -p {self.port} "
            "-c fsync=off -c full_page_writes=off -c max_connections=50"
        )
        self._run(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                opts,
                "-w",
                "-t",
                "60",
                "-l",
                str(self.root / "log"),
                "start",
            ]
        )
        self.counter = 0

    def _run(self, cmd: list[str]) -> None:
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            log = (self.root / "log").read_text() if (self.root / "log").exists() else ""
            raise RuntimeError(f"{cmd} failed: {proc.stdout}{proc.stderr}{log}")

    def url(self, dbname: str) -> str:
        return f"postgresql://{self.user}@/{dbname}?host={self.root}&port={self.port}"

    def new_database(self) -> str:
        import psycopg

        self.counter += 1
        name = f"t{os.getpid()}_{self.counter}_{int(time.time() * 1000) % 100000}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"])
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    server = PgServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "corpus.db")
    server: PgServer = request.getfixturevalue("pg_server")
    return server.new_database()


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store(db_url)
    try:
        yield s
    finally:
        s.close()
