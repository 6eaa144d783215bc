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
from dragoman.ingest.run import IngestSummary, default_analyser
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
LEADS = [
    "{A} attacked positions held by {b} near {p} on {d}, killing at least {n} people, local officials said. "
    "Witnesses described heavy gunfire that lasted several hours and said that families fled toward the "
    "outskirts of the city. {B} did not comment on the fighting.",
    "{A} and {b} held talks in {p} on {d} aimed at ending months of clashes, a spokesman for {a} said. "
    "Both sides agreed to meet again next week, according to a statement released after the meeting, "
    "and pledged to exchange prisoners before the end of the month.",
    "{A} accused {b} of shelling residential areas of {p} on {d}. The United Nations called for an "
    "immediate ceasefire and urged both sides to protect civilians, {n} of whom were wounded in the "
    "latest round of violence, according to hospital staff.",
    "{A} withdrew from several checkpoints around {p} on {d}, handing them over to local police, "
    "residents said. The move followed weeks of pressure from the government, which welcomed it and "
    "promised to reopen the main road to traffic within days.",
    "Police in {p} arrested {n} people on {d} after protesters gathered to denounce {a}, witnesses said. "
    "Security forces fired tear gas to disperse the crowd, and several people were detained overnight. "
    "Organisers said they would march again on Friday.",
    "{A} threatened on {d} to retaliate against {b} if attacks near {p} continued. Analysts said the "
    "warning raised fears of a wider conflict in a region where {n} people have been displaced this year "
    "and where food prices have doubled since the spring.",
    "Aid agencies delivered food and medicine to {n} families in {p} on {d}, the World Food Programme "
    "said, after {a} allowed convoys to pass. Officials warned that supplies would last only two weeks "
    "and appealed for more funding from donors.",
    "{A} launched a drone strike on a convoy belonging to {b} outside {p} on {d}, a military source said. "
    "The source said {n} fighters were killed, a figure that could not be independently verified. "
    "{B} said the strike had hit a civilian bus.",
    "The government imposed a curfew in {p} on {d} after clashes between {a} and {b} left {n} people "
    "dead, the interior ministry said. Schools and markets were closed, and the authorities cut mobile "
    "internet across the province.",
    "{A} demanded on {d} that {b} release detainees held in {p}, saying talks could not resume until "
    "they were freed. A mediator said the two sides remained far apart on the question of {n} prisoners "
    "captured during last year's offensive.",
]
BODIES = [
    "The region has seen repeated fighting since a ceasefire collapsed last year.",
    "Residents said electricity and water had been cut for several days.",
    "A local doctor said the main hospital was running short of blood and fuel.",
    "Journalists have been unable to reach the area because of the insecurity.",
    "The violence is the worst in the province for several months, according to monitors.",
    "Diplomats said a new round of negotiations could begin in the capital next month.",
    "Rights groups have accused all sides of abuses against civilians.",
    "Thousands of people have fled across the border since the beginning of the year.",
    "Officials said a committee would investigate the incident and publish its findings.",
    "Prices of bread and fuel have risen sharply in local markets.",
    "Farmers said they could not reach their fields because of the fighting.",
    "The army said it had reinforced its positions along the main highway.",
]
CLOSERS = [
    "{B} has denied similar accusations in the past.",
    "{A} said in a statement that it would continue its operations.",
    "There was no immediate claim of responsibility for the attack.",
    "The United Nations said it was deeply concerned by the reports from {p}.",
    "Local leaders in {p} called for calm.",
]


def _article(rng: random.Random) -> str:
    """One short report (80-200 words): a lead, three to five background sentences, a closer."""
    a, b = rng.sample(ACTORS, 2)
    fields = {
        "a": a,
        "A": a[0].upper() + a[1:],
        "b": b,
        "B": b[0].upper() + b[1:],
        "p": rng.choice(PLACES),
        "d": rng.choice(DAYS),
        "n": rng.randint(2, 400),
    }
    parts = [rng.choice(LEADS), *rng.sample(BODIES, rng.randint(3, 5)), rng.choice(CLOSERS)]
    return " ".join(parts).format(**fields)


def synthesise(n: int, seed: int = 11) -> Iterator[RawArticle]:
    rng = random.Random(seed)
    made: list[str] = []
    for i in range(n):
        if made and rng.random() < 1 / 12:
            # A syndicated copy: same story, one word changed.
            base = rng.choice(made[-200:])
            text = base.replace(" said.", " told reporters.", 1)
            if text == base:
                text = base + " Additional reporting by staff."
        else:
            text = _article(rng)
            text += f" ({i})" if rng.random() < 0.02 else ""
            made.append(text)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        yield RawArticle(
            text=text,
            source=f"bench/{i:05d}.txt",
            outlet=rng.choice(OUTLETS),
            published=f"2024-{month:02d}-{day:02d}",
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--db", default="/tmp/dragoman-ingest-bench.db")
    ap.add_argument("--every", type=int, default=250, help="print progress every N articles")
    ap.add_argument("--commit-every", type=int, default=32,
                    help="articles per transaction (as ingest's option, whose default is 32)")
    args = ap.parse_args()
    if not args.db.startswith("postgres"):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(args.db + suffix):
                os.remove(args.db + suffix)
    analyser = default_analyser()  # model loading is not part of the per-article figures
    with Store(args.db) as store:
        t0 = time.perf_counter()

        def progress(s: IngestSummary, kind: str) -> None:
            if s.seen % args.every == 0:
                print(
                    f"  {s.seen:,} articles  {s.seen / (time.perf_counter() - t0):.1f}/s  "
                    f"analysing {s.seconds_analysing:.0f} s  storing {s.seconds_storing:.1f} s",
                    flush=True,
                )

        summary = ingest(store, synthesise(args.n), analyser=analyser, on_item=progress, commit_every=args.commit_every)
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
    cpu = summary.cpu_seconds_analysing + summary.cpu_seconds_storing
    print(
        f"CPU time analysing: {summary.cpu_seconds_analysing:.1f} s "
        f"({100 * summary.cpu_seconds_analysing / cpu:.1f}%)  storing: {summary.cpu_seconds_storing:.1f} s "
        f"({100 * summary.cpu_seconds_storing / cpu:.1f}%)  (commit every {args.commit_every})"
    )
    if not args.db.startswith("postgres"):
        size = sum(os.path.getsize(args.db + s) for s in ("", "-wal") if os.path.exists(args.db + s))
        print(f"database size: {size / 1e6:.1f} MB ({size / max(1, args.n) / 1e3:.1f} kB per article)")


if __name__ == "__main__":
    main()
