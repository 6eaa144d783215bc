"""The PLOVER trigger lexicon: loading, validating and merging the YAML data files."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from dragoman.errors import ConfigError
from dragoman.plover import CONTEXTS, EVENT_TYPES

__all__ = ["Entry", "Lexicon", "LexiconError", "REPORTING_LEMMAS", "Sense", "SENSE_ROLES"]

_ENTRY = re.compile(
    r"^(?P<type>[A-Z]+)(?:/(?P<mode>[a-z-]+))?(?P<ctx>(?:\s+[a-z_]+(?:,[a-z_]+)*)?)\s*(?:@(?P<w>[0-9.]+))?$"
)
_ROLES = frozenset(
    {"request", "order", "threaten", "commit", "reject", "accuse", "reverse", "concede", "support"}
)


# The argument roles a sense can be conditioned on (see "senses" in triggers.yaml).
SENSE_ROLES = frozenset({"subject", "object", "modifier", "carrier", "particle", "oblique", "clause",
                         # a preposition names the role of its object: "a call with Lavrov"
                         "with", "from", "to", "by", "on", "against", "in", "of", "for", "into", "at", "as"})


class LexiconError(ConfigError):
    """A trigger lexicon file is malformed; the message names the file and the entry to fix."""


@dataclass(frozen=True, slots=True)
class Entry:
    """What one word or phrase means: PLOVER type, mode, contexts and how sure the word alone is."""

    event: str
    mode: str | None = None
    contexts: tuple[str, ...] = ()
    weight: float = 0.8


@dataclass(frozen=True, slots=True)
class Sense:
    """One reading of a word, chosen when its arguments are of the named kinds ("release" a
    person, "release" a document). ``entry`` None means the reading states no event; ``frame``
    "undergo" means the subject undergoes the event and a "from"/"by" phrase names its actor."""

    when: tuple[tuple[str, frozenset[str]], ...]
    entry: Entry | None
    pos: str | None = None
    frame: str = ""


def _parse_entry(spec: str, where: str) -> Entry:
    m = _ENTRY.match(str(spec).strip())
    if not m:
        raise LexiconError(f"{where}: cannot read {spec!r}; write 'TYPE[/mode] [context,...] [@weight]'")
    event, mode = m["type"], m["mode"]
    if event not in EVENT_TYPES:
        raise LexiconError(f"{where}: unknown event type {event!r}; use one of {sorted(EVENT_TYPES)}")
    if mode is not None and mode not in EVENT_TYPES[event].modes:
        raise LexiconError(f"{where}: {event} has no mode {mode!r}; its modes are {EVENT_TYPES[event].modes}")
    contexts = tuple(c for c in (m["ctx"] or "").replace(",", " ").split() if c)
    for c in contexts:
        if c not in CONTEXTS:
            raise LexiconError(f"{where}: unknown context {c!r}")
    weight = float(m["w"]) if m["w"] else 0.8
    if not 0.0 <= weight <= 1.0:
        raise LexiconError(f"{where}: weight {weight} must lie between 0 and 1")
    return Entry(event, mode, contexts, weight)


def _key(text: str) -> str:
    # Phrases are matched token by token, and spaCy splits hyphens off: normalise them the same way.
    return " ".join(str(text).lower().replace("-", " - ").split())


@dataclass(frozen=True)
class Lexicon:
    """Everything the trigger finder knows about words; built from YAML, never edited in place."""

    verbs: Mapping[str, Entry]
    nouns: Mapping[str, Entry]
    phrases: Mapping[str, Entry]
    reporting: frozenset[str]
    transparent: frozenset[str]
    intent_adjectives: frozenset[str]
    light_verbs: frozenset[str]
    governors: Mapping[str, str]
    roles: Mapping[str, Mapping[str, str]]
    request_modes: Mapping[str, str]
    threaten_modes: Mapping[str, str]
    contexts: Mapping[str, tuple[str, ...]]
    max_phrase: int = field(default=4)
    kinds: Mapping[str, frozenset[str]] = field(default_factory=dict)
    senses: Mapping[str, tuple[Sense, ...]] = field(default_factory=dict)
    undergo_verbs: frozenset[str] = frozenset()
    observers: frozenset[str] = frozenset()
    owners: frozenset[str] = frozenset()
    object_control: frozenset[str] = frozenset()
    partitives: frozenset[str] = frozenset()
    statives: frozenset[str] = frozenset()
    deontic_adjectives: frozenset[str] = frozenset()
    desire: frozenset[str] = frozenset()
    # judgements: words that praise or condemn what they are said of, and verbs that show a quality
    approving: frozenset[str] = frozenset()
    condemning: frozenset[str] = frozenset()
    showing: frozenset[str] = frozenset()
    # places of confinement: being in one is being held ("is in a U.S. prison awaiting trial")
    confinement: frozenset[str] = frozenset()
    confinement_verbs: frozenset[str] = frozenset()
    # what a speaker denies having been of itself: "it was not responsible", "we were not involved"
    disclaimed: frozenset[str] = frozenset()
    # nouns for the doer of an event, which state it when said of someone ("X is the biggest donor")
    agent_nouns: Mapping[str, Entry] = field(default_factory=dict)

    kind_index: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @cached_property
    def phrase_heads(self) -> frozenset[str]:
        """The first word of every phrase: the only words a phrase can start with."""
        return frozenset(k.split(" ", 1)[0] for k in self.phrases)

    def kinds_of(self, lemma: str) -> frozenset[str]:
        """The argument kinds a noun lemma belongs to ("rocket" -> weapon)."""
        return self.kind_index.get(lemma, frozenset())

    @staticmethod
    def load(extra_files: Sequence[str] = ()) -> Lexicon:
        """The built-in lexicon with the user's files merged over it, in order (cached)."""
        return _load(tuple(str(f) for f in extra_files))

    def covered(self) -> dict[str, set[str | None]]:
        """Every event type with the modes some entry gives it."""
        out: dict[str, set[str | None]] = {t: set() for t in EVENT_TYPES}
        for table in (self.verbs, self.nouns, self.phrases):
            for e in table.values():
                out[e.event].add(e.mode)
        return out


