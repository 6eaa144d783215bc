"""Re-measure the development-set figures and rewrite ``tests/evaluate/figures.json`` on purpose.

``python -m dragoman.evaluate.record`` measures what the regression test measures: the reference
article and the PLOVER and re3d development sets (whole: together they take well under a minute;
``--plover-limit`` and ``--ner-limit`` cut them to a fixed sample if they grow). The regression test
fails when a guarded figure drops more than two points below the recorded one, so run this after a
change that is *meant* to move the figures, and commit figures.json with that change.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

__all__ = ["ARTICLE_FIGURES", "NER_LIMIT", "PLOVER_LIMIT", "default_shared", "main", "measure"]

# How much of each development file the regression test runs (None: all of it).
PLOVER_LIMIT: int | None = None
NER_LIMIT: int | None = None
# the article figures worth guarding (the others are counts or not yet meaningful)
ARTICLE_FIGURES = (
    "entities_recall", "entity_country_acc", "entity_sector_acc", "events_precision", "events_core_recall",
    "events_f1", "events_core_recall_full", "quotes_recall", "attributions_recall", "places_recall",
    "places_geo_acc", "times_value_acc", "quantities_recall", "relations_recall", "published_ok",
    "boilerplate_removed",
)  # fmt: skip
REFERENCE_STEM = "iraq-militias-disarm"


def repo_root() -> Path:
    return Path(__file__).resolve().parents[3]


def default_shared() -> Path:
    """``../shared`` next to the repository, where the development data lives."""
    return repo_root().parent / "shared"


def measure(shared: Path, *, plover_limit: int | None = PLOVER_LIMIT, ner_limit: int | None = NER_LIMIT,
            pipeline: Any = None, show_progress: bool = False) -> dict[str, float]:  # fmt: skip
    """The guarded figures, flat: ``article.<figure>``, ``plover.<figure>``, ``ner.<type>_f1``."""
    from ..analyse import analyse
    from ..nlp import load_pipeline
    from .article import load_gold, score_article
    from .ner import evaluate_ner
    from .plover import evaluate_plover

    pipe = pipeline or load_pipeline()
    out: dict[str, float] = {}
    text = shared / "examples" / f"{REFERENCE_STEM}.txt"
    result = analyse(text.read_bytes(), source=f"examples/{REFERENCE_STEM}.txt", pipeline=pipe).to_dict()
    figures, _ = score_article(result, load_gold(shared / "examples" / f"{REFERENCE_STEM}.gold.yaml"))
    out.update({f"article.{k}": float(figures[k]) for k in ARTICLE_FIGURES})
    pl = evaluate_plover(shared / "eval" / "data" / "plover_gsr_dev.jsonl", pipeline=pipe, limit=plover_limit,
                         show_progress=show_progress)  # fmt: skip
    out["plover.type_accuracy"] = pl["type_accuracy"]
    out["plover.macro_f1"] = pl["macro_f1"]
    out["plover.quad_accuracy"] = pl["quad_accuracy"]
    out["plover.actor_country_f1"] = pl["actor_country"]["f1"]
    out["plover.recipient_country_f1"] = pl["recipient_country"]["f1"]
    ner = evaluate_ner(shared / "eval" / "data" / "re3d_dev.conll", pipeline=pipe, limit=ner_limit,
                       show_progress=show_progress)  # fmt: skip
    for t, v in ner["per_type"].items():
        out[f"ner.{t.lower()}_f1"] = v["f1"]
    out["ner.micro_f1"] = ner["micro"]["f1"]
    return {k: round(v, 4) for k, v in out.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dragoman.evaluate.record", description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=default_shared(), help="the shared data folder")
    parser.add_argument("--out", type=Path, default=repo_root() / "tests" / "evaluate" / "figures.json")
    parser.add_argument("--plover-limit", type=int, default=PLOVER_LIMIT, help="first N PLOVER records only")
    parser.add_argument("--ner-limit", type=int, default=NER_LIMIT, help="first N re3d sentences only")
    args = parser.parse_args(argv)
    if not (args.shared / "eval" / "data").is_dir():
        print(f"no development data under {args.shared}; pass --shared", file=sys.stderr)
        return 2
    from .. import __version__

    previous: dict[str, Any] = json.loads(args.out.read_text(encoding="utf-8")) if args.out.exists() else {}
    record: dict[str, Any] = {
        "about": "Development-set figures guarded by tests/evaluate/test_figures.py; rewrite with "
                 "'python -m dragoman.evaluate.record' only on purpose.",
        "measured": date.today().isoformat(),
        "dragoman": __version__,
        "sample": {"plover_records": args.plover_limit or "all", "re3d_sentences": args.ner_limit or "all"},
        "guarded": measure(args.shared, plover_limit=args.plover_limit, ner_limit=args.ner_limit,
                           show_progress=True),
    }  # fmt: skip
    args.out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    for key, value in record["guarded"].items():
        old = (previous.get("guarded") or {}).get(key)
        change = f"  (was {old:.4f})" if isinstance(old, float | int) and old != value else ""
        print(f"{key:38s} {value:.4f}{change}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
