"""analyse(article) -> ArticleResult: the whole pipeline on one page."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from . import __version__, segments
from .clean import clean_article
from .records import Article, ArticleResult, Place
from .redate import REDATE_CUES

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .nlp import Pipeline

__all__ = ["analyse", "analyse_article"]


def analyse(
    text: str | bytes,
    *,
    source: str | None = None,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: str | date | None = None,
    html: bool | None = None,
    pipeline: Pipeline | None = None,
) -> ArticleResult:
    """Analyse one article given as text, HTML or bytes; raises ``InputError`` on bad input."""
    from .nlp import load_pipeline

    pipe = pipeline or load_pipeline()
    article = clean_article(
        text, source=source, title=title, url=url, outlet=outlet, published=published,
        html_input=html, max_bytes=pipe.settings.max_bytes,
    )
    return analyse_article(article, pipeline=pipe)


def analyse_article(article: Article, *, pipeline: Pipeline | None = None) -> ArticleResult:
    """Analyse an already cleaned article. Pure: the same article and pipeline give the same result.

    Texts over ``segments.LONG_TEXT_CHARS``, or over what the spaCy model takes at once
    (``nlp.max_length``), are analysed in segments (see ``dragoman.segments``).
    """
    from .nlp import load_pipeline

    pipe = pipeline or load_pipeline()
    published = _published_day(article)
    if len(article.text) > min(segments.LONG_TEXT_CHARS, pipe.nlp.max_length):
        return _analyse_long(article, pipe, published)
    return _analyse_doc(article, pipe.nlp(article.text), pipe, published)


def _analyse_long(article: Article, pipe: Pipeline, published: date | None) -> ArticleResult:
    """A long text in segments fed through ``nlp.pipe`` one at a time, merged with global offsets;
    memory stays that of one segment."""
    spans = segments.segment_spans(article.text, min(segments.SEGMENT_CHARS, pipe.nlp.max_length))
    docs = pipe.nlp.pipe((article.text[s:e] for s, e in spans), batch_size=1)
    merger = segments.ResultMerger()
    meta: tuple[tuple[str, str], ...] = ()
    for (start, _end), doc in zip(spans, docs, strict=True):
        part = _analyse_doc(replace(article, text=doc.text), doc, pipe, published)
        meta = part.meta
        merger.add(part.to_dict(), start)
        del part, doc
        _release_memory()
    return merger.result(replace(article), meta)


def _release_memory() -> None:
    """Give what a segment's analysis freed back to the system: without it the C heap, fragmented
    by one parse after another, grows by about 100 MB per MB of text; with it by about 25."""
    import gc

    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the collection alone
        pass


def _analyse_doc(article: Article, doc: Doc, pipe: Pipeline, published: date | None) -> ArticleResult:
    from .extract.events import EventContext, code_events
    from .extract.quantities import extract_quantities
    from .extract.quotes import extract_quotes
    from .extract.sentences import text_of
    from .extract.times import extract_times
    from .extract.triggers import find_triggers
    from .resolve.actors import resolve_actors, speakers_in_quotes, with_story_country
    from .resolve.places import is_street_name
    from .resolve.relations import extract_relations

    actors = resolve_actors(doc, pipe.kb, published=published, gazetteer=pipe.gazetteer)
    # names of organisations are not places ("Islamic Resistance in Iraq"), nor is the outlet
    # credited in the dateline; descriptions ("people in Nairobi") keep their places
    text = text_of(doc)  # doc.text is built anew from the tokens at every access
    org_spans = [_name_part(text, m.start, m.end) for e in actors.entities
                 if e.kind not in {"state", "government", "person"} and (e.kb_id or e.kind == "organisation")
                 for m in e.mentions if e.kb_id or not is_street_name(m.text)]
    known_orgs = [(m.start, m.end) for e in actors.entities if e.kb_id and e.kind != "person" for m in e.mentions]
    from .clean import match_dateline

    dateline = match_dateline(article.text)
    if dateline is not None and dateline.group("credit"):
        org_spans.append((dateline.start("credit"), dateline.end("credit")))
    context_countries = [e.country for e in actors.entities if e.kind == "state" and e.country]
    places = _places(doc, pipe.gazetteer, org_spans, context_countries, known_orgs)
    actors = with_story_country(actors, places)
    times = extract_times(doc, published)
    quantities = extract_quantities(doc, times=times)
    quotes = extract_quotes(doc, actors)
    actors = speakers_in_quotes(doc, actors, quotes)
    relations = extract_relations(doc, actors, pipe.kb)
    triggers = [t for sent in doc.sents for t in find_triggers(sent, pipe.lexicon)]
    # associative places ("Syrian forces", "Iran-backed") are reported, never where events happen
    ctx = EventContext(actors=actors, places=tuple(p for p in places if not p.associative),
                       times=times, quotes=quotes,
                       published=article.published, kb=pipe.kb)
    events, unknown_actors = code_events(doc, triggers, ctx)
    meta = (
        ("dragoman", __version__),
        ("kb", str(getattr(pipe.kb, "version", "unknown"))),
        ("model", pipe.model_version),
        # the result keeps what a new publication date needs (dragoman.redate): clause directions of
        # its time expressions and the time expressions of each event's clause
        ("redate", REDATE_CUES),
    )
    return ArticleResult(
        article=replace(article),
        entities=actors.entities + unknown_actors,
        relations=relations,
        events=events,
        quotes=quotes,
        places=places,
        times=times,
        quantities=quantities,
        meta=meta,
    )


# words that may stand inside an organisation's proper name between its capitalised words
_NAME_LINKS = {"of", "in", "for", "and", "the", "on", "at", "de", "du", "la", "al", "el", "&"}


def _name_part(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of a mention up to the end of its proper name: "ISIL fighters in the heart of East
    Mosul" names the group with "ISIL" and places it with the rest; "Islamic Resistance in Iraq"
    is a name throughout. The name ends before its first lower-case word that is not a link."""
    pos = start
    last = start
    for m in re.finditer(r"\S+", text[start:end]):
        word = m.group().strip("\"'\u201c\u201d,;:()")
        if word and word[0].islower() and word.casefold() not in _NAME_LINKS and pos > start:
            break
        if word and not word[0].islower() or pos == start:
            last = start + m.end()
        pos = start + m.end()
    return start, last


