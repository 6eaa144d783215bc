"""Event types and countries as users write them ("bombing", "Iraq", "iq") turned into the codes
the store filters on (ASSAULT, IRQ), or refused with the valid choices listed."""

from __future__ import annotations

import difflib
import json
from functools import lru_cache
from importlib import resources

from .errors import ConfigError
from .plover import EVENT_TYPES, INTERNATIONAL_CODES

__all__ = ["country_code", "country_names", "event_type"]


def event_type(value: str) -> str:
    """The PLOVER event type named by ``value`` (any case); ``ConfigError`` listing them otherwise."""
    code = value.strip().upper()
    if code in EVENT_TYPES:
        return code
    raise ConfigError(f"unknown event type {value!r}; PLOVER event types are: {', '.join(EVENT_TYPES)}")


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Lower-cased ISO codes, names, official names and demonyms -> ISO 3166 alpha-3 code."""
    out: dict[str, str] = {c.lower(): c for c in INTERNATIONAL_CODES}
    text = resources.files("dragoman.kb").joinpath("data/states.jsonl").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        iso3 = row["iso3"]
        out.setdefault(iso3.lower(), iso3)
        for key in ("iso2", "name", "official_name"):
            if row.get(key):
                out.setdefault(str(row[key]).lower(), iso3)
        for key in ("names", "demonyms"):
            for name in row.get(key) or ():
                out.setdefault(str(name).lower(), iso3)
    return out


def country_code(value: str) -> str:
    """The alpha-3 code of a country given as a code or a name; ``ConfigError`` with suggestions."""
    key = " ".join(value.split()).lower()
    names = country_names()
    if key in names:
        return names[key]
    close = difflib.get_close_matches(key, list(names), n=5, cutoff=0.75)
    hint = "; did you mean " + ", ".join(f"{names[c]} ({c})" for c in close) + "?" if close else ""
    codes = sorted({v for v in names.values()})
    raise ConfigError(
        f"unknown country {value!r}{hint} Give an ISO 3166 alpha-3 code or a country name; "
        f"valid codes: {', '.join(codes)}")
