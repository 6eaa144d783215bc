"""Publication dates in the forms sources give them; anything that is not a whole day is refused
with the whole value in the message."""

from __future__ import annotations

from datetime import date

import pytest

from dragoman import parse_published
from dragoman.errors import InputError

READ = [
    ("2016-12-17", date(2016, 12, 17)),
    ("2016-12-17T23:30:00-05:00", date(2016, 12, 17)),  # the day printed, not converted to UTC
    ("2009-03-20 12:24:52.002364-05", date(2009, 3, 20)),
    ("2016-12-17Z", date(2016, 12, 17)),
    ("17 December 2016", date(2016, 12, 17)),
    ("December 17, 2016", date(2016, 12, 17)),
    ("7:58 AM ET, Sat January 3, 2015", date(2015, 1, 3)),
    ("Updated 2:14 PM EST, Mon December 1, 2014", date(2014, 12, 1)),
    ("Published: 4 March 2019", date(2019, 3, 4)),
    ("Tue, 10 Jun 2003 04:00:00 GMT", date(2003, 6, 10)),  # RFC 2822
    ("Sat, 03 Jan 2015 07:58:00 -0500", date(2015, 1, 3)),
    ("17/12/2016", date(2016, 12, 17)),
    ("12.03.2025", date(2025, 3, 12)),  # dotted: day first
    ("3.2.2025 14:05", date(2025, 2, 3)),
    ("20250305", date(2025, 3, 5)),  # ISO 8601 basic form
    ("20250305T101500Z", date(2025, 3, 5)),
    ("20250305T2330-0500", date(2025, 3, 5)),  # the day printed, as in the extended form
    ("20250305T101500.250+01:00", date(2025, 3, 5)),
    (20250305, date(2025, 3, 5)),  # eight digits are a day, never a second of 1970
    ("1480000000", date(2016, 11, 24)),  # Unix seconds
    ("1480000000000", date(2016, 11, 24)),  # Unix milliseconds
    (1480000000, date(2016, 11, 24)),
    ("999999999", date(2001, 9, 9)),  # nine digits stay an epoch
    (999999999, date(2001, 9, 9)),
    ("1741169700.5", date(2025, 3, 5)),
    (date(2020, 5, 1), date(2020, 5, 1)),
]


@pytest.mark.parametrize(("value", "day"), READ)
def test_common_forms_are_read(value: object, day: date) -> None:
    assert parse_published(value) == day  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["2016", "March 2016", "yesterday", "2016-02-30", "", "31.02.2025",
                                   "20250230", "20251305T1015Z", "2025030", "20250305T10:15",
                                   "a long value that is not a date at all and goes on past ten characters"])
def test_values_that_name_no_whole_day_are_refused_with_the_whole_value(value: str) -> None:
    with pytest.raises(InputError) as err:
        parse_published(value, where="feed.xml#3")
    assert str(err.value).startswith("feed.xml#3: ")
    assert repr(value.strip()) in str(err.value) or not value


def test_analyse_reads_the_forms_too(pipeline) -> None:
    from dragoman import analyse

    result = analyse("Police arrested two men in Basra on Friday.", published="Sat, 03 Jan 2015 07:58:00 -0500",
                     pipeline=pipeline)
    assert result.article.published == "2015-01-03" and result.article.published_basis == "user"
    with pytest.raises(InputError, match="'the 3rd'"):
        analyse("Police arrested two men in Basra on Friday.", published="the 3rd", pipeline=pipeline)


def test_ingest_stores_compact_iso_dates_from_a_table(tmp_path, pipeline) -> None:
    """``ingest --field date=...`` of JSON Lines whose dates are compact (basic) ISO 8601, as text and as
    a JSON number, beside a JSON epoch: every article stored and dated, none refused."""
    import json

    from dragoman.ingest import ingest
    from dragoman.ingest.tables import iter_table
    from dragoman.store import Store

    dates = ["20250305", "20250306T101500Z", 20250307, 1741392000]
    rows = [{"body": f"Police arrested {n + 2} men in Basra on Friday.", "when": d} for n, d in enumerate(dates)]
    path = tmp_path / "compact.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with Store(str(tmp_path / "c.db")) as store:
        items = list(iter_table(path, {"text": "body", "date": "when"}))
        summary = ingest(store, items, analyser=lambda r: r.analyse(pipeline))
        assert (summary.stored, summary.failed) == (4, 0)
        days = sorted(r["published"] for r in store.db.query("SELECT published FROM articles"))
        assert days == ["2025-03-05", "2025-03-06", "2025-03-07", "2025-03-08"]
        # "on Friday" resolved against each day: the Friday before the compact date 20250305 (a Wednesday)
        friday = {t.value for r in store.iter_results() for t in r.times if t.text == "Friday"}
        assert "2025-02-28" in friday
