"""The real-corpus acceptance run: JSON Lines ingested through the CLI with --field, then the period
views measured (time, size, news period covered, alerts' reports).

    .venv/bin/python benchmarks/corpus_acceptance.py [--db PATH] [--workers 2] [--lgl ../shared/eval/data/lgl_dev.jsonl]

Two inputs: the LGL development articles (588 local US news stories; fields id, title, url, date,
text) and a file written here from the project's own example articles (examples/*.txt), with other
column names and publication dates in the forms users bring: ISO 8601 with a time zone, RFC 2822,
a Unix epoch, "17 December 2016", "7:58 AM ET, Sat January 3, 2015" and others. Not a test: it
prints figures, among them whether each view runs from the period of the first publication day to
that of the last with nothing cut ("whole news period"). Re-running on the same --db re-ingests
nothing (the inputs are found by their hash).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LGL = ROOT.parent / "shared" / "eval" / "data" / "lgl_dev.jsonl"

# One publication date per example article, each in another written form (all 2025 but one, the
# stories' own period); the CLI must read every one of them.
DATES = {
    "car-bomb-kirkuk": "Sat, 07 Jun 2025 19:40:00 +0300",  # RFC 2822
    "ceasefire-talks": "2025-06-03T16:05:00Z",  # ISO 8601 with a zone
    "el-fasher-truce": "1749513600",  # Unix epoch (2025-06-10)
    "goma-deal-collapse": "3 March 2025",
    "manila-tokyo-talks": "7:58 AM ET, Wed June 4, 2025",
    "nairobi-fuel-protests": "June 26, 2025",
    "protest-arrests": "Sat, 31 May 2025 22:10:00 GMT",  # RFC 2822, GMT
    "sahel-attack": "12.03.2025",  # dotted: day first
    "warsaw-expulsions": "2025-02-06 08:15:00.123456-05",  # as LGL writes its dates
}


def own_file(path: Path) -> int:
    with path.open("w", encoding="utf-8") as out:
        for name, when in DATES.items():
            text = (ROOT / "examples" / f"{name}.txt").read_text(encoding="utf-8")
            headline = name.replace("-", " ").capitalize()
            out.write(json.dumps({"body": text, "headline": headline, "published_at": when}) + "\n")
    return len(DATES)


def ingest(db: Path, path: Path, fields: list[str], workers: int) -> str:
    cmd = [sys.executable, "-m", "dragoman.cli", "ingest", str(path), "--db", str(db), "-q"]
    cmd += [a for f in fields for a in ("--field", f)]
    if workers:
        cmd += ["--workers", str(workers)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    lines = " | ".join(x for x in proc.stderr.splitlines() if x.strip() and not x.startswith("rate"))
    return f"exit {proc.returncode}, {time.perf_counter() - t0:.0f} s: {lines}"


VIEWS = ["/brief", "/trends", "/alerts", "/timeline", "/api/brief", "/api/trends", "/api/escalation",
         "/trends?by=month", "/alerts?by=month"]


def _unit(period: str) -> str:
    return "week" if "-W" in period else "quarter" if "-Q" in period else "month" if len(period) == 7 else "year"


def span_shown(body: bytes, path: str) -> tuple[str | None, str | None]:
    """The first and last period a view shows: its JSON coverage, or the page's "Shown: A to B"."""
    if "/api/" in path:
        cov = json.loads(body).get("coverage") or {}
        return cov.get("first"), cov.get("last")
    m = re.search(rb"Shown: (\S+) to (\S+) \(", body)
    return (m[1].decode(), m[2].decode()) if m else (None, None)


def covers(shown: tuple[str | None, str | None], news: tuple[str, str]) -> bool:
    """Does the view run from the period of the first publication day to that of the last?"""
    from dragoman.analysis.data import period_of

    first, last = shown
    if not first or not last:
        return False
    return first == period_of(news[0], _unit(first)) and last == period_of(news[1], _unit(last))


