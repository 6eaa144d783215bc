"""Historic office holders and former names resolve to the right country and sector by date.

The cases are in historic_people_cases.yaml: [name, date, expected id, country, sector].
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from dragoman.kb import load_kb

CASES = yaml.safe_load((Path(__file__).parent / "historic_people_cases.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def _on(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@pytest.mark.parametrize(("name", "on", "eid", "country", "sector"), CASES,
                         ids=[f"{c[0]}@{c[1]}" for c in CASES])
def test_historic_lookup(kb, name, on, eid, country, sector):
    on = _on(on)
    found = kb.lookup(name, on=on)
    assert found, f"{name!r} is not in the knowledge base"
    assert found[0].id == eid, f"{name!r} on {on} is {found[0].id}, expected {eid}"
    res = kb.resolve(found[0], on=on)
    assert (res.country, res.sector) == (country, sector)


def test_there_are_enough_cases():
    assert len(CASES) >= 60
    assert len({c[2] for c in CASES}) >= 60
