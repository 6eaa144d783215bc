"""Query latency over a large synthetic corpus: p50/p95 of typical store queries (figures, not a test).

    python benchmarks/query_bench.py [--events 1000000] [--db /tmp/dragoman-query-bench.db]

Events go in through the store's bulk path (Store.bulk_load with Store.add_many batches, without
near-duplicate hashing), so the corpus has the real schema, indexes, catalogues and clusters.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import date, timedelta

from dragoman.records import Article, ArticleResult, Entity, Event, EventDate, Mention, Offsets, Place
from dragoman.store import EventFilter, Store

TYPES = [
    "ASSAULT",
    "ACCUSE",
    "CONSULT",
    "REQUEST",
    "THREATEN",
    "COERCE",
    "PROTEST",
    "AID",
    "SUPPORT",
    "MOBILIZE",
    "RETREAT",
    "AGREE",
    "REJECT",
    "SANCTION",
    "COOPERATE",
    "CONCEDE",
]
COUNTRIES = [
    "IRQ",
    "SYR",
    "SDN",
    "UKR",
    "RUS",
    "ISR",
    "PSE",
    "YEM",
    "LBN",
    "IRN",
    "USA",
    "TUR",
    "MLI",
    "NGA",
    "SOM",
    "ETH",
    "MMR",
    "AFG",
    "PAK",
    "COD",
]
WORDS = (
    "forces militia army police government ministry rebels protesters officials council brigade "
    "front movement alliance party guard commission union coalition"
).split()


def make_actors(rng: random.Random, n: int) -> list[tuple[str, str, str, str]]:
    out = []
    for i in range(n):
        c = rng.choice(COUNTRIES)
        name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {i}"
        out.append((f"bench:actor-{i}", name, c, rng.choice(["GOV", "MIL", "REB", "COP", "CVL", "PTY"])))
    return out


def make_places(rng: random.Random, n: int) -> list[tuple[int, str, str, float, float]]:
    return [
        (900000 + i, f"Town {i}", rng.choice(COUNTRIES), rng.uniform(-30, 50), rng.uniform(-20, 100)) for i in range(n)
    ]


def make_article(rng: random.Random, i: int, n_events: int, actors: list, places: list) -> ArticleResult:
    day0 = date(2020, 1, 1) + timedelta(days=rng.randrange(5 * 365))
    sentences, events, ents, plcs = [], [], {}, {}
    pos = 0
    for j in range(n_events):
        a, r = rng.sample(actors, 2) if rng.random() < 0.7 else (rng.choice(actors), None)
        p = rng.choice(places) if rng.random() < 0.8 else None
        t = rng.choice(TYPES)
        s = f"{a[1]} {t.lower()} {r[1] if r else 'someone'} near {p[1] if p else 'the border'}. "
        for actor in (a, r):
            if actor and actor[0] not in ents:
                ents[actor[0]] = Entity(
                    id=f"e{len(ents) + 1}",
                    name=actor[1],
                    kind="organisation",
                    country=actor[2],
                    sector=actor[3],
                    kb_id=actor[0],
                    mentions=(Mention(pos, pos + len(actor[1]), actor[1]),),
                )
        if p and p[0] not in plcs:
            plcs[p[0]] = Place(id=f"p{len(plcs) + 1}", name=p[1], country=p[2], lat=p[3], lon=p[4], geonameid=p[0])
        trig = pos + len(a[1]) + 1
        d = day0 + timedelta(days=rng.randrange(-3, 1))
        events.append(
            Event(
                id=f"ev{j + 1}",
                event=t,
                trigger=Mention(trig, trig + len(t), t.lower()),
                sentence=Offsets(pos, pos + len(s) - 1),
                actor=(ents[a[0]].id,),
                recipient=(ents[r[0]].id,) if r else (),
                places=(plcs[p[0]].id,) if p else (),
                date=EventDate(d.isoformat(), "text"),
                quad=rng.randint(1, 4),
                intensity=-5.0,
                confidence=0.7,
            )
        )
        sentences.append(s)
        pos += len(s)
    text = "".join(sentences)
    art = Article(
        id=f"sha256:bench{i:012d}",
        text=text,
        source=f"bench/{i}",
        title=f"Report {i}",
        outlet=rng.choice(["Wire A", "Wire B", "Daily C", "Radio D", "Site E"]),
        published=day0.isoformat(),
        published_basis="metadata",
    )
    return ArticleResult(
        article=art,
        entities=tuple(ents.values()),
        events=tuple(events),
        places=tuple(plcs.values()),
        meta=(("dragoman", "bench"), ("kb", "bench")),
    )


def fill(store: Store, n_events: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    actors, places = make_actors(rng, 3000), make_places(rng, 2000)
    per_article, batch = 10, 5000
    n_articles = n_events // per_article
    t0 = time.perf_counter()
    for start in range(0, n_articles, batch):
        results = [
            make_article(rng, i, per_article, actors, places) for i in range(start, min(n_articles, start + batch))
        ]
        store.add_many(results, dedupe=False)
        done = min(n_articles, start + batch)
        if done % 10000 == 0:
            rate = done * per_article / (time.perf_counter() - t0)
            print(f"  {done * per_article:,} events stored ({rate:,.0f} events/s)", flush=True)
    print(f"filled {n_events:,} events in {time.perf_counter() - t0:.0f} s")


def measure(name: str, fn, repeats: int) -> None:
    times = []
    for i in range(repeats):
        t0 = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    print(f"{name:<48} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--db", default="/tmp/dragoman-query-bench.db")
    ap.add_argument("--repeats", type=int, default=40)
    ap.add_argument("--reuse", action="store_true", help="query an existing benchmark database")
    args = ap.parse_args()
    if not args.reuse and not args.db.startswith("postgres"):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(args.db + suffix):
                os.remove(args.db + suffix)
    store = Store(args.db)
    if not args.reuse:
        t0 = time.perf_counter()
        with store.bulk_load():  # secondary indexes built once, after the fill
            fill(store, args.events)
        print(f"indexes built, total load {time.perf_counter() - t0:.0f} s")
    if not args.db.startswith("postgres"):
        store.db.execute("ANALYZE")
        print(f"database size: {os.path.getsize(args.db) / 1e6:,.0f} MB")
    print(f"events: {store.count_events():,}  clusters: {store.count_events(clusters=True):,}")
    rng = random.Random(1)
    actor_names = [a.name for a in store.actors(limit=200).items]
    measure("latest 50 events", lambda i: store.events(limit=50), args.repeats)
    measure("type = T, latest 50", lambda i: store.events(EventFilter(type=TYPES[i % 16]), limit=50), args.repeats)
    measure(
        "country = C, latest 50",
        lambda i: store.events(EventFilter(country=COUNTRIES[i % 20]), limit=50),
        args.repeats,
    )
    measure(
        "actor name, latest 50",
        lambda i: store.events(EventFilter(actor=actor_names[i % len(actor_names)]), limit=50),
        args.repeats,
    )
    measure(
        "country + type + 3-month window",
        lambda i: store.events(
            EventFilter(country=COUNTRIES[i % 20], type=TYPES[i % 16], since="2022-01", until="2022-03"),
            limit=50,
        ),
        args.repeats,
    )
    measure(
        "place, latest 50",
        lambda i: store.events(EventFilter(place=f"Town {rng.randrange(2000)}"), limit=50),
        args.repeats,
    )

    def page3(i: int) -> None:
        p = store.events(EventFilter(country=COUNTRIES[i % 20]), limit=50)
        for _ in range(2):
            p = store.events(EventFilter(country=COUNTRIES[i % 20]), limit=50, cursor=p.next_cursor)

    measure("country, third page via cursor", page3, args.repeats)
    measure("clusters, latest 50", lambda i: store.clusters(limit=50), args.repeats)
    measure("actors list (top 50)", lambda i: store.actors(limit=50), args.repeats)
    measure("actor profile", lambda i: store.actor_profile(f"bench:actor-{i}"), args.repeats)
    measure(
        "count events, country = C",
        lambda i: store.count_events(EventFilter(country=COUNTRIES[i % 20])),
        args.repeats,
    )
    store.close()


if __name__ == "__main__":
    main()
