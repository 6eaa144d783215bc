"""``dragoman evaluate plover``: event type and actor countries scored on PLOVER gold-standard records.

Each record (one JSON object a line, the format of openeventdata/PLOVER's gold-standard records)
holds one sentence, ``text``, with one gold event. The sentence is analysed as a whole article, with
the record's ``date`` as its publication date, and *the sentence's event is the most confident event
of the result* (ties: the first in the text). A sentence with no event predicted counts as wrong.

Figures:
- event-type accuracy against ``event_plover2021`` (the 2021 16-type labels);
- macro-F1: the mean over the 16 types of each type's F1, where a sentence without a predicted event
  is a miss for its gold type and a false alarm for no type; a type that is neither in the gold nor
  predicted stays out of the mean (it has nothing to score);
- quad-class accuracy: the predicted type's quad class (``dragoman.plover.quad_of``) equals the gold
  type's; no event is wrong;
- actor and recipient country set-F1. The gold set of a record is the set of ``code`` values of its
  ``source`` (or ``target``) actors; the predicted set is the set of ``country`` values of the
  entities named as ``actor`` (or ``recipient``) of the sentence's event, entities without a country
  adding nothing. Sets are compared per record and the counts summed over all records (micro set-F1):
  precision = Σ|G ∩ P| / Σ|P|, recall = Σ|G ∩ P| / Σ|G|. So a record where both sets are empty adds
  nothing; predicted codes for a record whose gold set is empty are false alarms, and gold codes of a
  record without an event are misses. ``target`` is sometimes an empty string or a stray word in the
  data rather than a list: that is an empty gold set.
- Codes are compared as upper-case strings after two normalisations: the international codes IGO,
  NGO, IMG and MNC (actors without a country, as dragoman's knowledge base gives them too) are kept
  as they are, and the few old CAMEO country codes that differ from ISO 3166 alpha-3 (ITL, JAP, VTN,
  …) are mapped to ISO. A code holding several values (``"USA;GBR"``, ``"USA/GBR"``) counts as each of
  them.
- a confusion matrix (gold type × predicted type, ``none`` for no event) and an ``errors`` list: each
  record whose type or actor/recipient countries are wrong, with its text and what was predicted.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..plover import EVENT_TYPES, INTERNATIONAL_CODES, intent_reading, quad_of
from .report import (
    analysed_or_refused,
    confusion_table,
    emit,
    error_table,
    figures_table,
    output_options,
    prf,
    progress,
)

if TYPE_CHECKING:
    from ..nlp import Pipeline

__all__ = [
    "command",
    "evaluate_plover",
    "gold_codes",
    "load_records",
    "predicted_codes",
    "score_records",
    "sentence_event",
]

NO_EVENT = "none"
# CAMEO country codes that differ from today's ISO 3166-1 alpha-3 (CAMEO's own, and withdrawn ISO ones)
CAMEO_TO_ISO = {
    "ITL": "ITA",
    "JAP": "JPN",
    "VTN": "VNM",
    "ROM": "ROU",
    "ZAR": "COD",
    "TMP": "TLS",
    "BUR": "MMR",
}


def load_records(path: str | Path, *, limit: int | None = None) -> list[dict[str, Any]]:
    """The records of a PLOVER gold-standard JSONL file (the first ``limit`` when given)."""
    records: list[dict[str, Any]] = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise click.ClickException(f"{path}:{n}: not valid JSON ({exc.msg})") from exc
            if "text" not in rec or "event_plover2021" not in rec:
                raise click.ClickException(f"{path}:{n}: a record needs 'text' and 'event_plover2021'")
            records.append(rec)
            if limit is not None and len(records) >= limit:
                break
    return records


def _normalise(code: Any) -> set[str]:
    if not code or not isinstance(code, str):
        return set()
    out = set()
    for part in re.split(r"[;,/|\s]+", code.strip().upper()):
        if part:
            out.add(part if part in INTERNATIONAL_CODES else CAMEO_TO_ISO.get(part, part))
    return out


def gold_codes(actors: Any) -> set[str]:
    """The country codes of a record's ``source`` or ``target`` (anything but a list is empty)."""
    if not isinstance(actors, list):
        return set()
    codes: set[str] = set()
    for actor in actors:
        if isinstance(actor, Mapping):
            codes |= _normalise(actor.get("code"))
    return codes