def _builtin_text() -> str:
    return resources.files("dragoman").joinpath("data/lexicon/triggers.yaml").read_text(encoding="utf-8")


def _merge(base: dict[str, Any], extra: Mapping[str, Any], where: str) -> None:
    for key, value in extra.items():
        if key == "version":
            continue
        if isinstance(value, Mapping):
            target = base.setdefault(key, {})
            if not isinstance(target, dict):
                raise LexiconError(f"{where}: section {key!r} must be a mapping")
            for k, v in value.items():
                if isinstance(v, Mapping) and isinstance(target.get(k), dict):
                    target[k] = {**target[k], **v}
                else:
                    target[k] = v
        elif isinstance(value, list):
            base[key] = list(base.get(key) or []) + list(value)
        else:
            raise LexiconError(f"{where}: section {key!r} must be a mapping or a list")


# libyaml's parser when installed (the same documents, several times faster), else PyYAML's own
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=16)
def _load(extra_files: tuple[str, ...]) -> Lexicon:
    raw: dict[str, Any] = {}
    sources = [("built-in triggers.yaml", _builtin_text())]
    for f in extra_files:
        path = Path(f)
        if not path.is_file():
            raise LexiconError(f"trigger lexicon file {f} does not exist; check the path in your settings")
        sources.append((f, path.read_text(encoding="utf-8")))
    for where, text in sources:
        try:
            data = yaml.load(text, Loader=_FAST_LOADER) or {}
        except yaml.YAMLError:
            try:  # the pure-Python parser, for its messages (and anything libyaml refuses)
                data = yaml.safe_load(text) or {}
            except yaml.YAMLError as exc:
                raise LexiconError(f"{where}: not valid YAML ({exc})") from exc
        if not isinstance(data, Mapping):
            raise LexiconError(f"{where}: the top level must be a mapping of sections")
        _merge(raw, data, where)
    return _build(raw)


def _words(raw: Mapping[str, Any], name: str) -> frozenset[str]:
    return frozenset(_key(w) for w in raw.get(name) or ())


def _parse_sense(rule: Any, where: str, kinds: Mapping[str, frozenset[str]]) -> Sense:
    """One rule of a word's senses: role conditions (kind names or lemmas), then TYPE[/mode] or none.
    A rule without conditions is the word's reading when no rule before it holds."""
    if not isinstance(rule, Mapping) or "then" not in rule:
        raise LexiconError(f"{where}: write a mapping such as {{object: person, then: RETREAT/release}}")
    when: list[tuple[str, frozenset[str]]] = []
    for role, value in rule.items():
        if role in ("then", "pos", "frame"):
            continue
        if role not in SENSE_ROLES:
            raise LexiconError(f"{where}: unknown role {role!r}; use one of {sorted(SENSE_ROLES)}")
        values = [value] if isinstance(value, str) else list(value or ())
        if not all(isinstance(v, str) for v in values):
            raise LexiconError(f"{where}: {role} values must be words; quote YAML words such as 'on' or 'no'")
        when.append((str(role), frozenset(v.strip().lower() for v in values)))
    then = str(rule["then"]).strip()
    entry = None if then == "none" else _parse_entry(then, where)
    pos = rule.get("pos")
    if pos not in (None, "verb", "noun"):
        raise LexiconError(f"{where}: pos must be verb or noun, not {pos!r}")
    frame = str(rule.get("frame") or "")
    if frame not in ("", "undergo"):
        raise LexiconError(f"{where}: unknown frame {frame!r}; the only frame is 'undergo'")
    return Sense(tuple(when), entry, pos, frame)


