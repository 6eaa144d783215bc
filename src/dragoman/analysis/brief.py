"""The one-article brief: a short analyst's note drafted from a coded ArticleResult, never invented.

A :class:`Brief` is a list of :class:`Statement` records in four sections:

- ``main``: the main development in one sentence (who, what, to whom, where, when);
- ``solidity``: how solid it is (sources, named or anonymous, hedged or asserted, conditional or
  denied claims);
- ``context``: what the article itself gives as context (affiliations stated in the text, earlier
  events it mentions);
- ``watch``: what to watch (threats and their conditions, announced intentions, deadlines, ongoing
  observable actions).

Every statement carries the character offsets of the sentences it rests on, the ids of the events,
entities and places it is about, and a ``kind`` that says what sort of fact it is, so that a reader
(or a test) can check each claim against the article and its coding.

How the main development is chosen (the significance score)
-----------------------------------------------------------
For every event ``e``::

    significance(e) = (0.35 * lead + 0.20 * confidence + 0.25 * |intensity| / 10 + 0.20 * time)
                      * modality * (0.7 if e has no actor else 1)

- ``lead = 1 / (1 + i / 2)`` where ``i`` is the index of the event's sentence in the article: news
  writing puts the main development first (the inverted pyramid), so sentence 0 counts 1.0,
  sentence 2 counts 0.5.
- ``confidence`` is the coder's confidence, ``intensity`` the PLOVER conflict-cooperation score.
- ``time`` is 1.0 for future and ongoing events, 0.7 for past ones and 0.1 for historical
  background: a brief is about what is happening and what comes next.
- ``modality`` is 0.2 for a negated event (a denial is not a development) and 0.5 for a conditional
  one (a threat or a proposal is something to watch, not something that happened); hedging does not
  lower the score, it is reported under ``solidity``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..records import ArticleResult, Entity, Event, Offsets

__all__ = [
    "Brief",
    "Statement",
    "article_brief",
    "brief_dict",
    "render_brief_html",
    "render_brief_markdown",
    "render_brief_text",
    "significance",
]

SECTIONS: dict[str, str] = {
    "main": "Main development",
    "solidity": "How solid it is",
    "context": "Context from the article",
    "watch": "What to watch",
}

# Material events (quads 2 and 4) that are still going on can be seen by an observer on the ground.
_MATERIAL_QUADS = {2, 4}
_COOPERATION_QUADS = {1, 2}
_TIME_WEIGHT = {"future": 1.0, "ongoing": 1.0, "past": 0.7, "historical": 0.1}
_CONDITION_RE = re.compile(r"\b(if|unless|should|provided that|in case|otherwise)\b", re.IGNORECASE)
_DEADLINE_CUE_RE = re.compile(r"\b(by|before|until|within|deadline|no later than|ultimatum)\b\W*$", re.I)
_SENTENCE_END_RE = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n+")


@dataclass(frozen=True, slots=True)
class Statement:
    """One line of a brief: its text, what kind of fact it is, and the sentences it rests on."""

    section: str  # main | solidity | context | watch
    kind: str
    text: str
    evidence: tuple[Offsets, ...] = ()
    events: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    places: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "kind": self.kind,
            "text": self.text,
            "evidence": [o.to_dict() for o in self.evidence],
            "events": list(self.events),
            "entities": list(self.entities),
            "places": list(self.places),
        }


@dataclass(frozen=True, slots=True)
class Brief:
    """A drafted note on one article; ``text`` is the article text the evidence offsets index."""

    article_id: str
    source: str | None
    title: str | None
    published: str | None
    text: str
    statements: tuple[Statement, ...] = ()
    main_event: str | None = None
    scores: tuple[tuple[str, float], ...] = field(default=())

    def section(self, name: str) -> list[Statement]:
        return [s for s in self.statements if s.section == name]

    def kinds(self, kind: str) -> list[Statement]:
        return [s for s in self.statements if s.kind == kind]

    def quote(self, span: Offsets) -> str:
        return self.text[span.start : span.end].strip()

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "source": self.source,
            "title": self.title,
            "published": self.published,
            "main_event": self.main_event,
            "scores": dict(self.scores),
            "statements": [
                {**s.to_dict(), "quotes": [self.quote(o) for o in s.evidence]} for s in self.statements
            ],
        }


# ------------------------------------------------------------------------------------- the scoring


def sentence_spans(text: str) -> list[Offsets]:
    """Rough sentence boundaries, used only where an offset lies outside every coded sentence."""
    spans, start = [], 0
    for m in _SENTENCE_END_RE.finditer(text):
        end = m.start() + 1 if text[m.start()] in ".!?" else m.start()
        # keep closing quotes with their sentence
        while end < len(text) and text[end] in "\"”’')]":
            end += 1
        if text[start:end].strip():
            spans.append(Offsets(start, end))
        start = m.end()
    if text[start:].strip():
        spans.append(Offsets(start, len(text)))
    return spans


def _sentence_index(spans: Sequence[Offsets], pos: int) -> int:
    for i, s in enumerate(spans):
        if s.start <= pos < s.end:
            return i
    return sum(1 for s in spans if s.end <= pos)


def significance(event: Event, sentence_index: int) -> float:
    """The documented significance score of one event (see the module docstring)."""
    lead = 1.0 / (1.0 + sentence_index / 2.0)
    m = event.modality
    base = (
        0.35 * lead
        + 0.20 * max(0.0, min(1.0, event.confidence))
        + 0.25 * min(1.0, abs(event.intensity) / 10.0)
        + 0.20 * _TIME_WEIGHT.get(m.time, 0.7)
    )
    factor = 1.0
    if m.negated:
        factor *= 0.2
    if m.conditional:
        factor *= 0.5
    if not event.actor:
        factor *= 0.7
    return round(base * factor, 4)


# ------------------------------------------------------------------------------------- wording

# (infinitive, 3rd person singular, past, gerund, preposition before a recipient)
_VERBS: dict[str, tuple[str, str, str, str, str]] = {
    "AGREE": ("agree", "agrees", "agreed", "agreeing", "with"),
    "CONSULT": ("hold talks", "holds talks", "held talks", "holding talks", "with"),
    "SUPPORT": ("back", "backs", "backed", "backing", ""),
    "CONCEDE": ("give ground", "gives ground", "gave ground", "giving ground", "to"),
    "COOPERATE": ("cooperate", "cooperates", "cooperated", "cooperating", "with"),
    "AID": ("give aid", "gives aid", "gave aid", "giving aid", "to"),
    "RETREAT": ("de-escalate", "de-escalates", "de-escalated", "de-escalating", "toward"),
    "REQUEST": ("make demands", "makes demands", "made demands", "making demands", "of"),
    "ACCUSE": ("accuse", "accuses", "accused", "accusing", ""),
    "REJECT": ("refuse demands", "refuses demands", "refused demands", "refusing demands", "of"),
    "THREATEN": ("threaten", "threatens", "threatened", "threatening", ""),
    "PROTEST": ("protest", "protests", "protested", "protesting", "against"),
    "SANCTION": ("sanction", "sanctions", "sanctioned", "sanctioning", ""),
    "MOBILIZE": ("mobilise forces", "mobilises forces", "mobilised forces", "mobilising forces", "against"),
    "COERCE": ("take coercive measures", "takes coercive measures", "took coercive measures",
               "taking coercive measures", "against"),
    "ASSAULT": ("attack", "attacks", "attacked", "attacking", ""),
}
_MODE_VERBS: dict[tuple[str, str], tuple[str, str, str, str, str]] = {
    ("RETREAT", "withdraw"): ("withdraw", "withdraws", "withdrew", "withdrawing", "toward"),
    ("RETREAT", "disarm"): ("disarm", "disarms", "disarmed", "disarming", "toward"),
    ("RETREAT", "ceasefire"): ("halt attacks", "halts attacks", "halted attacks", "halting attacks", "on"),
    ("RETREAT", "release"): ("release prisoners", "releases prisoners", "released prisoners",
                             "releasing prisoners", "to"),
    ("RETREAT", "access"): ("grant access", "grants access", "granted access", "granting access", "to"),
    ("RETREAT", "resign"): ("resign", "resigns", "resigned", "resigning", ""),
    ("THREATEN", "violence"): ("threaten force against", "threatens force against",
                               "threatened force against", "threatening force against", ""),
    ("ASSAULT", "aerial"): ("strike from the air", "strikes from the air", "struck from the air",
                            "striking from the air", "at"),
    ("ASSAULT", "drone"): ("launch drone attacks", "launches drone attacks", "launched drone attacks",
                           "launching drone attacks", "on"),
}
_SINGULAR_KINDS = {"state", "country", "government", "person", "ministry", "organisation", "alliance",
                   "coalition", "party", "media", "news_agency", "military"}


def _plural(entities: Sequence[Entity]) -> bool:
    if len(entities) != 1:
        return len(entities) > 1
    e = entities[0]
    if e.kind in _SINGULAR_KINDS:
        return False
    last = e.name.split()[-1] if e.name.split() else ""
    # "militias", "officials", "forces": a plural head noun; "Kataib Hezbollah": a name.
    return last.endswith("s") and not last.endswith(("ss", "us"))


def _names(result: ArticleResult, ids: Iterable[str]) -> list[str]:
    return [e.name for i in ids if (e := result.entity(i)) is not None]


def _join(names: Sequence[str]) -> str:
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _event_date(ev: Event) -> str:
    v = ev.date.value
    if not v or not v[:4].isdigit():  # unresolved references such as PAST_REF say nothing more
        return ""
    if ev.date.basis == "published":
        return f" (as of {v}, the publication date)"
    return f" ({v.replace('/', ' to ')})"


def describe_event(result: ArticleResult, ev: Event, *, with_source: bool = True) -> str:
    """One plain sentence built only from the event's coded fields: who, what, to whom, where, when."""
    actors = [e for i in ev.actor if (e := result.entity(i)) is not None]
    subject = _join([e.name for e in actors]) or "Unidentified actors"
    plural = _plural(actors) if actors else True
    inf, third, past, ger, prep = _MODE_VERBS.get((ev.event, ev.mode or ""), _VERBS.get(
        ev.event, ("act", "acts", "acted", "acting", "toward")))
    m = ev.modality
    hedge = "reportedly " if m.certainty == "hedged" else ""
    be = "are" if plural else "is"
    if m.negated:
        verb = {"future": f"will not {inf}", "ongoing": f"{be} not {ger}"}.get(m.time, f"did not {inf}")
    elif ev.event == "THREATEN":
        # A threat is made when it is uttered; its condition belongs to the threatened act.
        verb = f"{hedge}{past}"
    elif m.conditional:
        verb = f"{hedge}could {inf}"
    elif m.time == "future":
        verb = f"{hedge}{'intend' if plural else 'intends'} to {inf}"
    elif m.time == "ongoing":
        verb = f"{be} {hedge}{ger}"
    else:
        verb = f"{hedge}{past}"
    recipients = _names(result, ev.recipient)
    if not recipients and verb.endswith(" against"):
        verb = verb[: -len(" against")]
    parts = [subject, verb]
    if recipients:
        parts.append((prep + " " if prep else "") + _join(recipients))
    places = [p.name for i in ev.places if (p := result.place(i)) is not None]
    if places:
        parts.append(("from " if ev.mode == "withdraw" else "in ") + _join(places))
    text = " ".join(parts) + _event_date(ev)
    label = ev.event + (f"/{ev.mode}" if ev.mode else "")
    text += f' [{label}, "{ev.trigger.text}"]'
    if with_source and ev.attribution is not None and ev.attribution.type != "unattributed":
        text += ", according to " + _source_label(result, ev.attribution.speaker, ev.attribution.type)
    return text + "."


