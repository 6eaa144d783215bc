"""Time and size of the period views over a 10,000-article corpus: /brief, /trends, /alerts, /timeline
and their API answers, each of which should take at most 2 s and 1 MB.

    .venv/bin/python benchmarks/views_bench.py [--articles 10000] [--db PATH] [--repeat 3]

Not a test: it prints figures and asserts nothing. The corpus is synthetic (ArticleResult records
bulk-loaded through Store.add_many; analysing 10,000 real articles would take most of an hour) and
shaped like the real corpora that broke these views: publication dates over three years, and 15% of
the articles with none (their events undated unless the text wrote an absolute date), most events
dated to the day near publication, some only to a week, a month, a quarter, a year or a decade, some
historical references ("in 1914"), and attacks with no named perpetrator. It prints what the corpus
holds (undated articles and events, dates by precision) and, per view, the undated count it states.

Times are wall and CPU time of the process (the server runs in it): the first request after the
server's start-up warm-up, and the median of ``--repeat``; then the first /brief after a write to
the store (its caches are keyed by the store's revision) and /brief asked at once on a cold start.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from dragoman.plover import EVENT_TYPES, intensity_of, quad_of
from dragoman.records import ArticleResult
from dragoman.store import Store

ACTORS = [("Iraqi Armed Forces", "military", "IRQ"), ("Islamic State", "armed_group", None),
          ("Kataib Hezbollah", "armed_group", "IRQ"), ("Government of Turkey", "government", "TUR"),
          ("Kurdistan Workers' Party", "armed_group", "TUR"), ("Sudanese Armed Forces", "military", "SDN"),
          ("Rapid Support Forces", "armed_group", "SDN"), ("United Nations", "igo", None),
          ("Government of Iran", "government", "IRN"), ("Protesters", "civilians", "IRQ"),
          ("Government of Ukraine", "government", "UKR"), ("Russian Armed Forces", "military", "RUS"),
          ("unidentified perpetrator", "unknown", None)]
PLACES = [("Mosul", "IRQ", 36.34, 43.13, 99072), ("Baghdad", "IRQ", 33.34, 44.40, 98182),
          ("Khartoum", "SDN", 15.55, 32.53, 379252), ("Ankara", "TUR", 39.92, 32.85, 323786),
          ("Kharkiv", "UKR", 49.98, 36.25, 706483)]
TYPES = sorted(EVENT_TYPES)
START = date(2022, 1, 1)
SPAN_DAYS = 3 * 365
VIEWS = ["/brief", "/trends", "/alerts", "/timeline", "/api/brief", "/api/trends", "/api/escalation", "/api/timeline",
         "/api/trends.csv", "/api/timeline.csv",
         "/trends?by=week", "/alerts?by=week", "/trends?by=month", "/alerts?by=month"]


# Shares of the synthetic corpus. Real corpora come partly without publication dates (feeds and
# archives that carry none): the events of such an article that have no date of their own stay
# undated, and "last week" cannot be resolved, so most of its events are undated.
UNDATED_ARTICLES = 0.15
HISTORY = [1777, 1806, 1914, 1948, 1991, 2003]


def _date_value(rng: random.Random, published: date | None) -> tuple[str | None, str]:
    """An event date as the extractor writes it, with the mix of granularities real news has."""
    roll = rng.random()
    if published is None:  # only absolute dates written in the text survive; the rest is undated
        around = START + timedelta(days=rng.randrange(SPAN_DAYS))
        if roll < 0.55:
            return None, "none"
        if roll < 0.70:
            return around.isoformat(), "text"  # "on 3 March 2023"
        if roll < 0.80:
            return around.strftime("%Y-%m"), "text"  # "in March 2023"
        if roll < 0.90:
            return str(around.year), "text"  # "in 2023"
        return str(rng.choice(HISTORY)), "text"  # history, not news
    day = published - timedelta(days=rng.randint(0, 6))
    if roll < 0.55:
        return day.isoformat(), "text"
    if roll < 0.70:
        return published.isoformat(), "published"  # no date of its own: dated by its article
    if roll < 0.76:
        y, w, _ = day.isocalendar()
        return f"{y}-W{w:02d}", "text"
    if roll < 0.81:
        return day.strftime("%Y-%m"), "text"
    if roll < 0.83:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}", "text"
    if roll < 0.88:
        return str(day.year - rng.randint(0, 1)), "text"  # "this year", "last year"
    if roll < 0.90:
        return str(rng.choice(HISTORY))[:3], "text"  # "in the 1990s": a decade
    if roll < 0.94:
        return str(rng.choice(HISTORY)), "text"  # history, not news
    return None, "none"  # no date of its own: the store dates it by its article


def synthetic(i: int, rng: random.Random, per: int) -> ArticleResult:
    published: date | None = START + timedelta(days=rng.randrange(SPAN_DAYS))
    if rng.random() < UNDATED_ARTICLES:
        published = None
    sentences, ents, evs, places, used = [], [], [], [], {}
    pos = 0
    for k in range(per):
        a, r = rng.sample(range(len(ACTORS) - 1), 2)
        if rng.random() < 0.15:
            a = len(ACTORS) - 1  # a bomb exploded: no named perpetrator
        s = f"{ACTORS[a][0]} acted against {ACTORS[r][0]} in {PLACES[k % len(PLACES)][0]} (report {i}-{k})."
        for idx, off in ((a, pos), (r, pos + s.index(ACTORS[r][0]))):
            if idx not in used:
                used[idx] = f"e{idx}"
                ents.append({"id": f"e{idx}", "name": ACTORS[idx][0], "kind": ACTORS[idx][1],
                             "country": ACTORS[idx][2], "sector": None, "kb_id": None, "wikidata": None,
                             "mentions": []})
            next(e for e in ents if e["id"] == used[idx])["mentions"].append(
                {"start": off, "end": off + len(ACTORS[idx][0]), "text": ACTORS[idx][0]})
        p = PLACES[k % len(PLACES)]
        pid = f"p{k % len(PLACES)}"
        if not any(x["id"] == pid for x in places):
            places.append({"id": pid, "name": p[0], "country": p[1], "admin1": None, "lat": p[2], "lon": p[3],
                           "geonameid": p[4], "feature": "city", "mentions": []})
        t = "ASSAULT" if rng.random() < 0.3 else TYPES[rng.randrange(len(TYPES))]
        value, basis = _date_value(rng, published)
        trig = pos + s.index("acted")
        evs.append({"id": f"ev{k}", "event": t, "mode": None, "context": [], "actor": [used[a]],
                    "recipient": [used[r]], "places": [pid], "date": {"value": value, "basis": basis},
                    "modality": {"certainty": "asserted", "time": "past", "negated": False, "conditional": False},
                    "attribution": None, "trigger": {"start": trig, "end": trig + 5, "text": "acted"},
                    "sentence": {"start": pos, "end": pos + len(s)}, "quad": quad_of(t),
                    "intensity": intensity_of(t), "confidence": 0.8})
        sentences.append(s)
        pos += len(s) + 1
    text = " ".join(sentences)
    d = {"article": {"id": f"sha256:{i:064x}", "source": f"/srv/corpus/{i}.txt", "text": text,
                     "title": None, "url": None, "outlet": f"Outlet {i % 40}", "wire": [], "dateline": None,
                     "published": published.isoformat() if published else None,
                     "published_basis": "metadata" if published else "none", "language": "en"},
         "entities": ents, "relations": [], "events": evs, "quotes": [], "places": places, "times": [],
         "quantities": []}
    return ArticleResult.from_dict(d)


def fill(db: Path, n_articles: int, per: int = 4) -> None:
    rng = random.Random(11)
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


def describe(db: Path) -> None:
    """What the corpus holds that the views must count or leave out: undated articles and events,
    dates by precision, historical mentions."""
    with Store.open(db, readonly=True) as store:
        q = store.db.query_one
        arts = q("SELECT count(*) AS n, sum(published IS NULL) AS undated FROM articles") or {}
        evs = q("SELECT count(*) AS n, sum(day IS NULL) AS undated, sum(day < '2021-01-01') AS old "
                "FROM events") or {}
        grains = store.db.query("SELECT coalesce(granularity, 'none') AS g, count(*) AS n FROM events "
                                "GROUP BY 1 ORDER BY 2 DESC")
    print(f"corpus: {arts['undated']:,} of {arts['n']:,} articles undated; {evs['undated']:,} of {evs['n']:,} "
          f"events undated, {evs['old']:,} dated before 2021 (history); dates by precision: "
          + ", ".join(f"{r['g']} {r['n']:,}" for r in grains))


def _stated_undated(body: str) -> int | None:
    m = re.search(r'"undated":\s*(\d+)', body) or re.search(r"(\d[\d,]*) undated events? not shown", body)
    return int(m.group(1).replace(",", "")) if m else None


def cold_start(db: Path) -> None:
    """/brief asked at once when the server starts, before its warm-up is done: the request waits for
    it (matplotlib stays imported from the run before: its import is not in this figure)."""
    from fastapi.testclient import TestClient

    from dragoman.analysis import charts, data, report
    from dragoman.web.app import create_app

    data._LOADED.clear()
    report._REPORTS.clear()
    charts._CACHE.clear()
    t0, c0 = time.perf_counter(), time.process_time()
    with TestClient(create_app(db), base_url="http://localhost") as client:
        r = client.get("/brief")
        print(f"/brief asked at start (waits for the warm-up): {time.perf_counter() - t0:.2f} s, "
              f"{time.process_time() - c0:.2f} s CPU (start included), status {r.status_code}")


def after_write(db: Path, client: Any) -> None:
    """/brief after the store changed under the running server (an article re-titled, and back):
    its caches are keyed by the store's revision, so the brief is built again."""
    with Store(db) as store:
        row = store.db.query_one("SELECT pk, title FROM articles ORDER BY pk LIMIT 1") or {}
        for title in ("re-titled by views_bench", row.get("title")):
            with store.db.transaction():
                store.db.execute("UPDATE articles SET title = ? WHERE pk = ?", (title, row["pk"]))
    for path in ("/brief", "/api/brief"):  # at once, before the server's watcher builds it again
        t0, c0 = time.perf_counter(), time.process_time()
        r = client.get(path)
        print(f"{path} first after a write to the store: {time.perf_counter() - t0:.2f} s, "
              f"{time.process_time() - c0:.2f} s CPU, status {r.status_code}")


