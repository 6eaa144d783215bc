"""Turning the command line's SOURCE arguments into a stream of raw articles (or read failures)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from .feeds import iter_feed, looks_like_feed
from .raw import RawArticle, SourceFailure
from .tables import iter_table
from .web import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, article_from_url, fetch

__all__ = ["iter_sources", "TEXT_SUFFIXES", "HTML_SUFFIXES", "TABLE_SUFFIXES", "FEED_SUFFIXES"]

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TABLE_SUFFIXES = {".json", ".jsonl", ".ndjson", ".csv", ".tsv"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}


def _read_file(path: Path, *, max_bytes: int) -> RawArticle | SourceFailure:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return SourceFailure(
                str(path),
                f"{size} bytes is over the limit of {max_bytes}; raise max_bytes to accept it",
                "TooLargeError",
            )
        data = path.read_bytes()
    except OSError as exc:
        return SourceFailure(str(path), f"cannot read: {exc.strerror or exc}", type(exc).__name__)
    from ..decode import decode_text
    from ..errors import InputError

    try:  # empty and binary files are read failures, told before any analysis
        decode_text(data[:65536], name=str(path))
    except InputError as exc:
        return SourceFailure(str(path), str(exc), type(exc).__name__)
    # the bytes go to the cleaner, which decodes them (and HTML) exactly as analyze does
    return RawArticle(data, source=str(path), html=True if path.suffix.lower() in HTML_SUFFIXES else None)


def _from_path(
    path: Path, fields: Mapping[str, str], max_bytes: int, fetch_links: bool, timeout: float = DEFAULT_TIMEOUT
) -> Iterator[RawArticle | SourceFailure]:
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        yield from iter_table(path, fields)
    elif suffix in FEED_SUFFIXES or (suffix not in TEXT_SUFFIXES | HTML_SUFFIXES and _sniff_feed(path)):
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield SourceFailure(str(path), f"cannot read: {exc.strerror or exc}", type(exc).__name__)
            return
        yield from iter_feed(str(path), data, fetch_links=fetch_links, max_bytes=max_bytes)
    else:
        item = _read_file(path, max_bytes=max_bytes)
        links = _links_of(item) if isinstance(item, RawArticle) and suffix in TEXT_SUFFIXES else None
        if links:  # a text file that is a list of links: fetch the pages it names
            for url in links:
                yield from _from_url(url, timeout, max_bytes, fetch_links)
        else:
            yield item


def _links_of(item: RawArticle) -> list[str] | None:
    from ..clean import only_links
    from ..decode import decode_text

    text = decode_text(item.text).text if isinstance(item.text, bytes) else item.text
    if not only_links(text):
        return None
    return [w for w in text.split() if w.startswith(("http://", "https://"))] or None


def _sniff_feed(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return looks_like_feed(fh.read(2000))
    except OSError:
        return False


def _from_url(url: str, timeout: float, max_bytes: int, fetch_links: bool) -> Iterator[RawArticle | SourceFailure]:
    try:
        got = fetch(url, timeout=timeout, max_bytes=max_bytes)
        if "xml" in got.content_type or "rss" in got.content_type or looks_like_feed(got.content):
            yield from iter_feed(url, got.content, fetch_links=fetch_links, timeout=timeout, max_bytes=max_bytes)
            return
        yield article_from_url(url, timeout=timeout, max_bytes=max_bytes)
    except Exception as exc:  # one bad URL is recorded; the batch goes on
        yield SourceFailure(url, str(exc), type(exc).__name__)


def iter_sources(
    specs: Iterable[str],
    *,
    fields: Mapping[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    fetch_links: bool = True,
    stdin_text: str | bytes | None = None,
) -> Iterator[RawArticle | SourceFailure]:
    """Files, folders (recursively, in name order), tables, feeds, URLs and ``-`` for standard input."""
    fields = fields or {}
    for spec in specs:
        if spec == "-":
            data = stdin_text if stdin_text is not None else sys.stdin.buffer.read()
            yield RawArticle(data, source="-")
        elif spec.startswith(("http://", "https://")):
            yield from _from_url(spec, timeout, max_bytes, fetch_links)
        else:
            path = Path(spec)
            if path.is_dir():
                known = TEXT_SUFFIXES | HTML_SUFFIXES | TABLE_SUFFIXES | FEED_SUFFIXES
                for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                    if child.suffix.lower() in known:
                        yield from _from_path(child, fields, max_bytes, fetch_links, timeout)
            elif path.exists():
                yield from _from_path(path, fields, max_bytes, fetch_links, timeout)
            else:
                yield SourceFailure(spec, "no such file, folder or URL", "FileNotFoundError")
