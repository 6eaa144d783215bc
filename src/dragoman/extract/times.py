"""Time expressions: find TIMEX3 spans in news text and resolve them against the publication date.

Spans come from hand-written patterns for news phrasing (dates, weekdays, relative periods,
durations, sets, clock times, years, decades); spaCy's parse is used only to check that a bare
number is a year and to read the tense of the clause ("will meet on Friday" looks forward,
"met on Friday" looks back). Values follow TIMEX3 (``2025-04-08``, ``2025-W14``, ``2023-10``,
``P18M``, ``P1W`` for a SET, ``PRESENT_REF``).

Two conventions differ between strict TIMEX3 and what event dating needs, so the choice is a
keyword: with ``anchor_intervals=True`` (the default, used in article results) "the past 18 months"
is the interval ``2023-10/2025-04`` that ends at publication and "since October 2023" is
``2023-10/2025-04``; with ``anchor_intervals=False`` (TIMEX3, used by ``dragoman evaluate timex``)
the first is the duration ``P18M`` and the second is the date "October 2023" alone.

Without a publication date, expressions that need one (relative dates, a month and day without a
year, weekdays) get the value ``None``; absolute ones ("October 2023", "2003") keep their value.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..records import TimeExpr

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["ParseAnswers", "extract_times", "find_times", "resolve_time"]

# ---------------------------------------------------------------------------------------------
# Vocabulary

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6,
            "sunday": 7}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
SEASON_ORDER = {"WI": 0, "SP": 1, "SU": 2, "FA": 3}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a hundred": 100, "a dozen": 12, "dozen": 12, "half a": 0.5,
    "a couple of": 2, "couple of": 2, "a couple": 2,
}
# Vague amounts keep the unit but not the number: "several days" is PXD.
VAGUE_WORDS = ("a few", "few", "several", "many", "some", "a number of", "numerous", "the next few",
               "the past few")
# (TIMEX3 letter, whether it is a time-of-day unit that needs "PT")
UNITS = {
    "second": ("S", True), "minute": ("M", True), "hour": ("H", True), "day": ("D", False),
    "night": ("D", False), "week": ("W", False), "fortnight": ("W", False), "month": ("M", False),
    "quarter": ("Q", False), "year": ("Y", False), "decade": ("Y", False), "century": ("Y", False),
}
UNIT_SCALE = {"fortnight": 2, "decade": 10, "century": 100}
_DETERMINERS = {"the", "these", "those", "their", "its", "his", "her", "our", "my", "your", "this", "that",
                "first", "last", "final", "early", "later", "golden", "best", "worst"}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
HOLIDAYS = {"christmas day": (12, 25), "christmas eve": (12, 24), "christmas": (12, 25),
            "new year's day": (1, 1), "new year's eve": (12, 31), "halloween": (10, 31),
            "valentine's day": (2, 14), "independence day": (7, 4)}


def _ci(words: str) -> str:
    """A regex alternation that accepts each word lower-case or capitalised."""
    out = []
    for w in sorted(words.split("|"), key=len, reverse=True):
        out.append(f"[{w[0].upper()}{w[0]}]{re.escape(w[1:])}".replace("\\ ", r"\s+"))
    return "(?:" + "|".join(out) + ")"


_MONTH_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_ABBR = r"Jan\.?|Feb\.?|Mar\.|Apr\.?|Jun\.|Jul\.|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?"
MONTH = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR})"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
SEASON = _ci("spring|summer|autumn|fall|winter")
_SEASON_REL = "last|this|next|past|the coming|the past|the last|the"
DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_NUMW = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
         "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
         "hundred")
NUMWORD = rf"(?:{_ci(_NUMW)}(?:[-\s]{_ci('one|two|three|four|five|six|seven|eight|nine')})?)"
NUMBER = rf"(?:\d+(?:\.\d+)?|{NUMWORD}|{_ci('a|an|a dozen|half a|a couple of|a couple')})"
VAGUE = _ci("a few|few|several|many|some|a number of|numerous")
UNIT = (r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|fortnights?|months?|quarters?|years?|decades?|"
        r"centur(?:y|ies))")
BARE_UNITS = r"(?P<unit>[Mm]inutes|[Hh]ours|[Dd]ays|[Ww]eeks|[Mm]onths|[Yy]ears|[Dd]ecades)"
DEICTIC = _ci("the day before yesterday|the day after tomorrow|yesterday|today|tomorrow|tonight")
RELWORD = _ci("this|last|next|the past|the last|the previous|the coming|this past|this coming|the current|"
              "current|the same")
REFWORD = _ci("right now|now|currently|at present|nowadays|these days|at the moment|recently|lately|"
              "in the past|the past|in the future|the future|in future")
_MONTH_CONTEXT = r"\b(in|since|until|till|by|of|through|from|to|before|after|during|early|late|mid)\s+$"
_NOT_YEAR_BEFORE = (r"[$€£#№]\s*$|\b(?:No|no|number|Number|page|Flight|flight|Route|route|Resolution|"
                    r"resolution)\.?\s+$")
_NOT_YEAR_AFTER = (r"\s*(?:%|percent|per cent|[,.]\d|:\d|\s*(?:km|kilometers|kilometres|miles|meters|metres|"
                   r"feet|people|persons|troops|soldiers|fighters|civilians|men|women|children|deaths|dead|"
                   r"cases|votes|rockets|missiles|dollars|euros|pounds|units|hours|minutes|times|points)\b)")
APPROX = _ci("almost|nearly|about|around|roughly|approximately|some|more than|over|less than|"
             "fewer than|at least|at most|up to|under|just over|just under|close to")
PASTREL = _ci("the past|the last|the previous|past|last|previous|the first|the next|the coming|"
              "next|the final|the following|the recent|recent|the preceding")
PART = _ci("early|mid|late|the end of|the beginning of|the start of|the middle of|the first half of|"
           "the second half of|the turn of|earlier|later")
PART_MOD = {"early": "START", "beginning": "START", "start": "START", "first half": "START",
            "mid": "MID", "middle": "MID", "late": "END", "end": "END", "second half": "END",
            "turn": "END"}

_B = r"(?<![\w$€£.-])"  # left word boundary that also refuses "$2010" and "v2.2010"
_E = r"(?![\w%-])"  # right boundary that refuses "2010%" and "four-week-old"

# ---------------------------------------------------------------------------------------------
# Calendar helpers


def _week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


def _season_of(d: date) -> tuple[int, str]:
    m = d.month
    if m in (12, 1, 2):
        return (d.year if m == 12 else d.year - 1), "WI"
    return d.year, ("SP" if m <= 5 else "SU" if m <= 8 else "FA")


def _num(text: str) -> float | None:
    t = re.sub(r"\s+", " ", text.strip().lower())
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t)
    if t in NUMBER_WORDS:
        return float(NUMBER_WORDS[t])
    parts = re.split(r"[-\s]", t)
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return float(NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]])
    return None


def _fmt_num(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


def _duration(n: float | None, unit: str) -> str:
    u = unit.lower().rstrip("s")
    if u == "centurie":
        u = "century"
    letter, timey = UNITS[u]
    if n is None:
        return f"PT{'X'}{letter}" if timey else f"PX{letter}"
    n = n * UNIT_SCALE.get(u, 1)
    if u == "quarter":
        n, letter = n * 3, "M"
    if n != int(n):
        # "half a year" is P6M, "1.5 days" is P36H: step down to a unit that makes it whole
        smaller = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24), "H": ("M", 60)}
        if letter in smaller and (n * smaller[letter][1]) == int(n * smaller[letter][1]):
            letter, n = smaller[letter][0], n * smaller[letter][1]
            timey = timey or letter in ("H",) or (u in ("day", "night") and letter == "H")
    return f"{'PT' if timey else 'P'}{_fmt_num(n)}{letter}"


def _shift(published: date, n: int, unit: str) -> str:
    """The date ``n`` units before (negative n: after) publication, at the unit's granularity."""
    u = unit.lower().rstrip("s")
    if u in ("day", "night"):
        return (published - timedelta(days=n)).isoformat()
    if u in ("week", "fortnight"):
        return _week(published - timedelta(weeks=n * UNIT_SCALE.get(u, 1)))
    if u == "month":
        y, m = _add_months(published.year, published.month, -n)
        return f"{y:04d}-{m:02d}"
    if u == "quarter":
        y, m = _add_months(published.year, published.month, -3 * n)
        return f"{y:04d}-Q{(m - 1) // 3 + 1}"
    if u in ("decade", "centurie", "century"):
        return f"{published.year - n * UNIT_SCALE.get('century' if u.startswith('centur') else u, 1):04d}"
    if u == "year":
        return f"{published.year - n:04d}"
    return published.isoformat()


