"""When two reports of one event type and week are one real-world event (store clusters)."""

from __future__ import annotations

from store_samples import build

from dragoman.store import Store
from dragoman.store.writer import ClusterState, compatible, is_nominal_actor


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


def test_an_actor_named_by_a_common_noun_is_no_name() -> None:
    for nominal in ("civilians:people:USA", "police:police:USA", "person:man:USA", "civilians:two men:USA",
                    "people:americans:USA", "government:authorities:USA", "civilians:residents of the town:USA",
                    "armed_group:militia:"):
        assert is_nominal_actor(nominal), nominal
    for named in ("person:keith ternes:USA", "organisation:megan gildow:", "kb:q30", "state:USA",
                  "person:barack-obama", "armed_group:isil:", "unknown:unidentified perpetrator:"):
        assert not is_nominal_actor(named), named


def test_a_shared_nominal_actor_is_no_evidence_and_no_contradiction() -> None:
    # police arresting people in two towns of one country in one week, the towns not written
    c = _cluster({"police:police:USA", "civilians:people:USA"}, {"USA"}, set())
    assert not compatible(c, {"police:police:USA", "civilians:people:USA"}, {"USA"}, set())
    assert not compatible(c, {"police:police:USA"}, {"USA"}, set())
    # at the same place they are one event; with a named actor shared, too
    at = _cluster({"police:police:USA"}, {"USA"}, {"geo:4259418"})
    assert compatible(at, {"police:police:USA"}, {"USA"}, {"geo:4259418"})
    named = _cluster({"police:police:USA", "person:keith ternes:USA"}, {"USA"}, set())
    assert compatible(named, {"police:police:USA", "person:keith ternes:USA"}, {"USA"}, set())
    # another nominal of the same country does not contradict a shared place
    assert compatible(at, {"civilians:residents:USA"}, {"USA"}, {"geo:4259418"})


def test_stored_reports_sharing_only_nominal_actors_stay_apart(store: Store) -> None:
    """Constructed local reports of one week, each 'police arrested a man', in unnamed towns: four
    incidents, not one; two reports naming the same suspect are one."""
    police = {"id": "e1", "name": "police", "kind": "police", "country": "USA", "mentions": ["police"]}
    man = {"id": "e2", "name": "man", "kind": "person", "country": "USA", "mentions": ["man"]}
    ids: list[str] = []
    for k, (day, what) in enumerate([("2009-03-16", "for shoplifting"), ("2009-03-17", "after a car chase"),
                                      ("2009-03-17", "for drunk driving"), ("2009-03-18", "after a fight")]):
        text = f"Local police arrested a man {what} on Tuesday, report number {k} of the week said."
        ids.append(store.add(build(text, published=day, entities=[police, man], events=[
            {"event": "ARREST", "trigger": "arrested", "actor": ["e1"], "recipient": ["e2"], "date": day,
             "quad": 3, "intensity": -5.0}])).status)
    assert ids == ["stored"] * 4
    clusters = store.db.query("SELECT cluster_pk, count(*) AS n FROM events GROUP BY cluster_pk")
    assert len(clusters) == 4 and all(r["n"] == 1 for r in clusters)
    suspect = {"id": "e3", "name": "John Doakes", "kind": "person", "country": "USA", "mentions": ["John Doakes"]}
    for day, text in [("2009-03-19", "The police arrested John Doakes after the robbery at the bank."),
                      ("2009-03-20", "Neighbours watched as the police arrested John Doakes, who is accused of "
                                     "robbing a gas station and a bank on the same afternoon.")]:
        store.add(build(text, published=day, entities=[police, suspect], events=[
            {"event": "ARREST", "trigger": "arrested", "actor": ["e1"], "recipient": ["e3"], "date": day,
             "quad": 3, "intensity": -5.0}]))
    sizes = sorted(r["n_articles"] for r in store.db.query("SELECT n_articles FROM clusters"))
    assert sizes == [1, 1, 1, 1, 2]


def test_a_state_and_its_government_are_one_party() -> None:
    # "the federal government" in two local stories of one week is no evidence, nor is it with the state
    c = _cluster({"gov:USA", "state:USA"}, {"USA"}, set())
    assert not compatible(c, {"gov:USA"}, {"USA"}, set())
    assert not compatible(c, {"gov:USA", "state:USA"}, {"USA"}, set())
    # the governments of two states are a pair
    pair = _cluster({"gov:USA", "gov:IRN"}, {"USA", "IRN"}, set())
    assert compatible(pair, {"gov:USA", "gov:IRN"}, {"USA", "IRN"}, set())


def test_a_brief_contradiction_needs_a_named_party_across_articles(store: Store) -> None:
    """Constructed local reports of one week: arrests with no actor named and by 'police' in three
    towns, one of them denied; and a named suspect's arrest reported by one article, denied by another.
    Only the named suspect's reports contradict each other."""
    from dragoman.analysis.report import situation_report

    police = {"id": "e1", "name": "police", "kind": "police", "country": "USA", "mentions": ["police"]}
    man = {"id": "e2", "name": "man", "kind": "person", "country": "USA", "mentions": ["man"]}
    suspect = {"id": "e3", "name": "John Doakes", "kind": "person", "country": "USA", "mentions": ["John Doakes"]}
    reports = [
        ("2009-03-16", "Fourteen people were arrested in a drug sweep on Monday, the sheriff said.", [], [], False),
        ("2009-03-17", "Nobody was arrested after the fight at the fair, organisers said.", [], [], True),
        ("2009-03-17", "Local police arrested a man after a car chase on Tuesday.", [police, man], ["e1"], False),
        ("2009-03-18", "The police have not arrested a man in the shooting, a spokesman said.", [police, man],
         ["e1"], True),
        ("2009-03-18", "The police arrested John Doakes after the robbery at the bank.", [police, suspect],
         ["e1"], False),
        ("2009-03-19", "His lawyer said the police never arrested John Doakes.", [police, suspect], ["e1"], True),
    ]
    for day, text, ents, actor, negated in reports:
        recipient = [e["id"] for e in ents if e["id"] != "e1"]
        assert store.add(build(text, published=day, entities=ents, events=[
            {"event": "COERCE", "trigger": "arrested", "actor": actor, "recipient": recipient, "date": day,
             "quad": 4, "intensity": -7.0, "negated": negated}])).status == "stored"
    rep = situation_report(store, by="week")
    assert len(rep.contradictions) == 1, [c.text for c in rep.contradictions]
    assert "John Doakes" in rep.contradictions[0].text and len(rep.contradictions[0].articles) == 2
