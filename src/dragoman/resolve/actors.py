"""Resolves actor mentions in a parsed article to entities: knowledge-base names, people with
their titles and appositions, nominal actors built from role nouns ("U.S. officials", "a commander
from Kataib Hezbollah"), and group nouns and pronouns that refer back to them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from ..extract.sentences import sent_of, text_of
from ..records import Entity, Mention, Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["ActorIndex", "resolve_actors", "speakers_in_quotes", "with_story_country"]

# Collective nouns that name an armed group generically; a definite or demonstrative one refers
# back ("the militias", "these groups", "the factions").
GROUP_NOUNS = {"militia", "group", "faction", "organization", "organisation", "movement", "network",
               "proxy", "coalition", "alliance", "rebel", "insurgent", "militant", "fighter", "guerrilla",
               "jihadist", "gunman", "fundamentalist", "extremist", "islamist", "separatist", "paramilitary"}

@dataclass(frozen=True, slots=True)
class _GroupRole:
    """A generic armed-group noun the knowledge base may not list as a role noun."""

    lemma: str
    sector: str = "REB"
    kind: str = "armed_group"
    collective: bool = True
    anonymous: bool = False


GROUP_ROLE_FALLBACK = {n: _GroupRole(n) for n in ("group", "faction", "militia", "network", "proxy",
                                                   "movement", "organization", "organisation")}
ORG_HEAD_NOUNS = {"commission", "council", "committee", "agency", "authority", "bureau", "directorate",
                  "ministry", "office", "service", "tribunal", "court", "party", "front", "movement", "union",
                  "association", "federation", "institute", "foundation", "network", "coalition", "alliance",
                  "assembly", "parliament", "senate", "congress", "army", "brigade", "brigades", "corps"}
# nouns that head the names of bodies that act, even where no role noun lists them ("Iraqi force")
ACTOR_HEADS = ORG_HEAD_NOUNS | GROUP_NOUNS | {"force", "people", "regime", "leadership", "side", "delegation"}
INSTITUTION_OF_KIND = {"police": "police", "military": "military", "government": "government",
                       "legislature": "legislature"}
MODIFIER_SECTORS = {"opposition": "OPP", "rebel": "REB", "student": "EDU", "business": "BUS", "union": "LAB",
                    "religious": "REL", "tribal": "SOC", "civilian": "CVL", "militia": "REB", "insurgent": "REB",
                    "police": "COP", "army": "MIL", "military": "MIL", "intelligence": "SPY", "hospital": "MED",
                    "medical": "MED", "health": "MED", "court": "JUD", "judicial": "JUD"}
GOVERNMENT_WORDS = {"government", "army", "military", "police", "ministry", "presidency", "cabinet"}
# Words in an organisation's name that say what it is: (kind, sector); first match wins.
ORG_HEADS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("police", "gendarmerie", "constabulary"), "police", "COP"),
    (("army", "armed forces", "defence forces", "defense forces", "navy", "air force", "military"), "military", "MIL"),
    (("intelligence", "security service", "security agency"), "intelligence", "SPY"),
    (("court", "tribunal", "judiciary", "prosecutor"), "judiciary", "JUD"),
    (("parliament", "assembly", "senate", "congress", "duma", "knesset"), "legislature", "LEG"),
    (("party",), "party", "PTY"),
    (("front", "movement", "brigade", "brigades", "militia", "liberation"), "armed_group", "REB"),
    (("human rights", "watch", "amnesty", "foundation", "institute", "red cross", "red crescent"),
     "organisation", "NGO"),
    (("news", "press", "times", "radio", "television", "tv", "broadcasting", "herald", "post", "tribune"),
     "media", "JRN"),
    (("university", "college", "school"), "organisation", "EDU"),
    (("bank", "company", "corporation", "corp", "inc", "ltd", "group plc", "airlines", "oil"), "organisation", "BUS"),
    (("union", "federation of trade", "workers", "syndicate"), "organisation", "LAB"),
    (("church", "mosque", "clerics", "ulema", "diocese"), "organisation", "REL"),
    (("ministry", "government", "council", "commission", "agency", "authority", "office", "service", "department",
      "directorate", "bureau", "cabinet", "presidency"), "organisation", "GOV"),
)
# nouns that name people without a role: a definite one refers to people named before
GENERIC_PEOPLE = {"man", "men", "woman", "women", "person", "persons", "people"}
PEOPLE_KINDS = {"person", "officials", "civilians", "military", "police", "armed_group", "unknown"}
PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers"}
PLURAL_PRONOUNS = {"they", "them", "their", "theirs"}
MALE_PRONOUNS = {"he", "him", "his", "himself"}


@lru_cache(maxsize=1)
def _gender_words() -> dict[str, str]:
    """Gendered titles and nouns (data/lexicon/gender.yaml): word -> "f" or "m"."""
    raw = yaml.safe_load(resources.files("dragoman").joinpath("data/lexicon/gender.yaml").read_text(encoding="utf-8"))
    return {**{w: "f" for w in raw["female"]}, **{w: "m" for w in raw["male"]}}


@lru_cache(maxsize=1)
def _national_titles() -> re.Pattern[str]:
    """Offices only one state's government has (data/lexicon/national_titles.yaml), as one pattern
    whose group names the state: "foreign secretary" -> GBR. "Secretary of State for Health" is
    another office, so a title followed by "for" is not it."""
    raw = yaml.safe_load(resources.files("dragoman").joinpath("data/lexicon/national_titles.yaml")
                         .read_text(encoding="utf-8"))
    alternatives = [f"(?P<{iso}>{'|'.join(re.escape(t) for t in sorted(titles, key=len, reverse=True))})"
                    for iso, titles in raw["titles"].items()]
    return re.compile(rf"\b(?:{'|'.join(alternatives)})\b(?!\s+for\b)")


def national_title_country(text: str) -> str | None:
    """The state whose office a phrase names ("the Foreign Secretary", "Deputy Secretary of State")."""
    m = _national_titles().search(re.sub(r"\s+", " ", text.replace("\u2019", "'").lower()))
    return m.lastgroup if m else None


# "Sen. Bob Corker (R-Tenn.)": the party and state of a member of the U.S. Congress after the name
US_PARTY_TAG = re.compile(r"\s*\(\s*[RDI]\s*-\s*[A-Z][A-Za-z.]*(?:\s?[A-Z][A-Za-z.]*)?\s*\)")

# Titles that precede a name and what they make of its bearer.
TITLE_WORDS = {
    "secretary-general": "GOV", "director-general": "GOV", "commissioner": "GOV", "chairman": "GOV",
    "spokesman": "GOV", "spokeswoman": "GOV", "foreign": None,
    "president": "GOV", "prime": "GOV", "minister": "GOV", "chancellor": "GOV", "king": "GOV",
    "queen": "GOV", "emir": "GOV", "sheikh": "ELI", "crown": "GOV", "prince": "GOV", "premier": "GOV",
    "governor": "GOV", "mayor": "GOV", "secretary": "GOV", "ambassador": "GOV", "envoy": "GOV",
    "senator": "LEG", "sen.": "LEG", "rep.": "LEG", "lawmaker": "LEG", "speaker": "LEG",
    "general": "MIL", "gen.": "MIL", "lt.": "MIL", "colonel": "MIL", "col.": "MIL", "major": "MIL",
    "maj.": "MIL", "admiral": "MIL", "adm.": "MIL", "commander": "MIL", "sergeant": "MIL",
    "judge": "JUD", "justice": "JUD", "prosecutor": "JUD", "ayatollah": "REL", "imam": "REL",
    "cleric": "REL", "pope": "REL", "bishop": "REL", "rabbi": "REL", "dr.": None, "mr.": None,
    "mrs.": None, "ms.": None,
    # the same abbreviations written without a full stop (British style: "Lt Gen", "Mrs")
    "gen": "MIL", "lt": "MIL", "col": "MIL", "maj": "MIL", "adm": "MIL", "brig": "MIL", "capt": "MIL",
    "sgt": "MIL", "dr": None, "mr": None, "mrs": None, "ms": None,
    "capt.": "MIL", "brig.": "MIL", "sgt.": "MIL", "cmdr.": "MIL", "cpl.": "MIL",
}


@dataclass
class _Cluster:
    """An entity under construction (local to one call; never shared)."""

    key: str
    name: str
    kind: str
    country: str | None = None
    sector: str | None = None
    kb_id: str | None = None
    wikidata: str | None = None
    anonymous: bool = False
    plural: bool = False
    mentions: list[tuple[int, int, str]] = field(default_factory=list)
    heads: list[int] = field(default_factory=list)  # token indices of mention heads
    name_rank: int = 0  # how good `name` is: 3 KB canonical, 2 proper name, 1 nominal
    gender: str | None = None  # "f" or "m" when a title or apposition says so ("his wife, NAME")
    titles: set[str] = field(default_factory=set)  # title words a person bears ("president", "secretary")
    title_country: str | None = None  # the state whose office the title names, when nothing nearer does


@dataclass(frozen=True, slots=True)
class ActorIndex:
    """Resolved actors of one article: the entities, and which entity each token refers to."""

    entities: tuple[Entity, ...]
    token_entity: dict[int, str]  # token index -> entity id (heads and whole mention spans)
    head_entity: dict[int, str]  # mention head token index -> entity id
    spans: tuple[tuple[int, int, str], ...]  # (token start, token end, entity id) of every mention
    kb_entries: dict[str, Any]  # entity id -> KB entry (when from the KB)
    co_heads: dict[int, tuple[str, ...]] = field(default_factory=dict)  # "Hungarian and Romanian officials"
    # entities that would take the story's country, which the text alone did not give
    countryless: tuple[str, ...] = ()
    # people on the ground (civilians, the opposition, refugees) whose country came from the story
    # alone: where the story's places are says more about them than which state it names most
    placed: tuple[str, ...] = ()
    # (start, end) characters of states named as the subject of a clause ("the United States condemns")
    acting: frozenset[tuple[int, int]] = frozenset()

    def entity_at(self, token_i: int) -> str | None:
        return self.token_entity.get(token_i)

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)


def _norm(text: str) -> str:
    t = text.replace("\u2019", "'").lower()
    t = re.sub(r"^(the|a|an)\s+", "", t)
    return re.sub(r"[^a-z0-9' -]+", "", t).strip()


def _other_given_name(known: str, name: str) -> bool:
    """Whether two full names share a surname but not a given name ("Ahmed Karim", "Layla Karim");
    initials and titles say nothing."""
    a, b = known.split(), name.split()
    if len(a) < 2 or len(b) < 2:
        return False
    ga, gb = a[0].rstrip(".").lower(), b[0].rstrip(".").lower()
    if len(ga) <= 1 or len(gb) <= 1 or ga in TITLE_WORDS or gb in TITLE_WORDS:
        return False
    return ga != gb


def _surname_key(name: str) -> str:
    parts = [p for p in re.split(r"\s+", name.strip()) if p]
    if not parts:
        return name.lower()
    last = parts[-1].replace("\u2019", "'").lower()
    last = re.sub(r"^(al|el|ad|as|an|ar|ash|at|az)-", "", last)
    return re.sub(r"'s$", "", last)


class _Resolver:
    def __init__(self, doc: Doc, kb: Any, published: date | None, gazetteer: Any = None) -> None:
        self.doc = doc
        self.kb = kb
        self.gazetteer = gazetteer
        self.on = published
        self.clusters: dict[str, _Cluster] = {}
        self.order: list[str] = []
        self.token_cluster: dict[int, str] = {}
        self.head_cluster: dict[int, str] = {}
        self.spans: list[tuple[int, int, str]] = []
        self.kb_entries: dict[str, Any] = {}
        self.co_heads: dict[int, list[str]] = {}
        self._dateline: int | None = None  # where the dateline ends (0: none); found once
        self.countryless: set[str] = set()
        self.placed: set[str] = set()

    # ------------------------------------------------------------------ clusters
    def _cluster(self, key: str, **attrs: Any) -> _Cluster:
        c = self.clusters.get(key)
        if c is None:
            c = _Cluster(key=key, **attrs)
            self.clusters[key] = c
            self.order.append(key)
        return c

    def _add_mention(self, c: _Cluster, start_tok: int, end_tok: int, head: int, *, shared: bool = False) -> None:
        span = self.doc[start_tok:end_tok]
        if shared:
            # one phrase naming two actors: the second is reachable from the same head
            c.mentions.append((span.start_char, span.end_char, span.text))
            c.heads.append(head)
            self.spans.append((start_tok, end_tok, c.key))
            self.co_heads.setdefault(head, []).append(c.key)
            return
        if any(s == start_tok and e == end_tok for s, e, _k in self.spans):
            return
        c.mentions.append((span.start_char, span.end_char, span.text))
        c.heads.append(head)
        self.spans.append((start_tok, end_tok, c.key))
        for i in range(start_tok, end_tok):
            self.token_cluster.setdefault(i, c.key)
        self.token_cluster[head] = c.key
        self.head_cluster[head] = c.key

    def _from_kb(self, entry: Any) -> _Cluster:
        country, sector = self._kb_country_sector(entry)
        c = self._cluster(
            "kb:" + entry.id, name=entry.name, kind=entry.kind, country=country, sector=sector,
            kb_id=entry.id, wikidata=getattr(entry, "wikidata", None), name_rank=3,
        )
        for role in getattr(entry, "roles", ()):
            c.titles.update(role.title.lower().replace("-", " ").split())
        self.kb_entries[c.key] = entry
        return c

    def _kb_country_sector(self, entry: Any) -> tuple[str | None, str | None]:
        resolve = getattr(self.kb, "resolve", None)
        if resolve is not None:
            r = resolve(entry, on=self.on)
            return r.country, r.sector
        return entry.country, entry.sector

    # ------------------------------------------------------------------ passes
    def run(self) -> ActorIndex:
        self._defined_acronyms()
        self._kb_and_named()
        self._unlabelled_organisations()
        self._descriptions()
        self._nominals()
        self._appositions()
        self._surnames()
        self._genders()
        self._anaphora()
        self._fill_countries()
        return self._finish()

    def _surnames(self) -> None:
        """A person named in full is later named by surname alone ("Teresa Lacson" ... "Lacson"),
        which the model does not always tag."""
        by_surname: dict[str, _Cluster] = {}
        for c in self.clusters.values():
            if c.kind == "person" and c.name_rank >= 2 and len(c.name.split()) >= 2:
                by_surname.setdefault(c.name.split()[-1].lower(), c)
        # a surname the model read as an organisation ("Lukusa told a news conference")
        for key in list(self.order):
            org_c = self.clusters.get(key)
            if org_c is not None and key.startswith("org:") and " " not in org_c.name.strip():
                named = by_surname.get(org_c.name.strip().lower())
                if named is not None:
                    self._merge(key, named.key)
        for tok in self.doc:
            if tok.i in self.token_cluster or not tok.is_title or tok.pos_ != "PROPN":
                continue
            named = by_surname.get(tok.lower_)
            if named is None or not any(h < tok.i for h in named.heads):
                continue
            given = self.doc[tok.i - 1] if tok.i else None
            if given is not None and given.pos_ == "PROPN" and given.is_title and given.i not in self.token_cluster \
                    and _other_given_name(named.name, f"{given.text} {tok.text}"):
                self._person(self.doc[given.i: tok.i + 1])  # a relative: same surname, another given name
                continue
            self._add_mention(named, tok.i, tok.i + 1, tok.i)
        self._acronyms()

    def _acronyms(self) -> None:
        """"the Internal Security Agency (ABW)": the acronym names the same organisation."""
        doc = self.doc
        for key in list(self.order):
            c = self.clusters.get(key)
            if c is None or c.kind in {"person", "state"}:
                continue
            for _s, end_char, _t in list(c.mentions):
                span = doc.char_span(end_char, min(len(text_of(doc)), end_char + 12), alignment_mode="expand")
                if span is None or len(span) < 3 or span[0].text != "(" or span[2].text != ")":
                    continue
                acronym = span[1].text
                if not (acronym.isupper() and 2 <= len(acronym) <= 8):
                    continue
                for other_key in list(self.order):
                    o = self.clusters.get(other_key)
                    if o is not None and other_key != key and o.name == acronym:
                        self._merge(other_key, key)
                for tok in doc:
                    if tok.text == acronym and tok.i not in self.token_cluster:
                        self._add_mention(c, tok.i, tok.i + 1, tok.i)

    def _defined_acronyms(self) -> None:
        """"the Syrian Arab Coalition (SAC)": a name followed by its initials in brackets defines
        the acronym for this article, ahead of any other body the knowledge base knows by it."""
        doc = self.doc
        for paren in doc:
            i = paren.i
            if paren.text != "(" or i + 2 >= len(doc) or doc[i + 2].text != ")":
                continue
            acronym = doc[i + 1].text
            if not ACRONYM.fullmatch(acronym):
                continue
            start = _initials_start(doc, i, [ch for ch in acronym if ch.isupper()])
            if start is None or any(t.i in self.token_cluster for t in doc[start:i]):
                continue
            span = doc[start:i]
            found = [e for e in self.kb.lookup(span.text, on=self.on) if e.kind != "place"]
            # the body the knowledge base knows by these letters, when the text names it in other
            # words ("International Labor Office (ILO)" for the International Labour Organization)
            found = found or [e for e in self.kb.lookup(acronym, on=self.on) if _names_alike(span.text, e)]
            if found:
                c = self._from_kb(found[0])
            else:
                kind, sector = _org_kind(span.text)
                country = next((self._country_of_text(t.text) for t in span
                                if t.ent_type_ in {"GPE", "NORP"} and self._country_of_text(t.text)), None)
                c = self._cluster("org:" + _norm(span.text), name=span.text, kind=kind, country=country,
                                  sector=sector, name_rank=2)
            self._add_mention(c, start, i, span.root.i)
            for tok in doc:
                if tok.text == acronym and tok.i not in self.token_cluster:
                    self._add_mention(c, tok.i, tok.i + 1, tok.i)

    def _described(self) -> dict[str, Any]:
        """Definite descriptions ("the coalition") and the one knowledge-base entry each names in
        this article: an entry already named in it, else the one entry whose opponent it names (the
        anti-IS coalition in a story about the Islamic State, the Saudi-led one in one about the
        Houthis); a description two candidates share names neither."""
        named = {c.kb_id for c in self.clusters.values() if c.kb_id}
        out: dict[str, Any] = {}
        ambiguous: set[str] = set()
        for entry in getattr(self.kb, "described", lambda: ())():
            opposed = {t for p, t in entry.affiliations if p == "opposes"}
            if entry.id not in named and not opposed & named:
                continue
            for d in entry.descriptions:
                key = _folded(d)
                if key in out and out[key].id != entry.id:
                    if (entry.id in named) == (out[key].id in named):
                        ambiguous.add(key)
                    elif entry.id in named:
                        out[key] = entry
                    continue
                out[key] = entry
        return {k: v for k, v in out.items() if k not in ambiguous}

    def _descriptions(self) -> None:
        """"the Coalition", "coalition air strikes", "Coalition aircraft": a singular description
        that is definite, capitalised or modifies another noun names the entry it describes here."""
        described = self._described()
        if not described:
            return
        heads = {k.split()[-1] for k in described}
        doc = self.doc
        for tok in doc:
            if tok.lower_ not in heads or tok.tag_ in {"NNS", "NNPS"}:
                continue
            key = self.token_cluster.get(tok.i)
            if key is not None and not (key.startswith("org:") and _folded(self.clusters[key].name) in described):
                continue  # part of another name ("Syrian Arab Coalition", "US-led coalition")
            mods = [c for c in tok.children if c.dep_ in {"amod", "compound", "nmod"} and c.i < tok.i]
            phrase = _folded(" ".join([*(m.text for m in mods), tok.text]))
            entry = described.get(phrase)
            dets = {c.lower_ for c in tok.children if c.dep_ in {"det", "poss"}}
            modifier = tok.dep_ in {"compound", "nmod"} and tok.head.pos_ in {"NOUN", "PROPN"}
            if entry is None or dets & {"a", "an", "another", "any", "each", "every"} or not (
                    dets or tok.is_title or modifier):
                continue
            left = min([tok.i, *(m.left_edge.i for m in mods),
                        *(c.i for c in tok.children if c.dep_ == "det" and c.i < tok.i)])
            c = self._from_kb(entry)
            if key is not None:
                self._merge(key, c.key)  # the model's bare "Coalition" organisation
                continue
            self._add_mention(c, left, tok.i + 1, tok.i)

    def _nearest_country_word(self, tok: Token) -> str | None:
        sent = sent_of(tok)
        for i in range(tok.i - 1, sent.start - 1, -1):
            t = self.doc[i]
            if t.ent_type_ in {"NORP", "GPE"}:
                code = self._country_of_text(re.sub(r"['\u2019]s$", "", t.text))
                if code and code not in {"IGO", "NGO"}:
                    return code
        return None

    def _article_country(self) -> str | None:
        """The country the story is about: the dateline's, else the state named most often."""
        end = self._dateline_end()
        if end:
            for ent in self.doc.ents:
                if ent.end_char <= end and ent.label_ == "GPE":
                    code = self._country_of_text(ent.text)
                    if code:
                        return code
        counts: dict[str, int] = {}
        for c in self.clusters.values():
            if c.kind in {"state", "government"} and c.country:
                # "the Iran deal", "Iran sanctions": a state named as what a thing is about is the
                # story's topic, not where it happens
                acting = [h for h in c.heads if not self._topic_modifier(self.doc[h])]
                counts[c.country] = counts.get(c.country, 0) + len(acting)
            elif c.kind == "person" and c.country and c.sector in OFFICIAL_SECTORS and c.name_rank >= 2:
                # each official it names by name is one more sign (a story about senators is
                # about their country)
                counts[c.country] = counts.get(c.country, 0) + 1
        # only a state the story keeps returning to is its subject
        top = max(counts, key=lambda k: counts[k]) if counts else None
        return top if top is not None and counts[top] >= 3 else None

    def _legislators_country(self) -> str | None:
        """The one country of the legislators the text names by name, when they share one."""
        found = {c.country for c in self.clusters.values()
                 if c.kind == "person" and c.sector == "LEG" and c.name_rank >= 2 and c.country}
        return found.pop() if len(found) == 1 else None

    def _topic_modifier(self, tok: Token) -> bool:
        """A name modifying a noun that is no actor: "Iran sanctions", "the Iran deal"."""
        return tok.dep_ in {"compound", "nmod", "amod"} and tok.head.pos_ == "NOUN" \
            and tok.head.i not in self.token_cluster and self._role(tok.head) is None \
            and tok.head.lower_ not in TITLE_WORDS and tok.head.lemma_.lower() not in ACTOR_HEADS

    def _fill_countries(self) -> None:
        """Officials, soldiers and titled people the text gives no country take the country of
        their sentence, else of the story ("military spokesman Colonel X" in a Bamako story)."""
        story = None
        for c in self.clusters.values():
            c.country = c.country or c.title_country
            if c.country or c.kind in {"state", "igo", "ngo", "media", "news_agency"}:
                continue
            if c.kind == "organisation" and c.sector not in {"GOV", "MIL", "COP", "SPY", "JUD", "LEG"}:
                continue
            if c.kb_id is not None:
                continue
            head = self.doc[c.heads[0]] if c.heads else None
            if head is not None and c.sector == "CVL":
                # civilians belong with the nearest nationality or place before them ("shelled
                # Armenian villages, killing three civilians"), not with whoever acted
                near = self._nearest_country_word(head)
                if near:
                    c.country = near
                    continue
            # a titled official may take the one country named after him in his sentence
            # ("President X threatened a curfew in Algiers"); an untitled person may not
            after = (c.kind != "person" and c.sector not in GROUND_SECTORS) or c.sector in OFFICIAL_SECTORS
            # "the Senate", "lawmakers", "the committee": the legislature of the legislators the
            # story names ("Sen. Bob Menendez (D-N.J.)"), whatever country the sentence names
            country = self._legislators_country() if c.sector == "LEG" else None
            if country is None and head is not None:
                country = self._context_country(head, after=after)
            if country is None and (c.kind == "person" or c.sector in STORY_COUNTRY_SECTORS):
                story = story or self._article_country()
                country = story
                if country is None:
                    self.countryless.add(c.key)
                elif c.sector in GROUND_SECTORS:
                    self.placed.add(c.key)
            c.country = country

    def _unlabelled_organisations(self) -> None:
        """Capitalised names of bodies that the model leaves unlabelled: "the Kenya National
        Commission on Human Rights", "the Independent Electoral Commission"."""
        doc = self.doc
        for tok in doc:
            if tok.i in self.token_cluster or not tok.is_title or tok.lemma_.lower() not in ORG_HEAD_NOUNS:
                continue
            start = tok.i
            while start > 0 and (doc[start - 1].is_title or doc[start - 1].ent_type_ in {"GPE", "NORP"}) \
                    and self.token_cluster.get(doc[start - 1].i, "kb:state:").startswith("kb:state:") \
                    and not doc[start].is_sent_start:
                start -= 1
            end = tok.i + 1
            # "... Commission on Human Rights", "... Council for Peace"
            if end + 1 < len(doc) and doc[end].lower_ in {"on", "of", "for"} and doc[end + 1].is_title:
                end += 1
                while end < len(doc) and (doc[end].is_title or doc[end].lower_ in {"and", "&"}) \
                        and doc[end].i not in self.token_cluster:
                    end += 1
                if doc[end - 1].lower_ in {"and", "&"}:
                    end -= 1
            while start < tok.i and doc[start].lower_ in {"the", "a", "an"}:
                start += 1
            span = doc[start:end]
            if sum(t.is_title for t in span) < 2:
                continue
            if any(t.i in self.token_cluster for t in span) and not all(
                    self.token_cluster.get(t.i, "").startswith("kb:state:") for t in span if t.i in self.token_cluster):
                continue
            kind, sector = _org_kind(span.text)
            country = next((self._country_of_text(t.text) for t in span if t.ent_type_ in {"GPE", "NORP"}), None)
            c = self._cluster("org:" + _norm(span.text), name=span.text, kind=kind, country=country,
                              sector=sector, name_rank=2)
            for t in span:  # the state named inside the organisation's name is not an actor here
                key = self.token_cluster.pop(t.i, None)
                if key is not None:
                    self.head_cluster.pop(t.i, None)
            self.spans = [sp for sp in self.spans if not (start <= sp[0] and sp[1] <= end)]
            for cl in self.clusters.values():
                cl.mentions = [m for m in cl.mentions if not (span.start_char <= m[0] and m[1] <= span.end_char)]
                cl.heads = [h for h in cl.heads if not (start <= h < end)]
            self._add_mention(c, start, end, tok.i)
        for key in [k for k, cl in self.clusters.items() if not cl.mentions]:
            del self.clusters[key]
            self.order.remove(key)

    def _titled_person(self, ent: Span) -> bool:
        """"Kirkuk Governor Khalid Mahmoud al-Obeidi" read by the model as another kind of name:
        a title word followed by capitalised names is a person."""
        if ent.label_ in {"PERSON", "NORP"} or len(ent) < 3:
            return False
        for k, t in enumerate(ent[:-1]):
            rest = ent[k + 1:]
            if t.lower_ in TITLE_WORDS and TITLE_WORDS[t.lower_] and all(
                    r.is_title or r.text == "-" or r.lower_ in {"al", "el", "bin", "ibn", "abu"} for r in rest):
                if sum(r.is_title for r in rest) >= 2:
                    self._person(rest)
                    c = self.clusters[self.token_cluster[rest.root.i]] if rest.root.i in self.token_cluster else None
                    if c is not None:
                        c.sector = c.sector or TITLE_WORDS[t.lower_]
                        if not c.country:
                            for pre in ent[:k]:
                                c.country = c.country or self._country_of_text(pre.text)
                    return True
        return False

    def _is_place_name(self, ent: Span) -> bool:
        if self.gazetteer is None or ent.label_ not in {"PERSON", "ORG", "WORK_OF_ART"}:
            return False
        if any(t.lower_ in TITLE_WORDS for t in ent) or _org_kind(ent.text)[1] != "UNK":
            return False
        if ent.label_ == "PERSON" and len(ent) > 1 and not _locative(ent.root):
            return False  # "Khalid Mahmoud" could be a town too; a full name in subject position is a person
        try:
            return ent.text in self.gazetteer
        except (TypeError, ValueError):
            return False

    def _dateline_end(self) -> int:
        from ..clean import match_dateline

        if self._dateline is None:
            m = match_dateline(text_of(self.doc))
            self._dateline = m.end() if m else 0
        return self._dateline

    def _kb_and_named(self) -> None:
        doc = self.doc
        dateline_end = self._dateline_end()
        for ent in doc.ents:
            if ent.end_char <= dateline_end:
                continue  # the dateline names where the story was filed, not an actor
            if any(t.i in self.token_cluster for t in ent):
                continue  # a name the article defines with its acronym, already resolved
            if ent.label_ in {"ORG", "PERSON"} and ent[0].dep_ == "pobj" and ent[0].head.lower_ == "of" \
                    and ent[0].head.head.lower_ in TITLE_WORDS and ent[0].is_title:
                # "Secretary of [State Karen Holt]", "Secretary of [State]": the title's last word
                # is no part of a name
                if len(ent) >= 3:
                    self._person(doc[ent.start + 1: ent.end])
                continue
            kb_id = ent.ent_id_ or ""
            entry = self.kb.get(kb_id) if kb_id else None
            if entry is None and ent.label_ in {"ORG", "PERSON", "GPE", "NORP"}:
                found = self.kb.lookup(ent.text, on=self.on)
                entry = found[0] if found else None
                if entry is None and ent.label_ == "PERSON":
                    stripped = _strip_title(ent)
                    if stripped is not None and len(stripped) < len(ent):
                        found = self.kb.lookup(stripped.text, on=self.on)
                        entry = found[0] if found else None
            if entry is None and ent.label_ == "NORP" and ent.text.endswith("s"):
                # "Palestinians", "Ghanaians": the plural of a demonym names a people
                code = self._country_of_text(ent.text[:-1])
                state_of = getattr(self.kb, "state_of", None)
                if code and state_of is not None:
                    try:
                        entry = state_of(code)
                    except (KeyError, ValueError, LookupError):
                        entry = None
            if entry is not None:
                if entry.kind in {"place"}:
                    continue
                place_name = _folded(ent.text) in {_folded(m) for m in getattr(entry, "metonyms", ())}
                metonym = entry.kind == "government" or place_name
                if metonym and (_locative(ent.root) or (
                        place_name and ent.root.dep_ in {"compound", "amod", "nmod"} and ent.root.head.pos_ == "NOUN"
                        and self._role(ent.root.head) is None)):
                    # "arrested in Nairobi", "the Doha agreement": the city, not its government
                    continue  # "arrested in Nairobi", "signed in Doha": the city, not its government
                if entry.kind == "person" and ent.start > 0 and _first_name_before(ent, entry):
                    # "M23 spokesman Emmanuel Bisimwa" is not the KB's Bertrand Bisimwa
                    self._person(doc[ent.start - 1: ent.end])
                    continue
                if ent.label_ == "NORP" or self._is_demonym(ent):
                    # a demonym heading a role-noun phrase is handled with that phrase
                    head = ent.root.head
                    if ent.root.dep_ in {"amod", "compound", "nmod"} and self._role(head) is not None:
                        continue
                    if ent.root.dep_ in {"amod", "compound"} and head.tag_ in {"NNPS", "NNS"} and (
                            head.ent_type_ == "NORP" or head.pos_ == "PROPN") and head.i not in self.token_cluster:
                        # "Iraqi Kurds", "Sri Lankan Tamils": a people of that country
                        country = self._kb_country_sector(entry)[0]
                        c = self._cluster(f"nom:people:CVL:{country}:", name=f"{ent.text} {head.text}",
                                          kind="people", country=country, sector="CVL", name_rank=1, plural=True)
                        self._add_mention(c, ent.start, head.i + 1, head.i)
                        continue
                    if ent.root.tag_ in {"NNS", "NNPS"} and ent.root.dep_ not in {"amod", "compound", "nmod"}:
                        # "Palestinians blamed Israel", "arrested 100 Palestinians": the people,
                        # not the state
                        country = self._kb_country_sector(entry)[0]
                        c = self._cluster(f"nom:people:CVL:{country}:", name=ent.text, kind="people",
                                          country=country, sector="CVL", name_rank=1, plural=True)
                        self._add_mention(c, ent.start, ent.end, ent.root.i)
                        continue
                c = self._from_kb(entry)
                self._add_mention(c, ent.start, ent.end, ent.root.i)
            elif self._titled_person(ent):
                continue
            elif self._is_place_name(ent):
                continue  # "Goma", "Kisumu" mislabelled by the model: places, not actors
            elif ent.label_ == "PERSON":
                self._person(ent)
            elif ent.label_ == "ORG":
                if self._role(ent.root) is not None and ent.root.pos_ == "NOUN":
                    continue
                kind, sector = _org_kind(ent.text)
                country = None
                start = ent.start
                if start > 0 and doc[start - 1].ent_type_ in {"NORP", "GPE"}:
                    start -= 1  # "the Philippine | Department of Foreign Affairs"
                for t in doc[start: ent.end]:
                    if t.ent_type_ in {"GPE", "NORP"} or (t.i < ent.start):
                        country = country or self._country_of_text(re.sub(r"['\u2019]s$", "", t.text))
                core = " ".join(t.text for t in ent if not (t.ent_type_ in {"NORP", "GPE"} and t.i == ent.start)
                                and t.lower_ != "the")
                c = self._cluster("org:" + _norm(core), name=re.sub(r"^the\s+", "", ent.text, flags=re.I),
                                  kind=kind, country=country, sector=sector, name_rank=2)
                c.country = c.country or country
                self._add_mention(c, ent.start, ent.end, ent.root.i)
            elif ent.label_ == "GPE" and any(
                    c.dep_ == "compound" and doc[c.i].ent_type_ == "ORG" for c in ent.root.children):
                continue  # "Amnesty International Kenya": the Kenyan branch, named by the organisation

    def _is_demonym(self, ent: Span) -> bool:
        demonym = getattr(self.kb, "demonym", None)
        return bool(demonym and demonym(ent.text))

    def _person(self, ent: Span) -> None:
        if all(t.lower_ in TITLE_WORDS or t.lower_ in {"foreign", "defence", "defense", "vice", "deputy",
                                                       "former", "minister", "prime", "navy", "army", "marine"}
               or t.ent_type_ == "NORP" or bool(self._is_demonym(ent[t.i - ent.start: t.i - ent.start + 1]))
               for t in ent):
            return  # "Iraqi Prime Minister" alone is a title, not a person
        name_span = _strip_title(ent) or ent
        name = name_span.text.strip()
        if not name or not any(ch.isupper() for ch in name):
            return
        key = "person:" + _surname_key(name)
        same = self.clusters.get(key)
        if same is not None and _other_given_name(same.name, name):
            key = "person:" + _norm(name)  # "Layla Karim" is not "Ahmed Karim": two people, one family
        c = self._cluster(key, name=name, kind="person", name_rank=2)
        if len(name) > len(c.name):
            c.name = name
        # titles inside or just before the entity: "Iraqi Prime Minister Mohammed Shia al-Sudani"
        self._title_info(c, ent)
        self._add_mention(c, ent.start, ent.end, ent.root.i)

    def _title_info(self, c: _Cluster, ent: Span) -> None:
        """Sector and country from the titles around a name: "Iraqi Prime Minister X",
        "Nigerian junior foreign minister X", "Arab League Secretary-General X", "Syria's X"."""
        doc = self.doc
        mods: list[Token] = [t for t in ent if t.lower_ in TITLE_WORDS]
        # contiguous title words and nationality words just before the name
        j = ent.start - 1
        while j >= 0 and ent.start - j <= 7 and (doc[j].lower_ in TITLE_WORDS or doc[j].is_lower
                                                 or doc[j].ent_type_ in {"NORP", "GPE", "ORG"}
                                                 or doc[j].lower_ in {"navy", "army", "marine", "air"}
                                                 or doc[j].text in {"-", "'s", "\u2019s"}
                                                 or (doc[j].text == "." and j and doc[j - 1].lower_ in TITLE_WORDS)) \
                and (not doc[j].is_punct or doc[j].text == ".") \
                and doc[j].pos_ not in {"VERB", "AUX", "ADP", "DET", "CCONJ"}:
            mods.append(doc[j])
            j -= 1
        for child in ent.root.children:
            if child.i < ent.start and child.dep_ in {"compound", "amod", "nmod", "poss"}:
                mods.extend(child.subtree)
        seen: set[int] = set()
        for t in sorted(mods, key=lambda t: -t.i):  # nearest first
            if t.i in seen:
                continue
            seen.add(t.i)
            sector = TITLE_WORDS.get(t.lower_)
            if sector and not c.sector:
                c.sector = sector
            if sector or (t.pos_ == "NOUN" and getattr(self._role(t), "kind", None) == "person"):
                c.titles.add(t.lower_)
            role = self._role(t) if t.pos_ == "NOUN" else None
            if role is not None and not c.sector and getattr(role, "kind", "") == "person":
                c.sector = getattr(role, "sector", None)
            if c.country:
                continue
            key = self.token_cluster.get(t.i)
            other = self.clusters.get(key) if key else None
            if other is not None and other is not c and other.country and other.kind != "person":
                c.country = other.country
                if other.kind not in {"state", "government"} and other.sector in {"REB", "PTY", "IGO", "NGO", "OPP",
                                                                                  "PRM", "CRM", "JRN"}:
                    c.sector = other.sector  # "M23 spokesman X" speaks for M23
            elif t.ent_type_ in {"NORP", "GPE"}:
                c.country = self._country_of_text(re.sub(r"['\u2019]s$", "", t.text))
            elif t.lower_ in GOVERNMENT_WORDS and other is None:
                # "Government spokesman X": the government the story has been talking about
                gov = self._recent(lambda g: g.kind in {"government", "state", "military", "police"}
                                   and g.country not in {None, "IGO", "NGO"}, before=t.i)
                if gov is not None:
                    c.country = gov.country
        after = doc[ent.end: ent.end + 2]
        if not c.country and len(after) == 2 and after[0].lower_ == "of" and after[1].ent_type_ == "GPE" and any(
                TITLE_WORDS.get(t.lower_) for t in mods):
            # "President Lena Moro of Chile": the state of the office follows the name
            c.country = self._country_of_text(after[1].text)
        if not c.country:
            # "Foreign Secretary X", "Deputy Secretary of State X": an office only one state has
            # (it yields to an apposition: "his Philippine counterpart, Foreign Secretary X")
            sent = sent_of(ent.root)
            before = doc[max(sent.start, ent.start - 6): ent.end]
            c.title_country = national_title_country(before.text)
            if c.title_country and not c.sector:
                c.sector = "GOV"
        if US_PARTY_TAG.match(text_of(doc), ent.end_char) and not c.country:
            c.country = "USA"  # "Sen. Bob Corker (R-Tenn.)", "Rep. X (D-N.Y.)"
            c.sector = c.sector if c.sector in {"LEG", "GOV"} else "LEG"

    def _country_of_text(self, text: str) -> str | None:
        demonym = getattr(self.kb, "demonym", None)
        if demonym:
            code = demonym(text)
            if code:
                return str(code)
        if not any(ch.isupper() for ch in text):
            return None  # "male civilians": a common word, not the name of a place (Male)
        found = self.kb.lookup(text, on=self.on)
        for entry in found:
            if entry.kind in {"state", "government"} and entry.country:
                return str(entry.country)
        return None

    def _role(self, tok: Token) -> Any:
        if tok.pos_ not in {"NOUN", "PROPN"}:
            return None
        role_noun = getattr(self.kb, "role_noun", None)
        lemma = tok.lemma_.lower()
        if role_noun is None:
            return GROUP_ROLE_FALLBACK.get(lemma) if tok.pos_ == "NOUN" else None
        prev = tok.doc[tok.i - 1] if tok.i else None
        if prev is not None and prev.head.i == tok.i and prev.dep_ in {"amod", "compound"}:
            # a role of two words names its own kind: "an armed man" is no civilian
            found = role_noun(f"{prev.lower_} {lemma}") or role_noun(f"{prev.lower_} {tok.lower_}")
            if found is not None:
                return found
        found = role_noun(lemma) or role_noun(tok.lower_)
        if found is None and lemma in GROUP_ROLE_FALLBACK and tok.pos_ == "NOUN":
            return GROUP_ROLE_FALLBACK[lemma]
        return found

    def _modifier_country(self, head: Token) -> tuple[str | None, Any]:
        """Country (and KB entry) from a role noun's modifiers: "Iraqi", "U.S.", "Iraq's",
        "from Kataib Hezbollah", "in Iraq"."""
        country: str | None = None
        org: Any = None
        for child in head.children:
            if child.dep_ in {"amod", "compound", "nmod", "poss", "npadvmod"}:
                text = _span_text(child) if child.dep_ == "poss" else child.text
                text = re.sub(r"['\u2019]s$", "", text).strip()
                if child.dep_ == "amod" and "-" in child.text and child.text.lower().endswith(("backed", "aligned",
                                                                                            "supported", "funded")):
                    continue  # "Iranian-backed militias" are backed by Iran, not Iranian
                code = self._country_of_text(text)
                if code and not country:
                    country = code
                key = self.token_cluster.get(child.i)
                c = self.clusters.get(key) if key else None
                if c is not None and c.kb_id is not None and not org:
                    entry = self.kb_entries.get(c.key)
                    if entry is not None and entry.kind not in {"state", "government"}:
                        org = entry  # "Hezbollah guerrillas", "PKK fighters"
                        country = country or c.country
            if child.dep_ == "prep" and child.lower_ in {"from", "of", "in", "with", "inside"}:
                for pobj in child.children:
                    if pobj.dep_ != "pobj":
                        continue
                    key = self.token_cluster.get(pobj.i)
                    c = self.clusters.get(key) if key else None
                    if c is not None and c.kb_id is not None:
                        entry = self.kb_entries.get(c.key)
                        if entry is not None and entry.kind not in {"state", "government"} and not org:
                            org = entry
                        if c.country and not country:
                            country = c.country
                    elif pobj.ent_type_ in {"GPE", "NORP"} and not country:
                        country = self._country_of_text(pobj.text)
        if country is None and org is None:
            # "refugees fleeing the war in Liberia": a state named inside the phrase
            for t in head.subtree:
                if t.i != head.i and t.ent_type_ == "GPE" and t.dep_ == "pobj":
                    code = self._country_of_text(t.text)
                    if code:
                        country = code
                        break
        return country, org

    def _np_end(self, tok: Token) -> int:
        """End (exclusive token index) of the noun phrase headed by tok, without its relative
        clauses, appositions and participle modifiers."""
        end = tok.i + 1
        for child in tok.children:
            if child.i > tok.i and child.dep_ not in {"relcl", "acl", "appos", "punct", "advcl", "cc", "conj"}:
                end = max(end, self._np_end(child))
        return end

    def _nominals(self) -> None:
        doc = self.doc
        for tok in doc:
            if tok.i in self.head_cluster:
                continue
            role = self._role(tok)
            if role is None:
                continue
            if (tok.dep_ in {"compound", "amod"} and tok.head.pos_ in {"NOUN", "PROPN"} and (
                    self._role(tok.head) is not None or tok.head.pos_ == "PROPN" or tok.head.i in self.token_cluster)) \
                    or (tok.dep_ == "nmod" and tok.head.pos_ == "PROPN"):  # "Secretary of State Karen Holt"
                # "militia groups": the phrase is headed by "groups"; "militia commanders" by "commanders"
                # (but "an Afghan government offer", "army jets": the modifier names an actor)
                continue
            if tok.lemma_.lower() in {"group", "delegation", "team", "band", "crowd", "number"} and any(
                    p.dep_ == "prep" and p.lower_ == "of" and any(
                        o.dep_ == "pobj" and (self._role(o) is not None or o.ent_type_ == "NORP")
                        for o in p.children) for p in tok.children):
                continue  # "a group of Moroccan diplomats": the diplomats are the actor
            # a role noun inside a named entity is part of that name ("Islamic Resistance in Iraq")
            if tok.i in self.token_cluster:
                continue
            # "Kataib Hezbollah, the most powerful militia in Iraq": a description of a named actor
            if tok.dep_ == "appos" and tok.head.i in self.token_cluster and tok.tag_ in {"NN", "NNP"}:
                host = self.clusters[self.token_cluster[tok.head.i]]
                if host.name_rank >= 2:
                    self._add_mention(host, tok.left_edge.i, self._np_end(tok), tok.i)
                    continue
            left = min([tok.i] + [c.left_edge.i for c in tok.children if c.dep_ in
                                  {"det", "amod", "compound", "nummod", "poss", "nmod", "quantmod",
                                   "predet", "npadvmod"} and c.i < tok.i])
            right = tok.i + 1
            country, org = self._modifier_country(tok)
            if country is None and tok.dep_ in {"compound", "amod"} and tok.head.pos_ in {"NOUN", "PROPN"}:
                # "an Ethiopian government offer": the nationality before a modifier goes with it
                before = [c for c in tok.head.children if c.dep_ in {"amod", "compound"} and c.i < tok.i]
                country = next((self._country_of_text(c.text) for c in before if c.ent_type_ in {"NORP", "GPE"}
                                and self._country_of_text(c.text)), None)
                if country is not None:
                    left = min(left, *(c.i for c in before if c.ent_type_ in {"NORP", "GPE"}))
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in {"from", "of", "in"} and child.i == right:
                    pobj = next((p for p in child.children if p.dep_ == "pobj"), None)
                    if pobj is not None:
                        right = self._np_end(pobj)
            # "One of the militia commanders"
            if tok.head.dep_ == "prep" and tok.head.lower_ == "of" and tok.head.head.lower_ in {
                    "one", "some", "two", "several", "many", "most", "none", "each", "any"}:
                quant = tok.head.head
                if quant.i < left:
                    left = quant.left_edge.i
            if self._pair_reference(tok, role, left, right):
                continue
            self._nominal_cluster(tok, role, left, right, country, org)

    def _pair_reference(self, tok: Token, role: Any, left: int, right: int) -> bool:
        """"the two leaders", "both ministers": a definite plural that counts two refers to the last
        two actors of its kind named before it, when there are two (number agreement)."""
        words = {c.lower_ for c in tok.children if c.dep_ in {"nummod", "det", "predet"}}
        if tok.tag_ not in {"NNS", "NNPS"} or not ({"the", "two"} <= words or "both" in words):
            return False
        kind = getattr(role, "kind", None) or "person"
        latest: list[tuple[int, _Cluster]] = []
        for key in self.order:
            c = self.clusters.get(key)
            prior = [h for h in c.heads if h < left and left - h <= 80] if c is not None else []
            if c is not None and prior and c.kind == kind and not c.plural:
                latest.append((max(prior), c))
        latest.sort(key=lambda x: -x[0])
        if len(latest) < 2:
            return False
        first, second = latest[1][1], latest[0][1]  # in the order they were named
        self._add_mention(first, left, right, tok.i)
        self._add_mention(second, left, right, tok.i, shared=True)
        return True

    def _collective_group(self, before: int) -> _Cluster | None:
        return self._recent(lambda c: c.key.startswith("nom:group:"), before=before)

    def _nominal_cluster(self, tok: Token, role: Any, left: int, right: int,
                         country: str | None, org: Any) -> None:
        doc = self.doc
        lemma = tok.lemma_.lower()
        plural = tok.tag_ in {"NNS", "NNPS"}
        dets = {c.lower_ for c in tok.children if c.dep_ in {"det", "poss", "predet"}}
        # a modifier ("government offer", "army jets") names the body, not one person of it
        modifier = tok.dep_ in {"compound", "amod"} and tok.head.pos_ in {"NOUN", "PROPN"}
        quantified = not modifier and (doc[left].lower_ in {"one", "a", "an", "another"} or (
            tok.tag_ == "NN" and not dets))
        sector = getattr(role, "sector", None)
        kind = getattr(role, "kind", None) or "officials"
        group_mod = next((c for c in tok.children if c.dep_ in {"compound", "amod", "nmod"}
                          and c.lemma_.lower() in GROUP_NOUNS), None)
        if doc[left].lower_ in {"one", "a", "an", "another"}:
            plural = False  # "one of the militia commanders" is one person
        if org is not None:
            org_country, org_sector = self._kb_country_sector(org)
            country = country or org_country
            if org_sector in {"REB", "PTY", "PRM"} and sector in {"MIL", "GOV", None}:
                sector = org_sector
        if not country:
            # "the Foreign Secretary", "Minister for the Middle East": an office only one state has
            country = national_title_country(doc[left:self._np_end(tok)].text)
        is_group = lemma in GROUP_NOUNS or kind in {"armed_group", "militia"}
        span_text = doc[left:right].text
        name = re.sub(r"^(the|these|those|this|that|some|such)\s+", "", span_text, flags=re.I)
        if is_group and org is not None and any(
                self.token_cluster.get(c.i) == "kb:" + org.id for c in tok.children
                if c.dep_ in {"compound", "nmod", "amod"}):
            # "Hezbollah guerrillas" are Hezbollah
            self._add_mention(self.clusters["kb:" + org.id], left, right, tok.i)
            return
        if is_group:
            if not country:
                antecedent = self._collective_group(tok.i)
                if antecedent is not None:
                    self._add_mention(antecedent, left, right, tok.i)
                    return
                country = self._context_country(tok)
            sector = sector if sector in {"REB", "PRM", "MIL", "IMG", "CRM"} else "REB"
            c = self._cluster(f"nom:group:{country}", name=name, kind="armed_group", country=country,
                              sector=sector, name_rank=1, plural=True)
            self._add_mention(c, left, right, tok.i)
            return
        if group_mod is not None or (org is not None and org.kind not in {"state", "government"}):
            group = self._collective_group(tok.i + 1) if group_mod is not None else None
            if plural and group is not None:
                # "militia leaders", "militia commanders" speak and act for the militias
                self._add_mention(group, left, right, tok.i)
                return
            if group is not None:
                country = country or group.country
                sector = "REB" if sector in {"MIL", "GOV", None} else sector
        if plural and lemma in GENERIC_PEOPLE and dets & {"the", "these", "those"} and not any(
                c.dep_ in {"amod", "compound"} and c.ent_type_ in {"NORP", "GPE"} for c in tok.children):
            # "the three men", "these people": no role, so the group of people named before them
            # (whatever a relative clause on them mentions)
            earlier = self._recent(lambda c: c.plural and c.name_rank == 1 and c.kind in PEOPLE_KINDS, before=left)
            if earlier is not None:
                self._add_mention(earlier, left, right, tok.i)
                return
        if not plural and not country and kind == "person" and dets == {"the"} and doc[left].lower_ == "the" \
                and right == tok.i + 1:
            # "the president", "the secretary": the person last named with that title
            titled = self._recent(lambda c: c.kind == "person" and c.name_rank >= 2 and lemma in c.titles,
                                  before=tok.i)
            if titled is not None:
                self._add_mention(titled, left, right, tok.i)
                return
        if quantified and not plural:
            earlier = None
            if doc[left].lower_ not in {"another"} and not any(
                    c.lower_ in {"second", "other", "third"} for c in tok.children):
                earlier = self._recent(lambda c: c.anonymous and c.key.startswith(f"nom:one:{lemma}:"),
                                       before=tok.i)
            if earlier is not None and (org is None or earlier.country in {None, country}):
                earlier.country = earlier.country or country
                self._add_mention(earlier, left, right, tok.i)
                return
            c = self._cluster(f"nom:one:{lemma}:{left}", name=name, kind="person", country=country,
                              sector=sector, name_rank=1, anonymous=True)
            self._add_mention(c, left, right, tok.i)
            return
        if lemma == "government" and not country:
            antecedent = self._recent(lambda c: c.kind == "government", before=tok.i)
            if antecedent is not None:
                self._add_mention(antecedent, left, right, tok.i)
                return
        if not country and sector in {"GOV", "MIL", "COP", "LEG", "SPY", "JUD"}:
            country = self._context_country(tok)
        modifier_sector = next((MODIFIER_SECTORS[c.lower_] for c in tok.children
                                if c.dep_ in {"amod", "compound", "nmod"} and c.lower_ in MODIFIER_SECTORS), None)
        if modifier_sector:
            sector = modifier_sector  # "opposition leaders", "student activists"
        institution = INSTITUTION_OF_KIND.get(kind)
        if not country and plural and dets & {"the", "these", "those"}:
            # "the diplomats" after "three Russian diplomats": the same people; "the (three) men",
            # "the women" name no role, so any group of people named before them
            earlier = self._recent(lambda c: c.key.startswith(f"nom:{kind}:") and c.key.endswith(f":{lemma}")
                                   or (c.name_rank == 1 and c.name.lower().endswith(tok.lower_)), before=tok.i)
            if earlier is not None:
                self._add_mention(earlier, left, right, tok.i)
                return
        if institution and country and doc[left].lower_ not in {"a", "an", "one", "another"} and not modifier_sector:
            entry = self.kb.institution(country, institution) if hasattr(self.kb, "institution") else None
            if entry is not None:
                # "Kenyan police", "the police", "security forces" in Kenya: the Kenyan police (the
                # mention stops at the noun: "police in Nairobi's Kibera district" keeps its places)
                self._add_mention(self._from_kb(entry), left, tok.i + 1, tok.i)
                return
        key = f"nom:{kind}:{sector}:{country}:{lemma if kind in {'person', 'civilians'} else ''}"
        c = self._cluster(key, name=name, kind=kind, country=country, sector=sector, name_rank=1,
                          plural=plural)
        self._add_mention(c, left, right, tok.i)
        # "Senior Hungarian and Romanian officials": one actor per nationality
        for mod in tok.children:
            if mod.dep_ not in {"amod", "compound", "nmod"}:
                continue
            for conj in mod.children:
                if conj.dep_ != "conj":
                    continue
                other = self._country_of_text(conj.text)
                if other and other != country:
                    k2 = f"nom:{kind}:{sector}:{other}:{lemma if kind in {'person', 'civilians'} else ''}"
                    c2 = self._cluster(k2, name=f"{conj.text} {tok.text}", kind=kind, country=other,
                                       sector=sector, name_rank=1, plural=plural)
                    self._add_mention(c2, left, right, tok.i, shared=True)

    def _context_country(self, tok: Token, *, after: bool = False) -> str | None:
        """The country of an unqualified official or group: the state named in its sentence's
        subject, else the nearest state actor before it in the sentence (or after it, when
        asked: "President X threatened ... the Zambian people")."""
        sent = sent_of(tok)
        best: str | None = None
        for key in (self.token_cluster.get(i) for i in range(sent.start, tok.i)):
            c = self.clusters.get(key) if key else None
            if c is not None and c.kind != "person" and c.country and c.country not in {"IGO", "NGO", "IMG", "MNC"}:
                institutional = c.kind in {"state", "government", "police", "military", "legislature"}
                head = next((h for h in c.heads if sent.start <= h < tok.i), None)
                if institutional and head is not None and self.doc[head].dep_ in {"nsubj", "nsubjpass"}:
                    return c.country
                if institutional or best is None:
                    best = c.country
        if best or not after:
            return best
        later: set[str] = set()
        for i in range(tok.i + 1, sent.end):
            key = self.token_cluster.get(i)
            c = self.clusters.get(key) if key else None
            if c is not None and c.country and c.country not in {"IGO", "NGO", "IMG", "MNC"} and c.kind != "person":
                if not self._topic_modifier(self.doc[i]):
                    later.add(c.country)  # not "a bill on Iran sanctions"
            elif self.doc[i].ent_type_ == "GPE" and key is None:
                code = self._country_of_text(self.doc[i].text)
                if code:
                    later.add(code)
        # only when everything named later points to one country ("arms sales to Croatia and
        # Ecuador" says nothing about the judge's country)
        return later.pop() if len(later) == 1 else None

    def _recent(self, pred: Any, *, before: int) -> _Cluster | None:
        best: tuple[int, _Cluster] | None = None
        for key in self.order:
            c = self.clusters[key]
            if not pred(c):
                continue
            prior = [h for h in c.heads if h < before]
            if prior and (best is None or max(prior) > best[0]):
                best = (max(prior), c)
        return best[1] if best else None

    def _appositions(self) -> None:
        """"Izzat al-Shahbndar, a senior politician close to Iraq's governing alliance": the
        appositive gives country and sector; "their primary backer, Iran's Revolutionary Guards"
        makes both phrases one actor."""
        for tok in self.doc:
            if tok.dep_ != "appos":
                continue
            head_key = self.token_cluster.get(tok.head.i)
            app_key = self.token_cluster.get(tok.i)
            if head_key is None:
                named = self.clusters.get(app_key) if app_key else None
                if named is not None and named.kind == "person" and not named.country and tok.head.pos_ == "NOUN":
                    # "his Philippine counterpart, Foreign Secretary X": the description's
                    # nationality is the person's
                    named.country = next((self._country_of_text(re.sub(r"['\u2019]s$", "", m.text))
                                          for m in tok.head.children if m.dep_ in {"amod", "compound", "poss"}
                                          and m.ent_type_ in {"NORP", "GPE"}), None)
                continue
            c = self.clusters[head_key]
            role = self._role(tok)
            if c.kind == "person" and c.kb_id is None and tok.lemma_.lower() not in {
                    "ally", "rival", "backer", "friend", "foe", "enemy", "opponent", "partner", "critic"}:
                if role is not None and not c.sector:
                    c.sector = getattr(role, "sector", None)
                if getattr(role, "kind", None) == "person":
                    c.titles.add(tok.lemma_.lower())
                # "X, Minister for the Middle East": an office only one state has says whose he is
                country = national_title_country(self.doc[tok.left_edge.i: self._np_end(tok)].text)
                for t in () if country else tok.subtree:
                    if t.ent_type_ in {"GPE", "NORP"}:
                        country = self._country_of_text(re.sub(r"['\u2019]s$", "", t.text))
                        if country:
                            break
                    key = self.token_cluster.get(t.i)
                    org = self.clusters.get(key) if key else None
                    if org is not None and key != head_key and org.kind in {"igo", "ngo", "armed_group", "party",
                                                                              "coalition", "organisation"} \
                            and org.country:
                        country = org.country  # "Helen Marsh, the UN's humanitarian coordinator"
                        if org.sector in {"IGO", "NGO", "REB", "PTY"} and c.sector in {None, "GOV"}:
                            c.sector = org.sector
                        break
                    if key and key != head_key and self.clusters[key].kind == "person" and self.clusters[key].country:
                        country = self.clusters[key].country
                        if c.sector is None:
                            c.sector = self.clusters[key].sector
                        break
                if country and not c.country:
                    c.country = country
                if app_key is not None and app_key != head_key and self.clusters[app_key].key.startswith("nom:"):
                    self._merge(app_key, head_key)
                elif (app_key is not None and app_key != head_key and c.name_rank == 1 and len(c.mentions) == 1
                      and self.clusters[app_key].name_rank >= 2):
                    # "Prime Minister, Mohammed Shia al-Sudani": the title phrase is the named person
                    self._merge(head_key, app_key)
            elif app_key is None and role is None and tok.pos_ in {"NOUN"}:
                continue
            elif app_key is not None and app_key != head_key and len(self.clusters[app_key].mentions) == 1:
                a = self.clusters[app_key]
                # a named actor wins over the nominal it is in apposition with
                if a.name_rank < c.name_rank:
                    self._merge(app_key, head_key)
                elif c.name_rank < a.name_rank:
                    self._merge(head_key, app_key)
            elif app_key is None and tok.lower_ in {"backer", "ally", "patron", "sponsor"}:
                pass

    def _merge(self, src: str, dst: str) -> None:
        if src == dst or src not in self.clusters or dst not in self.clusters:
            return
        s, d = self.clusters.pop(src), self.clusters[dst]
        self.order.remove(src)
        d.mentions.extend(s.mentions)
        d.heads.extend(s.heads)
        d.country = d.country or s.country
        d.sector = d.sector or s.sector
        for i, k in list(self.token_cluster.items()):
            if k == src:
                self.token_cluster[i] = dst
        for i, k in list(self.head_cluster.items()):
            if k == src:
                self.head_cluster[i] = dst
        self.spans = [(a, b, dst if k == src else k) for a, b, k in self.spans]

    def _genders(self) -> None:
        """A person's gender from a gendered title just before the name or a gendered noun in
        apposition: "Mrs Amina Diallo", "his wife, Layla Karim", "Omar Haddad, a spokesman"."""
        words = _gender_words()
        for c in self.clusters.values():
            if c.kind != "person" or c.plural:
                continue
            for h in c.heads:
                tok = self.doc[h]
                near = [t for t in tok.children if t.dep_ in {"appos", "compound"}]
                if tok.dep_ == "appos":
                    near.append(tok.head)
                start = min((m[0] for m in c.mentions if m[0] <= h < m[1]), default=h)
                if start > 0:
                    near.append(self.doc[start - 1])
                near.extend(self.doc[m[0]] for m in c.mentions if m[0] <= h < m[1])
                found = {words[t.lower_.rstrip(".")] for t in near if t.lower_.rstrip(".") in words}
                if len(found) == 1:
                    c.gender = found.pop()
                    break

    def _anaphora(self) -> None:
        """Pronouns to the most recent compatible actor; "we"/"us" in a quote are left to the
        quote resolver, which knows the speaker."""
        for tok in self.doc:
            if tok.pos_ != "PRON" or tok.i in self.token_cluster:
                continue
            low = tok.lower_
            target: _Cluster | None = None
            if low in PERSON_PRONOUNS:
                opposite = "f" if low in MALE_PRONOUNS else "m"
                # an object pronoun is never its own clause's subject ("Trump called Erdogan and
                # urged him": him is Erdogan); that would be "himself"
                own = _clause_subjects(tok) if tok.dep_ in {"dobj", "dative", "iobj", "pobj"} else set()
                # a person known to agree in gender is preferred to one whose gender is unknown
                target = self._recent_subject(
                    lambda c, o=opposite, own=own: c.kind == "person" and not c.plural and c.gender != o
                    and not own & set(c.heads), tok,
                    bonus=lambda c: 40 if c.gender is not None else 0)
            elif low in {"it", "its"} and tok.dep_ in {"nsubj", "poss", "nsubjpass"}:
                def body(c: _Cluster) -> bool:
                    return c.kind in {"state", "government", "armed_group", "party", "igo", "organisation",
                                      "coalition", "ministry", "military"} and not c.plural
                target = (self._local_subject(tok, body) if low == "its" else None) or self._recent_subject(body, tok)
            elif low in PLURAL_PRONOUNS and self._coordinated_subject(tok):
                # "Lithuania and Latvia said they supported ...": they are both
                first, *rest = self._coordinated_subject(tok)
                self._add_mention(first, tok.i, tok.i + 1, tok.i)
                for other in rest:
                    self._add_mention(other, tok.i, tok.i + 1, tok.i, shared=True)
                continue
            elif low in PLURAL_PRONOUNS:
                target = self._recent_subject(
                    lambda c: c.plural or c.kind in {"armed_group", "coalition", "officials", "military"},
                    tok)
            if target is not None:
                self._add_mention(target, tok.i, tok.i + 1, tok.i)

    def _local_subject(self, tok: Token, pred: Any) -> _Cluster | None:
        """The subject of the clause a possessive stands in, when it agrees: "pressed the regime to end
        its attacks" (the infinitive's subject is the regime, the object of "press"), "Iran said it
        would keep its programme". A possessive binds to its own clause's subject first."""
        from ..extract.triggers_lexicon import Lexicon

        verb = next((a for a in tok.ancestors if a.pos_ in {"VERB", "AUX"}), None)
        if verb is None:
            return None
        subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subj is None and (verb.dep_ == "xcomp" or (verb.dep_ == "advcl" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in verb.children))):
            head = verb.head
            if head.lemma_.lower() in Lexicon.load().object_control:
                subj = next((c for c in head.children if c.dep_ in {"dobj", "dative"} and c.i < verb.i), None)
            else:
                subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
        if subj is None or subj.i > tok.i or tok in subj.subtree:
            return None
        key = self.head_cluster.get(subj.i) or self.token_cluster.get(subj.i)
        c = self.clusters.get(key) if key else None
        return c if c is not None and pred(c) else None

    def _coordinated_subject(self, tok: Token) -> list[_Cluster]:
        """The actors of a coordinated subject of the clause that embeds tok."""
        for anc in tok.ancestors:
            subj = next((c for c in anc.children if c.dep_ == "nsubj" and c.i < tok.i), None)
            if subj is None:
                continue
            if not any(c.dep_ == "conj" for c in subj.children):
                return []
            out: list[_Cluster] = []
            for t in [subj, *[c for c in subj.subtree if c.dep_ == "conj"]]:
                key = self.head_cluster.get(t.i) or self.token_cluster.get(t.i)
                if key and self.clusters[key] not in out:
                    out.append(self.clusters[key])
            return out if len(out) > 1 else []
        return []

    def _recent_subject(self, pred: Any, tok: Token, bonus: Any = None) -> _Cluster | None:
        """Prefer the subject of the closest earlier clause; else the closest earlier mention
        (``bonus`` may add to a candidate's standing)."""
        best: tuple[int, int, _Cluster] | None = None
        for key in self.order:
            c = self.clusters.get(key)
            if c is None or not pred(c):
                continue
            for h in c.heads:
                if h >= tok.i or tok.i - h > 120:
                    continue
                is_subj = self.doc[h].dep_ in {"nsubj", "nsubjpass"}
                score = (h + (60 if is_subj else 0) + (bonus(c) if bonus is not None else 0), h)
                if best is None or score > best[:2]:
                    best = (score[0], score[1], c)
        return best[2] if best else None

    def _finish(self) -> ActorIndex:
        ids: dict[str, str] = {}
        entities: list[Entity] = []
        ordered = sorted(self.order, key=lambda k: min(m[0] for m in self.clusters[k].mentions))
        for n, key in enumerate(ordered, 1):
            ids[key] = f"e{n}"
        for key in ordered:
            c = self.clusters[key]
            mentions = tuple(Mention(s, e, t) for s, e, t in sorted(set(c.mentions)))
            if c.name_rank == 1:
                c.name = _best_nominal_name(c, self.doc)
            entities.append(Entity(
                id=ids[key], name=c.name, kind=c.kind, country=c.country,
                sector=c.sector or ("UNK" if c.kind != "person" else None), kb_id=c.kb_id,
                wikidata=c.wikidata, mentions=mentions, anonymous=c.anonymous,
            ))
        token_entity = {i: ids[k] for i, k in self.token_cluster.items() if k in ids}
        head_entity = {i: ids[k] for i, k in self.head_cluster.items() if k in ids}
        spans = tuple((a, b, ids[k]) for a, b, k in self.spans if k in ids)
        kb_entries = {ids[k]: v for k, v in self.kb_entries.items() if k in ids}
        co_heads = {i: tuple(ids[k] for k in ks if k in ids) for i, ks in self.co_heads.items()}
        countryless = tuple(ids[k] for k in self.countryless if k in ids and not self.clusters[k].country)
        placed = tuple(ids[k] for k in self.placed if k in ids)
        acting = frozenset((m[0], m[1]) for c in self.clusters.values() if c.kind in {"state", "government"}
                           for m, h in zip(c.mentions, c.heads, strict=False) if self.doc[h].dep_ == "nsubj")
        return ActorIndex(tuple(entities), token_entity, head_entity, spans, kb_entries, co_heads, countryless,
                          placed, acting)


