"""CAMEO-coded news sentences: the quad class of the main event, and its source and target actors.

Two development files (ConfliBERT's releases of CAMEO-coded sentences):

- quad class (``text``, ``label_name``): each sentence is analysed as an article and its main event
  is the most confident one (:func:`.plover.sentence_event`). Its PLOVER type's quad class is compared
  with the gold's. ``MAKE_STATEMENT`` sentences (CAMEO 01/02, which PLOVER does not code as events)
  are left out; a sentence without an event counts as wrong. Figures: accuracy and macro-F1 over the
  four classes.
- source and target actors (``tokens``, ``spans`` with ``label`` S, T or R): the sentence is the
  tokens joined by single spaces. The main event's actor *mention* is the mention, inside the event's
  sentence, of one of its actor entities, nearest to the trigger (likewise for the recipient); a
  pronoun stands for the entity only when the sentence names it no other way, because the event
  names an entity, and CAMEO marks its name ("Kazakhstan is considering sending aid to its
  neighbour": the actor is Kazakhstan, not "its"). A
  reciprocal span (R) counts as both source and target. Figures: the share of sentences with a gold
  source whose predicted actor mention overlaps a gold source span (and likewise for targets), and
  token-overlap precision, recall and F1 of actor tokens against source tokens (recipient against
  target), summed over sentences.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..plover import quad_of
from .plover import sentence_event
from .report import analysed_or_refused, prf, progress

if TYPE_CHECKING:
    from ..nlp import Pipeline

__all__ = ["QUADS", "evaluate_actors", "evaluate_quad", "mention_tokens", "score_actors", "score_quad"]

# dragoman's quad numbers (dragoman.plover.quad_of) and the dataset's class names
QUADS = {1: "VERBAL_COOPERATION", 2: "MATERIAL_COOPERATION", 3: "VERBAL_CONFLICT", 4: "MATERIAL_CONFLICT"}
NO_EVENT = "none"
# The gold classes are CAMEO quad classes. The common grouping (GDELT's QuadClass) is 01-05 verbal
# cooperation, 06-08 material cooperation, 09-13 verbal conflict, 14-20 material conflict; this
# dataset's labels put "reduce relations" (CAMEO 16: cutting ties, aid and talks, expelling) with
# verbal conflict instead, as its sentences show (66 of the 67 that dragoman codes SANCTION are
# labelled VERBAL_CONFLICT). A PLOVER type is scored in the class of the CAMEO root codes it comes
# from (PLOVER's CAMEO-to-PLOVER table), under the dataset's convention: CONCEDE comes from CAMEO 08
# "yield" (easing sanctions, acceding to demands: material cooperation), SANCTION from CAMEO 16. The
# accuracy with PLOVER's own quads is reported beside it (``plover_class_accuracy``), since this
# mapping was chosen on the development set.
CAMEO_CLASS = {"CONCEDE": 2, "SANCTION": 3}


def cameo_quad(event: str) -> int:
    """The CAMEO quad class of a PLOVER event type (see :data:`CAMEO_CLASS`)."""
    return CAMEO_CLASS.get(event, quad_of(event))


def _read(path: str | Path, limit: int | None) -> list[dict[str, Any]]:
    """The records of a file; with ``limit``, that many spread evenly over it (the files are grouped
    by source, so their first lines are not a fair sample)."""
    with open(path, encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    if limit is None or limit >= len(records):
        return records
    return [records[i * len(records) // limit] for i in range(limit)]


def _analyse_all(texts: Sequence[str], pipe: Pipeline, description: str, show: bool) -> list[dict[str, Any]]:
    """Each sentence's article result; a sentence dragoman refuses (say, as not English) gets an empty
    result marked ``refused``, which scores as having no event."""
    return [
        analysed_or_refused(text, pipe, source="cameo")
        for text in progress(texts, total=len(texts), description=description, enabled=show)
    ]


def predicted_quad(result: Mapping[str, Any], *, plover_classes: bool = False) -> str:
    """The CAMEO quad class of the sentence's main event (with ``plover_classes``, PLOVER's own quad)."""
    ev = sentence_event(result)
    if ev is None:
        return NO_EVENT
    return QUADS.get(quad_of(ev["event"]) if plover_classes else cameo_quad(ev["event"]), NO_EVENT)


def score_quad(records: Sequence[Mapping[str, Any]], results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Accuracy and macro-F1 over the four classes, MAKE_STATEMENT records left out; also the accuracy
    with PLOVER's own quad classes (``plover_class_accuracy``), for comparison."""
    confusion: dict[str, Counter[str]] = {}
    errors = []
    plover_ok = 0
    for rec, result in zip(records, results, strict=True):
        gold = rec["label_name"]
        if gold not in QUADS.values():
            continue
        pred = predicted_quad(result)
        confusion.setdefault(gold, Counter())[pred] += 1
        plover_ok += predicted_quad(result, plover_classes=True) == gold
        if pred != gold:
            ev = sentence_event(result)
            errors.append(
                {
                    "id": rec.get("id"),
                    "gold": gold,
                    "predicted": pred,
                    "text": rec["text"],
                    "trigger": ((ev or {}).get("trigger") or {}).get("text"),
                    "event": (ev or {}).get("event"),
                }
            )
    n = sum(sum(c.values()) for c in confusion.values())
    correct = sum(c[g] for g, c in confusion.items())
    f1s = []
    for q in QUADS.values():
        tp = confusion.get(q, Counter())[q]
        n_pred = sum(c[q] for c in confusion.values())
        n_gold = sum(confusion.get(q, Counter()).values())
        f1s.append(prf(tp, n_pred, tp, n_gold)[2])
    return {
        "sentences": n,
        "refused": sum(1 for r in results if "refused" in r),
        "no_event": sum(c[NO_EVENT] for c in confusion.values()),
        "accuracy": correct / n if n else 0.0,
        "plover_class_accuracy": plover_ok / n if n else 0.0,
        "macro_f1": sum(f1s) / len(f1s),
        "confusion": {g: dict(c) for g, c in confusion.items()},
        "errors": errors,
    }


