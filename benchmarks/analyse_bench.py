"""Throughput and memory of the full analysis against the bare spaCy pipeline on the same texts.

usage: python benchmarks/analyse_bench.py [--articles N]

Prints words/s and articles/s on one core for the bare spaCy model and for dragoman's full
analysis, their ratio (elapsed, and in CPU time, which other processes on a busy machine
disturb less), and the peak resident memory of the process. Each article goes through the bare
model and then through the analysis, so that a change of load falls on both alike. The texts are the project's
example articles and the reference article (when ../shared is present), repeated to N articles;
each repetition gets a distinct first line so that no cache can short-circuit the work.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def texts(n: int) -> list[str]:
    sources = sorted((ROOT / "examples").glob("*.txt"))
    ref = ROOT.parent / "shared" / "examples" / "iraq-militias-disarm.txt"
    if ref.exists():
        sources.append(ref)
    base = [p.read_text(encoding="utf-8") for p in sources]
    return [f"Item {i}.\n" + base[i % len(base)] for i in range(n)]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=60)
    args = parser.parse_args()
    from dragoman.analyse import analyse
    from dragoman.nlp import load_pipeline, load_spacy

    docs = texts(args.articles)
    words = sum(len(t.split()) for t in docs)

    t0 = time.perf_counter()
    pipe = load_pipeline()
    load_s = time.perf_counter() - t0
    analyse(docs[0], published="2025-01-01", pipeline=pipe)  # warm-up

    bare = load_spacy(pipe.settings.model)
    bare(docs[0])
    # each article through the bare model, then through the analysis: a change of load on the
    # machine falls on both alike
    bare_s = bare_cpu = full_s = full_cpu = 0.0
    for t in docs:
        t0, c0 = time.perf_counter(), time.process_time()
        bare(t)
        t1, c1 = time.perf_counter(), time.process_time()
        analyse(t, published="2025-01-01", pipeline=pipe)
        t2, c2 = time.perf_counter(), time.process_time()
        bare_s, bare_cpu = bare_s + t1 - t0, bare_cpu + c1 - c0
        full_s, full_cpu = full_s + t2 - t1, full_cpu + c2 - c1

    print(f"articles: {len(docs)}, words: {words}, pipeline load: {load_s:.2f} s")
    print(f"bare spaCy ({pipe.settings.model}): {words / bare_s:,.0f} words/s, "
          f"{len(docs) / bare_s:.2f} articles/s per core")
    print(f"full analysis:      {words / full_s:,.0f} words/s, {len(docs) / full_s:.2f} articles/s per core")
    print(f"ratio full/bare: {bare_s / full_s:.2f} (elapsed); {bare_cpu / full_cpu:.2f} (CPU time, "
          "steadier on a shared machine)")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
