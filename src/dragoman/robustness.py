"""What must hold for any input, and the mutations that try to break it (used by the fuzz test in
the suite and by ``benchmarks/fuzz_articles.py``).

Invariants of ``analyse``: it returns a result or raises an ``InputError``, nothing else; every
character offset lies inside the article text and, where a span carries its text, that text is
the slice it points at; every entity, place or event id a record refers to exists; the result is
strict JSON (no NaN, no infinity) and ``from_dict(to_dict())`` gives the same result back.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

from .records import ArticleResult

__all__ = ["result_problems", "MUTATIONS", "mutate"]


def result_problems(result: ArticleResult) -> list[str]:
    """Every invariant the result breaks, in words (an empty list when it is sound)."""
    problems: list[str] = []
    text = result.article.text
    d = result.to_dict()
    try:
        dumped = json.dumps(d, ensure_ascii=False, allow_nan=False)
    except (ValueError, TypeError) as exc:
        return [f"not strict JSON: {exc}"]
    if json.loads(dumped) != d:
        problems.append("JSON does not read back to the same dict")
    try:
        if ArticleResult.from_dict(json.loads(dumped)) != result:
            problems.append("from_dict(to_dict()) differs from the result")
    except Exception as exc:  # a round trip that raises is a broken invariant, reported as such
        problems.append(f"from_dict raises {type(exc).__name__}: {exc}")
    _check_offsets({k: v for k, v in d.items() if k != "article"}, text, "", problems)
    entity_ids = {e["id"] for e in d["entities"]}
    place_ids = {p["id"] for p in d["places"]}
    for kind, ids in (("entity", [e["id"] for e in d["entities"]]), ("place", [p["id"] for p in d["places"]]),
                      ("event", [e["id"] for e in d["events"]])):
        if len(ids) != len(set(ids)):
            problems.append(f"duplicate {kind} ids")
    for ev in d["events"]:
        for eid in (*ev["actor"], *ev["recipient"]):
            if eid not in entity_ids:
                problems.append(f"event {ev['id']} names unknown entity {eid}")
        for pid in ev["places"]:
            if pid not in place_ids:
                problems.append(f"event {ev['id']} names unknown place {pid}")
        speaker = (ev.get("attribution") or {}).get("speaker")
        if speaker is not None and speaker not in entity_ids:
            problems.append(f"event {ev['id']} attributed to unknown entity {speaker}")
    for r in d["relations"]:
        for eid in (r["subject"], r["object"]):
            if eid not in entity_ids:
                problems.append(f"relation names unknown entity {eid}")
    for q in d["quotes"]:
        if q.get("speaker") is not None and q["speaker"] not in entity_ids:
            problems.append(f"quote speaker {q['speaker']} is not an entity")
    return problems


def _check_offsets(value: Any, text: str, path: str, problems: list[str]) -> None:
    if isinstance(value, dict):
        start, end = value.get("start"), value.get("end")
        if isinstance(start, int) and isinstance(end, int):
            if not 0 <= start <= end <= len(text):
                problems.append(f"{path}: offsets {start}-{end} outside a text of {len(text)}")
            elif isinstance(value.get("text"), str) and value["text"] and text[start:end] != value["text"]:
                problems.append(f"{path}: text {value['text'][:30]!r} is not the slice {start}-{end}")
        for k, v in value.items():
            if k.endswith("_start") and isinstance(v, int) and not 0 <= v <= len(text):
                problems.append(f"{path}/{k}: {v} outside the text")
            _check_offsets(v, text, f"{path}/{k}", problems)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_offsets(v, text, f"{path}[{i}]", problems)


# Mutations: each takes the text, a random generator and a payload string, and returns new input.
_FRAGMENTS = [
    "1" + "0" * 309, "10000000000000000000", "$1" + "0" * 40 + " million", "9" * 80, "1.5e308",
    "<![CDAT[", "<head>", "</p><p>", "<script>", "<html><body>", "&amp;&#0;&#xD800;", "<!--", "]]>",
    "\x00", "\ufeff", "\ud800", "\u202e", "\u0301\u0301\u0301", "🙂👍🏽", "\r\n\r", "\t\x0b\x0c",
    "BAGHDAD, Feb 30 (Reuters) - ", "By ", "Reporting by ", "(c) 2024", "https://example.org/a b",
    " said: \u201c", "\u201d", "'s'", "--", "...", " 2024-13-45 ", " on Monday, Feb. 30, 2099, ",
]


def _insert(text: str, rng: random.Random, payload: str) -> str:
    i = rng.randrange(len(text) + 1)
    return text[:i] + payload + text[i:]


def _fragment(text: str, rng: random.Random, payload: str) -> str:
    return _insert(text, rng, rng.choice(_FRAGMENTS))


def _delete(text: str, rng: random.Random, payload: str) -> str:
    i = rng.randrange(len(text) + 1)
    return text[:i] + text[i + rng.randrange(1, 200):]


def _duplicate(text: str, rng: random.Random, payload: str) -> str:
    i = rng.randrange(len(text) + 1)
    piece = text[i:i + rng.randrange(1, 80)]
    return text[:i] + piece * rng.randrange(2, 30) + text[i:]


def _strip_punctuation(text: str, rng: random.Random, payload: str) -> str:
    return "".join(ch for ch in text if ch.isalnum() or ch == " ")


def _swap_case(text: str, rng: random.Random, payload: str) -> str:
    return text.upper() if rng.random() < 0.5 else text.swapcase()


def _truncate(text: str, rng: random.Random, payload: str) -> str:
    return text[: rng.randrange(0, 40)]


def _shuffle_words(text: str, rng: random.Random, payload: str) -> str:
    words = text.split(" ")
    rng.shuffle(words)
    return " ".join(words)


def _payload(text: str, rng: random.Random, payload: str) -> str:
    return _insert(text, rng, payload)


MUTATIONS: dict[str, Callable[[str, random.Random, str], str]] = {
    "fragment": _fragment, "delete": _delete, "duplicate": _duplicate, "payload": _payload,
    "strip_punctuation": _strip_punctuation, "swap_case": _swap_case, "truncate": _truncate,
    "shuffle_words": _shuffle_words,
}
_ENCODINGS = ["utf-8", "utf-16", "utf-16-be", "utf-32", "cp1252", "latin-1", "utf-8-sig"]


def mutate(text: str, rng: random.Random, payload: str = "", *, steps: int = 3) -> str | bytes:
    """``text`` after ``steps`` random mutations, sometimes as bytes in some encoding (and then
    sometimes with a few bytes flipped)."""
    for _ in range(steps):
        text = MUTATIONS[rng.choice(sorted(MUTATIONS))](text, rng, payload)
    if rng.random() < 0.3:
        data = text.encode(rng.choice(_ENCODINGS), errors="replace") if text.isascii() or rng.random() < 0.5 \
            else text.encode("utf-8", errors="surrogatepass")
        if data and rng.random() < 0.3:
            buf = bytearray(data)
            for _ in range(rng.randrange(1, 5)):
                buf[rng.randrange(len(buf))] = rng.randrange(256)
            data = bytes(buf)
        return data
    return text
