"""A stored article on a new publication date, without analysing it again.

Only what depends on the publication date moves: the values of the time expressions ("yesterday",
"last year", "on Monday"), the event dates chosen from them (with their granularity) or from the
publication day, and whether an event lies so far before publication that it is background
("historical"). The analysis stored with each time expression the direction of its clause, and with
each event the time expressions of its clause, so the same rules give what a new analysis on that
date gives. Where the stored result cannot tell, ``redate_result`` returns None and the article is
analysed again: the result was stored by a version that did not keep those cues, the new date
adds or widens a time expression ("since October" becomes an interval only with a date), a mention
was kept with an event or set apart by comparing dates, the knowledge base answers otherwise for an
actor on the new day (another office held, another holder of a shared name), or the text was
analysed in segments.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from .records import ArticleResult, Event, EventDate, TimeExpr

__all__ = ["REDATE_CUES", "event_date", "event_time", "is_dateline", "redate_result"]

# Set in an analysis' meta (``redate``) when its result keeps the clause directions of its time
# expressions and the time expressions of each event's clause; results stored before lack them.
REDATE_CUES = "1"

_DATELINE_CREDIT = re.compile(r"\(\s*[^)]{1,40}\)\s*[-\u2013\u2014]")


def is_dateline(text: str, tx: TimeExpr) -> bool:
    """A date in the dateline ("BAGHDAD, April 8 (Reuters) -") dates the article, not its events."""
    return tx.start < 60 and "\n" not in text[: tx.start] and bool(_DATELINE_CREDIT.search(text[tx.end: tx.end + 40]))


def event_date(clause: Sequence[TimeExpr], sentence: Sequence[TimeExpr], published: str | None,
               time: str) -> EventDate:
    """An event's date: the first dated expression of its clause, else the one date of its sentence
    (``sentence``: its dates and times outside the dateline), else its article's publication day
    when it happened, happens or will happen; a bare duration ("18 months") dates nothing."""
    best = next((tx for tx in clause if tx.value and tx.type != "SET"), None)
    if best is None:
        in_sent = [tx for tx in sentence if tx.value]
        if len(in_sent) == 1:
            best = in_sent[0]
    if best is not None and best.value:
        value: str | None = None if best.type == "DURATION" and "/" not in best.value else best.value
        if value and re.match(r"^\d{4}-\d{2}-\d{2}T", value):
            value = value.split("T")[0]
        if value and re.match(r"^\d{3,4}", value):
            return EventDate(value, "text")
    if published and time in {"past", "ongoing", "future"}:
        return EventDate(published, "published")
    return EventDate(None, "none")


def event_time(date_: EventDate, published: str | None, time: str) -> str:
    """The event's time once dated: what happened or went on three years or more before its article
    was published is "historical" (background, not news of the period)."""
    last = (date_.value or "").split("/")[-1]
    if date_.basis == "text" and published and last[:4].isdigit() and time in {"past", "ongoing"}:
        if int(last[:4]) <= int(published[:4]) - 3:
            return "historical"
    return time


def _kb_dated(result: ArticleResult, kb: Any, before: date | None, after: date) -> bool:
    """Would the knowledge base answer otherwise on the new day: an actor's entry resolved to another
    office, country or sector, or a name of an actor that several entries share ranked otherwise
    (which of them is meant depends on who held an office on the day)?"""
    for e in result.entities:
        entry = kb.get(e.kb_id) if e.kb_id else None
        if entry is not None and entry.roles and kb.resolve(entry, on=before) != kb.resolve(entry, on=after):
            return True
        for text in {m.text for m in e.mentions if m.text}:
            found = [f.id for f in kb.lookup(text, on=before)]
            if len(found) > 1 and found != [f.id for f in kb.lookup(text, on=after)]:
                return True
    return False


def _times_again(text: str, stored: tuple[TimeExpr, ...], published: date) -> tuple[TimeExpr, ...] | None:
    from .extract.times import ParseAnswers, find_times

    again = tuple(find_times(text, published, answers=ParseAnswers(stored)))
    if [(t.start, t.end, t.type) for t in again] != [(t.start, t.end, t.type) for t in stored]:
        return None  # the new date adds, drops or widens an expression: a new analysis finds them
    return again


def redate_result(result: ArticleResult, published: str, *, kb: Any = None, analysed_on: str | None = "",
                  long_text: int | None = None) -> ArticleResult | None:
    """``result`` as an analysis of its article on publication day ``published`` (ISO) gives it, or
    None when what is stored cannot tell (see the module's description). ``kb`` is the knowledge
    base the analysis used (without it, actors are not checked), ``analysed_on`` the day the result
    was analysed on (None: undated; by default the result's own publication day), ``long_text`` the
    length from which texts are analysed in segments."""
    from .segments import LONG_TEXT_CHARS

    text = result.article.text
    if dict(result.meta).get("redate") != REDATE_CUES:
        return None  # stored before results kept what re-dating needs
    if len(text) > (long_text or LONG_TEXT_CHARS) or any(ev.date.compared for ev in result.events):
        return None
    before = result.article.published if analysed_on == "" else analysed_on
    if kb is not None and _kb_dated(result, kb, date.fromisoformat(before) if before else None,
                                    date.fromisoformat(published)):
        return None
    times = _times_again(text, result.times, date.fromisoformat(published))
    if times is None:
        return None
    by_span = {(t.start, t.end): t for t in times}
    events: list[Event] = []
    for ev in result.events:
        clause = [by_span[s] for s in ev.date.clause if s in by_span]
        if len(clause) != len(ev.date.clause):
            return None
        sentence = [t for t in times if t.type in {"DATE", "TIME"} and ev.sentence.start <= t.start < ev.sentence.end
                    and not is_dateline(text, t)]
        before = ev.date.time or ev.modality.time  # the time it was dated with
        new = event_date(clause, sentence, published, before)
        time = "future" if ev.event == "THREATEN" else event_time(new, published, before)
        new = replace(new, clause=ev.date.clause, time=before if before != time else None)
        events.append(replace(ev, date=new, modality=replace(ev.modality, time=time)))
    article = replace(result.article, published=published, published_basis="user")  # given, as to analyse()
    return replace(result, article=article, times=times, events=tuple(events))
