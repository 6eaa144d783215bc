"""Article text as HTML with entities, places, quotes, event triggers and arguments marked by offsets.

Untrusted text never passes through unescaped: the text is cut at every span boundary and each
piece is escaped on its own, then wrapped in a ``<span>`` whose classes and attributes are also
escaped. Overlapping spans are allowed; a piece carries the classes of every span covering it.
Data attributes named in ``MULTI`` (the brief's evidence sentences) collect the values of every span
covering a piece, space-separated, so that ``[data-evidence~="s-10-80"]`` finds all of a sentence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

__all__ = ["MULTI", "Span", "article_spans", "highlight"]

MULTI = frozenset({"evidence"})


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    cls: str  # one of: entity, place, quote, trigger, arg-actor, arg-recipient, time
    title: str = ""
    data: Mapping[str, str] = field(default_factory=dict)


def highlight(text: str, spans: list[Span], anchors: Mapping[int, Sequence[str]] | None = None) -> Markup:
    """The text as escaped HTML with every span marked; offsets outside the text are ignored.

    ``anchors`` maps offsets to element ids: an empty ``<span class="anchor" id=…>`` is placed there,
    so that links can jump to a sentence without adding any character to the text.
    """
    n = len(text)
    valid = [s for s in spans if 0 <= s.start < s.end <= n]
    marks = {k: v for k, v in (anchors or {}).items() if 0 <= k < n}
    cuts = sorted({0, n, *(s.start for s in valid), *(s.end for s in valid), *marks})
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        for ident in marks.get(a, ()):
            out.append(f'<span class="anchor" id="{escape(ident)}"></span>')
        piece = escape(text[a:b])
        active = [s for s in valid if s.start <= a and s.end >= b]
        if not active:
            out.append(str(piece))
            continue
        classes = " ".join(sorted({"hl-" + s.cls for s in active}))
        titles = "; ".join(dict.fromkeys(s.title for s in active if s.title))
        data: dict[str, str] = {}
        for s in active:
            for k, v in s.data.items():
                if k in MULTI and k in data:
                    data[k] = " ".join(dict.fromkeys([*data[k].split(), v]))
                else:
                    data[k] = v
        attrs = "".join(f' data-{escape(k)}="{escape(v)}"' for k, v in sorted(data.items()))
        title = f' title="{escape(titles)}"' if titles else ""
        out.append(f'<span class="{escape(classes)}"{title}{attrs}>{piece}</span>')
    return Markup("".join(out))


def article_spans(result: Mapping[str, Any]) -> list[Span]:
    """Spans for everything the analysis found in an article result (the dict of the JSON contract)."""
    spans: list[Span] = []
    entities = {e["id"]: e for e in result.get("entities", [])}
    for e in entities.values():
        label = f"{e.get('name')} ({e.get('kind') or 'entity'}{', ' + e['country'] if e.get('country') else ''})"
        for m in e.get("mentions", []):
            spans.append(Span(m["start"], m["end"], "entity", label, {"entity": str(e["id"])}))
    for p in result.get("places", []):
        what = "place named associatively" if p.get("associative") else "place"
        label = f"{what}: {p.get('name')}{', ' + p['country'] if p.get('country') else ''}"
        for m in p.get("mentions", []):
            spans.append(Span(m["start"], m["end"], "place", label, {"place": str(p["id"])}))
    for q in result.get("quotes", []):
        who = q.get("speaker_text") or "unattributed"
        kind = "direct quote" if q.get("direct") else "reported speech"
        if q.get("start") is not None and q.get("end") is not None:
            spans.append(Span(q["start"], q["end"], "quote", f"{kind}: {who}"))
    for ev in result.get("events", []):
        trig = ev.get("trigger") or {}
        if trig.get("start") is not None:
            spans.append(
                Span(trig["start"], trig["end"], "trigger", f"{ev.get('event')} (quad {ev.get('quad')})",
                     {"event": str(ev["id"])})
            )
        sent = ev.get("sentence") or {}
        lo, hi = sent.get("start", 0), sent.get("end", 0)
        for role in ("actor", "recipient"):
            for eid in ev.get(role, []):
                ent = entities.get(eid)
                if ent is None:
                    continue
                for m in ent.get("mentions", []):
                    # An argument is marked where it is named in the event's own sentence.
                    if lo <= m["start"] and m["end"] <= hi:
                        spans.append(Span(m["start"], m["end"], "arg-" + role,
                                          f"{role} of {ev.get('event')}", {"event": str(ev["id"])}))
    for t in result.get("times", []):
        if t.get("start") is not None and t.get("end") and t["end"] > t["start"]:
            spans.append(Span(t["start"], t["end"], "time", f"time: {t.get('value') or ''}"))
    return spans
