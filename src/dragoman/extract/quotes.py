"""Direct quotations and reported speech with their speakers and cues."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..records import Quote
from .sentences import sent_of, text_of
from .triggers_lexicon import REPORTING_LEMMAS as _LEXICON_REPORTING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from ..resolve.actors import ActorIndex

__all__ = ["REPORTING_LEMMAS", "find_quote_spans", "extract_quotes", "Speech"]

# Verbs that introduce someone's words: the lexicon's reporting verbs, plus verbs that are events
# in their own right but also carry speech ("warned that ...", "denied that ...").
SPEECH_EVENT_VERBS = frozenset({"warn", "deny", "allege", "contend", "accuse", "threaten", "vow", "pledge",
                                "promise", "urge", "demand", "reject", "condemn"})
REPORTING_LEMMAS = _LEXICON_REPORTING | SPEECH_EVENT_VERBS
ANONYMOUS_MARKERS = re.compile(
    r"\b(anonymously|anonymity|not authori[sz]ed|declined to be (?:named|identified)|"
    r"asked not to be (?:named|identified)|speaking on condition)\b", re.I)
ANONYMOUS_SOURCES = {"source", "sources", "official", "officials", "diplomat", "diplomats", "insider",
                     "insiders", "person", "people", "aide", "aides"}

OPEN_QUOTES = "\"\u201c\u201e\u00ab"
CLOSE_QUOTES = "\"\u201d\u00bb"


@dataclass(frozen=True, slots=True)
class Speech:
    """A span of text attributed to someone, before it becomes a ``Quote``."""

    start: int
    end: int
    direct: bool
    cue: Token | None
    speaker_tok: Token | None


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the contents of quotation marks (straight or curly, paired in order).

    A paragraph that opens a quotation without closing it continues into the next paragraph that
    opens with a quotation mark (the newswire convention for multi-paragraph quotes).
    """
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in OPEN_QUOTES and (ch != '"' or i == 0 or not text[i - 1].isalnum()):
            j = i + 1
            while j < n:
                c = text[j]
                if c in CLOSE_QUOTES and (c != '"' or j + 1 == n or not text[j + 1].isalnum()
                                          or text[j - 1] in ",.?!"):
                    break
                if c == "\n":
                    # multi-paragraph quote: next paragraph must open with a quote mark
                    k = j
                    while k < n and text[k] in "\n \t":
                        k += 1
                    if k < n and text[k] in OPEN_QUOTES:
                        j = k + 1
                        continue
                    break
                j += 1
            if j < n and text[j] in CLOSE_QUOTES and j - i > 1:
                spans.append((i + 1, j))
                i = j + 1
                continue
        i += 1
    return spans


# Verbs that characterise something in the speaker's words: "rejected the claims as 'absurd'",
# "called the deal 'a milestone'".
CHARACTERISING = frozenset({"call", "describe", "dismiss", "denounce", "reject", "brand", "label", "term",
                            "condemn", "hail", "praise", "welcome", "characterise", "characterize"})


def _reporting_head(tok: Token) -> Token | None:
    """Walk up from a token to the nearest reporting verb that governs it."""
    cur: Token | None = tok
    steps = 0
    while cur is not None and steps < 12:
        if cur.lemma_.lower() in REPORTING_LEMMAS | CHARACTERISING and cur.pos_ in {"VERB", "AUX"}:
            return cur
        if cur.head is cur:
            return None
        cur = cur.head
        steps += 1
    return None


