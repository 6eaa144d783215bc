"""The dashboard pages, rendered on the server from Jinja2 templates with autoescaping."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment
from markupsafe import Markup

from ..errors import DragomanError
from ..plover import EVENT_TYPES
from ..records import Entity
from ..store.query import EventFilter, headline_of, is_placeholder_actor
from ..store.writer import actor_key
from . import queries
from .analysis import (
    Analysis,
    AnalysisOptions,
    Escalation,
    alert_views,
    brief_view,
    current_alerts,
    period_bounds,
    report_view,
    series_views,
    trend_tables,
    trend_timeline,
)
from .api import Filter, State
from .app import MAX_ANALYSE_CHARS, MAX_BODY_BYTES, WebState
from .highlight import article_spans, highlight
from .worldmap import load_world_map, project

__all__ = ["router", "register_filters"]

router = APIRouter(include_in_schema=False)

QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
QUAD_COLOURS = {1: "#4e9a6f", 2: "#1f6f8b", 3: "#e0a030", 4: "#c0392b"}
# Sixteen distinguishable colours, cooperation types in greens and blues, conflict in warm tones.
TYPE_COLOURS = {
    "AGREE": "#8fd0a6", "CONSULT": "#4e9a6f", "SUPPORT": "#2e7d4f", "CONCEDE": "#b5e3c4",
    "COOPERATE": "#1f6f8b", "AID": "#5fa8d3", "RETREAT": "#9cc9e6",
    "REQUEST": "#f4d58d", "ACCUSE": "#e0a030", "REJECT": "#c98a1c", "THREATEN": "#a86b00",
    "PROTEST": "#f08a7e", "SANCTION": "#d35d6e", "MOBILIZE": "#8e44ad", "COERCE": "#e74c3c",
    "ASSAULT": "#8b1e1e",
}
FILTER_FIELDS = ("actor", "type", "country", "place", "since", "until", "text", "quad", "article", "cluster")


def register_filters(env: Environment) -> None:
    env.globals.update(QUAD_NAMES=QUAD_NAMES, QUAD_COLOURS=QUAD_COLOURS, TYPE_COLOURS=TYPE_COLOURS,
                       EVENT_TYPES=sorted(EVENT_TYPES))
    env.filters["type_quad"] = lambda t: EVENT_TYPES[t].quad if t in EVENT_TYPES else 0
    env.filters["quad_name"] = lambda q: QUAD_NAMES.get(int(q), "?") if q is not None else "—"
    env.filters["short_id"] = lambda i: (i or "").removeprefix("sha256:")[:12]
    env.filters["fmt_num"] = lambda n: f"{n:,}" if isinstance(n, int) else n
    env.filters["actor_url"] = lambda key: "/actors/" + _path_quote(key)
    env.filters["dict_without"] = lambda d, *keys: {k: v for k, v in d.items() if k not in keys}
    env.filters["headline"] = lambda text: headline_of(text or "")
    env.tests["placeholder"] = lambda key: is_placeholder_actor(str(key or ""))


def _path_quote(key: str) -> str:
    from urllib.parse import quote

    return quote(key, safe="")


def render(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    env: Environment = request.app.state.templates
    html = env.get_template(name).render(request=request, **ctx)
    return HTMLResponse(html, status_code=status)


def filter_params(f: EventFilter) -> dict[str, str]:
    """The filter as query parameters (the inverse of api.event_filter)."""
    values = {
        "actor": f.actor, "type": f.type, "country": f.country, "place": f.place, "since": f.since,
        "until": f.until, "text": f.text, "quad": f.quad, "article": f.article_id, "cluster": f.cluster,
    }
    return {k: str(v) for k, v in values.items() if v is not None}


def url_with(path: str, params: dict[str, str], **changes: Any) -> str:
    merged = {**params}
    for k, v in changes.items():
        if v is None or v == "":
            merged.pop(k, None)
        else:
            merged[k] = str(v)
    return path + ("?" + urlencode(merged) if merged else "")


# ---------------------------------------------------------------- overview


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, state: State) -> HTMLResponse:
    store = state.store()
    stats = store.stats()
    types = store.event_counts(by="type")
    quads = store.event_counts(by="quad")
    recent = store.events(limit=12).items
    top = store.actors(limit=12).items
    unattributed = queries.unattributed_count(store, EventFilter())
    max_type = max((n for _, n in types), default=1)
    alerts, newest = current_alerts(store)
    return render(request, "overview.html", page="overview", stats=stats, types=types, quads=quads,
                  recent=recent, top=top, max_type=max_type, alerts=alerts, newest=newest,
                  unattributed=unattributed)


# ---------------------------------------------------------------- events


@router.get("/events", response_class=HTMLResponse)
def events_page(
    request: Request, state: State, f: Filter,
    clusters: Annotated[bool, Query()] = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
) -> HTMLResponse:
    store = state.store()
    params = filter_params(f)
    facets = {
        "type": store.event_counts(f, by="type"),
        "quad": store.event_counts(f, by="quad"),
        "actor": queries.actor_facet(store, f),
        "unattributed": queries.unattributed_count(store, f),
        "country": queries.country_facet(store, f),
    }
    total = store.count_events(f)
    if clusters:
        cpage = store.clusters(f, limit=limit, cursor=cursor)
        names = _actor_names(state, {k for c in cpage.items for k in c.actors})
        items: Any = cpage.items
        next_cursor = cpage.next_cursor
    else:
        page = store.events(f, limit=limit, cursor=cursor)
        names = {}
        items = page.items
        next_cursor = page.next_cursor
    base = {**params, **({"clusters": "1"} if clusters else {})}
    return render(
        request, "events.html", page="events", f=f, params=params, facets=facets, items=items,
        clusters=clusters, total=total, names=names, url_with=url_with, base=base,
        next_url=url_with("/events", base, cursor=next_cursor) if next_cursor else None,
        csv_url=url_with("/api/events.csv", base),
    )


def _actor_names(state: WebState, keys: set[str]) -> dict[str, str]:
    out = {}
    for k in keys:
        a = state.store().actor(k)
        out[k] = a.name if a else k
    return out


# ---------------------------------------------------------------- article


def article_view(result: dict[str, Any]) -> dict[str, Any]:
    """What the article template needs: highlighted text, entities by id, events with names."""
    text = result["article"]["text"]
    entities = {e["id"]: e for e in result.get("entities", [])}
    places = {p["id"]: p for p in result.get("places", [])}
    keys: dict[str, str | None] = {}
    for e in result.get("entities", []):
        try:
            keys[e["id"]] = actor_key(Entity.from_dict(e))
        except (KeyError, TypeError, ValueError):
            keys[e["id"]] = None
    brief = brief_view(result)
    spans = article_spans(result) + (brief["spans"] if brief else [])
    return {
        "html": highlight(text, spans, brief["anchors"] if brief else None),
        "brief": brief,
        "entities": entities,
        "places": places,
        "akeys": keys,
        "events": result.get("events", []),
        "quotes": result.get("quotes", []),
        "article": result["article"],
    }


ArticleId = Annotated[str, Path(max_length=80, pattern=r"^[A-Za-z0-9:]+$")]


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: ArticleId, state: State) -> HTMLResponse:
    result = state.store().get_result(article_id)
    if result is None:
        raise HTTPException(404, f"There is no article {article_id} in this database.")
    return render(request, "article.html", page="article", v=article_view(result), stored=True)


# ---------------------------------------------------------------- actor


@router.get("/actors/{key:path}", response_class=HTMLResponse)
def actor_page(request: Request, key: Annotated[str, Path(max_length=300)], state: State) -> HTMLResponse:
    store = state.store()
    profile = store.actor_profile(key)
    if profile is None:
        raise HTTPException(404, f"There is no actor {key} in this database.")
    recent = store.events(EventFilter(actor=key), limit=20).items
    quotes = queries.actor_quotes(store, key)
    peak = max((p.n_actor + p.n_recipient for p in profile.timeline), default=1) or 1
    return render(request, "actor.html", page="actor", p=profile, recent=recent, quotes=quotes, peak=peak,
                  events_url=url_with("/events", {"actor": key}),
                  network_url=url_with("/network", {"actor": key}))


# ---------------------------------------------------------------- timeline


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request, state: State, f: Filter,
                  by: Annotated[str, Query(pattern="^(type|quad)$")] = "type") -> HTMLResponse:
    data = queries.timeline(state.store(), f, by=by)
    chart = _timeline_chart(data, by, filter_params(f))
    return render(request, "timeline.html", page="timeline", f=f, by=by, chart=chart, coverage=data.coverage,
                  params=filter_params(f), url_with=url_with)


def _timeline_chart(data: queries.TimelineData, by: str, params: dict[str, str], *,
                    bounds: Callable[[str], tuple[str, str]] | None = None) -> dict[str, Any]:
    """Stacked bars per period (by type or quad class) and the mean intensity as a line, as SVG numbers.

    ``bounds`` turns a period into the since/until of the events its bars link to (by the period's
    length by default). Each collapsed gap of empty periods takes one slot, drawn as a labelled band;
    the first and the last period are always labelled.
    """
    width, height, left, right, top, bottom = 1000.0, 380.0, 56.0, 56.0, 16.0, 48.0
    inner_w, inner_h = width - left - right, height - top - bottom
    gaps = {g.at: g for g in data.coverage.gaps}
    n = len(data.periods) + len(gaps)
    unit = data.coverage.by or "month"
    span_of_period = bounds or (lambda p: period_bounds(p, unit))
    peak = max((sum(c.values()) for c in data.counts.values()), default=0)
    scale_max = _nice(peak)
    bars, labels, line, gap_marks = [], [], [], []
    if n:
        slot = inner_w / n
        bw = max(slot * 0.8, 1.0)
        every = max(1, math.ceil(n / 14))
        k = 0  # gap slots so far
        last = len(data.periods) - 1
        for j, m in enumerate(data.periods):
            if j in gaps:
                gap = gaps[j]
                gap_marks.append({"x": round(left + (j + k) * slot, 1), "w": round(slot, 1), "label": gap.label,
                                  "first": gap.first, "last": gap.last, "periods": gap.periods})
                k += 1
            i = j + k
            x = left + i * slot + (slot - bw) / 2
            y = top + inner_h
            for g in data.groups:
                c = data.counts.get(m, {}).get(g, 0)
                if not c:
                    continue
                h = c / scale_max * inner_h
                y -= h
                colour = TYPE_COLOURS.get(g, "#888") if by == "type" else QUAD_COLOURS.get(int(g), "#888")
                name = g if by == "type" else f"quad {g}: {QUAD_NAMES.get(int(g), '')}"
                since, until = span_of_period(m)
                link = url_with("/events", params, since=since, until=until,
                                **({"type": g} if by == "type" else {"quad": g}))
                bars.append({"x": round(x, 1), "y": round(y, 1), "w": round(bw, 1), "h": round(h, 1),
                             "fill": colour, "title": f"{m} · {name}: {c}", "href": link})
            # every few periods, the first and the last always (a label too near the last gives way)
            if j in (0, last) or (i % every == 0 and n - 1 - i >= every / 2):
                labels.append({"x": round(left + i * slot + slot / 2, 1), "text": m})
            if m in data.intensity:
                iy = top + inner_h / 2 - data.intensity[m] / 10 * (inner_h / 2)
                line.append((round(left + i * slot + slot / 2, 1), round(iy, 1), m, data.intensity[m]))
    ticks = [{"y": round(top + inner_h - v / scale_max * inner_h, 1), "v": v}
             for v in _ticks(scale_max)]
    itx = [{"y": round(top + inner_h / 2 - v / 10 * (inner_h / 2), 1), "v": v} for v in (-10, -5, 0, 5, 10)]
    legend = (
        [{"name": g, "fill": TYPE_COLOURS.get(g, "#888")} for g in data.groups]
        if by == "type"
        else [{"name": f"{g} {QUAD_NAMES.get(int(g), '')}", "fill": QUAD_COLOURS.get(int(g), "#888")}
              for g in data.groups]
    )
    points = " ".join(f"{x},{y}" for x, y, _, _ in line)
    return {"width": width, "height": height, "left": left, "right": right, "top": top,
            "inner_w": inner_w, "inner_h": inner_h, "bars": bars, "labels": labels, "ticks": ticks,
            "itx": itx, "line": line, "points": points, "legend": legend, "empty": not data.periods,
            "gaps": gap_marks,
            "bottom": top + inner_h}


def _nice(v: float) -> float:
    if v <= 0:
        return 1.0
    if v <= 20:  # small counts: four whole-number steps
        return float(4 * math.ceil(v / 4))
    exp = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * exp:
            return float(m * exp)
    return float(10 * exp)


def _ticks(top: float) -> list[float]:
    step = top / 4
    return [round(step * i, 2) for i in range(5)]


# ---------------------------------------------------------------- map


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, state: State, f: Filter) -> HTMLResponse:
    world = load_world_map()
    store = state.store()
    pts = queries.map_points(store, f)
    peak = max((p.n for p in pts), default=1)
    params = filter_params(f)
    circles: list[dict[str, Any]] = []
    for p in pts:
        x, y = project(p.lat, p.lon)
        circles.append({"x": x, "y": y, "r": round(4 + 26 * math.sqrt(p.n / peak), 1), "name": p.name,
                        "country": p.country, "n": p.n, "href": url_with("/events", params, place=p.key)})
    # Largest first so that small circles stay clickable on top of big ones.
    circles.sort(key=lambda c: -float(c["r"]))
    active = _alpha2({fc.value for fc in queries.country_facet(store, f, limit=300)})
    return render(request, "map.html", page="map", f=f, world=world, circles=circles, active=active,
                  params=params, url_with=url_with)


@router.get("/map/world.svg")
def world_svg() -> Response:
    """The country outlines alone, cached by the browser: the map page draws its points over them."""
    world = load_world_map()
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{" ".join(str(v) for v in world.viewbox)}">',
             '<g fill="#e1e4e0" stroke="#ffffff" stroke-width="0.8">']
    for c in world.countries:
        parts.append("".join(f'<path d="{d}"/>' for d in c.paths))
    parts.append("</g></svg>")
    return Response("".join(parts), media_type="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=86400"})


def _alpha2(codes: set[str]) -> set[str]:
    import pycountry

    out = set()
    for c in codes:
        country = pycountry.countries.get(alpha_3=c)
        if country is not None:
            out.add(country.alpha_2.lower())
    return out


# ---------------------------------------------------------------- network


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request, state: State, f: Filter,
                 size: Annotated[int, Query(ge=5, le=150)] = 40) -> HTMLResponse:
    net = queries.network(state.store(), f, max_nodes=size)
    pos = {n.key: n for n in net.nodes}
    radius = {n.key: n.r for n in net.nodes}
    edges = []
    for e in net.edges:
        a, b = pos[e.source], pos[e.target]
        colour = QUAD_COLOURS.get(e.quad or 0, "#7a7f87")
        # Stop the line at the target's rim so that its arrowhead shows.
        dist = math.hypot(b.x - a.x, b.y - a.y) or 1.0
        cut = (radius[e.target] + 2) / dist
        x2, y2 = round(b.x - (b.x - a.x) * cut, 1), round(b.y - (b.y - a.y) * cut, 1)
        edges.append({"x1": a.x, "y1": a.y, "x2": x2, "y2": y2, "colour": colour,
                      "w": round(1 + 2.2 * math.log1p(e.n), 1), "kind": e.kind, "n": e.n,
                      "title": f"{a.name} → {b.name}: "
                      + (f"{e.n} event(s), {QUAD_NAMES.get(e.quad or 0, 'no quad')}" if e.kind == "event"
                         else f"{e.kind} ({e.n})"),
                      "source": e.source, "target": e.target})
    nodes = [{"key": n.key, "name": n.name, "label": n.label, "x": n.x, "y": n.y, "n": n.n,
              "r": radius[n.key]} for n in net.nodes]
    return render(request, "network.html", page="network", f=f, nodes=nodes, edges=edges,
                  unattributed=queries.unattributed_count(state.store(), f),
                  params=filter_params(f), size=size, url_with=url_with)


# ---------------------------------------------------------------- trends, alerts, situation report


def _analysis_params(f: EventFilter, a: AnalysisOptions, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**filter_params(f), **a.params(), **(extra or {})}


@router.get("/trends", response_class=HTMLResponse)
def trends_page(request: Request, state: State, f: Filter, a: Analysis) -> HTMLResponse:
    from ..analysis.trends import trends

    rep = trends(state.store(), f, by=a.by, dyad=a.dyad)
    params = filter_params(f)
    here = _analysis_params(f, a)

    def bounds(p: str) -> tuple[str, str]:
        return period_bounds(p, rep.by)

    unit = rep.by
    quad_chart = _timeline_chart(trend_timeline(rep, "quad"), "quad", params, bounds=bounds)
    type_chart = _timeline_chart(trend_timeline(rep, "type"), "type", params, bounds=bounds)
    return render(request, "trends.html", page="trends", f=f, a=a, rep=rep, params=params, here=here,
                  quad_chart=quad_chart, type_chart=type_chart, t=trend_tables(rep, rep.by, params), unit=unit,
                  url_with=url_with, json_url=url_with("/api/trends", here),
                  csv_url=url_with("/api/trends.csv", here))


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(request: Request, state: State, f: Filter, a: Analysis, e: Escalation) -> HTMLResponse:
    from ..analysis.escalation import escalation

    rep = escalation(state.store(), f, by=a.by, level=e.level, dyad=a.dyad, config=e.config)
    here = _analysis_params(f, a, e.params())
    series = series_views(rep)
    return render(request, "alerts.html", page="alerts", f=f, a=a, e=e, rep=rep, alerts=alert_views(rep,
                  filter_params(f)), series=series, params=filter_params(f), here=here, url_with=url_with,
                  json_url=url_with("/api/escalation", here), csv_url=url_with("/api/escalation.csv", here))


@router.get("/brief", response_class=HTMLResponse)
def brief_page(request: Request, state: State, f: Filter, a: Analysis, e: Escalation,
               top: Annotated[int, Query(ge=1, le=50)] = 10) -> HTMLResponse:
    from ..analysis.report import report_title, situation_report

    # As in `dragoman brief`: since limits the developments and caveats, not the baselines.
    rep = situation_report(state.store(), replace(f, since=None), since=f.since, by=a.by, dyad=a.dyad,
                           level=e.level, top=top, config=e.config)
    here = _analysis_params(f, a, e.params())
    return render(request, "brief.html", page="brief", f=f, a=a, e=e, rep=rep, view=report_view(rep),
                  title=report_title(rep), params=filter_params(f), here=here, url_with=url_with,
                  json_url=url_with("/api/brief", here), md_url=url_with("/api/brief", here, format="md"))


# ---------------------------------------------------------------- analyse


@router.get("/analyse", response_class=HTMLResponse)
def analyse_form(request: Request, state: State) -> HTMLResponse:
    return render(request, "analyse.html", page="analyse", form={}, v=None, writable=bool(state.token))


@router.post("/analyse", response_class=HTMLResponse)
async def analyse_submit(request: Request) -> HTMLResponse:
    from ..dates import parse_published
    from .api import check_analysis_allowed

    state: WebState = request.app.state.web
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise HTTPException(413, "the article is too large")
    raw = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    form = {k: v[0] for k, v in raw.items() if v}
    check_analysis_allowed(request, state, form.get("token"))
    text = form.get("text", "")
    published = form.get("published", "").strip() or None
    errors: list[str] = []
    if not text.strip():
        errors.append("Paste the text of an article first.")
    if len(text) > MAX_ANALYSE_CHARS:
        errors.append(f"The article is {len(text):,} characters long; this page analyses at most "
                      f"{MAX_ANALYSE_CHARS:,}.")
        text = ""
    if published:
        try:
            published = parse_published(published).isoformat()
        except DragomanError as exc:
            errors.append(f"{exc}.")
            published = None
    want_store = form.get("store") == "1"
    if want_store and not state.authorised(form.get("token")):
        errors.append("Storing needs the server's token; the analysis below was not stored."
                      if state.token else "This server is read-only: it has no token, so nothing can be stored.")
        want_store = False
    v = None
    outcome = None
    if text.strip():
        try:
            result = await _run(state, text, form.get("title") or None, published)
        except DragomanError as exc:
            errors.append(str(exc))
        else:
            v = article_view(result.to_dict())
            if want_store:
                outcome = _store(state, result)
    form.pop("token", None)  # never echo the token back into the page
    status = 400 if errors and v is None else 200
    return render(request, "analyse.html", status=status, page="analyse", form=form, v=v, errors=errors,
                  outcome=outcome, writable=bool(state.token))


async def _run(state: WebState, text: str, title: str | None, published: str | None) -> Any:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(state.analyse, text, source="web", title=title, published=published)


def _store(state: WebState, result: Any) -> Any:
    return state.write(result)


# ---------------------------------------------------------------- API docs


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    ops = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = []
            for prm in op.get("parameters", []):
                schema = prm.get("schema", {})
                kinds = [s.get("type") for s in schema.get("anyOf", [schema]) if s.get("type") not in (None, "null")]
                pattern = next((s.get("pattern") for s in schema.get("anyOf", [schema]) if s.get("pattern")), None)
                params.append({"name": prm["name"], "in": prm["in"], "required": prm.get("required", False),
                               "type": "/".join(k for k in kinds if k) or "string",
                               "pattern": pattern, "description": prm.get("description") or schema.get("description"),
                               "default": schema.get("default")})
            body = None
            if "requestBody" in op:
                ref = op["requestBody"]["content"].get("application/json", {}).get("schema", {}).get("$ref", "")
                name = ref.rsplit("/", 1)[-1]
                body = {"name": name, "fields": spec.get("components", {}).get("schemas", {}).get(name, {})
                        .get("properties", {})}
            ops.append({"path": path, "method": method.upper(), "summary": op.get("summary", ""),
                        "params": params, "body": body})
    return render(request, "docs.html", page="docs", ops=ops, title=spec["info"]["title"],
                  version=spec["info"]["version"], Markup=Markup)


