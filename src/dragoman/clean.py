"""Turns raw article bytes or text into a clean ``Article``: decoding, HTML, wire boilerplate,
the dateline, outlet and wire credits, the language, and the publication date with its basis."""

from __future__ import annotations

import calendar
import functools
import hashlib
import re
from dataclasses import dataclass
from datetime import date

from .dates import parse_published, published_or_none
from .decode import clean_characters, decode_text
from .errors import EmptyInputError, InputError, TooLargeError, UnsupportedLanguageError
from .records import Article, Dateline

__all__ = ["clean_article", "decode_bytes", "html_to_text", "infer_publication_date", "article_id"]

DEFAULT_MAX_BYTES = 5_000_000

# Agencies whose credit in a dateline or a reporting line names the wire, not the outlet.
WIRES = {
    "reuters": "Reuters", "ap": "AP", "associated press": "AP", "afp": "AFP",
    "agence france-presse": "AFP", "xinhua": "Xinhua", "dpa": "dpa", "ani": "ANI", "upi": "UPI",
    "bloomberg": "Bloomberg", "tass": "TASS", "anadolu": "Anadolu", "anadolu agency": "Anadolu",
    "efe": "EFE", "ansa": "ANSA", "kyodo": "Kyodo", "yonhap": "Yonhap", "pti": "PTI", "ians": "IANS",
    "interfax": "Interfax", "irna": "IRNA", "wam": "WAM", "spa": "SPA", "qna": "QNA", "kuna": "KUNA",
    "mena": "MENA", "sana": "SANA", "ina": "INA", "wafa": "WAFA", "apa": "APA", "pap": "PAP",
    "bernama": "Bernama", "antara": "Antara", "aa": "Anadolu", "cna": "CNA", "ria novosti": "RIA Novosti",
}

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
_MONTH_RE = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
             r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")

_DASH = r"[-\u2013\u2014\u2012]+"
_PLACE = r"[A-Z][A-Za-z\u00C0-\u024F.'\u2019-]*+(?:[ ][A-Z][A-Za-z\u00C0-\u024F.'\u2019-]*+){0,3}"
# "Baghdad, April 8 (V7N) –", "BAGHDAD (Reuters) -", "KYIV, Ukraine (AP) —", "GAZA CITY, March 3, 2024 -"
DATELINE_RE = re.compile(
    rf"^(?P<place>{_PLACE})"
    rf"(?:,\s*(?P<region>{_PLACE}))?"
    rf"(?:,?\s*(?P<date>{_MONTH_RE}\s+\d{{1,2}}(?:,?\s*(?P<year>\d{{4}}))?))?"
    rf"\s*(?:\((?P<credit>[^()\n]{{1,40}})\))?"
    rf"\s*{_DASH}\s*"
)

BOILERPLATE_LINE_RES = [
    re.compile(r"^\(?\s*(?:additional\s+)?(?:reporting|writing|editing|compiled|produced)\s+by\b.*$", re.I),
    re.compile(r"^\(?\s*(?:editing|writing)\s+by\b.*\)?$", re.I),
    re.compile(r"^END(?:/[A-Z0-9]*)*/?\s*$"),
    re.compile(r"^(?:[A-Z]{2,5}/){2,}[A-Z]{0,5}/?\s*$"),
    re.compile(r"^(?:comment|comments|analyst comment|note)\s*:\s*$", re.I),
    re.compile(r"^(?:©|\(c\)\s|copyright\b).*$", re.I),
    re.compile(r"^all rights reserved\.?$", re.I),
    re.compile(r"^(?:click here|sign up|subscribe|read more|related:|share this|follow us)\b.*$", re.I),
    re.compile(r"^By\s+[A-Z][\w.'\u2019-]+(?:\s+[A-Z][\w.'\u2019-]+){0,3}"
               r"(?:\s*(?:,|and)\s*[A-Z][\w.'\u2019-]+(?:\s+[A-Z][\w.'\u2019-]+){0,3})*\s*$"),
    re.compile(r"^\d{1,2}\s+min(?:ute)?s?\s+read\s*$", re.I),
]
REPORTING_CREDIT_RE = re.compile(
    r"(?:reporting|writing|additional reporting)\s+by\s+(?P<who>[^;)\n]+)", re.I)


def article_id(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def decode_bytes(data: bytes, *, name: str = "input") -> str:
    """Bytes to text by ``decode.decode_text`` (the repairs it made are dropped here)."""
    return decode_text(data, name=name).text


_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "article", "section",
               "blockquote", "header", "footer", "pre", "main", "td", "dd", "dt", "figcaption", "hr"}
