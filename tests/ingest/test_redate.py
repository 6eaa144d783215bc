"""A stored result on a new publication date, without a new analysis (dragoman.redate): the time
values, event dates, their granularity and the historical flag are those a full analysis on that
date gives; where the stored result cannot tell, nothing is guessed (None: analyse again)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from dragoman.analyse import analyse
from dragoman.redate import redate_result

# Written for these tests: relative days, weeks and years, weekdays looking back and forward, a
# year alone, a month without a year, historical years, a quarter, a dateline.
TEXTS = [
    "Gunmen attacked a police checkpoint near Mosul yesterday, killing three officers, the Interior Ministry "
    "said. Last week, militants kidnapped two engineers in Kirkuk. The army retook the town in 2017.",
    "Protesters marched through Nairobi on Monday. Police will meet community leaders on Friday. Last year "
    "police arrested hundreds of protesters, and in 1998 a bomb destroyed the embassy.",
    "KHARTOUM, March 4 (Reuters) - The ministry said on Tuesday that the rebels had shelled the city last "
    "month. In 2014 the same group seized the airport. Talks are due to resume next week.",
    "Fighting broke out over the weekend in Goma. Earlier this year the rebels captured the town; in 2012 "
    "they held it for ten days. The council will vote in the third quarter, and elections follow in June.",
]
DAYS = [None, "2016-02-29", "2025-06-03"]


def _comparable(result: Any) -> dict[str, Any]:
    d = result.to_dict()
    d.pop("meta")
    return d


@pytest.mark.parametrize("text", TEXTS, ids=["yesterday", "weekdays", "dateline", "quarter"])
def test_a_new_date_gives_what_a_full_analysis_on_that_date_gives(text: str, pipeline: Any) -> None:
    fresh = {day: analyse(text, published=day, pipeline=pipeline) for day in DAYS if day}
    moved = 0
    for first in DAYS:
        stored = analyse(text, published=first, pipeline=pipeline)
        for day, full in fresh.items():
            if day == first:
                continue
            redated = redate_result(stored, day, kb=pipeline.kb)
            assert redated is not None, (first, day)
            assert _comparable(redated) == _comparable(full), (first, day)
            moved += any(a.value != b.value for a, b in zip(stored.times, redated.times, strict=True))
    assert moved >= 4  # relative expressions took new values, absolute ones kept theirs


def test_relative_values_granularity_and_history_follow_the_date(pipeline: Any) -> None:
    stored = analyse(TEXTS[1], pipeline=pipeline)
    assert {t.text: t.value for t in stored.times}["Last year"] is None
    redated = redate_result(stored, "2025-06-03", kb=pipeline.kb)
    assert redated is not None
    times = {t.text: t for t in redated.times}
    assert times["Monday"].value == "2025-06-02" and times["Monday"].direction == "past"
    assert times["Friday"].value == "2025-06-06" and times["Friday"].direction == "future"  # "will meet"
    assert (times["Last year"].value, times["Last year"].granularity) == ("2024", "year")
    assert times["1998"].value == "1998"
    by_year = {e.date.value: e for e in redated.events}
    assert by_year["1998"].modality.time == "historical"  # background on this date
    assert by_year["2024"].modality.time == "past"  # last year: the news period's past, not history
    early = redate_result(stored, "1999-05-01", kb=pipeline.kb)  # published the next year
    assert early is not None
    assert {e.date.value: e.modality.time for e in early.events}["1998"] == "past"


def test_what_the_stored_result_cannot_tell_is_left_to_a_new_analysis(pipeline: Any) -> None:
    # "since October" is an interval only once there is a date: a new expression, not a new value
    since = analyse("Militias have attacked the base twelve times since October, officials said.", pipeline=pipeline)
    assert redate_result(since, "2025-06-03", kb=pipeline.kb) is None
    # the office an actor holds depends on the day: the same office on the new day is re-dated, a
    # day on which it was not held leaves the actor (its country, its sector) to a new analysis
    text = "John Kerry met the Iraqi foreign minister in Baghdad on Monday, the State Department said."
    office = analyse(text, pipeline=pipeline)
    in_office = redate_result(office, "2015-06-03", kb=pipeline.kb)
    assert in_office is not None
    assert _comparable(in_office) == _comparable(analyse(text, published="2015-06-03", pipeline=pipeline))
    assert redate_result(office, "2019-06-03", kb=pipeline.kb) is None
    assert redate_result(office, "2019-06-03") is not None  # without the knowledge base: not checked
    # a result stored by a version that kept no cues for re-dating
    assert redate_result(replace(office, meta=()), "2015-06-03") is None
