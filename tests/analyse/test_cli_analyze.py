"""The analyze command: formats, standard input, and bad input in a batch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

DRAGOMAN = [sys.executable, "-m", "dragoman.cli"]
EXAMPLE = ROOT / "examples" / "sahel-attack.txt"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*DRAGOMAN, *args], input=stdin, capture_output=True, cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[bytes]:
    d = tmp_path_factory.mktemp("bad")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.bin").write_bytes(bytes(range(256)) * 40)
    (d / "huge.txt").write_bytes(b"Troops fired on protesters in the capital. " * 500_000)  # ~21 MB
    (d / "latin1.txt").write_bytes(
        "Police in Bogot\u00e1 arrested twelve protesters on Friday, the mayor\u2019s office said."
        .replace("\u2019", "'").encode("latin-1"))
    (d / "german.txt").write_text(
        "Die Regierung hat am Montag neue Sanktionen gegen das Land verh\u00e4ngt, teilte das "
        "Au\u00dfenministerium in einer Erkl\u00e4rung mit.", encoding="utf-8")
    names = ["empty.txt", "binary.bin", "huge.txt", "latin1.txt", "german.txt"]
    return run("analyze", "--format", "jsonl", *[str(d / n) for n in names])


def test_batch_goes_on_after_bad_files(batch: subprocess.CompletedProcess[bytes]) -> None:
    err = batch.stderr.decode()
    lines = [json.loads(x) for x in batch.stdout.decode().splitlines() if x.strip()]
    assert len(lines) == 1, err
    assert "Bogot\u00e1" in lines[0]["article"]["text"]
    assert lines[0]["article"]["source"].endswith("latin1.txt")
    assert "empty.txt" in err and "empty" in err
    assert "binary.bin" in err and "binary" in err
    assert "huge.txt" in err and "larger than the limit" in err
    assert "german.txt" in err and "German" in err and "not supported yet" in err
    assert batch.returncode == 2


def test_nothing_analysed_is_a_failure(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    proc = run("analyze", str(tmp_path / "empty.txt"))
    assert proc.returncode == 1
    assert b"empty" in proc.stderr


def test_json_from_stdin_and_user_date() -> None:
    text = EXAMPLE.read_bytes()
    proc = run("analyze", "--format", "json", "--published", "2025-03-12", "-", stdin=text)
    assert proc.returncode == 0, proc.stderr.decode()
    result = json.loads(proc.stdout)
    assert result["article"]["source"] == "-"
    assert result["article"]["published"] == "2025-03-12"
    assert result["article"]["published_basis"] == "user"
    assert result["events"], "the example states events"


def test_plover_format_has_plover_fields() -> None:
    proc = run("analyze", "--format", "plover", "--published", "2025-03-12", str(EXAMPLE))
    assert proc.returncode == 0, proc.stderr.decode()
    records = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert records
    for rec in records:
        for key in ("id", "date", "actor", "recipient", "event", "mode", "context", "event_loc",
                    "text_info", "cite_info"):
            assert key in rec


def test_text_report_names_actors_and_events() -> None:
    proc = run("analyze", "--published", "2025-03-12", str(EXAMPLE))
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode()
    for heading in ("Actors", "Events", "Quotes", "Places", "Dates and times", "Quantities"):
        assert heading in out
    assert "ASSAULT" in out and "Mopti" in out