def _granular_end(value: str, published: date) -> str:
    """Publication at the granularity of ``value`` (``2023-10`` → ``2025-04``)."""
    if re.fullmatch(r"\d{4}", value):
        return f"{published.year:04d}"
    if re.fullmatch(r"\d{4}-\d\d", value):
        return f"{published.year:04d}-{published.month:02d}"
    if re.fullmatch(r"\d{4}-W\d\d", value):
        return _week(published)
    return published.isoformat()


# ---------------------------------------------------------------------------------------------
# Direction: does the clause look back (past), forward (future), or neither?

PAST, FUTURE, UNKNOWN = -1, 1, 0


def _tense(tok: Token | None) -> int:
    if tok is None:
        return UNKNOWN
    verb = tok
    for _ in range(5):
        if verb.pos_ in ("VERB", "AUX") or verb.dep_ == "ROOT":
            break
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return UNKNOWN
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lemmas = {a.lower_ for a in auxes}
    if lemmas & {"will", "'ll", "shall", "wo"}:
        return FUTURE
    if any(a.tag_ == "TO" for a in auxes) or (verb.tag_ == "VB" and not auxes):
        # "to run through June", "is expected to begin on Monday"
        return FUTURE
    if verb.lemma_ == "go" and any(c.tag_ == "TO" for c in verb.head.children):
        return FUTURE
    if any(a.tag_ == "VBD" for a in auxes) or verb.tag_ == "VBD":
        return PAST
    if verb.tag_ == "VBN" and (not auxes or lemmas & {"has", "have", "had", "'ve", "was", "were"}):
        # a participle without auxiliary is a reduced relative or a past mis-tagged ("and peaked by")
        return PAST
    if verb.tag_ == "VBG" and lemmas & {"was", "were"}:
        return PAST
    if verb.tag_ == "VBN" and lemmas & {"is", "are", "am", "'s", "'re"}:
        return FUTURE  # "is planned for Saturday", "are expected on May 3"
    if verb.tag_ in ("VBZ", "VBP") or (verb.tag_ == "VBG" and lemmas & {"is", "are", "am", "'s", "'re"}):
        # news reports the past in the past tense; a present or progressive verb with a day or
        # a month ("the curfew starts at 8 p.m. on Saturday", "are meeting on Friday") is a schedule
        return FUTURE
    return UNKNOWN


def _pick(past: date, future: date, published: date, tense: int) -> date:
    if tense == PAST:
        return past
    if tense == FUTURE:
        return future
    # present tense or no verb: the nearer one, ties and near-ties going to the past as news
    # mostly reports what happened
    return future if (future - published) * 2 < (published - past) else past


# ---------------------------------------------------------------------------------------------
# Candidates


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    value: str | None
    type: str
    priority: int = 0
    # TIMEX3 form when it differs (inner span and value): "since October 2023" → "October 2023"
    strict: tuple[int, int, str | None, str] | None = None


@dataclass(slots=True)
class _Ctx:
    text: str
    published: date | None
    tense_at: Callable[[int], int]
    is_year: Callable[[int, int], bool]
    is_adverb: Callable[[int], bool]


