"""Flat event rows and the file formats built on them: CSV, JSON Lines, GeoJSON and Parquet."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from ..errors import ConfigError
from ..store.query import ClusterRow, EventRow

__all__ = [
    "EVENT_COLUMNS",
    "CLUSTER_COLUMNS",
    "event_flat",
    "cluster_flat",
    "write_csv",
    "write_geojson",
    "write_parquet",
]

EVENT_COLUMNS = [
    "article_id",
    "event_id",
    "date",
    "granularity",
    "event",
    "mode",
    "context",
    "quad",
    "intensity",
    "confidence",
    "certainty",
    "negated",
    "actor",
    "actor_country",
    "actor_sector",
    "recipient",
    "recipient_country",
    "recipient_sector",
    "place",
    "place_country",
    "lat",
    "lon",
    "trigger",
    "sentence",
    "title",
    "outlet",
    "url",
    "cluster",
]
CLUSTER_COLUMNS = [
    "cluster",
    "event",
    "day",
    "n_mentions",
    "n_articles",
    "sources",
    "actors",
    "countries",
    "places",
]


def _join(values: Iterable[str | None]) -> str:
    return "; ".join(v for v in values if v)


def event_flat(e: EventRow) -> dict[str, Any]:
    """One flat row per event; several actors or places are joined with '; '."""
    return {
        "article_id": e.article_id,
        "event_id": e.eid,
        "date": e.date,
        "granularity": e.granularity,
        "event": e.event,
        "mode": e.mode,
        "context": _join(e.context),
        "quad": e.quad,
        "intensity": e.intensity,
        "confidence": e.confidence,
        "certainty": e.certainty,
        "negated": e.negated,
        "actor": _join(a.name for a in e.actors),
        "actor_country": _join(a.country for a in e.actors),
        "actor_sector": _join(a.sector for a in e.actors),
        "recipient": _join(a.name for a in e.recipients),
        "recipient_country": _join(a.country for a in e.recipients),
        "recipient_sector": _join(a.sector for a in e.recipients),
        "place": _join(p.name for p in e.places),
        "place_country": _join(p.country for p in e.places),
        "lat": e.places[0].lat if e.places else None,
        "lon": e.places[0].lon if e.places else None,
        "trigger": e.trigger,
        "sentence": e.sentence,
        "title": e.title,
        "outlet": e.outlet,
        "url": e.url,
        "cluster": e.cluster,
    }


def cluster_flat(c: ClusterRow) -> dict[str, Any]:
    return {
        "cluster": c.pk,
        "event": c.event,
        "day": c.day,
        "n_mentions": c.n_mentions,
        "n_articles": c.n_articles,
        "sources": _join(c.sources),
        "actors": _join(c.actors),
        "countries": _join(c.countries),
        "places": _join(c.places),
    }


def write_csv(rows: Iterable[dict[str, Any]], columns: list[str], out: IO[str]) -> int:
    w = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    w.writeheader()
    n = 0
    for r in rows:
        w.writerow(r)
        n += 1
    return n


def write_geojson(events: Iterable[EventRow], out: IO[str]) -> int:
    """A FeatureCollection: one Point per (event, located place); events without coordinates are left out."""
    out.write('{"type":"FeatureCollection","features":[')
    n = 0
    for e in events:
        for p in e.places:
            if p.lat is None or p.lon is None:
                continue
            props = event_flat(e)
            props.update(place=p.name, place_country=p.country)
            props.pop("lat")
            props.pop("lon")
            feature = {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                "properties": props,
            }
            out.write(("," if n else "") + json.dumps(feature, ensure_ascii=False))
            n += 1
    out.write("]}\n")
    return n


def write_parquet(rows: Iterable[dict[str, Any]], columns: list[str], path: Path | str) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - pyarrow is a declared dependency
        raise ConfigError("Parquet export needs pyarrow: pip install pyarrow") from exc
    data: dict[str, list[Any]] = {c: [] for c in columns}
    for r in rows:
        for c in columns:
            data[c].append(r.get(c))
    table = pa.table(data)
    pq.write_table(table, str(path))
    return table.num_rows


def to_csv_text(rows: Iterable[dict[str, Any]], columns: list[str]) -> str:
    buf = io.StringIO()
    write_csv(rows, columns, buf)
    return buf.getvalue()
