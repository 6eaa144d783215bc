"""Reads the built-in data files and the user's files into a KnowledgeBase, once per process."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import KnowledgeBaseError
from .base import KnowledgeBase
from .model import KBEntry, Role, RoleNoun
from .normalise import fold, key, set_variants

__all__ = ["DATA_DIR", "load_kb", "parse_entry", "read_entry_file"]

DATA_DIR = Path(__file__).resolve().parent / "data"
HAND_FILES = ("igos.yaml", "institutions_named.yaml", "groups.yaml", "people.yaml", "historic.yaml", "media.yaml")
_LIST_FIELDS = ("aliases", "prefer", "metonyms", "demonyms", "descriptions")
_FIELDS = {"id", "name", "kind", "country", "sector", "aliases", "wikidata", "affiliations", "theatre",
           "roles", "prefer", "metonyms", "demonyms", "descriptions", "description", "extend"}
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_LOCK = threading.Lock()


def _date(value: Any, where: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    text = str(value)
    try:
        if len(text) == 4:
            return date(int(text), 1, 1)
        if len(text) == 7:
            return date(int(text[:4]), int(text[5:7]), 1)
        return date.fromisoformat(text)
    except ValueError as exc:
        raise KnowledgeBaseError(f"{where}: {text!r} is not a date; write YYYY-MM-DD, YYYY-MM or YYYY") from exc


def _role(raw: Any, where: str) -> Role:
    if isinstance(raw, list | tuple):
        if not 3 <= len(raw) <= 6:
            raise KnowledgeBaseError(
                f"{where}: a role is [title, country, sector, start, end, org]; got {raw!r}")
        raw = dict(zip(("title", "country", "sector", "start", "end", "org"), raw, strict=False))
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"{where}: a role must be a list or a mapping, got {raw!r}")
    try:
        return Role(str(raw["title"]), raw.get("country"), str(raw["sector"]),
                    _date(raw.get("start"), where), _date(raw.get("end"), where), raw.get("org"))
    except KeyError as exc:
        raise KnowledgeBaseError(f"{where}: a role needs {exc.args[0]!r}") from exc


def parse_entry(raw: Any, where: str, *, source: str = "builtin", partial: bool = False) -> KBEntry:
    """One entry mapping from a data file as a KBEntry; ``partial`` allows a bare ``extend``."""
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"{where}: each entry must be a mapping with id, name and kind")
    unknown = set(raw) - _FIELDS
    if unknown:
        raise KnowledgeBaseError(
            f"{where}: unknown field(s) {', '.join(sorted(unknown))}; allowed: {', '.join(sorted(_FIELDS))}")
    eid = raw.get("id")
    if not eid or not isinstance(eid, str) or ":" not in eid:
        raise KnowledgeBaseError(f"{where}: 'id' must look like 'prefix:name' (e.g. 'dragoman:hamas')")
    where = f"{where} ({eid})"
    for f in ("name", "kind"):
        if not partial and not raw.get(f):
            raise KnowledgeBaseError(f"{where}: field {f!r} is missing")
    for f in _LIST_FIELDS:
        if not isinstance(raw.get(f, []), list):
            raise KnowledgeBaseError(f"{where}: {f!r} must be a list")
    affs = []
    for a in raw.get("affiliations") or ():
        if not (isinstance(a, list | tuple) and len(a) == 2):
            raise KnowledgeBaseError(f"{where}: an affiliation is [predicate, target id]; got {a!r}")
        affs.append((str(a[0]), str(a[1])))
    kind = raw.get("kind") or ""
    sector = raw.get("sector")
    if kind == "person" and sector is None and raw.get("roles"):
        sector = "ELI"  # out of office, a former office holder is one of the elites
    return KBEntry(
        id=eid, name=str(raw.get("name") or ""), kind=str(kind), country=raw.get("country"),
        sector=sector, aliases=tuple(str(a) for a in raw.get("aliases") or ()),
        wikidata=raw.get("wikidata"), affiliations=tuple(affs), theatre=raw.get("theatre"),
        roles=tuple(_role(r, f"{where} role {i}") for i, r in enumerate(raw.get("roles") or ())),
        prefer=tuple(str(a) for a in raw.get("prefer") or ()),
        metonyms=tuple(str(a) for a in raw.get("metonyms") or ()),
        demonyms=tuple(str(a) for a in raw.get("demonyms") or ()),
        descriptions=tuple(str(a) for a in raw.get("descriptions") or ()),
        description=raw.get("description"), source=source,
    )


def read_entry_file(path: Path) -> list[dict[str, Any]]:
    """The raw entry mappings of a YAML (a list, or a mapping with 'entries') or JSONL file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeBaseError(f"cannot read knowledge-base file {path}: {exc.strerror}; "
                                 "check the path in the kb_files setting") from exc
    try:
        if path.suffix == ".jsonl":
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        data = yaml.load(text, Loader=_Loader)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise KnowledgeBaseError(f"{path} is not valid {'JSON Lines' if path.suffix == '.jsonl' else 'YAML'}: "
                                 f"{exc}") from exc
    if isinstance(data, dict) and "entries" in data:
        data = data["entries"]
    if data is None:
        return []
    if not isinstance(data, list):
        raise KnowledgeBaseError(f"{path}: expected a list of entries (or a mapping with 'entries')")
    return data