def evaluate_quad(
    path: str | Path, *, pipeline: Pipeline | None = None, limit: int | None = None, show_progress: bool = False
) -> dict[str, Any]:
    from ..nlp import load_pipeline

    pipe = pipeline or load_pipeline()
    records = [r for r in _read(path, limit) if r["label_name"] in QUADS.values()]
    results = _analyse_all([r["text"] for r in records], pipe, "CAMEO quad", show_progress)
    return {"file": str(path), **score_quad(records, results)}


def _token_starts(tokens: Sequence[str]) -> list[int]:
    starts, pos = [], 0
    for tok in tokens:
        starts.append(pos)
        pos += len(tok) + 1
    return starts


def mention_tokens(starts: Sequence[int], tokens: Sequence[str], start: int, end: int) -> set[int]:
    """Indices of the tokens a character span [start, end) touches, in text made by joining tokens with spaces."""
    return {i for i, s in enumerate(starts) if s < end and s + len(tokens[i]) > start}


PRONOUNS = frozenset({"i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her", "it",
                      "its", "they", "them", "their", "who", "whom", "whose", "which", "that"})


def _role_mention(result: Mapping[str, Any], ev: Mapping[str, Any], role: str) -> tuple[int, int] | None:
    """The mention of one of the event's ``role`` entities inside its sentence nearest to its trigger,
    a name or description before a pronoun."""
    ids = set(ev.get(role) or ())
    if not ids:
        return None
    sent = ev.get("sentence") or {}
    lo, hi = sent.get("start", 0), sent.get("end", 10**9)
    trig = ev.get("trigger") or {}
    centre = (trig.get("start", 0) + trig.get("end", 0)) / 2
    best: tuple[bool, float, tuple[int, int]] | None = None
    for ent in result.get("entities", []):
        if ent.get("id") not in ids:
            continue
        for m in ent.get("mentions", []):
            if m["start"] >= lo and m["end"] <= hi:
                pronoun = str(m.get("text", "")).strip().lower() in PRONOUNS
                rank = (pronoun, abs((m["start"] + m["end"]) / 2 - centre))
                if best is None or rank < best[:2]:
                    best = (*rank, (m["start"], m["end"]))
    return best[2] if best else None


def score_actors(records: Sequence[Mapping[str, Any]], results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Overlap shares and token-overlap P/R/F1 of the main event's actor and recipient (module docstring)."""
    tally = {role: {"sentences": 0, "overlap": 0, "hits": 0, "pred": 0, "gold": 0} for role in ("actor", "recipient")}
    errors = []
    for rec, result in zip(records, results, strict=True):
        tokens = rec["tokens"]
        starts = _token_starts(tokens)
        gold_tokens = {"actor": set(), "recipient": set()}  # type: dict[str, set[int]]
        for span in rec.get("spans", []):
            covered = set(range(span["start"], span["end"]))
            if span["label"] in ("S", "R"):
                gold_tokens["actor"] |= covered
            if span["label"] in ("T", "R"):
                gold_tokens["recipient"] |= covered
        ev = sentence_event(result)
        row: dict[str, Any] = {"id": rec.get("id"), "text": " ".join(tokens)}
        wrong = False
        for role, t in tally.items():
            where = _role_mention(result, ev, role) if ev else None
            pred = mention_tokens(starts, tokens, *where) if where else set()
            gold = gold_tokens[role]
            t["hits"] += len(pred & gold)
            t["pred"] += len(pred)
            t["gold"] += len(gold)
            if gold:
                t["sentences"] += 1
                ok = bool(pred & gold)
                t["overlap"] += ok
                wrong |= not ok
            row[f"{role}_gold"] = " ".join(tokens[i] for i in sorted(gold))
            row[f"{role}_predicted"] = " ".join(tokens[i] for i in sorted(pred))
        if wrong:
            errors.append(row)
    figures: dict[str, Any] = {"sentences": len(records), "refused": sum(1 for r in results if "refused" in r)}
    for role, t in tally.items():
        p, r, f = prf(t["hits"], t["pred"], t["hits"], t["gold"])
        figures[role] = {
            "overlap_share": t["overlap"] / t["sentences"] if t["sentences"] else 0.0,
            "with_gold": t["sentences"],
            "precision": p,
            "recall": r,
            "f1": f,
        }
    figures["errors"] = errors
    return figures


def evaluate_actors(
    path: str | Path, *, pipeline: Pipeline | None = None, limit: int | None = None, show_progress: bool = False
) -> dict[str, Any]:
    from ..nlp import load_pipeline

    pipe = pipeline or load_pipeline()
    records = _read(path, limit)
    results = _analyse_all([" ".join(r["tokens"]) for r in records], pipe, "CAMEO actors", show_progress)
    return {"file": str(path), **score_actors(records, results)}