_SKIP_TAGS = {"script", "style", "noscript", "nav", "aside", "form", "svg", "iframe", "template", "head",
              "title", "button", "select", "menu"}
_DATE_META = ("article:published_time", "datepublished", "date", "pubdate", "dc.date", "og:published_time")


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return bool(re.search(r"<(?:!doctype html|html|body|p|div|article)\b", head))


@dataclass(frozen=True, slots=True)
class HtmlPage:
    text: str
    title: str | None
    published: str | None
    outlet: str | None = None


def _parse_html(markup: str) -> object | None:
    """The page as an lxml tree. libxml2's HTML parser recovers from what browsers recover from
    (unclosed ``<head>``, stray ``<![CDAT[``, unbalanced tags) instead of raising."""
    import lxml.html
    from lxml import etree

    markup = re.sub(r"^\s*<\?xml[^>]*>", "", markup)  # lxml refuses str input that declares a charset
    markup = markup.replace("\x00", "")
    if not markup.strip():
        return None
    try:
        return lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return None


def _tree_text(tree: object) -> str:
    """Readable text of the page: every text node outside scripts, navigation and the like, with
    block elements on lines of their own. Iterative, so deeply nested markup cannot overflow."""
    from lxml import etree

    parts: list[str] = []
    skip = 0
    for event, el in etree.iterwalk(tree, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _SKIP_TAGS or not tag:
                skip += 1
            elif not skip:
                if tag in _BLOCK_TAGS:
                    parts.append("\n")
                if el.text:
                    parts.append(el.text)
        else:
            if tag in _SKIP_TAGS or not tag:
                skip -= 1
            elif not skip and tag in _BLOCK_TAGS:
                parts.append("\n")
            if not skip and el.tail:
                parts.append(el.tail)
    return "".join(parts)


def _main_text(markup: str) -> tuple[str | None, str | None]:
    """(text, site name) of the page's main content by trafilatura, when it finds any."""
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(markup, with_metadata=True, include_comments=False,
                                          include_tables=False)
    except Exception:  # a third-party extractor failing on one page: fall back to the tree walk
        return None, None
    if doc is None:
        return None, None
    d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    return d.get("text") or None, d.get("sitename") or None


def _tidy_lines(raw: str) -> str:
    lines = [re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in raw.splitlines()]
    return "\n".join(ln for ln in lines if ln)


def html_to_text(markup: str) -> HtmlPage:
    """Text, title, outlet and metadata date of a web page; the one HTML path of analyze and ingest.

    The main content comes from trafilatura (which drops menus, footers and comment threads);
    when it finds none, every readable text node of the lxml tree is kept.
    """
    tree = _parse_html(markup)
    if tree is None:
        return HtmlPage("", None, None)
    meta: dict[str, str] = {}
    for el in tree.iter("meta"):  # type: ignore[attr-defined]
        key = el.get("property") or el.get("name") or el.get("itemprop")
        if key and el.get("content"):
            meta.setdefault(key.lower(), el.get("content"))
    published = None
    for key in _DATE_META:
        m = re.match(r"(\d{4}-\d{2}-\d{2})", meta.get(key, ""))
        if m and _valid_iso_day(m.group(1)):
            published = m.group(1)
            break
    title_el = tree.find(".//title")  # type: ignore[attr-defined]
    title = re.sub(r"\s+", " ", title_el.text_content()).strip() if title_el is not None else ""
    main, site = _main_text(markup)
    text = _tidy_lines(main or _tree_text(tree))
    return HtmlPage(text, title or meta.get("og:title"), published, site or meta.get("og:site_name"))


def _valid_iso_day(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def strip_boilerplate(text: str) -> tuple[str, list[str]]:
    """Removes wire boilerplate lines; returns the text and the wire credits found in them."""
    wires: list[str] = []
    kept: list[str] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for line in lines:
        s = line.strip()
        if any(r.match(s) for r in BOILERPLATE_LINE_RES):
            for m in REPORTING_CREDIT_RE.finditer(s):
                for who in re.split(r",|\band\b|;", m.group("who")):
                    w = WIRES.get(who.strip(" .()").lower())
                    if w and w not in wires:
                        wires.append(w)
            continue
        kept.append(line.rstrip())
    # Drop trailing empty lines and a dangling empty "Comment:" field glued to the end.
    out = "\n".join(kept).strip()
    out = re.sub(r"\n?(?:comment|comments)\s*:\s*$", "", out, flags=re.I).strip()
    out = re.sub(r"\n{3,}", "\n\n", out)
    return out, wires


@dataclass(frozen=True, slots=True)
class DatelineInfo:
    dateline: Dateline
    credit: str | None
    month: int | None
    day: int | None
    year: int | None


def match_dateline(text: str) -> re.Match[str] | None:
    """The dateline at the start of a text, if any (only the opening characters are read)."""
    head = text[:160].split("\n", 1)[0]
    if not re.search(r"[-\u2013\u2014\u2012]", head):
        return None  # no dash, no dateline: skip the regex's backtracking
    m = DATELINE_RE.match(head)
    return m if m and (m.group("date") or m.group("credit")) else None


def parse_dateline(text: str) -> DatelineInfo | None:
    # A dateline needs a date or a credit; "Sources said - " is not one.
    m = match_dateline(text)
    if not m:
        return None
    place = m.group("place").strip()
    if place.isupper() and len(place) > 3:
        place = place.title()
    shown = m.group("place").strip()
    if m.group("region"):
        shown += ", " + m.group("region").strip()
    if m.group("date"):
        shown += ", " + m.group("date").strip()
    month = day = year = None
    if m.group("date"):
        dm = re.match(r"([A-Za-z]+)\.?\s+(\d{1,2})", m.group("date"))
        if dm:
            month = MONTHS.get(dm.group(1).lower().rstrip("."))
            day = int(dm.group(2))
        year = int(m.group("year")) if m.group("year") else None
    return DatelineInfo(Dateline(place, shown), (m.group("credit") or "").strip() or None, month, day, year)


_YEAR_RE = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_MONTH_YEAR_RE = re.compile(rf"\b({_MONTH_RE})\s+(?:of\s+)?(19[5-9]\d|20[0-4]\d)\b")
_PAST_SPAN_RE = re.compile(
    r"\b(?:past|last|previous)\s+(\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"eighteen|twenty-four)\s+(months?|years?)\b", re.I)
_NUM_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
              "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24}


def infer_publication_date(text: str, month: int, day: int) -> date | None:
    """The year of a dateline that gives only month and day, from evidence in the text.

    Evidence, all general: the publication is not before the latest year the text names; not
    before the latest month-and-year it names; and a span "over the past N months" that ends at
    publication and starts at a month-and-year the text names pins the year. Among consistent
    years, the earliest best-supported one wins. Without any year in the text there is no basis.
    """
    years = [int(y) for y in _YEAR_RE.findall(text)]
    if not years:
        return None
    month_years = [(int(y), MONTHS[mo.lower().rstrip(".")]) for mo, y in _MONTH_YEAR_RE.findall(text)
                   if mo.lower().rstrip(".") in MONTHS]
    spans = []
    for n, unit in _PAST_SPAN_RE.findall(text):
        k = int(n) if n.isdigit() else _NUM_WORDS[n.lower()]
        spans.append(k * 12 if unit.lower().startswith("year") else k)
    latest = max(years)
    best: tuple[float, int] | None = None
    for year in range(latest, latest + 4):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if any((y, mo) > (year, month) for y, mo in month_years):
            continue  # the text already speaks of a later month
        score = -0.5 * (year - latest)
        for span in spans:
            start_index = year * 12 + (month - 1) - span
            if any(abs((y * 12 + mo - 1) - start_index) <= 1 for y, mo in month_years):
                score += 2.0
        if best is None or score > best[0]:
            best = (score, year)
            chosen = candidate
    return chosen if best is not None else None


_LINK_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.I)
# The commonest English words that carry grammar, not topic; news in English uses them in every
# sentence, other languages (names aside) almost never.
_ENGLISH_FUNCTION_WORDS = frozenset(
    "the of and to in a an is are was were be been has have had that this on for with by as at from "
    "it its their his her they he she we not but or after over into against who which will would "
    "says said than about".split())
_SHORT_TEXT_LETTERS = 300  # below this the classifier's guess is weak evidence
_SHORT_TEXT_CONFIDENCE = 0.9  # ...and it must be this sure of another language to refuse the text
_LONG_TEXT_CONFIDENCE = 0.5


@functools.lru_cache(maxsize=1)
def _identifier() -> object:
    from py3langid import langid

    return langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, str, float]:
    """(ISO 639-1 code, English name, probability) of the text's language."""
    code, prob = _identifier().classify(text[:5000])  # type: ignore[attr-defined]
    name = code
    try:
        import pycountry

        lang = pycountry.languages.get(alpha_2=code)
        if lang is not None:
            name = lang.name
    except (ImportError, KeyError):
        pass
    return code, name, float(prob)


