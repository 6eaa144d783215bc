"""Relations between actors: what the text states ("X-backed", "part of", "an adviser to",
"Iraqi Prime Minister") and what the knowledge base knows of actors the article names."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..extract.sentences import sent_of, text_of
from ..records import Entity, Offsets, Relation

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from .actors import ActorIndex

__all__ = ["extract_relations"]

BACKED_RE = re.compile(r"^(?P<who>.+?)-(?:backed|funded|supported|sponsored|armed)$", re.I)
MEMBER_NOUNS = {"part", "member", "members", "wing", "faction", "branch", "arm", "affiliate"}
ALLY_NOUNS = {"ally", "allies", "partner", "partners"}
ALLIANCE_KINDS = {"alliance", "coalition", "network"}
INSTITUTION_KINDS = {"government", "military", "police", "legislature", "ministry", "intelligence",
                     "security", "judiciary"}


class _Collector:
    def __init__(self, doc: Doc, actors: ActorIndex, kb: Any) -> None:
        self.doc = doc
        self.actors = actors
        self.kb = kb
        self.out: dict[tuple[str, str, str], Relation] = {}

    def add(self, s: str | None, p: str, o: str | None, tok: Token | None = None, source: str = "text") -> None:
        if not s or not o or s == o:
            return
        key = (s, p, o)
        if key in self.out and self.out[key].source == "text":
            return
        ev = None
        if tok is not None:
            sent = sent_of(tok)
            ev = Offsets(sent.start_char, sent.end_char)
        self.out[key] = Relation(s, p, o, ev, source)

    def ent(self, tok: Token) -> str | None:
        return self.actors.token_entity.get(tok.i)

    def state_entity(self, iso3: str | None) -> str | None:
        if not iso3:
            return None
        for e in self.actors.entities:
            if e.kind == "state" and e.country == iso3:
                return e.id
        return None

    def entity_obj(self, eid: str) -> Entity | None:
        return self.actors.entity(eid)


def _heads_and_conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    out.extend(c for c in tok.subtree if c.dep_ == "conj")
    return out


def extract_relations(doc: Doc, actors: ActorIndex, kb: Any) -> tuple[Relation, ...]:
    col = _Collector(doc, actors, kb)
    for tok in doc:
        eid = col.ent(tok)
        # "Iranian-backed militia groups": the phrase is backed by the state of the prefix
        m = BACKED_RE.match(tok.text)
        if m is None and tok.lower_ in {"backed", "funded", "supported", "sponsored", "armed"} and tok.i >= 2 \
                and doc[tok.i - 1].text == "-":
            m = BACKED_RE.match(doc[tok.i - 2].text + "-" + tok.text)  # "Iranian - backed" as three tokens
        if m and tok.head.i != tok.i:  # spaCy makes a new Token object each time: compare positions
            target = col.ent(tok.head)
            backer = None
            demonym = getattr(kb, "demonym", None)
            code = demonym(m.group("who")) if demonym else None
            if code:
                backer = col.state_entity(code)
            if backer is None:
                found = kb.lookup(m.group("who"))
                if found:
                    backer = next((e.id for e in actors.entities if e.kb_id == found[0].id), None)
            col.add(target, "backed_by", backer, tok)
        # "X, their primary backer": an appositive backer
        if tok.lower_ in {"backer", "backers", "sponsor", "patron"}:
            owner = next((c for c in tok.children if c.dep_ == "poss"), None)
            backer = col.ent(tok) or next((col.ent(c) for c in tok.children if c.dep_ == "appos" and col.ent(c)),
                                          None)
            if owner is not None and backer:
                col.add(col.ent(owner), "backed_by", backer, tok)
        # "Y are part of Z", "including X1, X2 ... are part of Z"
        if tok.lemma_ == "be" or tok.dep_ == "ROOT":
            attr = next((c for c in tok.children if c.dep_ in {"attr", "acomp"} and c.lower_ in MEMBER_NOUNS), None)
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if attr is not None and subj is not None:
                of = next((c for c in attr.children if c.dep_ == "prep" and c.lower_ == "of"), None)
                pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
                if pobj is not None:
                    whole = col.ent(pobj)
                    whole_ent = col.entity_obj(whole) if whole else None
                    if whole_ent is not None and whole_ent.kind == "state":
                        whole = None  # "part of Iran's Axis": the state owns the whole, it is not it
                    if whole is None:
                        whole = next((col.ent(t) for t in pobj.subtree if col.ent(t)
                                      and (col.entity_obj(col.ent(t) or "") or Entity("", "", "")).kind
                                      in ALLIANCE_KINDS), None)
                    members = [col.ent(subj)]
                    for t in subj.subtree:
                        if t.dep_ == "pobj" and t.head.lower_ in {"including", "like", "as"}:
                            members.extend(col.ent(x) for x in _heads_and_conjuncts(t))
                    for member in members:
                        col.add(member, "member_of", whole, tok)
                    owner = next((c for c in pobj.children if c.dep_ == "poss"), None)
                    if owner is not None and whole:
                        col.add(whole, "led_by", col.ent(owner), tok)
        # "Iran's broader Axis of Resistance", "Iran's Revolutionary Guards"
        if tok.dep_ == "poss" and eid:
            head_id = col.ent(tok.head)
            owner_ent = col.entity_obj(eid)
            target_ent = col.entity_obj(head_id) if head_id else None
            if owner_ent is not None and target_ent is not None and owner_ent.kind == "state" and head_id != eid:
                if target_ent.kind in ALLIANCE_KINDS:
                    col.add(head_id, "led_by", eid, tok)
                elif target_ent.kind in INSTITUTION_KINDS:
                    col.add(head_id, "part_of", eid, tok)
        # appositions: "Farhad Alaaeldin, an adviser to Prime Minister Sudani"; "X, another key
        # Iranian ally"; "Kataib Hezbollah, the most powerful Shi'ite militia"
        if tok.dep_ == "appos" and col.ent(tok.head):
            subject = col.ent(tok.head)
            lemma = tok.lemma_.lower()
            if lemma in {"adviser", "advisor", "aide", "counsellor", "counselor", "spokesman",
                         "spokeswoman", "spokesperson"}:
                for c in tok.children:
                    if c.dep_ == "prep" and c.lower_ in {"to", "for", "of"}:
                        for p in c.children:
                            if p.dep_ == "pobj":
                                pred = "adviser_to" if lemma in {"adviser", "advisor", "aide", "counsellor",
                                                                 "counselor"} else "member_of"
                                col.add(subject, pred, col.ent(p), tok)
            if lemma in ALLY_NOUNS:
                for c in tok.children:
                    is_mod = c.dep_ in {"amod", "compound"}
                    code = kb.demonym(c.text) if is_mod and getattr(kb, "demonym", None) else None
                    if code:
                        col.add(subject, "allied_with", col.state_entity(code), tok)
                    elif c.dep_ == "prep" and c.lower_ in {"of", "to"}:
                        for p in c.children:
                            col.add(subject, "allied_with", col.ent(p), tok)
        # "a commander from Kataib Hezbollah" / "a member of Hamas"
        if tok.dep_ == "prep" and tok.lower_ in {"from", "of"} and eid is None:
            head_ent = col.ent(tok.head)
            he = col.entity_obj(head_ent) if head_ent else None
            if he is not None and he.kind in {"person", "officials"}:
                for p in tok.children:
                    if p.dep_ == "pobj":
                        pe = col.ent(p)
                        po = col.entity_obj(pe) if pe else None
                        if po is not None and po.kind not in {"person", "state"} and pe != head_ent:
                            col.add(head_ent, "member_of", pe, tok)
    # "Iraqi Prime Minister Mohammed Shia al-Sudani": a leader's title names the state
    for e in actors.entities:
        if e.kind != "person" or not e.country:
            continue
        for mention in e.mentions:
            before = text_of(doc)[max(0, mention.start - 60): mention.start].lower() + " " + mention.text.lower()
            words = re.findall(r"[a-z]+", before)
            if re.search(r"\b(prime minister|president|premier|king|emir|chancellor|supreme leader)\b",
                         " ".join(words[-6:])) and not re.search(r"\b(adviser|advisor|aide|spokes\w+) to\b",
                                                                    " ".join(words[-8:])):
                state = col.state_entity(e.country)
                if state:
                    col.add(e.id, "leader_of", state, None)
                break
    # a state's institutions are part of it: "Iran's Revolutionary Guards" belong to Iran
    for e in actors.entities:
        if e.kind in INSTITUTION_KINDS and e.kind != "government" and e.country:
            col.add(e.id, "part_of", col.state_entity(e.country), None, source="kb")
    # what the knowledge base knows about actors named together
    kb_to_ent = {e.kb_id: e.id for e in actors.entities if e.kb_id}
    for e in actors.entities:
        entry = actors.kb_entries.get(e.id)
        if entry is None:
            continue
        for pred, target in getattr(entry, "affiliations", ()) or ():
            other = kb_to_ent.get(target)
            if other and pred != "opposes":  # an enmity is context for reading the text, not an affiliation
                col.add(e.id, pred, other, None, source="kb")
    return tuple(col.out.values())
