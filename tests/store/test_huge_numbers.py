"""Numbers no 64-bit column holds are stored on SQLite and PostgreSQL alike, the exact value kept."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from store_samples import build

from dragoman.store import Store
from dragoman.store.writer import storable_number

HUGE = 10**19  # one past what a signed 64-bit integer holds
TEXT = f"Officials said {HUGE} people were killed and 10000000000000000000000000 more were displaced."


@pytest.mark.parametrize(("value", "stored"), [
    (12, 12),
    (2**63 - 1, 2**63 - 1),
    (-(2**63), -(2**63)),
    (2**63, float(2**63)),
    (10**400, 1.7976931348623157e308),
    (-(10**400), -1.7976931348623157e308),
    (float("inf"), 1.7976931348623157e308),
    (2.5, 2.5),
])
def test_numbers_become_what_a_double_precision_column_holds(value: float, stored: float) -> None:
    assert storable_number(value) == stored


def test_nan_is_stored_as_null() -> None:
    assert storable_number(math.nan) is None


def test_quantities_beyond_64_bits_are_stored_and_read_back_exactly(store: Store) -> None:
    result = build(TEXT, quantities=[(str(HUGE), HUGE, "people"),
                                     ("10000000000000000000000000", 10**25, "people")])
    assert store.add(result).status == "stored"
    back = store.get_article_result(result.article.id)
    assert back is not None and [q.value for q in back.quantities] == [HUGE, 10**25]
    rows = store.db.query("SELECT value FROM quantities ORDER BY start_off")
    assert [float(r["value"]) for r in rows] == [float(HUGE), 1e25]


def test_ingesting_an_article_with_a_number_beyond_64_bits_stores_it_and_goes_on(db_url: str, tmp_path: Path) -> None:
    from dragoman.cli import main

    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a-huge.txt").write_text(
        f"GOMA, Congo - Officials said {HUGE} people were killed when rebels shelled the town on Monday.\n",
        encoding="utf-8")
    (corpus / "b-plain.txt").write_text(
        "Police arrested 14 protesters in Nairobi on Thursday, a police spokesman said.\n", encoding="utf-8")
    assert main(["ingest", str(corpus), "--db", db_url, "-q"]) == 0
    with Store(db_url) as store:
        assert store.stats()["articles"] == 2 and store.stats()["failures"] == 0
        values = [q.value for r in store.iter_results() for q in r.quantities]
    assert HUGE in values and 14 in values
    assert main(["ingest", str(corpus), "--db", db_url, "-q"]) == 0  # a re-run finds both stored