Handler = Callable[[re.Match[str], _Ctx], "_Cand | None"]
_RULES: list[tuple[re.Pattern[str], Handler, int]] = []


def _rule(pattern: str, priority: int = 0) -> Callable[[Handler], Handler]:
    def deco(fn: Handler) -> Handler:
        _RULES.append((re.compile(pattern), fn, priority))
        return fn
    return deco


def _g(m: re.Match[str], name: str) -> str:
    return m.group(name) or ""


def _part_mod(part: str) -> str | None:
    p = part.lower()
    for k, v in PART_MOD.items():
        if k in p:
            return v
    return None


def _month_value(month: int, ctx: _Ctx, at: int, rel: str = "") -> str | None:
    pub = ctx.published
    if pub is None:
        return None
    rel = rel.lower()
    if rel in ("last", "past", "previous"):
        y = pub.year if month < pub.month else pub.year - 1
        return f"{y:04d}-{month:02d}"
    if rel in ("next", "coming"):
        y = pub.year if month > pub.month else pub.year + 1
        return f"{y:04d}-{month:02d}"
    if rel == "this":
        return f"{pub.year:04d}-{month:02d}"
    past = date(pub.year if month <= pub.month else pub.year - 1, month, 1)
    future = date(pub.year if month >= pub.month else pub.year + 1, month, 1)
    first = pub.replace(day=1)
    chosen = _pick(past, future, first, ctx.tense_at(at))
    return f"{chosen.year:04d}-{month:02d}"


def _day_value(month: int, day: int, ctx: _Ctx, at: int) -> str | None:
    pub = ctx.published
    if pub is None:
        return None
    try:
        this = date(pub.year, month, day)
    except ValueError:
        return None
    if this == pub:
        return this.isoformat()
    if this < pub:
        past = this
        future = _safe_date(pub.year + 1, month, day) or this
    else:
        future = this
        past = _safe_date(pub.year - 1, month, day) or this
    return _pick(past, future, pub, ctx.tense_at(at)).isoformat()


def _day_str(d: date | None, suffix: str = "") -> str | None:
    return f"{d.isoformat()}{suffix}" if d else None


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _weekday_date(wd: int, rel: str, ctx: _Ctx, at: int) -> date | None:
    pub = ctx.published
    if pub is None:
        return None
    back = (pub.isoweekday() - wd) % 7
    past = pub - timedelta(days=back)
    future = pub + timedelta(days=(wd - pub.isoweekday()) % 7)
    rel = rel.lower()
    if rel == "last":
        return past if back else pub - timedelta(days=7)
    if rel == "next":
        return future if future != pub else pub + timedelta(days=7)
    if rel == "this":
        # "this Friday": the one in the current ISO week
        return pub + timedelta(days=wd - pub.isoweekday())
    return _pick(past, future, pub, ctx.tense_at(at))


# --- absolute and month-based dates ---------------------------------------------------------

@_rule(rf"{_B}(?:(?P<part>{PART})[\s-]+)?(?:(?P<rel>{_ci('last|this|next|past')})\s+)?"
       rf"(?P<month>{MONTH})(?:\s+(?P<day>{DAYNUM}))?(?:,?\s+(?P<year>{YEAR}))?"
       r"(?![\w%]|-[a-z])", 2)
