"""Attributions: who said what. Direct and partly quoted speech, reported speech ("said that …"),
"according to X", "X's claim that …", headline and transcript forms ("X: …") and quotations after
a dash ("“…” ― X"), each with its content, its cue and the mention that introduces its source.

A quotation with no cue of its own continues the attribution before it when nothing but that
attribution's own words lies between them ("'We are ready,' he said. 'We will win.'", or a quoted
paragraph after a quoted paragraph). The speaker mention is read as a whole noun phrase: a name in
apposition ("his wife, NAME") is the speaker, a document or statement stands for whoever issued it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml

from ..errors import ConfigError
from ..records import Quote
from .sentences import sent_of, text_of
from .triggers_lexicon import REPORTING_LEMMAS as _LEXICON_REPORTING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from ..resolve.actors import ActorIndex

__all__ = ["CUE_LEMMAS", "REPORTING_LEMMAS", "Speech", "extract_quotes", "find_quote_spans", "speeches"]

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


# Verbs of saying whose object is the one addressed ("assured the families", "asked the minister"),
# or that take a thing as object in another sense ("continued its raids", "concluded the talks").
ADDRESSEE_VERBS = frozenset({"ask", "assure", "remind", "advise", "caution", "question", "inquire", "continue",
                             "conclude", "add", "observe", "relate", "counter", "answer", "agree"})


@lru_cache(maxsize=1)
def _speech_data() -> dict[str, frozenset[str]]:
    """The verb classes of communication and the document and claim nouns (data/lexicon/speech.yaml)."""
    raw = yaml.safe_load(resources.files("dragoman").joinpath("data/lexicon/speech.yaml").read_text(encoding="utf-8"))
    try:
        verbs = frozenset(v for group in raw["verbs"].values() for v in group)
        return {"verbs": verbs, "documents": frozenset(raw["documents"]), "claims": frozenset(raw["claims"]),
                "intention": frozenset(raw["intention"]), "message_object": frozenset(raw["message_object"]),
                "judgment": frozenset(raw["judgment"]), "say": frozenset(raw["verbs"]["say"]) - ADDRESSEE_VERBS,
                "naming": frozenset(raw["naming"]), "seeming": frozenset(raw["seeming"]),
                "raising_passive": frozenset(raw["raising_passive"]),
                "evidence": frozenset(raw["verbs"]["evidence"]), "bearers": frozenset(raw["evidence_bearers"])}
    except (KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"speech.yaml: needs 'verbs' (classes of lemmas), 'documents' and 'claims': {exc}") from exc


CUE_LEMMAS = REPORTING_LEMMAS | _speech_data()["verbs"]
DOCUMENT_NOUNS = _speech_data()["documents"]
CLAIM_NOUNS = _speech_data()["claims"]
# Nouns that stand for someone's words or the document carrying them ("the following statement:")
SPEECH_NOUNS = DOCUMENT_NOUNS | CLAIM_NOUNS | {"word", "remark", "comment", "message", "address"}
INTENTION_VERBS = _speech_data()["intention"]
MESSAGE_OBJECT_VERBS = _speech_data()["message_object"]
JUDGMENT_VERBS = _speech_data()["judgment"]
SAY_VERBS = _speech_data()["say"]

OPEN_QUOTES = "\"\u201c\u201e\u00ab\u2018"
CLOSE_QUOTES = "\"\u201d\u00bb"
DASHES = "\u2015\u2014\u2013"
_PAIRS = {"\u201c": "\u201d\"", "\u201e": "\u201c\u201d\"", "\u00ab": "\u00bb", "\u2018": "\u2019"}


@dataclass(frozen=True, slots=True)
class Speech:
    """A span of text attributed to someone, before it becomes a ``Quote``."""

    start: int
    end: int
    direct: bool
    cue: Token | None
    speaker_tok: Token | None


def _mark_at(text: str, i: int) -> int:
    """Length of the quotation mark that starts at i (0 when none): one curly or guillemet mark, a
    run of up to three straight double quotes (CSV doubling), or two apostrophes or backticks."""
    ch = text[i]
    if ch == '"':
        n = 1
        while n < 3 and i + n < len(text) and text[i + n] == '"':
            n += 1
        return n
    if ch in "'`" and text.startswith(ch * 2, i):
        return 2
    if ch in "\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019":
        return 1
    return 0


def _opens(text: str, i: int, n: int) -> bool:
    ch = text[i]
    if ch in "\u201d\u00bb\u2019":
        return False
    before = text[i - 1] if i else " "
    after = text[i + n] if i + n < len(text) else " "
    if ch in "\"'`" and (before.isalnum() or after.isspace()):
        return False  # 5'10" and closing marks
    return True


def _closes(text: str, j: int, n: int, opener: str) -> bool:
    ch = text[j]
    after = text[j + n] if j + n < len(text) else " "
    if opener in _PAIRS and ch not in _PAIRS[opener]:
        return False
    if opener in "\"'`" and ch != opener and ch not in "\u201d":
        return False
    if ch == "\u2019" and after.isalnum():
        return False  # an apostrophe inside a single-quoted phrase
    return not after.isalnum() or text[j - 1] in ",.?!"


def _reopens(text: str, j: int, n: int, opener: str) -> bool:
    """Whether a mark inside an open quotation opens another one: the same straight double mark
    after a finished sentence and before a word ('… weapons. "This is …'). Quotations do not nest
    with the same mark, so the quotation before ended with that sentence (its closing mark lost,
    or a new paragraph of the same quotation whose break was lost)."""
    return (text[j] == '"' == opener and n == 1 and j >= 2 and text[j - 1] == " " and text[j - 2] in ".?!"
            and j + 1 < len(text) and text[j + 1].isalpha())


_CSV_FIELD = re.compile(r'^"(?=.*"").*"$', re.M)


def _without_csv_wrappers(text: str) -> str:
    """The text with the quotes that wrap a CSV field blanked out (same length): a paragraph that
    starts and ends with a straight quote and doubles the quotation marks inside it."""
    out = list(text)
    for m in _CSV_FIELD.finditer(text):
        out[m.start()] = out[m.end() - 1] = " "
    return "".join(out)


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the contents of quotation marks (straight, curly, guillemets, doubled
    straight quotes of CSV exports, '' and `` pairs; paired in order).

    A paragraph that opens a quotation without closing it continues into the next paragraph that
    opens with a quotation mark (the newswire convention for multi-paragraph quotes).
    """
    spans: list[tuple[int, int]] = []
    text = _without_csv_wrappers(text)
    i, n = 0, len(text)
    while i < n:
        m = _mark_at(text, i)
        if not m or not _opens(text, i, m):
            i += max(m, 1)
            continue
        opener = text[i]
        j = i + m
        close = 0
        while j < n:
            c = text[j]
            if c == "\n":
                # multi-paragraph quote: the next paragraph must open with a quote mark
                k = j
                while k < n and text[k] in "\n \t":
                    k += 1
                if k < n and _mark_at(text, k):
                    j = k + _mark_at(text, k)
                    continue
                break
            cm = _mark_at(text, j)
            if cm and _closes(text, j, cm, opener):
                close = cm
                break
            if cm and _reopens(text, j, cm, opener):
                break  # a new quotation opens: the one before ended with its sentence
            j += max(cm, 1)
        if close and j - (i + m) > 0:
            spans.append((i + m, j))
            i = j + close
            continue
        if j < n and _mark_at(text, j) and _reopens(text, j, _mark_at(text, j), opener):
            spans.append((i + m, j - 1))
            i = j
            continue
        i += m
    return spans


