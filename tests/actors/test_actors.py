"""Actor resolution on sentences written for these tests: countries, sectors and kinds."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dragoman.analyse import analyse

CASES = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_actor_country_sector_kind(case: dict, pipeline) -> None:
    result = analyse(case["text"], published=case["published"], pipeline=pipeline)
    for want in case["expect"]:
        candidates = [e for e in result.entities
                      if any(m.text.lower() == want["mention"].lower() for m in e.mentions)]
        assert candidates, f"no entity mentioned as {want['mention']!r}: {[e.name for e in result.entities]}"
        matching = [e for e in candidates
                    if e.country == want.get("country", e.country) and e.sector == want["sector"]
                    and e.kind == want.get("kind", e.kind)
                    and e.anonymous == want.get("anonymous", e.anonymous)]
        assert matching, f"{want}: got {[(e.name, e.country, e.sector, e.kind) for e in candidates]}"
    for name in case.get("not_governments", []):
        assert not any(m.text == name for e in result.entities if e.kind == "government" for m in e.mentions), name
        assert any(p.name == name or any(m.text == name for m in p.mentions) for p in result.places), name


def test_pronouns_and_group_nouns_refer_back(pipeline) -> None:
    text = ("Several Iranian-backed militia groups in Iraq said on Monday they were ready to disarm. "
            "The groups have been under pressure for months. Farhad Alaaeldin, an adviser to the prime "
            "minister, welcomed the step. He said talks would continue.")
    result = analyse(text, published="2025-04-08", pipeline=pipeline)
    militias = next(e for e in result.entities if any("militia groups" in m.text for m in e.mentions))
    texts = {m.text for m in militias.mentions}
    assert {"they", "The groups"} <= texts
    assert militias.country == "IRQ" and militias.sector == "REB"
    adviser = next(e for e in result.entities if e.name.startswith("Farhad"))
    assert "He" in {m.text for m in adviser.mentions}
    backers = {result.entity(r.object).country for r in result.relations  # type: ignore[union-attr]
               if r.subject == militias.id and r.predicate == "backed_by"}
    assert "IRN" in backers


def test_mentions_point_into_the_text(pipeline) -> None:
    text = ("Russian forces shelled Kharkiv overnight, Ukrainian officials said, and Kyiv urged its allies "
            "to send air defences.")
    result = analyse(text, published="2024-06-01", pipeline=pipeline)
    for e in result.entities:
        for m in e.mentions:
            assert result.article.text[m.start:m.end] == m.text


@pytest.mark.parametrize(
    ("text", "pair", "refers"),
    [
        ("Japan's foreign minister Taro Kono met Indonesian Foreign Minister Retno Marsudi in Jakarta, "
         "where the two ministers signed a maritime accord.", ("Kono", "Marsudi"), True),
        ("President Ruto welcomed Prime Minister Modi in Nairobi. Both leaders praised the new trade deal.",
         ("Ruto", "Modi"), True),
        # one person named before: "the two envoys" cannot be a pair of known actors
        ("President Ruto said the two envoys would arrive in Nairobi on Monday.", ("Ruto", None), False),
    ],
)
def test_a_counted_plural_refers_to_the_last_two_actors_of_its_kind(pipeline, text: str, pair: tuple,
                                                                      refers: bool) -> None:
    result = analyse(text, published="2024-06-05", pipeline=pipeline)
    phrase = next(w for w in ("the two ministers", "Both leaders", "the two envoys") if w in text)
    holders = [e.name for e in result.entities if any(m.text == phrase for m in e.mentions)]
    if refers:
        assert len(holders) == 2 and all(any(p in h for h in holders) for p in pair), holders
    else:
        assert not any(pair[0] in h for h in holders), holders


@pytest.mark.parametrize(("text", "coalition"), [
    # a description names the one entry the article gives it: by name, or by naming its opponent
    ("Islamic State militants attacked the town. The coalition responded with air strikes.",
     "Global Coalition against Daesh"),
    ("The US-led coalition said on Monday that the coalition would keep its bases.", "Global Coalition against Daesh"),
    ("Houthi forces fired missiles at Jizan. The coalition said it destroyed the launchers.", "Saudi-led coalition"),
    # a story naming neither, or an indefinite coalition, is about some other coalition
    ("The ruling coalition approved the budget on Monday.", None),
    ("Islamic State militants attacked the town. A coalition of charities sent food.", None),
])
def test_definite_descriptions_name_the_entry_the_article_establishes(text: str, coalition: str | None,
                                                                     pipeline) -> None:
    result = analyse(text, published="2024-05-02", pipeline=pipeline)
    named = {e.name for e in result.entities if e.kb_id and e.kind == "coalition"
             and any(m.text.lower().endswith("coalition") and "-led" not in m.text for m in e.mentions)}
    assert named == ({coalition} if coalition else set()), [(e.name, [m.text for m in e.mentions])
                                                            for e in result.entities]


@pytest.mark.parametrize(("text", "country"), [
    # a local story names no state, but its places are all in one country
    ("About forty residents marched through Tulsa on Saturday. Later the protesters gathered outside "
     "the courthouse in Tulsa, Oklahoma, and Dana Whitfield spoke.", "USA"),
    # places in several countries say nothing about the protesters' country
    ("Protesters gathered in Lyon on Saturday. Dana Whitfield spoke in Geneva and later in Turin.", None),
])
def test_people_take_the_country_where_the_story_happens(text: str, country: str | None, pipeline) -> None:
    result = analyse(text, published="2024-05-02", pipeline=pipeline)
    person = next(e for e in result.entities if e.name == "Dana Whitfield")
    assert person.country == country, [(e.name, e.country) for e in result.entities]


@pytest.mark.parametrize(("text", "title", "person"), [
    # a definite title refers to the person last named with it
    ("SEOUL, May 2 - President Nara Kim of South Korea met Chinese leaders on Friday. The president said "
     "North Korea must stop its tests.", "The president", "Nara Kim"),
    ("BAGHDAD, May 2 - Defense Secretary Ash Carter met Iraqi Prime Minister Haider al-Abadi on Monday. "
     "The secretary and Abadi agreed to expand cooperation.", "The secretary", "Ash Carter"),
])
def test_a_definite_title_refers_to_the_person_named_with_it(text: str, title: str, person: str, pipeline) -> None:
    result = analyse(text, published="2016-05-02", pipeline=pipeline)
    named = next(e for e in result.entities if e.name == person)
    assert title in {m.text for m in named.mentions}, [(e.name, [m.text for m in e.mentions]) for e in result.entities]


@pytest.mark.parametrize(("text", "person", "not_country"), [
    # a state named as what a thing is about is no one's country ("the Iran deal")
    ("Senator Jo Park criticised the Iran deal on Tuesday.", "Jo Park", "IRN"),
    ("Senator Ana Ruiz voted against the Cuba sanctions bill on Monday.", "Ana Ruiz", "CUB"),
])
def test_a_state_named_as_a_topic_gives_no_country(text: str, person: str, not_country: str, pipeline) -> None:
    result = analyse(text, published="2024-05-02", pipeline=pipeline)
    named = next(e for e in result.entities if e.name == person)
    assert named.country != not_country


@pytest.mark.parametrize(("text", "issuer"), [
    # a statement in the first person plural speaks for the body that issues it
    ("The United States condemns the bombings in Baghdad. We extend our condolences to the families of "
     "the victims.", "United States"),
    # ... or for the state of the official who issues it
    ("The Foreign Secretary welcomed the sanctions that France and the United Kingdom proposed. We are "
     "targeting those who supply the regime with weapons.", "United Kingdom"),
])
def test_we_in_the_articles_own_voice_is_its_issuer(text: str, issuer: str, pipeline) -> None:
    result = analyse(text, published="2024-05-02", pipeline=pipeline)
    owner = next(e for e in result.entities if any(m.text == "We" for m in e.mentions))
    assert owner.name == issuer and owner.kind in {"state", "government"}


def test_civilians_belong_where_the_story_happens_not_to_the_state_that_speaks(pipeline) -> None:
    # a statement by the United States names it most, but the civilians were killed in Syria
    text = ("The United States condemns the bombings in Tartus and Jableh. The United States urged the regime "
            "to stop. More than 60 civilians were killed in Tartus, and the United States will respond, a U.S. "
            "official said on Monday in Latakia.")
    result = analyse(text, published="2024-05-02", pipeline=pipeline)
    civilians = next(e for e in result.entities if e.sector == "CVL")
    assert civilians.country == "SYR"
    official = next(e for e in result.entities if e.name == "U.S. official")
    assert official.country == "USA"


@pytest.mark.parametrize(("text", "owner"), [
    # "I" in a statement that speaks as "we" is its author, for the body that issues it
    ("The European Union welcomes the ceasefire in Yemen. We will host talks in Brussels in March. "
     "I met the Omani foreign minister in Muscat today.", "European Union"),
    # in a text with no "we" of its own, an unquoted "I" stays unresolved
    ("The European Union welcomed the ceasefire in Yemen on Monday. I met the Omani foreign minister "
     "in Muscat today.", None),
])
def test_i_in_a_statement_is_its_issuer(text: str, owner: str | None, pipeline) -> None:
    result = analyse(text, published="2024-05-02", pipeline=pipeline)
    found = next((e.name for e in result.entities if any(m.text == "I" for m in e.mentions)), None)
    assert found == owner


@pytest.mark.parametrize(("text", "owner"), [
    # a possessive binds to its own clause's subject: the object that controls the infinitive ...
    ("The United States urged Russia to press the Syrian government to end its attacks on Aleppo.",
     "Government of Syria"),
    # ... or the subject of the clause, not the latest body named before it
    ("Iran said on Monday that Iraq must stop its support for the militias.", "Iraq"),
])
def test_a_possessive_refers_to_its_clause_subject(text: str, owner: str, pipeline) -> None:
    result = analyse(text, published="2024-05-02", pipeline=pipeline)
    found = next((e.name for e in result.entities if any(m.text == "its" for m in e.mentions)), None)
    assert found == owner
