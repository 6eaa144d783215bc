"""The FastAPI application factory: stores, templates, limits, error pages and the offline API docs."""

from __future__ import annotations

import hmac
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import DragomanError, InputError, StoreError, TooLargeError
from ..store import Store

__all__ = ["ANALYSE_SLOTS", "Busy", "MAX_ANALYSE_CHARS", "MAX_BODY_BYTES", "WebState", "create_app",
           "same_origin"]

HERE = Path(__file__).parent
MAX_BODY_BYTES = 2_000_000  # a long article is ~100 kB; anything far larger is not an article
# Analysis costs about 1 s of CPU per 10 kB: the analysis endpoints take one long article at most,
# run one at a time, and let one more wait; further requests get 503 at once instead of queueing.
MAX_ANALYSE_CHARS = 100_000
ANALYSE_SLOTS = 2

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

# Scripts and styles come only from this server: even if something slipped through escaping,
# an injected inline handler or <script> would not run.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


@dataclass
class WebState:
    """What the routes share: the database, the write token and lazily built heavy parts."""

    db: str
    token: str | None = None
    _local: threading.local = field(default_factory=threading.local)
    _write_lock: threading.Lock = field(default_factory=threading.Lock)
    _nlp_lock: threading.Lock = field(default_factory=threading.Lock)
    _analyse_slots: threading.BoundedSemaphore = field(
        default_factory=lambda: threading.BoundedSemaphore(ANALYSE_SLOTS))
    _writer: Store | None = None
    _stores: list[Store] = field(default_factory=list)
    warming: threading.Thread | None = None
    warmed: threading.Event = field(default_factory=threading.Event)
    watch_seconds: float = 2.0
    _stopping: threading.Event = field(default_factory=threading.Event)

    def store(self) -> Store:
        """A read-only store for the calling thread (SQLite connections are not shared across threads)."""
        s = getattr(self._local, "store", None)
        if s is None:
            s = Store.open(self.db, readonly=True)
            s.public = True  # no server path in any page or answer
            self._local.store = s
            self._stores.append(s)
        return s

    def warm(self) -> None:
        """Read the events the period views share and build the default brief (with its charts) in a
        background thread, so that the first user of a new server does not wait seconds for them;
        requests arriving meanwhile wait for this one computation instead of repeating it.

        The caches are keyed by the store's revision, so a request after any write computes anew.
        The thread then watches the revision (every ``watch_seconds``): once a change has settled
        (no further write for one interval; an ingest writing article after article is left alone
        until it ends), it builds them again, so the first user after an ingest does not wait either.
        ``warmed`` is set after the first build; ``stop()`` ends the thread."""

        def run() -> None:
            store = Store.open(self.db, readonly=True)
            store.public = True  # as the request threads' stores: the caches are keyed by it
            try:
                built: Any = None
                polled: Any = None
                while True:
                    revision = store.db.revision()
                    if revision != built and (built is None or revision == polled):
                        self._build(store)
                        built = revision
                        self.warmed.set()
                    polled = revision
                    if self._stopping.wait(self.watch_seconds):
                        return
            finally:
                self.warmed.set()
                store.close()

        self.warming = threading.Thread(target=run, name="dragoman-warm-up", daemon=True)
        self.warming.start()

    @staticmethod
    def _build(store: Store) -> None:
        from ..analysis.data import gc_paused, load_events
        from ..store import EventFilter
        from .analysis import warm_brief

        try:
            with gc_paused():
                load_events(store, EventFilter())
                warm_brief(store)
        except Exception:  # noqa: BLE001 - a failed warm-up costs nothing: the first view computes itself
            pass

    def stop(self) -> None:
        """End the warm-up thread (after the build it is in, if any)."""
        self._stopping.set()
        if self.warming is not None:
            self.warming.join()

    def authorised(self, presented: str | None) -> bool:
        if not self.token or not presented:
            return False
        return hmac.compare_digest(presented.encode("utf-8"), self.token.encode("utf-8"))

    def analyse(self, text: str, **meta: Any) -> Any:
        from ..analyse import analyse
        from ..nlp import load_pipeline

        if len(text) > MAX_ANALYSE_CHARS:
            raise TooLargeError(f"the article is {len(text):,} characters long; the server analyses at most "
                             f"{MAX_ANALYSE_CHARS:,} (use `dragoman analyze` or `ingest` for longer texts)")
        if not self._analyse_slots.acquire(blocking=False):
            raise Busy("the server is busy analysing other articles; try again in a few seconds")
        try:
            with self._nlp_lock:
                return analyse(text, pipeline=load_pipeline(), **meta)
        finally:
            self._analyse_slots.release()

    def write(self, result: Any) -> Any:
        with self._write_lock:
            if self._writer is None:
                self._writer = Store.open(self.db)
            return self._writer.add(result)

    def close(self) -> None:
        for s in self._stores:
            s.close()
        if self._writer is not None:
            self._writer.close()