def _source_label(result: ArticleResult, speaker: str | None, kind: str) -> str:
    e = result.entity(speaker) if speaker else None
    if e is None:
        return "unnamed sources" if kind == "anonymous" else "unattributed reports"
    if kind == "anonymous" or e.anonymous:
        return f"{e.name} (anonymous)"
    return e.name


# ------------------------------------------------------------------------------------- the brief


class _Doc:
    """Offsets helpers over one result: sentence of an offset, sentence index of an event."""

    def __init__(self, result: ArticleResult) -> None:
        self.result = result
        self.text = result.article.text
        self.spans = sentence_spans(self.text)
        self.coded = sorted({(e.sentence.start, e.sentence.end) for e in result.events})

    def sentence_of(self, start: int, end: int | None = None) -> Offsets:
        end = start if end is None else end
        for s, e in self.coded:
            if s <= start and end <= e:
                return Offsets(s, e)
        for sp in self.spans:
            if sp.start <= start < sp.end:
                return sp
        return Offsets(start, max(end, start))

    def index(self, ev: Event) -> int:
        return _sentence_index(self.spans, ev.sentence.start)


def _related_actors(result: ArticleResult, ids: Iterable[str]) -> set[str]:
    """The ids, plus the members of those groups and the groups they belong to (from relations)."""
    out = set(ids)
    for r in result.relations:
        if r.predicate in {"member_of", "part_of"}:
            if r.object in out:
                out.add(r.subject)
            if r.subject in out:
                out.add(r.object)
    return out


