"""Typed, immutable records that travel between the stages of the analysis; no I/O here.

Every record is a frozen dataclass with slots. Records are enriched with
``dataclasses.replace``; collections inside them are tuples so that a record can be
hashed, pickled across process boundaries and shared without defensive copies.

``ArticleResult.to_dict()`` produces exactly the JSON object of
``shared/spec/article-result.md`` and ``ArticleResult.from_dict()`` reads it back, so
``from_dict(to_dict(r)) == r`` for every result.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Article",
    "ArticleResult",
    "Attribution",
    "Dateline",
    "Entity",
    "Event",
    "EventDate",
    "Mention",
    "Modality",
    "Offsets",
    "Place",
    "Quantity",
    "Quote",
    "Relation",
    "TimeExpr",
]


@dataclass(frozen=True, slots=True)
class Offsets:
    """A half-open character range into ``Article.text``."""

    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Offsets:
        return cls(int(d["start"]), int(d["end"]))


@dataclass(frozen=True, slots=True)
class Mention:
    """A stretch of the article text, with the text it covers."""

    start: int
    end: int
    text: str
    # how an associative place mention names its place (see Place.associative); None otherwise
    kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"start": self.start, "end": self.end, "text": self.text}
        if self.kind is not None:
            d["kind"] = self.kind
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Mention:
        kind = d.get("kind")
        return cls(int(d["start"]), int(d["end"]), str(d.get("text", "")),
                   None if kind is None else str(kind))


@dataclass(frozen=True, slots=True)
class Dateline:
    place: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"place": self.place, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Dateline:
        return cls(d.get("place"), d.get("text", ""))


@dataclass(frozen=True, slots=True)
class Article:
    """One cleaned article: the text the analysis reads and what is known about it."""

    id: str
    text: str
    source: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    wire: tuple[str, ...] = ()
    dateline: Dateline | None = None
    published: str | None = None
    published_basis: str = "none"
    language: str = "en"
    warnings: tuple[str, ...] = ()  # repairs made to the input (bytes re-decoded or replaced)

    def to_dict(self) -> dict[str, Any]:
        d = {
            "id": self.id,
            "source": self.source,
            "text": self.text,
            "title": self.title,
            "url": self.url,
            "outlet": self.outlet,
            "wire": list(self.wire),
            "dateline": self.dateline.to_dict() if self.dateline else None,
            "published": self.published,
            "published_basis": self.published_basis,
            "language": self.language,
        }
        if self.warnings:  # only when there are any: results of clean input stay as they were
            d["warnings"] = list(self.warnings)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        return cls(
            id=d["id"],
            text=d["text"],
            source=d.get("source"),
            title=d.get("title"),
            url=d.get("url"),
            outlet=d.get("outlet"),
            wire=tuple(d.get("wire") or ()),
            dateline=Dateline.from_dict(d["dateline"]) if d.get("dateline") else None,
            published=d.get("published"),
            published_basis=d.get("published_basis", "none"),
            language=d.get("language", "en"),
            warnings=tuple(d.get("warnings") or ()),
        )


@dataclass(frozen=True, slots=True)
class Entity:
    """An actor the article talks about, with every mention that refers to it."""

    id: str
    name: str
    kind: str
    country: str | None = None
    sector: str | None = None
    kb_id: str | None = None
    wikidata: str | None = None
    mentions: tuple[Mention, ...] = ()
    anonymous: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "country": self.country,
            "sector": self.sector,
            "kb_id": self.kb_id,
            "wikidata": self.wikidata,
            "anonymous": self.anonymous,
            "mentions": [m.to_dict() for m in self.mentions],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Entity:
        return cls(
            id=d["id"],
            name=d["name"],
            kind=d.get("kind", "unknown"),
            country=d.get("country"),
            sector=d.get("sector"),
            kb_id=d.get("kb_id"),
            wikidata=d.get("wikidata"),
            mentions=tuple(Mention.from_dict(m) for m in d.get("mentions", ())),
            anonymous=bool(d.get("anonymous", False)),
        )


@dataclass(frozen=True, slots=True)
class Relation:
    subject: str
    predicate: str
    object: str
    evidence: Offsets | None = None
    source: str = "text"  # "text": stated in the article; "kb": known from the knowledge base

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "predicate": self.predicate,
            "object": self.object,
            "evidence": self.evidence.to_dict() if self.evidence else None,
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Relation:
        ev = d.get("evidence")
        return cls(
            d["subject"], d["predicate"], d["object"],
            Offsets.from_dict(ev) if ev else None, d.get("source", "text"),
        )


@dataclass(frozen=True, slots=True)
class Modality:
    certainty: str = "asserted"  # asserted | reported | hedged
    time: str = "past"  # past | ongoing | future | historical
    negated: bool = False
    conditional: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "certainty": self.certainty,
            "time": self.time,
            "negated": self.negated,
            "conditional": self.conditional,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Modality:
        return cls(
            d.get("certainty", "asserted"), d.get("time", "past"),
            bool(d.get("negated", False)), bool(d.get("conditional", False)),
        )


@dataclass(frozen=True, slots=True)
class Attribution:
    speaker: str | None  # entity id
    type: str  # named | anonymous | unattributed
    text: str = ""
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"speaker": self.speaker, "type": self.type, "text": self.text,
                "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Attribution:
        return cls(d.get("speaker"), d.get("type", "unattributed"), d.get("text", ""),
                   d.get("start"), d.get("end"))


@dataclass(frozen=True, slots=True)
class EventDate:
    value: str | None
    basis: str = "none"  # text | published | none
    # What the date was chosen from, so that it can be chosen again on a new publication date
    # (dragoman.redate): the spans of the time expressions of the trigger's clause, in text order;
    # the event's time before its date made it "historical"; and whether a mention was kept with
    # the event, or set apart from another, by comparing dates (which only a new analysis redoes).
    clause: tuple[tuple[int, int], ...] = ()
    time: str | None = None
    compared: bool = False

    @property
    def granularity(self) -> str | None:
        """day, week, month, quarter, year, decade or century (see :mod:`dragoman.timex`)."""
        from .timex import granularity

        return granularity(self.value)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"value": self.value, "basis": self.basis, "granularity": self.granularity}
        if self.clause:
            d["clause"] = [{"start": s, "end": e} for s, e in self.clause]
        if self.time:
            d["time"] = self.time
        if self.compared:
            d["compared"] = True
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EventDate:
        return cls(d.get("value"), d.get("basis", "none"),
                   tuple((int(c["start"]), int(c["end"])) for c in d.get("clause", ())),
                   d.get("time"), bool(d.get("compared", False)))


@dataclass(frozen=True, slots=True)
class Event:
    """One PLOVER event: who did what to whom, where and when, and how sure the text is."""

    id: str
    event: str
    trigger: Mention
    sentence: Offsets
    mode: str | None = None
    context: tuple[str, ...] = ()
    actor: tuple[str, ...] = ()
    recipient: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    date: EventDate = field(default_factory=lambda: EventDate(None, "none"))
    modality: Modality = field(default_factory=Modality)
    attribution: Attribution | None = None
    quad: int = 0
    intensity: float = 0.0
    confidence: float = 0.0
    # every mention of this one happening in the article, its own trigger included, in text order
    # (empty when it is mentioned once: then the trigger is its only mention)
    mentions: tuple[Mention, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event": self.event,
            "mode": self.mode,
            "context": list(self.context),
            "actor": list(self.actor),
            "recipient": list(self.recipient),
            "places": list(self.places),
            "date": self.date.to_dict(),
            "modality": self.modality.to_dict(),
            "attribution": self.attribution.to_dict() if self.attribution else None,
            "trigger": self.trigger.to_dict(),
            "sentence": self.sentence.to_dict(),
            "quad": self.quad,
            "intensity": self.intensity,
            "confidence": self.confidence,
            "mentions": [m.to_dict() for m in (self.mentions or (self.trigger,))],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        return cls(
            id=d["id"],
            event=d["event"],
            trigger=Mention.from_dict(d["trigger"]),
            sentence=Offsets.from_dict(d["sentence"]),
            mode=d.get("mode"),
            context=tuple(d.get("context") or ()),
            actor=tuple(d.get("actor") or ()),
            recipient=tuple(d.get("recipient") or ()),
            places=tuple(d.get("places") or ()),
            date=EventDate.from_dict(d.get("date") or {}),
            modality=Modality.from_dict(d.get("modality") or {}),
            attribution=Attribution.from_dict(d["attribution"]) if d.get("attribution") else None,
            quad=int(d.get("quad", 0)),
            intensity=float(d.get("intensity", 0.0)),
            confidence=float(d.get("confidence", 0.0)),
            mentions=tuple(Mention.from_dict(m) for m in d.get("mentions") or ()
                           if len(d.get("mentions") or ()) > 1),
        )


@dataclass(frozen=True, slots=True)
class Quote:
    """An attributed statement: a direct quotation or reported speech."""

    text: str
    start: int
    end: int
    direct: bool
    speaker: str | None = None  # entity id
    speaker_text: str | None = None
    cue: str | None = None
    source_start: int | None = None  # the mention that introduces the quote ("a spokesman for X")
    source_end: int | None = None
    cue_start: int | None = None  # the cue ("said", "according to", the colon of a headline)
    cue_end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker,
            "speaker_text": self.speaker_text,
            "text": self.text,
            "cue": self.cue,
            "start": self.start,
            "end": self.end,
            "direct": self.direct,
            "source_start": self.source_start,
            "source_end": self.source_end,
            "cue_start": self.cue_start,
            "cue_end": self.cue_end,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Quote:
        def opt(key: str) -> int | None:
            v = d.get(key)
            return None if v is None else int(v)

        return cls(
            text=d["text"], start=int(d["start"]), end=int(d["end"]), direct=bool(d["direct"]),
            speaker=d.get("speaker"), speaker_text=d.get("speaker_text"), cue=d.get("cue"),
            source_start=opt("source_start"), source_end=opt("source_end"),
            cue_start=opt("cue_start"), cue_end=opt("cue_end"),
        )


@dataclass(frozen=True, slots=True)
class Place:
    """A toponym resolved to coordinates; ``mentions`` are where the text names it."""

    id: str
    name: str
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    feature: str | None = None  # country | province | city | territory | region | ...
    mentions: tuple[Mention, ...] = ()
    # named only associatively: by a demonym or place adjective ("Syrian forces"), as the first
    # part of a compound ("Iran-backed") or inside an organisation's name ("Bank of Iraq"); each
    # mention's ``kind`` says which (adjectival | backed | embedded). Such a place is never where
    # an event happens.
    associative: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "country": self.country,
            "admin1": self.admin1,
            "lat": self.lat,
            "lon": self.lon,
            "geonameid": self.geonameid,
            "feature": self.feature,
            "mentions": [m.to_dict() for m in self.mentions],
            "associative": self.associative,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Place:
        return cls(
            id=d["id"], name=d["name"], country=d.get("country"), admin1=d.get("admin1"),
            lat=d.get("lat"), lon=d.get("lon"), geonameid=d.get("geonameid"),
            feature=d.get("feature"),
            mentions=tuple(Mention.from_dict(m) for m in d.get("mentions", ())),
            associative=bool(d.get("associative", False)),
        )


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A time expression and its TIMEX3 value (``2023-10``, ``P18M``, ``2023-10/2025-04``)."""

    text: str
    start: int
    end: int
    value: str | None
    type: str  # DATE | TIME | DURATION | SET
    # past | future: where the clause looks ("met on Friday", "will meet on Friday"); None when it
    # says neither. Relative expressions are resolved with it, and again with it on a new date.
    direction: str | None = None

    @property
    def granularity(self) -> str | None:
        """day, week, month, quarter, year, decade or century of a date value; None for durations,
        sets and vague references (see :mod:`dragoman.timex`)."""
        from .timex import granularity

        return granularity(self.value) if self.type in {"DATE", "TIME"} else None

    def to_dict(self) -> dict[str, Any]:
        d = {"text": self.text, "start": self.start, "end": self.end,
             "value": self.value, "type": self.type, "granularity": self.granularity}
        if self.direction:
            d["direction"] = self.direction
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TimeExpr:
        return cls(d["text"], int(d["start"]), int(d["end"]), d.get("value"), d.get("type", "DATE"),
                   d.get("direction"))