def measure(db: Path, repeat: int) -> list[dict[str, Any]]:
    from fastapi.testclient import TestClient

    from dragoman.web.app import create_app

    out = []
    t0, c0 = time.perf_counter(), time.process_time()
    with TestClient(create_app(db), base_url="http://localhost") as client:
        # the server reads the shared events and builds its default brief at start, before any user asks
        client.app.state.web.warmed.wait()  # type: ignore[attr-defined]
        print(f"start with warm-up (no request): {time.perf_counter() - t0:.2f} s, "
              f"{time.process_time() - c0:.2f} s CPU")
        for path in VIEWS:
            times, cpu, size, status, body = [], [], 0, 0, ""
            for _ in range(repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                r = client.get(path)
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)  # the server runs in this process: its CPU time
                size, status, body = len(r.content), r.status_code, r.text
            undated = _stated_undated(body)
            out.append({"path": path, "status": status, "seconds": statistics.median(times),
                        "cpu": statistics.median(cpu), "first": times[0], "first_cpu": cpu[0],
                        "worst": max(times), "bytes": size, "states_undated": undated,
                        "server_path": "/srv/corpus" in body})
        after_write(db, client)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--db", type=Path, default=None, help="reuse or create this database")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    db = args.db or Path(tempfile.mkdtemp(prefix="dragoman-views-")) / "views.db"
    if not db.exists():
        fill(db, args.articles)
    describe(db)
    print(f"{'view':<20} {'status':>6} {'first s':>8} {'median s':>9} {'cpu s':>6} {'1st cpu':>7} {'kB':>8}"
          "  undated stated  server path")
    for m in measure(db, args.repeat):
        ok = m["seconds"] <= 2.0 and m["bytes"] <= 1_000_000
        print(f"{m['path']:<20} {m['status']:>6} {m['first']:>8.2f} {m['seconds']:>9.2f} {m['cpu']:>6.2f}"
              f" {m['first_cpu']:>7.2f}"
              f" {m['bytes'] / 1000:>8.1f}"
              f"  {'no' if m['states_undated'] is None else format(m['states_undated'], ','):<14}"
              f"  {'LEAKED' if m['server_path'] else 'none'}  {'within limits' if ok else 'OVER LIMIT'}")
    cold_start(db)


if __name__ == "__main__":
    main()