def _merge(base: KBEntry, raw: dict[str, Any], ext: KBEntry) -> KBEntry:
    """An ``extend: true`` entry: given scalars replace, lists are appended."""
    changes: dict[str, Any] = {}
    for f in ("name", "kind", "country", "sector", "wikidata", "theatre", "description"):
        if f in raw:
            changes[f] = getattr(ext, f)
    if "name" in raw and base.name != ext.name:
        # The generated name stays findable as an alias.
        changes["aliases"] = (base.name, *base.aliases)
    for f in ("aliases", "prefer", "metonyms", "demonyms", "descriptions", "affiliations", "roles"):
        old = changes.get(f, getattr(base, f))
        new = tuple(x for x in getattr(ext, f) if x not in old)
        changes[f] = (*old, *new)
    changes["source"] = ext.source if ext.source != "builtin" else base.source
    from dataclasses import replace

    return replace(base, **changes)


def _states_and_institutions(entries: dict[str, KBEntry]) -> None:
    patterns = yaml.load((DATA_DIR / "institutions.yaml").read_text(encoding="utf-8"), Loader=_Loader)
    for line in (DATA_DIR / "states.jsonl").read_text(encoding="utf-8").splitlines():
        s = json.loads(line)
        iso3, prefer = s["iso3"], set(s["prefer"])
        entries[f"state:{iso3}"] = KBEntry(
            id=f"state:{iso3}", name=s["name"], kind="state", country=iso3, sector="GOV",
            aliases=tuple(n for n in s["names"] if n != s["name"]), theatre=s["theatre"],
            prefer=tuple(sorted(prefer)), demonyms=tuple(s["demonyms"]), wikidata=s.get("wikidata"),
        )
        names = [n for n in s["names"] if len(n.split()) <= 3]
        for spec in patterns.values():
            aliases: list[str] = []
            pref: list[str] = []
            for pat in spec["patterns"]:
                if "{adj}" in pat:
                    fills = [(a, a in prefer) for a in s["adjectives"]]
                    slot = "{adj}"
                else:
                    fills = [(n, n in prefer) for n in names]
                    slot = "{name}"
                for fill, preferred in fills:
                    alias = pat.replace(slot, fill)
                    aliases.append(alias)
                    if preferred:
                        pref.append(alias)
            eid = f"{spec['prefix']}:{iso3}"
            entries[eid] = KBEntry(
                id=eid, name=spec["name"].replace("{name}", s["name"]), kind=spec["kind"], country=iso3,
                sector=spec["sector"], aliases=tuple(dict.fromkeys(aliases)), theatre=s["theatre"],
                affiliations=(("part_of", f"state:{iso3}"),),
                metonyms=tuple(s["capitals"]) if spec.get("capitals") else (),
                prefer=tuple(dict.fromkeys(pref)),
            )


