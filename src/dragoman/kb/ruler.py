"""Entity rulers fed by the knowledge base, so that known names win over the statistical NER.

Each ruler behaves exactly as spaCy's ``entity_ruler`` with phrase patterns and
``overwrite_ents``: the same matches, kept and ordered the same way. It differs in how it is
built. spaCy's ruler tokenizes every pattern text and files the resulting ``Doc`` in a phrase
matcher, which for the knowledge base's ~28,000 names costs several seconds at every start.
Here the names' tokens (ORTH, or LOWER) are worked out once and kept in a cache file in the
user's cache directory, named after everything they depend on (the knowledge base's data,
the spaCy model and version, this code); a start reads the file and walks a token trie.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .base import KnowledgeBase
from .normalise import key

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["add_kb_ruler", "kb_patterns", "KBRuler", "ruler_cache_path", "RULER_NAME",
           "CASED_RULER_NAME"]

RULER_NAME = "kb_entity_ruler"
CASED_RULER_NAME = "kb_entity_ruler_cased"
FACTORY = "dragoman_kb_ruler"
_FORMAT = 1
_GPE_KINDS = frozenset({"state", "territory_authority"})
_ID_SEP = "||"  # spaCy's entity ruler names a match "LABEL||id"; the match id is that name's hash
_END = -1  # trie key of the match ids that end at a node (token hashes are never negative)
# One pattern: its tokens (ORTH, or LOWER for the case-insensitive ruler), label and entry id.
Pattern = tuple[tuple[str, ...], str, str]
# A ruler's index: the token trie, and each match id's (label, entry id); see build_index.
Index = tuple[dict[int, Any], dict[int, tuple[str, str]]]


def _label(kind: str, how: str) -> str:
    if how == "demonym":
        return "NORP"
    if how == "metonym" or kind in _GPE_KINDS:
        return "GPE"
    if kind == "person":
        return "PERSON"
    return "ORG"


def kb_patterns(kb: KnowledgeBase) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Phrase patterns as (matched lower-cased, matched exactly as written).

    Names of two or more words are matched case-insensitively. A one-word name is matched
    exactly as written (and in capitals), because lower-cased it is often an ordinary word:
    "us", "amnesty", "fund". Each pattern's id is the entry the name means with no date.
    """
    seen: set[tuple[str, str]] = set()
    lower: list[dict[str, Any]] = []
    exact: list[dict[str, Any]] = []
    for e in kb.entries():
        names = [(n, "alias") for n in (e.name, *e.aliases)]
        names += [(n, "metonym") for n in e.metonyms]
        # A demonym spelled like one of the entry's names ("U.S.") stays a name (GPE).
        own = {key(n) for n, _ in names}
        names += [(n, "demonym") for n in e.demonyms if key(n) not in own]
        for text, how in names:
            best = kb.lookup(text)
            if not best or best[0].id != e.id:
                continue  # another entry is the default reading of this name
            multi = len(text.split()) > 1 or "-" in text.strip("-")
            if multi and not kb.is_cased(text):
                forms = [text]
                target = lower
            else:
                forms = list(dict.fromkeys([text, text.upper()]))
                target = exact
            for form in forms:
                k = (form if target is exact else form.lower(), how)
                if k in seen:
                    continue
                seen.add(k)
                target.append({"label": _label(e.kind, how), "pattern": form, "id": e.id})
    return lower, exact


class KBRuler:
    """An entity ruler over token sequences, with the semantics of spaCy's ``entity_ruler``
    (phrase patterns, ``overwrite_ents=True``): every pattern occurrence is a candidate; longer
    ones first, then earlier ones; a candidate overlapping one already taken is dropped; the
    model's entities that a taken candidate overlaps are removed."""

    def __init__(self, name: str, attr: str) -> None:
        if attr not in ("ORTH", "LOWER"):
            raise ValueError(f"a KB ruler matches on ORTH or LOWER, not {attr!r}")
        self.name = name
        self.attr = attr
        self._trie: dict[int, Any] = {}
        self._labels: dict[int, tuple[str, str]] = {}  # match id -> (label, entry id)

    def set_patterns(self, patterns: Sequence[Pattern]) -> None:
        """Index the patterns, in order."""
        self.set_index(build_index(patterns))

    @property
    def index(self) -> Index:
        return self._trie, self._labels

    def set_index(self, index: Index) -> None:
        self._trie, self._labels = index

    def matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """(match id, start, end) of every pattern occurrence, in the phrase matcher's order."""
        from spacy.attrs import LOWER, ORTH

        if len(doc) == 0:
            return []
        toks = doc.to_array(ORTH if self.attr == "ORTH" else LOWER).tolist()
        n = len(toks)
        trie = self._trie
        found: list[tuple[int, int, int]] = []
        for start in range(n):
            node = trie.get(toks[start])
            end = start + 1
            while node is not None:
                ids = node.get(_END)
                if ids:
                    found.extend((m, start, end) for m in ids)
                if end == n:
                    break
                node = node.get(toks[end])
                end += 1
        return found

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens import Span

        # spaCy's EntityRuler.match: distinct matches, longest first, then leftmost
        final = sorted(set(self.matches(doc)), key=lambda m: (m[2] - m[1], -m[1]), reverse=True)
        entities = list(doc.ents)
        new_entities = []
        seen_tokens: set[int] = set()
        for match_id, start, end in final:
            if start not in seen_tokens and end - 1 not in seen_tokens:
                label, entry_id = self._labels[match_id]
                new_entities.append(Span(doc, start, end, label=label, span_id=entry_id))
                entities = [e for e in entities if not (e.start < end and e.end > start)]
                seen_tokens.update(range(start, end))
        doc.ents = entities + new_entities
        return doc


