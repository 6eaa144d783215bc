"""``dragoman evaluate timex``: score time expressions against TempEval-3 style JSONL documents.

Each line is one document: ``text``, ``dct`` (``{"value": "2013-03-22", ...}`` or a plain ISO
string, the reference date) and ``timexes`` (``start``/``end`` into ``text``, ``type``, ``value``).
Every document is parsed and analysed with its document date as the publication date, using the
TIMEX3 conventions (``anchor_intervals=False``: "the past two years" is ``P2Y``, not an interval).

Figures, as in TempEval-3:
- strict span P/R/F1: predicted and gold spans are identical;
- relaxed span P/R/F1: they overlap (one-to-one, each gold expression matched at most once);
- value accuracy: the share of relaxed matches whose value is the gold value (type accuracy too);
- value F1 = relaxed F1 × value accuracy.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import click

from ..extract.times import extract_times

__all__ = ["command", "evaluate_timex", "load_documents", "score_document"]


def load_documents(path: str | Path) -> Iterator[dict[str, Any]]:
    """The documents of a TempEval-3 style JSONL file, one dict per non-empty line."""
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise click.ClickException(f"{path}:{n}: not valid JSON ({exc.msg})") from exc


def _dct(doc: dict[str, Any]) -> date | None:
    dct = doc.get("dct")
    value = dct.get("value") if isinstance(dct, dict) else dct
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def score_document(text: str, gold: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts for one document, and the misses, false alarms and wrong values to show."""
    strict = sum(1 for p in predicted if any(p["start"] == g["start"] and p["end"] == g["end"] for g in gold))
    used: set[int] = set()
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    # exact spans first so that a loose neighbour does not steal a gold expression's match
    for exact in (True, False):
        for p in predicted:
            if any(p is q for q, _ in pairs):
                continue
            for i, g in enumerate(gold):
                if i in used:
                    continue
                hit = (p["start"] == g["start"] and p["end"] == g["end"]) if exact else \
                    (p["start"] < g["end"] and g["start"] < p["end"])
                if hit:
                    used.add(i)
                    pairs.append((p, g))
                    break
    errors: list[dict[str, Any]] = []
    value_ok = type_ok = 0
    for p, g in pairs:
        value_ok += p.get("value") == g.get("value")
        type_ok += p.get("type") == g.get("type")
        if p.get("value") != g.get("value"):
            errors.append({"kind": "value", "text": g.get("text") or text[g["start"]:g["end"]],
                           "predicted_text": p["text"], "gold": g.get("value"), "predicted": p.get("value"),
                           "start": g["start"]})
    matched_pred = {id(p) for p, _ in pairs}
    for i, g in enumerate(gold):
        if i not in used:
            errors.append({"kind": "miss", "text": text[g["start"]:g["end"]], "gold": g.get("value"),
                           "predicted": None, "start": g["start"]})
    for p in predicted:
        if id(p) not in matched_pred:
            errors.append({"kind": "false_alarm", "text": p["text"], "gold": None,
                           "predicted": p.get("value"), "start": p["start"]})
    return {"gold": len(gold), "predicted": len(predicted), "strict": strict, "relaxed": len(pairs),
            "value_ok": value_ok, "type_ok": type_ok, "errors": errors}


def _prf(hits: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = hits / npred if npred else 0.0
    r = hits / ngold if ngold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate_timex(path: str | Path, *, nlp: Any = None, progress: bool = False) -> dict[str, Any]:
    """Score dragoman's time expressions on a TempEval-3 style JSONL file; returns the figures."""
    if nlp is None:
        from ..config import load_settings
        from ..nlp import load_spacy

        nlp = load_spacy(load_settings().model)
    docs = list(load_documents(path))
    totals = {"gold": 0, "predicted": 0, "strict": 0, "relaxed": 0, "value_ok": 0, "type_ok": 0}
    errors: list[dict[str, Any]] = []
    words = 0
    seconds = 0.0
    items: Iterable[dict[str, Any]] = docs
    if progress and len(docs) > 1:
        from rich.progress import track

        items = track(docs, description="timex", transient=True)
    for d in items:
        text = d["text"]
        parsed = nlp(text)
        t0 = time.perf_counter()
        found = extract_times(parsed, _dct(d), anchor_intervals=False)
        seconds += time.perf_counter() - t0
        words += len(text.split())
        counts = score_document(text, list(d.get("timexes", [])), [t.to_dict() for t in found])
        for k in totals:
            totals[k] += counts[k]
        errors.extend({"document": d.get("id"), **e} for e in counts["errors"])
    sp, sr, sf = _prf(totals["strict"], totals["predicted"], totals["gold"])
    rp, rr, rf = _prf(totals["relaxed"], totals["predicted"], totals["gold"])
    vacc = totals["value_ok"] / totals["relaxed"] if totals["relaxed"] else 0.0
    tacc = totals["type_ok"] / totals["relaxed"] if totals["relaxed"] else 0.0
    return {
        "file": str(path), "documents": len(docs), **{k: totals[k] for k in ("gold", "predicted")},
        "strict": {"precision": sp, "recall": sr, "f1": sf},
        "relaxed": {"precision": rp, "recall": rr, "f1": rf},
        "value_accuracy": vacc, "type_accuracy": tacc, "value_f1": rf * vacc,
        "extract_ms_per_1000_words": 1000 * seconds / words * 1000 if words else 0.0,
        "errors": errors,
    }


@click.command("timex")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--errors", "show_errors", is_flag=True, help="List each miss, false alarm and wrong value.")
def command(file: str, as_json: bool, show_errors: bool) -> None:
    """Score time expressions on a TempEval-3 style JSONL FILE (document date = publication date)."""
    result = evaluate_timex(file, progress=not as_json)
    if as_json:
        out = dict(result)
        if not show_errors:
            out.pop("errors")
        click.echo(json.dumps(out, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"TempEval-3 time expressions: {result['documents']} documents, "
                        f"{result['gold']} gold, {result['predicted']} found")
    for col in ("figure", "precision", "recall", "F1"):
        table.add_column(col, justify="left" if col == "figure" else "right")
    for name in ("strict", "relaxed"):
        r = result[name]
        table.add_row(f"{name} span", f"{r['precision']:.3f}", f"{r['recall']:.3f}", f"{r['f1']:.3f}")
    table.add_row("value accuracy", "", "", f"{result['value_accuracy']:.3f}")
    table.add_row("type accuracy", "", "", f"{result['type_accuracy']:.3f}")
    table.add_row("value F1", "", "", f"{result['value_f1']:.3f}")
    console.print(table)
    if show_errors:
        et = Table(title="errors")
        for col in ("document", "kind", "text", "gold", "predicted"):
            et.add_column(col)
        for e in result["errors"]:
            et.add_row(str(e.get("document")), e["kind"], repr(e["text"]), str(e["gold"]),
                       str(e["predicted"]))
        console.print(et)
