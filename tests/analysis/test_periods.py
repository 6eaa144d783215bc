"""Dates with their precision in period views: a year never lands in a week, background dated long
before its article is not news, series stay in the news period, alerts need history and two reports."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from dragoman.analysis.data import (
    CorpusEvent,
    gc_paused,
    incidents,
    incidents_within,
    is_context,
    news_window,
    period_range,
)
from dragoman.analysis.escalation import EscalationConfig, escalation_from_events
from dragoman.analysis.trends import trends_from_events
from dragoman.records import EventDate, TimeExpr
from dragoman.store.query import ActorRef
from dragoman.timex import coarse_enough, granularity

A = ActorRef("state:a:AAA", "Alphaland", "AAA", "GOV", "state")
B = ActorRef("state:b:BBB", "Betaland", "BBB", "GOV", "state")


@pytest.mark.parametrize(("value", "want"), [
    ("2017-03-05", "day"), ("2017-03-05TMO", "day"), ("2017-W12", "week"), ("2017-03", "month"),
    ("2017-Q1", "quarter"), ("2017-SU", "quarter"), ("2017", "year"), ("201", "decade"), ("19", "century"),
    ("2025-03-01/2025-03-05", "week"), ("2023-10/2025-04", "decade"), ("P18M", None), ("PRESENT_REF", None),
    ("XXXX-WXX-1", None), ("2017-13", None), (None, None)])
def test_every_date_value_has_its_granularity(value: str | None, want: str | None) -> None:
    assert granularity(value) == want


def test_records_carry_the_granularity() -> None:
    assert EventDate("2017", "text").to_dict()["granularity"] == "year"
    assert TimeExpr("in 2017", 0, 7, "2017", "DATE").to_dict()["granularity"] == "year"
    assert TimeExpr("18 months", 0, 9, "P18M", "DURATION").to_dict()["granularity"] is None
    assert EventDate.from_dict(EventDate("2017-W02", "text").to_dict()) == EventDate("2017-W02", "text")


def test_a_date_counts_only_in_periods_at_least_as_coarse() -> None:
    assert coarse_enough("day", "week") and coarse_enough("week", "month") and coarse_enough("month", "month")
    assert not coarse_enough("year", "week") and not coarse_enough("month", "week") and not coarse_enough(None, "week")


def test_long_before_publication_is_context() -> None:
    assert is_context("1914", "2025-04-08") and is_context("2003-03-20", "2025-04-08")
    assert not is_context("2025", "2025-04-08") and not is_context("2025-03", "2025-04-08")
    assert not is_context("2024-06-01", "2025-04-08") and not is_context(None, "2025-04-08")


def ev(pk: int, day: str, *, value: str | None = None, article: str | None = None, published: str | None = None,
       event: str = "ASSAULT", quad: int = 4, intensity: float = -9.0) -> CorpusEvent:
    g = granularity(value) if value else "day"
    return CorpusEvent(pk, article or f"sha256:{pk:04d}", "ev1", event, None, quad, intensity, 0.9, day, "asserted",
                       "past", False, False, None, (A,), (B,), (), None, f"Outlet {pk}", f"Story {pk}", None,
                       "They attacked.", 0, 14, "attacked", g, published or day)


def test_trends_stay_in_the_news_period_and_say_what_they_leave_out() -> None:
    events = [ev(1, "2025-03-03"), ev(2, "2025-03-12"), ev(3, "2025-01-01", value="2025", published="2025-03-12"),
              ev(4, "2025-03-01", value="2025-03", published="2025-03-12")]
    rep = trends_from_events(events, by="week", undated=5, context=2)
    assert rep.periods == ["2025-W10", "2025-W11"]  # the publication days' weeks, not 2024-W52 for "2025"
    assert sum(c.n for c in rep.total) == 2
    cov = rep.coverage
    assert (cov.undated, cov.context, cov.coarse) == (5, 2, 2)
    assert "5 undated events not shown" in cov.notes()
    monthly = trends_from_events(events, by="month")
    assert monthly.periods == ["2025-03"] and monthly.total[0].n == 3  # the month-dated event counts here
    assert trends_from_events(events, by="week", since="2025-02-24").periods[0] == "2025-W09"  # a user range wins


def test_a_chosen_period_with_too_many_busy_periods_keeps_the_latest() -> None:
    start = date(2010, 1, 4)
    events = [ev(i, (start + timedelta(weeks=i)).isoformat()) for i in range(0, 800, 2)]  # 400 busy weeks
    periods, shown, cov = news_window(events, "week")
    y, w, _ = date.fromisoformat(events[-1].day or "").isocalendar()
    assert len(periods) == 157 and periods[-1] == f"{y}-W{w:02d}"
    assert cov.outside == len(events) - len(shown) > 0
    # what was cut is said: how many weeks, from when to when, and how to see them
    every = period_range(events[0].day or "", events[-1].day or "", "week")
    first_kept = every.index(periods[0])
    assert (cov.cut, cov.cut_first, cov.cut_last) == (first_kept, "2010-W01", every[first_kept - 1])
    note = next(n for n in cov.notes() if n.startswith(f"the first {first_kept} weeks of the news period"))
    assert f"(2010-W01 to {every[first_kept - 1]}) not drawn" in note and "group by month" in note
    assert cov.to_dict()["cut"] == {"periods": first_kept, "first": "2010-W01", "last": every[first_kept - 1]}
    # the empty week between two busy ones is a gap of one: 156 of them among the 157 weeks kept
    assert len(cov.gaps) == 156 and all(g.periods == 1 for g in cov.gaps) and cov.by == "week"
    short = news_window(events[-20:], "week")[2]
    assert short.cut == 0 and short.to_dict()["cut"] is None and not any("not drawn" in n for n in short.notes())
    assert short.gaps == ()  # a series that fits is drawn whole, its empty weeks as zeros


def sparse(step_weeks: int = 23, years: int = 8) -> list[CorpusEvent]:
    """One story every ``step_weeks`` weeks over ``years`` years, each from its own article."""
    start = date(2009, 1, 5)
    return [ev(i, (start + timedelta(weeks=i)).isoformat()) for i in range(0, years * 52, step_weeks)]


def test_a_sparse_corpus_over_years_is_covered_end_to_end() -> None:
    events = sparse()
    every = period_range(events[0].day or "", events[-1].day or "", "week")
    assert len(every) > 157  # drawn out, the weeks would exceed the cap
    periods, shown, cov = news_window(events, "week")
    assert periods[0] == every[0] and periods[-1] == every[-1] and cov.cut == 0
    assert shown == events and cov.outside == 0
    assert len(periods) == len(events)  # each week with a story, and nothing else
    # the gaps and the weeks shown are the whole news period, in order, with nothing twice
    assert len(periods) + sum(g.periods for g in cov.gaps) == len(every)
    assert [g.first for g in cov.gaps] == [every[every.index(periods[g.at - 1]) + 1] for g in cov.gaps]
    g = cov.gaps[0]
    assert (g.first, g.last, g.periods, g.at) == ("2009-W03", "2009-W24", 22, 1)
    assert g.label == "2009-W03 … 2009-W24: no events"
    d = cov.to_dict()
    assert d["gaps"][0] == {"first": "2009-W03", "last": "2009-W24", "periods": 22, "at": 1,
                            "label": "2009-W03 … 2009-W24: no events"}
    assert any(n.startswith(f"{sum(x.periods for x in cov.gaps)} weeks with no event collapsed into "
                            f"{len(cov.gaps)} gaps") for n in cov.notes())


def test_the_period_length_is_chosen_when_none_is_given() -> None:
    # Sparse: weeks still fit once the empty runs are collapsed, and nothing needs saying.
    periods, _, cov = news_window(sparse(), None)
    assert cov.by == "week" and cov.chosen is None and cov.cut == 0
    # 400 busy weeks do not fit 157: months do (about 184 months), once collapsed: none are empty
    start = date(2001, 1, 1)
    busy = [ev(i, (start + timedelta(weeks=i)).isoformat()) for i in range(0, 800, 2)]
    periods, shown, cov = news_window(busy, None)
    assert cov.by == "quarter" and cov.cut == 0 and len(shown) == len(busy)
    assert periods[0] == "2001-Q1" and periods[-1] == "2016-Q2"
    assert cov.chosen == ("grouped by quarter: the news period has 184 months with events, more than the 120 a "
                          "series shows")
    assert cov.chosen in cov.notes() and cov.to_dict()["chosen"] == cov.chosen
    rep = trends_from_events(busy, by=None)
    assert rep.by == "quarter" and sum(c.n for c in rep.total) == len(busy)
    # a user's choice is kept: the latest weeks, the rest cut and said
    assert news_window(busy, "week")[2].cut > 0


def test_after_a_gap_the_change_is_against_zero() -> None:
    rep = trends_from_events(sparse(), by="week")
    gap = rep.coverage.gaps[0]
    cell = rep.total[gap.at]
    assert cell.n == 1 and cell.change_n == 1 and cell.change_pct is None and cell.change_intensity is None
    assert rep.previous(gap.at) == gap.last and rep.previous(0) is None
    whole = trends_from_events(sparse()[-3:], by="week")  # under the cap: drawn whole
    assert not whole.coverage.gaps and whole.previous(1) == whole.periods[0]


def test_a_gap_is_quiet_for_the_baseline_as_when_drawn_out() -> None:
    # Two articles on a pair in early 2009, eight years of silence, then a burst reported by two others.
    early = [ev(1, "2009-01-06", article="sha256:a"), ev(2, "2009-01-07", article="sha256:b")]
    late = [ev(3, "2016-11-08", article="sha256:c"), ev(4, "2016-11-09", article="sha256:d")]
    cfg = EscalationConfig(min_periods=3)
    rep = escalation_from_events(early + late, by="week", level="country_dyad", config=cfg)
    assert rep.coverage.gaps and rep.coverage.periods == 2 and rep.coverage.cut == 0
    s = rep.series[0]
    assert s.periods == ["2009-W02", "2016-W45"] and s.baseline == [None, 0.0]  # the gap's weeks are zeros
    [alert] = rep.alerts
    assert alert.period == "2016-W45" and alert.baseline == 0.0 and alert.report_count == 2
    # the same baseline and z as over a news period short enough to draw every quiet week
    drawn = escalation_from_events(early + late, by="week", level="country_dyad", config=cfg,
                                   since="2016-07-01", until="2016-11-30")
    assert not drawn.coverage.gaps and drawn.series[0].baseline[-1] == 0.0
    # (over the short period the pair has no earlier report: no history, no alert)
    assert drawn.alerts == []
    # a pair seen first after the gap has no history of its own: no alert, however quiet the gap
    other = ev(5, "2009-01-06", article="sha256:e")
    other = replace(other, actors=(replace(A, key="state:c:CCC", country="CCC"),))
    rep = escalation_from_events(late + [other], by="week", level="country_dyad", config=cfg)
    assert rep.coverage.gaps and rep.alerts == []


def test_alerts_need_history_and_two_independent_reports() -> None:
    quiet = [ev(i, d, intensity=-1.0, event="ACCUSE", quad=3) for i, d in
             enumerate(["2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27", "2025-02-03"], 1)]
    one_article = [ev(10, "2025-02-10", article="sha256:x"), ev(11, "2025-02-11", article="sha256:x")]
    cfg = EscalationConfig(min_periods=3)
    rep = escalation_from_events(quiet + one_article, by="week", level="country_dyad", config=cfg)
    assert rep.alerts == []  # a rise on one article is not an alert
    two = one_article + [ev(12, "2025-02-12", article="sha256:y")]
    rep = escalation_from_events(quiet + two, by="week", level="country_dyad", config=cfg)
    assert [a.period for a in rep.alerts] == ["2025-W07"]
    alert = rep.alerts[0]
    assert {r[0] for r in alert.reports} == {"sha256:x", "sha256:y"}
    assert "2 independent reports" in alert.explanation and "Story 12" in alert.explanation
    new_pair = escalation_from_events(two, by="week", level="country_dyad", config=EscalationConfig(min_periods=0))
    assert new_pair.alerts == []  # first seen: no history of its own


def test_incidents_within_a_subset_are_those_of_the_subset() -> None:
    events = [ev(i, f"2025-03-{1 + i % 20:02d}", intensity=-float(i % 7)) for i in range(1, 60)]
    clustered = [replace(e, cluster=i % 9 if i % 3 else None) for i, e in enumerate(events)]
    incs = incidents(clustered)
    assert any(len(i.reports) > 1 for i in incs)
    for keep in (lambda e: e.pk % 2 == 0, lambda e: e.day >= "2025-03-10", lambda e: True, lambda e: False):
        subset = [e for e in clustered if keep(e)]
        assert incidents_within(incs, subset) == incidents(subset)


def test_the_collector_is_paused_inside_views_and_restored_after() -> None:
    import gc

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer view still computes
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("a view that fails")
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # off before: left off
    finally:
        gc.enable()


def test_an_alert_on_many_reports_names_the_first_and_counts_them_all() -> None:
    quiet = [ev(i, d, intensity=-1.0, event="ACCUSE", quad=3) for i, d in
             enumerate(["2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27", "2025-02-03"], 1)]
    burst = [ev(100 + k, "2025-02-11") for k in range(30)]  # thirty articles on one week's attacks
    rep = escalation_from_events(quiet + burst, by="week", level="country_dyad", config=EscalationConfig(min_periods=3))
    alert = rep.alerts[0]
    assert alert.report_count == 30 and len(alert.reports) == 25
    assert "on 30 independent reports: " in alert.explanation and alert.explanation.endswith(" and 5 more")
    d = alert.to_dict()
    assert d["n_reports"] == 30 and len(d["reports"]) == 25
