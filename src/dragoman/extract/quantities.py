"""Quantities: counts of people, fighters, casualties and weapons, and sums of money, with unit.

A number phrase is found in the text ("about 10", "around 50,000", "$5 million", "€2bn",
"1.5 million", "two", "dozens", "tens of thousands"); spaCy's parse then finds what it counts:
the noun it modifies ("10 hardline armed factions" → ``factions``), the noun after "of"
("dozens of people" → ``people``), or, for casualty verbs without a noun ("killed 12", "5 dead"),
``people``. Money gets an ISO 4217 code as its unit (``USD``, ``EUR``, ``GBP``). A number that
counts nothing (a bare "12", "Resolution 2254") is not a quantity.

Choices: years, dates, times and durations are left to ``extract.times``; percentages, ordinals
and ages ("a 22-year-old") are skipped. Vague plurals take the smallest amount they can mean,
twice the unit, and are approximate: "dozens" 24, "hundreds" 200, "thousands" 2,000, "tens of
thousands" 20,000, "hundreds of thousands" 200,000, "millions" 2,000,000. Approximate is also
true after about, around, nearly, some, more than, at least, up to, over, almost, roughly,
an estimated and their kin.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..records import Quantity, TimeExpr
from .sentences import text_of
from .times import find_times

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["extract_quantities", "parse_number"]

_ONES = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
         "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000, "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000,
           "bn": 1_000_000_000, "b": 1_000_000_000, "tn": 1_000_000_000_000}
_VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "tens of thousands": 20_000,
          "hundreds of thousands": 200_000, "millions": 2_000_000, "tens of millions": 20_000_000}
_CURRENCY_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_CURRENCY_WORDS = {"dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR",
                   "pounds sterling": "GBP", "pounds": "GBP", "yuan": "CNY", "rubles": "RUB",
                   "roubles": "RUB", "rupees": "INR",
                   "riyals": "SAR", "dinars": "IQD", "shekels": "ILS", "lira": "TRY", "yen": "JPY"}
_APPROX = ("an estimated", "estimated", "about", "around", "nearly", "almost", "some", "more than",
           "over", "at least", "up to", "roughly", "approximately", "close to", "as many as", "fewer than",
           "less than", "under", "just over", "just under", "upwards of", "well over", "perhaps", "nearly")
_CASUALTY_LEMMAS = {"kill", "wound", "injure", "die", "dead", "killed", "wounded", "injured", "hurt",
                    "perish", "slay", "execute", "abduct", "kidnap", "arrest", "detain", "displace",
                    "evacuate", "rescue", "missing"}
# time units belong to extract.times ("26 years old" is an age, "18 months" a duration)
_NOT_UNITS = {"times", "percent", "per", "cent", "%", "point", "points", "time", "year-old", "years-old",
              "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks",
              "month", "months", "year", "years", "decade", "decades", "century", "centuries"}
_IRREGULAR = {"person": "people", "man": "men", "woman": "women", "child": "children",
              "civilian": "civilians", "militia": "militias", "policeman": "policemen"}

_MAX_DIGITS = 60
_W = "|".join(sorted([*_ONES, *_TENS], key=len, reverse=True))
_WORDNUM = rf"(?:(?:{_W})(?:[-\s](?:{_W}))?(?:\s+(?:hundred|thousand|million|billion))*)"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_SCALE = r"(?:\s*(?:hundred|thousand|million|billion|trillion)|(?:bn|mn|mln|m|k|b|tn)\b)"
_APPROX_RE = "|".join(re.escape(a) for a in sorted(set(_APPROX), key=len, reverse=True))
_VAGUE_RE = "|".join(sorted(_VAGUE, key=len, reverse=True))
_NUMBER_RE = re.compile(
    rf"(?<![\w.,$€£¥-])(?:(?P<approx>{_APPROX_RE})\s+)?"
    rf"(?:(?P<cur>US\$|[$€£¥])\s?)?"
    rf"(?:(?P<vague>{_VAGUE_RE})|(?P<adozen>a dozen|a hundred|a thousand)"
    rf"|(?P<num>{_DIGITS}|{_WORDNUM})(?P<scale>{_SCALE})?)"
    rf"(?:\s+(?P<curword>{'|'.join(sorted(_CURRENCY_WORDS, key=len, reverse=True))})\b)?"
    r"(?![\w%]|-(?:year|month|day|week)|\s*(?:%|percent|per cent)|,\d|\.\d)",
    re.IGNORECASE,
)


def parse_number(text: str) -> float | int | None:
    """The value of a written number: "50,000", "1.5 million", "twenty-five", "three hundred".

    Whole numbers too long for a float to hold exactly stay exact integers; digit runs longer
    than ``_MAX_DIGITS`` are not numbers a text counts with, and give None.
    """
    t = re.sub(r"\s+", " ", text.strip().lower())
    m = re.fullmatch(rf"({_DIGITS})\s*(hundred|thousand|million|billion|trillion|bn|mn|mln|m|k|b|tn)?", t)
    if m:
        digits = m.group(1).replace(",", "")
        if len(digits) > _MAX_DIGITS:
            return None  # a run of digits that long is a code or noise, not a count
        scale = _SCALES[m.group(2)] if m.group(2) else 1
        if "." not in digits:
            return float(digits) * scale if len(digits) <= 15 else int(digits) * scale
        return float(digits) * scale
    total = 0.0
    current = 0.0
    seen = False
    for w in re.split(r"[-\s]+", t):
        if w in _ONES:
            current += _ONES[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in _SCALES:
            total += (current or 1) * _SCALES[w]
            current = 0
        elif w == "and":
            continue
        else:
            return None
        seen = True
    value = total + current
    return value if seen and math.isfinite(value) else None  # "billion billion ..." overflows


def _plural(tok: Token) -> str:
    word = tok.lower_
    if tok.tag_ in ("NNS", "NNPS") or word.endswith("s") and tok.lemma_.lower() != word:
        return word
    lemma = tok.lemma_.lower()
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    if re.search(r"[^aeiou]y$", lemma):
        return lemma[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", lemma):
        return lemma + "es"
    return lemma + "s"


def _counted(tokens: list[Token]) -> Token | None:
    """The noun the number phrase counts, if any."""
    last = tokens[-1]
    # "dozens of people", "thousands of fighters"
    nxt = last.nbor(1) if last.i + 1 < len(last.doc) else None
    if nxt is not None and nxt.lower_ == "of":
        for child in nxt.children:
            if child.dep_ == "pobj" and child.pos_ in ("NOUN", "PROPN"):
                return child
    for t in tokens:
        if t.dep_ in ("nummod", "quantmod", "compound", "amod") and t.head.pos_ == "NOUN" \
                and t.head.i > last.i and t.head not in tokens:
            noun = t.head
            # "10 hardline armed factions": the number attaches to a modifier of the real noun
            while noun.dep_ in ("compound", "nmod", "amod") and noun.head.pos_ == "NOUN" \
                    and noun.head.i > noun.i and noun.head.i - last.i <= 6:
                noun = noun.head
            return noun
    # the parse sometimes hangs the number elsewhere: take the last noun of the nominal run
    # that follows ("10 hardline Shi'ite armed factions", "40 rocket launchers")
    best: Token | None = None
    for t in last.doc[last.i + 1:last.i + 7]:
        if t.pos_ in ("ADJ", "NOUN", "PROPN") or t.tag_ == "POS" or t.text in ("-", "'"):
            if t.pos_ == "NOUN":
                best = t
            continue
        break
    return best


def _casualty_context(tokens: list[Token]) -> bool:
    for t in tokens:
        if t.head.lemma_.lower() in _CASUALTY_LEMMAS and t.dep_ in ("dobj", "nsubj", "nsubjpass", "attr",
                                                                     "npadvmod", "advmod", "conj"):
            return True
        nxt = t.nbor(1) if t.i + 1 < len(t.doc) else None
        if nxt is not None and nxt.lower_ in ("dead", "killed", "wounded", "injured", "missing"):
            return True
    return False


def extract_quantities(doc: Doc, *, times: Sequence[TimeExpr] | None = None) -> tuple[Quantity, ...]:
    """Counts and sums of money in a parsed article, with offsets into ``doc.text``.

    ``times``, the article's time expressions when already found, saves finding them again:
    numbers inside them are not quantities.
    """
    text = text_of(doc)
    if times is None:
        times = find_times(text, None, doc=doc)
    time_spans = [(t.start, t.end) for t in times]
    starts = [t.idx for t in doc]
    out: list[Quantity] = []
    for m in _NUMBER_RE.finditer(text):
        core = next(g for g in ("cur", "vague", "adozen", "num") if m.group(g))
        core_start = m.start(core)
        if any(s < m.end() and core_start < e for s, e in time_spans):
            continue
        if not m.group("vague") and re.match(r"\s+of\s+(?:the|these|those|its|their|his|her|our|them|us)\b",
                                            text[m.end():m.end() + 12], re.I):
            continue  # "one of the commanders" picks members out of a group; it does not count it
        if m.group("vague"):
            value: float | None = float(_VAGUE[re.sub(r"\s+", " ", m.group("vague").lower())])
        elif m.group("adozen"):
            value = float({"a dozen": 12, "a hundred": 100, "a thousand": 1000}[m.group("adozen").lower()])
        else:
            value = parse_number(m.group("num") + (m.group("scale") or ""))
        if value is None:
            continue
        i0 = bisect.bisect_right(starts, core_start) - 1
        i1 = bisect.bisect_left(starts, m.end())
        tokens = [t for t in doc[max(i0, 0):max(i1, i0 + 1)] if not t.is_punct or t.text in ("$", "€", "£")]
        tokens = [t for t in tokens if t.lower_ not in _APPROX] or tokens
        if not tokens or any(t.ent_type_ in ("ORDINAL", "PERCENT") for t in tokens):
            continue
        currency = _CURRENCY_SYMBOLS.get(m.group("cur") or "") or \
            _CURRENCY_WORDS.get(re.sub(r"\s+", " ", (m.group("curword") or "").lower()))
        if m.group("curword") and (m.group("curword") or "").lower() == "pounds":
            after = text[m.end():m.end() + 4].lower()
            if after.startswith(" of"):
                currency = None  # "500 pounds of explosives" is a weight
        unit: str | None
        if currency:
            unit = currency
        else:
            if m.group("num") and re.fullmatch(r"\d{4}", m.group("num")) and 1900 <= value <= 2100 \
                    and not m.group("approx"):
                continue  # a year the time rules did not take ("in 2010, ...") is still not a count
            noun = _counted(tokens)
            if noun is not None and noun.lower_ not in _NOT_UNITS and noun.pos_ == "NOUN":
                unit = _plural(noun)
            elif _casualty_context(tokens):
                unit = "people"
            else:
                continue
            if text[m.end():m.end() + 1] == "-":
                continue  # "a 22-year-old", "10-point plan"
        approx = bool(m.group("approx")) or bool(m.group("vague"))
        if m.group("approx") and m.group("approx").lower() in ("some",) and value < 2:
            approx = False
        start = m.start()
        out.append(Quantity(text[start:m.end()], start, m.end(), int(value) if value == int(value) else value,
                            unit, approx))
    return tuple(out)