def _role_nouns() -> dict[str, RoleNoun]:
    out: dict[str, RoleNoun] = {}
    for line in (DATA_DIR / "role_nouns.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lemma, plural, sector, kind, flags, *note = line.split("\t")
        rn = RoleNoun(lemma, plural or lemma, sector, kind, collective="collective" in flags,
                      anonymous="anonymous" in flags, note=note[0] if note else "")
        out.setdefault(key(lemma), rn)
        out.setdefault(key(rn.plural), rn)
    return out


def _variants() -> dict[str, str]:
    out = {}
    for line in (DATA_DIR / "spelling.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            variant, canon = line.split("\t")
            out[variant.strip()] = canon.strip()
    return out


def _apply(entries: dict[str, KBEntry], raws: Iterable[dict[str, Any]], source: str,
           problems: list[str], *, builtin: bool, people: bool = False) -> None:
    seen: set[str] = set()
    for i, raw in enumerate(raws):
        where = f"{source} entry {i + 1}"
        extend = isinstance(raw, dict) and bool(raw.get("extend"))
        if people and isinstance(raw, dict) and not extend:
            # people.yaml leaves out what every person shares: the kind, and a nationality
            # that is the country of the first office held.
            raw.setdefault("kind", "person")
            if "country" not in raw and raw.get("roles"):
                first = raw["roles"][0]
                raw["country"] = first[1] if isinstance(first, list) else first.get("country")
        entry = parse_entry(raw, where, source="builtin" if builtin else source, partial=extend)
        if entry.id in seen:
            problems.append(f"{where}: id {entry.id!r} appears twice in {source}; merge the two entries")
        seen.add(entry.id)
        if extend:
            base = entries.get(entry.id)
            if base is None:
                raise KnowledgeBaseError(f"{where}: 'extend: true' but no entry {entry.id!r} exists to extend; "
                                         "drop 'extend' and give name and kind")
            entries[entry.id] = _merge(base, raw, entry)
        else:
            if builtin and entry.id in entries:
                problems.append(f"{where}: id {entry.id!r} is already defined; use 'extend: true' or a new id")
            entries[entry.id] = entry


@cache
def _load(extra_files: tuple[str, ...]) -> KnowledgeBase:
    # Fold the variant table with no variants installed: folding with the previous table would map
    # every variant onto itself (a second load, e.g. with user files, lost "Hizbullah" -> "hezbollah").
    set_variants({})
    set_variants({fold(k): fold(v) for k, v in _variants().items()})
    entries: dict[str, KBEntry] = {}
    problems: list[str] = []
    digest = hashlib.sha256()
    for name in ("states.jsonl", "institutions.yaml", *HAND_FILES, "role_nouns.tsv", "spelling.tsv"):
        digest.update((DATA_DIR / name).read_bytes())
    _states_and_institutions(entries)
    for name in HAND_FILES:
        _apply(entries, read_entry_file(DATA_DIR / name), name, problems, builtin=True,
               people=name == "people.yaml")
    for f in extra_files:
        path = Path(f).expanduser()
        digest.update(path.read_bytes() if path.is_file() else b"")
        _apply(entries, read_entry_file(path), f, problems, builtin=False)
    kb = KnowledgeBase(entries, role_nouns=_role_nouns(), version=digest.hexdigest()[:12],
                       files=extra_files, problems=problems)
    if extra_files:
        from .validate import validate

        bad = [p for p in validate(kb) if any(f in p for f in extra_files) or "user" in p]
        if bad:
            raise KnowledgeBaseError("the knowledge-base files named in kb_files have problems:\n  "
                                     + "\n  ".join(bad[:20]))
    return kb


def load_kb(extra_files: Sequence[str] = ()) -> KnowledgeBase:
    """The knowledge base: built-in data plus the user's files (their entries win); cached."""
    with _LOCK:
        return _load(tuple(str(f) for f in extra_files))
