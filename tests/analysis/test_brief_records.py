"""The one-article brief over a hand-built result: main event choice, sources, context, watch list."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import replace
from typing import Any

from dragoman.analysis.brief import (
    article_brief,
    render_brief_html,
    render_brief_markdown,
    render_brief_text,
    significance,
)
from dragoman.records import (
    Article,
    ArticleResult,
    Attribution,
    Entity,
    Event,
    EventDate,
    Mention,
    Modality,
    Offsets,
    Place,
    Quote,
    Relation,
    TimeExpr,
)

# An article written for this test (not a real report).
TEXT = (
    "Kivu City, May 3 (Test Wire) - The Lakeside Front rebels are reportedly ready to withdraw from "
    "Port Amani, sources told the agency. "
    "Their spokesman, Jean Okito, said the rebels were willing to leave the port. "
    "A rebel commander, speaking anonymously, said the Hill Council had approved the plan. "
    "The national army warned it would launch an offensive if the rebels stayed beyond May 10. "
    "Some fighters have begun pulling out of Port Amani. "
    "The Lakeside Front is part of the Northern Alliance. "
    "Last month the rebels seized Port Amani after heavy fighting."
)


def _m(needle: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return Mention(start, start + len(needle), needle)


def _sent(needle: str) -> Offsets:
    pos = TEXT.index(needle)
    s = TEXT.rfind(". ", 0, pos)
    s = 0 if s < 0 else s + 2
    e = TEXT.find(". ", pos)
    return Offsets(s, len(TEXT) if e < 0 else e + 1)


def _ev(eid: str, event: str, trigger: str, quad: int, intensity: float, **kw: Any) -> Event:
    t = _m(trigger)
    return Event(id=eid, event=event, trigger=t, sentence=_sent(trigger), quad=quad, intensity=intensity,
                 confidence=kw.pop("confidence", 0.8), **kw)


def build() -> ArticleResult:
    ents = (
        Entity("e1", "Lakeside Front", "armed_group", "XKV", "REB", mentions=(_m("Lakeside Front rebels"),)),
        Entity("e2", "Jean Okito", "person", "XKV", "REB", mentions=(_m("Jean Okito"),)),
        Entity("e3", "rebel commander", "person", "XKV", "REB", mentions=(_m("A rebel commander"),),
               anonymous=True),
        Entity("e4", "Hill Council", "organisation", "XKV", "GOV", mentions=(_m("Hill Council"),)),
        Entity("e5", "national army", "military", "XKV", "MIL", mentions=(_m("national army"),)),
        Entity("e6", "Northern Alliance", "alliance", "XKV", "REB", mentions=(_m("Northern Alliance"),)),
    )
    port = Place("p1", "Port Amani", "XKV", feature="city",
                 mentions=(_m("Port Amani"), _m("Port Amani", 1), _m("Port Amani", 2)))
    events = (
        _ev("ev1", "RETREAT", "withdraw", 2, 6.5, mode="withdraw", actor=("e1",), places=("p1",),
            modality=Modality("hedged", "future"), date=EventDate("2025-05-03", "published"),
            attribution=Attribution(None, "anonymous", "sources told the agency")),
        _ev("ev2", "CONCEDE", "willing to leave", 1, 4.5, actor=("e1",),
            modality=Modality("reported", "future"), attribution=Attribution("e2", "named", "said")),
        _ev("ev3", "SUPPORT", "approved", 1, 5.0, actor=("e4",), recipient=("e1",),
            modality=Modality("reported", "past"), attribution=Attribution("e3", "anonymous", "said")),
        _ev("ev4", "THREATEN", "warned", 3, -4.5, mode="violence", actor=("e5",), recipient=("e1",),
            modality=Modality("asserted", "future", conditional=True)),
        _ev("ev5", "RETREAT", "pulling out", 2, 6.5, mode="withdraw", actor=("e1",), places=("p1",),
            modality=Modality("asserted", "ongoing")),
        _ev("ev6", "ASSAULT", "seized", 4, -9.0, actor=("e1",), places=("p1",),
            modality=Modality("asserted", "past"), date=EventDate("2025-04", "text")),
    )
    rel = Relation("e1", "part_of", "e6", Offsets(_m("is part of").start, _m("is part of").end))
    may10 = _m("May 10")
    article = Article(
        id="sha256:" + hashlib.sha256(TEXT.encode()).hexdigest(), text=TEXT, source="test.txt",
        outlet="Test Wire", wire=("Test Wire",), published="2025-05-03", published_basis="user",
    )
    return ArticleResult(
        article=article, entities=ents, relations=(rel,), events=events,
        quotes=(Quote("the rebels were willing to leave the port", _m("the rebels were willing").start,
                      _m("leave the port").end, False, "e2", "Jean Okito", "said"),),
        places=(port,), times=(TimeExpr("May 10", may10.start, may10.end, "2025-05-10", "DATE"),),
    )


def test_main_development_is_the_lead_event_not_the_violent_background() -> None:
    brief = article_brief(build())
    assert brief.main_event == "ev1"
    (main,) = brief.section("main")
    assert main.events == ("ev1",) and "e1" in main.entities and main.places == ("p1",)
    assert main.evidence == (_sent("ready to withdraw"),)


def test_significance_prefers_lead_future_over_old_violence_and_drops_denials() -> None:
    r = build()
    ev1, ev6 = r.events[0], r.events[5]
    assert significance(ev1, 0) > significance(ev6, 6)
    assert significance(replace(ev1, modality=replace(ev1.modality, negated=True)), 0) < significance(ev1, 0)
    assert significance(replace(ev1, modality=replace(ev1.modality, conditional=True)), 0) < significance(
        ev1, 0
    )


def test_solidity_names_the_named_and_the_anonymous_sources_with_their_sentences() -> None:
    brief = article_brief(build())
    (sources,) = brief.kinds("sources")
    assert set(sources.entities) == {"e2", "e3"}
    assert "3 sources" in sources.text  # Okito, the anonymous commander, unnamed "sources"
    assert {s.entities for s in brief.kinds("named_source")} == {("e2",)}
    (anon,) = brief.kinds("anonymous_source")
    assert anon.entities == ("e3",) and anon.evidence == (_sent("approved the plan"),)
    (cond,) = brief.kinds("conditional")
    assert cond.events == ("ev4",)
    (cert,) = brief.kinds("certainty")
    assert "hedged" in cert.text and set(cert.events) >= {"ev1", "ev2", "ev3"}


def test_context_gives_affiliations_and_earlier_events_from_the_text() -> None:
    brief = article_brief(build())
    (aff,) = brief.kinds("affiliation")
    assert aff.entities == ("e1", "e6") and aff.evidence == (_sent("is part of"),)
    (recent,) = brief.kinds("recent_event")
    assert recent.events == ("ev6",)


def test_watch_lists_the_conditional_threat_with_its_condition_the_deadline_and_the_observable() -> None:
    brief = article_brief(build())
    (threat,) = brief.kinds("threat")
    assert threat.events == ("ev4",)
    assert "if the rebels stayed beyond May 10" in threat.text  # the article's own clause, quoted
    deadlines = brief.kinds("deadline")
    assert [d.evidence for d in deadlines] == [(_sent("May 10"),)]
    (obs,) = brief.kinds("observable")
    assert obs.events == ("ev5",) and obs.places == ("p1",)
    assert "ev1" in {e for s in brief.kinds("intention") for e in s.events}


def test_every_statement_rests_on_offsets_inside_the_text() -> None:
    brief = article_brief(build())
    assert brief.statements
    for s in brief.statements:
        assert s.evidence, s
        for o in s.evidence:
            assert 0 <= o.start < o.end <= len(TEXT)


def test_renderers_link_each_statement_to_its_evidence_and_escape_html() -> None:
    r = build()
    hostile = replace(r, entities=tuple(
        replace(e, name="<script>x</script>") if e.id == "e5" else e for e in r.entities))
    brief = article_brief(hostile)
    page = render_brief_html(brief)
    assert "<script>x" not in page and html.escape("<script>x</script>") in page
    anchors = set(re.findall(r'id="(s-\d+-\d+)"', page))
    links = set(re.findall(r'href="#(s-\d+-\d+)"', page))
    assert links and links <= anchors
    md = render_brief_markdown(brief)
    assert set(re.findall(r"\]\(#(s-\d+-\d+)\)", md)) <= set(re.findall(r'id="(s-\d+-\d+)"', md))
    text = render_brief_text(brief)
    assert "What to watch" in text and "Some fighters have begun pulling out of Port Amani." in text


def test_an_article_without_events_gives_a_brief_that_says_so() -> None:
    r = build()
    brief = article_brief(replace(r, events=()))
    assert [s.kind for s in brief.statements] == ["none"]
    assert render_brief_text(brief)
    assert brief.to_dict()["statements"][0]["kind"] == "none"
