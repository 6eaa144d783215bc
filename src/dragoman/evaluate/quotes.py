"""``dragoman evaluate quotes``: attributions (who said what) scored on PolNeAR-format JSONL.

Each line is one article: ``text``, optionally ``date`` (the publication date the analysis uses),
and ``attributions``, each with ``content``, ``source`` and ``cue`` as
``{"spans": [[start, end], ...], "text": ...}`` (character offsets into ``text``; ``source`` may be
null; an attribution without content is ignored).

The metric (as stated in the shared data README):
- a text is cut into word tokens (``\\w+``); a span covers the tokens that overlap it;
- gold and predicted attributions are paired one to one by shared content tokens: the pair sharing
  most tokens first, then the next, and so on (a pair must share at least one token);
- content precision = pairs / predicted, recall = pairs / gold, F1 their harmonic mean;
- source token F1: on each pair, the F1 of gold and predicted source tokens (1 when both are
  absent, 0 when only one is), averaged over pairs;
- quote+source: a pair counts when its sources share a token or both are absent; precision, recall
  and F1 over predicted and gold as for content; source overlap accuracy = counted pairs / pairs;
- everything is reported for all attributions and for direct quotations, content that starts and
  ends with a quotation mark. A predicted quote's content is taken with the quotation marks that
  enclose it, so that a quotation dragoman reports without its marks is judged as written; a
  quotation that opens right after a word of the reporter's sentence ("said that '…'", "called it
  '…'") is words quoted inside a reported clause, not a direct quotation (dragoman's ``direct``
  flag marks it as quoted all the same);
- only with ``merge_nested`` (``evaluate quotes --merge-nested``), which departs from the shared
  README's metric and is therefore off by default: PolNeAR seldom marks nested attributions (124 of
  the 19,832 gold attributions of PolNeAR train lie inside another's content), so a predicted
  attribution whose content and cue lie within the content of another ("the minister said [the
  envoy told him [the border would reopen]]") is scored as part of the outer one, not on its own
  (dragoman's result keeps both). The default scores every predicted attribution.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..errors import DragomanError
from ..records import Quote
from .report import emit, error_table, figures_table, prf, read_checked_jsonl

__all__ = ["Attribution", "command", "is_direct", "predicted_attributions", "read_polnear",
           "score_articles", "score_file"]

QUOTE_MARKS = "\"'`\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019"
_WORD = re.compile(r"\w+")
SUBSETS = ("all", "direct")

Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Attribution:
    """Content and source spans of one attribution; ``source`` is empty when there is none."""

    content: Spans
    source: Spans
    direct: bool


def is_direct(text: str, content: Spans) -> bool:
    """Whether content starts and ends with a quotation mark (surrounding blanks ignored)."""
    if not content:
        return False
    body = text[content[0][0]:content[-1][1]].strip()
    return len(body) >= 2 and body[0] in QUOTE_MARKS and body[-1] in QUOTE_MARKS


def _spans(field: Any) -> Spans:
    if not field:
        return ()
    return tuple(sorted((int(s), int(e)) for s, e in field["spans"] if int(e) > int(s)))


def _check_polnear(doc: dict[str, Any]) -> None:
    str(doc["text"])
    for a in doc["attributions"]:
        _spans(a.get("content")), _spans(a.get("source"))


def read_polnear(path: str | Path, *, limit: int | None = None) -> list[dict[str, Any]]:
    """Articles of a PolNeAR-format file; a clear error names the first bad line."""
    what = "not a PolNeAR article; each line needs 'text' and 'attributions' with content and source spans"
    return read_checked_jsonl(path, _check_polnear, what=what, limit=limit)


def gold_attributions(doc: dict[str, Any]) -> list[Attribution]:
    text = doc["text"]
    out = []
    for a in doc["attributions"]:
        content = _spans(a.get("content"))
        if content:
            out.append(Attribution(content, _spans(a.get("source")), is_direct(text, content)))
    return out


def predicted_attributions(text: str, quotes: Iterable[Quote], *, merge_nested: bool = False) -> list[Attribution]:
    """dragoman's quotes as attributions: content widened to the quotation marks around it, and
    the quotes that share one cue ("'We are ready,' he said. 'We will win.'") joined into one."""
    groups: dict[Any, list[Quote]] = {}
    for n, q in enumerate(quotes):
        key = (q.cue_start, q.cue_end) if q.cue_start is not None else n
        groups.setdefault(key, []).append(q)
    out = []
    for group in (_outermost(groups) if merge_nested else list(groups.values())):
        content: list[tuple[int, int]] = []
        for q in sorted(group, key=lambda q: q.start):
            s, e = q.start, q.end
            while s > 0 and text[s - 1] in QUOTE_MARKS and e < len(text) and text[e] in QUOTE_MARKS:
                s, e = s - 1, e + 1
            if content and s <= content[-1][1]:
                content[-1] = (content[-1][0], max(e, content[-1][1]))
            else:
                content.append((s, e))
        source: Spans = ()
        q = next((q for q in group if q.source_start is not None), group[0])
        if q.source_start is not None and q.source_end is not None and q.source_end > q.source_start:
            source = ((q.source_start, q.source_end),)
        direct = is_direct(text, tuple(content)) and not _embedded(text, content[0][0])
        out.append(Attribution(tuple(content), source, direct))
    return out


def _outermost(groups: dict[Any, list[Quote]]) -> list[list[Quote]]:
    """The groups of quotes that are not nested in another's content: a group is nested when its
    words and its cue both lie within one quote of another group ("he said [she thinks …]")."""
    def inside(inner: list[Quote], outer: list[Quote]) -> bool:
        s, e, cue = min(q.start for q in inner), max(q.end for q in inner), inner[0].cue_start
        return cue is not None and any(q.start <= s and e <= q.end and q.start <= cue < q.end
                                       and (q.start, q.end) != (s, e) for q in outer)

    kept = list(groups.values())
    return [g for g in kept if not any(h is not g and inside(g, h) for h in kept)]


def _embedded(text: str, start: int) -> bool:
    """Whether a quotation opens right after a word of the reporter's own sentence ("said that
    '…'", "called it '…'"): its attribution's content is then that sentence's clause, which does
    not start with the quotation mark, so it is not a direct quotation in the metric's sense."""
    k = start - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    return k >= 0 and (text[k].isalnum() or text[k] in "'\u2019")


