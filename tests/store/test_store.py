"""The store on SQLite and PostgreSQL: round trips, idempotence, near-duplicates, clusters and queries."""

from __future__ import annotations

import dataclasses

import pytest
from store_samples import (
    SYNDICATED_TEXT,
    other_report,
    sudan_story,
    undated_story,
    wire_story,
)

import dragoman
from dragoman.errors import StoreError
from dragoman.store import EventFilter, Store
from dragoman.store.schema import SCHEMA_VERSION


def _fill(store: Store) -> None:
    for r in (wire_story(), other_report(), sudan_story(), undated_story()):
        assert store.add(r).status == "stored"


@pytest.mark.parametrize("make", [wire_story, other_report, sudan_story, undated_story])
def test_reading_a_result_back_gives_exactly_its_json(store: Store, make) -> None:
    result = make()
    store.add(result)
    assert store.get_result(result.article.id) == result.to_dict()
    assert store.get_article_result(result.article.id) == result


def test_the_same_article_twice_is_stored_once(store: Store) -> None:
    first = store.add(wire_story())
    again = store.add(wire_story())
    assert (first.status, again.status) == ("stored", "present")
    assert store.count_articles() == 1
    assert store.count_events() == 3


def test_a_syndicated_copy_is_linked_and_not_counted_twice(store: Store) -> None:
    original = wire_story()
    store.add(original)
    copy = wire_story(outlet="Al Arabiya", text=SYNDICATED_TEXT)
    outcome = store.add(copy)
    assert outcome.status == "near_duplicate"
    assert outcome.near_duplicate_of == original.article.id
    assert outcome.similarity is not None and outcome.similarity >= 0.7
    assert store.count_articles() == 2 and store.count_articles(duplicates=False) == 1
    assert store.count_events() == 3
    assert store.get_result(copy.article.id) == copy.to_dict()
    kh = store.actor("dragoman:kataib-hezbollah")
    assert kh is not None and kh.n_articles == 1
    # A third copy links to the first one, not to the copy it resembles most.
    third = wire_story(outlet="The National", text=SYNDICATED_TEXT.replace("on Tuesday", "on Tuesday morning"))
    assert store.add(third).near_duplicate_of == original.article.id


def test_reports_of_one_event_form_one_cluster(store: Store) -> None:
    _fill(store)
    retreats = store.events(EventFilter(type="RETREAT")).items
    assert len(retreats) == 2
    assert retreats[0].cluster == retreats[1].cluster is not None
    cluster = store.clusters(EventFilter(type="RETREAT")).items
    assert len(cluster) == 1
    assert cluster[0].n_mentions == 2 and cluster[0].n_articles == 2
    assert set(cluster[0].sources) == {"Reuters", "Kurdistan24"}
    assert store.count_events(EventFilter(type="RETREAT"), clusters=True) == 1
    assert store.count_events() == 9
    # Different type, day or actors never merge.
    assert store.count_events(clusters=True) == 8
    assert len(store.clusters().items) == 8


def test_event_filters(store: Store) -> None:
    _fill(store)

    def kinds(**kw: object) -> list[tuple[str, str]]:
        return sorted((e.event, e.article_id[:12]) for e in store.events(EventFilter(**kw)).items)

    assert [k for k, _ in kinds(actor="hezbollah")] == ["RETREAT", "RETREAT", "SUPPORT"]
    assert [k for k, _ in kinds(actor="paramilitary group")] == ["ACCUSE", "ASSAULT"]  # alias
    assert [k for k, _ in kinds(country="sdn")] == ["ACCUSE", "ASSAULT", "REQUEST"]
    assert [k for k, _ in kinds(country="IRQ", type="SUPPORT")] == ["SUPPORT"]
    assert [k for k, _ in kinds(place="fasher")] == ["ASSAULT"]
    assert [k for k, _ in kinds(place="darfur")] == ["ASSAULT", "REQUEST"]
    assert [k for k, _ in kinds(since="2025-04-09", until="2025-04")] == [
        "ACCUSE",
        "ASSAULT",
        "REQUEST",
        "RETREAT",
    ]
    assert [k for k, _ in kinds(until="2025-04-08")] == ["REQUEST", "RETREAT", "SUPPORT"]
    assert [k for k, _ in kinds(text="displacement camp")] == ["ACCUSE", "ASSAULT", "REQUEST"]
    assert [k for k, _ in kinds(actor="hezbollah", country="SDN")] == []
    assert kinds(actor="nobody at all") == []
    assert [k for k, _ in kinds(quad=4)] == ["ASSAULT", "COERCE", "PROTEST"]
    row = store.events(EventFilter(type="ASSAULT")).items[0]
    assert row.actors[0].name == "Rapid Support Forces" and row.recipients[0].name == "civilians"
    assert row.places[0].name == "El Fasher" and row.sentence.startswith("Rapid Support Forces shelled")
    assert row.trigger == "shelled" and row.outlet == "Sudan Tribune"


