"""When two reports of one event type and week are one real-world event (store clusters)."""

from __future__ import annotations

from dragoman.store.writer import ClusterState, compatible


def _cluster(actors: set[str], countries: set[str], places: set[str]) -> ClusterState:
    return ClusterState(1, "ACCUSE", "2009-03-10", set(actors), set(countries), set(places))


def test_a_shared_actor_is_evidence() -> None:
    c = _cluster({"kb:q30"}, {"USA"}, set())
    assert compatible(c, {"kb:q30"}, {"USA"}, set())


def test_a_shared_country_alone_is_no_evidence() -> None:
    # two unrelated accusations by different Americans in one week of a US local news corpus
    c = _cluster({"name:county sheriff"}, {"USA"}, {"geo:4259418"})
    assert not compatible(c, {"name:school board"}, {"USA"}, set())
    assert not compatible(c, {"name:school board"}, {"USA"}, {"geo:5128581"})


def test_actors_of_one_country_at_one_place_are_one_event() -> None:
    # "US troops" and "American soldiers" resolved differently, reported at the same town
    c = _cluster({"name:us troops"}, {"USA"}, {"geo:99072"})
    assert compatible(c, {"name:american soldiers"}, {"USA"}, {"geo:99072"})


def test_actors_of_different_countries_contradict() -> None:
    c = _cluster({"kb:q30"}, {"USA"}, {"geo:99072"})
    assert not compatible(c, {"kb:q794"}, {"IRN"}, {"geo:99072"})


def test_a_side_with_nothing_known_neither_agrees_nor_contradicts() -> None:
    c = _cluster(set(), set(), {"geo:99072"})
    assert compatible(c, {"kb:q30"}, {"USA"}, {"geo:99072"})
    assert not compatible(_cluster(set(), set(), set()), {"kb:q30"}, {"USA"}, set())


def test_an_unidentified_perpetrator_is_no_actor_known() -> None:
    # two attacks by unnamed gunmen in one week, in different towns of one country
    c = _cluster({"unknown:unidentified perpetrator:"}, {"USA"}, {"geo:4259418"})
    assert not compatible(c, {"unknown:unidentified perpetrator:"}, {"USA"}, {"geo:5128581"})
    # at the same town they are one event, and a named attacker there does not contradict it
    assert compatible(c, {"unknown:unidentified perpetrator:"}, {"USA"}, {"geo:4259418"})
    assert compatible(c, {"armed_group:isil:"}, set(), {"geo:4259418"})


def test_one_shared_state_alone_is_no_evidence_but_a_dyad_of_states_is() -> None:
    c = _cluster({"state:USA"}, {"USA"}, set())
    assert not compatible(c, {"state:USA"}, {"USA"}, set())
    # the same state at the same place: one event
    at = _cluster({"state:USA"}, {"USA"}, {"geo:99072"})
    assert compatible(at, {"state:USA"}, {"USA"}, {"geo:99072"})
    # the same pair of states in one week: one event
    dyad = _cluster({"state:USA", "state:IRN"}, {"USA", "IRN"}, set())
    assert compatible(dyad, {"state:USA", "state:IRN"}, {"USA", "IRN"}, set())
