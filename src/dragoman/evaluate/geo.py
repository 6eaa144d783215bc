"""``dragoman evaluate geo``: toponym detection and resolution scored on GeoVirus-style JSONL.

Each line is one document: ``text`` and ``toponyms``, each with ``start``/``end`` (half-open
character offsets into ``text``), ``lat`` and ``lon``. GeoVirus and LGL (local US news) come in
this form. A predicted mention is correct when its span equals a gold span exactly; precision,
recall and F1 count mentions. For the correctly found mentions that dragoman resolved, the error
is the great-circle distance between the two points: accuracy within 161 km (100 miles, the
field's usual threshold) and the median error are reported over all correctly found mentions (an
unresolved mention counts as beyond 161 km and does not enter the median). A gold toponym whose
``lat``/``lon`` are null (LGL marks streets and places its annotators could not locate so) counts
for the spans only.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..errors import DragomanError
from ..records import Place
from .report import read_checked_jsonl

__all__ = ["GeoParser", "command", "evaluate_geo", "haversine_km", "read_geo_jsonl", "score_file",
           "score_geo"]

ACC_KM = 161.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


def _check_geo(doc: dict[str, Any]) -> None:
    str(doc["text"])
    for t in doc["toponyms"]:
        int(t["start"]), int(t["end"])
        if t.get("lat") is not None or t.get("lon") is not None:
            float(t["lat"]), float(t["lon"])


def read_geo_jsonl(path: str | Path, *, limit: int | None = None) -> list[dict[str, Any]]:
    """Documents of a GeoVirus-style file; a clear error names the first bad line."""
    what = "not a geo gold document; each line needs 'text' and 'toponyms' with start, end, lat and lon"
    return read_checked_jsonl(path, _check_geo, what=what, limit=limit)


GeoParser = Callable[[Iterable[str]], Iterator[tuple[Place, ...]]]


@dataclass(slots=True)
class _Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0


def score_geo(gold_docs: list[dict[str, Any]], predicted: Iterable[tuple[Place, ...]]) -> dict[str, Any]:
    """Figures and error list for predicted places, one tuple per gold document, in order."""
    tally = _Tally()
    errors_km: list[float] = []
    within = located = 0
    errors: list[dict[str, Any]] = []
    for doc_no, (gold, places) in enumerate(zip(gold_docs, predicted, strict=True)):
        text = gold["text"]
        gold_spans = {(int(t["start"]), int(t["end"])): t for t in gold["toponyms"]}
        pred: dict[tuple[int, int], Place] = {}
        for pl in places:
            for m in pl.mentions:
                pred[(m.start, m.end)] = pl
        for span, gt in gold_spans.items():
            found = pred.get(span)
            if found is None:
                tally.fn += 1
                errors.append({"doc": gold.get("id", doc_no), "kind": "miss", "start": span[0],
                               "end": span[1], "text": text[span[0]:span[1]]})
                continue
            tally.tp += 1
            pl = found
            if gt.get("lat") is None:
                continue
            located += 1
            if pl.lat is None or pl.lon is None:
                errors.append({"doc": gold.get("id", doc_no), "kind": "unresolved", "start": span[0],
                               "end": span[1], "text": text[span[0]:span[1]]})
                continue
            km = haversine_km(pl.lat, pl.lon, float(gt["lat"]), float(gt["lon"]))
            errors_km.append(km)
            if km <= ACC_KM:
                within += 1
            else:
                errors.append({"doc": gold.get("id", doc_no), "kind": "far", "start": span[0],
                               "end": span[1], "text": text[span[0]:span[1]], "km": round(km),
                               "resolved": pl.name, "country": pl.country, "feature": pl.feature})
        for span, fa in pred.items():
            if span not in gold_spans:
                tally.fp += 1
                errors.append({"doc": gold.get("id", doc_no), "kind": "false_alarm", "start": span[0],
                               "end": span[1], "text": text[span[0]:span[1]], "resolved": fa.name})
    p = tally.tp / (tally.tp + tally.fp) if tally.tp + tally.fp else 0.0
    r = tally.tp / (tally.tp + tally.fn) if tally.tp + tally.fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "documents": len(gold_docs),
        "gold": tally.tp + tally.fn,
        "predicted": tally.tp + tally.fp,
        "correct": tally.tp,
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f1, 4),
        "acc_161km": round(within / located, 4) if located else 0.0,
        "median_km": round(statistics.median(errors_km), 1) if errors_km else None,
        "located": located,
        "resolved": len(errors_km),
        "errors": errors,
    }


def default_parser(associative: bool = False) -> GeoParser:
    """Places of each text with the configured spaCy model, the KB ruler when there is one; with
    ``associative``, demonyms and place adjectives too ("Syrian", "Russian-backed"), for gold
    standards that annotate them (LGL does; GeoVirus does not)."""
    from ..config import load_settings
    from ..nlp import load_spacy
    from ..resolve.places import Gazetteer, extract_places

    settings = load_settings()
    nlp = load_spacy(settings.model)
    try:  # the knowledge-base ruler lets known names (armed groups, villages) win over the model
        from ..kb import load_kb
        from ..kb.ruler import add_kb_ruler

        add_kb_ruler(nlp, load_kb(settings.kb_files))
    except (ImportError, AttributeError):
        pass
    gazetteer = Gazetteer.load(extra_files=settings.places_files)

    def parse(texts: Iterable[str]) -> Iterator[tuple[Place, ...]]:
        for doc in nlp.pipe(texts, batch_size=16):
            yield with_associative(doc, gazetteer) if associative else extract_places(doc, gazetteer)

    return parse


def with_associative(doc: Any, gazetteer: Any) -> tuple[Place, ...]:
    """The places of a doc plus the places its associative toponyms name."""
    from ..extract.sentences import text_of
    from ..resolve.places import associative_places, find_associative, find_backed, find_toponyms, resolve_toponyms

    toponyms = find_toponyms(doc, gazetteer)
    places = resolve_toponyms(toponyms, gazetteer, text=text_of(doc))
    demonyms = find_associative(doc, gazetteer, toponyms)
    found = demonyms + find_backed(doc, gazetteer, [*toponyms, *demonyms])
    return places + associative_places(found, gazetteer, places)


def evaluate_geo(path: str | Path, *, pipeline_factory: Callable[..., GeoParser] = default_parser,
                 limit: int | None = None,
                 progress: Callable[[Iterable[tuple[Place, ...]]], Iterable[tuple[Place, ...]]]
                 | None = None, associative: bool = False) -> dict[str, Any]:
    """Score toponym spans and coordinates of the documents in a GeoVirus-style JSONL file."""
    gold = read_geo_jsonl(path, limit=limit)
    parse = pipeline_factory(associative=True) if associative else pipeline_factory()
    predicted: Iterable[tuple[Place, ...]] = parse(d["text"] for d in gold)
    if progress is not None:
        predicted = progress(predicted)
    return score_geo(gold, predicted)


def score_file(path: str | Path, limit: int | None = None, *, associative: bool = False) -> dict[str, Any]:
    """The figures of ``evaluate geo`` for one file, without the error list (for combined tables);
    ``associative`` counts demonyms and place adjectives as toponyms (LGL's convention)."""
    result = evaluate_geo(path, limit=limit, associative=associative)
    return {k: v for k, v in result.items() if k != "errors"}


@click.command(name="geo")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--errors", "show_errors", is_flag=True, help="List every miss, false alarm and far guess.")
@click.option("--limit", type=int, default=None, help="Score only the first N documents.")
@click.option("--associative/--no-associative", default=False,
              help="Count demonyms and place adjectives (\"Syrian\", \"Russian-backed\") as toponyms, "
                   "as LGL annotates them (GeoVirus does not).")
def command(file: str, as_json: bool, show_errors: bool, limit: int | None, associative: bool) -> None:
    """Toponym span P/R/F1, accuracy within 161 km and median error on a GeoVirus- or LGL-style FILE.jsonl."""
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

    console = Console(stderr=as_json)
    try:
        n = len(read_geo_jsonl(file, limit=limit))
        with Progress(console=Console(stderr=True), transient=True, disable=n < 20) as bar:
            task = bar.add_task("geoparsing", total=n)

            def tick(it: Iterable[tuple[Place, ...]]) -> Iterator[tuple[Place, ...]]:
                for item in it:
                    bar.advance(task)
                    yield item

            result = evaluate_geo(file, limit=limit, progress=tick, associative=associative)
    except DragomanError as exc:
        raise click.ClickException(str(exc)) from exc
    if not show_errors:
        shown = {k: v for k, v in result.items() if k != "errors"}
    else:
        shown = result
    if as_json:
        click.echo(json.dumps(shown, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"geoparsing: {file}")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key in ("documents", "gold", "predicted", "correct", "precision", "recall", "f1",
                "acc_161km", "median_km"):
        table.add_row(key, str(result[key]))
    console.print(table)
    if show_errors:
        err = Table(title="errors")
        for col in ("doc", "kind", "text", "detail"):
            err.add_column(col)
        for e in result["errors"]:
            detail = f"{e.get('resolved', '')} {e.get('km', '')}".strip()
            err.add_row(str(e["doc"]), e["kind"], e["text"], detail)
        console.print(err)
