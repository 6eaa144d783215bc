"""Long documents in bounded memory: cutting a text into segments and merging their results.

A text longer than ``LONG_TEXT_CHARS`` is analysed segment by segment (each at most
``SEGMENT_CHARS``), so memory depends on the segment, not on the document, and time grows linearly
with length. Cuts fall at the last paragraph break of a window, else at the last sentence end, else
at the last white space (a line without punctuation), and only as a last resort inside a word.

Each segment's result is merged into one ``ArticleResult`` over the whole text: offsets move by
the segment's start; entities with the same knowledge-base id (or, without one, the same kind,
name and country) and places with the same GeoNames id (or name and country) become one, with all
their mentions; other ids are renumbered so that every reference still points where it did.
Articles of normal length never get here: their analysis is exactly the one-document analysis.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .records import Article, ArticleResult, Entity, Event, Place, Quantity, Quote, Relation, TimeExpr

__all__ = ["LONG_TEXT_CHARS", "SEGMENT_CHARS", "segment_spans", "ResultMerger"]

SEGMENT_CHARS = 20_000
LONG_TEXT_CHARS = 100_000
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+")
_SPACE = re.compile(r"\s+")
# Keys whose values are ids of entities, places or events in a result's JSON.
_REFERENCE_KEYS = {"id", "subject", "object", "actor", "recipient", "places", "speaker"}
_RECORDS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "relations": Relation.from_dict, "events": Event.from_dict, "quotes": Quote.from_dict,
    "times": TimeExpr.from_dict, "quantities": Quantity.from_dict}


def segment_spans(text: str, size: int = SEGMENT_CHARS) -> list[tuple[int, int]]:
    """(start, end) of consecutive segments covering ``text``, each at most ``size`` characters."""
    spans: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while start < n:
        end = n if n - start <= size else _cut(text, start + size // 2, start + size)
        spans.append((start, end))
        start = end
    return spans


def _cut(text: str, lo: int, hi: int) -> int:
    para = text.rfind("\n\n", lo, hi)
    if para >= 0:
        return para + 2
    line = text.rfind("\n", lo, hi)
    if line >= 0:
        return line + 1
    for pattern in (_SENTENCE_END, _SPACE):  # a sentence end, else any white space
        end = _last_end(pattern, text, lo, hi)
        if end is not None:
            return end
    return hi


def _last_end(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> int | None:
    end = None
    for m in pattern.finditer(text, lo, hi):
        end = m.end()
    return end


class ResultMerger:
    """Accumulates segment results (as JSON dicts) into one result over the whole text."""

    def __init__(self) -> None:
        self.entities: list[dict[str, Any]] = []
        self.places: list[dict[str, Any]] = []
        self.assoc_places: list[dict[str, Any]] = []
        self.lists: dict[str, list[Any]] = {"relations": [], "events": [], "quotes": [], "times": [],
                                            "quantities": []}
        self._entity_keys: dict[tuple[Any, ...], dict[str, Any]] = {}
        self._place_keys: dict[tuple[Any, ...], dict[str, Any]] = {}
        self._n_events = 0

    def add(self, part: dict[str, Any], offset: int) -> None:
        part = _shift(part, offset)
        ids: dict[str, str] = {}
        new_keys: dict[tuple[Any, ...], dict[str, Any]] = {}
        for e in part.get("entities", ()):
            key = (("kb", e["kb_id"]) if e.get("kb_id") else None if e.get("anonymous")
                   else (e["kind"], e["name"].casefold(), e.get("country")))
            self._merge(e, key, self._entity_keys, new_keys, self.entities, "e", ids)
        self._entity_keys.update(new_keys)
        new_keys = {}
        for p in part.get("places", ()):
            key = ("gn", p["geonameid"]) if p.get("geonameid") is not None else (p["name"].casefold(), p.get("country"))
            # places named only associatively ("Syrian forces") stay apart, numbered a1, a2, ...
            assoc = bool(p.get("associative"))
            self._merge(p, (assoc, *key), self._place_keys, new_keys,
                        self.assoc_places if assoc else self.places, "a" if assoc else "p", ids)
        self._place_keys.update(new_keys)
        for ev in part.get("events", ()):
            self._n_events += 1
            ids[ev["id"]] = f"ev{self._n_events}"
        for name, items in self.lists.items():  # kept as records: far smaller than dicts
            items.extend(_RECORDS[name](_rename(x, ids)) for x in part.get(name, ()))

    @staticmethod
    def _merge(item: dict[str, Any], key: tuple[Any, ...] | None, seen: dict[tuple[Any, ...], dict[str, Any]],
               new_keys: dict[tuple[Any, ...], dict[str, Any]], out: list[dict[str, Any]], prefix: str,
               ids: dict[str, str]) -> None:
        """One earlier segment's item with the same key takes this one's mentions; within a
        segment, items stay as its analysis left them."""
        known = seen.get(key) if key is not None else None
        if known is not None:
            ids[item["id"]] = known["id"]
            known["mentions"].extend(item.get("mentions", ()))
            return
        new = dict(item, id=f"{prefix}{len(out) + 1}", mentions=list(item.get("mentions", ())))
        ids[item["id"]] = new["id"]
        if key is not None:
            new_keys.setdefault(key, new)
        out.append(new)

    def result(self, article: Article, meta: tuple[tuple[str, str], ...]) -> ArticleResult:
        """The merged result; the merger is emptied as its dicts become records (once only)."""
        entities = tuple(Entity.from_dict(e) for e in self.entities)
        places = tuple(Place.from_dict(p) for p in (*self.places, *self.assoc_places))
        self.entities, self.places, self.assoc_places = [], [], []
        self._entity_keys, self._place_keys = {}, {}
        lists, self.lists = self.lists, {name: [] for name in self.lists}
        return ArticleResult(
            article=article, entities=entities, relations=tuple(lists["relations"]),
            events=tuple(lists["events"]), quotes=tuple(lists["quotes"]), places=places,
            times=tuple(lists["times"]), quantities=tuple(lists["quantities"]), meta=meta,
        )


def _shift(value: Any, offset: int) -> Any:
    """``value`` with every character offset (keys ``start``, ``end``, ``*_start``, ``*_end``) moved."""
    if isinstance(value, dict):
        return {k: (v + offset if isinstance(v, int) and not isinstance(v, bool) and _is_offset(k)
                    else _shift(v, offset)) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift(v, offset) for v in value]
    return value


def _is_offset(key: str) -> bool:
    return key in ("start", "end") or key.endswith(("_start", "_end"))


def _rename(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: (_renamed(v, ids) if k in _REFERENCE_KEYS else _rename(v, ids)) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename(v, ids) for v in value]
    return value


def _renamed(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return ids.get(value, value)
    if isinstance(value, list):
        return [ids.get(v, v) if isinstance(v, str) else v for v in value]
    return _rename(value, ids)