def predicted_codes(result: Mapping[str, Any], entity_ids: Iterable[str]) -> set[str]:
    """The countries of the given entities of a result (entities without a country add nothing)."""
    by_id = {e["id"]: e for e in result.get("entities", [])}
    codes: set[str] = set()
    for eid in entity_ids:
        ent = by_id.get(eid)
        if ent is not None:
            codes |= _normalise(ent.get("country"))
    return codes


def sentence_event(result: Mapping[str, Any]) -> dict[str, Any] | None:
    """The most confident event of a result (the first one in the text on a tie), typed as a sentence
    coder types it: an act stated in the future is the intent it implies (:func:`intent_reading`)."""
    best: dict[str, Any] | None = None
    for ev in result.get("events", []):
        if best is None or float(ev.get("confidence", 0.0)) > float(best.get("confidence", 0.0)):
            best = ev
    if best is None:
        return None
    modality = best.get("modality") or {}
    if modality.get("time") == "future" and not modality.get("conditional") and not modality.get("negated"):
        intent = intent_reading(str(best.get("event")))
        if intent is not None:
            return {**best, "event": intent[0], "mode": intent[1]}
    return best


def _entity_names(result: Mapping[str, Any], ids: Iterable[str]) -> list[str]:
    by_id = {e["id"]: e for e in result.get("entities", [])}
    return [f"{by_id[i]['name']} ({by_id[i].get('country') or '-'})" for i in ids if i in by_id]


