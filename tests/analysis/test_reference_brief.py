"""Acceptance: the one-article brief of the reference article states the facts an analyst would.

The checks are on coded facts (event types, entities, places, evidence offsets), not on wording; the
offsets are located in the article by the phrases a reader would point at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dragoman.analyse import analyse
from dragoman.analysis.brief import Brief, article_brief, render_brief_text
from dragoman.records import ArticleResult, Offsets

EXAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "examples"


@pytest.fixture(scope="module")
def coded(pipeline) -> tuple[ArticleResult, Brief]:  # type: ignore[no-untyped-def]
    text = (EXAMPLES / "iraq-militias-disarm.txt").read_text(encoding="utf-8")
    result = analyse(text, source="iraq-militias-disarm.txt", pipeline=pipeline)
    return result, article_brief(result)


def _covers(result: ArticleResult, spans: tuple[Offsets, ...], phrase: str) -> bool:
    pos = result.article.text.index(phrase)
    return any(o.start <= pos and pos + len(phrase) <= o.end for o in spans)


def _mentioned_as(result: ArticleResult, entity_ids: tuple[str, ...], phrase: str) -> bool:
    pos = result.article.text.index(phrase)
    return any(
        m.start < pos + len(phrase) and pos < m.end
        for i in entity_ids if (e := result.entity(i)) is not None for m in e.mentions
    )


def test_main_development_is_the_militias_reported_readiness_to_disarm(coded) -> None:  # type: ignore[no-untyped-def]
    result, brief = coded
    (main,) = brief.section("main")
    ev = next(e for e in result.events if e.id == main.events[0])
    assert ev.event in {"RETREAT", "CONCEDE", "AGREE"}
    assert ev.modality.certainty in {"hedged", "reported"} and not ev.modality.negated
    actors = [result.entity(i) for i in ev.actor]
    assert actors and all(a is not None and a.kind in {"armed_group", "coalition"} for a in actors)
    assert _mentioned_as(result, ev.actor, "militia groups")
    assert _covers(result, main.evidence, "ready to disarm")


def test_solidity_rests_on_anonymous_commanders_and_the_named_politician(coded) -> None:  # type: ignore[no-untyped-def]
    result, brief = coded
    named = tuple(i for s in brief.kinds("named_source") for i in s.entities)
    anonymous = tuple(i for s in brief.kinds("anonymous_source") for i in s.entities)
    assert _mentioned_as(result, named, "Izzat al-Shahbndar")
    assert _mentioned_as(result, anonymous, "One of the militia commanders") or _mentioned_as(
        result, anonymous, "a commander from Kataib Hezbollah")
    assert not set(named) & set(anonymous)
    (sources,) = brief.kinds("sources")
    assert set(named) | set(anonymous) <= set(sources.entities)
    assert _covers(result, sources.evidence, "confirmed to Reuters that discussions")
    assert _covers(result, sources.evidence, "who spoke to Reuters anonymously")


def test_the_conditional_us_threat_of_airstrikes_is_noted(coded) -> None:  # type: ignore[no-untyped-def]
    result, brief = coded
    threats = [s for s in brief.kinds("threat") if _covers(result, s.evidence, "warning of possible airstrikes")]
    assert threats
    ev = next(e for e in result.events if e.id == threats[0].events[0])
    assert ev.event == "THREATEN" and ev.modality.conditional
    assert all((a := result.entity(i)) is not None and a.country == "USA" for i in ev.actor)
    assert "if the militias continue their activities" in threats[0].text  # the article's own condition
    conditional = brief.kinds("conditional")
    assert conditional and ev.id in conditional[0].events


def test_withdrawals_from_mosul_and_anbar_are_the_observable_sign_to_watch(coded) -> None:  # type: ignore[no-untyped-def]
    result, brief = coded
    observable = brief.kinds("observable")
    assert observable
    first = observable[0]
    ev = next(e for e in result.events if e.id == first.events[0])
    assert ev.event == "RETREAT" and ev.modality.time == "ongoing"
    names = {p.name for i in first.places if (p := result.place(i)) is not None}
    assert {"Mosul", "Anbar"} <= {n.replace("Al ", "") for n in names}
    assert _covers(result, first.evidence, "withdrawing from major cities like Mosul and Anbar")


def test_every_statement_quotes_the_article(coded) -> None:  # type: ignore[no-untyped-def]
    result, brief = coded
    text = render_brief_text(brief)
    for s in brief.statements:
        assert s.evidence
        for o in s.evidence:
            assert 0 <= o.start < o.end <= len(result.article.text)
            assert brief.quote(o) in text
