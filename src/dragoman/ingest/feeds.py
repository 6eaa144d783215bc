"""Articles from RSS and Atom feeds (a URL or a file), parsed with feedparser."""

from __future__ import annotations

import html as htmlmod
import re
from collections.abc import Iterator
from typing import Any

from .raw import RawArticle, SourceFailure
from .web import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, article_from_url, fetch

__all__ = ["iter_feed", "looks_like_feed"]

FULL_TEXT_CHARS = 600  # an entry shorter than this is a teaser: fetch the linked page instead


def looks_like_feed(head: bytes) -> bool:
    h = head[:2000].lower()
    return b"<rss" in h or b"<feed" in h or b"<rdf:rdf" in h


def _plain(fragment: str) -> str:
    return htmlmod.unescape(re.sub(r"<[^>]+>", " ", fragment))


def _date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        t = entry.get(key)
        if t:
            return f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"
    return None


def iter_feed(
    source: str,
    data: bytes | None = None,
    *,
    fetch_links: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[RawArticle | SourceFailure]:
    import feedparser

    try:
        if data is None:
            data = fetch(source, timeout=timeout, max_bytes=max_bytes).content
    except Exception as exc:  # any failure to read the feed is a recorded failure, not a crash
        yield SourceFailure(source, str(exc), type(exc).__name__)
        return
    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        yield SourceFailure(source, f"not a readable RSS/Atom feed: {feed.get('bozo_exception')}", "FeedError")
        return
    outlet = feed.feed.get("title")
    for n, entry in enumerate(feed.entries, 1):
        link = entry.get("link")
        body = ""
        if entry.get("content"):
            body = " ".join(c.get("value", "") for c in entry["content"])
        body = body or entry.get("summary", "")
        where = link or f"{source}#{n}"
        if len(_plain(body)) < FULL_TEXT_CHARS and fetch_links and link and link.startswith(("http://", "https://")):
            try:
                page = article_from_url(link, timeout=timeout, max_bytes=max_bytes)
                yield RawArticle(
                    page.text,
                    source=link,
                    title=entry.get("title") or page.title,
                    url=link,
                    published=_date(entry) or page.published,
                    outlet=outlet or page.outlet,
                    html=False,
                )
                continue
            except Exception as exc:  # the entry's own text is the fallback
                if not body:
                    yield SourceFailure(where, str(exc), type(exc).__name__)
                    continue
        if not body.strip():
            yield SourceFailure(where, "feed entry has no text and no fetchable link", "EmptyInputError")
            continue
        yield RawArticle(
            body,
            source=where,
            title=entry.get("title"),
            url=link,
            published=_date(entry),
            outlet=outlet,
            html="<" in body,
        )
