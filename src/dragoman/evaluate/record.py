"""Re-measure the development-set figures and rewrite ``tests/evaluate/figures.json`` on purpose.

``python -m dragoman.evaluate.record`` measures what the regression test measures: the reference
article, the PLOVER and re3d development sets (whole: together they take well under a minute;
``--plover-limit`` and ``--ner-limit`` cut them to a fixed sample if they grow), the real development
articles (the independent ones of ``../shared/eval/articles`` and the project's blind-annotated ones
in ``eval/articles``, those present when the figures were recorded), ``CAMEO_LIMIT`` evenly spaced
sentences of each CAMEO set and the WikiEvents documents: the subset of ``dragoman evaluate dev``
that fits the time of CI. The regression test
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

__all__ = [
    "ARTICLE_FIGURES",
    "CAMEO_LIMIT",
    "NER_LIMIT",
    "PLOVER_LIMIT",
    "REAL_FIGURES",
    "default_shared",
    "main",
    "measure",
]

# How much of each development file the regression test runs (None: all of it).
PLOVER_LIMIT: int | None = None
NER_LIMIT: int | None = None
CAMEO_LIMIT: int | None = 300
# the means over real articles worth guarding
REAL_FIGURES = (
    "events_f1", "events_precision", "events_core_recall", "events_core_recall_full", "entity_country_acc",
    "quotes_speaker_acc", "places_geo_acc",
)  # fmt: skip
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
            cameo_limit: int | None = CAMEO_LIMIT, own_real: list[str] | None = None,
            pipeline: Any = None, show_progress: bool = False) -> dict[str, float]:  # fmt: skip
    """The guarded figures, flat: ``article.<figure>``, ``plover.<figure>``, ``ner.<type>_f1``,
    ``real.<figure>`` and ``real_own.<figure>`` (means over articles), ``cameo_quad.accuracy``,
    ``cameo_actors.<role>_overlap`` and ``wikievents.<figure>``. ``own_real`` names the blind-annotated
    articles of ``eval/articles`` to include (default: all of them)."""
    from ..analyse import analyse
    from ..nlp import load_pipeline
    from .article import load_gold, score_article
    from .dev import DevPaths, measure_dev
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
    paths = DevPaths(shared=shared, repo=repo_root())
    out.update(_real_means(paths, pipe, own_real))
    dev = measure_dev(paths, ["cameo-quad", "cameo-actors"], pipeline=pipe, limit=cameo_limit)
    dev.update(measure_dev(paths, ["wikievents"], pipeline=pipe))
    out["cameo_quad.accuracy"] = dev["cameo-quad"]["accuracy"]
    for key in ("actor_overlap", "recipient_overlap"):
        out[f"cameo_actors.{key}"] = dev["cameo-actors"][key]
    for key in ("trigger_recall", "trigger_precision", "type_accuracy"):
        out[f"wikievents.{key}"] = dev["wikievents"][key]
    return {k: round(v, 4) for k, v in out.items()}


def own_real_articles() -> list[str]:
    """The slugs of the project's blind-annotated real articles (``eval/articles``)."""
    folder = repo_root() / "eval" / "articles"
    return sorted(p.name[: -len(".gold.yaml")] for p in folder.glob("*.gold.yaml")) if folder.is_dir() else []


def _real_means(paths: Any, pipe: Any, own_real: list[str] | None) -> dict[str, float]:
    from .articles import discover, evaluate_articles, summarise

    wanted = set(own_real_articles() if own_real is None else own_real)
    out: dict[str, float] = {}
    sets = (("real", paths.shared / "eval" / "articles"), ("real_own", paths.repo / "eval" / "articles"))
    for prefix, folder in sets:
        specs = discover(folder) if folder.is_dir() else []
        if prefix == "real_own":
            specs = [s for s in specs if s.slug in wanted]
        if not specs:
            continue
        figures = summarise(evaluate_articles(specs, data_root=paths.data, pipeline=pipe))
        out.update({f"{prefix}.{k}": float(figures[k]) for k in REAL_FIGURES})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dragoman.evaluate.record", description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=default_shared(), help="the shared data folder")
    parser.add_argument("--out", type=Path, default=repo_root() / "tests" / "evaluate" / "figures.json")
    parser.add_argument("--plover-limit", type=int, default=PLOVER_LIMIT, help="first N PLOVER records only")
    parser.add_argument("--ner-limit", type=int, default=NER_LIMIT, help="first N re3d sentences only")
    parser.add_argument("--cameo-limit", type=int, default=CAMEO_LIMIT, help="first N sentences of each CAMEO set")
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
        "sample": {"plover_records": args.plover_limit or "all", "re3d_sentences": args.ner_limit or "all",
                   "cameo_sentences": args.cameo_limit or "all", "real_own_articles": own_real_articles()},
        "guarded": measure(args.shared, plover_limit=args.plover_limit, ner_limit=args.ner_limit,
                           cameo_limit=args.cameo_limit, show_progress=True),
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
