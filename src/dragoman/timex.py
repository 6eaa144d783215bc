"""The granularity and the span of TIMEX3 date values: ``2017`` is a year, not 1 January 2017.

Pure functions over the value strings the time extractor writes (``2025-04-08``, ``2025-W14``,
``2025-04``, ``2025-Q2``, ``2025-SU``, ``2025``, ``201`` for the 2010s, ``20`` for the 20th century,
``2023-10/2025-04`` for an interval). Period statistics use them so that a date is counted only in
periods at least as coarse as itself.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

__all__ = ["GRANULARITIES", "coarse_enough", "granularity", "span_of"]

# From finest to coarsest.
GRANULARITIES: tuple[str, ...] = ("day", "week", "month", "quarter", "year", "decade", "century")
_RANK = {g: i for i, g in enumerate(GRANULARITIES)}

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(?:-WE|-\d)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-(Q[1-4]|SP|SU|FA|WI|H[12])$")
_YEAR = re.compile(r"^(\d{4})$")
_DECADE = re.compile(r"^(\d{3})X?$")
_CENTURY = re.compile(r"^(\d{2})(?:XX)?$")
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2), "H1": (1, 6), "H2": (7, 12),
                  "Q1": (1, 3), "Q2": (4, 6), "Q3": (7, 9), "Q4": (10, 12)}


def _month_end(y: int, m: int) -> date:
    return (date(y + (m == 12), m % 12 + 1, 1)) - timedelta(days=1)


def span_of(value: str | None) -> tuple[date, date] | None:
    """The first and last day a date value covers; None for durations, sets and vague references."""
    if not value:
        return None
    if "/" in value:
        left, _, right = value.partition("/")
        a, b = span_of(left), span_of(right)
        return (a[0], b[1]) if a and b else None
    try:
        if m := _DAY.match(value):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return d, d
        if m := _WEEK.match(value):
            d = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return d, d + timedelta(days=6)
        if m := _MONTH.match(value):
            y, mo = int(m[1]), int(m[2])
            return date(y, mo, 1), _month_end(y, mo)
        if m := _QUARTER.match(value):
            y = int(m[1])
            first, last = _SEASON_MONTHS[m[2]]
            if first > last:  # winter runs into the next year
                return date(y, first, 1), _month_end(y + 1, last)
            return date(y, first, 1), _month_end(y, last)
        if m := _YEAR.match(value):
            y = int(m[1])
            return date(y, 1, 1), date(y, 12, 31)
        if m := _DECADE.match(value):
            y = int(m[1]) * 10
            return date(max(y, 1), 1, 1), date(y + 9, 12, 31)
        if m := _CENTURY.match(value):
            y = int(m[1]) * 100
            return date(max(y, 1), 1, 1), date(y + 99, 12, 31)
    except ValueError:
        return None
    return None


def granularity(value: str | None) -> str | None:
    """``day``, ``week``, ``month``, ``quarter`` (also seasons and halves), ``year``, ``decade`` or
    ``century``; an interval has the granularity its length fits in. None when the value is no date."""
    if not value:
        return None
    if "/" not in value:
        for name, pattern in (("day", _DAY), ("week", _WEEK), ("month", _MONTH), ("quarter", _QUARTER),
                              ("year", _YEAR), ("decade", _DECADE), ("century", _CENTURY)):
            if pattern.match(value):
                if span_of(value) is None:
                    return None
                return "year" if value.endswith(("-H1", "-H2")) else name  # a half is more than a quarter
        return None
    span = span_of(value)
    if span is None:
        return None
    days = (span[1] - span[0]).days + 1
    for name, limit in (("day", 1), ("week", 7), ("month", 31), ("quarter", 92), ("year", 366),
                        ("decade", 3653)):
        if days <= limit:
            return name
    return "century"


def coarse_enough(value_granularity: str | None, period: str) -> bool:
    """May a date of this granularity be counted in periods of length ``period`` (week, month, …)?
    Only when the period is at least as coarse as the date: a year-only date never lands in a week."""
    if value_granularity is None:
        return False
    return _RANK[value_granularity] <= _RANK[period]