class _Tokens:
    """Word tokens of one text, looked up by the spans that cover them."""

    def __init__(self, text: str) -> None:
        self.bounds = [(m.start(), m.end()) for m in _WORD.finditer(text)]

    def of(self, spans: Spans) -> frozenset[int]:
        return frozenset(i for i, (ts, te) in enumerate(self.bounds) for s, e in spans if ts < e and te > s)


@dataclass(slots=True)
class _Tally:
    gold: int = 0
    predicted: int = 0
    pairs: int = 0
    source_f1_sum: float = 0.0
    source_ok: int = 0

    def figures(self) -> dict[str, Any]:
        cp, cr, cf = prf(self.pairs, self.predicted, self.pairs, self.gold)
        qp, qr, qf = prf(self.source_ok, self.predicted, self.source_ok, self.gold)
        return {
            "gold": self.gold, "predicted": self.predicted, "pairs": self.pairs,
            "content_precision": round(cp, 4), "content_recall": round(cr, 4), "content_f1": round(cf, 4),
            "source_token_f1": round(self.source_f1_sum / self.pairs, 4) if self.pairs else 0.0,
            "quote_source_precision": round(qp, 4), "quote_source_recall": round(qr, 4),
            "quote_source_f1": round(qf, 4),
            "source_overlap_accuracy": round(self.source_ok / self.pairs, 4) if self.pairs else 0.0,
        }