# Verbs that characterise something in the speaker's words: "rejected the claims as 'absurd'",
# "called the deal 'a milestone'".
CHARACTERISING = frozenset({"call", "describe", "dismiss", "denounce", "reject", "brand", "label", "term",
                            "condemn", "hail", "praise", "welcome", "characterise", "characterize"})


def _reporting_head(tok: Token, *, utterance: bool = False) -> Token | None:
    """Walk up from a token to the nearest reporting verb that governs it; any verb of
    communication governs a quoted utterance (a clause or a question), only the reporting and
    characterising verbs a quoted phrase."""
    lemmas = CUE_LEMMAS | CHARACTERISING if utterance else REPORTING_LEMMAS | CHARACTERISING
    cur: Token | None = tok
    steps = 0
    while cur is not None and steps < 12:
        if cur.lemma_.lower() in lemmas and cur.pos_ in {"VERB", "AUX"}:
            return cur
        if cur.head.i == cur.i:  # the root (tokens are new objects at every access: compare positions)
            return None
        cur = cur.head
        steps += 1
    return None


# Passive verbs whose subject is still the speaker ("the army was quoted as warning ...").
PASSIVE_SPEAKER_VERBS = frozenset({"quote", "cite", "hear", "record"})


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
                    if cur.lemma_.lower() not in PASSIVE_SPEAKER_VERBS:
                        break  # "the men were declared 'persona non grata'": they are not speaking
                return child
        if cur.dep_ == "advcl" and cur.tag_ == "VBG":
            # "..., stating that": the participle shares the subject of the reporting verb above it,
            # even when the parser hangs it on the reported clause
            for anc in cur.ancestors:
                if anc.lemma_.lower() in REPORTING_LEMMAS and anc.pos_ == "VERB":
                    subj = next((c for c in anc.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                    if subj is not None:
                        return subj
        if cur.dep_ in {"conj", "advcl", "xcomp", "ccomp", "relcl", "acl", "pcomp", "prep"} \
                and cur.head.i != cur.i:
            cur = cur.head
            continue
        return None
    return None


def _finished(inner: Span) -> bool:
    """Whether a quotation is closed by a full stop: a finished sentence, which no speech tag after
    it attributes ('"We will win." Baker said …' starts a new sentence about Baker)."""
    return inner.text.rstrip().endswith(".")


def _nearest_cue(sent: Span, inner: Span) -> Token | None:
    """The cue verb closest to a quotation, outside it ("'...,' the senator replied"), in the
    sentence where the quotation starts or in the one where it ends (a quotation of several
    sentences is followed by its cue)."""
    best: tuple[int, Token] | None = None
    last = sent_of(inner[-1])
    tokens = list(sent) if last.start == sent.start else [*sent, *last]
    finished = _finished(inner)
    for tok in tokens:
        if inner.start <= tok.i < inner.end or tok.pos_ != "VERB" or tok.lemma_.lower() not in CUE_LEMMAS:
            continue
        if finished and tok.i >= inner.end:
            continue
        dist = inner.start - tok.i if tok.i < inner.start else tok.i - inner.end
        if best is None or dist < best[0]:
            best = (dist, tok)
    return best[1] if best else None


def _name_head(doc: Doc, i: int) -> Token | None:
    """The head of the name that starts at token i ("Mayor Lina Park" -> Park)."""
    j = i
    while j < len(doc) and (doc[j].pos_ == "PROPN" or doc[j].ent_type_ in {"PERSON", "ORG"}) \
            and "\n" not in doc[j].text_with_ws:
        j += 1
    if j < len(doc) and (doc[j].pos_ == "PROPN" or doc[j].ent_type_ in {"PERSON", "ORG"}):
        j += 1
    return doc[j - 1] if j > i else None


def _tag_after(inner: Span) -> Token | None:
    """A speech tag that the parser cut off as a sentence of its own after a quotation ending in
    '?' or '!' ("'…?' the senator demanded."): a short clause whose cue verb has no content."""
    doc = inner.doc
    i = inner.end
    while i < len(doc) and (doc[i].is_punct or doc[i].is_quote) and "\n" not in doc[i].text_with_ws:
        i += 1
    if i >= len(doc) or "\n" in doc[i - 1].text_with_ws or doc[i].is_space:
        return None
    tag = sent_of(doc[i])
    if tag.start < inner.end - 2 or len(tag) > 25:
        return None
    for tok in tag:
        if tok.pos_ == "VERB" and tok.lemma_.lower() in CUE_LEMMAS and not any(
                c.dep_ in {"ccomp", "dobj", "xcomp"} for c in tok.children):
            return tok
    return None


def _name_before(cue: Token, end: int) -> Token | None:
    """"'…,' Lt Gen NAME, said": a name between the quotation and its cue that the parser left
    without a subject relation."""
    doc = cue.doc
    for i in range(cue.i - 1, -1, -1):
        tok = doc[i]
        if tok.idx < end:
            return None
        if tok.is_punct:
            continue
        return tok if tok.pos_ == "PROPN" else None
    return None


def _dash_source(doc: Doc, end: int) -> tuple[Token, Token] | None:
    """A quotation followed by a dash and a name ("'…' ― Mayor Lina Park"): the dash and the name."""
    text = text_of(doc)
    k = end
    while k < len(text) and (text[k] in CLOSE_QUOTES or text[k] in "\u2019'`,. "):
        k += 1
    if k >= len(text) or text[k] not in DASHES:
        return None
    dash = doc.char_span(k, k + 1, alignment_mode="expand")
    if dash is None or dash.end >= len(doc):
        return None
    name = _name_head(doc, dash.end)
    return (dash[0], name) if name is not None else None


def _actor_prefix(doc: Doc, colon: Token) -> Token | None:
    """The name before a colon that opens its line ("Ruto: …", "PENCE: …"): its head token."""
    i = colon.i - 1
    start = i
    while start >= 0 and "\n" not in doc[start].text_with_ws and colon.i - start <= 6:
        start -= 1
    first = start + 1
    if first > i or first != _line_start(doc, colon):
        return None
    words = [t for t in doc[first:colon.i] if not t.is_punct]
    if not words or not all(t.text[:1].isupper() for t in words):
        return None
    head = doc[i]
    if head.pos_ != "PROPN" and not head.ent_type_:
        return None
    return head


def _line_start(doc: Doc, tok: Token) -> int:
    i = tok.i
    while i > 0 and "\n" not in doc[i - 1].text_with_ws and not doc[i - 1].is_space:
        i -= 1
    return i


def _colon_intro(doc: Doc, start: int) -> tuple[Token, Token | None] | None:
    """A quotation introduced by a colon: the cue of "X said:" or a line's name ("X: '…'")."""
    text = text_of(doc)
    k = start - 1
    while k >= 0 and (text[k] in OPEN_QUOTES or text[k] in "'` \n\t"):
        k -= 1
    if k < 0 or text[k] != ":":
        return None
    colon = doc.char_span(k, k + 1, alignment_mode="expand")
    if colon is None:
        return None
    colon_tok = colon[0]
    found = _speech_tag(colon_tok)
    if found is not None:
        return found
    name = _actor_prefix(doc, colon_tok)
    return (colon_tok, name) if name is not None else None


def _speech_tag(colon: Token) -> tuple[Token, Token | None] | None:
    """The cue of a sentence that introduces words with a colon, read on the colon's own line:
    its last verb of communication ("X said:"), or a noun of speech or a document that someone
    gives ("X provided the following statement:", "X issued a statement:"), with its giver when
    the line names one."""
    doc = colon.doc
    first = max(sent_of(colon).start, _line_start(doc, colon))
    tag = doc[first: colon.i]
    verbs = [t for t in tag if t.pos_ == "VERB" and t.lemma_.lower() in CUE_LEMMAS]
    nouns = [t for t in tag if t.pos_ == "NOUN" and t.lemma_.lower() in SPEECH_NOUNS]
    if verbs:
        cue, giver = verbs[-1], _subject(verbs[-1])
    elif nouns:
        cue = nouns[-1]
        giver = next((c for c in cue.children if c.dep_ == "poss"), None)
        verb = cue.head if cue.dep_ == "dobj" else cue.head.head if cue.dep_ == "pobj" else None
        if giver is None and verb is not None and verb.pos_ in {"VERB", "AUX"}:
            giver = _subject(verb)
    else:
        return None
    if giver is not None and not first <= giver.i < colon.i:
        giver = None
    if giver is None:
        before = [t for t in doc[first: cue.i] if not t.is_punct and not t.is_space]
        if before and before[-1].pos_ in {"PROPN", "NOUN"} and cue.pos_ == "VERB":
            giver = before[-1]
    return cue, giver


def _continues(prev: Speech, inner: Span) -> bool:
    """Whether a quotation without a cue carries on the attribution before it: between them lie
    only quotation marks, punctuation and the words of that attribution's own sentence."""
    doc = inner.doc
    prev_span = doc.char_span(prev.start, prev.end, alignment_mode="expand")
    if prev_span is None or prev.cue is None:
        return False
    cue_sent = sent_of(prev.cue)
    for tok in doc[prev_span.end: inner.start]:
        if tok.is_punct or tok.is_space or tok.text in OPEN_QUOTES + CLOSE_QUOTES:
            continue
        if not (cue_sent.start <= tok.i < cue_sent.end):
            return False
    return True


def _stands_alone(inner: Span, sent: Span) -> bool:
    """Whether a quotation of four words or more opens its sentence, or follows the end of one
    (which the parser may have missed: '…,' NAME said. '…')."""
    if len(inner) < 4:
        return False
    if inner.start <= sent.start + 1:
        return True
    text = text_of(inner.doc)
    k = inner.start_char - 1
    while k >= 0 and (text[k] in OPEN_QUOTES or text[k] in "'` \t"):
        k -= 1
    return k < 0 or text[k] in ".?!\n"


def _clause_root(inner: Span) -> Token:
    """The root of a quotation's words: of the words whose head lies outside it, the first that is
    not a conjunction or punctuation ("but I find …" may hang "but" and "find" on the verb before it)."""
    outside = [t for t in inner if not inner.start <= t.head.i < inner.end or t.head.i == t.i]
    return next((t for t in outside if t.dep_ not in {"cc", "punct"}), inner.root)


def _across_paragraphs(tok: Token, span: Span) -> bool:
    """Whether a paragraph break lies between a token and a span."""
    doc = tok.doc
    lo, hi = (tok.i, span.start) if tok.i < span.start else (span.end - 1, tok.i)
    return any("\n" in doc[i].text_with_ws for i in range(lo, hi))


def _direct_speeches(doc: Doc) -> list[Speech]:
    out: list[Speech] = []
    last_speaker: Token | None = None
    prev: Speech | None = None
    for start, end in find_quote_spans(text_of(doc)):
        inner = doc.char_span(start, end, alignment_mode="expand")
        if inner is None or len(inner) == 0:
            continue
        sent = sent_of(inner[0])
        cue: Token | None = None
        speaker: Token | None = None
        # partial quote governed by a reporting verb: walk up from the quote's root
        root = _clause_root(inner)
        if root.head.i < inner.start or root.head.i >= inner.end:
            utterance = root.pos_ in {"VERB", "AUX"} or inner.text.rstrip(",.\"'” ").endswith(("?", "!"))
            cue = _reporting_head(root.head, utterance=utterance)
            if cue is not None and cue.i >= inner.end and _finished(inner):
                cue = None  # a finished sentence in quotation marks is no object of what follows
            if cue is not None and _across_paragraphs(cue, inner):
                cue = None  # a paragraph break ends the sentence, even where the parser ran over it
        stands_alone = _stands_alone(inner, sent) or bool(inner.end >= sent.end - 1 and len(inner) >= 4
                                                          and _colon_intro(doc, start))
        if cue is None and stands_alone:
            cue = _nearest_cue(sent, inner) or _tag_after(inner)
        if cue is None and stands_alone:
            found = _dash_source(doc, end) or _colon_intro(doc, start)
            if found is not None:
                cue, speaker = found
        if cue is not None and speaker is None and cue.pos_ == "VERB":
            speaker = _subject(cue) or _name_before(cue, end)
        if speaker is not None and start <= speaker.idx < end:
            speaker = None
        if cue is None and not stands_alone:
            continue  # scare quotes around a phrase ("Axis of Resistance") are nobody's words
        if cue is None and prev is not None and _continues(prev, inner):
            cue, speaker = prev.cue, prev.speaker_tok
        elif cue is None and speaker is None and last_speaker is not None:
            # a quotation standing alone continues the last speaker's words
            speaker = last_speaker
        if speaker is not None:
            last_speaker = speaker
        speech = Speech(start, end, True, cue, speaker)
        prev = speech
        out.append(speech)
    return out


def _trimmed(span: Span) -> Span:
    """A content span without leading marks ("that", quotation marks) and trailing punctuation."""
    while len(span) and (span[0].dep_ == "mark" or span[0].is_punct or span[0].is_space):
        span = span[1:]
    while len(span) and (span[-1].is_punct or span[-1].is_space):
        span = span[:-1]
    return span


def _claim_speaker(noun: Token) -> Token | None:
    """Whose claim a claim noun is: its possessor, "by/from X", or the subject of the verb it
    completes ("he made the claim that ...")."""
    for child in noun.children:
        if child.dep_ == "poss":
            return child
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in {"by", "from", "of"}:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    if noun.dep_ in {"dobj", "attr"} and noun.head.pos_ in {"VERB", "AUX"}:
        return next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
    return None


CALL_VERBS = frozenset(v.split()[0] for v in MESSAGE_OBJECT_VERBS | JUDGMENT_VERBS if " " in v)
# What a judgment is for or about: "criticized X for ...", "blamed X on ...", "praised X as ..."
JUDGMENT_LEMMAS = frozenset(v.split()[0] for v in JUDGMENT_VERBS)
JUDGMENT_PREPS = frozenset({"for", "on", "as", "over", "of"})


def _judged(verb: Token) -> Span | None:
    """The one a verb of judgment or stance evaluates, a person included, with what it is judged
    for: "criticized [the senator for his vote]", "railed against [the treaty]"."""
    lemma = verb.lemma_.lower()
    obj: Token | None = None
    if lemma in JUDGMENT_VERBS:
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    for prep in verb.children:
        if obj is None and prep.dep_ in {"prep", "prt"} and f"{lemma} {prep.lower_}" in JUDGMENT_VERBS:
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if obj is None or obj.pos_ == "PRON" and obj.lower_ not in {"it", "this", "that"}:
        return None
    end = obj.right_edge.i
    for c in verb.children:
        if c.i > end and c.dep_ == "prep" and c.lower_ in JUDGMENT_PREPS and not _of_time(c):
            end = c.right_edge.i
    return _untimed(verb.doc[obj.left_edge.i: end + 1])


def _of_time(prep: Token) -> bool:
    """Whether a prepositional phrase says when or how long ("on Tuesday", "for months")."""
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    return pobj is not None and pobj.ent_type_ in {"DATE", "TIME"}


def _untimed(span: Span) -> Span:
    """A span without the prepositional phrases of time that close it: "the reform [for months]"
    (the parser hangs them on the nearest noun; they say when, not what)."""
    while len(span) > 1:
        prep = next((t for t in span if t.dep_ == "prep" and t.right_edge.i == span.end - 1 and t.i > span.start), None)
        if prep is None or not _of_time(prep):
            return span
        span = span.doc[span.start: prep.i]
    return span


def _message_object(verb: Token) -> Token | None:
    """The message a verb of saying takes as its object ("noted the delay", "called for a
    ceasefire"); never a person or a pronoun, who would be the addressee."""
    lemma = verb.lemma_.lower()
    obj: Token | None = None
    if lemma in MESSAGE_OBJECT_VERBS or lemma in SAY_VERBS and not any(c.dep_ == "dative" for c in verb.children):
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    for prep in verb.children:
        if obj is None and prep.dep_ in {"prep", "prt"} and f"{lemma} {prep.lower_}" in MESSAGE_OBJECT_VERBS:
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if obj is None or obj.pos_ in {"PRON", "PROPN"} or obj.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"}:
        return None
    return obj


def _infinitive(verb: Token) -> Token | None:
    """The to-infinitive a verb of intention governs ("vowed to retake the town")."""
    for c in verb.children:
        if c.dep_ == "xcomp" and c.pos_ in {"VERB", "AUX"} and any(g.dep_ == "aux" and g.lower_ == "to"
                                                                   for g in c.children):
            return c
    return None


def _in_paragraph(span: Span, anchor: Token) -> Span:
    """The part of a span inside the paragraph of an anchor token (a paragraph break ends every
    sentence, even where the parser ran across it): empty when the span lies wholly outside."""
    doc = span.doc
    first, last = span.start, span.end
    for i in range(min(anchor.i, span.start), max(anchor.i, span.end - 1)):
        if "\n" in doc[i].text_with_ws:
            if i < anchor.i:
                first = max(first, i + 1)
            else:
                last = min(last, i + 1)
    return doc[first: max(first, last)]


# Verbs that name, characterise or regard their object ("called the deal a disaster", "described
# the strike as a massacre", "views the plan as a threat"): the object with what it is called is the
# speaker's judgment.
NAMING_VERBS = _speech_data()["naming"]


def _characterisation(verb: Token) -> Span | None:
    """The object of a naming verb with the predicate it receives (an object predicate or an "as"
    phrase): "called [the deal a disaster]", "described [the strike as a massacre]"."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    pred = next((c for c in verb.children if c.dep_ == "oprd" or c.dep_ == "prep" and c.lower_ == "as"), None)
    if obj is None or pred is None or pred.i < obj.i:
        return None
    return verb.doc[obj.left_edge.i: pred.right_edge.i + 1]


def _lemma(tok: Token) -> str:
    """A word's lemma, mended where the model drops a silent e ("hopes", "hoped", "hoping" -> "hop"):
    a verb whose lemma is no verb of speech but would be one with an e, unless the token doubles the
    lemma's last consonant as the verb without e does ("hopping")."""
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB" and lemma not in CUE_LEMMAS and lemma + "e" in CUE_LEMMAS | INTENTION_VERBS \
            and lemma and not tok.lower_.startswith(lemma + lemma[-1]):
        return lemma + "e"
    return lemma


SEEMING_VERBS = _speech_data()["seeming"]
RAISING_PASSIVES = _speech_data()["raising_passive"]
EVIDENCE_VERBS = _speech_data()["evidence"]
EVIDENCE_BEARERS = _speech_data()["bearers"] | DOCUMENT_NOUNS


def _to_infinitive(verb: Token) -> Token | None:
    """The to-infinitive a verb or adjective governs ("seems to [give in]", "unlikely to [pass]")."""
    return next((c for c in verb.children if c.dep_ == "xcomp" and any(
        g.dep_ == "aux" and g.lower_ == "to" for g in c.children)), None)


def _with_subject(verb: Token, complement: Token) -> Span | None:
    """The subject of a verb with one of its complements, as one stretch ("[the plan seems
    unlikely to pass]"); the complement alone after an empty "it" ("it seems [that …]")."""
    doc = verb.doc
    subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass", "expl"}), None)
    if subj is None or subj.i > verb.i:
        return None
    if subj.dep_ == "expl" or subj.lower_ == "it" and complement.dep_ in {"ccomp", "advcl"}:
        return doc[complement.left_edge.i: complement.right_edge.i + 1]
    return doc[subj.left_edge.i: max(complement.right_edge.i, verb.i) + 1]


def _seeming(verb: Token) -> Span | None:
    """What a verb of seeming presents, with its subject: "[the plan seems unlikely to pass]",
    "[the senator appeared to give in]", "it looks [as if the talks will fail]"; never a verb of
    seeming used for showing up ("appeared in court") or with a plain adjective ("looks tired")."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in SEEMING_VERBS:
        return None
    comp = _to_infinitive(verb) or next((c for c in verb.children if c.dep_ in {"ccomp", "advcl"} and any(
        g.dep_ == "mark" and g.lower_ in {"like", "if", "though"} for g in c.children)), None)
    if comp is None and verb.lemma_.lower() in {"seem", "appear"}:
        comp = next((c for c in verb.children if c.dep_ in {"oprd", "acomp", "attr"}
                     and (c.pos_ != "ADJ" or _to_infinitive(c) is not None or any(
                         g.dep_ in {"prep", "ccomp"} for g in c.children))), None)
    return _with_subject(verb, comp) if comp is not None else None


def _raised(verb: Token) -> Span | None:
    """A belief in the passive held by no one named: "[the bank is expected to raise rates]",
    "[the party is seen as divided]", "it is expected [that …]"; not with an agent ("expected by
    analysts"), who is then the one who believes."""
    if verb.pos_ != "VERB" or verb.tag_ != "VBN" or verb.lemma_.lower() not in RAISING_PASSIVES \
            or not any(c.dep_ == "auxpass" for c in verb.children) or any(c.dep_ == "agent" for c in verb.children):
        return None
    comp = _to_infinitive(verb) or next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"), None)
    if comp is None:
        comp = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if comp is None or not any(c.dep_ in {"nsubjpass", "expl"} and c.lower_ == "it" for c in verb.children):
            return None
    return _with_subject(verb, comp)


def _evidence_object(verb: Token) -> Span | None:
    """What a record shows: the object of a verb of evidence whose subject carries information,
    with what the object is shown with or doing ("the poll showed [the governor with a lead]")."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in EVIDENCE_VERBS \
            or any(c.dep_ == "ccomp" for c in verb.children):
        return None
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if subj is None or obj is None or obj.pos_ == "PRON" or subj.lemma_.lower() not in EVIDENCE_BEARERS \
            and f"{subj.head.lemma_.lower()} {subj.lemma_.lower()}" not in EVIDENCE_BEARERS:
        return None
    end = obj.right_edge.i
    for c in verb.children:
        if c.i > end and (c.dep_ in {"oprd", "xcomp"} or c.dep_ == "prep" and c.lower_ in {"with", "as", "at"}
                          and not _of_time(c)):
            end = c.right_edge.i
    return verb.doc[obj.left_edge.i: end + 1]


def _reported_speeches(doc: Doc, quoted: list[tuple[int, int]]) -> list[Speech]:
    """Reported speech: "X said (that) ...", "X's claim that ...", "according to X"."""
    out: list[Speech] = []

    def add(content: Span, cue: Token, speaker: Token | None) -> None:
        clipped = _in_paragraph(content, cue)
        if len(clipped) < len(content) and content.root.pos_ in {"VERB", "AUX"} and not any(
                t.pos_ in {"VERB", "AUX"} for t in clipped):
            return  # the parser ran a clause across a paragraph break: what is left is no clause
        span = _trimmed(clipped)
        if not len(span) or any(s <= span.start_char and span.end_char <= e for s, e in quoted):
            return
        out.append(Speech(span.start_char, span.end_char, False, cue, speaker))

    for tok in doc:
        lemma = _lemma(tok)
        described = _characterisation(tok) if lemma in NAMING_VERBS and tok.pos_ == "VERB" else None
        judged = _judged(tok) if lemma in JUDGMENT_LEMMAS and tok.pos_ == "VERB" else None
        if described is not None:
            add(described, tok, _subject(tok))
        elif (unsourced := _seeming(tok) or _raised(tok)) is not None:
            add(unsourced, tok, None)
        elif (shown := _evidence_object(tok)) is not None:
            add(shown, tok, _subject(tok))
        elif judged is not None:
            judge = _subject(tok)
            if judge is not None:  # a judgment without anyone who judges is no one's words
                add(judged, tok, judge)
        elif lemma in CUE_LEMMAS and tok.pos_ == "VERB":
            comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
            if comp is None and lemma in INTENTION_VERBS:
                comp = _infinitive(tok)
            if comp is None:
                comp = _message_object(tok)
            if comp is not None:
                add(doc[comp.left_edge.i: comp.right_edge.i + 1], tok, _subject(tok))
            elif tok.dep_ == "parataxis" and tok.head.pos_ in {"VERB", "AUX"}:
                # a speech tag inside or after the words it attributes ("The test, the army said,
                # was its biggest"): the rest of the sentence, on each side of the tag
                sent = sent_of(tok)
                if not any(s < sent.end_char and sent.start_char < e for s, e in quoted):
                    add(doc[sent.start: tok.left_edge.i], tok, _subject(tok))
                    add(doc[tok.right_edge.i + 1: sent.end], tok, _subject(tok))
        elif lemma in INTENTION_VERBS | CALL_VERBS | MESSAGE_OBJECT_VERBS and tok.pos_ == "VERB":
            comp = _infinitive(tok) or _message_object(tok)
            if comp is not None:
                add(doc[comp.left_edge.i: comp.right_edge.i + 1], tok, _subject(tok))
        elif lemma in CLAIM_NOUNS and tok.pos_ == "NOUN":
            comp = next((c for c in tok.children if c.dep_ in {"acl", "ccomp"}
                         and c.left_edge.lower_ == "that" and c.left_edge.dep_ == "mark"), None)
            if comp is not None:
                add(doc[comp.left_edge.i: comp.right_edge.i + 1], tok, _claim_speaker(tok))
        elif tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            pobj = next((c for c in doc[tok.i + 1].children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            sent = sent_of(tok)
            before, after = doc[sent.start: tok.i], doc[pobj.right_edge.i + 1: sent.end]
            content = before if len(_trimmed(before)) >= len(_trimmed(after)) else after
            add(content, tok, pobj)
    return out


def _headlines(doc: Doc, covered: list[tuple[int, int]]) -> list[Speech]:
    """Lines of the form "X: words" whose prefix names an actor (headlines, transcripts)."""
    out: list[Speech] = []
    for tok in doc:
        if tok.text != ":" or (tok.i + 1 < len(doc) and "\n" in tok.text_with_ws):
            continue
        name = _actor_prefix(doc, tok)
        if name is None:
            continue
        j = tok.i + 1
        while j < len(doc) and "\n" not in doc[j].text_with_ws and not doc[j].is_space:
            j += 1
        line = _trimmed(doc[tok.i + 1: min(j + 1, len(doc))])
        if len(line) < 3 or any(s < line.end_char and line.start_char < e for s, e in covered):
            continue
        out.append(Speech(line.start_char, line.end_char, False, tok, name))
    return out


def _paragraphs(text: str, start: int) -> list[tuple[int, int]]:
    """The non-empty paragraphs (lines) of text from position start on, as stripped spans."""
    out = []
    for m in re.finditer(r"[^\n]+", text[start:]):
        a, b = m.start() + start, m.end() + start
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def _statements(doc: Doc, covered: list[tuple[int, int]]) -> list[Speech]:
    """The words of a statement introduced, without quotation marks, by a speech tag that opens
    its paragraph and ends in a colon ("The Foreign Secretary said:" followed by paragraphs): the
    convention of statements and press releases. The words run from the colon over the following
    paragraphs and end before a paragraph that quotes, introduces other words with a colon, or
    names the speaker again in the third person (narration has resumed)."""
    text = text_of(doc)
    out: list[Speech] = []
    for tok in doc:
        if tok.text != ":" or _line_start(doc, tok) < sent_of(tok).start:
            continue
        found = _speech_tag(tok)
        if found is None:
            continue
        cue, speaker = found
        if speaker is None or speaker.pos_ == "PRON":
            continue
        mention = _in_paragraph(doc[speaker.left_edge.i: speaker.right_edge.i + 1], speaker)
        names = {speaker.lower_} | {t.lower_ for t in mention if t.pos_ == "PROPN"}
        for a, b in _paragraphs(text, tok.idx + 1):
            chunk = text[a:b]
            if any(a < e and s < b for s, e in covered) or any(
                    len(text[s:e].split()) >= 4 for s, e in find_quote_spans(chunk)):
                break
            span = doc.char_span(a, b, alignment_mode="expand")
            if span is None or ("\n" in text[tok.idx:a] and (chunk.endswith(":") or any(
                    t.lower_ in names for t in span))):
                break
            out.append(Speech(a, b, True, cue, speaker))
    return out


def speeches(doc: Doc) -> list[Speech]:
    """Direct and reported speech in the doc, each with its cue and speaker token."""
    direct = _direct_speeches(doc)
    direct += _statements(doc, [(s.start, s.end) for s in direct])
    quoted = [(s.start, s.end) for s in direct]
    reported = _reported_speeches(doc, quoted)
    return direct + reported + _headlines(doc, quoted + [(s.start, s.end) for s in reported])


def _appositions(tok: Token) -> list[Token]:
    return [c for c in tok.children if c.dep_ == "appos"]


def _titled_antecedent(tok: Token, actors: ActorIndex) -> str | None:
    """"the senator" after "Senator Paul Okafor": a definite role noun refers back to the last
    person named with that title."""
    if tok.pos_ != "NOUN" or not any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
        return None
    doc = tok.doc
    for i in range(tok.i - 1, max(-1, tok.i - 400), -1):
        t = doc[i]
        if t.lower_ == tok.lower_ and t.i + 1 < len(doc) and doc[t.i + 1].pos_ == "PROPN":
            found = actors.entity_at(t.i + 1)
            entity = actors.entity(found) if found is not None else None
            if entity is not None and entity.kind == "person":
                return found
    return None


def _speaker_entity(tok: Token, actors: ActorIndex) -> str | None:
    """The entity a speaker noun phrase stands for: a name in apposition ("his wife, NAME"), the
    phrase itself, the issuer of a document ("the ministry statement", "a notice posted on the
    embassy's website"), or the body a spokesperson speaks for ("a spokesman for Y")."""
    for app in _appositions(tok):
        if app.pos_ == "PROPN":
            found = actors.entity_at(app.i)
            if found is not None:
                return found
    found = _titled_antecedent(tok, actors) or actors.entity_at(tok.i)
    if found is not None:
        return found
    inside = [t for t in tok.subtree if t.i != tok.i]
    preferred = [t for t in inside if t.dep_ in {"poss", "compound", "amod"} and t.head.i == tok.i]
    for t in preferred + inside:
        found = actors.entity_at(t.i)
        if found is not None:
            return found
    if tok.lemma_.lower() in DOCUMENT_NOUNS:
        # "the ministry statement" after "the Interior Ministry": the last body named with that noun
        for t in preferred:
            found = _last_named(t, actors)
            if found is not None:
                return found
    return None


def _last_named(tok: Token, actors: ActorIndex) -> str | None:
    """The entity of the last mention before tok that ends in the same noun ("Interior Ministry")."""
    best: tuple[int, str] | None = None
    for _start, end, entity_id in actors.spans:
        if end <= tok.i and tok.doc[end - 1].lower_ == tok.lower_ and (best is None or end > best[0]):
            best = (end, entity_id)
    return best[1] if best else None


def _source_span(tok: Token, cue: Token | None, content: tuple[int, int]) -> Span:
    """The whole mention that introduces a quote: the speaker's noun phrase with its appositions,
    titles and modifiers, but never the cue or the quoted words, and not a possessive ending."""
    doc = tok.doc
    span = _in_paragraph(doc[tok.left_edge.i: tok.right_edge.i + 1], tok)
    left, right = span.start, span.end
    overlaps = span.start_char < content[1] and content[0] < span.end_char
    if len(span) > 30 or overlaps or (cue is not None and left <= cue.i < right):
        span = doc[left: tok.i + 1]
        if (cue is not None and left <= cue.i <= tok.i) or span.start_char < content[1] and content[0] < span.end_char:
            span = doc[tok.i: tok.i + 1]
    while len(span) > 1 and (span[-1].is_punct or span[-1].dep_ == "case" or span[-1].is_space):
        span = span[:-1]
    while len(span) > 1 and (span[0].is_punct or span[0].is_space):
        span = span[1:]
    return span


def _cue_span(cue: Token | None) -> Span | None:
    """The cue as a stretch of text: the verb, "according to", a claim noun, a colon or a dash."""
    if cue is None:
        return None
    doc = cue.doc
    if cue.lower_ == "according" and cue.i + 1 < len(doc) and doc[cue.i + 1].lower_ == "to":
        return doc[cue.i: cue.i + 2]
    return doc[cue.i: cue.i + 1]


def extract_quotes(doc: Doc, actors: ActorIndex) -> tuple[Quote, ...]:
    """Quotes with speakers resolved to entities (speaker None when unattributed); direct
    quotations first, then reported speech, each in text order."""
    quotes: list[Quote] = []
    for sp in speeches(doc):
        speaker_id = None
        speaker_text = None
        source: tuple[int | None, int | None] = (None, None)
        if sp.speaker_tok is not None:
            speaker_id = _speaker_entity(sp.speaker_tok, actors)
            span = _source_span(sp.speaker_tok, sp.cue, (sp.start, sp.end))
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
    quotes.sort(key=lambda q: (not q.direct, q.start))
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