def _subject(verb: Token) -> Token | None:
    """The speaker of a reporting verb: its subject, or the subject it shares through
    coordination or an adverbial participle ("..., stating that")."""
    cur: Token | None = verb
    for _ in range(6):
        if cur is None:
            return None
        for child in cur.children:
            if child.dep_ in {"nsubj", "nsubjpass"} and child.dep_ != "expl":
                if child.dep_ == "nsubjpass":
                    agent = next((c for c in cur.children if c.dep_ == "agent"), None)
                    if agent is not None:
                        pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
                        if pobj is not None:
                            return pobj
                return child
        if cur.dep_ == "advcl" and cur.tag_ == "VBG":
            # "..., stating that": the participle shares the subject of the reporting verb above it,
            # even when the parser hangs it on the reported clause
            for anc in cur.ancestors:
                if anc.lemma_.lower() in REPORTING_LEMMAS and anc.pos_ == "VERB":
                    subj = next((c for c in anc.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                    if subj is not None:
                        return subj
        if cur.dep_ in {"conj", "advcl", "xcomp", "ccomp", "relcl", "acl"} and cur.head is not cur:
            cur = cur.head
            continue
        return None
    return None


def _sent_reporting_verb(sent: Span, outside: tuple[int, int]) -> Token | None:
    """A reporting verb of the sentence lying outside the quotation ("..., said a commander")."""
    for tok in sent:
        if outside[0] <= tok.idx < outside[1]:
            continue
        if tok.lemma_.lower() in REPORTING_LEMMAS and tok.pos_ in {"VERB"}:
            return tok
    return None


def speeches(doc: Doc) -> list[Speech]:
    """Direct and reported speech in the doc, each with its cue verb and speaker token."""
    out: list[Speech] = []
    last_speaker: Token | None = None
    for start, end in find_quote_spans(text_of(doc)):
        inner = doc.char_span(start, end, alignment_mode="expand")
        if inner is None or len(inner) == 0:
            continue
        sent = sent_of(inner[0])
        cue: Token | None = None
        # partial quote governed by a reporting verb: walk up from the quote's root
        root = inner.root
        if root.head.i < inner.start or root.head.i >= inner.end:
            cue = _reporting_head(root.head)
        stands_alone = inner.start <= sent.start + 1 and len(inner) >= 4
        if cue is None and stands_alone:
            cue = _sent_reporting_verb(sent, (start - 1, end + 1))
        speaker = _subject(cue) if cue is not None else None
        if speaker is not None and start <= speaker.idx < end:
            speaker = None
        if cue is None and not stands_alone:
            continue  # scare quotes around a phrase ("Axis of Resistance") are nobody's words
        if cue is None and speaker is None and last_speaker is not None:
            # a quotation standing alone continues the last speaker's words
            speaker = last_speaker
        if speaker is not None:
            last_speaker = speaker
        out.append(Speech(start, end, True, cue, speaker))
    # reported speech: "X said (that) ...", "according to X"
    quoted = [(s.start, s.end) for s in out]
    for tok in doc:
        lemma = tok.lemma_.lower()
        if lemma in REPORTING_LEMMAS and tok.pos_ == "VERB":
            comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
            if comp is None:
                continue
            span = doc[comp.left_edge.i: comp.right_edge.i + 1]
            while len(span) and span[0].dep_ == "mark":
                span = span[1:]
            while len(span) and span[-1].is_punct:
                span = span[:-1]
            if not len(span):
                continue
            if any(s <= span.start_char and span.end_char <= e for s, e in quoted):
                continue
            out.append(Speech(span.start_char, span.end_char, False, tok, _subject(tok)))
        elif tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            pobj = next((c for c in doc[tok.i + 1].children if c.dep_ == "pobj"), None)
            head = tok.head
            while head.dep_ not in {"ROOT"} and head.head is not head:
                head = head.head
            sent = sent_of(tok)
            content = [t for t in sent if not (tok.i <= t.i <= (pobj.right_edge.i if pobj is not None else tok.i + 1))]
            if pobj is None or not content:
                continue
            s, e = content[0].idx, content[-1].idx + len(content[-1])
            while e > s and text_of(doc)[e - 1] in ",.;: ":
                e -= 1
            out.append(Speech(s, e, False, tok, pobj))
    return out


def _cue_span(cue: Token | None) -> Span | None:
    """The cue as a stretch of text: the verb, or "according to"."""
    if cue is None:
        return None
    doc = cue.doc
    if cue.lower_ == "according" and cue.i + 1 < len(doc) and doc[cue.i + 1].lower_ == "to":
        return doc[cue.i: cue.i + 2]
    return doc[cue.i: cue.i + 1]


def extract_quotes(doc: Doc, actors: ActorIndex) -> tuple[Quote, ...]:
    """Quotes with speakers resolved to entities (speaker None when unattributed)."""
    quotes: list[Quote] = []
    for sp in speeches(doc):
        speaker_id = None
        speaker_text = None
        source: tuple[int | None, int | None] = (None, None)
        if sp.speaker_tok is not None:
            speaker_id = actors.entity_at(sp.speaker_tok.i)
            tok = sp.speaker_tok
            span = doc[tok.left_edge.i: tok.right_edge.i + 1]
            if len(span) > 12:
                span = doc[tok.i: tok.i + 1]
            speaker_text = span.text
            source = (span.start_char, span.end_char)
        cue_span = _cue_span(sp.cue)
        quotes.append(Quote(
            text=text_of(doc)[sp.start:sp.end], start=sp.start, end=sp.end, direct=sp.direct,
            speaker=speaker_id, speaker_text=speaker_text,
            cue=sp.cue.text if sp.cue is not None else None,
            source_start=source[0], source_end=source[1],
            cue_start=cue_span.start_char if cue_span is not None else None,
            cue_end=cue_span.end_char if cue_span is not None else None,
        ))
    quotes.sort(key=lambda q: (q.start, not q.direct))
    return tuple(quotes)


def is_anonymous(doc: Doc, speaker_tok: Token | None, cue: Token | None) -> bool:
    """Whether an attribution hides its source: "sources said", "spoke anonymously"."""
    if speaker_tok is not None and speaker_tok.lower_ in ANONYMOUS_SOURCES and not any(
            c.dep_ in {"compound", "amod"} and c.ent_type_ in {"PERSON"} for c in speaker_tok.children):
        if speaker_tok.lower_ in {"source", "sources", "insider", "insiders", "person", "people"}:
            return True
    if cue is not None and ANONYMOUS_MARKERS.search(sent_of(cue).text):
        return True
    return False
