"""The loaded knowledge base: lookups by name, alias matching in text, demonyms, roles."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from ..errors import KnowledgeBaseError
from .model import KINDS, AliasMatch, KBEntry, Resolution, Role, RoleNoun
from .normalise import key, normalise_spans, skeleton

__all__ = ["KnowledgeBase", "INSTITUTION_PREFIXES"]

# kb.institution(iso3, kind) accepts these kind names; the value is the id prefix.
INSTITUTION_PREFIXES: dict[str, str] = {
    "state": "state", "government": "gov", "military": "mil", "police": "pol", "legislature": "leg",
    "parliament": "leg", "foreign_ministry": "mfa", "foreign ministry": "mfa", "intelligence": "intel",
    "defence_ministry": "mod", "defense_ministry": "mod", "defence ministry": "mod",
}
# How an alias names its entry; a proper alias outranks a capital city, which outranks a demonym.
_HOW_RANK = {"alias": 2, "metonym": 1, "demonym": 0}
_KIND_RANK = {k: len(KINDS) - i for i, k in enumerate(KINDS)}
# Suffixes that turn a demonym into an adjective of backing or origin ("Iranian-backed").
_DEMONYM_SUFFIXES = ("backed", "led", "supported", "sponsored", "allied", "aligned", "based",
                     "born", "made", "funded", "trained", "armed", "affiliated", "controlled", "run")


def _is_cased(alias: str) -> bool:
    """Short acronyms ("US", "IS", "LeT", "JeM") match only as written: "us" and "let" are words."""
    if len(alias) > 12 or not any(c.isupper() for c in alias[1:]):
        return False
    return 0 < sum(c.isalpha() for c in alias) <= 5


class KnowledgeBase:
    """Entries by id, an alias index, the demonym table and the role nouns; immutable once built."""

    def __init__(self, entries: Mapping[str, KBEntry], *, role_nouns: Mapping[str, RoleNoun],
                 version: str, files: tuple[str, ...] = (), problems: Iterable[str] = ()) -> None:
        self._entries: dict[str, KBEntry] = dict(entries)
        self._role_nouns = dict(role_nouns)
        self.version = version
        self.files = files
        self.load_problems: tuple[str, ...] = tuple(problems)
        # key -> [(entry id, how)]; built here because every query needs it.
        self._index: dict[str, list[tuple[str, str]]] = {}
        # key -> skeletons allowed when every alias with that key is case-sensitive.
        self._cased: dict[str, set[str]] = {}
        uncased: set[str] = set()
        self._demonyms: dict[str, list[str]] = {}
        self._prefer: dict[str, set[str]] = {}
        # Keys whose every alias is capitalised: in running text they match only capitalised,
        # so that the party "Amal" or "Amnesty" never fires on a lower-case common word.
        self._capital: set[str] = set()
        lower_keys: set[str] = set()
        for e in self._entries.values():
            self._add(e.name, e.id, "alias", uncased)
            for a in e.aliases:
                self._add(a, e.id, "alias", uncased)
            for a in e.metonyms:
                self._add(a, e.id, "metonym", uncased)
            for d in e.demonyms:
                k = key(d)
                self._demonyms.setdefault(k, []).append(e.country or "")
                self._add(d, e.id, "demonym", uncased)
            for p in e.prefer:
                self._prefer.setdefault(key(p), set()).add(e.id)
        for k in uncased:
            self._cased.pop(k, None)
        for e in self._entries.values():
            for a in (*e.all_names, *e.demonyms):
                (self._capital if a[:1].isupper() else lower_keys).add(key(a))
        self._capital -= lower_keys
        self._automaton: Any = None
        self._lock = threading.Lock()

    def _add(self, alias: str, entry_id: str, how: str, uncased: set[str]) -> None:
        k = key(alias)
        if not k:
            return
        bucket = self._index.setdefault(k, [])
        if all(eid != entry_id for eid, _ in bucket):
            bucket.append((entry_id, how))
        else:
            # The same entry reached twice: keep the strongest way it is named.
            for i, (eid, old) in enumerate(bucket):
                if eid == entry_id and _HOW_RANK[how] > _HOW_RANK[old]:
                    bucket[i] = (eid, how)
        if _is_cased(alias):
            self._cased.setdefault(k, set()).add(skeleton(alias))
        else:
            uncased.add(k)

    # -- entries ---------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterable[KBEntry]:
        return iter(self._entries.values())

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._entries

    def entries(self) -> list[KBEntry]:
        return list(self._entries.values())

    def get(self, entry_id: str) -> KBEntry | None:
        return self._entries.get(entry_id)

    def alias_keys(self) -> dict[str, list[tuple[str, str]]]:
        """Every folded alias with the entries it names (read-only use)."""
        return self._index

    def preferred_for(self, alias: str) -> set[str]:
        return set(self._prefer.get(key(alias), ()))

    def is_cased(self, alias: str) -> bool:
        return key(alias) in self._cased

    # -- resolution ------------------------------------------------------------------------------
    def resolve(self, entry: KBEntry | str, *, on: date | None = None) -> Resolution:
        """Country and sector of an entry on a date; with no date, as of its most recent role."""
        e = self._entries[entry] if isinstance(entry, str) else entry
        if not e.roles:
            return Resolution(e.country, e.sector)
        if on is None:
            role = max(e.roles, key=_role_recency)
            return Resolution(role.country, role.sector, role)
        for role in e.roles:  # data order is priority order when two roles overlap
            if role.active(on):
                return Resolution(role.country, role.sector, role)
        return Resolution(e.country, e.sector)

    def _score(self, k: str, eid: str, how: str, on: date | None) -> tuple[int, int, int, int, float]:
        e = self._entries[eid]
        preferred = 1 if eid in self._prefer.get(k, ()) else 0
        active = 0
        recency = 0.0
        if e.roles:
            if on is not None:
                active = 1 if any(r.active(on) for r in e.roles) else 0
            recency = max(_role_recency(r) for r in e.roles)[0].toordinal()
        return (active, preferred, _HOW_RANK[how], _KIND_RANK.get(e.kind, 0), recency)

    def _ranked(self, k: str, on: date | None) -> list[tuple[str, str]]:
        bucket = self._index.get(k, [])
        if len(bucket) < 2:
            return list(bucket)
        return sorted(bucket, key=lambda b: self._score(k, b[0], b[1], on), reverse=True)

    def lookup(self, name: str, *, on: date | None = None) -> list[KBEntry]:
        """Entries a name may refer to, best first (see SCHEMA.md, "Disambiguation")."""
        k = key(name)
        ranked = self._ranked(k, on)
        if not ranked and k.startswith("al "):
            ranked = self._ranked(k[3:], on)
        return [self._entries[eid] for eid, _ in ranked]

    # -- matching in text ------------------------------------------------------------------------
    def _get_automaton(self) -> Any:
        with self._lock:
            if self._automaton is None:
                import ahocorasick

                auto = ahocorasick.Automaton()
                for k in self._index:
                    auto.add_word(k, k)
                auto.make_automaton()
                self._automaton = auto
            return self._automaton

    def find(self, text: str, *, on: date | None = None) -> list[AliasMatch]:
        """Known names in a text, on word boundaries, leftmost-longest, without overlaps."""
        if not text:
            return []
        norm, idx = normalise_spans(text)
        n = len(norm)
        candidates: list[tuple[int, int, str]] = []
        for end, k in self._get_automaton().iter(norm):
            start = end - len(k) + 1
            if start > 0 and norm[start - 1].isalnum():
                continue
            if end + 1 < n and norm[end + 1].isalnum():
                continue
            if k[0] == " " or k[-1] == " ":
                continue
            o_start, o_end = idx[start], idx[end] + 1
            allowed = self._cased.get(k)
            if allowed is not None and skeleton(text[o_start:o_end]) not in allowed:
                continue
            if k in self._capital and not text[o_start].isupper():
                continue
            candidates.append((o_start, o_end, k))
        candidates.sort(key=lambda c: (c[0], c[0] - c[1]))
        out: list[AliasMatch] = []
        last_end = -1
        for s, e, k in candidates:
            if s < last_end:
                continue
            ranked = self._ranked(k, on)
            out.append(AliasMatch(s, e, text[s:e], tuple(eid for eid, _ in ranked), ranked[0][1], k))
            last_end = e
        return out

    # -- states, demonyms, institutions ----------------------------------------------------------
    def demonym(self, word: str) -> str | None:
        """ISO3 code for a demonym or adjective ("Iraqi", "U.S.", "Iranian-backed", "Iraq's")."""
        k = key(word)
        hit = self._demonym_key(k)
        if hit:
            return hit
        for suffix in _DEMONYM_SUFFIXES:
            if k.endswith(" " + suffix):
                hit = self._demonym_key(k[: -len(suffix) - 1])
                if hit:
                    return hit
        if k.endswith(" s"):  # a possessive of a state's name: "Iraq's"
            for e in self.lookup(k[:-2]):
                if e.kind == "state":
                    return e.country
        return None

    def _demonym_key(self, k: str) -> str | None:
        codes = self._demonyms.get(k)
        if not codes:
            return None
        if len(codes) > 1:
            for eid in self._prefer.get(k, ()):
                e = self._entries[eid]
                if e.kind == "state":
                    return e.country
        return codes[0] or None

    def state_of(self, iso3: str) -> KBEntry:
        e = self._entries.get(f"state:{iso3.upper()}")
        if e is None:
            raise KnowledgeBaseError(
                f"no state with ISO 3166-1 alpha-3 code {iso3!r}; use a code such as 'IRQ' or 'USA'")
        return e

    def institution(self, iso3: str, kind: str) -> KBEntry | None:
        prefix = INSTITUTION_PREFIXES.get(kind.lower())
        if prefix is None:
            raise KnowledgeBaseError(
                f"unknown institution kind {kind!r}; use one of {', '.join(sorted(INSTITUTION_PREFIXES))}")
        return self._entries.get(f"{prefix}:{iso3.upper()}")

    # -- role nouns ------------------------------------------------------------------------------
    def described(self) -> list[KBEntry]:
        """The entries that definite descriptions may name ("the coalition"), in data order."""
        return [e for e in self._entries.values() if e.descriptions]

    def role_noun(self, lemma: str) -> RoleNoun | None:
        """The role noun for a lemma or plural ("officials", "spokeswoman", "prime minister")."""
        return self._role_nouns.get(key(lemma))

    def role_nouns(self) -> list[RoleNoun]:
        return sorted({id(r): r for r in self._role_nouns.values()}.values(), key=lambda r: r.lemma)

    # -- figures ---------------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        by_kind: Counter[str] = Counter()
        by_theatre: Counter[str] = Counter()
        aliases_by_kind: Counter[str] = Counter()
        roles = 0
        for e in self._entries.values():
            by_kind[e.kind] += 1
            by_theatre[e.theatre or "global"] += 1
            aliases_by_kind[e.kind] += len({key(a) for a in (*e.all_names, *e.demonyms)})
            roles += len(e.roles)
        return {
            "version": self.version,
            "entries": len(self._entries),
            "aliases": sum(aliases_by_kind.values()),
            "alias_keys": len(self._index),
            "roles": roles,
            "role_nouns": len(self.role_nouns()),
            "by_kind": dict(by_kind.most_common()),
            "aliases_by_kind": dict(aliases_by_kind.most_common()),
            "by_theatre": dict(by_theatre.most_common()),
        }


def _role_recency(role: Role) -> tuple[date, date]:
    # An office still held is the most recent; otherwise the later end, then the later start.
    return (role.end or date.max, role.start or date.min)
