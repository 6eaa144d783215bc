"""Batch throughput: the same articles on 1 and 2 local processes and on Dask with 2 workers.

    python benchmarks/batch_bench.py [--articles 2000] [--runs local1,local2,dask2]

Prints, for each run, articles/s over the whole run (worker start-up included) and in steady state
(from the first result to the last, once every worker has built its pipeline), the scaling ratio
against one process, Dask against local processes at equal worker count, and the peak resident
memory of each worker process. The articles come from ``ingest_bench.synthesise`` (templates written
for the ingest benchmark), read from memory so that only analysing and storing are measured.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest_bench import synthesise  # noqa: E402

from dragoman.ingest.raw import RawArticle  # noqa: E402
from dragoman.runners import DaskEngine, LocalEngine, Outcome, PartitionReport, run_batch  # noqa: E402
from dragoman.runners.base import Engine  # noqa: E402
from dragoman.store import Store  # noqa: E402


class MemorySampler(threading.Thread):
    """Peak RSS of every descendant process (the workers), sampled twice a second."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak: dict[int, tuple[str, int]] = {}
        self._halt = threading.Event()

    def run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._halt.is_set():
            for p in me.children(recursive=True):
                try:
                    rss = p.memory_info().rss
                    name = " ".join(p.cmdline()[-2:])[-40:]
                except psutil.Error:
                    continue
                if rss > self.peak.get(p.pid, ("", 0))[1]:
                    self.peak[p.pid] = (name, rss)
            self._halt.wait(0.5)

    def stop(self) -> None:
        self._halt.set()
        self.join()


@dataclass
class Timed:
    """Wraps an engine and notes when each batch of outcomes comes back."""

    engine: Engine
    stamps: list[tuple[float, int]] = field(default_factory=list)

    @property
    def workers(self) -> int:
        return self.engine.workers

    def map_unordered(self, batches: Iterable[list[RawArticle]]) -> Iterator[list[Outcome]]:
        for outcomes in self.engine.map_unordered(batches):
            self.stamps.append((time.perf_counter(), len(outcomes)))
            yield outcomes

    def run_partitions(self, paths: list[str], out_dir: str, fields: dict[str, str]) -> Iterator[PartitionReport]:
        return self.engine.run_partitions(paths, out_dir, fields)

    def close(self) -> None:
        self.engine.close()


@dataclass
class Figures:
    name: str
    workers: int
    articles: int
    wall: float
    steady: float
    failed: int
    peak_worker_mb: float
    parent_mb: float
    per_article_ms: float  # time inside analyse() per article, as the workers measured it


def run_one(name: str, articles: list[RawArticle], tmp: Path) -> Figures:
    kind, workers = name.rstrip("0123456789"), int(name[len(name.rstrip("0123456789")):] or 1)
    sampler = MemorySampler()
    sampler.start()
    engine: Engine = LocalEngine(workers) if kind == "local" else DaskEngine(workers)
    timed = Timed(engine)
    db = tmp / f"{name}.db"
    t0 = time.perf_counter()
    try:
        with Store(db) as store:
            summary = run_batch(articles, store, timed, batch_size=1 if kind == "local" else 4)
        wall = time.perf_counter() - t0
    finally:
        engine.close()
        sampler.stop()
    # Steady state: from the first batch back (every worker has its pipeline by then) to the last.
    first_t, first_n = timed.stamps[0]
    last_t = timed.stamps[-1][0]
    rest = sum(n for _, n in timed.stamps) - first_n
    steady = rest / (last_t - first_t) if last_t > first_t else float("nan")
    import resource

    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers_rss = [rss for _, rss in sampler.peak.values()]
    return Figures(
        name, workers, len(articles), wall, steady, summary.failed,
        max(workers_rss, default=0) / 2**20, parent,
        1000 * summary.seconds_analysing / max(1, summary.seen),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--runs", default="local1,local2,dask2", help="comma-separated: localN or daskN")
    args = ap.parse_args()
    # Distinct raw texts only: a repeated text would be skipped as already stored and flatter a run.
    seen: set[str] = set()
    articles = [a for a in synthesise(args.articles * 2) if not (a.text in seen or seen.add(a.text))]
    articles = articles[: args.articles]
    load = os.getloadavg()[0]
    print(f"{len(articles)} articles, {os.cpu_count()} cores, load average {load:.2f} at start")
    figures: dict[str, Figures] = {}
    with tempfile.TemporaryDirectory(prefix="dragoman-batch-bench-") as tmp:
        for name in args.runs.split(","):
            f = run_one(name.strip(), articles, Path(tmp))
            figures[f.name] = f
            print(
                f"{f.name:>7}: {f.articles / f.wall:6.1f} articles/s overall ({f.wall:5.1f} s), "
                f"{f.steady:6.1f} articles/s steady; failed {f.failed}; "
                f"peak worker RSS {f.peak_worker_mb:,.0f} MB; parent {f.parent_mb:,.0f} MB; "
                # Rising per-article time across runs means the cores were shared with other work.
                f"{f.per_article_ms:.0f} ms in analyse() per article"
            )
    one = figures.get("local1")
    for name, f in figures.items():
        if one and name != "local1":
            print(f"scaling {name} / local1: {f.steady / one.steady:.2f}x steady, "
                  f"{one.wall / f.wall:.2f}x overall")
    for name, f in figures.items():
        local = figures.get(f"local{f.workers}")
        if name.startswith("dask") and local:
            print(f"{name} vs local{f.workers}: {100 * (f.steady / local.steady - 1):+.1f}% steady, "
                  f"{100 * (local.wall / f.wall - 1):+.1f}% overall")
    print(f"load average {os.getloadavg()[0]:.2f} at the end (other work on the machine skews the figures)")


if __name__ == "__main__":
    main()