LOCATIVE_PREPS = {"in", "at", "from", "near", "outside", "inside", "around", "across", "through", "throughout",
                  "into", "to", "toward", "towards", "within", "off"}


def _clause_subjects(tok: Token) -> set[int]:
    """Token indices of the subjects of the clause whose object tok is, and of the clauses it is
    coordinated with or controlled by ("X called Y and urged him", "X wanted to see him")."""
    verb = tok.head.head if tok.dep_ == "pobj" else tok.head
    out: set[int] = set()
    for _ in range(4):
        for c in verb.children:
            if c.dep_ in {"nsubj", "nsubjpass"}:
                out |= {c.i, *(cc.i for cc in c.children if cc.dep_ == "conj")}
        if verb.dep_ not in {"conj", "xcomp"} or verb.head.i == verb.i:
            break
        verb = verb.head
    return out


def _folded(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()


def _locative(tok: Token) -> bool:
    """A name used as a location: the object of "in", "at", "from", ..."""
    cur = tok
    for _ in range(3):
        if cur.dep_ == "pobj":
            return cur.head.lower_ in LOCATIVE_PREPS
        if cur.dep_ in {"conj", "appos", "compound"}:
            cur = cur.head
            continue
        return False
    return False


def _first_name_before(ent: Span, entry: Any) -> bool:
    """A capitalised given name before a surname the KB knows, making a different person."""
    prev = ent.doc[ent.start - 1]
    if not (prev.is_title and prev.pos_ == "PROPN" and prev.lower_ not in TITLE_WORDS):
        return False
    full = f"{prev.text} {ent.text}".lower()
    return not any(full == a.lower() or a.lower().endswith(full) for a in (entry.name, *entry.aliases))


def _best_nominal_name(c: _Cluster, doc: Doc) -> str:
    """A readable name for an actor known only by descriptions: a mention without numbers or
    pronouns, at most five words, the most specific (longest) of those."""
    names = []
    for _s, _e, text in c.mentions:
        t = re.sub(r"^((some|one|many|most|all|several|each|none|two|three|both) of\s+)?"
                   r"((the|these|those|this|that|some|several|many|most|all|both|a|an|at least|about|around|"
                   r"more than|influential|senior|powerful)\s+)*", "", text, flags=re.I)
        words = t.split()
        if not words or any(ch.isdigit() for ch in t) or len(words) > 5:
            continue
        if t.lower() in {"they", "them", "their", "he", "she", "it", "his", "her", "we", "us"}:
            continue
        names.append(t)
    if not names:
        return c.name
    # the most specific: most capitalised or hyphenated modifiers, then the longest
    return max(names, key=lambda n: (sum(w[:1].isupper() or "-" in w for w in n.split()), len(n), -names.index(n)))


def _strip_title(ent: Span) -> Span | None:
    i = ent.start
    while i < ent.end - 1 and (ent.doc[i].lower_ in TITLE_WORDS or ent.doc[i].lower_ in {
            "foreign", "defence", "defense", "vice", "deputy", "former", "minister"}
            or ent.doc[i].ent_type_ == "NORP"):
        i += 1
    return ent.doc[i:ent.end] if i > ent.start else None


def _span_text(tok: Token) -> str:
    return tok.doc[tok.left_edge.i: tok.i + 1].text


def with_story_country(actors: ActorIndex, places: Sequence[Place]) -> ActorIndex:
    """People, officials and crowds the text gives no country take the country where the story
    happens, when no state is named often enough to say so: the one country that holds most of
    the places it names (a march in Gainesville, Florida is American). Civilians, the opposition
    and refugees take it even when a state named often gave them its country (civilians killed in
    Tartus are Syrian in a statement by the United States)."""
    if not actors.countryless and not actors.placed:
        return actors
    counts: dict[str, int] = {}
    # a state named as the one who acts ("the United States condemns") is not where the story happens
    acting = actors.acting
    for p in places:
        # associative mentions count too: "Gainesville residents" says where the story is
        if p.country and p.country not in {"IGO", "NGO"}:
            counts[p.country] = counts.get(p.country, 0) + sum((m.start, m.end) not in acting for m in p.mentions)
    total = sum(counts.values())
    top = max(counts, key=lambda k: counts[k]) if counts else None
    if top is None or counts[top] < 2 or counts[top] * 2 <= total:
        return actors
    wanted, placed = set(actors.countryless), set(actors.placed)
    entities = tuple(replace(e, country=top) if (e.id in wanted and not e.country) or e.id in placed else e
                     for e in actors.entities)
    return replace(actors, entities=entities, countryless=(), placed=(), acting=frozenset())


def resolve_actors(doc: Doc, kb: Any, *, published: date | None = None, gazetteer: Any = None) -> ActorIndex:
    """Every actor mention of the doc resolved to an entity, with token-level lookup tables.
    With a gazetteer, names the model mislabels as people or organisations but that are known
    places ("in Goma") are left to the place resolver."""
    return _Resolver(doc, kb, published, gazetteer).run()


ACRONYM = re.compile(r"[A-Z][A-Za-z]{1,7}")
# words a name may hold that its initials skip ("Islamic State of Iraq and the Levant")
INITIALS_SKIP = {"of", "for", "and", "the", "on", "in", "to", "-", "&", "de", "al"}


def _initials_start(doc: Doc, before: int, letters: list[str]) -> int | None:
    """Where the capitalised words ending just before ``before`` start, when their initials spell
    ``letters`` (an acronym's capitals); None when they do not."""
    if len(letters) < 2 or sum(ch.isupper() for ch in letters) != len(letters):
        return None
    k = len(letters) - 1
    j = before - 1
    while j >= 0 and k >= 0:
        t = doc[j]
        if t.is_sent_end and j < before - 1:
            return None
        if t.lower_ in INITIALS_SKIP and j < before - 1:
            j -= 1
            continue
        if not (t.text[:1].isupper() and t.text[:1] == letters[k]):
            return None
        k -= 1
        j -= 1
    return j + 1 if k < 0 and before - (j + 1) >= 2 else None


def _name_words(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z]+", _folded(text)) if w not in INITIALS_SKIP}


def _names_alike(name: str, entry: Any) -> bool:
    """Whether a name shares at least half its words (their first five letters, so that "Labor"
    is "Labour") with one of an entry's names."""
    words = _name_words(name)
    return bool(words) and any(len(words & _name_words(n)) * 2 >= len(words) for n in entry.all_names)


def _org_kind(name: str) -> tuple[str, str]:
    """(kind, sector) of an organisation from the words of its name."""
    low = f" {name.lower()} "
    for words, kind, sector in ORG_HEADS:
        if any(f" {w} " in low or low.rstrip().endswith(f" {w}") for w in words):
            return kind, sector
    return "organisation", "UNK"


OFFICIAL_SECTORS = frozenset({"GOV", "MIL", "COP", "LEG", "JUD", "SPY"})
GROUND_SECTORS = frozenset({"CVL", "OPP", "REF"})
# the sectors of actors that, with no country of their own in the text, belong where the story is
STORY_COUNTRY_SECTORS = OFFICIAL_SECTORS | {"CVL", "EDU", "OPP", "LAB", "PTY", "REB", "REF"}
FIRST_PERSON = {"we": True, "us": True, "our": True, "i": False, "me": False, "my": False}


def _body_spoken_for(actors: ActorIndex, quote: Any) -> str | None:
    """The body a person speaks for, named in the mention that introduces the quote ("a
    spokesman for the ministry", "NAME, commander of the task force"): the last organisation,
    government or state there."""
    found = None
    for e in actors.entities:
        if quote.source_start is not None and e.id != quote.speaker and e.kind != "person" and any(
                quote.source_start <= m.start and m.end <= quote.source_end for m in e.mentions):
            found = e.id
    if found is not None:
        return found
    # an official of a state speaks for it ("the Foreign Secretary said: 'We ...'")
    speaker = actors.entity(quote.speaker)
    if speaker is None or speaker.sector not in OFFICIAL_SECTORS or not speaker.country:
        return None
    return next((e.id for e in actors.entities
                 if e.kind in {"state", "government"} and e.country == speaker.country), None)


def _issuer(actors: ActorIndex) -> str | None:
    """Who issues a text written in the first person plural: the first actor it names that can issue
    a statement (a state, government, international body or coalition), or the state of the first
    official it names ("Foreign Secretary welcomes ...": the British government)."""
    for e in sorted(actors.entities, key=lambda e: min((m.start for m in e.mentions), default=0)):
        if e.kind in {"state", "government", "igo", "coalition"}:
            return e.id
        if e.kind == "person" and e.sector in OFFICIAL_SECTORS and e.country:
            return next((s.id for s in actors.entities if s.kind in {"state", "government"}
                         and s.country == e.country), None)
    return None


def speakers_in_quotes(doc: Doc, actors: ActorIndex, quotes: Any) -> ActorIndex:
    """First-person words inside a direct quotation refer to its speaker ("We agreed to ..."),
    except that a person's "we" is a group: the body the person speaks for when the mention that
    introduces the quote names one ("a spokesman for the ministry said") or the state whose
    official the person is; a group not known acts through the speaker, but "we" is then no
    mention of the speaker."""
    token_entity = dict(actors.token_entity)
    head_entity = dict(actors.head_entity)
    added: dict[str, list[Mention]] = {}
    persons = {e.id for e in actors.entities if e.kind == "person"}
    bodies: dict[str, str] = {}
    for q in quotes:
        if q.speaker in persons and q.speaker not in bodies:
            body = _body_spoken_for(actors, q)
            if body is not None:
                bodies[q.speaker] = body
    for q in quotes:
        if not q.direct or not q.speaker:
            continue
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        if span is None:
            continue
        group = (_body_spoken_for(actors, q) or bodies.get(q.speaker)) if q.speaker in persons else q.speaker
        for tok in span:
            if tok.lower_ in FIRST_PERSON and tok.pos_ == "PRON" and tok.i not in token_entity:
                owner = group if FIRST_PERSON[tok.lower_] else q.speaker
                # an unknown group acts through the member who speaks for it, but "we" is no
                # mention of that person alone
                token_entity[tok.i] = head_entity[tok.i] = owner or q.speaker
                if owner is not None:
                    added.setdefault(owner, []).append(Mention(tok.idx, tok.idx + len(tok), tok.text))
    issuer = _issuer(actors)
    if issuer is not None:
        # "We condemn ...", "our partners" in the article's own voice: a statement or press release
        # speaks for the body that issues it
        quoted = [(q.start, q.end) for q in quotes]
        own_voice = [tok for tok in doc if tok.pos_ == "PRON" and tok.i not in token_entity
                     and not any(a <= tok.idx < b for a, b in quoted)]
        # "I have spoken to ..." in a statement that also says "we": its author, for the issuer
        singular = any(tok.lower_ in {"we", "us", "our", "ours"} for tok in own_voice)
        for tok in own_voice:
            if tok.lower_ in {"we", "us", "our", "ours"} or (singular and tok.lower_ in {"i", "me", "my"}):
                token_entity[tok.i] = head_entity[tok.i] = issuer
                added.setdefault(issuer, []).append(Mention(tok.idx, tok.idx + len(tok), tok.text))
    if not added:
        return actors
    entities = tuple(
        replace(e, mentions=tuple(sorted((*e.mentions, *added[e.id]), key=lambda m: m.start)))
        if e.id in added else e for e in actors.entities)
    return replace(actors, entities=entities, token_entity=token_entity, head_entity=head_entity)
