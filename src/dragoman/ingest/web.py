"""Fetching articles from the web: bounded HTTP downloads, and the page's article by ``clean.html_to_text``."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from .. import __version__
from ..errors import InputError, TooLargeError
from .raw import RawArticle

__all__ = ["FetchError", "fetch", "extract_html", "article_from_url"]

DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 5_000_000


class FetchError(InputError):
    """A URL could not be fetched."""


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str
    content: bytes
    content_type: str


def fetch(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    client: httpx.Client | None = None,
) -> Fetched:
    """GET a URL, refusing bodies over ``max_bytes`` while streaming (never buffering more)."""
    own = client is None
    c = client or httpx.Client(
        follow_redirects=True, timeout=timeout, headers={"User-Agent": f"dragoman/{__version__}"}
    )
    try:
        with c.stream("GET", url) as resp:
            if resp.status_code >= 400:
                raise FetchError(f"{url}: HTTP {resp.status_code}; check the address or try later")
            declared = resp.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise TooLargeError(f"{url}: {int(declared)} bytes is over the limit of {max_bytes}")
            chunks, size = [], 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise TooLargeError(f"{url}: more than {max_bytes} bytes; raise max_bytes to accept it")
                chunks.append(chunk)
            return Fetched(str(resp.url), b"".join(chunks), resp.headers.get("content-type", ""))
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from exc
    finally:
        if own:
            c.close()


def extract_html(html: str | bytes, *, url: str | None = None) -> tuple[str | None, str | None, str | None, str | None]:
    """(text, title, date, outlet) of a web page, by the same extraction ``analyze`` uses."""
    from ..clean import decode_bytes, html_to_text

    markup = decode_bytes(html, name=url or "page") if isinstance(html, bytes) else html
    page = html_to_text(markup)
    return page.text or None, page.title, page.published, page.outlet


def article_from_url(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    client: httpx.Client | None = None,
) -> RawArticle:
    got = fetch(url, timeout=timeout, max_bytes=max_bytes, client=client)
    if "html" not in got.content_type and not got.content.lstrip()[:1] == b"<":
        from ..clean import decode_bytes

        return RawArticle(decode_bytes(got.content, name=url), source=url, url=got.url, html=False)
    text, title, date, outlet = extract_html(got.content, url=got.url)
    if not text:
        raise FetchError(f"{url}: no article text found in the page")
    return RawArticle(text, source=url, title=title, url=got.url, published=date, outlet=outlet, html=False)
