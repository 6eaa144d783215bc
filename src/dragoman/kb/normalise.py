"""Folding of names and texts into match keys, keeping a map back to the original offsets."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

__all__ = ["fold", "key", "normalise_spans", "skeleton"]

# Apostrophe-like marks vanish ("Kata'ib" = "Kataib"), except in a possessive "'s", which becomes
# a separate token so that "Iraq's government" and "Iraq’s government" fold alike.
_APOSTROPHES = frozenset("'’‘ʼʻ`´ʹ′ʿʾ")
# Periods stay because "U.S." and "US" are different aliases (one of them case-sensitive).
_KEEP = frozenset(".&")
# Letters that NFKD leaves alone but every reader treats as their plain counterpart.
_EXTRA = {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ı": "i", "æ": "ae", "œ": "oe", "ß": "ss", "þ": "th"}
_TOKEN = re.compile(r"[a-z0-9]+")

_variants: dict[str, str] = {}


def set_variants(variants: Mapping[str, str]) -> None:
    """Install the token spelling variants (data/spelling.tsv); keys folded already."""
    _variants.clear()
    _variants.update(variants)
    key.cache_clear()


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    low = ch.lower()
    out = []
    for c in unicodedata.normalize("NFKD", low):
        if unicodedata.combining(c):
            continue
        out.append(_EXTRA.get(c, c))
    return "".join(out)


def normalise_spans(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the source character."""
    out: list[str] = []
    idx: list[int] = []
    n = len(text)
    for i, ch in enumerate(text):
        if ch in _APOSTROPHES:
            if i + 1 < n and text[i + 1] in "sS" and (i + 2 == n or not text[i + 2].isalnum()):
                if out and out[-1] != " ":
                    out.append(" ")
                    idx.append(i)
            continue
        for c in _fold_char(ch):
            if c.isalnum() or c in _KEEP:
                out.append(c)
                idx.append(i)
            elif out and out[-1] != " ":
                out.append(" ")
                idx.append(i)
    while out and out[-1] == " ":
        out.pop()
        idx.pop()
    folded = "".join(out)
    if not _variants:
        return folded, idx
    # Spelling variants are whole-token substitutions; each new character maps onto the
    # replaced token's characters so that start and end offsets stay exact.
    parts: list[str] = []
    new_idx: list[int] = []
    pos = 0
    for m in _TOKEN.finditer(folded):
        canon = _variants.get(m.group())
        if canon is None:
            continue
        parts.append(folded[pos:m.start()])
        new_idx.extend(idx[pos:m.start()])
        parts.append(canon)
        span = idx[m.start():m.end()]
        new_idx.extend(span[min(j, len(span) - 1)] for j in range(len(canon)))
        pos = m.end()
    if pos == 0:
        return folded, idx
    parts.append(folded[pos:])
    new_idx.extend(idx[pos:])
    return "".join(parts), new_idx


_POSSESSIVE = re.compile(r"['`]s(?![a-z0-9])")
_DROP = re.compile(r"['`]")
_SEPARATORS = re.compile(r"[^a-z0-9.&]+")


def _swap_variant(m: re.Match[str]) -> str:
    return _variants.get(m.group(), m.group())


def fold(text: str) -> str:
    """Case-, diacritic-, apostrophe- and spelling-insensitive form of a text."""
    if not text.isascii():
        return normalise_spans(text)[0]
    # The same result as normalise_spans, by regular expressions: loading folds ~27,000
    # aliases and the character loop would cost most of the load time.
    t = _DROP.sub("", _POSSESSIVE.sub(" s", text.lower()))
    t = _SEPARATORS.sub(" ", t).strip()
    return _TOKEN.sub(_swap_variant, t) if _variants else t


@lru_cache(maxsize=65536)
def key(name: str) -> str:
    """The lookup key of a name: folded, without a leading "the"."""
    k = fold(name)
    return k[4:] if k.startswith("the ") else k


def skeleton(text: str) -> str:
    """Letters and digits only, case kept: how a case-sensitive alias is compared."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isalnum())
