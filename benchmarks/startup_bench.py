"""Start-up cost: building dragoman's pipeline against loading the bare spaCy model, and a worker's memory.

usage: python benchmarks/startup_bench.py [--rounds N] [--articles N]

Each measurement runs in a fresh interpreter, so nothing is cached in memory between them; the
rounds alternate (bare, pipeline, places, ...) so that load on the machine falls on all alike, and
the median of each is printed. Reported:

- bare spaCy: import spaCy and load the model;
- pipeline: import dragoman and build its whole pipeline (model, KB rulers, gazetteer, lexicon);
- places: open the gazetteer alone (time and resident-memory growth), after importing dragoman;
- worker: build the pipeline and analyse N example articles; the process's peak RSS.

The gazetteer file is built once beforehand (as on first use) and is not part of the figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_BARE = """
import time, json
t0 = time.perf_counter()
import spacy
from dragoman.config import load_settings
spacy.load(load_settings().model)
print(json.dumps({"s": time.perf_counter() - t0}))
"""

_PIPELINE = """
import time, json
t0 = time.perf_counter()
from dragoman.nlp import Pipeline
Pipeline.build()
print(json.dumps({"s": time.perf_counter() - t0}))
"""

_PLACES = """
import time, json, resource
import dragoman.resolve.places
def rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20
r0 = rss()
t0 = time.perf_counter()
from dragoman.resolve.places_gazetteer import Gazetteer
g = Gazetteer.load()
s = time.perf_counter() - t0
for name in ("Mosul", "Springfield", "Washington", "Kirkuk", "Georgia"):
    g.resolve(name)
print(json.dumps({"s": s, "mb": rss() - r0}))
"""

_WORKER = """
import json, resource, sys
from pathlib import Path
from dragoman.analyse import analyse
from dragoman.nlp import load_pipeline
root = Path(sys.argv[1])
paths = sorted((root / "examples").glob("*.txt"))
pipe = load_pipeline()
n = int(sys.argv[2])
for i in range(n):
    analyse(paths[i % len(paths)].read_text(encoding="utf-8"), published="2025-01-01", pipeline=pipe)
print(json.dumps({"mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(code: str, *args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True,
                         text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--articles", type=int, default=20)
    args = parser.parse_args()
    from dragoman.resolve.places_build import ensure_database

    print(f"gazetteer file: {ensure_database()}")
    bare, pipe, places_s, places_mb = [], [], [], []
    for _ in range(args.rounds):
        bare.append(run(_BARE)["s"])
        pipe.append(run(_PIPELINE)["s"])
        p = run(_PLACES)
        places_s.append(p["s"])
        places_mb.append(p["mb"])
    worker = run(_WORKER, str(ROOT), str(args.articles))["mb"]
    b, q = statistics.median(bare), statistics.median(pipe)
    print(f"bare spaCy load:     {b:.2f} s (median of {args.rounds})")
    print(f"pipeline build:      {q:.2f} s = {q / b:.2f}x bare spaCy (target <= 2x)")
    print(f"places (gazetteer):  {statistics.median(places_s):.3f} s, "
          f"+{statistics.median(places_mb):.0f} MB resident (target <= 0.5 s, <= 100 MB)")
    print(f"one worker, {args.articles} articles: peak RSS {worker:.0f} MB (target <= 700 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