def score_records(
    records: Sequence[Mapping[str, Any]], results: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """Score analysed records: ``results[i]`` is the article result (a dict) for ``records[i]``."""
    types = list(EVENT_TYPES)
    labels = [*types, NO_EVENT]
    confusion: dict[str, Counter[str]] = {t: Counter() for t in labels}
    type_ok = quad_ok = 0
    country = {"actor": [0, 0, 0], "recipient": [0, 0, 0]}  # hits, predicted, gold
    errors: list[dict[str, Any]] = []
    for rec, result in zip(records, results, strict=True):
        gold_type = rec["event_plover2021"]
        ev = sentence_event(result)
        pred_type = ev["event"] if ev else NO_EVENT
        confusion.setdefault(gold_type, Counter())[pred_type] += 1
        type_ok += pred_type == gold_type
        quad_ok += ev is not None and gold_type in EVENT_TYPES and quad_of(pred_type) == quad_of(gold_type)
        row: dict[str, Any] = {}
        for role, field in (("actor", "source"), ("recipient", "target")):
            gold_set = gold_codes(rec.get(field))
            pred_set = predicted_codes(result, ev.get(role, ())) if ev else set()
            tally = country[role]
            tally[0] += len(gold_set & pred_set)
            tally[1] += len(pred_set)
            tally[2] += len(gold_set)
            row[role] = (gold_set, pred_set)
        if pred_type != gold_type or any(g != p for g, p in row.values()):
            errors.append({
                "id": rec.get("id"),
                "text": rec["text"],
                "gold": gold_type,
                "predicted": pred_type,
                "type_ok": pred_type == gold_type,
                "trigger": (ev.get("trigger") or {}).get("text") if ev else None,
                "gold_trigger": rec.get("eventText"),
                "events": [f"{e['event']}:{(e.get('trigger') or {}).get('text')}"
                           for e in result.get("events", [])],
                "actor_gold": sorted(row["actor"][0]),
                "actor_predicted": sorted(row["actor"][1]),
                "actor_entities": _entity_names(result, ev.get("actor", ())) if ev else [],
                "recipient_gold": sorted(row["recipient"][0]),
                "recipient_predicted": sorted(row["recipient"][1]),
                "recipient_entities": _entity_names(result, ev.get("recipient", ())) if ev else [],
            })  # fmt: skip
    n = len(records)
    per_type: dict[str, dict[str, float]] = {}
    for t in types:
        tp = confusion.get(t, Counter())[t]
        n_pred = sum(confusion[g][t] for g in confusion)
        n_gold = sum(confusion.get(t, Counter()).values())
        p, r, f = prf(tp, n_pred, tp, n_gold)
        per_type[t] = {"precision": p, "recall": r, "f1": f, "support": n_gold, "predicted": n_pred}
    scored = [v["f1"] for v in per_type.values() if v["support"] or v["predicted"]]
    figures: dict[str, Any] = {
        "records": n,
        "no_event": sum(confusion[g][NO_EVENT] for g in confusion),
        "type_accuracy": type_ok / n if n else 0.0,
        "macro_f1": sum(scored) / len(scored) if scored else 0.0,
        "quad_accuracy": quad_ok / n if n else 0.0,
    }
    for role, (hits, n_pred, n_gold) in country.items():
        p, r, f = prf(hits, n_pred, hits, n_gold)
        figures[f"{role}_country"] = {
            "precision": p,
            "recall": r,
            "f1": f,
            "gold": n_gold,
            "predicted": n_pred,
        }
    figures["per_type"] = per_type
    figures["confusion"] = {g: dict(c) for g, c in confusion.items() if c}
    figures["errors"] = errors
    return figures


def evaluate_plover(
    path: str | Path,
    *,
    pipeline: Pipeline | None = None,
    limit: int | None = None,
    show_progress: bool = False,
) -> dict[str, Any]:
    """Analyse each record's sentence as an article and score the results (see the module docstring)."""
    from ..nlp import load_pipeline

    pipe = pipeline or load_pipeline()
    records = load_records(path, limit=limit)
    results = []
    for rec in progress(records, total=len(records), description="PLOVER records", enabled=show_progress):
        results.append(
            analysed_or_refused(rec["text"], pipe, source=str(rec.get("id") or path), published=rec.get("date"))
        )
    figures = score_records(records, results)
    return {"file": str(path), **figures}


@click.command("plover")
@click.argument("file", metavar="FILE.jsonl", type=click.Path(exists=True, dir_okay=False))
@click.option("--limit", type=click.IntRange(min=1), help="Score only the first N records.")
@output_options
def command(file: str, limit: int | None, as_json: bool, show_errors: bool) -> None:
    """Score event types and actor countries on PLOVER gold-standard records (JSON Lines)."""
    figures = evaluate_plover(file, limit=limit, show_progress=True)

    def render(console: Any) -> None:
        rows: list[tuple[Any, ...]] = [
            ("event-type accuracy", figures["type_accuracy"], "", ""),
            ("macro-F1 (16 types)", figures["macro_f1"], "", ""),
            ("quad-class accuracy", figures["quad_accuracy"], "", ""),
        ]
        for role in ("actor", "recipient"):
            c = figures[f"{role}_country"]
            rows.append((f"{role} country set-F1", c["f1"], c["precision"], c["recall"]))
        console.print(
            figures_table(
                f"PLOVER: {figures['records']} records, {figures['no_event']} without an event",
                rows,
                ("figure", "value", "precision", "recall"),
            )
        )
        console.print(
            figures_table(
                "per event type",
                [
                    (t, v["f1"], v["precision"], v["recall"], v["support"], v["predicted"])
                    for t, v in figures["per_type"].items()
                ],
                ("type", "F1", "precision", "recall", "gold", "predicted"),
            )
        )
        console.print(confusion_table(figures["confusion"], [*EVENT_TYPES, NO_EVENT]))
        if show_errors:
            console.print(error_table(
                figures["errors"],
                ("id", "gold", "predicted", "trigger", "gold_trigger", "actor_gold", "actor_predicted",
                 "recipient_gold", "recipient_predicted", "text")))  # fmt: skip

    emit(figures, as_json=as_json, show_errors=show_errors, render=render)
