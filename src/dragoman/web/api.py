"""The JSON API: articles, events, actors and places, each list also as CSV; briefs, trends and escalation;
analysis and the token-guarded write."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, field_validator

from ..analysis.brief import Brief, article_brief, render_brief_markdown, render_brief_text
from ..plover import EVENT_TYPES
from ..records import ArticleResult
from ..store.query import EventFilter
from .analysis import Analysis, AnalysisOptions, Escalation, EscalationOptions
from .app import WebState, same_origin

__all__ = ["router", "event_filter", "to_csv"]

router = APIRouter(prefix="/api", tags=["api"])

DATE = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"
TYPE = "^(|" + "|".join(sorted(EVENT_TYPES)) + "|" + "|".join(t.lower() for t in sorted(EVENT_TYPES)) + ")$"
Text = Annotated[str | None, Query(max_length=200)]
Limit = Annotated[int, Query(ge=1, le=500, description="items per page")]
Cursor = Annotated[str | None, Query(max_length=400, description="next_cursor of the previous page")]
Format = Annotated[str | None, Query(pattern="^(json|csv)$", description="json (default) or csv")]


def web(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def _blank(v: str | None) -> str | None:
    return v.strip() or None if v is not None else None


def event_filter(
    actor: Annotated[str | None, Query(max_length=200, description="actor name, alias or key")] = None,
    type: Annotated[str | None, Query(pattern=TYPE, description="PLOVER event type")] = None,
    country: Annotated[str | None, Query(pattern="^([A-Za-z]{3})?$", description="ISO 3166-1 alpha-3")] = None,
    place: Annotated[str | None, Query(max_length=200, description="place name or key")] = None,
    since: Annotated[str | None, Query(pattern=DATE, description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    until: Annotated[str | None, Query(pattern=DATE, description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    text: Annotated[str | None, Query(max_length=200, description="full-text query over the articles")] = None,
    quad: Annotated[str | None, Query(pattern="^[1-4]?$", description="PLOVER quad class 1-4")] = None,
    article: Annotated[str | None, Query(max_length=80, pattern=r"^[A-Za-z0-9:]*$")] = None,
    cluster: Annotated[str | None, Query(pattern=r"^\d{0,12}$", description="cluster number")] = None,
) -> EventFilter:
    """The filters of ``dragoman events``; empty values (from a blank form field) mean no filter."""
    t = _blank(type)
    q = _blank(quad)
    c = _blank(cluster)
    return EventFilter(
        actor=_blank(actor),
        type=t.upper() if t else None,
        country=(_blank(country) or "").upper() or None,
        place=_blank(place),
        since=_blank(since),
        until=_blank(until),
        text=_blank(text),
        quad=int(q) if q else None,
        article_id=_blank(article),
        cluster=int(c) if c else None,
    )


Filter = Annotated[EventFilter, Depends(event_filter)]
State = Annotated[WebState, Depends(web)]


def _cell(v: Any) -> Any:
    if isinstance(v, list | tuple):
        v = "; ".join(str(_cell(x)) for x in v)
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"):
        # Text from articles must not become a formula when the CSV is opened in a spreadsheet.
        return "'" + v
    return v


def to_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str], filename: str) -> Response:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(columns)
    for r in rows:
        w.writerow([_cell(r.get(c)) for c in columns])
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _page(items: list[dict[str, Any]], next_cursor: str | None, request: Request) -> dict[str, Any]:
    nxt = None
    if next_cursor:
        nxt = str(request.url.include_query_params(cursor=next_cursor))
    return {"items": items, "next_cursor": next_cursor, "next": nxt}


# ---------------------------------------------------------------- articles

ARTICLE_COLUMNS = ["id", "title", "source", "url", "outlet", "published", "n_events", "near_duplicate_of",
                   "snippet"]


def _articles(request: Request, state: WebState, q: str | None, outlet: str | None, since: str | None,
              until: str | None, limit: int, cursor: str | None, fmt: str | None) -> Any:
    page = state.store().articles(search=_blank(q), outlet=_blank(outlet), since=_blank(since),
                                  until=_blank(until), limit=limit, cursor=cursor)
    items = [a.to_dict() for a in page.items]
    for it in items:
        it.pop("pk", None)
    if fmt == "csv":
        return to_csv(items, ARTICLE_COLUMNS, "articles.csv")
    return _page(items, page.next_cursor, request)


@router.get("/articles", summary="Articles, newest first; q is a full-text search")
def list_articles(
    request: Request, state: State,
    q: Annotated[str | None, Query(max_length=200, description="full-text query")] = None,
    outlet: Text = None,
    since: Annotated[str | None, Query(pattern=DATE)] = None,
    until: Annotated[str | None, Query(pattern=DATE)] = None,
    limit: Limit = 50, cursor: Cursor = None, format: Format = None,
) -> Any:
    return _articles(request, state, q, outlet, since, until, limit, cursor, format)


@router.get("/articles.csv", summary="Articles as CSV", response_class=Response)
def list_articles_csv(
    request: Request, state: State,
    q: Annotated[str | None, Query(max_length=200)] = None, outlet: Text = None,
    since: Annotated[str | None, Query(pattern=DATE)] = None,
    until: Annotated[str | None, Query(pattern=DATE)] = None,
    limit: Limit = 500, cursor: Cursor = None,
) -> Any:
    return _articles(request, state, q, outlet, since, until, limit, cursor, "csv")


ArticleId = Annotated[str, Path(max_length=80, pattern=r"^[A-Za-z0-9:]+$", description="id or unique prefix")]


@router.get("/articles/{article_id}", summary="One article with its full analysis (the JSON contract)")
def get_article(article_id: ArticleId, state: State) -> Any:
    result = state.store().get_result(article_id)
    if result is None:
        raise HTTPException(404, f"no article {article_id}")
    return result


# ---------------------------------------------------------------- events

EVENT_COLUMNS = ["pk", "article_id", "id", "event", "mode", "context", "quad", "intensity", "confidence",
                 "date", "granularity", "certainty", "negated", "actor", "recipient", "places", "trigger", "sentence",
                 "title", "outlet", "source", "url", "cluster"]
CLUSTER_COLUMNS = ["cluster", "event", "day", "n_mentions", "n_articles", "sources", "actors", "countries",
                   "places"]


def _event_csv_row(d: dict[str, Any]) -> dict[str, Any]:
    d = dict(d)
    for k in ("actor", "recipient", "places"):
        d[k] = [x.get("name") for x in d[k]]
    return d


def _events(request: Request, state: WebState, f: EventFilter, clusters: bool, limit: int,
            cursor: str | None, fmt: str | None) -> Any:
    store = state.store()
    if clusters:
        cpage = store.clusters(f, limit=limit, cursor=cursor)
        citems = [c.to_dict() for c in cpage.items]
        if fmt == "csv":
            return to_csv(citems, CLUSTER_COLUMNS, "clusters.csv")
        return _page(citems, cpage.next_cursor, request)
    page = store.events(f, limit=limit, cursor=cursor)
    items = [e.to_dict() for e in page.items]
    if fmt == "csv":
        return to_csv((_event_csv_row(d) for d in items), EVENT_COLUMNS, "events.csv")
    return _page(items, page.next_cursor, request)


Clusters = Annotated[bool, Query(description="1: real-world events (clusters of reports) instead of reports")]


@router.get("/events", summary="Coded events, newest first, with the filters of `dragoman events`")
def list_events(request: Request, state: State, f: Filter, clusters: Clusters = False,
                limit: Limit = 50, cursor: Cursor = None, format: Format = None) -> Any:
    return _events(request, state, f, clusters, limit, cursor, format)


@router.get("/events.csv", summary="Coded events as CSV", response_class=Response)
def list_events_csv(request: Request, state: State, f: Filter, clusters: Clusters = False,
                    limit: Limit = 500, cursor: Cursor = None) -> Any:
    return _events(request, state, f, clusters, limit, cursor, "csv")


# ---------------------------------------------------------------- actors and places

ACTOR_COLUMNS = ["key", "name", "kind", "country", "sector", "kb_id", "wikidata", "n_articles", "n_actor",
                 "n_recipient"]
PLACE_COLUMNS = ["key", "name", "country", "admin1", "lat", "lon", "geonameid", "feature", "n_articles",
                 "n_events"]
Country3 = Annotated[str | None, Query(pattern="^([A-Za-z]{3})?$")]


def _actors(request: Request, state: WebState, name: str | None, country: str | None, kind: str | None,
            limit: int, cursor: str | None, fmt: str | None) -> Any:
    page = state.store().actors(name=_blank(name), country=_blank(country), kind=_blank(kind), limit=limit,
                                cursor=cursor)
    items = [a.to_dict() for a in page.items]
    if fmt == "csv":
        return to_csv(items, ACTOR_COLUMNS, "actors.csv")
    return _page(items, page.next_cursor, request)


@router.get("/actors", summary="Actors, most active first")
def list_actors(request: Request, state: State, name: Text = None, country: Country3 = None,
                kind: Annotated[str | None, Query(max_length=40)] = None, limit: Limit = 50,
                cursor: Cursor = None, format: Format = None) -> Any:
    return _actors(request, state, name, country, kind, limit, cursor, format)


@router.get("/actors.csv", summary="Actors as CSV", response_class=Response)
def list_actors_csv(request: Request, state: State, name: Text = None, country: Country3 = None,
                    kind: Annotated[str | None, Query(max_length=40)] = None, limit: Limit = 500,
                    cursor: Cursor = None) -> Any:
    return _actors(request, state, name, country, kind, limit, cursor, "csv")


@router.get("/actors/{key:path}", summary="An actor's profile: aliases, events over time, relations")
def get_actor(key: Annotated[str, Path(max_length=300)], state: State) -> Any:
    profile = state.store().actor_profile(key)
    if profile is None:
        raise HTTPException(404, f"no actor {key}")
    return profile.to_dict()


def _places(request: Request, state: WebState, name: str | None, country: str | None, limit: int,
            cursor: str | None, fmt: str | None) -> Any:
    page = state.store().places(name=_blank(name), country=_blank(country), limit=limit, cursor=cursor)
    items = [p.to_dict() for p in page.items]
    if fmt == "csv":
        return to_csv(items, PLACE_COLUMNS, "places.csv")
    return _page(items, page.next_cursor, request)


@router.get("/places", summary="Places where events happened, most events first")
def list_places(request: Request, state: State, name: Text = None, country: Country3 = None,
                limit: Limit = 50, cursor: Cursor = None, format: Format = None) -> Any:
    return _places(request, state, name, country, limit, cursor, format)


@router.get("/places.csv", summary="Places as CSV", response_class=Response)
def list_places_csv(request: Request, state: State, name: Text = None, country: Country3 = None,
                    limit: Limit = 500, cursor: Cursor = None) -> Any:
    return _places(request, state, name, country, limit, cursor, "csv")


@router.get("/stats", summary="How many articles, events, clusters and actors are stored")
def stats(state: State) -> dict[str, int]:
    return state.store().stats()


# ---------------------------------------------------------------- analysis and writing


class ArticleIn(BaseModel):
    """An article to analyse: its text and what is known about it."""

    text: str = Field(min_length=1, max_length=1_000_000)
    source: str | None = Field(default=None, max_length=500)
    title: str | None = Field(default=None, max_length=500)
    url: str | None = Field(default=None, max_length=2000)
    outlet: str | None = Field(default=None, max_length=200)
    published: str | None = Field(default=None, max_length=100,
                                  description="2025-04-08, '8 April 2025', an RFC 2822 date or a Unix time")

    @field_validator("published")
    @classmethod
    def _whole_day(cls, value: str | None) -> str | None:
        from ..dates import parse_published
        from ..errors import InputError

        if value is None or not value.strip():
            return None
        try:
            return parse_published(value).isoformat()
        except InputError as exc:
            raise ValueError(str(exc)) from exc


def _meta(a: ArticleIn) -> dict[str, Any]:
    return {"source": a.source or "api", "title": a.title, "url": a.url, "outlet": a.outlet,
            "published": a.published}


@router.post("/analyse", summary="Analyse posted text and return the result without storing it (needs the "
             "token, or a request from this server's own pages; at most 100,000 characters, one at a time)")
def post_analyse(article: ArticleIn, request: Request, state: State) -> Any:
    check_analysis_allowed(request, state)
    return state.analyse(article.text, **_meta(article)).to_dict()


def check_analysis_allowed(request: Request, state: WebState, token: str | None = None) -> None:
    """Analysis costs seconds of CPU: it is for the token holder or for this server's own pages."""
    if state.authorised(token or token_of(request)) or same_origin(request):
        return
    raise HTTPException(403, "analysis needs the token (Authorization: Bearer TOKEN) or a request from this "
                             "server's own pages")


