"""One decoding path: analyze, ingest files, ingest standard input and tables read the same bytes
as the same text, with the same id, and say when they had to repair them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from dragoman.clean import clean_article
from dragoman.decode import clean_characters, decode_text
from dragoman.errors import BinaryInputError, EmptyInputError
from dragoman.ingest import RawArticle, iter_sources

TEXT = ("MONTRÉAL (Reuters) - Police in Montréal arrested 14 protesters outside the café on Friday, "
        "a spokeswoman said. The protesters – most of them students – had blocked the road for hours.")
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be",
             "cp1252"]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_encoding_gives_the_same_text(encoding: str) -> None:
    decoded = decode_text(TEXT.encode(encoding))
    assert decoded.text == TEXT and decoded.warnings == ()


def test_latin1_without_cp1252_punctuation_is_read() -> None:
    plain = "Police in Montréal arrested 14 protesters outside the café on Friday, a spokeswoman said."
    assert decode_text(plain.encode("latin-1")).text == plain


def test_a_utf8_file_with_some_cp1252_bytes_is_repaired_line_by_line_with_a_warning() -> None:
    good = "Police in Montréal arrested 14 protesters, a spokeswoman said.\n"
    pasted = "The mayor said: “we will not tolerate this” on Friday.\n"
    decoded = decode_text(good.encode("utf-8") * 3 + pasted.encode("cp1252") + good.encode("utf-8"))
    assert decoded.text == good * 3 + pasted + good
    assert len(decoded.warnings) == 1 and "line" in decoded.warnings[0] and "(4)" in decoded.warnings[0]
    art = clean_article(good.encode("utf-8") + pasted.encode("cp1252"))
    assert "Montréal" in art.text and "“we will" in art.text and art.warnings
    assert art.to_dict()["warnings"] == list(art.warnings)


def test_clean_input_has_no_warnings_field() -> None:
    art = clean_article(TEXT.encode("utf-8"))
    assert art.warnings == () and "warnings" not in art.to_dict()


@pytest.mark.parametrize("data", [b"\x00\x01\x02\x03 binary \x00\xff" * 20, bytes(range(256)) * 4])
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(BinaryInputError):
        decode_text(data)


@pytest.mark.parametrize("data", [b"", b"  \n\t", "\ufeff  ".encode()])
def test_empty_is_refused(data: bytes) -> None:
    with pytest.raises(EmptyInputError):
        clean_article(data)


def test_control_characters_and_lone_surrogates_are_removed_with_a_warning() -> None:
    text, warnings = clean_characters("Police\x00 arrested \ud800ten people.\x1b")
    assert text == "Police arrested \ufffdten people." and len(warnings) == 2


def _articles(specs: list[str], **kw: object) -> list[RawArticle]:
    return [a for a in iter_sources(specs, **kw) if isinstance(a, RawArticle)]  # type: ignore[arg-type]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16", "utf-16-le", "utf-32", "utf-8-sig"])
def test_ingest_and_analyze_read_a_file_to_the_same_text_and_id(tmp_path: Path, encoding: str) -> None:
    body = TEXT if encoding != "latin-1" else TEXT.replace("–", "-")
    path = tmp_path / "story.txt"
    path.write_bytes(body.encode(encoding))
    (raw,) = _articles([str(path)])
    from_ingest = clean_article(raw.text, source=raw.source, html_input=raw.html)
    from_analyze = clean_article(path.read_bytes(), source=str(path))
    assert from_ingest.text == from_analyze.text and from_ingest.id == from_analyze.id
    assert "Montréal" in from_ingest.text


def test_latin1_on_standard_input_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    data = TEXT.replace("–", "-").encode("latin-1")

    class Stdin:
        buffer = type("B", (), {"read": staticmethod(lambda: data)})()

    monkeypatch.setattr(sys, "stdin", Stdin())
    (raw,) = _articles(["-"])
    assert clean_article(raw.text).text == clean_article(data).text


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".json"])
def test_tables_in_cp1252_or_utf16_decode_like_files(tmp_path: Path, suffix: str) -> None:
    row = {"text": TEXT, "title": "Arrests in Montréal"}
    if suffix == ".csv":
        content = "text,title\n" + f'"{TEXT}","Arrests in Montréal"\n'
    elif suffix == ".json":
        content = json.dumps([row], ensure_ascii=False)
    else:
        content = json.dumps(row, ensure_ascii=False) + "\n"
    for encoding in ("utf-16", "cp1252"):
        path = tmp_path / f"t-{encoding}{suffix}"
        path.write_bytes(content.encode(encoding))
        (raw,) = _articles([str(path)])
        assert raw.text == TEXT and raw.title == "Arrests in Montréal"
        assert bool(raw.warnings) is (encoding == "cp1252")
