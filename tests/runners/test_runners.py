"""Batch runners end to end: local processes and a real Dask LocalCluster store what one process stores."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dragoman.cli import main
from dragoman.ingest import ingest
from dragoman.ingest.raw import SourceFailure
from dragoman.ingest.run import IngestSummary
from dragoman.runners import DaskEngine, LocalEngine, iter_inputs, iter_result_shards, load_outcomes, run_batch
from dragoman.runners.dask import local_cluster
from dragoman.store import Store

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus.jsonl"  # 8 English articles, 1 French one, 1 line of broken JSON
N_ARTICLES = 8


def stored(store: Store) -> dict[str, dict[str, Any]]:
    """Every stored result by article id, as the JSON the store keeps."""
    return {r.article.id: r.to_dict() for r in store.iter_results()}


def analysis(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """What the analysis found, without where the article was read from (the source path)."""
    return {
        aid: {k: v for k, v in r.items() if k != "article"} | {"text": r["article"]["text"]}
        for aid, r in results.items()
    }


def failure_types(store: Store) -> dict[str, str]:
    return {f.source or "": f.error_type for f in store.failures()}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The single-process ingest of the corpus: what every parallel run must reproduce."""
    with Store(tmp_path_factory.mktemp("single") / "single.db") as store:
        summary = ingest(store, iter_inputs([str(CORPUS)]))
        assert summary.stored + summary.near_duplicates == N_ARTICLES
        results = stored(store)
    assert len(results) == N_ARTICLES
    assert sum(len(r["events"]) for r in results.values()) > 0
    return results


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with local_cluster(2, memory_limit="1GB") as c:
        yield c


def assert_failures_recorded(store: Store) -> None:
    kinds = failure_types(store)
    french = [s for s in kinds if s.endswith("#fr1")]
    assert french and kinds[french[0]] == "UnsupportedLanguageError"
    reasons = {f.source: f.reason for f in store.failures()}
    assert "English" in reasons[french[0]]
    assert "JSONDecodeError" in kinds.values()  # the broken line, with its line number as source
    assert any(s.endswith("corpus.jsonl:6") for s in kinds)