def _build(raw: Mapping[str, Any]) -> Lexicon:
    tables: dict[str, dict[str, Entry]] = {}
    for section in ("verbs", "nouns", "phrases", "agent_nouns"):
        tables[section] = {
            _key(k): _parse_entry(v, f"{section}.{k}") for k, v in (raw.get(section) or {}).items()
        }
    # a noun of several tokens ("cease-fire", "sit-in") is matched as a phrase, never as one lemma
    for k in [k for k in tables["nouns"] if " " in k]:
        tables["phrases"].setdefault(k, tables["nouns"].pop(k))
    governors = {_key(k): str(v) for k, v in (raw.get("governors") or {}).items()}
    for k, role in governors.items():
        if role not in _ROLES:
            raise LexiconError(f"governors.{k}: unknown role {role!r}; use one of {sorted(_ROLES)}")
    roles: dict[str, dict[str, str]] = {}
    for role, table in (raw.get("roles") or {}).items():
        for comp, target in table.items():
            _parse_entry(target, f"roles.{role}.{comp}")
            if comp != "*" and comp not in EVENT_TYPES:
                raise LexiconError(f"roles.{role}: unknown complement type {comp!r}")
        roles[str(role)] = {str(k): str(v) for k, v in table.items()}
    for section, event in (("request_modes", "REQUEST"), ("threaten_modes", "THREATEN")):
        for comp, mode in (raw.get(section) or {}).items():
            if mode not in EVENT_TYPES[event].modes:
                raise LexiconError(f"{section}.{comp}: {event} has no mode {mode!r}")
    contexts: dict[str, tuple[str, ...]] = {}
    for word, ctx in (raw.get("contexts") or {}).items():
        names = tuple(str(ctx).replace(",", " ").split())
        for c in names:
            if c not in CONTEXTS:
                raise LexiconError(f"contexts.{word}: unknown context {c!r}")
        contexts[_key(word)] = names
    kinds = {str(k): frozenset(_key(w) for w in (v or ())) for k, v in (raw.get("kinds") or {}).items()}
    senses = {_key(k): tuple(_parse_sense(r, f"senses.{k}[{n}]", kinds) for n, r in enumerate(v or ()))
              for k, v in (raw.get("senses") or {}).items()}
    by_lemma: dict[str, set[str]] = {}
    for kind, words in kinds.items():
        for w in words:
            by_lemma.setdefault(w, set()).add(kind)
    lex = Lexicon(
        kinds=kinds,
        kind_index={w: frozenset(k) for w, k in by_lemma.items()},
        senses=senses,
        undergo_verbs=_words(raw, "undergo_verbs"),
        observers=_words(raw, "observers"),
        owners=_words(raw, "owners"),
        object_control=_words(raw, "object_control"),
        partitives=_words(raw, "partitives"),
        statives=_words(raw, "statives"),
        deontic_adjectives=_words(raw, "deontic_adjectives"),
        desire=_words(raw, "desire"),
        approving=_words(raw, "approving"),
        condemning=_words(raw, "condemning"),
        showing=_words(raw, "showing"),
        confinement=_words(raw, "confinement"),
        confinement_verbs=_words(raw, "confinement_verbs"),
        disclaimed=_words(raw, "disclaimed"),
        agent_nouns=tables["agent_nouns"],
        verbs=tables["verbs"],
        nouns=tables["nouns"],
        phrases=tables["phrases"],
        reporting=_words(raw, "reporting"),
        transparent=_words(raw, "transparent"),
        intent_adjectives=_words(raw, "intent_adjectives"),
        light_verbs=_words(raw, "light_verbs"),
        governors=governors,
        roles=roles,
        request_modes=dict(raw.get("request_modes") or {}),
        threaten_modes=dict(raw.get("threaten_modes") or {}),
        contexts=contexts,
        max_phrase=max((len(k.split()) for k in tables["phrases"]), default=1),
    )
    missing = [
        f"{t}/{m}" if m else t
        for t, spec in EVENT_TYPES.items()
        for m in ((None,) if not spec.modes else spec.modes)
        if (m is None and not lex.covered()[t]) or (m is not None and m not in lex.covered()[t])
    ]
    if missing:
        raise LexiconError(f"the trigger lexicon covers no word for {', '.join(missing)}; add entries")
    return lex


REPORTING_LEMMAS: frozenset[str] = Lexicon.load().reporting