def test_cursor_pages_walk_every_event_once_newest_first(store: Store) -> None:
    _fill(store)
    seen, cursor = [], None
    while True:
        page = store.events(limit=3, cursor=cursor)
        seen += page.items
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == len({e.pk for e in seen}) == 9
    days = [e.day for e in seen]
    dated = [d for d in days if d is not None]
    assert dated == sorted(dated, reverse=True)
    assert days[-len(days) + len(dated) :] == [None] * (len(days) - len(dated))  # undated come last
    assert [e.pk for e in store.iter_events(batch=2)] == [e.pk for e in seen]
    with pytest.raises(StoreError):
        store.events(cursor="not-a-cursor!")


def test_actors_profiles_and_places(store: Store) -> None:
    _fill(store)
    actors = store.actors().items
    assert actors[0].key == "dragoman:kataib-hezbollah"
    assert (actors[0].n_actor, actors[0].n_recipient, actors[0].n_articles) == (2, 1, 2)
    assert [a.name for a in store.actors(country="SDN").items][:1] == ["Rapid Support Forces"]
    profile = store.actor_profile("dragoman:rsf")
    assert profile is not None
    assert ("the paramilitary group", 1) in profile.aliases
    assert [(p.period, p.n_actor, p.n_recipient) for p in profile.timeline] == [("2025-04", 1, 1)]
    assert {a.name for a, _ in profile.counterparts} == {"civilians", "Sudanese Armed Forces"}
    kh = store.actor_profile("dragoman:kataib-hezbollah")
    assert kh is not None
    assert [(r.predicate, r.direction, r.other_name, r.n) for r in kh.relations] == [
        ("member_of", "out", "Popular Mobilization Forces", 2)
    ]
    pmf = store.actor_profile("dragoman:pmf")
    assert pmf is not None and [(r.direction, r.other_key) for r in pmf.relations] == [
        ("in", "dragoman:kataib-hezbollah")
    ]
    assert store.actor_profile("no:such") is None
    places = store.places().items
    assert places[0].name == "Mosul" and places[0].n_events == 2 and places[0].n_articles == 2
    assert [p.name for p in store.places(country="sdn").items] == ["El Fasher", "North Darfur"]


def test_articles_full_text_search_and_pages(store: Store) -> None:
    _fill(store)
    hits = store.articles(search="checkpoints handover").items
    assert [a.title for a in hits] == ["Kataib Hezbollah leaves Mosul checkpoints"]
    assert hits[0].snippet and "checkpoints" in hits[0].snippet
    assert {a.outlet for a in store.articles(search="withdrawal").items} == {"Reuters"}  # stemmed
    assert store.articles(search='"; DROP TABLE articles; --').items == []
    first = store.articles(limit=3)
    second = store.articles(limit=3, cursor=first.next_cursor)
    assert len(first.items) == 3 and len(second.items) == 1 and second.next_cursor is None
    assert store.resolve_id(wire_story().article.id[:20]) == wire_story().article.id


def test_versions_and_failures_are_recorded(store: Store) -> None:
    _fill(store)
    rows = {a.id: a for a in store.articles(limit=10).items}
    assert rows[wire_story().article.id].kb_version == "kb-2025.04"
    assert rows[undated_story().article.id].dragoman_version == dragoman.__version__
    store.record_failure("docs/arabic.txt", ValueError("Arabic text is not supported yet"), raw_hash="h1")
    store.record_failure("docs/arabic.txt", ValueError("Arabic text is not supported yet"), raw_hash="h1")
    fails = store.failures()
    assert len(fails) == 1 and fails[0].error_type == "ValueError" and "Arabic" in fails[0].reason
    assert store.stats()["failures"] == 1


def test_replacing_an_article_keeps_counts_consistent(store: Store) -> None:
    _fill(store)
    before = store.actor("dragoman:rsf")
    old = sudan_story()
    fewer = dataclasses.replace(old, events=old.events[:1])
    assert store.replace(old.article.id, fewer).status == "stored"
    assert store.get_result(old.article.id) == fewer.to_dict()
    after = store.actor("dragoman:rsf")
    assert before is not None and after is not None
    assert (after.n_actor, after.n_recipient) == (1, 0) and before.n_recipient == 1
    assert store.count_events(EventFilter(country="SDN")) == 1
    assert store.delete(other_report().article.id)
    cluster = store.clusters(EventFilter(type="RETREAT")).items[0]
    assert (cluster.n_mentions, cluster.n_articles, cluster.sources) == (1, 1, ("Reuters",))