def build_index(patterns: Sequence[Pattern]) -> Index:
    """The token trie of the patterns (keys: token ids; under ``_END``, the match ids of the
    patterns ending there) and each match id's (label, entry id). Where several patterns end on
    the same tokens, their match ids are listed in the order spaCy's phrase matcher gives them
    (its terminal hash map), since that order decides which of two equally long matches on the
    same tokens wins."""
    from preshed.maps import PreshMap
    from spacy.strings import get_string_id  # a symbol's id ("mark" is 423), else the hash

    trie: dict[int, Any] = {}
    labels: dict[int, tuple[str, str]] = {}
    ends: dict[int, tuple[dict[int, Any], list[int]]] = {}  # id(node) -> (node, match ids)
    for tokens, label, entry_id in patterns:
        if not tokens:
            continue
        match_id = get_string_id(f"{label}{_ID_SEP}{entry_id}")
        labels[match_id] = (label, entry_id)
        node = trie
        for tok in tokens:
            node = node.setdefault(get_string_id(tok), {})
        ids = ends.setdefault(id(node), (node, []))[1]
        if match_id not in ids:
            ids.append(match_id)
    for node, ids in ends.values():
        if len(ids) > 1:
            order = PreshMap(8)  # the phrase matcher's terminal map: same size, same inserts
            for m in ids:
                order[m] = 1
            ids = list(order.keys())
        node[_END] = tuple(ids)
    return trie, labels


def _register_factory() -> None:
    from spacy.language import Language

    if not Language.has_factory(FACTORY):
        def make(nlp: Language, name: str, attr: str) -> KBRuler:
            return KBRuler(name, attr)

        Language.factory(FACTORY, default_config={"attr": "ORTH"}, func=make)


def ruler_cache_path(nlp: Language, kb: KnowledgeBase) -> Path:
    """The cache file of the rulers' token patterns for this knowledge base, model and code."""
    import spacy

    from ..resolve.places_build import cache_dir

    digest = hashlib.sha256()
    meta = nlp.meta
    for part in (str(_FORMAT), kb.version, sys.version, spacy.__version__, str(meta.get("lang")),
                 str(meta.get("name")), str(meta.get("version"))):
        digest.update(part.encode() + b"\0")
    here = Path(__file__).resolve().parent
    for src in ("ruler.py", "base.py", "normalise.py"):  # the code that decides the patterns
        digest.update((here / src).read_bytes())
    return cache_dir() / f"kb-ruler-f{_FORMAT}-{digest.hexdigest()[:16]}.marshal"


def _token_patterns(nlp: Language, kb: KnowledgeBase) -> tuple[list[Pattern], list[Pattern]]:
    """The patterns with their tokens: (exact, lower), as spaCy's ruler would tokenize them."""
    lower, exact = kb_patterns(kb)
    tokenizer = nlp.tokenizer
    ex = [(tuple(t.text for t in tokenizer(p["pattern"])), p["label"], p["id"]) for p in exact]
    lo = [(tuple(t.lower_ for t in tokenizer(p["pattern"])), p["label"], p["id"]) for p in lower]
    return ex, lo


def _cached_indexes(nlp: Language, kb: KnowledgeBase) -> tuple[Index, Index]:
    """The rulers' indexes (exact, lower) from the cache file, built and written (atomically)
    when missing; a cache that cannot be read or written is rebuilt in memory."""
    path = ruler_cache_path(nlp, kb)
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        fmt, exact, lower = marshal.loads(path.read_bytes())
        if fmt == _FORMAT and all(isinstance(x, tuple) and len(x) == 2 for x in (exact, lower)):
            return exact, lower
    exact_patterns, lower_patterns = _token_patterns(nlp, kb)
    exact, lower = build_index(exact_patterns), build_index(lower_patterns)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.stem, suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(marshal.dumps((_FORMAT, exact, lower)))
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    return exact, lower


def add_kb_ruler(nlp: Language, kb: KnowledgeBase) -> None:
    """Add two entity rulers after "ner" (or last): exact-case single words, then longer names.

    The longer names run second so that "Kataib Hezbollah" replaces the single-word match
    "Hezbollah" inside it.
    """
    _register_factory()
    exact, lower = _cached_indexes(nlp, kb)
    after = "ner" if "ner" in nlp.pipe_names else None
    for name, attr, index in ((CASED_RULER_NAME, "ORTH", exact), (RULER_NAME, "LOWER", lower)):
        if name in nlp.pipe_names:
            nlp.remove_pipe(name)
        config = {"attr": attr}
        if after:
            ruler = nlp.add_pipe(FACTORY, name=name, after=after, config=config)
        else:
            ruler = nlp.add_pipe(FACTORY, name=name, config=config)
        ruler.set_index(index)  # type: ignore[attr-defined]
        after = name