def _places(doc: Doc, gazetteer: Any, org_spans: list[tuple[int, int]], context_countries: list[str],
            known_orgs: Sequence[tuple[int, int]] = ()) -> tuple[Place, ...]:
    """The article's places: first those its text names literally (p1, p2, ...), then those it
    names only associatively (a1, a2, ...): demonyms ("Syrian forces"), the first part of a
    compound ("Iran-backed") and place names inside the organisations' names."""
    from .extract.sentences import text_of
    from .resolve.places import (
        associative_places,
        directional_parts,
        find_toponyms,
        resolve_toponyms,
        split_associative,
    )
    from .resolve.places_facilities import facility_places, find_facilities, find_named_facilities, place_locally

    found = find_toponyms(doc, gazetteer, exclude=org_spans)
    literal, assoc = split_associative(doc, gazetteer, found, org_spans)
    text = text_of(doc)
    # "northern Iraq" is a place of its own: a region of Iraq
    literal = directional_parts(text, literal)
    # "the al-Khani mosque in Daquq": a named building at its town, and no town inside its name
    facilities = find_facilities(text, [(t.start, t.end) for t in literal], [(t.start, t.end) for t in assoc])
    named = [(f.mention.start, f.mention.end) for f in facilities]
    inside = [t for t in literal if any(s < t.end and t.start < e for s, e in named)]
    kept = [t for t in literal if t not in inside]
    places = resolve_toponyms(kept, gazetteer, context_countries=context_countries, text=text)
    placed_at = facility_places(facilities, places)
    # a building whose "town" is none ("the al-Tanf base in the Badia") is no building of a town:
    # the names inside it are toponyms as usual
    lost = [t for t in inside if not any(m.start < t.end and t.start < m.end for p in placed_at for m in p.mentions)]
    if lost:
        places = resolve_toponyms(sorted(kept + lost, key=lambda t: t.start), gazetteer,
                                  context_countries=context_countries, text=text)
        placed_at = facility_places(facilities, places)
    places += placed_at
    # "Temple University", "Northwest 13th Street": at the town the article puts them in
    placed = [(m.start, m.end) for p in places if p.feature in ("facility", "quarter") for m in p.mentions]
    skip = [*known_orgs, *placed, *((f.mention.start, f.town_start) for f in facilities)]
    buildings = find_named_facilities(text, skip, [(t.start, t.end) for t in literal], gazetteer.demonym_of)
    places = place_locally(text, places, buildings, gazetteer)
    return places + associative_places(assoc, gazetteer, places)


def _published_day(article: Article) -> date | None:
    if not article.published:
        return None
    try:
        return date.fromisoformat(article.published[:10])
    except ValueError:
        from .errors import InputError

        raise InputError(f"{article.source or article.id}: the publication date {article.published!r} "
                         "is not an ISO date (YYYY-MM-DD)") from None