def test_two_local_processes_with_one_killed_store_the_single_process_results(
    reference: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    db = tmp_path / "local.db"
    with Store(db) as store, LocalEngine(2) as engine:
        killed: list[int] = []

        def kill_a_worker(summary: IngestSummary, kind: str) -> None:
            # After the first result, kill one pool process: the pool breaks, and the engine must
            # start a new one and resubmit what was in flight.
            pool = engine._pool
            if not killed and pool is not None and pool._processes:
                killed.append(next(iter(pool._processes)))
                os.kill(killed[0], signal.SIGKILL)

        summary = run_batch(iter_inputs([str(CORPUS)]), store, engine, write_batch=1, on_item=kill_a_worker)
        assert killed and engine.restarts == 1
        assert summary.stored + summary.near_duplicates == N_ARTICLES
        assert summary.failed == 2
        assert stored(store) == reference
        assert_failures_recorded(store)
        before = store.stats()

    # A re-run through `dragoman ingest --workers 2` finds every article by its raw hash: nothing is
    # stored again (only the failed French article is tried again, and fails again: exit 2).
    assert main(["ingest", str(CORPUS), "--db", str(db), "--workers", "2", "-q"]) == 2
    with Store(db) as store:
        after = store.stats()
        assert (after["articles"], after["events"]) == (before["articles"], before["events"])
        assert stored(store) == reference


def test_dask_run_with_a_worker_killed_mid_run_stores_the_single_process_results(
    reference: dict[str, dict[str, Any]], cluster: Any, tmp_path: Path
) -> None:
    from distributed import Client

    with Client(cluster) as client:
        client.wait_for_workers(2)
        pids_before = client.run(os.getpid)
        killed: dict[str, int] = {}

        def kill_a_busy_worker(summary: IngestSummary, kind: str) -> None:
            # After the first result is in, take down a worker that is in the middle of a task.
            if killed:
                return
            busy = [addr for addr, keys in client.processing().items() if keys]
            if busy:
                killed[busy[0]] = pids_before[busy[0]]
                # The call never returns (the process is gone), so its error is ignored.
                client.run(os._exit, 1, workers=[busy[0]], on_error="ignore")

        with Store(tmp_path / "dask.db") as store:
            engine = DaskEngine(client=client, max_in_flight=2)
            summary = run_batch(
                iter_inputs([str(CORPUS)]), store, engine, batch_size=1, write_batch=1,
                on_item=kill_a_busy_worker,
            )
            assert killed, "no worker was busy after the first result"
            assert summary.stored + summary.near_duplicates == N_ARTICLES
            assert stored(store) == reference
            assert_failures_recorded(store)

            again = run_batch(iter_inputs([str(CORPUS)]), store, engine)
            assert again.stored == again.near_duplicates == 0 and again.present == N_ARTICLES
            engine.close()  # the client belongs to the test: closing the engine leaves it open
            assert client.status == "running"
        pids_after = set(client.run(os.getpid).values())
        assert next(iter(killed.values())) not in pids_after


def test_result_shards_from_a_running_scheduler_load_into_the_store(
    reference: dict[str, dict[str, Any]], cluster: Any, tmp_path: Path
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    # Two input shards of different kinds: the first rows as Parquet, the rest as JSONL.
    lines = CORPUS.read_text(encoding="utf-8").splitlines(keepends=True)
    rows = [json.loads(line) for line in lines[:4]]
    inputs = tmp_path / "in"
    inputs.mkdir()
    pq.write_table(pa.Table.from_pylist(rows), inputs / "part-0.parquet")
    (inputs / "part-1.jsonl").write_text("".join(lines[4:]), encoding="utf-8")
    out, db = tmp_path / "out", tmp_path / "loaded.db"
    address = cluster.scheduler_address

    # the French article and the broken line failed, the others were analysed: exit 2, as ingest
    assert main(["batch", str(inputs), "--scheduler", address, "--output", str(out), "-q"]) == 2
    shards = sorted(out.glob("*.parquet"))
    assert [s.name.split("-")[1] for s in shards] == ["0", "1"]  # one result shard per input shard
    table = pq.read_table(shards[1])
    assert {"id", "source", "published", "result", "error"} <= set(table.column_names)
    assert sorted(e for e in table.column("error_type").to_pylist() if e) == [
        "JSONDecodeError", "UnsupportedLanguageError",
    ]

    assert main(["load", str(out), "--db", str(db), "-q"]) == 2  # the shards hold the two failures
    with Store(db) as store:
        assert analysis(stored(store)) == analysis(reference)
        assert store.stats()["failures"] == 2
        ids = set(stored(store))
    # Running both again changes nothing: written shards are skipped, stored articles too.
    mtimes = [s.stat().st_mtime_ns for s in shards]
    assert main(["batch", str(inputs), "--scheduler", address, "--output", str(out), "-q"]) == 0
    assert [s.stat().st_mtime_ns for s in sorted(out.glob("*.parquet"))] == mtimes
    assert main(["load", str(out), "--db", str(db), "-q"]) == 2
    with Store(db) as store:
        assert set(stored(store)) == ids


def test_read_failures_reach_the_store_without_a_worker(tmp_path: Path) -> None:
    # Nothing to analyse: the pool is never started, and the missing input is still recorded.
    with Store(tmp_path / "x.db") as store, LocalEngine(2) as engine:
        summary = run_batch(iter_inputs([str(tmp_path / "missing.jsonl")]), store, engine)
        assert engine._pool is None
    items = list(iter_inputs([str(tmp_path / "missing.jsonl")]))
    assert isinstance(items[0], SourceFailure)
    assert summary.failed == 1 and summary.reasons["FileNotFoundError"] == 1


def test_local_processes_write_one_result_shard_per_input_and_skip_it_next_time(
    reference: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    shard = tmp_path / "two.jsonl"
    shard.write_text("".join(CORPUS.read_text(encoding="utf-8").splitlines(keepends=True)[:2]), encoding="utf-8")
    out = tmp_path / "out"
    with LocalEngine(1) as engine:
        (report,) = list(engine.run_partitions([str(shard)], str(out), {}))
        assert (report.rows, report.failed, report.skipped) == (2, 0, False)
        (again,) = list(engine.run_partitions([str(shard)], str(out), {}))
        assert again.skipped and again.output == report.output
    with Store(tmp_path / "loaded.db") as store:
        summary = load_outcomes(iter_result_shards([str(out)]), store)
        assert summary.stored == 2
        got = analysis(stored(store))
    assert got == {aid: r for aid, r in analysis(reference).items() if aid in got}
