"""Sentence lookup for tokens without spaCy's per-call cost.

``Token.sent`` re-checks the whole document's sentence annotation on every call, which makes it
linear in the document; the analysis asks for sentences thousands of times per article. This
module computes the sentence of every token once per Doc and keeps it in ``doc.user_data``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["capitals", "expanded_span", "sent_of", "text_of"]

_KEY = "dragoman.sentence_of_token"


def _table(doc: Doc) -> list[Span]:
    table = doc.user_data.get(_KEY)
    if table is None or len(table) != len(doc):
        table = []
        for sent in doc.sents:
            table.extend([sent] * len(sent))
        doc.user_data[_KEY] = table
    return table


def sent_of(tok: Token) -> Span:
    """The sentence that contains a token (same value as ``tok.sent``, computed once per doc)."""
    return _table(tok.doc)[tok.i]


_TEXT_KEY = "dragoman.text"


def text_of(doc: Doc) -> str:
    """``doc.text``, which spaCy rebuilds from the tokens on every access, computed once."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


_SPAN_KEY = "dragoman.expanded_spans"


def expanded_span(doc: Doc, start: int, end: int) -> Span | None:
    """``doc.char_span(start, end, alignment_mode="expand")``, computed once per doc and offsets:
    the events ask for the span of every place and time mention once per trigger."""
    spans = doc.user_data.setdefault(_SPAN_KEY, {})
    try:
        return spans[start, end]
    except KeyError:
        span = spans[start, end] = doc.char_span(start, end, alignment_mode="expand")
        return span


_CAPS_KEY = "dragoman.capitals"


def capitals(doc: Doc) -> list[bool]:
    """Whether each token starts with a capital letter (``tok.text[:1].isupper()``), computed once
    per doc from the text and the tokens' offsets, without making a Token object per word."""
    caps = doc.user_data.get(_CAPS_KEY)
    if caps is None or len(caps) != len(doc):
        from spacy.attrs import IDX

        text = text_of(doc)
        caps = doc.user_data[_CAPS_KEY] = [text[i].isupper() for i in doc.to_array(IDX).tolist()]
    return caps