def measure(db: Path, repeat: int, query: str = "") -> tuple[list[dict[str, Any]], dict[str, Any]]:
    from fastapi.testclient import TestClient

    from dragoman.store import Store
    from dragoman.web.app import create_app

    rows = []
    facts: dict[str, Any] = {}
    args = dict(part.split("=", 1) for part in query.split("&") if part)
    with Store(db, readonly=True) as store:
        span = store.db.query_one("SELECT min(published) AS lo, max(published) AS hi FROM articles") or {}
    news = (args.get("since") or str(span.get("lo"))[:10], args.get("until") or str(span.get("hi"))[:10])
    with TestClient(create_app(db), base_url="http://localhost") as client:
        for view in VIEWS:
            path = view + (("&" if "?" in view else "?") + query if query else "")
            cpu, wall, body, r = [], [], b"", None
            for _ in range(repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                r = client.get(path)
                wall.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
                body = r.content
            assert r is not None
            shown = span_shown(body, path)
            # A brief's "since" limits its developments, not its series: those run from the first day.
            period = (str(span.get("lo"))[:10], news[1]) if "brief" in path else news
            rows.append({"path": path, "status": r.status_code, "first_cpu": cpu[0], "cpu": sorted(cpu)[len(cpu) // 2],
                         "wall": sorted(wall)[len(wall) // 2], "bytes": len(body),
                         "undated": b"undated event" in body, "shown": shown,
                         "covers": covers(shown, period) and b"not drawn" not in body})
        q = "?" + query if query else ""
        esc = client.get("/api/escalation" + q).json()
        facts["alerts"] = len(esc["alerts"])
        facts["alert_reports"] = [a["n_reports"] for a in esc["alerts"]]
        facts["escalation_coverage"] = esc["coverage"]
        facts["trends_coverage"] = client.get("/api/trends" + q).json()["coverage"]
    return rows, facts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--lgl", type=Path, default=LGL)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    db = args.db or Path(tempfile.mkdtemp(prefix="dragoman-acceptance-")) / "corpus.db"
    mine = db.parent / "own-dates.jsonl"
    n_own = own_file(mine)
    n_lgl = sum(1 for line in args.lgl.open(encoding="utf-8") if line.strip())
    print("LGL:", ingest(db, args.lgl, ["text=text", "date=date", "title=title", "url=url"], args.workers))
    print("own:", ingest(db, mine, ["text=body", "date=published_at", "title=headline"], args.workers))

    from dragoman.store import Store

    with Store(db, readonly=True) as store:
        row = store.db.query_one(
            "SELECT count(*) AS n, count(published) AS dated, min(published) AS lo, max(published) AS hi, "
            "sum(CASE WHEN near_duplicate_of IS NOT NULL THEN 1 ELSE 0 END) AS dups FROM articles") or {}
        events = store.db.query_one("SELECT count(*) AS n, sum(CASE WHEN day IS NULL THEN 1 ELSE 0 END) AS undated "
                                    "FROM events") or {}
        failures = len(store.failures())
    print(f"inputs: {n_lgl} LGL + {n_own} own; stored {row.get('n')} ({row.get('dups')} near-duplicate copies), "
          f"dated {row.get('dated')}, publication days {row.get('lo')} to {row.get('hi')}; failures {failures}; "
          f"events {events.get('n')}, undated {events.get('undated')}")
    report(*measure(db, args.repeat))
    # Each input's own period, as a user looks at it (a range wins over the whole news period).
    for name, like in (("LGL", "%lgl%"), ("own", "%own-dates%")):
        with Store(db, readonly=True) as store:
            span = store.db.query_one("SELECT min(published) AS lo, max(published) AS hi FROM articles "
                                      "WHERE source LIKE ?", (like,)) or {}
        print(f"\n{name} period {span.get('lo')} to {span.get('hi')}:")
        report(*measure(db, args.repeat, f"since={span.get('lo')}&until={span.get('hi')}"))


def report(rows: list[dict[str, Any]], facts: dict[str, Any]) -> None:
    print(f"{'view':<18} {'status':>6} {'1st cpu':>8} {'cpu s':>6} {'wall s':>7} {'kB':>7}  undated  "
          f"{'shown':<22} whole news period  limits")
    for m in rows:
        ok = m["cpu"] <= 2.0 and m["bytes"] <= 1_000_000
        shown = f"{m['shown'][0]} to {m['shown'][1]}"
        print(f"{m['path'].split('?')[0] + ('?by=month' if 'by=month' in m['path'] else ''):<18} {m['status']:>6} "
              f"{m['first_cpu']:>8.2f} {m['cpu']:>6.2f} {m['wall']:>7.2f} "
              f"{m['bytes'] / 1000:>7.1f}  {'yes' if m['undated'] else 'no':<7}  {shown:<22} "
              f"{'yes' if m['covers'] else 'NO':<17}  {'within limits' if ok else 'OVER'}")
    tc, ec = facts["trends_coverage"], facts["escalation_coverage"]
    print(f"trends cover {tc['first']} to {tc['last']} ({tc['periods']} periods); notes: {'; '.join(tc['notes'])}")
    print(f"alerts: {facts['alerts']} over {ec['first']} to {ec['last']}; reports behind each: "
          f"{facts['alert_reports']} (fewest {min(facts['alert_reports'], default=0)})")


if __name__ == "__main__":
    main()
