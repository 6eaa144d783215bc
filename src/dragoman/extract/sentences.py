"""Sentence lookup for tokens without spaCy's per-call cost.

``Token.sent`` re-checks the whole document's sentence annotation on every call, which makes it
linear in the document; the analysis asks for sentences thousands of times per article. This
module computes the sentence of every token once per Doc and keeps it in ``doc.user_data``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["sent_of", "text_of"]

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
