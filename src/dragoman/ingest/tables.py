"""Articles from JSON, JSON Lines and CSV files, with a configurable mapping of field names."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..decode import open_text, repaired_bytes
from ..errors import ConfigError
from .raw import RawArticle, SourceFailure

__all__ = ["FIELDS", "DEFAULT_FIELDS", "parse_field_map", "iter_table"]

FIELDS = ("text", "title", "url", "date", "outlet", "id")
# Names tried in order when the user maps nothing: what common news dumps call these fields.
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "story", "maintext"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "date": ("date", "published", "publish_date", "date_publish", "pubDate", "pub_date"),
    "outlet": ("outlet", "source", "source_domain", "publisher", "sitename"),
    "id": ("id",),
}


def parse_field_map(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``["text=body", "date=pubDate"]`` -> ``{"text": "body", "date": "pubDate"}``."""
    out: dict[str, str] = {}
    for p in pairs:
        key, sep, value = p.partition("=")
        key = key.strip()
        if not sep or not value.strip():
            raise ConfigError(f"--field {p!r}: write it as NAME=COLUMN, e.g. --field text=body")
        if key not in FIELDS:
            raise ConfigError(f"--field {p!r}: unknown field {key!r}; known: {', '.join(FIELDS)}")
        out[key] = value.strip()
    return out


def _get(row: Mapping[str, Any], name: str) -> Any:
    # Dotted names reach into nested JSON objects: --field text=article.body
    value: Any = row
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _pick(row: Mapping[str, Any], field: str, mapping: Mapping[str, str]) -> str | None:
    names = (mapping[field],) if field in mapping else DEFAULT_FIELDS[field]
    for n in names:
        v = _get(row, n)
        if v not in (None, ""):
            return str(v)
    return None


_REPAIRED = ("bytes of the table file that are not valid UTF-8 were read as Windows-1252 "
             "(in or just before this row)")


def _rows(path: Path) -> Iterator[tuple[int, Any, tuple[str, ...]]]:
    """(row number, row, decoding warnings) of a table file, decoded as articles are (``decode``)."""
    suffix = path.suffix.lower()
    with open_text(path) as fh:
        seen = repaired_bytes()

        def notes() -> tuple[str, ...]:
            nonlocal seen
            now = repaired_bytes()
            found, seen = now > seen, now
            return (_REPAIRED,) if found else ()

        if suffix in {".jsonl", ".ndjson"}:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    try:
                        yield n, json.loads(line), notes()
                    except json.JSONDecodeError as exc:
                        notes()
                        yield n, SourceFailure(f"{path}:{n}", f"not valid JSON: {exc}", "JSONDecodeError"), ()
        elif suffix == ".json":
            data = json.loads(fh.read())
            found = notes()
            if isinstance(data, dict):
                # Either one article, or a wrapper such as {"articles": [...]}.
                lists = [v for v in data.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
                data = lists[0] if lists and not any(k in data for k in DEFAULT_FIELDS["text"]) else [data]
            if not isinstance(data, list):
                data = [data]
            for n, row in enumerate(data, 1):
                yield n, row, found
        else:
            dialect = "excel-tab" if suffix == ".tsv" else "excel"
            csv.field_size_limit(1 << 30)
            for n, row in enumerate(csv.DictReader(fh, dialect=dialect), 2):
                yield n, row, notes()


def iter_table(path: Path, mapping: Mapping[str, str] | None = None) -> Iterator[RawArticle | SourceFailure]:
    """One RawArticle per row; rows without text are reported, not dropped silently."""
    mapping = mapping or {}
    try:
        rows = list(_rows(path)) if path.suffix.lower() == ".json" else _rows(path)
        for n, row, notes in rows:
            where = f"{path}:{n}"
            if isinstance(row, SourceFailure):
                yield row
                continue
            if not isinstance(row, Mapping):
                yield SourceFailure(where, "row is not an object with named fields")
                continue
            article = row_article(row, mapping, path=str(path), where=where)
            yield replace(article, warnings=notes) if notes and isinstance(article, RawArticle) else article
    except (OSError, json.JSONDecodeError, csv.Error, UnicodeError) as exc:
        yield SourceFailure(str(path), f"cannot read: {exc}", type(exc).__name__)


def row_article(row: Mapping[str, Any], mapping: Mapping[str, str], *, path: str, where: str
                ) -> RawArticle | SourceFailure:
    """One table row (JSON object, CSV or Parquet row) as a raw article, through the field mapping."""
    text = _pick(row, "text", mapping)
    if text is None:
        wanted = mapping.get("text") or " / ".join(DEFAULT_FIELDS["text"])
        return SourceFailure(where, f"no text field ({wanted}); map it with --field text=COLUMN", "MissingField")
    ident = _pick(row, "id", mapping)
    return RawArticle(
        text=text,
        source=f"{path}#{ident}" if ident else where,
        title=_pick(row, "title", mapping),
        url=_pick(row, "url", mapping),
        published=_pick(row, "date", mapping),
        outlet=_pick(row, "outlet", mapping),
    )
