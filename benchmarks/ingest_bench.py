"""Ingest throughput on synthesised articles: articles/s, analysing vs storing time, database size.

    python benchmarks/ingest_bench.py [--n 10000] [--db /tmp/dragoman-ingest-bench.db]

Articles are built from the templates below (written for this benchmark) with varied actors, places,
days and numbers; about one in twelve is a lightly edited copy of an earlier one, as wire stories are.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Iterator

from dragoman.ingest import RawArticle, ingest
from dragoman.ingest.run import default_analyser
from dragoman.store import Store

ACTORS = [
    "Iraqi security forces",
    "Kataib Hezbollah",
    "the Rapid Support Forces",
    "the Sudanese army",
    "Ukrainian forces",
    "Russian troops",
    "the Houthis",
    "Israeli forces",
    "Hamas",
    "Hezbollah",
    "the Taliban",
    "Pakistani police",
    "al-Shabaab fighters",
    "Somali government forces",
    "the Nigerian army",
    "Boko Haram militants",
    "M23 rebels",
    "Congolese troops",
    "Myanmar's military",
    "the Arakan Army",
    "Turkish warplanes",
    "the PKK",
]
PLACES = [
    "Mosul",
    "Kirkuk",
    "El Fasher",
    "Khartoum",
    "Kharkiv",
    "Donetsk",
    "Hodeidah",
    "Gaza City",
    "Nabatieh",
    "Kandahar",
    "Peshawar",
    "Mogadishu",
    "Maiduguri",
    "Goma",
    "Sittwe",
    "Erbil",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
OUTLETS = ["Reuters", "AP", "AFP", "Al Jazeera", "BBC", "The National", "Daily Nation", "Dawn"]
TEMPLATES = [
    "{a} attacked positions held by {b} near {p} on {d}, killing at least {n} people, local officials said. "
    "Witnesses described heavy gunfire that lasted several hours. {b2} did not comment on the fighting.",
    "{a} and {b} held talks in {p} on {d} aimed at ending months of clashes, a spokesman for {a2} said. "
    "Both sides agreed to meet again next week, according to a statement released after the meeting.",
    "{a} accused {b} of shelling residential areas of {p} on {d}. The United Nations called for an "
    "immediate ceasefire and urged both sides to protect civilians, {n} of whom were wounded.",
    "{a} withdrew from several checkpoints around {p} on {d}, handing them over to local police, "
    "residents said. The move followed weeks of pressure from the government, which welcomed it.",
    "Police in {p} arrested {n} people on {d} after protesters gathered to denounce {a}, witnesses said. "
    "Security forces fired tear gas to disperse the crowd, and several people were detained overnight.",
    "{a} threatened on {d} to retaliate against {b} if attacks near {p} continued. Analysts said the "
    "warning raised fears of a wider conflict in a region where {n} people have been displaced this year.",
    "Aid agencies delivered food and medicine to {n} families in {p} on {d}, the World Food Programme said, "
    "after {a} allowed convoys to pass. Officials warned that supplies would last only two weeks.",
]


def synthesise(n: int, seed: int = 11) -> Iterator[RawArticle]:
    rng = random.Random(seed)
    made: list[str] = []
    for i in range(n):
        if made and rng.random() < 1 / 12:
            # A syndicated copy: same story, one sentence trimmed or a word changed.
            base = rng.choice(made[-200:])
            text = base.replace(" said.", " told reporters.", 1)
        else:
            a, b = rng.sample(ACTORS, 2)
            text = rng.choice(TEMPLATES).format(
                a=a[0].upper() + a[1:],
                b=b,
                b2=b[0].upper() + b[1:],
                a2=a,
                p=rng.choice(PLACES),
                d=rng.choice(DAYS),
                n=rng.randint(2, 400),
            )
            text += f" ({i})" if rng.random() < 0.02 else ""
            made.append(text)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        yield RawArticle(
            text=text, source=f"bench/{i:05d}.txt", outlet=rng.choice(OUTLETS), published=f"2024-{month:02d}-{day:02d}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--db", default="/tmp/dragoman-ingest-bench.db")
    args = ap.parse_args()
    if not args.db.startswith("postgres"):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(args.db + suffix):
                os.remove(args.db + suffix)
    analyser = default_analyser()  # model loading is not part of the per-article figures
    with Store(args.db) as store:
        t0 = time.perf_counter()
        summary = ingest(store, synthesise(args.n), analyser=analyser)
        wall = time.perf_counter() - t0
        stats = store.stats()
    work = summary.seconds_analysing + summary.seconds_storing
    print(
        f"articles: {args.n:,}  stored {summary.stored:,}, already present {summary.present:,}, "
        f"near-duplicates {summary.near_duplicates:,}, failed {summary.failed:,}"
    )
    print(f"events stored: {stats['events']:,}  clusters: {stats['clusters']:,}")
    print(f"throughput: {args.n / wall:.1f} articles/s ({wall:.0f} s wall)")
    print(
        f"time analysing: {summary.seconds_analysing:.1f} s ({100 * summary.seconds_analysing / work:.1f}%)  "
        f"storing: {summary.seconds_storing:.1f} s ({100 * summary.seconds_storing / work:.1f}%)"
    )
    if not args.db.startswith("postgres"):
        size = sum(os.path.getsize(args.db + s) for s in ("", "-wal") if os.path.exists(args.db + s))
        print(f"database size: {size / 1e6:.1f} MB ({size / max(1, args.n) / 1e3:.1f} kB per article)")


if __name__ == "__main__":
    main()