def token_of(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-dragoman-token")


@router.post("/articles", status_code=201,
             summary="Analyse and store an article (needs the token: Authorization: Bearer TOKEN)")
def post_article(article: ArticleIn, request: Request, state: State) -> Any:
    if not state.token:
        raise HTTPException(403, "this server is read-only: start it with a token (setting `token` or "
                                 "DRAGOMAN_TOKEN) to allow writes")
    if not state.authorised(token_of(request)):
        raise HTTPException(401, "missing or wrong token: send Authorization: Bearer TOKEN",
                            headers={"WWW-Authenticate": "Bearer"})
    result = state.analyse(article.text, **_meta(article))
    outcome = state.write(result)
    body = {"status": outcome.status, "article_id": outcome.article_id,
            "near_duplicate_of": outcome.near_duplicate_of, "url": f"/articles/{outcome.article_id}",
            "events": len(result.events)}
    return JSONResponse(body, status_code=201 if outcome.status == "stored" else 200)


# ---------------------------------------------------------------- analysis: briefs, trends, escalation

# Tables of periods carry a row per collapsed gap of empty periods, as the pages do: ``row`` is
# "period" or "gap"; a gap row runs from ``period`` to ``last`` over ``periods`` periods, with its ``note``.
TREND_COLUMNS = ["series", "key", "row", "period", "last", "periods", "n", "incidents", "mean_intensity",
                 "change_n", "change_pct", "change_intensity", "note"]
ALERT_COLUMNS = ["period", "unit", "label", "index", "baseline", "z", "drivers", "events", "articles"]
SERIES_COLUMNS = ["unit", "label", "row", "period", "last", "periods", "index", "baseline", "z", "note"]
BriefFormat = Annotated[str | None, Query(pattern="^(json|md|text)$", description="json (default), md or text")]


def _brief_of(state: WebState, article_id: str) -> Brief:
    result = state.store().get_result(article_id)
    if result is None:
        raise HTTPException(404, f"no article {article_id}")
    return article_brief(ArticleResult.from_dict(result))


@router.get("/articles/{article_id}/brief",
            summary="The one-article brief: main development, how solid it is, context, what to watch")
def get_article_brief(article_id: ArticleId, state: State, format: BriefFormat = None) -> Any:
    brief = _brief_of(state, article_id)
    if format == "md":
        return Response(render_brief_markdown(brief), media_type="text/markdown; charset=utf-8")
    if format == "text":
        return Response(render_brief_text(brief), media_type="text/plain; charset=utf-8")
    return brief.to_dict()


def _trends(state: WebState, f: EventFilter, a: AnalysisOptions, fmt: str | None) -> Any:
    from ..analysis.trends import trends

    rep = trends(state.store(), f, by=a.by, dyad=a.dyad)
    if fmt == "csv":
        return to_csv(rep.rows(), TREND_COLUMNS, "trends.csv")
    return rep.to_dict()


@router.get("/trends", summary="Event counts and mean intensity per week, month, quarter or year, by quad class "
                               "and type, with the change against the previous period")
def get_trends(state: State, f: Filter, a: Analysis, format: Format = None) -> Any:
    return _trends(state, f, a, format)


@router.get("/trends.csv", summary="Trends as CSV: one row per series and period", response_class=Response)
def get_trends_csv(state: State, f: Filter, a: Analysis) -> Any:
    return _trends(state, f, a, "csv")


TIMELINE_COLUMNS = ["row", "period", "last", "periods", "group", "n", "mean_intensity", "note"]
TimelineGroup = Annotated[str, Query(pattern="^(type|quad)$", description="group the events by PLOVER type "
                                                                       "(default) or by quad class")]


def _timeline(state: WebState, f: EventFilter, by: str, fmt: str | None) -> Any:
    from . import queries

    data = queries.timeline(state.store(), f, by=by)
    if fmt == "csv":
        return to_csv(data.rows(), TIMELINE_COLUMNS, "timeline.csv")
    selection = {k: v for k, v in ((s, getattr(f, s)) for s in f.__slots__) if v is not None}
    return data.to_dict(by, selection)


@router.get("/timeline", summary="Events per month by PLOVER type or quad class, with the mean intensity, over "
                                 "the news period, as the timeline page draws them: quarters (else years) when "
                                 "the months with events are more than a series shows (120), runs of empty "
                                 "periods collapsed into coverage.gaps, and what is not shown (undated, dated "
                                 "only coarsely, outside) counted in coverage")
def get_timeline(state: State, f: Filter, by: TimelineGroup = "type", format: Format = None) -> Any:
    return _timeline(state, f, by, format)


@router.get("/timeline.csv", summary="The timeline as CSV: one row per period and group, and one per collapsed "
                                     "gap (row = gap)", response_class=Response)
def get_timeline_csv(state: State, f: Filter, by: TimelineGroup = "type") -> Any:
    return _timeline(state, f, by, "csv")


Rows = Annotated[str, Query(pattern="^(alerts|series)$", description="CSV rows: alerts (default) or series")]


def _alert_rows(rep: Any) -> list[dict[str, Any]]:
    return [{"period": x.period, "unit": x.unit, "label": x.label, "index": x.index, "baseline": x.baseline,
             "z": x.z, "drivers": [d.summary() for d in x.drivers],
             "events": [r.pk for d in x.drivers for r in d.reports],
             "articles": list(dict.fromkeys(r.article_id for d in x.drivers for r in d.reports))}
            for x in rep.alerts]


def _escalation(state: WebState, f: EventFilter, a: AnalysisOptions, e: EscalationOptions, fmt: str | None,
                rows: str) -> Any:
    from ..analysis.escalation import escalation

    rep = escalation(state.store(), f, by=a.by, level=e.level, dyad=a.dyad, config=e.config)
    if fmt == "csv":
        if rows == "series":
            return to_csv(rep.series_rows(), SERIES_COLUMNS, "escalation-series.csv")
        return to_csv(_alert_rows(rep), ALERT_COLUMNS, "escalation-alerts.csv")
    return rep.to_dict()


@router.get("/escalation", summary="Escalation index per dyad or country (robust z-score against a rolling "
                                   "baseline), with the alerts and the incidents that drive them")
def get_escalation(state: State, f: Filter, a: Analysis, e: Escalation, format: Format = None,
                   rows: Rows = "alerts") -> Any:
    return _escalation(state, f, a, e, format, rows)


@router.get("/escalation.csv", summary="Escalation alerts (or, with rows=series, the index) as CSV",
            response_class=Response)
def get_escalation_csv(state: State, f: Filter, a: Analysis, e: Escalation, rows: Rows = "alerts") -> Any:
    return _escalation(state, f, a, e, "csv", rows)


@router.get("/brief", summary="A situation report for a selection: key developments, trend, escalation, "
                              "weak sourcing, contradictions, what to watch; since limits the developments")
def get_brief(state: State, f: Filter, a: Analysis, e: Escalation,
              top: Annotated[int, Query(ge=1, le=50, description="items per section")] = 10,
              format: Annotated[str | None, Query(pattern="^(json|md)$", description="json (default) or md")]
              = None) -> Any:
    from dataclasses import replace

    from ..analysis.report import render_report_markdown, situation_report

    rep = situation_report(state.store(), replace(f, since=None), since=f.since, by=a.by, dyad=a.dyad,
                           level=e.level, top=top, config=e.config)
    if format == "md":
        return Response(render_report_markdown(rep), media_type="text/markdown; charset=utf-8")
    return rep.to_dict()
