"""Memory of writing a long text's result as JSON: the whole document at once against record by record.

Analyses the project's example articles (joined as one text) once, merges copies of that result
with the segment merger (``dragoman.segments.ResultMerger``, as a long text's segments are) at
shifted offsets until the text is ``--mb`` MB, and writes the result to /dev/null in a fresh
process per way: "whole" is ``json.dumps(result.to_dict(), indent=2)`` and its text written at
once (what ``dragoman analyze --format json`` did), "streamed" is ``ArticleResult.json_chunks``
written piece by piece (what it does now). Prints the resident memory before writing, the peak,
and their difference: the cost of writing.

    python benchmarks/json_output_bench.py [--mb 5]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _write(way: str, mb: float) -> None:
    from dragoman import segments
    from dragoman.analyse import analyse
    from dragoman.nlp import load_pipeline

    text = "\n\n".join(p.read_text(encoding="utf-8").strip() for p in sorted((ROOT / "examples").glob("*.txt")))
    one = analyse(text, pipeline=load_pipeline())
    part = one.to_dict()
    base = one.article.text
    copies = max(1, int(mb * 1e6) // len(base.encode()))
    merger = segments.ResultMerger()
    for k in range(copies):
        merger.add(part, k * len(base))
    result = merger.result(replace(one.article, text=base * copies), one.meta)
    del one, part, merger
    gc.collect()
    before = _rss_mb()
    with open(os.devnull, "w", encoding="utf-8") as out:
        if way == "whole":
            whole = json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
            out.write(whole + "\n")
            size = len(whole)
        else:
            size = 0
            for chunk in result.json_chunks(indent=2):
                out.write(chunk)
                size += len(chunk)
            out.write("\n")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    print(f"{way:9s} {len(result.article.text):10d} {len(result.events):8d} {size / 1e6:9.0f} "
          f"{before:10.0f} {peak:9.0f} {peak - before:9.0f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=5.0, help="size of the text whose result is written (default 5)")
    ap.add_argument("--way", choices=["whole", "streamed"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.way:
        _write(args.way, args.mb)
        return
    print(f"{'way':9s} {'chars':>10s} {'events':>8s} {'JSON MB':>9s} {'RSS MB':>10s} {'peak MB':>9s} {'writing':>9s}")
    for way in ("whole", "streamed"):
        subprocess.run([sys.executable, __file__, "--mb", str(args.mb), "--way", way], check=True)


if __name__ == "__main__":
    main()
