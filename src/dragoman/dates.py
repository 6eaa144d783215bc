"""Publication dates from whatever form a source gives them: ISO 8601 (also its basic form, 20250305),
RFC 2822, Unix epochs and the written forms of news pages ("17 December 2016", "7:58 AM ET, Sat
January 3, 2015").

A publication date is a day. A value that does not name a whole day (a year, a month, "yesterday")
is refused with a message that shows the whole value, so nothing is silently put on the 1st of a
month or on today's date.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

from .errors import InputError

__all__ = ["parse_published", "published_or_none"]

_ISO_DAY = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T\s_]\d)")
_EPOCH = re.compile(r"\s*-?\d{9,13}(?:\.\d+)?\s*")
# ISO 8601 basic format (no separators), as file names, APIs and some feeds write it: 20250305,
# 20250305T101500Z, 20250305T1015+0100. Eight digits are never read as an epoch: they would be a
# second in 1970-1973, not a news day.
_ISO_BASIC = re.compile(r"\s*(\d{4})(\d{2})(\d{2})"
                        r"(?:T\d{2}(?:\d{2}(?:\d{2}(?:[.,]\d+)?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?\s*")
# Dotted numeric dates are written day first wherever dots are used (12.03.2025 is 12 March): the
# month-first order is American, and American dates use slashes.
_DOTTED = re.compile(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})(?:$|[\s,T]\S*.*)")
# Words that label a date on a page without being part of it.
_LABEL = re.compile(
    r"^\s*(?:(?:first\s+)?published|posted|updated|last\s+updated|modified|date|on)\b\s*[:\-]?\s*",
    re.IGNORECASE,
)
# Zone abbreviations US outlets print ("7:58 AM ET"), which dateparser does not know.
_US_ZONE = re.compile(r"\b(?:ET|CT|MT|PT)\b")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|2[01]\d\d)(?!\d)")


def _from_epoch(value: float) -> date:
    seconds = value / 1000 if abs(value) >= 1e11 else value  # milliseconds past 5138 AD are not dates
    return datetime.fromtimestamp(seconds, tz=UTC).date()


def _whole(value: object) -> str:
    return repr(value) if not isinstance(value, str) else repr(value.strip())


def parse_published(value: str | date | datetime | int | float, *, where: str | None = None) -> date:
    """The day a publication date names; raises ``InputError`` showing the whole value otherwise.

    The day is the one printed (its own time zone), not converted to UTC; epochs are UTC days.
    """
    prefix = f"{where}: " if where else ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise InputError(f"{prefix}publication date {value!r} is not a date")
    if isinstance(value, int) and 10_000_000 <= value <= 99_999_999:  # an eight-digit day: 20250305
        value = str(value)
    elif isinstance(value, int | float):
        try:
            return _from_epoch(float(value))
        except (OverflowError, OSError, ValueError) as exc:
            raise InputError(f"{prefix}publication date {value!r} is not a valid Unix time") from exc
    text = str(value).strip()
    if not text:
        raise InputError(f"{prefix}publication date is empty")
    iso = _ISO_DAY.match(text) or _ISO_BASIC.fullmatch(text)
    dotted = _DOTTED.fullmatch(text)
    ymd = iso.group(1, 2, 3) if iso else dotted.group(3, 2, 1) if dotted else None  # dotted: day first
    if ymd:
        try:
            return date(*map(int, ymd))
        except ValueError as exc:
            raise InputError(f"{prefix}publication date {_whole(value)} is not a real day ({exc})") from exc
    if _EPOCH.fullmatch(text):
        try:
            return _from_epoch(float(text))
        except (OverflowError, OSError, ValueError) as exc:
            raise InputError(f"{prefix}publication date {_whole(value)} is not a valid Unix time") from exc
    try:
        return parsedate_to_datetime(text).date()  # RFC 2822, as in e-mail and RSS
    except (TypeError, ValueError, IndexError):
        pass
    if not _YEAR.search(text):
        raise InputError(
            f"{prefix}publication date {_whole(value)} names no year; "
            "give a whole date such as 2016-12-17, '17 December 2016' or an RFC 2822 date")
    found = _dateparser(_US_ZONE.sub("", _LABEL.sub("", text)))
    if found is None:
        raise InputError(
            f"{prefix}publication date {_whole(value)} is not a whole date (day, month and year); "
            "give it as 2016-12-17, '17 December 2016', an RFC 2822 date or a Unix time")
    return found


def published_or_none(value: str | date | datetime | int | float | None) -> date | None:
    """The day, or None when the value is missing or unreadable (for metadata that may be junk)."""
    if value is None:
        return None
    try:
        return parse_published(value)
    except InputError:
        return None


def _dateparser(text: str) -> date | None:
    import dateparser

    settings = {
        "STRICT_PARSING": True,  # day, month and year all present
        "PREFER_DATES_FROM": "past",
    }
    try:
        got = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    return got.date() if got is not None else None

