"""WikiEvents documents: event triggers, their types and their attacker/target arguments.

Each record is one news document annotated with KAIROS events (trigger token spans, types and
arguments). The record's text lost its paragraph breaks; they are restored from its sentence list
(:func:`.articles.restore_paragraphs`), which puts the tokens back at the character offsets the
record gives them. The restored text is analysed as one article.

Only KAIROS types with a PLOVER counterpart are scored (:data:`KAIROS_TO_PLOVER`; deaths, injuries,
damage, trials and transport are consequences or lie outside PLOVER and are left out). Figures:

- trigger recall: the share of gold triggers of those types overlapped by the trigger, or one of the
  further mentions, of some predicted event, overall and for noun and verb triggers apart (the part
  of speech is the model's reading of the trigger's head token);
- trigger precision: the share of predicted trigger spans (each event's trigger and its further
  mentions, as recall credits both) that overlap a gold trigger of *any* KAIROS type (an event
  coded on "killed", annotated Life.Die, is not a false alarm), and F1;
- type accuracy: on the gold triggers found, the share whose overlapping event has the mapped type;
- argument head match: for found attack triggers with a gold Attacker (Target or Victim), the share
  where the event's actor (recipient) entity has a mention overlapping one of those arguments.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .articles import restore_paragraphs
from .report import analysed_or_refused, prf, progress

if TYPE_CHECKING:
    from ..nlp import Pipeline

__all__ = ["KAIROS_TO_PLOVER", "evaluate_wikievents", "plover_type", "prepare", "score_document"]

# KAIROS type prefixes and the PLOVER type they correspond to (PLOVER definitions, spec/plover.md)
KAIROS_TO_PLOVER = {
    "Conflict.Attack": "ASSAULT",
    "Conflict.Demonstrate": "PROTEST",
    "Contact.Contact.Meet": "CONSULT",
    "Contact.Negotiate": "CONSULT",
    "Contact.RequestCommand": "REQUEST",
    "Contact.ThreatenCoerce": "THREATEN",
    "Justice.ArrestJailDetain": "COERCE",
    "Justice.InvestigateCrime": "ACCUSE",
    "Justice.ChargeIndict": "ACCUSE",
    "Justice.Convict": "SANCTION",
    "Justice.Sentence": "SANCTION",
    "Justice.ReleaseParole": "RETREAT",
}
ARGUMENT_ROLES = {"Attacker": "actor", "Target": "recipient", "Victim": "recipient"}


def plover_type(kairos: str) -> str | None:
    """The PLOVER type of a KAIROS event type, by its longest listed prefix; None when it has none."""
    best = None
    for prefix, plover in KAIROS_TO_PLOVER.items():
        if (kairos == prefix or kairos.startswith(prefix + ".")) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, plover)
    return best[1] if best else None


def prepare(record: Mapping[str, Any]) -> tuple[str, list[tuple[int, int]]]:
    """The restored text and every document token's character span in it.

    The records' own token offsets disagree with their text by the deleted line breaks (sometimes
    counting them, sometimes not), so each token is found again, in order, in the restored text."""
    text = restore_paragraphs(record["text"], [s[1] for s in record["sentences"]])
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in record["sentences"]:
        for word, _, _ in sentence[0]:
            at = text.find(word, cursor)
            if at < 0 or at - cursor > 40:  # a token the text spells differently: keep the position
                at = cursor
                spans.append((at, at + len(word)))
                continue
            spans.append((at, at + len(word)))
            cursor = at + len(word)
    return text, spans


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_document(
    record: Mapping[str, Any], result: Mapping[str, Any], spans: Sequence[tuple[int, int]], pos: Sequence[str]
) -> dict[str, Any]:
    """Counts for one document (summed by :func:`evaluate_wikievents`); ``pos`` is the coarse part of
    speech of each document token."""
    events = result.get("events", [])
    triggers = [(e["trigger"]["start"], e["trigger"]["end"]) for e in events]
    # an event's further mentions ("the attack ... the blast") are triggers of the same event
    said = [[t, *((m["start"], m["end"]) for m in e.get("mentions", []))]
            for e, t in zip(events, triggers, strict=True)]
    mentions = {e["id"]: [(m["start"], m["end"]) for m in e.get("mentions", [])] for e in result.get("entities", [])}
    entity_spans = {m["id"]: (spans[m["start"]][0], spans[m["end"] - 1][1]) for m in record.get("entity_mentions", [])}

    def char_span(tok: Mapping[str, Any]) -> tuple[int, int]:
        return spans[tok["start"]][0], spans[tok["end"] - 1][1]

    all_gold = [char_span(m["trigger"]) for m in record["event_mentions"]]
    c: Counter[str] = Counter()
    errors = []
    # every predicted span counts, further mentions too, since recall credits them
    predicted = [t for spans_ in said for t in dict.fromkeys(spans_)]  # a mention may repeat the trigger
    c["predicted"] = len(predicted)
    c["predicted_hit"] = sum(any(_overlaps(t, g) for g in all_gold) for t in predicted)
    for m in record["event_mentions"]:
        want = plover_type(m["event_type"])
        if want is None:
            continue
        where = char_span(m["trigger"])
        head_pos = pos[m["trigger"]["end"] - 1] if m["trigger"]["end"] - 1 < len(pos) else "X"
        cls = "noun" if head_pos in ("NOUN", "PROPN") else "verb" if head_pos in ("VERB", "AUX") else "other"
        c["gold"] += 1
        c[f"gold_{cls}"] += 1
        found = [e for e, spans_ in zip(events, said, strict=True) if any(_overlaps(t, where) for t in spans_)]
        if not found:
            errors.append(
                {
                    "doc": record["doc_id"],
                    "kind": "trigger missed",
                    "gold": want,
                    "text": m["trigger"]["text"],
                    "pos": cls,
                }
            )
            continue
        c["found"] += 1
        c[f"found_{cls}"] += 1
        typed = [e for e in found if e["event"] == want]
        c["type_ok"] += bool(typed)
        if not typed:
            errors.append(
                {
                    "doc": record["doc_id"],
                    "kind": "wrong type",
                    "gold": want,
                    "predicted": found[0]["event"],
                    "text": m["trigger"]["text"],
                    "pos": cls,
                }
            )
        ev = (typed or found)[0]
        for role, field in ARGUMENT_ROLES.items():
            args = [
                entity_spans[a["entity_id"]]
                for a in m.get("arguments", [])
                if a["role"] == role and a["entity_id"] in entity_spans
            ]
            if not args or want != "ASSAULT":
                continue
            c[f"arg_{field}"] += 1
            ok = any(_overlaps(ms, a) for eid in ev.get(field, []) for ms in mentions.get(eid, []) for a in args)
            c[f"arg_{field}_ok"] += ok
    return {"counts": c, "errors": errors}


def evaluate_wikievents(
    path: str | Path, *, pipeline: Pipeline | None = None, limit: int | None = None, show_progress: bool = False
) -> dict[str, Any]:
    from ..nlp import load_pipeline

    pipe = pipeline or load_pipeline()
    with open(path, encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()][:limit]
    total: Counter[str] = Counter()
    errors: list[dict[str, Any]] = []
    for record in progress(records, total=len(records), description="WikiEvents", enabled=show_progress):
        text, spans = prepare(record)
        by_char = {t.idx: t.pos_ for t in pipe.nlp(text)}
        pos = [by_char.get(a, "X") for a, _ in spans]
        result = analysed_or_refused(text, pipe, source=record["doc_id"])
        scored = score_document(record, result, spans, pos)
        total.update(scored["counts"])
        errors.extend(scored["errors"])
    p, r, f = prf(total["predicted_hit"], total["predicted"], total["found"], total["gold"])

    def share(a: str, b: str) -> float:
        return total[a] / total[b] if total[b] else 0.0

    return {
        "file": str(path),
        "documents": len(records),
        "gold_triggers": total["gold"],
        "trigger_precision": p,
        "trigger_recall": r,
        "trigger_f1": f,
        "noun_trigger_recall": share("found_noun", "gold_noun"),
        "verb_trigger_recall": share("found_verb", "gold_verb"),
        "type_accuracy": share("type_ok", "found"),
        "attacker_match": share("arg_actor_ok", "arg_actor"),
        "target_match": share("arg_recipient_ok", "arg_recipient"),
        "errors": errors,
    }
