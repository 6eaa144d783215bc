"""Charts for reports: trend bars and escalation lines, drawn with matplotlib's Agg backend as PNG."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from .data import Gap
from .escalation import EscalationReport
from .trends import QUAD_NAMES, TrendReport

__all__ = ["escalation_chart", "trend_chart"]

_QUAD_COLOURS = {1: "#7fb3d5", 2: "#1f618d", 3: "#f5b041", 4: "#c0392b"}


def _figure() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # no display on servers; must precede pyplot
    import matplotlib.pyplot as plt

    return plt


MAX_TICKS = 16  # period labels on an axis; more overlap, and drawing each costs time


def _ticks(ax: Any, periods: list[str], gaps: Sequence[Gap] = ()) -> None:
    """Period labels (the first and the last always), and a dashed line where a gap of empty periods
    was collapsed between two of them."""
    step = max(1, -(-len(periods) // MAX_TICKS))
    shown = list(range(0, len(periods), step))
    if periods and shown[-1] != len(periods) - 1:
        shown = [i for i in shown if len(periods) - 1 - i >= step / 2] + [len(periods) - 1]
    ax.set_xticks(shown, [periods[i] for i in shown], rotation=45, ha="right", fontsize=8)
    for g in gaps:
        ax.axvline(g.at - 0.5, color="grey", linestyle=":", linewidth=1)


def _png(fig: Any, plt: Any) -> bytes:
    """The figure as PNG. Fixed margins instead of ``tight_layout``, which measures every label's
    text (half the cost of a chart; the labels here are periods and short names of known length),
    and fast zlib compression (a chart of flat colours compresses almost as well at level 1)."""
    fig.subplots_adjust(left=0.08, right=0.89, bottom=0.22, top=0.91)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", pil_kwargs={"compress_level": 1})
    plt.close(fig)
    return buf.getvalue()


_CACHE: dict[tuple[Any, ...], bytes] = {}
_CACHE_SIZE = 16


def _cached(key: tuple[Any, ...], draw: Any) -> bytes:
    """A chart drawn once per content: a dashboard asks for the same brief again and again, and
    drawing costs more than all the counting behind it. The key is everything the chart shows."""
    png = _CACHE.get(key)
    if png is None:
        png = _CACHE[key] = draw()
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
    return png


def trend_chart(trend: TrendReport) -> bytes:
    """Stacked bars of incidents per period by quad class, with the mean intensity as a line."""
    key = ("trend", tuple(trend.periods), trend.coverage.gaps,
           tuple((q, tuple(c.incidents for c in cs)) for q, cs in sorted(trend.quad.items())),
           tuple(c.mean_intensity for c in trend.total))
    return _cached(key, lambda: _trend_chart(trend))


def _trend_chart(trend: TrendReport) -> bytes:
    plt = _figure()
    fig, ax = plt.subplots(figsize=(8, 3.6), dpi=100)
    x = list(range(len(trend.periods)))
    bottom = [0] * len(x)
    quads = sorted(trend.quad)
    if len(x) > 60:  # a long series: one stepped band per quad class instead of hundreds of bars
        ax.stackplot(x, *[[c.incidents for c in trend.quad[q]] for q in quads], step="mid",
                     colors=[_QUAD_COLOURS.get(q, "grey") for q in quads],
                     labels=[QUAD_NAMES.get(q, str(q)) for q in quads])
        quads = []
    for q in quads:
        vals = [c.incidents for c in trend.quad[q]]
        ax.bar(x, vals, bottom=bottom, color=_QUAD_COLOURS.get(q, "grey"), label=QUAD_NAMES.get(q, str(q)))
        bottom = [b + v for b, v in zip(bottom, vals, strict=True)]
    ax.set_ylabel("incidents")
    _ticks(ax, trend.periods, trend.coverage.gaps)
    ax2 = ax.twinx()
    means = [c.mean_intensity for c in trend.total]
    ax2.plot([i for i, m in zip(x, means, strict=True) if m is not None], [m for m in means if m is not None],
             color="black", marker="o", linewidth=1, label="mean intensity")
    ax2.set_ylim(-10, 10)
    ax2.axhline(0, color="grey", linewidth=0.5)
    ax2.set_ylabel("mean intensity")
    ax.legend(loc="upper left", fontsize=7)
    ax.set_title(f"Events per {trend.by}" + (" (dotted lines: periods with no event collapsed)"
                                             if trend.coverage.gaps else ""))
    return _png(fig, plt)


def escalation_chart(esc: EscalationReport, *, top: int = 4) -> bytes:
    """The escalation index of the heaviest units over time, alerts marked with a triangle."""
    key = ("escalation", tuple(sorted((a.unit, a.period) for a in esc.alerts)),
           tuple((s.unit, s.label, tuple(s.periods), tuple(s.index)) for s in esc.series[:top]),
           tuple(esc.series[0].periods) if esc.series else (), esc.coverage.gaps)
    return _cached(key, lambda: _escalation_chart(esc, top))


def _escalation_chart(esc: EscalationReport, top: int) -> bytes:
    plt = _figure()
    fig, ax = plt.subplots(figsize=(8, 3.6), dpi=100)
    alerts = {(a.unit, a.period) for a in esc.alerts}
    periods = esc.series[0].periods if esc.series else []
    x = list(range(len(periods)))
    for s in esc.series[:top]:
        ax.plot(x, s.index, marker=".", label=s.label[:40])
        hits = [(i, v) for i, (p, v) in enumerate(zip(s.periods, s.index, strict=True)) if (s.unit, p) in alerts]
        if hits:
            ax.scatter([h[0] for h in hits], [h[1] for h in hits], marker="^", s=80, color="red", zorder=3)
    _ticks(ax, periods, esc.coverage.gaps if periods else ())
    ax.set_ylabel("escalation index")
    ax.set_title("Escalation index (alerts marked ▲" + ("; dotted lines: quiet periods collapsed)"
                                                         if esc.coverage.gaps and periods else ")"))
    if esc.series:
        ax.legend(loc="upper left", fontsize=7)
    return _png(fig, plt)
