"""The store keeps how precise each event's date is (migration 5), on SQLite and PostgreSQL: "2017" is a
year, not the 1st of January; an event dated by its article's publication day is a day; the events
API and exports carry it; the timeline draws only what a month holds, including publication-dated
events; a new publication date makes undated events days."""

from __future__ import annotations

from store_samples import build

from dragoman.export.tables import event_flat
from dragoman.records import ArticleResult
from dragoman.store import EventFilter, Store
from dragoman.store.schema import migrate
from dragoman.web.queries import timeline

ARMY = {"id": "e1", "name": "Alphaland Army", "kind": "military", "country": "AAA", "mentions": ["Alphaland Army"]}
TEXT = ("The Alphaland Army shelled the hills, raided the town, attacked the port, burned the farms "
        "and seized the bridge, witnesses told a local radio station.")


def _article(published: str | None, text: str = TEXT) -> ArticleResult:
    events = [{"event": "ASSAULT", "trigger": t, "actor": ["e1"], **({"date": d} if d else {})}
              for t, d in (("shelled", "2017"), ("raided", "2025-04"), ("attacked", "2025-W15"),
                           ("burned", "2025-04-02"), ("seized", None))]
    return build(text, outlet="Test Wire", published=published, entities=[ARMY], events=events)


def _granularity(store: Store) -> dict[str, str | None]:
    return {r.trigger or "": r.granularity for r in store.iter_events(EventFilter())}


def test_events_keep_their_granularity_and_the_api_shows_it(store: Store) -> None:
    store.add(_article("2025-04-03"))
    assert _granularity(store) == {"shelled": "year", "raided": "month", "attacked": "week", "burned": "day",
                                   "seized": "day"}  # dated by the publication day
    rows = {r.trigger: r for r in store.iter_events(EventFilter())}
    assert rows["shelled"].day == "2017-01-01" and rows["shelled"].to_dict()["granularity"] == "year"
    assert event_flat(rows["raided"])["granularity"] == "month"


def test_timeline_draws_month_or_finer_dates_including_publication_days(store: Store) -> None:
    store.add(_article("2025-04-03"))
    data = timeline(store, EventFilter())
    # raided (month), attacked (week), burned (day) and seized (the publication day); not the year 2017
    assert sum(data.counts.get("2025-04", {}).values()) == 4
    assert data.coverage is not None and data.coverage.coarse == 1


def test_a_new_publication_date_makes_undated_events_days(store: Store) -> None:
    result = _article(None)
    store.add(result, raw_hash="raw-1")
    assert _granularity(store)["seized"] is None  # no date, no publication day
    assert store.update_metadata("raw-1", published="17 December 2016")
    assert _granularity(store)["seized"] == "day"


def test_migration_fills_the_granularity_of_stored_events(store: Store) -> None:
    store.add(_article("2025-04-03"))
    db = store.db
    with db.transaction():
        db.execute("ALTER TABLE events DROP COLUMN granularity")
        db.execute("ALTER TABLE places DROP COLUMN associative")
        db.execute("ALTER TABLE place_mentions DROP COLUMN kind")
        db.execute("DELETE FROM schema_version WHERE version >= 5")
    migrate(db)
    assert _granularity(store) == {"shelled": "year", "raided": "month", "attacked": "week", "burned": "day",
                                   "seized": "day"}


def test_a_reader_of_an_older_database_upgrades_it_first(store: Store, db_url: str) -> None:
    store.add(_article("2025-04-03"))
    db = store.db
    with db.transaction():
        db.execute("ALTER TABLE events DROP COLUMN granularity")
        db.execute("ALTER TABLE places DROP COLUMN associative")
        db.execute("ALTER TABLE place_mentions DROP COLUMN kind")
        db.execute("DELETE FROM schema_version WHERE version >= 5")
    # the dashboard opens the store read-only: it must still find the columns its queries read
    with Store(db_url, readonly=True) as reader:
        data = timeline(reader, EventFilter())
        assert sum(data.counts.get("2025-04", {}).values()) == 4
        assert _granularity(reader)["shelled"] == "year"


def test_a_timeline_longer_than_it_draws_collapses_its_empty_months(store: Store) -> None:
    store.add(_article("2025-04-03"))
    other = ("In a long night the Alphaland Army shelled villages, raided a market, attacked a convoy, burned "
             "crops and seized a dam near the border, officials in the capital said on Tuesday.")
    store.add(_article("2009-06-30", other))  # sixteen years earlier
    data = timeline(store, EventFilter())
    cov = data.coverage
    # the whole news period: both months with events, the 189 empty ones between them one gap
    assert cov is not None and (cov.first, cov.last, cov.by, cov.cut) == ("2009-06", "2025-04", "month", 0)
    assert data.periods == ["2009-06", "2025-04"] and set(data.counts) == {"2009-06", "2025-04"}
    [gap] = cov.gaps
    assert (gap.first, gap.last, gap.periods, gap.at) == ("2009-07", "2025-03", 189, 1)
    assert any(n.startswith("189 months with no event collapsed into 1 gap") for n in cov.notes())
    assert not any("not drawn" in n for n in cov.notes())
    assert "0 undated events not shown" in cov.notes()


def test_a_timeline_with_too_many_busy_months_counts_quarters_and_says_so(store: Store) -> None:
    # 130 monthly stories (2010-01 to 2020-10): more months with events than the 120 a series shows
    months = [f"{2010 + i // 12}-{i % 12 + 1:02d}" for i in range(130)]
    store.add_many([build(f"Report {i}: {TEXT}", outlet="Test Wire", published=f"{m}-15", entities=[ARMY],
                          events=[{"event": "ASSAULT", "trigger": "seized", "actor": ["e1"]}])
                    for i, m in enumerate(months)], dedupe=False)
    data = timeline(store, EventFilter())
    cov = data.coverage
    assert (cov.by, cov.first, cov.last, cov.cut, cov.gaps) == ("quarter", "2010-Q1", "2020-Q4", 0, ())
    assert cov.chosen and "130 months with events, more than the 120" in cov.chosen and cov.chosen in cov.notes()
    assert len(data.periods) == 44 and sum(sum(c.values()) for c in data.counts.values()) == 130
    assert data.counts["2010-Q1"] == {"ASSAULT": 3}
    # a user's range of ten years fits in months again
    ten = timeline(store, EventFilter(since="2011-01", until="2020-10"))
    assert ten.coverage.by == "month" and ten.coverage.chosen is None and len(ten.periods) == 118
