"""The knowledge base's record types: entries, dated roles, role nouns and alias matches."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = ["KINDS", "PREDICATES", "AliasMatch", "KBEntry", "Resolution", "Role", "RoleNoun"]

# Entry kinds; SCHEMA.md explains each. Ordered from the reading a bare ambiguous name most
# likely has in news text to the least likely one: lookups use this order as a last tie-break.
KINDS: tuple[str, ...] = (
    "state", "government", "military", "armed_group", "coalition", "alliance", "igo", "party",
    "ministry", "intelligence", "police", "legislature", "judiciary", "paramilitary", "person",
    "organisation", "ngo", "media", "news_agency", "company", "criminal_group", "religious",
    "territory_authority",
)
PREDICATES: frozenset[str] = frozenset(
    {"member_of", "backed_by", "part_of", "allied_with", "leader_of", "led_by", "adviser_to", "opposes"})


@dataclass(frozen=True, slots=True)
class Role:
    """An office or position held between two dates (``end`` None: still held)."""

    title: str
    country: str | None
    sector: str
    start: date | None = None
    end: date | None = None
    org: str | None = None

    def active(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)


@dataclass(frozen=True, slots=True)
class KBEntry:
    """One actor the knowledge base knows: a state, institution, group, organisation or person."""

    id: str
    name: str
    kind: str
    country: str | None
    sector: str | None
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    affiliations: tuple[tuple[str, str], ...] = ()
    theatre: str | None = None
    roles: tuple[Role, ...] = ()
    prefer: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    descriptions: tuple[str, ...] = ()
    description: str | None = None
    source: str = "builtin"

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *self.metonyms)


@dataclass(frozen=True, slots=True)
class Resolution:
    """Country and sector of an entry on a given date, with the role that gave them."""

    country: str | None
    sector: str | None
    role: Role | None = None


@dataclass(frozen=True, slots=True)
class RoleNoun:
    """A noun naming people by what they do ("officials", "commander", "militiamen")."""

    lemma: str
    plural: str
    sector: str
    kind: str
    collective: bool = False
    anonymous: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class AliasMatch:
    """A known name found in a text: half-open character offsets and the entries it may name."""

    start: int
    end: int
    text: str
    entry_ids: tuple[str, ...]
    how: str = "alias"  # alias | metonym | demonym
    key: str = field(default="", compare=False)
