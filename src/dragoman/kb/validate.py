"""Checks a loaded knowledge base: ids, codes, dates, affiliation targets and shared aliases."""

from __future__ import annotations

import re
from itertools import combinations

from ..plover import INTERNATIONAL_CODES, SECTORS
from .base import KnowledgeBase
from .model import KINDS, PREDICATES, KBEntry

__all__ = ["validate"]

_ID = re.compile(r"^[a-z]+:[A-Za-z0-9][A-Za-z0-9._-]*$")
_QID = re.compile(r"^Q[1-9][0-9]*$")


def _where(e: KBEntry) -> str:
    return e.id if e.source == "builtin" else f"{e.id} (from {e.source})"


def _overlap(a: KBEntry, b: KBEntry) -> bool:
    """Whether two people held offices at the same time (then a date cannot tell them apart)."""
    for ra in a.roles:
        for rb in b.roles:
            a0, a1 = ra.start, ra.end
            b0, b1 = rb.start, rb.end
            if (a0 is None or b1 is None or a0 < b1) and (b0 is None or a1 is None or b0 < a1):
                return True
    return False


def validate(kb: KnowledgeBase) -> list[str]:
    """Every problem found, as sentences that say what to fix; an empty list means valid."""
    problems = list(kb.load_problems)
    countries = {e.country for e in kb.entries() if e.kind == "state" and e.country}
    countries |= INTERNATIONAL_CODES
    for e in kb.entries():
        w = _where(e)
        if not _ID.match(e.id):
            problems.append(f"{w}: id must be 'prefix:name' with letters, digits, '.', '_' or '-'")
        if not e.name.strip():
            problems.append(f"{w}: empty name")
        if e.kind not in KINDS:
            problems.append(f"{w}: kind {e.kind!r} is not one of {', '.join(KINDS)}")
        if e.country is not None and e.country not in countries:
            problems.append(f"{w}: country {e.country!r} is not an ISO 3166-1 alpha-3 code nor IGO/NGO/IMG/MNC")
        if e.sector is not None and e.sector not in SECTORS:
            problems.append(f"{w}: sector {e.sector!r} is not a PLOVER sector ({', '.join(SECTORS)})")
        if e.wikidata is not None and not _QID.match(str(e.wikidata)):
            problems.append(f"{w}: wikidata {e.wikidata!r} is not a QID like 'Q794'; leave it out if unsure")
        for pred, target in e.affiliations:
            if pred not in PREDICATES:
                problems.append(f"{w}: affiliation predicate {pred!r} is not one of {', '.join(sorted(PREDICATES))}")
            if target not in kb:
                problems.append(f"{w}: affiliation target {target!r} does not exist; add it or fix the id")
            if target == e.id:
                problems.append(f"{w}: affiliated with itself")
        for i, r in enumerate(e.roles):
            if r.start and r.end and r.end < r.start:
                problems.append(f"{w}: role {i} ({r.title}) ends {r.end} before it starts {r.start}")
            if r.country is not None and r.country not in countries:
                problems.append(f"{w}: role {i} ({r.title}) has unknown country {r.country!r}")
            if r.sector not in SECTORS:
                problems.append(f"{w}: role {i} ({r.title}) has unknown sector {r.sector!r}")
            if r.org is not None and r.org not in kb:
                problems.append(f"{w}: role {i} ({r.title}) names org {r.org!r}, which does not exist")
        for p in e.prefer:
            if p not in e.all_names and p not in e.demonyms:
                problems.append(f"{w}: prefers {p!r}, which is not one of its names or aliases")
    # A name two entries share needs a rule that picks one: exactly one entry prefers it, or
    # the entries are people whose offices never overlap (the article's date decides).
    for k, bucket in kb.alias_keys().items():
        ids = [eid for eid, how in bucket if how != "demonym"]
        if len(ids) < 2:
            continue
        preferred = [eid for eid in ids if eid in kb.preferred_for(k)]
        if len(preferred) == 1:
            continue
        if len(preferred) > 1:
            problems.append(f"alias {k!r}: preferred by several entries ({', '.join(preferred)}); keep one")
            continue
        people = [kb.get(eid) for eid in ids]
        if all(p is not None and p.kind == "person" and p.roles for p in people) and not any(
                _overlap(a, b) for a, b in combinations(people, 2)  # type: ignore[arg-type]
        ):
            continue
        problems.append(f"alias {k!r} names {', '.join(ids)} with no rule to choose; "
                        "add it to 'prefer' of the entry most texts mean")
    return problems
