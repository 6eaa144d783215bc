"""Batch bookkeeping: exit codes, failures recorded once, workers that die with their parent,
half-written shards removed, several JSON results as one document."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from dragoman.cli import main
from dragoman.runners.shards import remove_stale_tmp
from dragoman.store import Store

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "examples" / "sahel-attack.txt"


def _failure_rows(db: Path) -> list[tuple[str, str]]:
    with Store(db) as store:
        return [(f.source or "", f.error_type) for f in store.failures(limit=100)]


def test_ingest_exits_2_when_some_items_fail_and_records_each_failure_once(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "good.txt").write_bytes(GOOD.read_bytes())
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "rows.jsonl").write_text('{"text": "no closing brace"\n', encoding="utf-8")
    db = tmp_path / "c.db"
    assert main(["ingest", str(corpus), "--db", str(db), "-q"]) == 2
    first = _failure_rows(db)
    assert len(first) == 2
    assert main(["ingest", str(corpus), "--db", str(db), "-q"]) == 2  # the re-run fails the same two
    assert sorted(_failure_rows(db)) == sorted(first)
    only_bad = tmp_path / "bad"
    only_bad.mkdir()
    (only_bad / "empty.txt").write_bytes(b"")
    assert main(["ingest", str(only_bad), "--db", str(tmp_path / "d.db"), "-q"]) == 1


def test_stale_shard_files_of_dead_processes_are_removed(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".part-0001.parquet.{dead.pid}.tmp"
    live = tmp_path / f".part-0002.parquet.{os.getpid()}.tmp"
    done = tmp_path / "part-0003.parquet"
    for p in (stale, live, done):
        p.write_bytes(b"x")
    assert remove_stale_tmp(tmp_path) == [stale]
    assert not stale.exists() and live.exists() and done.exists()
    assert remove_stale_tmp(tmp_path / "missing") == []


PARENT = """
import multiprocessing, os, sys, time
from dragoman.runners.worker import _die_with_parent

def child():
    _die_with_parent(interval=0.1)
    time.sleep(120)

if __name__ == "__main__":
    p = multiprocessing.get_context("spawn").Process(target=child)
    p.start()
    print(p.pid, flush=True)
    time.sleep(120)