def _same_side(a: Event, b: Event) -> bool:
    return (a.quad in _COOPERATION_QUADS) == (b.quad in _COOPERATION_QUADS)


def _condition_clause(text: str, ev: Event) -> str | None:
    """The article's own condition clause ("if the militias continue …") after the trigger."""
    tail = text[ev.trigger.end : ev.sentence.end]
    m = _CONDITION_RE.search(tail)
    if m is None:
        head = text[ev.sentence.start : ev.trigger.start]
        m2 = _CONDITION_RE.search(head)
        if m2 is None:
            return None
        clause = head[m2.start() :].split(",")[0]
        return clause.strip(" ,;.")
    clause = tail[m.start() :]
    clause = re.split(r"[;.](?:\s|$)|,\s(?:but|while|and the)\b", clause)[0]
    return clause.strip(" ,;.")


def article_brief(result: ArticleResult) -> Brief:
    """Draft the brief of one coded article; every statement rests on offsets into its text."""
    doc = _Doc(result)
    art = result.article
    events = list(result.events)
    scores = {ev.id: significance(ev, doc.index(ev)) for ev in events}
    statements: list[Statement] = []
    if not events:
        statements.append(Statement("main", "none", "The analysis coded no event in this article."))
        return Brief(art.id, art.source, art.title, art.published, art.text, tuple(statements))

    main = max(events, key=lambda e: (scores[e.id], -e.sentence.start))
    statements.append(
        Statement(
            "main", "main", describe_event(result, main), (main.sentence,), (main.id,),
            tuple(dict.fromkeys((*main.actor, *main.recipient))), main.places,
        )
    )

    # --- how solid it is: the main event and the events that tell the same story about its actors
    group = _related_actors(result, main.actor)
    support = [main] + [
        e for e in events
        if e is not main and _same_side(e, main) and not e.modality.negated
        and e.modality.time != "historical" and group & set((*e.actor, *e.recipient))
    ]
    statements += _solidity(result, doc, main, support)

    # --- context the article gives
    involved = group | {i for e in support for i in (*e.actor, *e.recipient)}
    involved |= {e.attribution.speaker for e in support if e.attribution and e.attribution.speaker}
    statements += _context(result, doc, main, support, involved, scores)

    # --- what to watch
    statements += _watch(result, doc, main, scores)
    return Brief(
        art.id, art.source, art.title, art.published, art.text, tuple(statements), main.id,
        tuple(sorted(scores.items(), key=lambda kv: -kv[1])),
    )