def english_function_share(text: str) -> float:
    words = re.findall(r"[a-z]+", text[:20000].lower())
    return sum(w in _ENGLISH_FUNCTION_WORDS for w in words) / max(1, len(words))


def _is_english(text: str) -> tuple[bool, str, str]:
    """Whether to analyse the text as English; the detected code and name when it is refused.

    Links, addresses and numbers say nothing about the language and are left out. A text is
    refused only on clear evidence: the classifier is sure of another language (very sure for
    short texts, whose guesses are weak) and English function words are rare in it.
    """
    prose = _LINK_RE.sub(" ", text[:20000])
    letters = sum(map(str.isalpha, prose))
    if letters < 20:
        return True, "en", "English"  # too short to tell; let the analysis try
    code, name, prob = detect_language(prose)
    if code == "en":
        return True, code, name
    share = english_function_share(prose)
    if letters < _SHORT_TEXT_LETTERS:
        return (prob < _SHORT_TEXT_CONFIDENCE or share >= 0.15), code, name
    ascii_letters = sum(ch.isascii() and ch.isalpha() for ch in prose)
    if prob < _LONG_TEXT_CONFIDENCE or (share > 0.15 and ascii_letters / letters > 0.9):
        return True, "en", "English"
    return False, code, name


def only_links(text: str) -> int:
    """How many links a text holds when it holds nothing else (0 otherwise)."""
    links = _LINK_RE.findall(text[:200000])
    if not links:
        return 0
    rest = _LINK_RE.sub(" ", text[:200000])
    return len(links) if sum(ch.isalpha() for ch in rest) < 20 else 0