def _token_f1(a: frozenset[int], b: frozenset[int]) -> float:
    if not a and not b:
        return 1.0
    shared = len(a & b)
    if not shared:
        return 0.0
    p, r = shared / len(b), shared / len(a)
    return 2 * p * r / (p + r)


def _pair(gold_tokens: Sequence[frozenset[int]], pred_tokens: Sequence[frozenset[int]]) -> list[tuple[int, int]]:
    """One-to-one pairs, most shared content tokens first."""
    candidates = sorted(
        ((len(g & p), gi, pi) for gi, g in enumerate(gold_tokens) for pi, p in enumerate(pred_tokens) if g & p),
        key=lambda c: (-c[0], c[1], c[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return pairs


def _clip(text: str, spans: Spans, width: int = 160) -> str:
    body = " … ".join(text[s:e] for s, e in spans).replace("\n", " ")
    return body if len(body) <= width else body[: width - 1] + "…"


def score_article(doc_id: Any, text: str, gold: list[Attribution], pred: list[Attribution],
                  tallies: dict[str, _Tally], errors: list[dict[str, Any]]) -> None:
    """Add one article's attributions to the tallies of each subset and its errors to the list."""
    tokens = _Tokens(text)
    for subset in SUBSETS:
        g = [a for a in gold if subset == "all" or a.direct]
        p = [a for a in pred if subset == "all" or a.direct]
        g_content, p_content = [tokens.of(a.content) for a in g], [tokens.of(a.content) for a in p]
        pairs = _pair(g_content, p_content)
        t = tallies[subset]
        t.gold += len(g)
        t.predicted += len(p)
        t.pairs += len(pairs)
        for gi, pi in pairs:
            gs, ps = tokens.of(g[gi].source), tokens.of(p[pi].source)
            t.source_f1_sum += _token_f1(gs, ps)
            ok = bool(gs & ps) or (not gs and not ps)
            t.source_ok += ok
            if not ok and subset == "all":
                errors.append({"doc": doc_id, "kind": "wrong_source", "content": _clip(text, g[gi].content),
                               "gold_source": _clip(text, g[gi].source) or None,
                               "predicted_source": _clip(text, p[pi].source) or None,
                               "direct": g[gi].direct})
        if subset != "all":
            continue
        paired_g, paired_p = {gi for gi, _ in pairs}, {pi for _, pi in pairs}
        for gi, a in enumerate(g):
            if gi not in paired_g:
                errors.append({"doc": doc_id, "kind": "miss", "content": _clip(text, a.content),
                               "gold_source": _clip(text, a.source) or None, "direct": a.direct})
        for pi, a in enumerate(p):
            if pi not in paired_p:
                errors.append({"doc": doc_id, "kind": "false_alarm", "content": _clip(text, a.content),
                               "predicted_source": _clip(text, a.source) or None, "direct": a.direct})


def score_articles(docs: Sequence[dict[str, Any]], predicted: Iterable[Sequence[Quote]], *,
                   merge_nested: bool = False) -> dict[str, Any]:
    """Figures (per subset) and errors for dragoman's quotes, one sequence per gold article, in order."""
    tallies = {s: _Tally() for s in SUBSETS}
    errors: list[dict[str, Any]] = []
    for n, (doc, quotes) in enumerate(zip(docs, predicted, strict=True)):
        text = doc["text"]
        score_article(doc.get("id", n), text, gold_attributions(doc),
                      predicted_attributions(text, quotes, merge_nested=merge_nested),
                      tallies, errors)
    return {"documents": len(docs), **{s: tallies[s].figures() for s in SUBSETS}, "errors": errors}


QuoteReader = Callable[[Iterable[dict[str, Any]]], Iterator[Sequence[Quote]]]


def default_reader() -> QuoteReader:
    """The whole analysis of each article (quotes need resolved actors), with its date."""
    from ..analyse import analyse
    from ..errors import InputError
    from ..nlp import load_pipeline

    pipe = load_pipeline()

    def read(docs: Iterable[dict[str, Any]]) -> Iterator[Sequence[Quote]]:
        for doc in docs:
            published = doc.get("date") or None
            try:
                result = analyse(doc["text"], published=published, pipeline=pipe, html=False)
            except InputError:
                yield ()
                continue
            yield _realigned(doc["text"], result.article.text, result.quotes)

    return read


def _realigned(original: str, cleaned: str, quotes: Sequence[Quote]) -> Sequence[Quote]:
    """Quotes with offsets into the original text when cleaning changed it (offsets shift)."""
    if cleaned == original:
        return quotes
    from difflib import SequenceMatcher

    blocks = SequenceMatcher(None, cleaned, original, autojunk=False).get_matching_blocks()

    def at(pos: int | None) -> int | None:
        if pos is None:
            return None
        for a, b, size in blocks:
            if a <= pos <= a + size:
                return b + (pos - a)
        return None

    from dataclasses import replace

    out = []
    for q in quotes:
        s, e = at(q.start), at(q.end)
        if s is None or e is None:
            continue
        out.append(replace(q, start=s, end=e, source_start=at(q.source_start), source_end=at(q.source_end),
                           cue_start=at(q.cue_start), cue_end=at(q.cue_end)))
    return out


def score_file(path: str | Path, limit: int | None = None, *, reader: QuoteReader | None = None,
               progress: Callable[[Iterable[Sequence[Quote]]], Iterable[Sequence[Quote]]] | None = None,
               merge_nested: bool = False) -> dict[str, Any]:
    """Score dragoman's attributions on a PolNeAR-format file: {"documents", "all", "direct", "errors"}."""
    docs = read_polnear(path, limit=limit)
    predicted: Iterable[Sequence[Quote]] = (reader or default_reader())(docs)
    if progress is not None:
        predicted = progress(predicted)
    return score_articles(docs, predicted, merge_nested=merge_nested)


FIGURES = ("gold", "predicted", "pairs", "content_precision", "content_recall", "content_f1", "source_token_f1",
           "quote_source_precision", "quote_source_recall", "quote_source_f1", "source_overlap_accuracy")


@click.command(name="quotes")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--errors", "show_errors", is_flag=True, help="List every miss, false alarm and wrong source.")
@click.option("--limit", type=int, default=None, help="Score only the first N articles.")
@click.option("--merge-nested", is_flag=True,
              help="Score an attribution nested in another's content as part of it (PolNeAR seldom marks "
                   "nesting). Off by default: the default is the shared README's metric.")
def command(file: str, as_json: bool, show_errors: bool, limit: int | None, merge_nested: bool) -> None:
    """Attribution content, source and quote+source P/R/F1 on a PolNeAR-format FILE.jsonl."""
    from rich.console import Console
    from rich.progress import Progress

    try:
        n = len(read_polnear(file, limit=limit))
        with Progress(console=Console(stderr=True), transient=True, disable=n < 5) as bar:
            task = bar.add_task("analysing", total=n)

            def tick(it: Iterable[Sequence[Quote]]) -> Iterator[Sequence[Quote]]:
                for item in it:
                    bar.advance(task)
                    yield item

            result = score_file(file, limit=limit, progress=tick, merge_nested=merge_nested)
    except DragomanError as exc:
        raise click.ClickException(str(exc)) from exc

    def render(console: Any) -> None:
        rows = [(key, *(result[s][key] for s in SUBSETS)) for key in FIGURES]
        console.print(figures_table(f"attributions: {file} ({result['documents']} articles)", rows,
                                    ("figure", *SUBSETS)))
        if show_errors:
            console.print(error_table(result["errors"], ("doc", "kind", "direct", "content", "gold_source",
                                                         "predicted_source")))

    emit(result, as_json=as_json, show_errors=show_errors, render=render)
