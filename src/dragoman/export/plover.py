"""PLOVER event records: one JSON object per event, with PLOVER's field names, from an ArticleResult."""

from __future__ import annotations

from typing import Any

from ..records import ArticleResult, Entity

__all__ = ["plover_records"]


def _actor(e: Entity | None) -> dict[str, Any]:
    if e is None:
        return {"name": None, "country": None, "sector": None, "kb_id": None, "wikidata": None}
    return {
        "name": e.name,
        "country": e.country,
        "sector": e.sector,
        "kb_id": e.kb_id,
        "wikidata": e.wikidata,
    }


def plover_records(result: ArticleResult, *, links: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """One PLOVER record per event. Pure: the same result always gives the same records.

    PLOVER fields hold names (``actor``, ``recipient``) with their country and sector beside them;
    an event with several actors names the first in ``actor`` and lists all of them in
    ``actors``. ``links`` maps event ids to a cross-article cluster id (PLOVER's ``link``) when the
    caller knows it (the store does).
    """
    art = result.article
    ents = {e.id: e for e in result.entities}
    places = {p.id: p for p in result.places}
    out = []
    for ev in result.events:
        actors = [ents[i] for i in ev.actor if i in ents]
        recips = [ents[i] for i in ev.recipient if i in ents]
        first_actor = actors[0] if actors else None
        first_recip = recips[0] if recips else None
        place = places.get(ev.places[0]) if ev.places else None
        a, r = _actor(first_actor), _actor(first_recip)
        out.append(
            {
                "id": f"{art.id}#{ev.id}",
                "date": ev.date.value,
                "date_basis": ev.date.basis,
                "event": ev.event,
                "mode": ev.mode or "",
                "context": list(ev.context),
                "actor": a["name"],
                "actor_country": a["country"],
                "actor_sector": a["sector"],
                "actor_kb_id": a["kb_id"],
                "actor_wikidata": a["wikidata"],
                "recipient": r["name"],
                "recipient_country": r["country"],
                "recipient_sector": r["sector"],
                "recipient_kb_id": r["kb_id"],
                "recipient_wikidata": r["wikidata"],
                "actors": [_actor(x) for x in actors],
                "recipients": [_actor(x) for x in recips],
                "quad_class": ev.quad,
                "intensity": ev.intensity,
                "event_loc": None
                if place is None
                else {
                    "name": place.name,
                    "country": place.country,
                    "admin1": place.admin1,
                    "lat": place.lat,
                    "lon": place.lon,
                    "geonameid": place.geonameid,
                    "feature": place.feature,
                },
                "modality": ev.modality.to_dict(),
                "attribution": ev.attribution.to_dict() if ev.attribution else None,
                "text_info": {
                    "headline": art.title,
                    "sentence": art.text[ev.sentence.start : ev.sentence.end],
                    "trigger": ev.trigger.text,
                    "trigger_start": ev.trigger.start,
                    "trigger_end": ev.trigger.end,
                    "sentence_start": ev.sentence.start,
                    "sentence_end": ev.sentence.end,
                    "language": art.language,
                },
                "cite_info": {
                    "article_id": art.id,
                    "source": art.source,
                    "url": art.url,
                    "outlet": art.outlet,
                    "wire": list(art.wire),
                    "published": art.published,
                },
                "link": (links or {}).get(ev.id),
                "confidence": ev.confidence,
                "coder": "dragoman " + dict(result.meta).get("dragoman", ""),
            }
        )
    return out