@dataclass(frozen=True, slots=True)
class Quantity:
    text: str
    start: int
    end: int
    value: float | int
    unit: str | None
    approximate: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end,
                "value": self.value, "unit": self.unit, "approximate": self.approximate}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Quantity:
        return cls(d["text"], int(d["start"]), int(d["end"]), d["value"], d.get("unit"),
                   bool(d.get("approximate", False)))


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """Everything the analysis found in one article; serialises to spec/article-result.md."""

    article: Article
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    events: tuple[Event, ...] = ()
    quotes: tuple[Quote, ...] = ()
    places: tuple[Place, ...] = ()
    times: tuple[TimeExpr, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    meta: tuple[tuple[str, str], ...] = ()  # versions of dragoman, model and knowledge base

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article.to_dict(),
            "entities": [e.to_dict() for e in self.entities],
            "relations": [r.to_dict() for r in self.relations],
            "events": [e.to_dict() for e in self.events],
            "quotes": [q.to_dict() for q in self.quotes],
            "places": [p.to_dict() for p in self.places],
            "times": [t.to_dict() for t in self.times],
            "quantities": [q.to_dict() for q in self.quantities],
            "meta": dict(self.meta),
        }

    def json_chunks(self, *, indent: int | None = None) -> Iterator[str]:
        """``json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)`` piece by piece.

        Each record is turned into JSON on its own, so writing the chunks to a stream never holds
        the whole dict nor the whole string: the output of a 5 MB text stays small in memory.
        """
        nl = "" if indent is None else "\n"
        sep = ", " if indent is None else ","
        pad1, pad2 = (" " * indent, " " * 2 * indent) if indent is not None else ("", "")

        def dumps(value: Any, pad: str) -> str:
            text = json.dumps(value, ensure_ascii=False, indent=indent)
            return text.replace("\n", "\n" + pad) if indent is not None else text

        yield "{" + nl + pad1 + '"article": ' + dumps(self.article.to_dict(), pad1)
        for name in ("entities", "relations", "events", "quotes", "places", "times", "quantities"):
            records: tuple[Any, ...] = getattr(self, name)
            yield sep + nl + pad1 + json.dumps(name) + ": "
            if not records:
                yield "[]"
                continue
            yield "["
            for i, rec in enumerate(records):
                yield (sep if i else "") + nl + pad2 + dumps(rec.to_dict(), pad2)
            yield nl + pad1 + "]"
        yield sep + nl + pad1 + '"meta": ' + dumps(dict(self.meta), pad1) + nl + "}"

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ArticleResult:
        return cls(
            article=Article.from_dict(d["article"]),
            entities=tuple(Entity.from_dict(e) for e in d.get("entities", ())),
            relations=tuple(Relation.from_dict(r) for r in d.get("relations", ())),
            events=tuple(Event.from_dict(e) for e in d.get("events", ())),
            quotes=tuple(Quote.from_dict(q) for q in d.get("quotes", ())),
            places=tuple(Place.from_dict(p) for p in d.get("places", ())),
            times=tuple(TimeExpr.from_dict(t) for t in d.get("times", ())),
            quantities=tuple(Quantity.from_dict(q) for q in d.get("quantities", ())),
            meta=tuple(sorted((str(k), str(v)) for k, v in (d.get("meta") or {}).items())),
        )

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def place(self, place_id: str) -> Place | None:
        return next((p for p in self.places if p.id == place_id), None)
