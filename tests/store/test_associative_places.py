"""Places named only associatively ("Syrian forces", "Iran-backed") are stored with their flag and
kinds (migration 6), on SQLite and PostgreSQL, and never count as where events happen nor in the
place catalogue."""

from __future__ import annotations

from store_samples import build

from dragoman.records import ArticleResult
from dragoman.store import EventFilter, Store
from dragoman.store.schema import migrate

TEXT = ("Syrian troops and Iran-backed militias shelled the outskirts of Aleppo on Monday, "
        "residents said.")
ARMY = {"id": "e1", "name": "Syrian army", "kind": "military", "country": "SYR", "mentions": ["Syrian troops"]}


def _article() -> ArticleResult:
    places = [
        {"id": "p1", "name": "Aleppo", "country": "SYR", "geonameid": 170063, "lat": 36.2, "lon": 37.16,
         "mentions": ["Aleppo"]},
        {"id": "a1", "name": "Syria", "country": "SYR", "geonameid": 163843, "feature": "country",
         "lat": 35.0, "lon": 38.0, "mentions": ["Syrian"], "associative": True, "kind": "adjectival"},
        {"id": "a2", "name": "Iran", "country": "IRN", "geonameid": 130758, "feature": "country",
         "lat": 32.0, "lon": 53.0, "mentions": ["Iran"], "associative": True, "kind": "backed"},
    ]
    events = [{"event": "ASSAULT", "trigger": "shelled", "actor": ["e1"], "places": ["p1"]}]
    return build(TEXT, outlet="Test Wire", published="2025-04-07", entities=[ARMY], places=places,
                 events=events)


def test_associative_places_round_trip_with_their_kinds(store: Store) -> None:
    result = _article()
    store.add(result)
    back = store.get_article_result(result.article.id)
    assert back is not None
    flags = {p.id: (p.associative, [m.kind for m in p.mentions]) for p in back.places}
    assert flags == {"p1": (False, [None]), "a1": (True, ["adjectival"]), "a2": (True, ["backed"])}
    rows = store.db.query("SELECT pid, associative FROM places ORDER BY pid")
    assert [(r["pid"], r["associative"]) for r in rows] == [("a1", 1), ("a2", 1), ("p1", 0)]
    kinds = store.db.query("SELECT pid, kind FROM place_mentions ORDER BY pid")
    assert [(r["pid"], r["kind"]) for r in kinds] == [("a1", "adjectival"), ("a2", "backed"), ("p1", None)]


def test_associative_places_are_not_in_the_catalogue_nor_event_places(store: Store) -> None:
    result = _article()
    store.add(result)
    listed = {p.name: (p.n_articles, p.n_events) for p in store.places().items}
    assert listed == {"Aleppo": (1, 1)}
    assert store.places(country="IRN").items == []
    rows = list(store.iter_events(EventFilter()))
    assert [[p.name for p in r.places] for r in rows] == [["Aleppo"]]
    # removing the article takes back only what it added
    assert store.delete(result.article.id)
    assert store.places().items == []


def test_migration_adds_the_columns_to_an_older_database(store: Store) -> None:
    store.add(_article())
    db = store.db
    with db.transaction():
        db.execute("ALTER TABLE places DROP COLUMN associative")
        db.execute("ALTER TABLE place_mentions DROP COLUMN kind")
        db.execute("DELETE FROM schema_version WHERE version = 6")
    migrate(db)
    rows = db.query("SELECT pid, associative FROM places ORDER BY pid")
    # rows stored before the migration read as literal places; new ones keep their flag
    assert {r["associative"] for r in rows} == {0}
    store.add(build(TEXT.replace("Monday", "Tuesday"), places=[
        {"id": "a1", "name": "Syria", "country": "SYR", "mentions": ["Syrian"], "associative": True,
         "kind": "adjectival"}]))
    assert db.scalar("SELECT count(*) AS n FROM place_mentions WHERE kind = 'adjectival'") == 1