def _month_date(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    name = _g(m, "month").rstrip(".").lower()
    month = MONTHS[name]
    day = int(re.sub(r"\D", "", _g(m, "day"))) if m.group("day") else None
    year = int(_g(m, "year")) if m.group("year") else None
    if day is None and year is None and name not in _MONTH_FULL.lower().split("|"):
        return None  # "Jan" alone is more often a first name than January
    if name == "may" and not (day or year or m.group("part") or m.group("rel")):
        # "May" is a month only where the words around it say so
        before = ctx.text[max(0, m.start() - 12):m.start()].lower()
        if not re.search(_MONTH_CONTEXT, before):
            return None
    if name in ("march",) and not (day or year) and not re.search(
            r"\b(in|since|until|till|by|of|through|from|to|before|after|during|early|late|mid|last|next|this)"
            r"[\s-]+$", ctx.text[max(0, m.start() - 12):m.start()].lower()) and not m.group("part"):
        return None
    start = m.start()
    if year is not None:
        value: str | None = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
        if day and _safe_date(year, month, day) is None:
            return None
    elif day is not None:
        value = _day_value(month, day, ctx, start)
    else:
        value = _month_value(month, ctx, start, _g(m, "rel"))
    return _Cand(m.start(), m.end(), value, "DATE")


@_rule(rf"{_B}(?P<day>{DAYNUM})\s+(?:of\s+)?(?P<month>{MONTH})(?:,?\s+(?P<year>{YEAR}))?{_E}", 3)
def _day_month(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    month = MONTHS[_g(m, "month").rstrip(".").lower()]
    day = int(re.sub(r"\D", "", _g(m, "day")))
    if m.group("year"):
        y = int(_g(m, "year"))
        if _safe_date(y, month, day) is None:
            return None
        return _Cand(m.start(), m.end(), f"{y:04d}-{month:02d}-{day:02d}", "DATE")
    return _Cand(m.start(), m.end(), _day_value(month, day, ctx, m.start()), "DATE")


@_rule(rf"{_B}(?P<y>{YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-3]\d){_E}", 4)
def _iso(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    if _safe_date(int(m["y"]), int(m["m"]), int(m["d"])) is None:
        return None
    return _Cand(m.start(), m.end(), m.group(0), "DATE")


@_rule(rf"{_B}(?P<m>1[0-2]|0?[1-9])/(?P<d>[12]\d|3[01]|0?[1-9])/(?P<y>{YEAR}|\d\d){_E}", 4)
def _slashed(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    y = int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
    if _safe_date(y, int(m["m"]), int(m["d"])) is None:
        return None
    return _Cand(m.start(), m.end(), f"{y:04d}-{int(m['m']):02d}-{int(m['d']):02d}", "DATE")


@_rule(rf"{_B}(?:(?P<part>{PART})[\s-]+)?(?:(?P<fiscal>{_ci('fiscal year|fiscal|FY')})\s*)?(?P<year>{YEAR})"
       rf"(?:(?P<dash>[-–])(?P<year2>{YEAR}|\d\d)(?!\d))?(?P<s>s)?{_E}", 1)
def _year(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    if not m.group("part") and not m.group("fiscal") and not ctx.is_year(m.start("year"), m.end("year")):
        return None
    y = _g(m, "year")
    if m.group("s"):
        decade = y[:3] if y[3] == "0" else None
        if decade is None:
            return None
        return _Cand(m.start(), m.end(), decade, "DATE")
    if m.group("year2"):
        # "2009-2010" is two dates in TIMEX3; the handler returns the first, the second is
        # picked up by a second pass (see _split_ranges)
        return _Cand(m.start(), m.end("year"), y, "DATE")
    return _Cand(m.start(), m.end(), y, "DATE")


@_rule(rf"{_B}(?P<the>{_ci('the')}\s+)?(?:(?P<part>{_ci('early|mid|late')})[\s-]+)?(?:(?P<"
       rf"full>1[5-9]\d0|20\d0)s|'(?P<short>\d0)s){_E}", 2)
def _decade(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    if m.group("full"):
        return _Cand(m.start(), m.end(), _g(m, "full")[:3], "DATE")
    short = int(_g(m, "short"))
    return _Cand(m.start(), m.end(), f"{19 if short >= 30 else 20}{short // 10}", "DATE")


@_rule(rf"{_B}{_ci('the')}\s+(?:(?P<part>{_ci('early|mid|late')})[\s-]+)?(?P<n>\d\d?)(?:st"
       rf"|nd|rd|th)\s+{_ci('century')}{_E}", 2)
def _century(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    return _Cand(m.start(), m.end(), f"{int(m['n']) - 1:02d}", "DATE")


@_rule(rf"{_B}(?P<name>{_ci('christmas day|christmas eve|christmas|halloween|independence day')}"
       rf"|New Year's (?:Day|Eve)|Valentine's Day)"
       rf"(?:\s+(?P<year>{YEAR}))?{_E}", 1)
def _holiday(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    mon, day = HOLIDAYS[re.sub(r"\s+", " ", _g(m, "name").lower())]
    if m.group("year"):
        return _Cand(m.start(), m.end(), f"{_g(m, 'year')}-{mon:02d}-{day:02d}", "DATE")
    return _Cand(m.start(), m.end(), _day_value(mon, day, ctx, m.start()), "DATE")


# --- seasons and quarters ---------------------------------------------------------------------

@_rule(rf"{_B}(?:(?P<part>{PART})\s+)?(?:(?P<rel>{_ci(_SEASON_REL)}"
       rf")\s+)?"
       rf"(?P<season>{SEASON})(?:\s+(?:{_ci('of')}\s+)?(?P<year>{YEAR}))?{_E}", 1)
def _season(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    code = SEASONS[_g(m, "season").lower()]
    if m.group("year"):
        return _Cand(m.start(), m.end(), f"{_g(m, 'year')}-{code}", "DATE")
    rel = _g(m, "rel").lower().replace("the ", "")
    if not rel or rel == "the":
        return None  # "the fall of the regime": too ambiguous without a year or a relative word
    pub = ctx.published
    if pub is None:
        return _Cand(m.start(), m.end(), None, "DATE")
    cur_year, cur = _season_of(pub)
    if rel == "this":
        y = cur_year if SEASON_ORDER[code] >= SEASON_ORDER[cur] or code == cur else cur_year
    elif rel in ("last", "past"):
        y = cur_year if SEASON_ORDER[code] < SEASON_ORDER[cur] else cur_year - 1
    else:
        y = cur_year if SEASON_ORDER[code] > SEASON_ORDER[cur] else cur_year + 1
    return _Cand(m.start(), m.end(), f"{y:04d}-{code}", "DATE")


@_rule(rf"{_B}{_ci('the')}\s+(?P<ord>{_ci('first|second|third|fourth|final|last')})\s+{_ci('quarter')}"
       rf"(?:\s+of\s+(?P<year>{YEAR}|{_ci('this year|last year|next year')}))?{_E}", 1)
def _quarter(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    q = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4}[_g(m, "ord").lower()]
    ytxt = _g(m, "year").lower()
    if re.fullmatch(YEAR, ytxt):
        return _Cand(m.start(), m.end(), f"{ytxt}-Q{q}", "DATE")
    if ctx.published is None:
        return _Cand(m.start(), m.end(), None, "DATE")
    y = ctx.published.year + {"last year": -1, "next year": 1}.get(ytxt, 0)
    if not ytxt and q > (ctx.published.month - 1) // 3 + 1 and ctx.tense_at(m.start()) != FUTURE:
        y -= 1  # "sales fell in the fourth quarter", written in March: last year's
    return _Cand(m.start(), m.end(), f"{y:04d}-Q{q}", "DATE")


# --- weekdays, days and parts of days --------------------------------------------------------

@_rule(rf"{_B}(?:(?P<rel>{_ci('last|this|next|this coming|this past')})\s+)?(?P<wd>{WEEKDAY})"
       rf"(?:(?:\s+|-)(?P<pod>morning|afternoon|evening|night))?(?!\w)", 2)
def _weekday(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    rel = _g(m, "rel").lower().replace("this coming", "next").replace("this past", "last")
    d = _weekday_date(WEEKDAYS[_g(m, "wd").lower()], rel, ctx, m.start())
    pod = m.group("pod")
    if pod:
        return _Cand(m.start(), m.end(), _day_str(d, f"T{PARTS_OF_DAY[pod]}"), "TIME")
    return _Cand(m.start(), m.end(), _day_str(d), "DATE")


@_rule(rf"{_B}(?P<word>{DEICTIC}"
       rf")"
       rf"(?:(?:\s+|-)(?P<pod>morning|afternoon|evening|night))?(?!\w)", 2)
def _deictic_day(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    word = re.sub(r"\s+", " ", _g(m, "word").lower())
    offset = {"the day before yesterday": -2, "yesterday": -1, "today": 0, "tonight": 0,
              "tomorrow": 1, "the day after tomorrow": 2}[word]
    pub = ctx.published
    d = pub + timedelta(days=offset) if pub else None
    pod = m.group("pod") or ("night" if word == "tonight" else None)
    if pod:
        return _Cand(m.start(), m.end(), _day_str(d, f"T{PARTS_OF_DAY[pod]}"), "TIME")
    return _Cand(m.start(), m.end(), _day_str(d), "DATE")


@_rule(rf"{_B}(?P<rel>{_ci('this|last|early this|late last|late this')})\s+(?P<pod>morning"
       rf"|afternoon|evening|night){_E}", 1)
def _part_of_day(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    rel = _g(m, "rel").lower()
    pod = _g(m, "pod")
    pub = ctx.published
    d = pub - timedelta(days=1) if pub and "last" in rel else pub
    return _Cand(m.start(), m.end(), _day_str(d, f"T{PARTS_OF_DAY[pod]}"), "TIME")


_CLOCK = (r"(?P<h>[01]?\d|2[0-3])(?:[:.](?P<min>[0-5]\d))?\s*"
          r"(?P<ampm>[ap]\.\s?m\.|[ap]m\b|[AP]M\b|[AP]\.M\.)")


@_rule(rf"{_B}(?:{_CLOCK}|(?P<h24>[01]\d|2[0-3]):(?P<min24>[0-5]\d)(?:\s*(?:GMT|UTC|local "
       rf"time))?|(?P<word>{_ci('noon|midnight|midday')})|(?P<oc>\d\d?|{NUMWORD})\s+o'clock)(?!\w)", 1)
def _clock(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    if m.group("word"):
        hour, minute = (0 if _g(m, "word").lower() == "midnight" else 12), 0
    elif m.group("oc"):
        n = _num(m["oc"])
        if n is None or not 1 <= n <= 12:
            return None
        later = ctx.text[m.end():m.end() + 30].lower()
        pm = re.match(r"\s+(in the (afternoon|evening)|at night|p\.?m)", later)
        hour, minute = int(n) % 12 + (12 if pm else 0), 0
    elif m.group("h24"):
        hour, minute = int(m["h24"]), int(m["min24"])
    else:
        hour = int(m["h"]) % 12 + (12 if _g(m, "ampm").lower().startswith("p") else 0)
        minute = int(m["min"] or 0)
    anchor = _anchor_day(ctx, m.start(), m.end())
    return _Cand(m.start(), m.end(), anchor and f"{anchor}T{hour:02d}:{minute:02d}", "TIME")


def _anchor_day(ctx: _Ctx, at: int, end: int) -> str | None:
    """The day a clock time belongs to: a day named next to it in the sentence, else publication."""
    days = rf"(?:(?P<rel>last|this|next)\s+)?(?P<wd>{WEEKDAY})|(?P<dd>yesterday|today|tomorrow)"
    window = re.split(r"[.!?]\s", ctx.text[max(0, at - 80):at])[-1]
    near = list(re.finditer(days, window, re.I))
    ahead = re.match(rf"\s*,?\s*(?:on\s+)?(?:{days})", ctx.text[end:end + 40], re.I)
    mm = ahead or (near[-1] if near else None)
    if mm is None:
        return ctx.published.isoformat() if ctx.published else None
    if mm.group("wd"):
        d = _weekday_date(WEEKDAYS[mm["wd"].lower()], mm["rel"] or "", ctx, at)
        return d.isoformat() if d else None
    if ctx.published is None:
        return None
    shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[mm["dd"].lower()]
    return (ctx.published + timedelta(days=shift)).isoformat()


@_rule(rf"{_B}(?P<h>\d{{1,2}}):(?P<m>[0-5]\d):(?P<s>[0-5]\d)(?![\w:])", 2)
def _elapsed(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    # "finished in 3:07:35": a race or flight time, hours:minutes:seconds
    h, mi, se = int(m["h"]), int(m["m"]), int(m["s"])
    value = "PT" + (f"{h}H" if h else "") + (f"{mi}M" if mi else "") + (f"{se}S" if se else "")
    return _Cand(m.start(), m.end(), value, "DURATION")


# --- relative periods -------------------------------------------------------------------------

@_rule(rf"{_B}(?:(?P<part>{PART})\s+(?:{_ci('in')}\s+)?)?(?P<rel>{RELWORD}"
       rf")"
       rf"\s+(?P<fiscal>{_ci('fiscal|calendar')}\s+)?(?P<unit>{_ci('week|month|year|decade|century|weekend|quarter|season')}"
       rf"){_E}", 3)
def _relative_period(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    rel = _g(m, "rel").lower()
    unit = _g(m, "unit").lower()
    if rel == "the same" or unit == "season":
        return None
    pub = ctx.published
    if rel in ("the past", "the previous") and unit in ("week", "month", "year", "decade", "century") \
            and not m.group("part"):
        # "the past year" is the year up to publication: a duration in TIMEX3, an interval for us
        dur = _duration(1, unit)
        if pub is None:
            return _Cand(m.start(), m.end(), dur, "DURATION", strict=(m.start(), m.end(), dur, "DURATION"))
        begin = _shift(pub, 1, unit)
        return _Cand(m.start(), m.end(), f"{begin}/{_granular_end(begin, pub)}", "DURATION",
                     strict=(m.start(), m.end(), dur, "DURATION"))
    if pub is None:
        return _Cand(m.start(), m.end(), None, "DATE")
    step = {"this": 0, "current": 0, "the current": 0, "this past": -1, "last": -1, "the last": -1,
            "the past": -1, "the previous": -1, "next": 1, "the coming": 1, "this coming": 1}[rel]
    if unit in ("week", "weekend"):
        value = _week(pub + timedelta(weeks=step)) + ("-WE" if unit == "weekend" else "")
    elif unit == "month":
        y, mo = _add_months(pub.year, pub.month, step)
        value = f"{y:04d}-{mo:02d}"
    elif unit == "quarter":
        y, mo = _add_months(pub.year, pub.month, 3 * step)
        value = f"{y:04d}-Q{(mo - 1) // 3 + 1}"
    elif unit == "decade":
        value = f"{(pub.year + 10 * step) // 10:03d}"
    elif unit == "century":
        value = f"{(pub.year + 100 * step) // 100:02d}"
    else:
        year = pub.year + step
        part = _g(m, "part").lower()
        if "the end" in part and step == 0 and ctx.tense_at(m.start()) == PAST and pub.month < 10:
            year -= 1  # "peaked by the end of the year", written in spring, is last year's end
        value = f"{year:04d}"
    return _Cand(m.start(), m.end(), value, "DATE")


@_rule(rf"{_B}(?P<part>{_ci('earlier|later')})\s+{_ci('in')}\s+{_ci('the')}\s+"
       rf"(?P<unit>{_ci('week|month|year')}){_E}", 2)
def _earlier_in(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    pub = ctx.published
    if pub is None:
        return _Cand(m.start(), m.end(), None, "DATE")
    unit = _g(m, "unit").lower()
    value = (_week(pub) if unit == "week" else
             f"{pub.year:04d}-{pub.month:02d}" if unit == "month" else f"{pub.year:04d}")
    return _Cand(m.start(), m.end(), value, "DATE")


@_rule(rf"(?P<pre>\b(?:[Oo]ver|[Dd]uring|[Aa]t|[Oo]n)\s+)(?P<w>the\s+weekend){_E}", 1)
def _the_weekend(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    pub = ctx.published
    start = m.start("w")
    if pub is None:
        return _Cand(start, m.end(), None, "DATE")
    tense = ctx.tense_at(start)
    if tense == FUTURE:
        d = pub + timedelta(days=(6 - pub.isoweekday()) % 7)
    else:
        wd = pub.isoweekday()
        d = pub - timedelta(days=wd - 6 if wd >= 6 else wd + 1)
    return _Cand(start, m.end(), _week(d) + "-WE", "DATE")


@_rule(rf"{_B}(?P<part>{_ci('the end of|the beginning of|the start of|the middle of')})\s+"
       rf"(?P<the>{_ci('the')}\s+)?(?P<unit>{_ci('week|month|year')}){_E}", 2)
def _end_of(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    pub = ctx.published
    if pub is None:
        return _Cand(m.start(), m.end(), None, "DATE")
    unit = _g(m, "unit").lower()
    if unit == "week":
        return _Cand(m.start(), m.end(), _week(pub), "DATE")
    if unit == "month":
        return _Cand(m.start(), m.end(), f"{pub.year:04d}-{pub.month:02d}", "DATE")
    year = pub.year
    if "end" in _g(m, "part").lower() and ctx.tense_at(m.start()) == PAST and pub.month < 10:
        year -= 1
    return _Cand(m.start(), m.end(), f"{year:04d}", "DATE")


# --- durations, "ago", anchored intervals ------------------------------------------------------

_DUR = (rf"(?:(?P<approx>{APPROX})\s+)?(?:(?P<num>{NUMBER})|(?P<vague>{VAGUE}))"
        rf"(?:\s+(?:and\s+)?(?P<half>{_ci('and a half|and one half')}))?\s+(?P<unit>{UNIT})")


@_rule(rf"{_B}(?:(?P<rel>{PASTREL})\s+)?{_DUR}(?P<ago>\s+{_ci('ago|earlier|before now|back')})?"
       rf"(?P<fromnow>\s+{_ci('from now|hence')})?(?!\w|-old|\s+old\b)", 2)
def _duration_rule(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    unit = _g(m, "unit")
    num_txt = _g(m, "num")
    n = _num(num_txt) if num_txt else None
    if num_txt and n is None:
        return None
    if num_txt.lower() in ("a", "an") and unit.lower() == "second":
        return None  # "a second term"
    if n is not None and m.group("half"):
        n += 0.5
    if n is not None and n > 1000:
        return None
    if re.search(r"\b(?:ages?|aged)\s+$", ctx.text[max(0, m.start() - 6):m.start()], re.I):
        return None  # "children ages 6 months and older" is an age
    rel = _g(m, "rel").lower()
    start = m.start()
    pub = ctx.published
    after = ctx.text[m.end():m.end() + 12].lower()
    ago = _g(m, "ago").strip().lower()
    if ago == "ago" or (ago == "back" and not after.startswith(" to")):
        if n is None:
            return _Cand(start, m.end(), "PAST_REF", "DATE")  # "several years ago"
        if pub is None or n != int(n):
            return _Cand(start, m.end(), None, "DATE")
        return _Cand(start, m.end(), _shift(pub, int(n), unit), "DATE")
    end = m.end() - len(_g(m, "ago")) - len(_g(m, "fromnow"))
    if not rel and m.group("vague") and not num_txt:
        return _Cand(start, end, _duration(None, unit), "DURATION")
    value = _duration(n, unit)
    if rel in ("the past", "the last", "past", "last", "the previous", "previous", "the preceding") \
            and pub is not None and n is not None and n == int(n) \
            and unit.lower().rstrip("s") in ("day", "week", "month", "year", "decade"):
        begin = _shift(pub, int(n), unit)
        return _Cand(start, end, f"{begin}/{_granular_end(begin, pub)}", "DURATION",
                     strict=(start, end, value, "DURATION"))
    return _Cand(start, end, value, "DURATION")


@_rule(rf"{_B}(?:(?P<approx>{APPROX})\s+)?(?P<num>{NUMBER})-(?P<unit>second|minute|hour|da"
       rf"y|night|week|month|year|decade)(?![\w-])", 2)
def _duration_adj(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    n = _num(m["num"])
    if n is None:
        return None
    return _Cand(m.start(), m.end(), _duration(n, m["unit"]), "DURATION")


@_rule(r"(?<![\w-])(?P<unit>[Mm]onths|[Yy]ears|[Dd]ecades|[Ww]eeks)(?=\s+of\s)", 0)
def _units_of(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    # "followed months of talks", "after decades of war"; not "the years of plenty"
    before = re.findall(r"[\w']+", ctx.text[max(0, m.start() - 15):m.start()].lower())
    if before and before[-1] in _DETERMINERS:
        return None
    return _Cand(m.start(), m.end(), _duration(None, m["unit"]), "DURATION")


@_rule(rf"(?P<pre>\b(?:[Ff]or|[Ii]n|[Ww]ithin|[Oo]ver|[Aa]fter)\s+){BARE_UNITS}"
       r"(?=\s+(?:of|to|before|after|later|earlier|ago|in|on|and|,|\.)|[,.;])", 0)
@_rule(rf"{_B}(?P<rel>{_ci('recent|the coming|the next|the past|the last|coming|in recent')}"
       rf")\s+(?P<unit>minutes|hours|days|weeks|months|years|decades){_E}", 1)
@_rule(rf"(?<![\w-]){BARE_UNITS}(?=\s+(?:before|after|later|earlier|ago)\b)", 0)
def _bare_units(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    rel = (m.groupdict().get("rel") or "").lower()
    start = m.start("unit") if m.groupdict().get("pre") else m.start()
    if rel == "in recent":
        start = m.start("rel") + 3
    return _Cand(start, m.end(), _duration(None, m["unit"]), "DURATION")


# --- sets ----------------------------------------------------------------------------------------

@_rule(rf"{_B}(?P<q>{_ci('every|each|per')})\s+(?:(?P<n>{NUMBER})\s+)?(?P<unit>{UNIT}|{WEEKDAY}"
       rf"|{SEASON}){_E}", 3)
def _set_every(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    unit = m["unit"]
    if unit.lower() in WEEKDAYS:
        return _Cand(m.start(), m.end(), f"XXXX-WXX-{WEEKDAYS[unit.lower()]}", "SET")
    if unit.lower() in SEASONS:
        return _Cand(m.start(), m.end(), f"XXXX-{SEASONS[unit.lower()]}", "SET")
    n = _num(m["n"]) if m.group("n") else 1.0
    return _Cand(m.start(), m.end(), _duration(n, unit), "SET")


@_rule(rf"{_B}(?P<times>{_ci('once|twice|three times|four times|several times')}|\d+ times"
       rf")\s+(?:a|an|per|every)\s+(?P<unit>second|minute|hour|day|week|month|year){_E}", 4)
def _set_freq(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    return _Cand(m.start(), m.end(), _duration(1, m["unit"]), "SET")


@_rule(rf"{_B}(?P<adv>{_ci('daily|weekly|monthly|quarterly|yearly|annually|nightly|hourly')}){_E}", 0)
def _set_adverb(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    if not ctx.is_adverb(m.start()):
        return None  # "a daily newspaper" is not a time expression
    unit = {"daily": "day", "nightly": "day", "weekly": "week", "monthly": "month", "yearly": "year",
            "annually": "year", "hourly": "hour", "quarterly": "quarter"}[m["adv"].lower()]
    return _Cand(m.start(), m.end(), _duration(1, unit), "SET")


# --- reference words --------------------------------------------------------------------------

@_rule(rf"{_B}(?P<w>{REFWORD}"
       rf"){_E}", 0)
def _ref(m: re.Match[str], ctx: _Ctx) -> _Cand | None:
    w = re.sub(r"\s+", " ", m["w"].lower())
    start, end = m.start(), m.end()
    if w.startswith("in the ") or w.startswith("in future"):
        start = m.start() + 3
    if w in ("the past", "the future"):
        before = ctx.text[max(0, m.start() - 8):m.start()].lower()
        if not re.search(r"\b(in|into|of)\s+$", before):
            return None
        after = ctx.text[m.end():m.end() + 2]
        follows = ctx.text[m.end():m.end() + 6]
        if re.match(r"\s\w", after) and not re.match(r"\s(and|or|but|to|as|is|was|will|,)", follows):
            return None
    value = ("PAST_REF" if "past" in w or w in ("recently", "lately") else
             "FUTURE_REF" if "future" in w else "PRESENT_REF")
    return _Cand(start, end, value, "DATE")


# ---------------------------------------------------------------------------------------------
# Putting it together


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Leftmost-longest, non-overlapping; ties go to the higher priority."""
    cands.sort(key=lambda c: (-(c.end - c.start), -c.priority, c.start))
    chosen: list[_Cand] = []
    taken: list[tuple[int, int]] = []
    for c in cands:
        if any(c.start < e and s < c.end for s, e in taken):
            continue
        chosen.append(c)
        taken.append((c.start, c.end))
    chosen.sort(key=lambda c: c.start)
    return chosen


def _split_ranges(text: str, cands: list[_Cand], ctx: _Ctx) -> list[_Cand]:
    """'2009-2010' and '2012-13' are two years; the year rule returned only the first."""
    out = []
    for c in cands:
        out.append(c)
        m = re.match(rf"[-–](?P<y2>{YEAR}|\d\d)(?!\d)", text[c.end:c.end + 6])
        if m and re.fullmatch(r"\d{4}", c.value or ""):
            y2 = m["y2"]
            full = y2 if len(y2) == 4 else (c.value or "")[:2] + y2
            out.append(_Cand(c.end + 1, c.end + 1 + len(y2), full, "DATE"))
    return out


def _apply_since(text: str, cands: list[_Cand], published: date | None) -> list[_Cand]:
    """'since October 2023' becomes the interval from then to publication (TIMEX3 form: the date)."""
    out = []
    for c in cands:
        m = re.search(r"\b([Ss]ince|[Ss]tarting|[Ff]rom)\s+$", text[max(0, c.start - 10):c.start])
        if (m and m.group(1).lower() == "since" and c.type == "DATE" and c.value
                and re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", c.value) and published is not None):
            begin = c.start - (len(text[max(0, c.start - 10):c.start]) - m.start())
            end_value = _granular_end(c.value, published)
            if end_value > c.value:
                out.append(_Cand(begin, c.end, f"{c.value}/{end_value}", "DURATION",
                                 strict=(c.start, c.end, c.value, c.type)))
                continue
        out.append(c)
    return out


@dataclass(frozen=True, slots=True)
class ParseAnswers:
    """What the rules ask of a parse (the tense at a position, whether a number is a year, whether a
    word is an adverb), answered without one: from the time expressions stored with an article, each
    carrying the direction of its clause. Used to resolve them again against another publication
    date; a question about a position outside every stored expression gets no (UNKNOWN, False)."""

    times: tuple[TimeExpr, ...]

    def _at(self, i: int) -> TimeExpr | None:
        return next((t for t in self.times if t.start <= i < t.end), None)

    def tense_at(self, i: int) -> int:
        t = self._at(i)
        return DIRECTIONS.get(t.direction or "", UNKNOWN) if t is not None else UNKNOWN

    def is_year(self, s: int, e: int) -> bool:
        t = self._at(s)
        return t is not None and e <= t.end

    def is_adverb(self, i: int) -> bool:
        return any(t.start == i and t.type == "SET" for t in self.times)


DIRECTIONS = {"past": PAST, "future": FUTURE}
_DIRECTION_NAMES = {PAST: "past", FUTURE: "future"}


def find_times(text: str, published: date | None, *, doc: Doc | None = None,
               anchor_intervals: bool = True, answers: ParseAnswers | None = None) -> list[TimeExpr]:
    """Time expressions in ``text``; ``doc`` (a parse of the same text) sharpens years and tense, and
    gives each expression the direction of its clause (``answers`` stands in for a parse, see
    ``ParseAnswers``)."""
    starts: list[int] = [t.idx for t in doc] if doc is not None else []

    def token_at(i: int) -> Token | None:
        if doc is None or not starts:
            return None
        k = bisect.bisect_right(starts, i) - 1
        return doc[k] if k >= 0 else None

    def tense_at(i: int) -> int:
        return _tense(token_at(i))

    def is_year(s: int, e: int) -> bool:
        return _looks_like_year(text, s, e, token_at(s))

    def is_adverb(i: int) -> bool:
        tok = token_at(i)
        return tok is None or tok.pos_ == "ADV" or tok.dep_ in ("advmod", "npadvmod")

    ctx = (_Ctx(text, published, tense_at, is_year, is_adverb) if answers is None else
           _Ctx(text, published, answers.tense_at, answers.is_year, answers.is_adverb))
    cands: list[_Cand] = []
    for pattern, handler, priority in _RULES:
        for m in pattern.finditer(text):
            c = handler(m, ctx)
            if c is not None and c.end > c.start:
                c.priority = priority
                cands.append(c)
    chosen = _apply_since(text, _split_ranges(text, _select(cands), ctx), published)
    out: list[TimeExpr] = []
    for c in chosen:
        if not anchor_intervals and c.strict is not None:
            s, e, v, t = c.strict
        else:
            s, e, v, t = c.start, c.end, c.value, c.type
        # the direction of the clause where the rules read it (the inner date of "since October"),
        # kept so that the expression can be resolved again against another publication date
        direction = (_DIRECTION_NAMES.get(ctx.tense_at(c.strict[0] if c.strict else c.start))
                     if doc is not None or answers is not None else None)
        out.append(TimeExpr(text[s:e], s, e, v, t, direction))
    return out


def _looks_like_year(text: str, s: int, e: int, tok: Token | None) -> bool:
    """Is the four-digit number at text[s:e] a year rather than a count or an amount?"""
    y = int(text[s:e])
    if not 1600 <= y <= 2100:
        return False
    before = text[max(0, s - 12):s]
    after = text[e:e + 14]
    if re.search(_NOT_YEAR_BEFORE, before):
        return False
    if re.match(_NOT_YEAR_AFTER, after):
        return False
    if tok is not None:
        head = tok.head
        if tok.dep_ == "nummod" and head.tag_ == "NNS" and head.lower_ not in ("elections", "games"):
            return False
        if tok.ent_type_ in ("MONEY", "PERCENT", "QUANTITY", "CARDINAL") and 1900 > y:
            return False
    if y < 1900 and not re.search(r"\b(?:in|since|of|by|from|until|the|early|late|mid)\s+$", before, re.I):
        return False
    return True


def extract_times(doc: Doc, published: date | None, *, anchor_intervals: bool = True) -> tuple[TimeExpr, ...]:
    """Time expressions of a parsed article, with TIMEX3 values resolved against ``published``."""
    from .sentences import text_of

    return tuple(find_times(text_of(doc), published, doc=doc, anchor_intervals=anchor_intervals))


def resolve_time(text: str, published: date | None) -> tuple[str | None, str]:
    """The TIMEX3 (value, type) of one expression such as "last week" or "April 8"."""
    found = find_times(text, published)
    if found:
        best = max(found, key=lambda t: t.end - t.start)
        return best.value, best.type
    return _dateparser_value(text, published), "DATE"


def _dateparser_value(text: str, published: date | None) -> str | None:
    """Fallback for phrasings the rules do not know; slow, so used only for single expressions."""
    try:
        import dateparser
    except ImportError:  # pragma: no cover - dateparser is a declared dependency
        return None
    from datetime import datetime

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first",
                                   "RETURN_AS_TIMEZONE_AWARE": False, "REQUIRE_PARTS": []}
    if published is not None:
        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day)
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    if parsed is None:
        return None
    if published is None and not re.search(r"\b\d{4}\b", text):
        return None  # dateparser fills gaps from today's date: never report that as a value
    return parsed.date().isoformat()
