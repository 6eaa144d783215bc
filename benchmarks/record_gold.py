"""Measure dragoman on the project's gold articles and rewrite tests/gold/figures.json (on purpose only).

usage: python benchmarks/record_gold.py [--dry-run] [--errors] [NAME ...]

Analyses each examples/<name>.txt with its gold publication date, scores it against
tests/gold/<name>.gold.yaml and prints a table of figures. Without --dry-run it writes the figures
to tests/gold/figures.json, which tests/gold/test_gold_articles.py reads to set its per-article
floors (a few points below the recorded figure). With NAMEs only those articles are re-measured;
the others keep their recorded figures. --errors prints the scorer's error list per article.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "gold"))

import goldset  # noqa: E402


def main(argv: list[str]) -> int:
    from dragoman import __version__
    from dragoman.nlp import load_pipeline

    names = [a for a in argv if not a.startswith("--")] or goldset.gold_names()
    unknown = sorted(set(names) - set(goldset.gold_names()))
    if unknown:
        print(f"no gold file for: {', '.join(unknown)}", file=sys.stderr)
        return 2
    pipe = load_pipeline()
    rows = [goldset.measure(name, pipe) for name in names]
    print(goldset.table(rows))
    if "--errors" in argv:
        for row in rows:
            print(f"\n== {row.name}")
            for err in row.errors:
                print(json.dumps(err, ensure_ascii=False))
    if "--dry-run" in argv:
        return 0
    articles = goldset.recorded()
    articles.update({row.name: row.figures for row in rows})
    data = {
        "about": "Figures of dragoman on tests/gold/*.gold.yaml; tests/gold/test_gold_articles.py asserts "
                 f"floors {goldset.MARGIN} below them. Rewrite with 'python benchmarks/record_gold.py' "
                 "on purpose only.",
        "measured": date.today().isoformat(),
        "dragoman": __version__,
        "articles": {name: articles[name] for name in sorted(articles)},
    }
    goldset.FIGURES.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {goldset.FIGURES.relative_to(goldset.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