def clean_article(
    raw: str | bytes,
    *,
    source: str | None = None,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: str | date | None = None,
    published_basis: str | None = None,
    html_input: bool | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    warnings: tuple[str, ...] = (),
) -> Article:
    """The cleaned article; raises an ``InputError`` when there is nothing analysable.

    ``warnings`` are repairs made before (a table file's decoding); the article keeps them with its own.
    """
    name = source or "input"
    size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise TooLargeError(
            f"{name}: {size / 1e6:.1f} MB is larger than the limit of {max_bytes / 1e6:.1f} MB; "
            "split the file into articles or raise the max_bytes setting")
    notes = list(warnings)
    if isinstance(raw, bytes):
        decoded = decode_text(raw, name=name)
        text = decoded.text
        notes.extend(decoded.warnings)
    else:
        text = raw.removeprefix("\ufeff")
    text, removed = clean_characters(text)
    notes.extend(removed)
    if not text.strip():
        raise EmptyInputError(f"{name}: the article is empty; nothing to analyse")
    meta_published = None
    if html_input or (html_input is None and looks_like_html(text)):
        page = html_to_text(text)
        text = page.text
        title = title or page.title
        outlet = outlet or page.outlet
        meta_published = page.published
    text = text.replace("\u00a0", " ")
    text, wires = strip_boilerplate(text)
    if not text.strip():
        raise EmptyInputError(f"{name}: nothing but boilerplate or markup; no article text found")
    links = only_links(text)
    if links:
        raise InputError(f"{name}: a list of {links} link{'s' if links != 1 else ''}, not an article; "
                         "pass it to 'dragoman ingest', which fetches the pages it links to")
    ok, code, lang_name = _is_english(text)
    if not ok:
        raise UnsupportedLanguageError(code, lang_name)

    info = parse_dateline(text)
    found_outlet = outlet
    if info and info.credit:
        credit_key = info.credit.lower()
        wire = WIRES.get(credit_key)
        if wire:
            if wire not in wires:
                wires.insert(0, wire)
            found_outlet = found_outlet or wire
        else:
            found_outlet = found_outlet or info.credit

    pub: str | None = None
    basis = "none"
    meta_day = published_or_none(meta_published)
    if published is not None and str(published).strip():
        pub = parse_published(published, where=name).isoformat()
        basis = published_basis or "user"
    elif meta_day is not None:
        pub, basis = meta_day.isoformat(), "metadata"
    elif info and info.month and info.day:
        if info.year:
            try:
                pub, basis = date(info.year, info.month, info.day).isoformat(), "dateline"
            except ValueError:
                pass
        else:
            inferred = infer_publication_date(text, info.month, info.day)
            if inferred:
                pub, basis = inferred.isoformat(), "dateline+context"
    return Article(
        id=article_id(text),
        text=text,
        source=source,
        title=title,
        url=url,
        outlet=found_outlet,
        wire=tuple(wires),
        dateline=info.dateline if info else None,
        published=pub,
        published_basis=basis,
        language="en",
        warnings=tuple(notes),
    )