def test_migrations_run_once_and_record_the_version(db_url: str) -> None:
    with Store(db_url) as s:
        s.add(wire_story())
    with Store(db_url) as s:
        assert s.db.scalar("SELECT max(version) AS v FROM schema_version") == SCHEMA_VERSION
        assert s.count_articles() == 1


def test_event_counts_for_facets(store: Store) -> None:
    _fill(store)
    by_type = dict(store.event_counts(by="type"))
    assert by_type["RETREAT"] == 2 and sum(by_type.values()) == 9
    assert dict(store.event_counts(by="type", clusters=True))["RETREAT"] == 1
    assert dict(store.event_counts(EventFilter(country="IRQ"), by="month")) == {"2025-04": 4}


def _index_names(store: Store) -> set[str]:
    if store.db.is_sqlite:
        rows = store.db.query("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    else:
        rows = store.db.query("SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema()")
    return {r["name"] for r in rows}


def test_bulk_load_builds_indexes_after_the_fill_and_gives_the_same_corpus(db_url: str, tmp_path) -> None:
    from dragoman.store.schema import DEFERRABLE_INDEXES

    with Store(db_url) as store:
        indexes = _index_names(store)
        assert set(DEFERRABLE_INDEXES) <= indexes
        with store.bulk_load(analyze=False):
            assert not set(DEFERRABLE_INDEXES) & _index_names(store)
            outcomes = store.add_many([wire_story(), other_report(), sudan_story(), undated_story()])
            assert [o.status for o in outcomes] == ["stored"] * 4
            assert store.count_events(EventFilter(country="SDN")) == 3  # correct, if slower, meanwhile
        assert _index_names(store) == indexes
        assert store.db.scalar("SELECT count(*) AS n FROM deferred_indexes") == 0
        assert store.count_events() == 9 and store.count_events(clusters=True) == 8
        retreats = store.clusters(EventFilter(type="RETREAT")).items
        assert len(retreats) == 1 and retreats[0].n_articles == 2


def test_a_bulk_load_that_died_has_its_indexes_built_on_the_next_opening(db_url: str) -> None:
    from dragoman.store.schema import DEFERRABLE_INDEXES, defer_indexes

    with Store(db_url) as store:
        indexes = _index_names(store)
        assert defer_indexes(store.db) == len(DEFERRABLE_INDEXES)  # as a killed bulk load leaves it
        store.add(wire_story())
        assert not set(DEFERRABLE_INDEXES) & _index_names(store)
    with Store(db_url) as store:
        assert _index_names(store) == indexes
        assert store.count_events() == 3


def test_key_only_counts_agree_with_event_lists(store: Store) -> None:
    _fill(store)
    filters = [
        EventFilter(country="SDN"),
        EventFilter(country="irq"),
        EventFilter(actor="hezbollah"),
        EventFilter(place="darfur"),
        EventFilter(country="SDN", since="2025-04-09", until="2025-04"),
        EventFilter(actor="hezbollah", country="IRQ"),
        EventFilter(country="IRQ", type="SUPPORT"),
        EventFilter(actor="nobody at all"),
    ]
    for f in filters:
        listed = list(store.iter_events(f))
        assert store.count_events(f) == len(listed), f
        assert store.count_events(f, clusters=True) == len({e.cluster for e in listed}), f


def test_the_public_filter_sql_matches_the_events_it_describes(store: Store) -> None:
    _fill(store)
    f = EventFilter(country="SDN", type="ASSAULT")
    spec = store.filter_sql(f)
    assert spec is not None and store._filter_sql(f) == spec  # the old private name still works
    key_sets, where, params = spec
    assert key_sets == [["c:SDN"]] and where[0] == "e.dup = 0"
    clause = store.filter_where(f)
    assert clause is not None
    cond, cparams = clause
    rows = store.db.query(f"SELECT e.pk FROM events e WHERE {cond}", cparams)
    assert sorted(r["pk"] for r in rows) == sorted(e.pk for e in store.iter_events(f))
    assert store.filter_sql(EventFilter(actor="nobody at all")) is None


@pytest.mark.parametrize("f", [EventFilter(actor="hezbollah"), EventFilter(place="darfur"), EventFilter(country="SDN")])
def test_pages_of_a_multi_key_filter_walk_every_event_once(store: Store, f: EventFilter) -> None:
    _fill(store)
    whole = [e.pk for e in store.events(f, limit=100).items]
    assert len(whole) >= 2
    assert [e.pk for e in store.iter_events(f, batch=1)] == whole
    days = [e.day for e in store.events(f, limit=100).items if e.day is not None]
    assert days == sorted(days, reverse=True)
