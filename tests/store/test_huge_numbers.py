"""Numbers no 64-bit column holds are stored on SQLite and PostgreSQL alike, the exact value kept."""

from __future__ import annotations

import math

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
