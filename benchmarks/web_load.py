"""Bounded load test of the events API: fills a SQLite corpus with >= 100,000 events, serves it on
loopback with uvicorn and reports requests/s and p50/p95 latency for a few filter combinations.

    .venv/bin/python benchmarks/web_load.py [--events 100000] [--requests 400] [--db PATH]

Not a test: it prints figures and asserts nothing. Articles are synthetic ArticleResult records
(analysing 10,000 real articles would take most of an hour); they go in through Store.add_many,
the store's bulk path.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from dragoman.plover import EVENT_TYPES, intensity_of, quad_of
from dragoman.records import ArticleResult
from dragoman.store import Store

ACTORS = [("Iraqi Armed Forces", "military", "IRQ"), ("Islamic State", "armed_group", None),
          ("Kataib Hezbollah", "armed_group", "IRQ"), ("Government of Turkey", "government", "TUR"),
          ("Kurdistan Workers' Party", "armed_group", "TUR"), ("Sudanese Armed Forces", "military", "SDN"),
          ("Rapid Support Forces", "armed_group", "SDN"), ("United Nations", "igo", None),
          ("Government of Iran", "government", "IRN"), ("Protesters", "civilians", "IRQ")]
PLACES = [("Mosul", "IRQ", 36.34, 43.13, 99072), ("Baghdad", "IRQ", 33.34, 44.40, 98182),
          ("Basra", "IRQ", 30.51, 47.78, 99532), ("Khartoum", "SDN", 15.55, 32.53, 379252),
          ("Duhok", "IRQ", 36.87, 42.99, 98463), ("Ankara", "TUR", 39.92, 32.85, 323786)]
TYPES = sorted(EVENT_TYPES)


def synthetic(i: int, rng: random.Random, events_per_article: int) -> ArticleResult:
    words = []
    ents, evs = [], []
    sentences = []
    for k in range(events_per_article):
        a, r = rng.sample(range(len(ACTORS)), 2)
        sentences.append(f"{ACTORS[a][0]} acted against {ACTORS[r][0]} in {PLACES[k % len(PLACES)][0]} "
                         f"(report {i}-{k}).")
    text = " ".join(sentences)
    pos = 0
    used: dict[int, str] = {}
    places = []
    for k, s in enumerate(sentences):
        a_name = s.split(" acted against ")[0]
        a = [x[0] for x in ACTORS].index(a_name)
        r_name = s.split(" acted against ")[1].split(" in ")[0]
        r = [x[0] for x in ACTORS].index(r_name)
        for idx, name, off in ((a, a_name, pos), (r, r_name, pos + s.index(r_name))):
            if idx not in used:
                used[idx] = f"e{idx}"
                ents.append({"id": f"e{idx}", "name": name, "kind": ACTORS[idx][1], "country": ACTORS[idx][2],
                             "sector": None, "kb_id": None, "wikidata": None, "mentions": []})
            next(e for e in ents if e["id"] == used[idx])["mentions"].append(
                {"start": off, "end": off + len(name), "text": name})
        p = PLACES[k % len(PLACES)]
        pid = f"p{k % len(PLACES)}"
        if not any(x["id"] == pid for x in places):
            places.append({"id": pid, "name": p[0], "country": p[1], "admin1": None, "lat": p[2], "lon": p[3],
                           "geonameid": p[4], "feature": "city", "mentions": []})
        t = TYPES[rng.randrange(len(TYPES))]
        day = f"20{rng.randint(20, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        trig = pos + s.index("acted")
        evs.append({"id": f"ev{k}", "event": t, "mode": None, "context": [], "actor": [used[a]],
                    "recipient": [used[r]], "places": [pid], "date": {"value": day, "basis": "text"},
                    "modality": {"certainty": "asserted", "time": "past", "negated": False,
                                 "conditional": False},
                    "attribution": None, "trigger": {"start": trig, "end": trig + 5, "text": "acted"},
                    "sentence": {"start": pos, "end": pos + len(s)}, "quad": quad_of(t),
                    "intensity": intensity_of(t), "confidence": 0.8})
        pos += len(s) + 1
    words.append(text)
    d = {"article": {"id": f"sha256:{i:064x}", "source": f"synthetic/{i}", "text": text, "title": f"Report {i}",
                     "url": None, "outlet": "Synthetic", "wire": [], "dateline": None, "published": "2025-01-01",
                     "published_basis": "user", "language": "en"},
         "entities": ents, "relations": [], "events": evs, "quotes": [], "places": places, "times": [],
         "quantities": []}
    return ArticleResult.from_dict(d)


def fill(db: Path, n_events: int) -> None:
    rng = random.Random(7)
    per = 10
    n_articles = (n_events + per - 1) // per
    t0 = time.perf_counter()
    with Store(db) as store:
        batch: list[ArticleResult] = []
        for i in range(n_articles):
            batch.append(synthetic(i, rng, per))
            if len(batch) == 500:
                store.add_many(batch, dedupe=False)
                batch = []
        if batch:
            store.add_many(batch, dedupe=False)
        n = store.count_events()
    print(f"filled {db}: {n:,} events in {n_articles:,} articles, {time.perf_counter() - t0:.1f} s")


QUERIES: list[dict[str, Any]] = [
    {},
    {"type": "ASSAULT"},
    {"country": "IRQ"},
    {"actor": "Kataib Hezbollah", "since": "2024-01"},
    {"place": "Mosul", "quad": 4},
    {"since": "2023-03", "until": "2023-06"},
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=600, help="total requests (bounded)")
    ap.add_argument("--db", type=Path, default=None, help="reuse or create this database")
    args = ap.parse_args()
    db = args.db or Path(tempfile.mkdtemp()) / "load.db"
    if not db.exists():
        fill(db, args.events)

    import uvicorn

    from dragoman.web.app import create_app

    with __import__("socket").socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}/api/events"
    latencies: dict[int, list[float]] = {i: [] for i in range(len(QUERIES))}
    with httpx.Client(timeout=30) as client:
        for q in QUERIES:  # warm the page cache once per query shape
            client.get(base, params={**q, "limit": 50}).raise_for_status()
        t0 = time.perf_counter()
        for n in range(args.requests):
            i = n % len(QUERIES)
            start = time.perf_counter()
            r = client.get(base, params={**QUERIES[i], "limit": 50})
            r.raise_for_status()
            latencies[i].append((time.perf_counter() - start) * 1000)
        elapsed = time.perf_counter() - t0
    server.should_exit = True
    thread.join(timeout=10)
    every = sorted(x for v in latencies.values() for x in v)
    print(f"{args.requests} requests (sequential, one client, limit=50) in {elapsed:.2f} s: "
          f"{args.requests / elapsed:.0f} requests/s")
    print(f"all: p50 {statistics.median(every):.1f} ms, p95 {every[int(len(every) * 0.95) - 1]:.1f} ms")
    for i, q in enumerate(QUERIES):
        v = sorted(latencies[i])
        print(f"  {q or 'no filter'}: p50 {statistics.median(v):.1f} ms, p95 {v[int(len(v) * 0.95) - 1]:.1f} ms")


if __name__ == "__main__":
    main()
