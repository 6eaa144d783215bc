"""The project's own gold articles: where they live, how they are checked, analysed and scored.

Each ``tests/gold/<name>.gold.yaml`` annotates ``examples/<name>.txt`` in the format of the shared
reference annotation (``../shared/examples/iraq-militias-disarm.gold.yaml``). An article is analysed
the way held-out articles are: with its gold publication date passed as ``published=``, and scored
with :func:`dragoman.evaluate.article.score_article` (the rules of ``eval/score_article.py``).

Used by the tests in this folder and by ``benchmarks/record_gold.py``, which rewrites
``figures.json``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from dragoman.evaluate.article import _locate, load_gold, score_article

ROOT = Path(__file__).resolve().parents[2]
GOLD_DIR = ROOT / "tests" / "gold"
EXAMPLES = ROOT / "examples"
FIGURES = GOLD_DIR / "figures.json"

# the figures reported per article, in table order, with short column names
COLUMNS: dict[str, str] = {
    "events_f1": "ev F1",
    "events_precision": "ev P",
    "events_core_recall": "core R",
    "events_core_recall_full": "full R",
    "entities_recall": "ent R",
    "entity_country_acc": "ctry",
    "entity_sector_acc": "sect",
    "quotes_recall": "quo R",
    "quotes_speaker_acc": "spk",
    "attributions_recall": "attr",
    "places_recall": "pl R",
    "places_geo_acc": "geo",
    "times_value_acc": "times",
    "quantities_recall": "qty",
    "relations_recall": "rel",
    "published_ok": "pub",
    "boilerplate_removed": "bp",
}
# floors are set this far below the recorded figure (and never above 1.0 or below 0.0)
MARGIN = 0.05


@dataclass
class Measured:
    name: str
    figures: dict[str, float]
    errors: list[dict[str, Any]] = field(default_factory=list)


def gold_names() -> list[str]:
    """The stems of every gold file in this folder, sorted."""
    return sorted(p.name.removesuffix(".gold.yaml") for p in GOLD_DIR.glob("*.gold.yaml"))


def gold_path(name: str) -> Path:
    return GOLD_DIR / f"{name}.gold.yaml"


def article_path(name: str) -> Path:
    return EXAMPLES / f"{name}.txt"


def gold_problems(gold: Mapping[str, Any], text: str) -> list[str]:
    """What in a gold file cannot be scored as meant: unlocatable evidence, undefined keys."""
    problems: list[str] = []
    entities = gold.get("entities") or {}
    places = gold.get("places") or {}
    ids = [ev["id"] for ev in gold.get("events") or []]
    if len(ids) != len(set(ids)):
        problems.append("duplicate event ids")
    for ev in gold.get("events") or []:
        if _locate(text, ev["evidence"]) is None:
            problems.append(f"event {ev['id']}: evidence not in text: {ev['evidence']!r}")
        for role in ("actor", "recipient"):
            for key in ev.get(role) or []:
                if key not in entities:
                    problems.append(f"event {ev['id']}: {role} {key!r} is not an entity")
        for key in ev.get("places") or []:
            if key not in places:
                problems.append(f"event {ev['id']}: place {key!r} is not defined")
        speaker = (ev.get("attribution") or {}).get("speaker")
        if speaker is not None and speaker not in entities:
            problems.append(f"event {ev['id']}: attribution speaker {speaker!r} is not an entity")
    for q in gold.get("quotes") or []:
        if q["speaker"] not in entities:
            problems.append(f"quote speaker {q['speaker']!r} is not an entity")
        if _locate(text, q["text"].rstrip(",")) is None:
            problems.append(f"quote not in text: {q['text']!r}")
    for a in gold.get("attributions") or []:
        speakers = a["speaker"] if isinstance(a["speaker"], list) else [a["speaker"]]
        problems += [f"attribution speaker {s!r} is not an entity" for s in speakers if s not in entities]
        if _locate(text, a["evidence"]) is None:
            problems.append(f"attribution evidence not in text: {a['evidence']!r}")
    for item in ("times", "quantities"):
        for t in gold.get(item) or []:
            if _locate(text, t["text"]) is None:
                problems.append(f"{item}: not in text: {t['text']!r}")
    for s, _, o in gold.get("relations") or []:
        problems += [f"relation: {k!r} is not an entity" for k in (s, o) if k not in entities]
    return problems


def analyse_gold_article(name: str, pipeline: Any = None) -> dict[str, Any]:
    """The article result of examples/<name>.txt, analysed with the gold publication date."""
    from dragoman.analyse import analyse

    gold = load_gold(gold_path(name))
    published = gold["document"].get("published")
    result = analyse(
        article_path(name).read_bytes(),
        source=f"examples/{name}.txt",
        published=date.fromisoformat(published) if published else None,
        pipeline=pipeline,
    )
    return result.to_dict()


def measure(name: str, pipeline: Any = None) -> Measured:
    gold = load_gold(gold_path(name))
    result = analyse_gold_article(name, pipeline)
    figures, errors = score_article(result, gold)
    return Measured(name, {k: round(float(v), 4) for k, v in figures.items()}, errors)


def recorded() -> dict[str, dict[str, float]]:
    """The per-article figures in figures.json ({} when it has not been written yet)."""
    if not FIGURES.is_file():
        return {}
    return json.loads(FIGURES.read_text(encoding="utf-8"))["articles"]


def floor(value: float) -> float:
    return max(0.0, round(value - MARGIN, 4))


def table(rows: list[Measured]) -> str:
    """A plain-text table of the reported figures, one row per article and a mean row."""
    width = max([len(r.name) for r in rows] + [len("mean")])
    head = f"{'article':<{width}} " + " ".join(f"{c:>6}" for c in COLUMNS.values())
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r.name:<{width}} " + " ".join(f"{r.figures.get(k, 0.0):6.2f}" for k in COLUMNS))
    if rows:
        means = {k: sum(r.figures.get(k, 0.0) for r in rows) / len(rows) for k in COLUMNS}
        lines.append(f"{'mean':<{width}} " + " ".join(f"{means[k]:6.2f}" for k in COLUMNS))
    return "\n".join(lines)
