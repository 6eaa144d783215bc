"""Renders an ArticleResult as a readable report for a person (rich tables)."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from .records import ArticleResult

__all__ = ["render_text", "report_console"]

# Piped or redirected, the report is as wide as its widest cell: a table cell never wraps or is cut
# (a terminal's width means nothing to a file or to grep).
PIPED_WIDTH = 10_000


def report_console() -> Console:
    """Where the text report is printed: the terminal at its width (at least 100 columns, narrower
    terminals wrap cells rather than cut them); piped or redirected, one line per table row."""
    import shutil
    import sys

    if not sys.stdout.isatty():
        return Console(width=PIPED_WIDTH, soft_wrap=False)
    return Console(width=max(100, shutil.get_terminal_size((140, 40)).columns))


def _names(result: ArticleResult, ids: tuple[str, ...]) -> str:
    names = []
    for i in ids:
        e = result.entity(i)
        names.append(e.name if e else i)
    return ", ".join(names) or "—"


def render_text(result: ArticleResult) -> RenderableType:
    """A report: the article's header, actors, events, quotes, places, dates and quantities."""
    a = result.article
    parts: list[RenderableType] = []
    head = Text()
    head.append(a.title or a.source or "article", style="bold")
    head.append(f"\n{a.id[:19]}…  ")
    if a.dateline:
        head.append(f"dateline: {a.dateline.text}  ")
    head.append(f"published: {a.published or 'unknown'} ({a.published_basis})  ")
    if a.outlet:
        head.append(f"outlet: {a.outlet}  ")
    if a.wire:
        head.append(f"wire: {', '.join(a.wire)}")
    parts.append(head)

    actors = Table(title="Actors", title_justify="left", expand=False)
    for col in ("id", "name", "kind", "country", "sector", "affiliations", "mentions"):
        actors.add_column(col)
    for e in result.entities:
        affs = [f"{r.predicate} {_names(result, (r.object,))}" for r in result.relations if r.subject == e.id]
        actors.add_row(e.id, e.name + (" (anonymous)" if e.anonymous else ""), e.kind, e.country or "—",
                       e.sector or "—", "; ".join(affs) or "—", str(len(e.mentions)))
    parts.append(actors)

    events = Table(title="Events", title_justify="left")
    for col in ("id", "event", "where", "when", "modality", "who says so", "trigger"):
        events.add_column(col)
    for ev in result.events:
        arrow = f"{_names(result, ev.actor)} → {ev.event}{'/' + ev.mode if ev.mode else ''} → " \
                f"{_names(result, ev.recipient)}"
        where = ", ".join((result.place(p).name if result.place(p) else p) for p in ev.places) or "—"  # type: ignore[union-attr]
        m = ev.modality
        flags = [f for f, on in (("negated", m.negated), ("conditional", m.conditional)) if on]
        mod = ", ".join([m.certainty, m.time, *flags])
        att = "—"
        if ev.attribution:
            who = _names(result, (ev.attribution.speaker,)) if ev.attribution.speaker else "unnamed"
            att = f"{who} ({ev.attribution.type})"
        events.add_row(ev.id, arrow, where, f"{ev.date.value or '—'} ({ev.date.basis})", mod, att,
                       repr(ev.trigger.text))
    parts.append(events)

    quotes = Table(title="Quotes", title_justify="left")
    for col in ("speaker", "cue", "direct", "text"):
        quotes.add_column(col)
    for q in result.quotes:
        speaker = _names(result, (q.speaker,)) if q.speaker else (q.speaker_text or "unattributed")
        quotes.add_row(speaker, q.cue or "—", "yes" if q.direct else "reported",
                       q.text if len(q.text) < 160 else q.text[:157] + "…")
    parts.append(quotes)

    places = Table(title="Places", title_justify="left")
    for col in ("id", "name", "feature", "country", "admin1", "lat, lon"):
        places.add_column(col)
    for p in result.places:
        coords = f"{p.lat:.3f}, {p.lon:.3f}" if p.lat is not None and p.lon is not None else "—"
        places.add_row(p.id, p.name, p.feature or "—", p.country or "—", p.admin1 or "—", coords)
    parts.append(places)

    times = Table(title="Dates and times", title_justify="left")
    for col in ("text", "value", "type"):
        times.add_column(col)
    for t in result.times:
        times.add_row(t.text, t.value or "—", t.type)
    parts.append(times)

    qs = Table(title="Quantities", title_justify="left")
    for col in ("text", "value", "unit", "approximate"):
        qs.add_column(col)
    for qty in result.quantities:
        qs.add_row(qty.text, f"{qty.value:,}", qty.unit or "—", "yes" if qty.approximate else "no")
    parts.append(qs)
    return Group(*parts)
