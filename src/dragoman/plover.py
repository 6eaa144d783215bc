"""The PLOVER vocabulary: event types, modes, contexts, sectors, quad classes and intensities."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EVENT_TYPES", "CONTEXTS", "SECTORS", "INTERNATIONAL_CODES", "EventType", "quad_of", "intensity_of",
           "intent_reading"]


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    quad: int
    intensity: float
    modes: tuple[str, ...]
    recipient_required: bool = False


# Base scores follow the PLOVER manual, with ACCUSE's evident sign slip corrected (-3, not +3).
EVENT_TYPES: dict[str, EventType] = {
    t.name: t
    for t in (
        EventType("AGREE", 1, 2.5, ()),
        EventType("CONSULT", 1, 2.5, ("visit", "third-party", "multilateral", "phone")),
        EventType("SUPPORT", 1, 5.0, ()),
        EventType("CONCEDE", 1, 4.5, ()),
        EventType("COOPERATE", 2, 9.5, (), True),
        EventType("AID", 2, 10.0, (), True),
        EventType("RETREAT", 2, 6.5, ("withdraw", "release", "disarm", "ceasefire", "access", "resign")),
        EventType("REQUEST", 3, 0.0, ("assist", "change", "yield", "meet")),
        EventType("ACCUSE", 3, -3.0, ("disapprove", "investigate", "allege")),
        EventType("REJECT", 3, -2.0, ("assist", "change", "yield", "meet")),
        EventType("THREATEN", 3, -3.5, ("restrict", "arrest", "relations", "expel", "territory", "violence")),
        EventType("PROTEST", 4, -5.0, ("demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize")),
        EventType("SANCTION", 4, -6.0, ("convict", "expel", "withdraw", "discontinue"), True),
        EventType("MOBILIZE", 4, -5.5, ("troops", "weapons", "police", "militia")),
        EventType(
            "COERCE", 4, -7.0,
            ("seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold",
             "misinformation", "cyber"),
        ),
        EventType(
            "ASSAULT", 4, -9.0,
            ("abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms",
             "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control",
             "unconventional"),
        ),
    )
}

CONTEXTS: frozenset[str] = frozenset(
    """military intelligence executive legislative election political_institutions pro_democracy
    pro_autocracy economic legal reparations human_rights rights_freedoms repression human_security
    gender lgbt religion_ethnicity inequality diplomatic territory peacekeeping health asylum migration
    disasters natural_resource environment technology terrorism cbrn cyber misinformation crime
    corruption illegal_drugs trafficking""".split()
)

SECTORS: dict[str, str] = {
    "GOV": "government", "MIL": "military", "COP": "police", "REB": "rebels and militias",
    "PTY": "political party", "LEG": "legislature", "JUD": "judiciary", "SPY": "intelligence",
    "PRM": "paramilitary", "UAF": "unidentified armed force", "UNK": "unknown",
    "AGR": "agriculture", "BUS": "business", "CRM": "criminal", "CVL": "civilians",
    "EDU": "education", "ELI": "elites", "JRN": "media", "LAB": "labour", "MED": "health",
    "REF": "refugees", "OPP": "opposition", "PRE": "partially recognised entity",
    "REL": "religious", "SOC": "social", "HRI": "human rights", "ENV": "environment",
    "NGO": "non-governmental organisation", "IGO": "intergovernmental organisation",
}

# Country codes PLOVER uses for actors without a country.
INTERNATIONAL_CODES: frozenset[str] = frozenset({"IGO", "NGO", "IMG", "MNC"})


def quad_of(event: str) -> int:
    return EVENT_TYPES[event].quad


def intensity_of(event: str, mode: str | None = None) -> float:
    """The conflict-cooperation score of an event type; some modes refine it."""
    base = EVENT_TYPES[event].intensity
    refinements = {
        ("ASSAULT", "aerial"): -9.5, ("ASSAULT", "heavy-weapons"): -9.5, ("ASSAULT", "beat"): -8.0,
        ("ASSAULT", "crowd-control"): -7.5, ("ASSAULT", "suicide-attack"): -10.0,
        ("THREATEN", "violence"): -4.5, ("RETREAT", "ceasefire"): 7.0, ("RETREAT", "disarm"): 7.0,
    }
    return refinements.get((event, mode or ""), base)


_COOPERATIVE = frozenset({"CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
_MATERIAL_CONFLICT = frozenset({"PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"})


def intent_reading(event: str, threat_mode: str | None = None) -> tuple[str, str | None] | None:
    """What an act stated in the future tense says now, as a sentence coder codes it: PLOVER's AGREE
    takes "all cooperative actions reported in future tense" as intentions to cooperate, and a future
    act of material conflict is a threat of it (THREATEN, CAMEO 13). None when the type stays."""
    if event in _COOPERATIVE:
        return "AGREE", None
    if event in _MATERIAL_CONFLICT:
        return "THREATEN", threat_mode
    return None