"""


def test_a_worker_exits_when_its_parent_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "parent.py"
    script.write_text(PARENT, encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    time.sleep(1.0)  # let the child start its watch
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            break
        if state in ("Z", "X"):  # exited; only waiting for whoever adopted it to reap it
            break
        try:  # reap it if it was handed to us
            os.waitpid(child, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.1)
    else:
        os.kill(child, signal.SIGKILL)
        raise AssertionError("the worker outlived its parent")


def test_json_for_several_articles_is_one_document(tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Police arrested 14 protesters in Nairobi on Thursday, a police spokesman said.",
                     encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "dragoman.cli", "analyze", "--format", "json", str(GOOD),
                           str(other), str(tmp_path / "missing.txt")], capture_output=True, timeout=300)
    assert proc.returncode == 2
    results = json.loads(proc.stdout)
    assert [r["article"]["source"] for r in results] == [str(GOOD), str(other)]


CORPUS = ROOT / "tests" / "runners" / "data" / "corpus.jsonl"  # a1..a8 English, fr1 French, one broken line


def _rows(*ids: str) -> str:
    lines = [line for line in CORPUS.read_text(encoding="utf-8").splitlines(keepends=True) if line.strip()]
    by_id = {json.loads(line)["id"]: line for line in lines if line.rstrip().endswith("}")}
    return "".join(by_id[i] for i in ids)


def test_batch_exits_like_ingest_with_one_bad_article_among_good_ones(tmp_path: Path) -> None:
    mixed, french = tmp_path / "mixed.jsonl", tmp_path / "french.jsonl"
    mixed.write_text(_rows("a1", "fr1", "a2"), encoding="utf-8")
    french.write_text(_rows("fr1"), encoding="utf-8")
    db = tmp_path / "b.db"
    assert main(["batch", str(mixed), "--db", str(db), "--workers", "1", "-q"]) == 2
    with Store(db) as store:
        assert store.stats()["articles"] == 2
    assert [t for _, t in _failure_rows(db)] == ["UnsupportedLanguageError"]
    broken = tmp_path / "broken.jsonl"  # nothing readable: no worker is even started
    broken.write_text('{"id": "x", "text": "no closing brace\n', encoding="utf-8")
    assert main(["batch", str(broken), "--db", str(tmp_path / "f.db"), "--workers", "1", "-q"]) == 1
    good = tmp_path / "good.jsonl"
    good.write_text(_rows("a1", "a2"), encoding="utf-8")
    assert main(["batch", str(good), "--db", str(db), "--workers", "1", "-q"]) == 0  # stored already: all good

    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = out / f".mixed-0000.parquet.{dead.pid}.tmp"  # what a killed run left half-written
    stale.write_bytes(b"PAR1")
    assert main(["batch", str(mixed), "--output", str(out), "--workers", "1", "-q"]) == 2
    assert not stale.exists() and len(list(out.glob("*.parquet"))) == 1
    assert main(["batch", str(french), "--output", str(tmp_path / "out-fr"), "--workers", "1", "-q"]) == 1
    assert main(["batch", str(mixed), "--output", str(out), "--workers", "1", "-q"]) == 0  # shard written before


def test_load_exits_like_ingest_and_a_corrupt_shard_does_not_stop_it(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from dragoman.ingest.raw import RawArticle
    from dragoman.runners.shards import write_result_shard
    from dragoman.runners.worker import analyse_raw

    raws = [RawArticle(json.loads(_rows(i))["text"], source=i) for i in ("a1", "fr1")]
    shards = tmp_path / "shards"
    write_result_shard([analyse_raw(r) for r in raws], shards / "part-0.parquet")
    (shards / "part-1.parquet").write_bytes(b"PAR1 this is not a Parquet file")
    # the good row of part-0 alone, as a shard of its own
    good = tmp_path / "good"
    good.mkdir()
    table = pq.read_table(shards / "part-0.parquet")
    pq.write_table(table.filter(table.column("error_type").is_null()), good / "part-0.parquet")

    db = tmp_path / "l.db"
    assert main(["load", str(shards), "--db", str(db), "-q"]) == 2
    with Store(db) as store:
        assert store.stats()["articles"] == 1
    assert sorted(t for _, t in _failure_rows(db)) == ["ShardError", "UnsupportedLanguageError"]
    assert main(["load", str(shards / "part-1.parquet"), "--db", str(tmp_path / "m.db"), "-q"]) == 1
    assert main(["load", str(good), "--db", str(tmp_path / "g.db"), "-q"]) == 0
    assert main(["load", str(good), "--db", str(db), "-q"]) == 0  # already stored: nothing failed


def test_killing_a_batch_takes_its_workers_and_resource_tracker_with_it(tmp_path: Path) -> None:
    import psutil

    corpus = tmp_path / "c.jsonl"
    corpus.write_text(_rows("a1", "a2", "a3"), encoding="utf-8")
    batch = psutil.Popen([sys.executable, "-m", "dragoman.cli", "batch", str(corpus), "--db", str(tmp_path / "k.db"),
                          "--workers", "1", "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    helpers: list[psutil.Process] = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and batch.poll() is None:
        helpers = batch.children(recursive=True)
        kinds = " ".join(" ".join(p.cmdline()) for p in helpers if p.is_running())
        if "resource_tracker" in kinds and "spawn_main" in kinds:
            break
        time.sleep(0.2)
    else:
        batch.kill()
        raise AssertionError("the batch never started its worker")
    time.sleep(1.0)  # the worker is in its initializer or analysing
    batch.send_signal(signal.SIGKILL)
    batch.wait()

    def running(p: psutil.Process) -> bool:
        try:
            return p.status() not in (psutil.STATUS_ZOMBIE, psutil.STATUS_DEAD)
        except psutil.NoSuchProcess:
            return False

    deadline = time.monotonic() + 60
    while any(running(p) for p in helpers) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [" ".join(p.cmdline())[:80] for p in helpers if running(p)]
    for p in helpers:
        if running(p):
            p.kill()
    assert not left, f"outlived the batch: {left}"