def _solidity(result: ArticleResult, doc: _Doc, main: Event, support: list[Event]) -> list[Statement]:
    out: list[Statement] = []
    named: dict[str, list[Event]] = {}
    anonymous: dict[str, list[Event]] = {}
    unnamed: list[Event] = []
    for e in support:
        att = e.attribution
        if att is None or att.type == "unattributed":
            continue
        spk = result.entity(att.speaker) if att.speaker else None
        if spk is None:
            if att.type == "anonymous":
                unnamed.append(e)
            continue
        (anonymous if (att.type == "anonymous" or spk.anonymous) else named).setdefault(spk.id, []).append(e)
    # Quotes inside a supporting sentence are sources of it too ("…," said a commander).
    sentences = {(e.sentence.start, e.sentence.end): e for e in support}
    for q in result.quotes:
        spk = result.entity(q.speaker) if q.speaker else None
        if spk is None:
            continue
        for (s, t), e in sentences.items():
            if s <= q.start < t:
                anon = spk.anonymous or spk.id in anonymous
                target = anonymous if anon else named
                if e not in target.setdefault(spk.id, []):
                    target[spk.id].append(e)
    n_sources = len(named) + len(anonymous) + (1 if unnamed else 0)

    def span(e: Event) -> Offsets:
        return e.sentence

    def describe_speaker(eid: str) -> str:
        e = result.entity(eid)
        assert e is not None
        affs = [
            f"{r.predicate.replace('_', ' ')} {o.name}" for r in result.relations
            if r.subject == eid and r.source == "text" and (o := result.entity(r.object)) is not None
        ]
        return e.name + (f" ({'; '.join(affs)})" if affs else "")

    parts = []
    if named:
        parts.append(f"{len(named)} named ({'; '.join(describe_speaker(i) for i in named)})")
    if anonymous:
        parts.append(f"{len(anonymous)} anonymous ({'; '.join(describe_speaker(i) for i in anonymous)})")
    if unnamed:
        parts.append("unnamed sources")
    wire = list(result.article.wire)
    channel = f", relayed by {_join(wire)}" if wire else ""
    if n_sources:
        text = f"It rests on {n_sources} source{'s' if n_sources != 1 else ''}: {', '.join(parts)}{channel}."
    else:
        text = "The article states it without naming any source" + channel + "."
    ev_ids = tuple(dict.fromkeys(e.id for es in (*named.values(), *anonymous.values(), unnamed) for e in es))
    ev_ids = ev_ids or (main.id,)
    spans = tuple(dict.fromkeys(span(e) for e in support if e.id in ev_ids))
    out.append(Statement("solidity", "sources", text, spans, ev_ids, (*named, *anonymous)))
    for eid, es in named.items():
        out.append(Statement("solidity", "named_source", f"Named source: {describe_speaker(eid)}.",
                             tuple(dict.fromkeys(e.sentence for e in es)), tuple(e.id for e in es), (eid,)))
    for eid, es in anonymous.items():
        out.append(Statement("solidity", "anonymous_source", f"Anonymous source: {describe_speaker(eid)}.",
                             tuple(dict.fromkeys(e.sentence for e in es)), tuple(e.id for e in es), (eid,)))

    certainty: dict[str, list[Event]] = {}
    for e in support:
        certainty.setdefault(e.modality.certainty, []).append(e)
    counts = ", ".join(f"{len(v)} {k}" for k, v in sorted(certainty.items()))
    main_c = main.modality.certainty
    out.append(
        Statement(
            "solidity", "certainty",
            f"The main claim is {main_c}; across the {len(support)} reports of this development: {counts}.",
            tuple(dict.fromkeys(e.sentence for e in support)), tuple(e.id for e in support),
        )
    )
    conditional = [e for e in result.events if e.modality.conditional]
    denied = [e for e in result.events if e.modality.negated]
    for kind, evs, word in (("conditional", conditional, "conditional"), ("denied", denied, "denied or negated")):
        if evs:
            out.append(
                Statement(
                    "solidity", kind,
                    f"{len(evs)} claim{'s are' if len(evs) != 1 else ' is'} {word}: "
                    + " ".join(describe_event(result, e) for e in evs),
                    tuple(dict.fromkeys(e.sentence for e in evs)), tuple(e.id for e in evs),
                    tuple(dict.fromkeys(i for e in evs for i in (*e.actor, *e.recipient))),
                )
            )
    return out


