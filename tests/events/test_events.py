"""Event coding on sentences written for these tests: type, arguments, modality, place, date."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dragoman.analyse import analyse
from dragoman.plover import EVENT_TYPES

CASES = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text(encoding="utf-8"))


def _countries(result, ids) -> set[str]:
    return {result.entity(i).country for i in ids if result.entity(i) and result.entity(i).country}


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_event_coding(case: dict, pipeline) -> None:
    result = analyse(case["text"], published=case["published"], pipeline=pipeline)
    coded = [(e.event, e.trigger.text, e.mode) for e in result.events]
    for absent in case.get("absent", ()):
        # a word read in another sense states no event of this type ("released a statement")
        assert all(e.event != absent for e in result.events), coded
    for want in case.get("expect", ()):
        found = [e for e in result.events if e.event == want["event"]
                 and want.get("trigger", e.trigger.text).lower() in e.trigger.text.lower()]
        assert found, f"no {want['event']} with trigger {want.get('trigger')!r}; coded: {coded}"
        if "count" in want:
            assert len(found) == want["count"], coded
        ev = found[0]
        if "mode" in want:
            assert ev.mode == want["mode"], coded
        if "actor" in want:
            assert set(want["actor"]) <= _countries(result, ev.actor), [result.entity(a) for a in ev.actor]
        if "recipient" in want:
            assert set(want["recipient"]) <= _countries(result, ev.recipient), [result.entity(a) for a in ev.recipient]
        for role in ("actor", "recipient"):
            if f"{role}_name" in want:
                names = [result.entity(a).name.lower() for a in getattr(ev, role)]  # type: ignore[union-attr]
                assert any(want[f"{role}_name"].lower() in n for n in names), (role, names, coded)
        if "actor_kind" in want:
            assert any(result.entity(a).kind == want["actor_kind"] for a in ev.actor)  # type: ignore[union-attr]
        for key in ("certainty", "time", "negated", "conditional"):
            if key in want:
                assert getattr(ev.modality, key) == want[key], (key, ev.modality)
        if "attribution" in want:
            assert ev.attribution is not None and ev.attribution.type == want["attribution"], ev.attribution
        if "places" in want:
            names = {result.place(p).name for p in ev.places}  # type: ignore[union-attr]
            assert set(want["places"]) <= names, names
        if "date" in want:
            assert ev.date.value == want["date"], ev.date


def test_every_event_is_consistent_with_plover(pipeline) -> None:
    text = (Path(__file__).resolve().parents[2] / "examples" / "sahel-attack.txt").read_text(encoding="utf-8")
    result = analyse(text, published="2025-03-12", pipeline=pipeline)
    ids = {e.id for e in result.entities}
    place_ids = {p.id for p in result.places}
    assert result.events
    for ev in result.events:
        etype = EVENT_TYPES[ev.event]
        assert ev.quad == etype.quad
        assert ev.mode is None or ev.mode in etype.modes
        assert set(ev.actor) <= ids and set(ev.recipient) <= ids and set(ev.places) <= place_ids
        assert result.article.text[ev.trigger.start:ev.trigger.end] == ev.trigger.text
        assert ev.sentence.start <= ev.trigger.start < ev.trigger.end <= ev.sentence.end
        assert 0.0 <= ev.confidence <= 1.0


def test_a_restated_event_is_coded_once(pipeline) -> None:
    text = ("The United States demanded that Iran halt enrichment. Iran rejected the U.S. demands. "
            "Analysts said U.S. demands would grow.")
    result = analyse(text, published="2024-06-01", pipeline=pipeline)
    requests = [e for e in result.events if e.event == "REQUEST" and _countries(result, e.actor) == {"USA"}]
    assert len(requests) == 1, [(e.event, e.trigger.text) for e in result.events]


@pytest.mark.parametrize(
    ("text", "event", "mentions"),
    [
        # a participle describing the explosion, and a definite noun naming the talks again
        ("A car bomb exploded near a market in Mosul on Saturday, killing at least 12 people.",
         "ASSAULT", ["exploded", "killing"]),
        ("Egypt and Qatar held talks in Cairo on Monday. The talks focused on a truce in Gaza, officials said.",
         "CONSULT", ["held talks", "talks"]),
        # an event noun with no participants of its own, after an event of its type, names it again
        ("Gunmen stormed a police post in Dera on Friday. Residents said an explosion shook the town at dawn.",
         "ASSAULT", ["stormed", "explosion"]),
    ],
)
def test_repeat_mentions_of_one_happening_are_one_event(text: str, event: str, mentions: list[str],
                                                         pipeline) -> None:
    from dragoman.records import ArticleResult

    result = analyse(text, published="2024-03-10", pipeline=pipeline)
    coded = [e for e in result.events if e.event == event]
    assert len(coded) == 1, [(e.event, e.trigger.text) for e in result.events]
    assert [m.text for m in coded[0].mentions] == mentions
    assert all(text[m.start:m.end] == m.text for m in coded[0].mentions)
    data = result.to_dict()
    assert data["events"][result.events.index(coded[0])]["mentions"][0]["text"] == mentions[0]
    assert ArticleResult.from_dict(data).to_dict() == data
