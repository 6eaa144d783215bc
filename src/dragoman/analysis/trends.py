"""Event counts and mean intensity over time, by PLOVER type and quad class, with change per period.

Counts are given twice: ``n`` reports (every coded mention) and ``incidents`` (distinct real-world
events, one per store cluster), so one event copied by ten outlets shows as ten reports but one
incident. Negated events ("did not attack"), historical background and material acts that are only
expected ("preparing an attack", "will withdraw") are left out: they are not events of the period
(the threats and promises about them are, as verbal events). Mean intensity is over reports.
Empty periods between the first and last one are present with zero counts and no mean, so that a
rise is measured against real quiet periods; when a series is longer than it may be drawn, runs of
them are collapsed into gaps (``coverage.gaps``), and the period after a gap is measured against zero.
With no period length given, the finest whose periods with events fit is chosen (week, month,
quarter, year) and the coverage says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from math import fsum
from typing import Any

from ..store import EventFilter, Store
from .data import CorpusEvent, Coverage, Gap, load_events, news_window, period_of, with_gc_paused

__all__ = ["Cell", "TrendReport", "gap_row", "trends", "trends_from_events"]

QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


@dataclass(frozen=True, slots=True)
class Cell:
    """One period of one series."""

    period: str
    n: int
    incidents: int
    mean_intensity: float | None
    change_n: int | None  # against the previous period; None for the first
    change_pct: float | None  # None when the previous period had no event
    change_intensity: float | None

    def to_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__slots__}


@dataclass(frozen=True, slots=True)
class TrendReport:
    by: str
    periods: list[str]
    total: list[Cell]
    quad: dict[int, list[Cell]] = field(default_factory=dict)
    type: dict[str, list[Cell]] = field(default_factory=dict)
    selection: dict[str, Any] = field(default_factory=dict)
    coverage: Coverage = field(default_factory=lambda: Coverage(None, None))

    def last_change(self) -> Cell | None:
        return self.total[-1] if self.total else None

    def previous(self, i: int) -> str | None:
        """The period before ``periods[i]``: the last of a gap when one stands between."""
        for g in self.coverage.gaps:
            if g.at == i:
                return g.last
        return self.periods[i - 1] if 0 < i < len(self.periods) else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "selection": self.selection,
            "periods": self.periods,
            "total": [c.to_dict() for c in self.total],
            "quad": {str(q): [c.to_dict() for c in cs] for q, cs in sorted(self.quad.items())},
            "quad_names": {str(q): n for q, n in QUAD_NAMES.items()},
            "type": {t: [c.to_dict() for c in cs] for t, cs in sorted(self.type.items())},
            "coverage": self.coverage.to_dict(),
        }

    def rows(self) -> list[dict[str, Any]]:
        """Flat rows (series, key, period, figures) for tables and CSV, as the page shows them: one per
        period, and one per collapsed gap of empty periods where it stands (``row`` is ``gap``: its
        first and last period, how many it holds, no events), so a reader of the rows sees the same
        series as a reader of the page. A period row's ``last`` is itself and ``periods`` 1."""
        series = [("total", "all", self.total)]
        series += [("quad", str(q), cs) for q, cs in sorted(self.quad.items())]
        series += [("type", t, cs) for t, cs in sorted(self.type.items())]
        gaps = {g.at: g for g in self.coverage.gaps}
        out: list[dict[str, Any]] = []
        for name, key, cells in series:
            for i, c in enumerate(cells):
                if i in gaps:
                    out.append(gap_row(gaps[i], series=name, key=key, n=0, incidents=0))
                out.append({"series": name, "key": key, "row": "period", **c.to_dict(), "last": c.period,
                            "periods": 1})
        return out


def gap_row(gap: Gap, **values: Any) -> dict[str, Any]:
    """The row of a collapsed gap in a table of periods: marked ``row: gap``, from its first to its
    last period, with how many periods it holds and the page's label ("… : no events")."""
    return {**values, "row": "gap", "period": gap.first, "last": gap.last, "periods": gap.periods,
            "note": gap.label}


def _series(periods: list[str], buckets: dict[str, list[CorpusEvent]], gaps: Sequence[Gap] = ()) -> list[Cell]:
    cells: list[Cell] = []
    prev: Cell | None = None
    after_gap = {g.at: g for g in gaps}
    for i, p in enumerate(periods):
        if i in after_gap:  # the period before is the gap's last: no event, no mean
            prev = Cell(after_gap[i].last, 0, 0, None, None, None, None)
        es = buckets.get(p, [])
        n = len(es)
        inc = len({(e.cluster if e.cluster is not None else -e.pk) for e in es})
        mean = round(fsum([e.intensity for e in es]) / n, 3) if es else None  # statistics.fmean, faster
        if prev is None:
            ch_n, ch_pct, ch_int = None, None, None
        else:
            ch_n = n - prev.n
            ch_pct = round(100.0 * ch_n / prev.n, 1) if prev.n else None
            ch_int = (
                round(mean - prev.mean_intensity, 3)
                if mean is not None and prev.mean_intensity is not None
                else None
            )
        cell = Cell(p, n, inc, mean, ch_n, ch_pct, ch_int)
        cells.append(cell)
        prev = cell
    return cells


def trends_from_events(events: list[CorpusEvent], *, by: str | None = "week", since: str | None = None,
                       until: str | None = None, undated: int = 0, context: int = 0) -> TrendReport:
    """The trend report of already loaded events (negated ones are dropped here), over the news
    period (see :func:`~dragoman.analysis.data.news_window`; ``by`` None chooses the period length)."""
    events = [e for e in events if not e.negated and e.day
              and not (e.tense == "future" and e.quad in {2, 4})]
    periods, events, coverage = news_window(events, by, since=since, until=until, undated=undated,
                                            context=context)
    by = coverage.by or "week"
    if not periods:
        return TrendReport(by, [], [], coverage=coverage)
    # One pass puts every event in its period of the total, of its quad class and of its type.
    total: dict[str, list[CorpusEvent]] = {}
    by_quad: dict[int, dict[str, list[CorpusEvent]]] = {}
    by_type: dict[str, dict[str, list[CorpusEvent]]] = {}
    for e in events:
        p = period_of(e.day or "", by)
        total.setdefault(p, []).append(e)
        by_quad.setdefault(e.quad, {}).setdefault(p, []).append(e)
        by_type.setdefault(e.event, {}).setdefault(p, []).append(e)
    return TrendReport(
        by,
        periods,
        _series(periods, total, coverage.gaps),
        {q: _series(periods, by_quad[q], coverage.gaps) for q in sorted(by_quad)},
        {t: _series(periods, by_type[t], coverage.gaps) for t in sorted(by_type)},
        coverage=coverage,
    )


@with_gc_paused
def trends(
    store: Store,
    f: EventFilter | None = None,
    *,
    by: str | None = "week",
    dyad: tuple[str, str] | None = None,
) -> TrendReport:
    """Counts and mean intensity per period for the events matching ``f`` (and ``dyad``); ``by``
    None chooses the period length."""
    f = f or EventFilter()
    counts: dict[str, int] = {}
    events = load_events(store, f, dyad=dyad, include_negated=False, counts=counts)
    report = trends_from_events(events, by=by, since=f.since, until=f.until, **counts)
    selection = {k: v for k, v in ((s, getattr(f, s)) for s in f.__slots__) if v is not None}
    if dyad:
        selection["dyad"] = list(dyad)
    return TrendReport(report.by, report.periods, report.total, report.quad, report.type, selection,
                       report.coverage)
