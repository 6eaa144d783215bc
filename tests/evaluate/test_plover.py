"""PLOVER scoring: most confident event per sentence, type figures and country set-F1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dragoman.evaluate.plover import gold_codes, load_records, score_records, sentence_event

DATA = Path(__file__).parent / "data" / "plover_small.jsonl"


def _result(events: list[tuple[str, float, list[str], list[str]]], countries: dict[str, str | None]) -> dict[str, Any]:
    """A minimal article result: entities named by id with a country, events as (type, confidence, actor, recipient)."""
    return {
        "article": {"text": ""},
        "entities": [{"id": eid, "name": eid, "kind": "state", "country": c} for eid, c in countries.items()],
        "events": [{"id": f"ev{i}", "event": t, "confidence": conf, "actor": a, "recipient": r,
                    "trigger": {"start": 0, "end": 1, "text": t.lower()}}
                   for i, (t, conf, a, r) in enumerate(events)],
    }  # fmt: skip


@pytest.mark.parametrize("actors, codes", [
    ([{"code": "USA"}, {"code": "GBR"}], {"USA", "GBR"}),
    ([{"code": "ITL"}, {"code": "JAP"}, {"code": "VTN"}], {"ITA", "JPN", "VNM"}),
    ([{"code": "IGO"}, {"code": "img"}], {"IGO", "IMG"}),
    ([{"code": "USA;GBR"}, {"code": "FRA/DEU"}], {"USA", "GBR", "FRA", "DEU"}),
    ("", set()), ("diplomatic", set()), (None, set()), ([{"actorText": "someone"}], set()),
])  # fmt: skip
def test_gold_codes(actors: Any, codes: set[str]) -> None:
    assert gold_codes(actors) == codes


def test_most_confident_event_is_the_sentence_event_and_ties_go_to_the_first() -> None:
    r = _result([("ACCUSE", 0.4, [], []), ("ASSAULT", 0.9, [], []), ("COERCE", 0.9, [], [])], {})
    assert sentence_event(r)["event"] == "ASSAULT"
    assert sentence_event(_result([], {})) is None


@pytest.mark.parametrize("event, modality, read", [
    ("CONSULT", {"time": "future"}, "AGREE"),            # "will host talks": an intention to meet
    ("AID", {"time": "future"}, "AGREE"),
    ("SANCTION", {"time": "future"}, "THREATEN"),        # "will impose sanctions": a threat of them
    ("ASSAULT", {"time": "future"}, "THREATEN"),
    ("ASSAULT", {"time": "future", "conditional": True}, "ASSAULT"),  # conditions are coded where found
    ("CONSULT", {"time": "future", "negated": True}, "CONSULT"),
    ("SUPPORT", {"time": "future"}, "AGREE"),            # "will support the resolution"
    ("CONCEDE", {"time": "future"}, "AGREE"),            # "will allow the visit"
    ("AGREE", {"time": "future"}, "AGREE"),
    ("REQUEST", {"time": "future"}, "REQUEST"),          # verbal conflict is what it is
    ("ACCUSE", {"time": "future"}, "ACCUSE"),
    ("CONSULT", {"time": "past"}, "CONSULT"),
])  # fmt: skip
def test_sentence_event_reads_a_future_act_as_its_intent(event: str, modality: dict[str, Any], read: str) -> None:
    r = _result([(event, 0.8, [], [])], {})
    r["events"][0]["modality"] = modality
    assert sentence_event(r)["event"] == read
    assert r["events"][0]["event"] == event  # the article's own event is left as it is


def test_figures_on_hand_made_results() -> None:
    records = load_records(DATA)
    results = [
        # right type, right actor country, a recipient the gold does not have
        _result([("COERCE", 0.8, ["a"], ["b"])], {"a": "NRL", "b": "NRL"}),
        # wrong type in the same quad; the recipients are half found
        _result([("ACCUSE", 0.7, ["un"], ["n"]), ("REQUEST", 0.2, ["un"], ["n"])], {"un": "IGO", "n": "NRL"}),
        # the Italian troops, coded with the ISO code; the stray "diplomatic" target is empty
        _result([("RETREAT", 0.6, ["it"], [])], {"it": "ITA"}),
        # no event at all
        _result([], {"v": "VST"}),
    ]
    f = score_records(records, results)
    assert f["records"] == 4 and f["no_event"] == 1
    assert f["type_accuracy"] == pytest.approx(2 / 4)
    assert f["quad_accuracy"] == pytest.approx(3 / 4)
    # per type: COERCE 1/1, RETREAT 1/1, REQUEST 0 (missed), REJECT 0 (missed), ACCUSE 0 (false alarm)
    assert f["macro_f1"] == pytest.approx(2 / 5)
    # actor: gold NRL, IGO, ITA, VST; predicted NRL, IGO, ITA -> P 1, R 3/4
    assert f["actor_country"]["precision"] == 1.0 and f["actor_country"]["recall"] == pytest.approx(3 / 4)
    # recipient: gold {} , {NRL, VST}, {}, {}; predicted {NRL}, {NRL}, {}, {} -> P 1/2, R 1/2
    assert f["recipient_country"]["f1"] == pytest.approx(0.5)
    assert f["confusion"]["REQUEST"] == {"ACCUSE": 1} and f["confusion"]["REJECT"] == {"none": 1}
    wrong = {e["id"]: e for e in f["errors"]}
    assert set(wrong) == {"T-1", "T-2", "T-4"}
    assert wrong["T-2"]["events"] == ["ACCUSE:accuse", "REQUEST:request"]
    json.dumps(f)  # the figures must serialise for --json


def test_limit_reads_only_the_first_records() -> None:
    assert [r["id"] for r in load_records(DATA, limit=2)] == ["T-1", "T-2"]