class Busy(DragomanError):
    """Every analysis slot is taken."""


def same_origin(request: Request) -> bool:
    """Did a page of this server send the request? Its Origin (or, failing that, Referer) names this
    host. Browsers send Origin with every POST, so a cross-site form or script fails this check."""
    from urllib.parse import urlsplit

    source = request.headers.get("origin") or request.headers.get("referer")
    if not source or source == "null":
        return False
    host = request.headers.get("host", "")
    return bool(host) and urlsplit(source).netloc.lower() == host.lower()


class BodyLimit:
    """Refuses request bodies over a size, whether or not the client announced the length."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await _too_large(send, self.max_bytes)
                return
        seen = 0
        max_bytes = self.max_bytes

        async def limited() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > max_bytes:
                    raise _BodyTooLarge
            return msg

        try:
            await self.app(scope, limited, send)
        except _BodyTooLarge:
            await _too_large(send, self.max_bytes)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int) -> None:
    body = (f'{{"detail":"request body too large: at most {limit} bytes"}}').encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=select_autoescape(["html", "svg"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    from . import pages

    pages.register_filters(env)
    return env


def create_app(db: str | Path | None = None, *, token: str | None = None, max_body: int = MAX_BODY_BYTES,
               hosts: Sequence[str] | None = None) -> FastAPI:
    """The web application over database ``db`` (default: the ``db`` setting); writes need ``token``;
    only requests naming one of ``hosts`` (default: the ``hosts`` setting) are answered."""
    from ..config import load_settings

    settings = load_settings()
    state = WebState(str(db if db is not None else settings.db), token if token is not None else settings.token)
    state.store()  # fail at start, with the store's message, when there is no database

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        state.warm()
        yield
        state.stop()
        state.close()

    app = FastAPI(
        lifespan=lifespan,
        title="dragoman",
        version=__version__,
        description="PLOVER event data coded from news articles, with the articles they come from.",
        docs_url=None,  # FastAPI's Swagger UI loads from a CDN; /docs is served from here instead
        redoc_url=None,
    )
    app.state.web = state
    app.state.templates = templates()

    from . import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors()
        ]
        if request.url.path.startswith("/api"):
            return JSONResponse({"detail": problems}, status_code=422)
        text = "; ".join(f"{'.'.join(str(x) for x in p['loc'][1:])}: {p['msg']}" for p in problems)
        return error_page(request, 422, "Invalid request", text)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> Response:
        return _error(request, 413 if isinstance(exc, TooLargeError) else 400, str(exc))

    @app.exception_handler(Busy)
    async def busy(request: Request, exc: Busy) -> Response:
        return _error(request, 503, str(exc), {"Retry-After": "5"})

    @app.exception_handler(DragomanError)
    async def dragoman_error(request: Request, exc: DragomanError) -> Response:
        return _error(request, 500, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    app.add_middleware(BodyLimit, max_bytes=max_body)
    # Outermost: a page served under another name (DNS rebinding) is refused before anything runs.
    from starlette.middleware.trustedhost import TrustedHostMiddleware

    allowed = _host_patterns(hosts if hosts is not None else settings.hosts)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed, www_redirect=False)
    return app


def _host_patterns(hosts: Sequence[str]) -> list[str]:
    """The names a Host header may carry. An IPv6 address ("::1") comes bracketed in a Host header
    ("[::1]:8000", RFC 3986), and is matched so."""
    out: list[str] = []
    for h in hosts:
        out.append(h)
        if ":" in h and not h.startswith("["):
            out.append(f"[{h}]")
    return out


def _error(request: Request, status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    if request.url.path.startswith("/api") or request.url.path == "/openapi.json":
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)
    titles = {400: "Bad request", 401: "Not authorised", 403: "Forbidden", 404: "Not found", 413: "Too large",
              503: "Busy"}
    return error_page(request, status, titles.get(status, "Error"), detail)


def error_page(request: Request, status: int, title: str, detail: str) -> HTMLResponse:
    env: Environment = request.app.state.templates
    html = env.get_template("error.html").render(request=request, status=status, title=title, detail=detail,
                                                 page="error")
    return HTMLResponse(html, status_code=status)