def _context(
    result: ArticleResult, doc: _Doc, main: Event, support: list[Event], involved: set[str],
    scores: dict[str, float],
) -> list[Statement]:
    out: list[Statement] = []
    seen: set[tuple[str, str, str]] = set()
    rels = [r for r in result.relations if r.source == "text" and r.evidence is not None]
    # Relations about the actors of this development first, then the rest the article states.
    rels.sort(key=lambda r: (not ({r.subject, r.object} & involved), r.evidence.start if r.evidence else 0))
    for r in rels[:8]:
        s, o = result.entity(r.subject), result.entity(r.object)
        if s is None or o is None or (s.id, r.predicate, o.id) in seen:
            continue
        seen.add((s.id, r.predicate, o.id))
        assert r.evidence is not None
        out.append(
            Statement(
                "context", "affiliation", f"{s.name}: {r.predicate.replace('_', ' ')} {o.name}.",
                (doc.sentence_of(r.evidence.start, r.evidence.end),), (), (s.id, o.id),
            )
        )
    used = {e.id for e in support}
    earlier = [
        e for e in result.events
        if e.id not in used and e.modality.time in {"past", "historical"} and not e.modality.negated
    ]
    earlier.sort(key=lambda e: (e.modality.time == "historical", -scores[e.id]))
    for e in earlier[:5]:
        kind = "background" if e.modality.time == "historical" else "recent_event"
        out.append(
            Statement(
                "context", kind, describe_event(result, e), (e.sentence,), (e.id,),
                tuple(dict.fromkeys((*e.actor, *e.recipient))), e.places,
            )
        )
    return out


