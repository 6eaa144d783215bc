"""Regression tests on the project's own gold articles (issue 2: other kinds of article than the reference).

Each examples/<name>.txt is analysed with its gold publication date passed as ``published=`` (as in
the held-out protocol) and scored against tests/gold/<name>.gold.yaml with
:func:`dragoman.evaluate.article.score_article`. Every figure must stay at or above a floor set
``goldset.MARGIN`` below the one recorded in figures.json. After a change meant to move the figures,
re-record them with ``python benchmarks/record_gold.py`` and commit figures.json with the change.
Run with ``-s`` to see the table of measured figures.
"""

from __future__ import annotations

import json

import goldset
import pytest

from dragoman.clean import clean_article
from dragoman.evaluate.article import load_gold

NAMES = goldset.gold_names()


def test_there_are_gold_articles_of_each_kind() -> None:
    assert len(NAMES) >= 6
    for name in NAMES:
        assert goldset.article_path(name).is_file(), f"no article for {name}"


@pytest.mark.parametrize("name", NAMES)
def test_gold_file_is_scorable(name: str) -> None:
    """Every evidence, quote, time and quantity is found in the cleaned text; every key is defined."""
    gold = load_gold(goldset.gold_path(name))
    text = clean_article(goldset.article_path(name).read_bytes(), published=gold["document"]["published"]).text
    assert goldset.gold_problems(gold, text) == []
    words = len(goldset.article_path(name).read_text(encoding="utf-8").split())
    assert 250 <= words <= 480, f"{name}: {words} words"
    assert any(ev.get("core") for ev in gold["events"])


def test_figures_json_covers_every_gold_file() -> None:
    assert sorted(goldset.recorded()) == NAMES, "figures.json is out of date: run benchmarks/record_gold.py"


@pytest.mark.parametrize("name", NAMES)
def test_figures_do_not_drop_below_floors(name: str, gold_measured: dict[str, goldset.Measured]) -> None:
    recorded = goldset.recorded().get(name)
    assert recorded is not None, "figures.json is out of date: run benchmarks/record_gold.py"
    measured = gold_measured[name].figures
    dropped = {
        key: {"recorded": value, "floor": goldset.floor(value), "measured": measured.get(key)}
        for key, value in recorded.items()
        if key in goldset.COLUMNS and measured.get(key, 0.0) < goldset.floor(value)
    }
    assert not dropped, f"{name}: figures below their floors: " + json.dumps(dropped)


@pytest.mark.parametrize("name", NAMES)
def test_publication_date_is_the_one_given(name: str, gold_measured: dict[str, goldset.Measured]) -> None:
    assert gold_measured[name].figures["published_ok"] == 1.0


def test_print_figures_table(gold_measured: dict[str, goldset.Measured]) -> None:
    rows = [gold_measured[name] for name in NAMES]
    print("\n" + goldset.table(rows))
    assert all(0.0 <= r.figures["events_f1"] <= 1.0 for r in rows)
