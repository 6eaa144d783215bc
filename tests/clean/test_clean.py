"""Cleaning: datelines, credits, boilerplate, publication dates and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dragoman.clean import clean_article, html_to_text, strip_boilerplate
from dragoman.errors import (
    BinaryInputError,
    EmptyInputError,
    TooLargeError,
    UnsupportedLanguageError,
)

CASES = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:30] for c in CASES])
def test_dateline_credit_and_publication_date(case: dict) -> None:
    art = clean_article(case["text"])
    if case["dateline"] is None:
        assert art.dateline is None
    else:
        assert art.dateline is not None
        assert art.dateline.place == case["dateline"]["place"]
        assert art.dateline.text == case["dateline"]["text"]
    assert art.outlet == case["outlet"]
    assert list(art.wire) == case["wire"]
    assert art.published == case["published"]
    assert art.published_basis == case["basis"]


def test_boilerplate_lines_are_removed_and_credits_kept() -> None:
    raw = ("Rebels seized the town, the army said.\n(Reporting by Reuters; Editing by Jane Doe)\n"
           "END/WD/SMA/NYC/\nComment:")
    text, wires = strip_boilerplate(raw)
    assert text == "Rebels seized the town, the army said."
    assert wires == ["Reuters"]


def test_user_date_wins_and_is_recorded_as_such() -> None:
    art = clean_article("BAGHDAD, April 8 (Reuters) - Talks began in 2023.", published="2024-04-08")
    assert art.published == "2024-04-08"
    assert art.published_basis == "user"


def test_same_text_same_id_and_never_today() -> None:
    a = clean_article("Police arrested ten protesters in the capital, officials said.")
    b = clean_article(b"Police arrested ten protesters in the capital, officials said.\n")
    assert a.id == b.id and a.id.startswith("sha256:")
    assert a.published is None and a.published_basis == "none"


def test_html_page_gives_text_title_and_metadata_date() -> None:
    page = ("<html><head><title>Clashes in the north</title>"
            "<meta property='article:published_time' content='2024-11-02T08:00:00Z'>"
            "<script>var x = 1;</script></head><body><nav>Home | World</nav>"
            "<p>Troops clashed with rebels near the border on Friday, the army said.</p>"
            "<p>At least five people were killed.</p></body></html>")
    art = clean_article(page)
    assert art.title == "Clashes in the north"
    assert art.published == "2024-11-02" and art.published_basis == "metadata"
    assert "var x" not in art.text and "Home | World" not in art.text
    assert art.text.startswith("Troops clashed")
    assert html_to_text("<p>a &amp; b</p>").text == "a & b"


def test_latin1_bytes_are_decoded() -> None:
    raw = "Le Drian met officials in Bogotá; the café was closed, police said in a statement.".encode("latin-1")
    art = clean_article(raw)
    assert "Bogotá" in art.text


@pytest.mark.parametrize(("raw", "error"), [
    (b"", EmptyInputError),
    (b"   \n\t ", EmptyInputError),
    (bytes(range(256)) * 10, BinaryInputError),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", BinaryInputError),
])
def test_bad_input_gets_a_clear_error(raw: bytes, error: type) -> None:
    with pytest.raises(error) as info:
        clean_article(raw, source="bad.txt")
    assert "bad.txt" in str(info.value)


def test_too_large_is_refused_before_decoding() -> None:
    with pytest.raises(TooLargeError, match="larger than the limit"):
        clean_article(b"a" * 2_000_001, max_bytes=2_000_000)


def test_non_english_names_the_language() -> None:
    text = ("Les forces armées ont lancé une offensive contre les groupes armés dans le nord du pays, "
            "a déclaré le ministère de la Défense dans un communiqué publié mardi soir.")
    with pytest.raises(UnsupportedLanguageError) as info:
        clean_article(text)
    assert "French" in str(info.value) and "not supported yet" in str(info.value)
