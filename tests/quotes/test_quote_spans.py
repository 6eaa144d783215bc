"""Quotation spans: straight and curly marks, apostrophes, multi-paragraph quotes."""

from __future__ import annotations

from typing import Any

import pytest

from dragoman.extract.quotes import find_quote_spans

CASES = [
    ('He said "we will fight on" and left.', ["we will fight on"]),
    ("\u201cWe are ready,\u201d the commander said.", ["We are ready,"]),
    ("The group's leaders were \u201cstubborn\u201d, he said.", ["stubborn"]),
    ("It is \"very advanced,\" he said, and \"close.\"", ["very advanced,", "close."]),
    ('"We will not stop.\n"We will go on until the end," he said.',
     ['We will not stop.\n"We will go on until the end,']),
    ("No quotes here, only the rebels' trucks and 5'10\" men.", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_quote_spans(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in find_quote_spans(text)] == expected


EXPORT_CASES = [
    ("''It is done,'' the minister said.", ["It is done,"]),
    ('"""We will stay,"" said the mayor. ""Nobody leaves."""', ["We will stay,", "Nobody leaves."]),
    ('"The army has ""definitively ruled out"" a retreat."', ["definitively ruled out"]),
    ("She called it \u2018a disgrace\u2019 and left.", ["a disgrace"]),
]


@pytest.mark.parametrize(("text", "expected"), EXPORT_CASES)
def test_quote_marks_of_other_conventions(text: str, expected: list[str]) -> None:
    """Typewriter pairs ('' ''), single curly marks, and CSV exports that wrap a paragraph in
    quotes and double the quotation marks inside it."""
    assert [text[s:e] for s, e in find_quote_spans(text)] == expected


def test_a_quotation_closed_by_a_full_stop_takes_no_tag_after_it(pipeline: Any) -> None:
    """Even where the parser runs the next sentence into the quotation's, the finished quotation
    continues its speaker; the verb after it reports that sentence's own clause."""
    from spacy.tokens import Doc

    from dragoman.extract.quotes import speeches

    nlp = pipeline.nlp
    text = ('"That plan is dead," Ruiz said. "If you want to stop it, fine, but you cannot use the budget '
            'as an excuse." Baker said the vote would go ahead.')
    words = nlp.make_doc(text)
    starts = [i == 0 for i in range(len(words))]
    starts[[t.i for t in words if t.text == '"'][2]] = True  # no boundary after the second quotation
    doc = nlp(Doc(nlp.vocab, words=[t.text for t in words], spaces=[bool(t.whitespace_) for t in words],
                  sent_starts=starts))
    found = {text[s.start:s.end]: s for s in speeches(doc)}
    second = found["If you want to stop it, fine, but you cannot use the budget as an excuse."]
    assert second.speaker_tok is not None and second.speaker_tok.text == "Ruiz"
    assert found["the vote would go ahead"].speaker_tok.text == "Baker"
