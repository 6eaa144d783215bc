"""An event dated to a quarter, a season or a decade is dated, not undated: the store gives it the
first day it covers and its granularity, so the views count it in periods coarse enough for it (or
as background when it is long before its article), and never as an undated event."""

from __future__ import annotations

from store_samples import build

from dragoman.analysis.data import load_events
from dragoman.store import EventFilter, Store
from dragoman.store.writer import day_of

ARMY = {"id": "e1", "name": "Alphaland Army", "kind": "military", "country": "AAA", "mentions": ["Alphaland Army"]}
TEXT = "The Alphaland Army shelled the hills, raided the town, attacked the port and burned the farms."


def test_day_of_every_granularity() -> None:
    assert day_of("2023-04-09") == "2023-04-09"
    assert day_of("2023-W15") == "2023-04-10"
    assert day_of("2023-04") == "2023-04-01"
    assert day_of("2023-Q2") == "2023-04-01"
    assert day_of("2023-SU") == "2023-06-01"
    assert day_of("2023-WI") == "2023-12-01"  # winter runs into the next year
    assert day_of("2023-H2") == "2023-07-01"
    assert day_of("2023") == "2023-01-01"
    assert day_of("199") == "1990-01-01"
    assert day_of("2023-Q2/2023-Q3") == "2023-04-01"
    for vague in ("PRESENT_REF", "P3D", "XXXX-04", "2023-Q5", ""):
        assert day_of(vague) is None, vague


def test_quarters_seasons_and_decades_are_stored_dated(store: Store) -> None:
    events = [{"event": "ASSAULT", "trigger": t, "actor": ["e1"], "date": d}
              for t, d in (("shelled", "2024-Q4"), ("raided", "2024-FA"), ("attacked", "199"), ("burned", None))]
    store.add(build(TEXT, outlet="Test Wire", published=None, entities=[ARMY], events=events))
    rows = {r.trigger: r for r in store.iter_events(EventFilter())}
    assert (rows["shelled"].day, rows["shelled"].granularity) == ("2024-10-01", "quarter")
    assert (rows["raided"].day, rows["raided"].granularity) == ("2024-09-01", "quarter")
    assert (rows["attacked"].day, rows["attacked"].granularity) == ("1990-01-01", "decade")
    assert rows["burned"].day is None  # no date of its own and no publication day: undated
    counts: dict[str, int] = {}
    loaded = load_events(store, EventFilter(), counts=counts)
    assert counts["undated"] == 1
    assert {e.trigger for e in loaded} == {"shelled", "raided", "attacked"}