def _after(value: str | None, published: str | None) -> bool:
    if not value or not published:
        return False
    v = value.split("/")[-1]
    return len(v) >= 7 and v[:4].isdigit() and v > published[: len(v)]


def _watch(result: ArticleResult, doc: _Doc, main: Event, scores: dict[str, float]) -> list[Statement]:
    out: list[Statement] = []
    text = doc.text
    for e in result.events:
        if e.event != "THREATEN" or e.modality.negated:
            continue
        cond = _condition_clause(text, e) if e.modality.conditional else None
        line = describe_event(result, e)
        if cond:
            line = line[:-1] + f'; condition: "{cond}".'
        out.append(
            Statement("watch", "threat", line, (e.sentence,), (e.id,),
                      tuple(dict.fromkeys((*e.actor, *e.recipient))), e.places)
        )
    intentions = [
        e for e in result.events
        if e.modality.time == "future" and e.event != "THREATEN" and not e.modality.negated
    ]
    intentions.sort(key=lambda e: -scores[e.id])
    for e in intentions[:5]:
        line = describe_event(result, e)
        if e is main:
            line = "Whether it happens: " + line
        out.append(
            Statement("watch", "intention", line, (e.sentence,), (e.id,),
                      tuple(dict.fromkeys((*e.actor, *e.recipient))), e.places)
        )
    published = result.article.published
    for t in result.times:
        before = text[max(0, t.start - 25) : t.start]
        if t.type not in {"DATE", "TIME"}:
            continue
        if not (_after(t.value, published) or _DEADLINE_CUE_RE.search(before)):
            continue
        sent = doc.sentence_of(t.start, t.end)
        evs = tuple(e.id for e in result.events if e.sentence.start <= t.start < e.sentence.end)
        out.append(
            Statement("watch", "deadline", f'Date to watch: "{t.text}" ({t.value or "unresolved"}).',
                      (sent,), evs)
        )
    observable = [
        e for e in result.events
        if e.modality.time == "ongoing" and e.quad in _MATERIAL_QUADS and not e.modality.negated
        and not e.modality.conditional
    ]
    observable.sort(key=lambda e: (-len(e.places), -scores[e.id]))
    for e in observable:
        out.append(
            Statement("watch", "observable", "Observable sign: " + describe_event(result, e),
                      (e.sentence,), (e.id,), tuple(dict.fromkeys((*e.actor, *e.recipient))), e.places)
        )
    return out


