"""How a stored corpus' reports are grouped into incidents (store clusters), and what the escalation
alerts rest on.

    .venv/bin/python benchmarks/cluster_stats.py --db CORPUS.db [--restore]

With ``--restore`` the stored results are written again, in storage order and without any analysis,
into a fresh database with the code at hand, so that a change of the clustering rule is measured on
the same analyses (benchmarks/corpus_acceptance.py builds such a corpus from LGL dev and the
project's own articles). Prints the largest clusters, how many hold three articles or more, and each
alert with its reports and the event types behind it. Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from pathlib import Path

from dragoman.analysis.escalation import escalation
from dragoman.records import ArticleResult
from dragoman.store import EventFilter, Store


def restore(source: Path) -> Path:
    target = Path(tempfile.mkdtemp(prefix="dragoman-clusters-")) / "corpus.db"
    with Store(source, readonly=True) as old, Store(target) as new:
        last = 0
        while rows := old.db.query("SELECT pk, raw_hash, result_json FROM articles WHERE pk > ? ORDER BY pk "
                                   "LIMIT 200", (last,)):
            new.add_many([ArticleResult.from_dict(json.loads(r["result_json"])) for r in rows],
                         raw_hashes=[r["raw_hash"] for r in rows])
            last = rows[-1]["pk"]
    return target


def report(db: Path, top: int) -> None:
    with Store(db, readonly=True) as store:
        n_articles = store.db.scalar("SELECT count(*) FROM articles")
        sizes = [int(r["n_articles"]) for r in store.db.query("SELECT n_articles FROM clusters WHERE n_articles > 0")]
        print(f"{n_articles} articles, {len(sizes)} clusters; largest {max(sizes, default=0)} articles; "
              f"clusters of >= 3 articles: {sum(s >= 3 for s in sizes)}; of 2: {sum(s == 2 for s in sizes)}")
        for r in store.db.query("SELECT pk, event, day, n_articles, actor_keys, place_keys FROM clusters "
                                "ORDER BY n_articles DESC, pk LIMIT ?", (top,)):
            titles = [t["title"] for t in store.db.query(
                "SELECT DISTINCT a.title FROM events e JOIN articles a ON a.pk = e.article_pk WHERE e.cluster_pk = ?",
                (r["pk"],))]
            print(f"  cluster {r['pk']} {r['event']} {r['day']} {r['n_articles']} articles; actors "
                  f"{json.loads(r['actor_keys'])}; places {json.loads(r['place_keys'])}")
            for t in titles:
                print(f"      {str(t)[:100]}")
        rep = escalation(store, EventFilter())
        print(f"escalation alerts: {len(rep.alerts)}")
        for a in rep.alerts:
            types = Counter(d.event for d in a.drivers)
            print(f"  {a.period} {a.label}: index {a.index:g}, baseline {a.baseline:g}, z {a.z:g}; "
                  f"{a.report_count} reports; driving event types {dict(types)}")
            for _aid, source, title in a.reports:
                print(f"      {str(title)[:90]} ({source})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--restore", action="store_true", help="write the stored results again with this code first")
    ap.add_argument("--top", type=int, default=8)
    args = ap.parse_args()
    report(restore(args.db) if args.restore else args.db, args.top)


if __name__ == "__main__":
    main()
