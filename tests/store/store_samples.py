"""Hand-built ArticleResults over short articles written for these tests; offsets are computed, not typed."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

from dragoman.records import (
    Article,
    ArticleResult,
    Attribution,
    Dateline,
    Entity,
    Event,
    EventDate,
    Mention,
    Modality,
    Offsets,
    Place,
    Quantity,
    Quote,
    Relation,
    TimeExpr,
)


def _span(text: str, needle: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Mention(start, start + len(needle), needle)


def _sentence(text: str, pos: int) -> Offsets:
    start = text.rfind(". ", 0, pos)
    start = 0 if start < 0 else start + 2
    end = text.find(". ", pos)
    return Offsets(start, len(text) if end < 0 else end + 1)


def build(
    text: str,
    *,
    outlet: str | None = None,
    published: str | None = None,
    source: str | None = None,
    title: str | None = None,
    entities: list[dict[str, Any]] = (),
    places: list[dict[str, Any]] = (),
    events: list[dict[str, Any]] = (),
    quotes: list[tuple[str | None, str, str]] = (),
    times: list[tuple[str, str, str]] = (),
    quantities: list[tuple[str, float, str]] = (),
    relations: list[tuple[str, str, str]] = (),
    meta: dict[str, str] | None = None,
) -> ArticleResult:
    ents = tuple(
        Entity(
            id=e["id"],
            name=e["name"],
            kind=e["kind"],
            country=e.get("country"),
            sector=e.get("sector"),
            kb_id=e.get("kb_id"),
            mentions=tuple(_span(text, m) for m in e["mentions"]),
        )
        for e in entities
    )
    plcs = tuple(
        Place(
            id=p["id"],
            name=p["name"],
            country=p.get("country"),
            admin1=p.get("admin1"),
            lat=p.get("lat"),
            lon=p.get("lon"),
            geonameid=p.get("geonameid"),
            feature=p.get("feature", "city"),
            mentions=tuple(replace(_span(text, m), kind=p.get("kind")) for m in p["mentions"]),
            associative=p.get("associative", False),
        )
        for p in places
    )
    evs = []
    for i, e in enumerate(events, 1):
        trig = _span(text, e["trigger"])
        evs.append(
            Event(
                id=f"ev{i}",
                event=e["event"],
                trigger=trig,
                sentence=_sentence(text, trig.start),
                mode=e.get("mode"),
                context=tuple(e.get("context", ("military",))),
                actor=tuple(e.get("actor", ())),
                recipient=tuple(e.get("recipient", ())),
                places=tuple(e.get("places", ())),
                date=EventDate(e.get("date"), "text" if e.get("date") else "none"),
                modality=Modality(e.get("certainty", "reported"), "past", negated=e.get("negated", False)),
                attribution=Attribution(e["speaker"], "named", e.get("said", "said")) if e.get("speaker") else None,
                quad=e.get("quad", 4),
                intensity=e.get("intensity", -9.0),
                confidence=e.get("confidence", 0.8),
            )
        )
    qs = []
    for speaker, speaker_text, content in quotes:
        m = _span(text, content)
        qs.append(
            Quote(
                text=content,
                start=m.start,
                end=m.end,
                direct=True,
                speaker=speaker,
                speaker_text=speaker_text,
                cue="said",
            )
        )
    tms = tuple(TimeExpr(t, (m := _span(text, t)).start, m.end, v, typ) for t, v, typ in times)
    qts = tuple(Quantity(t, (m := _span(text, t)).start, m.end, v, u, True) for t, v, u in quantities)
    rels = tuple(Relation(s, p, o, Offsets(0, 0), "kb") for s, p, o in relations)
    article = Article(
        id="sha256:" + hashlib.sha256(text.encode()).hexdigest(),
        text=text,
        source=source,
        title=title,
        outlet=outlet,
        wire=("Reuters",) if outlet else (),
        dateline=Dateline("Baghdad", "BAGHDAD, April 8") if "BAGHDAD" in text else None,
        published=published,
        published_basis="metadata" if published else "none",
    )
    return ArticleResult(
        article=article,
        entities=ents,
        relations=rels,
        events=tuple(evs),
        quotes=tuple(qs),
        places=plcs,
        times=tms,
        quantities=qts,
        meta=tuple(sorted((meta or {"dragoman": "0.1.0", "kb": "kb-2025.04"}).items())),
    )


KH = {
    "id": "e1",
    "name": "Kataib Hezbollah",
    "kind": "armed_group",
    "country": "IRQ",
    "sector": "REB",
    "kb_id": "dragoman:kataib-hezbollah",
    "mentions": ["Kataib Hezbollah"],
}
PMF = {
    "id": "e2",
    "name": "Popular Mobilization Forces",
    "kind": "military",
    "country": "IRQ",
    "sector": "PRM",
    "kb_id": "dragoman:pmf",
    "mentions": ["Popular Mobilization Forces"],
}
IRQ_GOV = {
    "id": "e3",
    "name": "Iraqi government",
    "kind": "government",
    "country": "IRQ",
    "sector": "GOV",
    "kb_id": "dragoman:iraq-government",
    "mentions": ["Iraqi government"],
}
MOSUL = {
    "id": "p1",
    "name": "Mosul",
    "country": "IRQ",
    "admin1": "Nineveh",
    "lat": 36.335,
    "lon": 43.119,
    "geonameid": 99072,
    "mentions": ["Mosul"],
}

WIRE_TEXT = (
    "BAGHDAD, April 8 - Kataib Hezbollah began withdrawing its fighters from positions around Mosul on "
    "Tuesday, two officials said, a step the Iraqi government has sought for months. The group, part of the "
    'Popular Mobilization Forces, said the move was "a gesture of goodwill" toward the state. Around '
    "2,000 fighters were expected to leave by the end of the week, according to a security source in "
    "Nineveh province. The government welcomed the withdrawal and urged other factions to follow."
)


def wire_story(outlet: str = "Reuters", text: str = WIRE_TEXT, published: str = "2025-04-08") -> ArticleResult:
    return build(
        text,
        outlet=outlet,
        published=published,
        source=f"feeds/{outlet.lower()}.xml",
        title="Iraqi militia pulls fighters from Mosul",
        entities=[KH, PMF, IRQ_GOV],
        places=[MOSUL],
        events=[
            {
                "event": "RETREAT",
                "mode": "withdraw",
                "trigger": "withdrawing",
                "actor": ["e1"],
                "places": ["p1"],
                "date": "2025-04-08",
                "quad": 2,
                "intensity": 6.5,
            },
            {
                "event": "SUPPORT",
                "trigger": "welcomed",
                "actor": ["e3"],
                "recipient": ["e1"],
                "date": "2025-04-08",
                "quad": 1,
                "intensity": 5.0,
                "context": ["political_institutions"],
            },
            {
                "event": "REQUEST",
                "trigger": "urged",
                "actor": ["e3"],
                "quad": 3,
                "intensity": 0.0,
                "context": [],
            },
        ],
        quotes=[("e1", "The group", "a gesture of goodwill")],
        times=[("Tuesday", "2025-04-08", "DATE"), ("months", "P1M", "DURATION")],
        quantities=[("Around 2,000 fighters", 2000, "fighters")],
        relations=[("e1", "member_of", "e2")],
    )


SYNDICATED_TEXT = WIRE_TEXT.replace("two officials said", "two Iraqi officials said").replace(
    "The government welcomed", "Baghdad's government welcomed"
)

OTHER_REPORT_TEXT = (
    "Fighters of Kataib Hezbollah pulled out of several checkpoints on the edge of Mosul on Wednesday, "
    "residents told reporters. Local police said the handover to army units went smoothly and that no "
    "clashes were reported. Commanders of the Popular Mobilization Forces declined to comment."
)


def other_report() -> ArticleResult:
    return build(
        OTHER_REPORT_TEXT,
        outlet="Kurdistan24",
        published="2025-04-09",
        source="https://example.org/kh-mosul",
        title="Kataib Hezbollah leaves Mosul checkpoints",
        entities=[
            {**KH, "mentions": ["Kataib Hezbollah"]},
            {**PMF, "mentions": ["Popular Mobilization Forces"]},
        ],
        places=[MOSUL],
        events=[
            {
                "event": "RETREAT",
                "mode": "withdraw",
                "trigger": "pulled out",
                "actor": ["e1"],
                "places": ["p1"],
                "date": "2025-04-09",
                "quad": 2,
                "intensity": 6.5,
            }
        ],
        relations=[("e1", "member_of", "e2")],
    )


SUDAN_TEXT = (
    "Rapid Support Forces shelled the Abu Shouk displacement camp near El Fasher on Saturday, killing at "
    "least 12 civilians, aid workers said. The Sudanese army accused the paramilitary group of targeting "
    "people who had fled earlier fighting. The United Nations called for an immediate halt to attacks on "
    "civilians in North Darfur."
)


def sudan_story() -> ArticleResult:
    return build(
        SUDAN_TEXT,
        outlet="Sudan Tribune",
        published="2025-04-12",
        source="docs/sudan.txt",
        title="Shelling of Darfur camp kills 12",
        entities=[
            {
                "id": "e1",
                "name": "Rapid Support Forces",
                "kind": "armed_group",
                "country": "SDN",
                "sector": "PRM",
                "kb_id": "dragoman:rsf",
                "mentions": ["Rapid Support Forces", "the paramilitary group"],
            },
            {
                "id": "e2",
                "name": "civilians",
                "kind": "civilians",
                "country": "SDN",
                "sector": "CVL",
                "mentions": ["12 civilians"],
            },
            {
                "id": "e3",
                "name": "Sudanese Armed Forces",
                "kind": "military",
                "country": "SDN",
                "sector": "MIL",
                "kb_id": "dragoman:saf",
                "mentions": ["Sudanese army"],
            },
            {
                "id": "e4",
                "name": "United Nations",
                "kind": "igo",
                "country": "IGO",
                "sector": None,
                "kb_id": "dragoman:un",
                "mentions": ["United Nations"],
            },
        ],
        places=[
            {
                "id": "p1",
                "name": "El Fasher",
                "country": "SDN",
                "admin1": "North Darfur",
                "lat": 13.628,
                "lon": 25.349,
                "geonameid": 371519,
                "mentions": ["El Fasher"],
            },
            {
                "id": "p2",
                "name": "North Darfur",
                "country": "SDN",
                "lat": 15.77,
                "lon": 24.9,
                "feature": "province",
                "mentions": ["North Darfur"],
            },
        ],
        events=[
            {
                "event": "ASSAULT",
                "mode": "heavy-weapons",
                "trigger": "shelled",
                "actor": ["e1"],
                "recipient": ["e2"],
                "places": ["p1"],
                "date": "2025-04-12",
            },
            {
                "event": "ACCUSE",
                "mode": "disapprove",
                "trigger": "accused",
                "actor": ["e3"],
                "recipient": ["e1"],
                "date": "2025-04-12",
                "quad": 3,
                "intensity": -3.0,
            },
            {
                "event": "REQUEST",
                "trigger": "called for",
                "actor": ["e4"],
                "places": ["p2"],
                "quad": 3,
                "intensity": 0.0,
                "context": ["human_security"],
            },
        ],
        quantities=[("at least 12 civilians", 12, "civilians")],
        times=[("Saturday", "2025-04-12", "DATE")],
    )


UNDATED_TEXT = (
    "Protesters gathered outside parliament to demand the release of detained journalists. Police fired "
    "tear gas to disperse the crowd, witnesses said."
)


def undated_story() -> ArticleResult:
    return build(
        UNDATED_TEXT,
        source="-",
        entities=[
            {
                "id": "e1",
                "name": "protesters",
                "kind": "civilians",
                "sector": "CVL",
                "mentions": ["Protesters"],
            },
            {"id": "e2", "name": "police", "kind": "police", "sector": "COP", "mentions": ["Police"]},
        ],
        events=[
            {
                "event": "PROTEST",
                "mode": "demo",
                "trigger": "gathered",
                "actor": ["e1"],
                "quad": 4,
                "intensity": -5.0,
            },
            {
                "event": "COERCE",
                "trigger": "fired tear gas",
                "actor": ["e2"],
                "recipient": ["e1"],
                "quad": 4,
                "intensity": -7.0,
            },
        ],
        meta={},
    )