def brief_dict(result: ArticleResult) -> dict[str, Any]:
    """The brief of one article as a JSON-ready dict (for the web layer)."""
    return article_brief(result).to_dict()


# ------------------------------------------------------------------------------------- renderers


def _anchor(o: Offsets) -> str:
    return f"s-{o.start}-{o.end}"


def _heading(b: Brief) -> str:
    bits = [b.title or b.source or b.article_id[:19]]
    if b.published:
        bits.append(f"published {b.published}")
    return " — ".join(bits)


def render_brief_text(brief: Brief) -> str:
    """Plain text: sections, statements, and under each the quoted sentences it rests on."""
    lines = [f"Brief: {_heading(brief)}", ""]
    for key, title in SECTIONS.items():
        sts = brief.section(key)
        if not sts:
            continue
        lines.append(title)
        lines.append("-" * len(title))
        for s in sts:
            lines.append(f"* {s.text}")
            for o in s.evidence:
                lines.append(f"    [{o.start}-{o.end}] \u201c{brief.quote(o)}\u201d")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md(s: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", s)


def render_brief_markdown(brief: Brief) -> str:
    """Markdown: each statement links to ``#s-<start>-<end>`` anchors in an evidence list."""
    lines = [f"# Brief: {_md(_heading(brief))}", ""]
    cited: dict[Offsets, None] = {}
    for key, title in SECTIONS.items():
        sts = brief.section(key)
        if not sts:
            continue
        lines += [f"## {title}", ""]
        for s in sts:
            links = " ".join(f"[{o.start}–{o.end}](#{_anchor(o)})" for o in s.evidence)
            for o in s.evidence:
                cited[o] = None
            lines.append(f"- {_md(s.text)}" + (f" ({links})" if links else ""))
        lines.append("")
    if cited:
        lines += ["## Evidence", ""]
        for o in sorted(cited, key=lambda o: (o.start, o.end)):
            lines.append(f'<a id="{_anchor(o)}"></a>**{o.start}–{o.end}**: > {_md(brief.quote(o))}')
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_brief_html(brief: Brief, *, standalone: bool = True) -> str:
    """HTML (every text escaped): statements link to the quoted sentences they rest on."""
    e = html.escape
    parts = [f"<h1>Brief: {e(_heading(brief))}</h1>"]
    cited: dict[Offsets, None] = {}
    for key, title in SECTIONS.items():
        sts = brief.section(key)
        if not sts:
            continue
        parts.append(f'<section class="brief-{key}"><h2>{e(title)}</h2><ul>')
        for s in sts:
            links = " ".join(
                f'<a class="evidence" href="#{_anchor(o)}">{o.start}–{o.end}</a>' for o in s.evidence
            )
            for o in s.evidence:
                cited[o] = None
            parts.append(f'<li data-kind="{e(s.kind)}">{e(s.text)} {links}</li>')
        parts.append("</ul></section>")
    if cited:
        parts.append('<section class="brief-evidence"><h2>Evidence</h2>')
        for o in sorted(cited, key=lambda o: (o.start, o.end)):
            parts.append(f'<blockquote id="{_anchor(o)}"><small>{o.start}–{o.end}</small> '
                         f"{e(brief.quote(o))}</blockquote>")
        parts.append("</section>")
    body = "\n".join(parts)
    if not standalone:
        return body
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Brief: {e(_heading(brief))}</title></head>\n<body>\n{body}\n</body></html>\n"
    )
