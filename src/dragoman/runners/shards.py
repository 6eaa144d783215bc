"""Input shards (folders and globs of JSONL, CSV or Parquet files) and the Parquet result-shard format."""

from __future__ import annotations

import glob
import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..ingest.raw import RawArticle, SourceFailure
from ..ingest.sources import FEED_SUFFIXES, HTML_SUFFIXES, TABLE_SUFFIXES, TEXT_SUFFIXES, iter_sources
from ..ingest.tables import iter_table, row_article
from .worker import Outcome

__all__ = [
    "RESULT_COLUMNS",
    "SHARD_SUFFIXES",
    "expand_inputs",
    "iter_inputs",
    "iter_result_shards",
    "iter_shard",
    "result_shard_path",
    "write_result_shard",
]

PARQUET_SUFFIXES = {".parquet", ".pq"}
SHARD_SUFFIXES = TABLE_SUFFIXES | PARQUET_SUFFIXES  # one article per row
ALL_SUFFIXES = SHARD_SUFFIXES | TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES
RESULT_COLUMNS = ("id", "source", "raw_hash", "published", "result", "error_type", "error")
_ROW_GROUP = 256  # results per Parquet row group: bounds the memory of a partition task


def _is_glob(spec: str) -> bool:
    return any(c in spec for c in "*?[")


def expand_inputs(specs: Iterable[str], *, suffixes: set[str] | None = None) -> list[str]:
    """Files named by paths, folders (recursively) and globs, in name order; missing paths kept.

    A missing path stays in the list so that reading it records a failure with its name instead of
    the input vanishing without a word.
    """
    wanted = suffixes or SHARD_SUFFIXES
    out: list[str] = []
    for spec in specs:
        if _is_glob(spec):
            matches = sorted(p for p in glob.glob(spec, recursive=True) if Path(p).is_file())
            out += matches or [spec]
        elif Path(spec).is_dir():
            out += sorted(
                str(p)
                for p in Path(spec).rglob("*")
                if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in wanted
            )
        else:
            out.append(spec)
    return list(dict.fromkeys(out))


def _iter_parquet(path: str, mapping: Mapping[str, str]) -> Iterator[RawArticle | SourceFailure]:
    """One RawArticle per Parquet row, with ingest's field names; read in batches, never whole."""
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        n = 0
        for batch in pf.iter_batches(batch_size=_ROW_GROUP):
            for row in batch.to_pylist():
                n += 1
                yield row_article(row, mapping, path=str(path), where=f"{path}:{n}")
    except (OSError, ValueError) as exc:  # pyarrow raises ArrowInvalid (a ValueError) on bad files
        yield SourceFailure(path, f"cannot read Parquet: {exc}", type(exc).__name__)


def iter_shard(path: str, fields: Mapping[str, str]) -> Iterator[RawArticle | SourceFailure]:
    """The raw articles of one input file: a table shard row by row, any other file as one article."""
    suffix = Path(path).suffix.lower()
    if not Path(path).exists():
        yield SourceFailure(path, "no such file, folder or URL", "FileNotFoundError")
    elif suffix in PARQUET_SUFFIXES:
        yield from _iter_parquet(path, fields)
    elif suffix in TABLE_SUFFIXES:
        yield from iter_table(Path(path), fields)
    else:
        yield from iter_sources([path], fields=fields)


def iter_inputs(
    specs: Iterable[str], *, fields: Mapping[str, str] | None = None
) -> Iterator[RawArticle | SourceFailure]:
    """Everything ``ingest`` reads (files, folders, URLs, ``-``) plus globs and Parquet shards."""
    fields = fields or {}
    for spec in specs:
        if spec == "-" or spec.startswith(("http://", "https://")):
            yield from iter_sources([spec], fields=fields)
            continue
        for path in expand_inputs([spec], suffixes=ALL_SUFFIXES):
            yield from iter_shard(path, fields)


# ---------------------------------------------------------------------------------------------- results


def result_shard_path(input_path: str, out_dir: str | Path) -> Path:
    """``OUT/<input stem>-<8 hex of the input path>.parquet``: unique even when stems repeat."""
    tag = hashlib.sha256(input_path.encode("utf-8")).hexdigest()[:8]
    return Path(out_dir) / f"{Path(input_path).stem}-{tag}.parquet"


def _schema() -> Any:
    import pyarrow as pa

    return pa.schema([(c, pa.string()) for c in RESULT_COLUMNS])


def _row(o: Outcome) -> dict[str, str | None]:
    art = (o.result or {}).get("article") or {}
    return {
        "id": art.get("id"),
        "source": o.source,
        "raw_hash": o.raw_hash,
        "published": art.get("published"),
        "result": json.dumps(o.result, ensure_ascii=False, separators=(",", ":")) if o.ok else None,
        "error_type": o.error_type,
        "error": o.reason,
    }


def remove_stale_tmp(out_dir: str | Path, *, min_age: float = 0.0) -> list[Path]:
    """Remove the ``.NAME.PID.tmp`` files a killed run left in ``out_dir``: those whose writing
    process no longer runs on this machine and that were not touched for ``min_age`` seconds
    (give a large one when other machines write into the same folder)."""
    import time

    removed: list[Path] = []
    folder = Path(out_dir)
    if not folder.is_dir():
        return removed
    for tmp in folder.glob(".*.tmp"):
        pid = tmp.name.rsplit(".", 2)[-2]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        try:
            if time.time() - tmp.stat().st_mtime >= min_age:
                tmp.unlink()
                removed.append(tmp)
        except FileNotFoundError:
            pass
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_result_shard(outcomes: Iterable[Outcome], path: str | Path) -> int:
    """Write outcomes to one Parquet shard in row groups; the file appears only when complete."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    schema = _schema()
    n = 0
    try:
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            rows: list[dict[str, str | None]] = []
            for o in outcomes:
                rows.append(_row(o))
                if len(rows) >= _ROW_GROUP:
                    writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                    n += len(rows)
                    rows = []
            # An empty shard is still written: it says "this partition is done", so a re-run skips it.
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            n += len(rows)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return n


def iter_result_shards(specs: Iterable[str]) -> Iterator[Outcome]:
    """The outcomes stored in result shards (folders, globs or files), batch by batch.

    A shard that cannot be read (not Parquet, truncated, without the result columns) and a row
    whose result is not JSON become failed outcomes naming the shard or row; the others still load.
    """
    for path in expand_inputs(specs, suffixes=PARQUET_SUFFIXES):
        if not Path(path).exists():
            yield Outcome(path, None, None, "FileNotFoundError", "no such result shard")
            continue
        try:
            yield from _shard_outcomes(path)
        except (OSError, ValueError, KeyError) as exc:  # pyarrow's ArrowInvalid is a ValueError
            yield Outcome(path, None, None, "ShardError", f"cannot read result shard: {exc}")


def _shard_outcomes(path: str) -> Iterator[Outcome]:
    import pyarrow.parquet as pq

    n = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=_ROW_GROUP, columns=list(RESULT_COLUMNS)):
        for row in batch.to_pylist():
            n += 1
            source = row["source"] or f"{path}:{n}"
            try:
                result = json.loads(row["result"]) if row["result"] else None
            except json.JSONDecodeError as exc:
                yield Outcome(source, row["raw_hash"], None, "ShardError", f"{path}:{n}: result is not JSON: {exc}")
                continue
            yield Outcome(
                source,
                row["raw_hash"],
                result,
                row["error_type"] if result is None else None,
                row["error"] if result is None else None,
            )
