"""``dragoman evaluate ner``: entity-level exact-span P/R/F1 on CoNLL BIO files (the re3d format).

A file holds one token a line (``token<TAB>tag``, tags ``B-Type``/``I-Type``/``O``) and a blank line
between sentences. Each sentence is rebuilt by joining its tokens with single spaces, so gold
entities get character offsets; the sentence is run through the spaCy pipeline of
``load_pipeline()`` (the statistical model plus the entity ruler built from the knowledge base) and
each entity of the ``Doc`` is mapped to one of the three scored types. A prediction is correct when
its type, start and end character all equal a gold entity's. Gold types other than Person,
Organisation and Location (Weapon, Nationality, Temporal, …) are not scored.

How dragoman's entities map onto the scored types:
- a span the knowledge-base ruler recognised (its ``ent_id_`` is a KB id) takes its type from the KB
  entry's kind: ``person`` → Person; ``state`` → Location; every organised body (government,
  ministry, military, police, intelligence, armed group, party, IGO, NGO, alliance, coalition, media,
  company, …) → Organisation;
- otherwise the spaCy label: PERSON → Person; ORG → Organisation; GPE, LOC and FAC → Location;
  NORP → Organisation only when it names a group rather than a people, i.e. when it is plural or
  followed by no noun ("the Taliban", "Houthis"), since re3d tags a bare adjective of nationality
  ("Iraqi forces") as Nationality, which is not scored; every other label is dropped.
Countries are always Location here, although re3d sometimes tags a country acting as a state
("Turkey said") as Organisation: telling the two apart is left to the actor resolver, not to NER.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from .report import emit, error_table, figures_table, output_options, prf, progress

__all__ = [
    "SCORED_TYPES",
    "Sentence",
    "command",
    "evaluate_ner",
    "map_entity",
    "read_conll",
    "score_sentences",
]

SCORED_TYPES = ("Person", "Organisation", "Location")
_LABELS = {"PERSON": "Person", "ORG": "Organisation", "GPE": "Location", "LOC": "Location", "FAC": "Location"}
_KINDS = {"person": "Person", "state": "Location", "place": "Location", "territory": "Location"}

Span = tuple[int, int, str]  # start, end, type


@dataclass(frozen=True, slots=True)
class Sentence:
    """One CoNLL sentence: its rebuilt text and gold entities as character spans."""

    text: str
    entities: tuple[Span, ...]


def read_conll(path: str | Path, *, limit: int | None = None) -> list[Sentence]:
    """Sentences of a CoNLL BIO file; an ``I-`` tag without a matching open entity starts one."""
    sentences: list[Sentence] = []
    tokens: list[tuple[str, str]] = []

    def flush() -> None:
        if tokens:
            sentences.append(_sentence(tokens))
            tokens.clear()

    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip():
                flush()
                if limit is not None and len(sentences) >= limit:
                    return sentences
                continue
            parts = line.split("\t") if "\t" in line else line.split()
            if len(parts) < 2:
                raise click.ClickException(f"{path}:{n}: expected 'token<TAB>tag', got {line!r}")
            tokens.append((parts[0], parts[-1]))
    flush()
    return sentences[:limit] if limit is not None else sentences


def _sentence(tokens: Sequence[tuple[str, str]]) -> Sentence:
    pieces: list[str] = []
    spans: list[Span] = []
    pos = 0
    open_: list[Any] | None = None  # [start, end, type]
    for token, tag in tokens:
        start, end = pos, pos + len(token)
        pieces.append(token)
        pos = end + 1
        kind, _, etype = tag.partition("-")
        if kind == "I" and open_ is not None and open_[2] == etype:
            open_[1] = end
            continue
        if open_ is not None:
            spans.append((open_[0], open_[1], open_[2]))
            open_ = None
        if kind in ("B", "I") and etype:
            open_ = [start, end, etype]
    if open_ is not None:
        spans.append((open_[0], open_[1], open_[2]))
    return Sentence(" ".join(pieces), tuple(spans))


def map_entity(label: str, kb_kind: str | None, *, plural_or_head: bool = False) -> str | None:
    """The scored type of a dragoman entity (see the module docstring), or None when not scored."""
    if kb_kind:
        return _KINDS.get(kb_kind, "Organisation")
    if label == "NORP":
        return "Organisation" if plural_or_head else None
    return _LABELS.get(label)


def _predicted(doc: Any, kinds: Mapping[str, str]) -> list[Span]:
    out: list[Span] = []
    for ent in doc.ents:
        kb_kind = kinds.get(ent.ent_id_) if ent.ent_id_ else None
        last = ent[-1]
        # a NORP naming a group: "the Taliban", "Houthis" -- not "Iraqi" in "Iraqi forces"
        after = doc[last.i + 1] if last.i + 1 < len(doc) else None
        group_like = last.tag_ in ("NNPS", "NNS") or after is None or not after.tag_.startswith(("NN", "JJ"))
        etype = map_entity(ent.label_, kb_kind, plural_or_head=group_like)
        if etype is not None:
            out.append((ent.start_char, ent.end_char, etype))
    return out


def score_sentences(sentences: Sequence[Sentence], predicted: Iterable[Sequence[Span]]) -> dict[str, Any]:
    """Exact-span P/R/F1 per scored type and micro over the three; errors list misses and false alarms."""
    hits: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    errors: list[dict[str, Any]] = []
    for i, (sent, pred) in enumerate(zip(sentences, predicted, strict=True)):
        gold = {s for s in sent.entities if s[2] in SCORED_TYPES}
        found = {s for s in pred if s[2] in SCORED_TYPES}
        for s in gold:
            n_gold[s[2]] += 1
        for s in found:
            n_pred[s[2]] += 1
        for s in gold & found:
            hits[s[2]] += 1
        for s in sorted(gold - found):
            other = next((p for p in found if p[:2] == s[:2]), None)
            errors.append({"sentence": i, "kind": "wrong_type" if other else "miss", "type": s[2],
                           "predicted": other[2] if other else None, "text": sent.text[s[0]:s[1]],
                           "context": sent.text})  # fmt: skip
        for s in sorted(found - gold):
            if any(g[:2] == s[:2] for g in gold):
                continue  # already listed as a wrong type
            errors.append({"sentence": i, "kind": "false_alarm", "type": None, "predicted": s[2],
                           "text": sent.text[s[0]:s[1]], "context": sent.text})  # fmt: skip
    per_type = {}
    for t in SCORED_TYPES:
        p, r, f = prf(hits[t], n_pred[t], hits[t], n_gold[t])
        per_type[t] = {"precision": p, "recall": r, "f1": f, "gold": n_gold[t], "predicted": n_pred[t]}
    total_hits, total_pred, total_gold = sum(hits.values()), sum(n_pred.values()), sum(n_gold.values())
    p, r, f = prf(total_hits, total_pred, total_hits, total_gold)
    return {
        "sentences": len(sentences),
        "micro": {"precision": p, "recall": r, "f1": f, "gold": total_gold, "predicted": total_pred},
        "per_type": per_type,
        "errors": errors,
    }


def _kb_kinds(pipeline: Any) -> dict[str, str]:
    kb = getattr(pipeline, "kb", None)
    if kb is None:
        return {}
    return {e.id: e.kind for e in kb.entries()}


def evaluate_ner(
    path: str | Path, *, pipeline: Any = None, limit: int | None = None, show_progress: bool = False,
    batch_size: int = 64,
) -> dict[str, Any]:  # fmt: skip
    """Run dragoman's spaCy pipeline on each sentence of a CoNLL file and score its entities."""
    if pipeline is None:
        from ..nlp import load_pipeline

        pipeline = load_pipeline()
    sentences = read_conll(path, limit=limit)
    kinds = _kb_kinds(pipeline)
    nlp = pipeline.nlp
    # the parser is needed only for sentence boundaries, which one-sentence inputs do not need
    disabled = [name for name in ("parser", "lemmatizer") if name in nlp.pipe_names]

    def predictions() -> Iterator[list[Span]]:
        with nlp.select_pipes(disable=disabled):
            docs = nlp.pipe((s.text for s in sentences), batch_size=batch_size)
            for doc in progress(
                docs, total=len(sentences), description="NER sentences", enabled=show_progress
            ):
                yield _predicted(doc, kinds)

    figures = score_sentences(sentences, predictions())
    return {"file": str(path), **figures}


@click.command("ner")
@click.argument("file", metavar="FILE.conll", type=click.Path(exists=True, dir_okay=False))
@click.option("--limit", type=click.IntRange(min=1), help="Score only the first N sentences.")
@output_options
def command(file: str, limit: int | None, as_json: bool, show_errors: bool) -> None:
    """Score named entities (Person, Organisation, Location) on a CoNLL BIO FILE, exact spans."""
    figures = evaluate_ner(file, limit=limit, show_progress=True)

    def render(console: Any) -> None:
        rows = [(t, v["f1"], v["precision"], v["recall"], v["gold"], v["predicted"])
                for t, v in figures["per_type"].items()]  # fmt: skip
        m = figures["micro"]
        rows.append(("all (micro)", m["f1"], m["precision"], m["recall"], m["gold"], m["predicted"]))
        console.print(figures_table(f"NER: {figures['sentences']} sentences, exact spans", rows,
                                    ("type", "F1", "precision", "recall", "gold", "predicted")))  # fmt: skip
        if show_errors:
            console.print(error_table(figures["errors"], ("sentence", "kind", "type", "predicted", "text")))

    emit(figures, as_json=as_json, show_errors=show_errors, render=render)
