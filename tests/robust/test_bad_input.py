"""Inputs a batch meets sooner or later: absurd numbers, odd dates, broken HTML. Each either
works or fails with a typed ``InputError``; none raises anything else."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dragoman.analyse import analyse
from dragoman.clean import clean_article, html_to_text
from dragoman.dates import parse_published
from dragoman.errors import InputError
from dragoman.extract.quantities import parse_number

STORY = ("Rebels attacked an army post near Goma on Tuesday, killing 12 soldiers, "
         "a military spokesman said. Residents said the fighting lasted three hours.")


@pytest.mark.parametrize("number", ["1" + "0" * 309, "10000000000000000000", "9" * 60])
def test_numbers_too_large_for_a_float_do_not_stop_the_analysis(pipeline, number: str) -> None:
    result = analyse(f"Officials said {number} people were killed in Goma on Monday.", pipeline=pipeline)
    json.loads(json.dumps(result.to_dict(), allow_nan=False))
    for q in result.quantities:
        assert q.value == int(q.text.replace(",", ""))


def test_whole_numbers_stay_exact_and_endless_digit_runs_are_not_numbers() -> None:
    assert parse_number("10000000000000000001") == 10000000000000000001
    assert parse_number("1" + "0" * 309) is None
    assert parse_number("two " + "billion " * 40) == 41_000_000_000
    assert parse_number("1.5 million") == 1_500_000


@pytest.mark.parametrize(("given", "iso"), [
    ("Mon, 19 Dec 2016", "2016-12-19"),
    ("Mon, 19 Dec 2016 08:30:00 GMT", "2016-12-19"),
    ("19 December 2016", "2016-12-19"),
    ("Dec. 19, 2016", "2016-12-19"),
    ("Monday, December 19, 2016", "2016-12-19"),
    ("2016/12/19", "2016-12-19"),
    ("2016-12-19T08:30:00Z", "2016-12-19"),
])
def test_common_publication_date_forms_are_read(given: str, iso: str) -> None:
    assert parse_published(given).isoformat() == iso
    assert clean_article(STORY, published=given).published == iso


@pytest.mark.parametrize("bad", ["yesterday", "2016-13-45", "Mon, 45 Foo 2016"])
def test_unreadable_publication_dates_are_input_errors(pipeline, bad: str) -> None:
    with pytest.raises(InputError, match="publication date"):
        analyse(STORY, published=bad, pipeline=pipeline)


def test_rss_date_in_the_python_api_dates_the_article(pipeline) -> None:
    result = analyse(STORY, published="Mon, 19 Dec 2016", pipeline=pipeline)
    assert result.article.published == "2016-12-19"
    assert any(t.value == "2016-12-13" for t in result.times)  # "Tuesday" before that Monday


def test_unknown_marked_section_in_html_is_skipped() -> None:
    page = html_to_text(f"<html><head><title>Goma</title><![CDAT[ junk ]]></head><body><p>{STORY}</p>")
    assert page.title == "Goma" and "Rebels attacked" in page.text


def test_a_head_never_closed_does_not_lose_the_article() -> None:
    art = clean_article(f"<html><head><title>Goma</title><meta name='date' content='2024-03-05'>"
                        f"<p>{STORY}</p><p>Aid groups said 400 families had fled.</p>")
    assert art.text.startswith("Rebels attacked") and "400 families" in art.text
    assert art.published == "2024-03-05" and art.title == "Goma"


def test_markup_without_text_is_an_input_error() -> None:
    with pytest.raises(InputError):
        clean_article("<html><head><script>var a = 1;</script></head><body><div></div></body></html>")


def test_an_analysis_bug_on_one_article_is_reported_and_the_others_go_on(
        pipeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # fault injection: the quantity extractor fails on one article as it once did on 1e309
    # (OverflowError); analyze and ingest report it and analyse the next article
    from dragoman.cli import main
    from dragoman.extract import quantities
    from dragoman.store import Store

    real = quantities.extract_quantities

    def failing(doc: Any, **kw: Any) -> Any:
        if "Goma" in doc.text:
            raise OverflowError("cannot convert float infinity to integer")
        return real(doc, **kw)

    monkeypatch.setattr(quantities, "extract_quantities", failing)
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Police arrested 14 protesters in Nairobi on Thursday, a police spokesman said.",
                                    encoding="utf-8")
    paths = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    assert main(["analyze", "--format", "jsonl", *paths]) == 2
    out, err = capsys.readouterr()
    assert "a.txt: internal error OverflowError" in err
    assert [json.loads(line)["article"]["source"] for line in out.splitlines()] == [paths[1]]
    db = tmp_path / "c.db"
    assert main(["ingest", *paths, "--db", str(db), "-q"]) == 2
    with Store(db) as store:
        assert store.stats()["articles"] == 1
        assert [f.source for f in store.failures()] == [paths[0]]
