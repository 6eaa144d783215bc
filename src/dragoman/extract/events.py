"""Turns event triggers into coded PLOVER events: actors and recipients from the parse, modality,
attribution, places and dates from the trigger's clause, one event per real event."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..plover import EVENT_TYPES, intensity_of
from ..records import Attribution, Entity, Event, EventDate, Mention, Modality, Offsets, Place, Quote, TimeExpr
from ..redate import event_date, event_time, is_dateline
from .quotes import ANONYMOUS_MARKERS, REPORTING_LEMMAS, is_anonymous
from .sentences import expanded_span, sent_of, text_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from ..resolve.actors import ActorIndex

__all__ = ["code_events", "EventContext"]

HEDGES = {"reportedly", "allegedly", "apparently", "possibly", "probably", "likely", "perhaps",
          "purportedly", "seemingly", "supposedly", "may", "might", "could", "appear", "seem",
          "suggest", "believe", "possible", "unconfirmed", "rumoured", "rumored"}
FUTURE_MARKERS = {"will", "shall", "would", "'ll", "ready", "willing", "plan", "intend", "prepare",
                  "expect", "going", "aim", "seek", "want", "threaten", "vow", "pledge", "promise",
                  "set", "due", "poised", "about", "propose", "consider", "possible", "potential",
                  "upcoming", "planned", "proposed", "future"}
NEGATIONS = {"not", "n't", "never", "no", "neither", "nor", "without"}
CONDITION_MARKS = {"if", "unless", "should", "provided", "whether"}
STATIVE_PASSIVES = {"commit", "determine", "prepare", "dedicate", "devote", "resolve", "engage", "involve",
                    "incline", "dispose", "poise", "set"}
# Governors under which an event does not happen: "to avoid being targeted", "designed to oppose".
NON_EVENT_GOVERNORS = {"avoid", "prevent", "escape", "design", "fear", "deter", "evade", "dodge", "risk", "use",
                       "danger", "threat", "possibility", "prospect", "spectre", "specter",
                       # prohibited or prevented: "attacking mosques is forbidden", "foiled a bomb plot",
                       # "defied a ban on marches" (what is banned or averted did not happen)
                       "forbid", "forbidden", "prohibit", "prohibited", "ban", "outlaw", "illegal", "unlawful",
                       "foil", "thwart", "avert", "refrain"}
RELATIONAL_NOUNS = {"backer", "ally", "patron", "sponsor", "partner", "proxy", "rival", "enemy", "supporter"}
RECIPIENT_PREPS = {"on", "against", "to", "at", "toward", "towards", "into", "upon", "with", "for",
                   "over", "between", "of"}


@dataclass(frozen=True, slots=True)
class EventContext:
    """What the event coder needs besides the doc: resolved actors, places, times, quotes."""

    actors: ActorIndex
    places: tuple[Place, ...]
    times: tuple[TimeExpr, ...]
    quotes: tuple[Quote, ...]
    published: str | None
    kb: Any = None


def _entities_of(tok: Token, actors: ActorIndex) -> list[str]:
    """Entities named by a noun phrase headed by tok, following coordination."""
    out: list[str] = []
    stack = [tok]
    seen: set[int] = set()
    while stack:
        t = stack.pop()
        if t.i in seen:
            continue
        seen.add(t.i)
        eid = actors.head_entity.get(t.i) or actors.token_entity.get(t.i)
        appos_named = [c for c in t.children if c.dep_ == "appos" and actors.token_entity.get(c.i)]
        if eid is None and appos_named:
            # "their primary backer, Iran's Revolutionary Guards": the apposition names the actor
            stack.extend(appos_named)
            continue
        if eid is None:
            # "U.S. and Israeli forces": modifiers name the actors
            for c in t.children:
                if c.dep_ == "amod" and c.lemma_.lower() in HOLDING_PARTICIPLES:
                    # "ISIL-held terrain", "rebel-controlled areas": the holder is who is hit
                    # (a name only: "rebel-held" says nothing of which rebels)
                    out.extend(e for h in c.children if h.dep_ in {"npadvmod", "compound", "nmod", "amod"}
                               and (h.ent_type_ or h.pos_ == "PROPN") for e in _entities_of(h, actors) if e not in out)
                if c.dep_ in {"compound", "amod", "poss", "nmod"}:
                    e2 = actors.token_entity.get(c.i)
                    if e2 and e2 not in out:
                        out.append(e2)
                    for cc in c.children:
                        if cc.dep_ == "conj":
                            e3 = actors.token_entity.get(cc.i)
                            if e3 and e3 not in out:
                                out.append(e3)
            # "One of the militia commanders", "some of these groups", "a camp for refugees"
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ in {"of", "for"}:
                    stack.extend(p for p in c.children if p.dep_ == "pobj")
        elif eid not in out:
            out.append(eid)
        out.extend(e for e in actors.co_heads.get(t.i, ()) if e not in out)
        stack.extend(c for c in t.children if c.dep_ in {"conj", "appos"})
    return out


HOLDING_PARTICIPLES = {"hold", "held", "control", "controlled", "occupy", "occupied", "run", "besiege", "besieged"}


def _clause_verb(tok: Token) -> Token:
    cur = tok
    for _ in range(8):
        if cur.pos_ in {"VERB", "AUX"} or cur.dep_ == "ROOT":
            return cur
        cur = cur.head
    return cur


def _subject_entities(verb: Token, actors: ActorIndex, *, passive_ok: bool = False) -> tuple[list[str], bool]:
    """Entities of a verb's subject (climbing through xcomp/conj/advcl/acl/relcl), and whether
    the subject found is the patient of a passive."""
    cur: Token | None = verb
    via_xcomp = False
    for _ in range(7):
        if cur is None:
            break
        named_aux = next((c for c in cur.children if c.dep_ in {"aux", "auxpass"} and actors.token_entity.get(c.i)),
                         None)
        if named_aux is not None:
            # "that IS had carried out": a name read as an auxiliary is the clause's subject
            return _entities_of(named_aux, actors), False
        subj = next((c for c in cur.children if c.dep_ in {"nsubj", "nsubjpass", "csubj"}), None)
        if subj is not None:
            if subj.dep_ == "nsubjpass" and (via_xcomp or (
                    cur.lemma_.lower() in REPORTING_LEMMAS and any(c.dep_ == "xcomp" for c in cur.children))):
                # "Israeli jets were reported to have fired", "he was asked to leave": the passive's
                # subject is the subject of the infinitive, which acts (so too in a participle the
                # parser hangs on the reporting verb: "were reported to have fired ..., striking X")
                return _entities_of(subj, actors), False
            if subj.dep_ == "nsubjpass":
                agent = next((c for c in cur.children if c.dep_ == "agent"), None)
                if agent is not None:
                    pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
                    if pobj is not None:
                        return _entities_of(pobj, actors), False
                return _entities_of(subj, actors), True
            ents = _entities_of(subj, actors)
            if subj.lower_ in {"which", "who", "that"} and cur.dep_ == "relcl":
                ents = _entities_of(cur.head, actors)
            return ents, False
        if cur.dep_ in {"acl", "relcl"} and cur.head.pos_ in {"NOUN", "PROPN", "PRON"}:
            ents = _entities_of(cur.head, actors)
            if ents:
                return ents, False
        if cur.dep_ == "xcomp" and _object_controls(cur.head):
            # object control: "urged Lavrov to press the regime to cease ...": the object acts
            controller = next((c for c in cur.head.children if c.dep_ in {"dobj", "dative"}), None)
            if controller is not None and controller.i < cur.i:
                return _entities_of(controller, actors), False
        if cur.dep_ == "ccomp" and cur.head.lemma_.lower() in REPORTING_LEMMAS:
            break  # "a police officer told HRW that IS had attacked": the speaker is no agent
        if (cur.dep_ == "dobj" and cur.pos_ in {"NOUN", "PROPN"} and cur.i != verb.i and _observes(cur.head)
                and cur.lemma_.lower() not in OWN_ATTITUDES):
            # "discussed the campaign to liberate Mosul": who discusses a campaign does not wage it
            # ("expressed pessimism over holding talks" is about the subject's own talks)
            break
        if cur.dep_ in {"xcomp", "conj", "advcl", "acomp", "ccomp", "pcomp", "prep", "pobj", "dobj",
                        "attr", "oprd", "acl", "relcl"} and cur.head.i != cur.i:
            # "was reported to have fired", "was quoted as warning": the passive's subject acts
            via_xcomp = cur.dep_ == "xcomp" or (cur.dep_ == "pcomp" and cur.head.lower_ == "as") or (
                cur.dep_ == "prep" and cur.lower_ == "as" and via_xcomp)
            cur = cur.head
            continue
        break
    return [], False


INTRANSITIVE_NOMINALS = {"RETREAT", "MOBILIZE", "PROTEST"}
# Types whose "from" phrase names the one the event is aimed at, not its source: one withdraws
# from a place or party, and asks something from someone ("aid from X" is X's aid: AID is absent).
FROM_RECIPIENT_TYPES = {"RETREAT", "REQUEST"}


def _arguments(trig: Token, actors: ActorIndex, nominal: bool, event_type: str = "") -> tuple[list[str], list[str]]:
    actor: list[str] = []
    recipient: list[str] = []
    if nominal or trig.pos_ in {"NOUN", "PROPN"}:
        # "Iranian financial and military support", "the 2003 U.S. invasion": any actor named
        # before the noun inside its phrase
        for t in trig.doc[trig.left_edge.i: trig.i]:
            e = actors.token_entity.get(t.i)
            if e and e not in actor and t.dep_ not in {"pobj", "dobj"}:
                actor.append(e)
        preps = [c for c in trig.children if c.dep_ == "prep"]
        holder = trig
        if trig.dep_ == "pobj" and trig.head.lower_ == "of" and trig.head.head.pos_ == "NOUN":
            # "a series of warnings from X to Y": the parser hangs "to Y" on "series"
            holder = trig.head.head
            preps += [c for c in holder.children if c.dep_ == "prep" and c is not trig.head]
        if holder.dep_ in {"nsubj", "nsubjpass"} and _takes_place(holder.head):
            # "meetings will take place between A and B", "talks were held with B": the verb of
            # occurrence carries the parties of the event noun that is its subject
            preps += [c for c in holder.head.children if c.dep_ == "prep" and c.lower_ in {"between", "with", "among"}]
        for c in preps:
            if c.lower_ == "between":
                for p in c.children:
                    if p.dep_ != "pobj":
                        continue
                    ents = _entities_of(p, actors)
                    # "talks between A and B": A acts, B receives (PLOVER codes dyads)
                    if ents and not actor:
                        actor.append(ents[0])
                        recipient.extend(e for e in ents[1:] if e not in recipient)
                    else:
                        recipient.extend(e for e in ents if e not in recipient and e not in actor)
            elif c.lower_ == "from" and event_type in FROM_RECIPIENT_TYPES:
                # "the withdrawal from Iraq", "a request for support from the coalition"
                for p in c.children:
                    if p.dep_ == "pobj":
                        recipient.extend(e for e in _entities_of(p, actors) if e not in recipient)
            elif c.lower_ in {"by", "from"}:
                for p in c.children:
                    if p.dep_ == "pobj":
                        actor.extend(e for e in _entities_of(p, actors) if e not in actor)
            elif c.lower_ == "of" and event_type in INTRANSITIVE_NOMINALS:
                # "the withdrawal of French troops": the troops withdraw
                for p in c.children:
                    if p.dep_ == "pobj":
                        actor.extend(e for e in _entities_of(p, actors) if e not in actor)
            elif c.lower_ in RECIPIENT_PREPS:
                for p in c.children:
                    if p.dep_ == "pobj":
                        recipient.extend(e for e in _entities_of(p, actors) if e not in recipient and e not in actor)
        for c in trig.children:
            if c.dep_ == "acl" and c.tag_ == "VBN":
                # "attacks claimed by Da'esh", "strikes carried out by the coalition"
                for a in c.children:
                    if a.dep_ == "agent":
                        actor.extend(e for p in a.children if p.dep_ == "pobj"
                                     for e in _entities_of(p, actors) if e not in actor)
            if c.dep_ in {"poss", "compound", "amod", "nmod"}:
                for e in _entities_of(c, actors):
                    if e not in actor:
                        actor.append(e)
                for cc in c.children:
                    if cc.dep_ == "conj":
                        actor.extend(e for e in _entities_of(cc, actors) if e not in actor)
        if not actor:
            # "the talks he held", "the supporting role the coalition can play": a relative clause whose
            # light verb carries the noun names its doer
            for c in trig.children:
                if c.dep_ == "relcl" and _carries(c):
                    actor.extend(e for s in c.children if s.dep_ == "nsubj" and s.lower_ not in {"which", "that", "who"}
                                 for e in _entities_of(s, actors) if e not in actor)
        if not actor:
            head = trig.head
            # "involved in attacks", "launching attacks", "held talks": the governing verb's subject
            verb = _clause_verb(head) if trig.dep_ in {"pobj", "dobj", "attr", "nsubj", "conj", "appos"} else head
            if trig.dep_ == "nsubj":
                verb = trig.head
            elif (_passes_subject(verb, event_type) or _means_of(trig)) and _carried_up(trig, verb):
                ents, passive = _subject_entities(verb, actors)
                if passive and verb.lemma_.lower() not in STATIVE_PASSIVES:
                    # "six were arrested on charges of ...", "X was hit in an air strike": the
                    # passive's subject undergoes the event noun, it does not act in it
                    recipient.extend(e for e in ents if e not in recipient)
                else:
                    actor = [e for e in ents if e not in recipient]
            if not recipient and verb.pos_ == "VERB" and trig.dep_ != "dobj":
                pass
        if actor and not recipient and trig.dep_ == "pobj" and trig.head.lower_ == "with":
            # "These groups emerged ... with Iranian support": the clause's subject receives it
            verb = _clause_verb(trig.head)
            while verb.dep_ in {"relcl", "acl"} and verb.head.i != verb.i:
                verb = _clause_verb(verb.head.head if verb.head.dep_ in {"pobj", "dobj"} else verb.head)
            ents, _p = _subject_entities(verb, actors)
            recipient.extend(e for e in ents if e not in actor)
        if not recipient and trig.dep_ == "nsubj" and trig.head.lemma_.lower() in IMPACT_VERBS:
            # "a U.S. strike hit two al-Qaida vehicles": what the happening hit is hit by it
            for c in trig.head.children:
                if c.dep_ == "dobj":
                    recipient.extend(e for e in _entities_of(c, actors) if e not in actor and e not in recipient)
        if not recipient and event_type in ADDRESSEE_CLAUSE_TYPES:
            recipient.extend(e for e in _complement_recipients(trig, actors, event_type) if e not in actor)
        if not recipient and trig.dep_ in {"dobj", "pobj"}:
            # "launching attacks against Israel": the recipient hangs off the verb
            verb = trig.head if trig.dep_ == "dobj" else trig.head.head
            for c in verb.children:
                if c.dep_ == "prep" and c.lower_ in {"against", "on", "at", "toward", "towards"}:
                    for p in c.children:
                        if p.dep_ == "pobj":
                            recipient.extend(e for e in _entities_of(p, actors) if e not in actor)
        return actor, recipient
    # verbal trigger
    own = next((o for o in trig.children if o.dep_ == "dobj" and o.pos_ == "NOUN"
                and any(p.dep_ == "prep" and p.lower_ == "between" for p in o.children)), None)
    if own is not None and _carries(trig):
        # "continue the close cooperation between Baghdad and Erbil": the noun names its own parties
        return _arguments(own, actors, True, event_type)
    ents, passive = _subject_entities(trig, actors)
    if passive and trig.lemma_.lower() in STATIVE_PASSIVES:
        passive = False  # "the government is committed to": the subject acts
    if passive:
        recipient.extend(ents)
    else:
        actor.extend(ents)
    for c in trig.children:
        if (c.dep_ in {"dobj", "dative", "iobj", "attr"} and c.pos_ != "ADP") or (
                c.dep_ == "nsubjpass" and not passive):
            if _moved_forces(c) and (event_type in MOVED_FORCES_TYPES or _own(c)) and (
                    trig.lemma_.lower() not in CAPTIVE_VERBS | BENEFICIARY_VERBS):  # "released the 21 peacekeepers"
                continue  # "withdraw its troops", "deploying 300 troops", "willing to pull back its soldiers"
            recipient.extend(e for e in _entities_of(c, actors) if e not in actor and e not in recipient)
        elif (c.dep_ == "prep" and (c.lower_ in RECIPIENT_PREPS or (c.lower_ == "from" and event_type in
                                                                    FROM_RECIPIENT_TYPES))) or (
                c.dep_ == "dative" and c.pos_ == "ADP"):
            # "sending aid to the Iraqi government" ("to" parsed as the dative), "withdrew from Iraq"
            for p in c.children:
                if p.dep_ == "pobj":
                    recipient.extend(e for e in _entities_of(p, actors) if e not in actor and e not in recipient)
        elif c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    actor.extend(e for e in _entities_of(p, actors) if e not in actor)
    # "engaging with Hamas in Gaza and Hezbollah in Lebanon": an actor coordinated with a place
    for c in trig.children:
        if c.dep_ == "prep" and c.lower_ in {"in", "at", "near", "inside"}:
            for p in c.children:
                for cc in p.children:
                    if cc.dep_ == "conj":
                        found = actors.head_entity.get(cc.i)
                        ent = actors.entity(found) if found else None
                        if ent is not None and ent.kind not in {"state"} and ent.id not in recipient \
                                and ent.id not in actor:
                            recipient.append(ent.id)
    if not recipient:
        recipient.extend(e for e in _complement_recipients(trig, actors, event_type) if e not in actor)
    if not recipient:
        # "their backer approved of the decision": the backer acts for those it backs
        subj = next((c for c in trig.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.lemma_.lower() in RELATIONAL_NOUNS:
            owner = next((c for c in subj.children if c.dep_ == "poss"), None)
            if owner is not None:
                recipient.extend(e for e in _entities_of(owner, actors) if e not in actor)
    # "engaging with Hamas", "pull out of Mosul": particles and prepositions after a particle
    for c in trig.children:
        if c.dep_ == "prt":
            for cc in c.children:
                if cc.dep_ == "prep":
                    for p in cc.children:
                        if p.dep_ == "pobj":
                            recipient.extend(e for e in _entities_of(p, actors)
                                             if e not in actor and e not in recipient)
    return actor, recipient


# Nouns whose holder talks about, studies, judges or answers the event noun they govern, and so
# does not act in it: "called for an investigation into an attack", "the response to the strike",
# "the families of the victims of the bombing" (nominal observers, like the lexicon's observer verbs).
OBSERVER_NOUNS = {"investigation", "inquiry", "enquiry", "probe", "review", "report", "study", "debate",
                  "discussion", "condemnation", "criticism", "denial", "account", "footage", "evidence",
                  "allegation", "accusation", "news", "detail", "documentation", "record", "anniversary",
                  "aftermath", "memorial", "commemoration", "analysis", "assessment", "verification",
                  "coverage", "question", "doubt", "fear", "concern", "response", "reaction", "retaliation",
                  "revenge", "victim", "survivor", "casualty", "witness", "condolence", "sympathy", "outrage",
                  "issue", "ability", "capacity", "threat", "risk", "danger", "heat"}
# Governor roles whose holder asks for, refuses, judges or threatens the event it governs
# ("a demand for talks", "called for an end to the siege"), rather than doing it.
OTHERS_ROLES = {"request", "reject", "accuse", "threaten"}


def _carried_up(trig: Token, verb: Token) -> bool:
    """Whether the clause verb above an event noun still makes its subject the actor: no noun between
    them observes, asks for or refuses the event ("called for an investigation into an attack", "a
    demand for talks"), and the verb does not take it through a preposition as a governor ("called
    for talks", "appealed for a ceasefire": "call" is a light verb only with an object, "called a
    strike"). Nouns that count, stage or suspend it carry it ("launched a wave of attacks",
    "announced a suspension of aid")."""
    from .triggers_lexicon import Lexicon

    lex = Lexicon.load()
    cur = trig
    for _ in range(8):
        if cur.i == verb.i or cur.head.i == cur.i:
            return True
        step, cur = cur, cur.head
        lem = cur.lemma_.lower()
        if cur.i == verb.i:
            return not (step.dep_ == "prep" and lex.governors.get(lem) in OTHERS_ROLES)
        if cur.pos_ in {"NOUN", "PROPN"} and step.dep_ not in {"conj", "appos"} and (
                lem in OBSERVER_NOUNS or lem in lex.observers or lex.governors.get(lem) in OTHERS_ROLES):
            return False
    return True


# verbs whose subject, a happening, struck their object: "the strike hit a convoy", "shelling killed 12"
IMPACT_VERBS = {"hit", "kill", "wound", "injure", "destroy", "damage", "target", "level", "flatten", "strike",
                "devastate", "raze"}


def _means_of(tok: Token) -> bool:
    """An event noun that is the means of a verb with an object of its own: "supports Iraqi forces
    with air strikes", "punished the city with shelling": the verb's subject does it."""
    prep = tok.head
    return (tok.dep_ == "pobj" and prep.lower_ == "with" and prep.dep_ == "prep" and prep.head.pos_ == "VERB"
            and any(c.dep_ == "dobj" for c in prep.head.children))


# Verbs that say an event noun, their subject, happens ("talks took place", "meetings were held").
OCCURRENCE_VERBS = {"happen", "occur", "begin", "start", "resume", "continue", "hold", "convene", "open",
                    "end", "conclude", "proceed"}


def _takes_place(verb: Token) -> bool:
    lem = verb.lemma_.lower()
    if lem == "take":
        return any(c.dep_ == "dobj" and c.lemma_.lower() == "place" for c in verb.children)
    return lem in OCCURRENCE_VERBS


def _object_controls(verb: Token) -> bool:
    from .triggers_lexicon import Lexicon

    return verb.lemma_.lower() in Lexicon.load().object_control


def _carries(verb: Token) -> bool:
    """A light or aspectual verb only carries the event noun it governs ("held talks", "continue
    the cooperation"); a governor such as "end" or "demand" states an event of its own."""
    from .triggers_lexicon import Lexicon

    lex = Lexicon.load()
    lem = verb.lemma_.lower()
    return (lem in lex.light_verbs or lem in lex.transparent) and lem not in lex.governors


# Attitudes toward one's own possible acts: "expressed willingness to talk", "pessimism over holding talks".
OWN_ATTITUDES = {"willingness", "readiness", "pessimism", "optimism", "reluctance", "interest", "desire",
                 "eagerness", "openness", "determination", "intention", "hope", "unwillingness", "resolve"}


def _observes(verb: Token) -> bool:
    """A verb whose subject talks about, studies or witnesses what it governs (the lexicon's observers)."""
    from .triggers_lexicon import Lexicon

    return verb.lemma_.lower() in Lexicon.load().observers


def _passes_subject(verb: Token, event_type: str = "") -> bool:
    """Whether a verb's subject acts in the event noun it governs: "launched attacks", "took part
    in talks" and "killed 12 in an attack" do; "commented on the bombings", "discussed the
    campaign", "condemned the attack" and "said ... the attack" do not (the lexicon's observers,
    reporting verbs and governors, whose subject talks about, judges or asks for the event).
    Verbal events are done by saying them: "reiterated its support" is the speaker's support."""
    from .triggers_lexicon import Lexicon

    lex = Lexicon.load()
    lem = verb.lemma_.lower()
    if lem in lex.light_verbs or lem in lex.transparent or lem in lex.owners:
        return True
    if lem in lex.governors:
        return False
    if event_type in VERBAL_TYPES:
        return True
    return lem not in lex.observers and lem not in lex.reporting


def _undergone_arguments(verb: Token, actors: ActorIndex) -> tuple[list[str], list[str]]:
    """"X came under fire from Y", "X received arms from Y", "X repelled an attack by Y": the
    subject undergoes the event; the source ("from", "by") or the noun's own modifier acts."""
    recipient, _passive = _subject_entities(verb, actors)
    nouns = [c for c in verb.children if c.dep_ == "dobj"] + [
        p for c in verb.children if c.dep_ == "prep" and c.lower_ == "under" for p in c.children if p.dep_ == "pobj"]
    actor: list[str] = []
    for holder in [verb, *nouns]:
        for c in holder.children:
            if c.dep_ in {"prep", "agent"} and c.lower_ in {"from", "by"}:
                for p in c.children:
                    if p.dep_ == "pobj":
                        actor.extend(e for e in _entities_of(p, actors) if e not in actor)
    if not actor:
        # a noun that is itself the trigger names who acts by its modifier: "is in a U.S. prison"
        for n in nouns or ([verb] if verb.pos_ in {"NOUN", "PROPN"} else []):
            for c in n.children:
                if c.dep_ in {"poss", "compound", "amod", "nmod"}:
                    actor.extend(e for e in _entities_of(c, actors) if e not in actor)
    return actor, [r for r in recipient if r not in actor]


# Events done by saying them (PLOVER's verbal cooperation and conflict).
VERBAL_TYPES = {"AGREE", "CONSULT", "SUPPORT", "REQUEST", "ACCUSE", "REJECT", "THREATEN"}
# Types whose "that"-clause subject is the one addressed: "demanded that the US cancel ...".
ADDRESSEE_CLAUSE_TYPES = {"REQUEST", "ACCUSE", "THREATEN", "REJECT", "SUPPORT", "AGREE", "CONCEDE"}
WITHDRAWN_THINGS = {"troop", "force", "soldier", "unit", "personnel", "army", "fighter", "peacekeeper",
                    "marine", "contingent", "battalion", "brigade", "division", "warship", "jet", "aircraft",
                    "officer", "policeman", "police", "adviser", "advisor", "trainer", "instructor", "reservist",
                    "conscript", "recruit"}
# Events whose object may be the forces the actor moves (withdraws, deploys, sends) rather than
# someone the event is aimed at.
MOVED_FORCES_TYPES = {"RETREAT", "MOBILIZE", "AID"}
# verbs whose object is held people, soldiers among them, not forces one moves
CAPTIVE_VERBS = {"release", "free", "exchange", "swap", "repatriate"}
# verbs whose object is the forces helped, not forces one moves: "trained Iraqi security forces",
# "armed the rebel fighters", "equipped the Peshmerga brigades"
BENEFICIARY_VERBS = {"train", "arm", "equip", "assist", "help", "advise", "mentor", "protect", "rescue", "fund",
                     "finance", "supply", "support", "back"}
# Events given for someone's benefit, whose purpose clause names who benefits ("to help X").
PURPOSE_RECIPIENT_TYPES = {"AID", "COOPERATE", "SUPPORT"}
SENDING_VERBS = {"send", "deploy", "dispatch", "withdraw", "pull", "move", "station", "redeploy", "commit"}
QUANTIFIERS = {"some", "most", "all", "part", "many", "half", "rest", "remainder", "bulk", "thousands", "hundreds"}


def _moved_forces(obj: Token) -> bool:
    """"its troops", "300 peacekeepers", "some of its troops": forces, the theme of a movement."""
    if obj.lemma_.lower() in WITHDRAWN_THINGS:
        return True
    return obj.lemma_.lower() in QUANTIFIERS and any(
        p.dep_ == "pobj" and p.lemma_.lower() in WITHDRAWN_THINGS
        for c in obj.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children)


TARGET_PREPS = {"with", "to", "for", "against", "by", "on", "from", "toward", "towards", "into", "at", "over"}


def _prep_targets(tok: Token, actors: ActorIndex, depth: int = 0) -> list[str]:
    """Entities in the preposition phrases hanging on a word, following chains of them
    ("for a possible war against Iraq", "his commitment to the Zambian people")."""
    out: list[str] = []
    for p in tok.children:
        if p.dep_ != "prep" or p.lower_ not in TARGET_PREPS | {"of"}:
            continue
        for o in p.children:
            if o.dep_ != "pobj":
                continue
            found = _entities_of(o, actors) if p.lower_ != "of" else []
            if not found:
                # "an investigation into crimes committed by Croat forces"
                for acl in o.children:
                    if acl.dep_ == "acl":
                        for agent in acl.children:
                            if agent.dep_ == "agent":
                                for a in agent.children:
                                    if a.dep_ == "pobj":
                                        found.extend(_entities_of(a, actors))
            out.extend(found)
            if not found and depth < 2:
                out.extend(_prep_targets(o, actors, depth + 1))
    return out


def _own(tok: Token) -> bool:
    """A noun phrase the subject owns: "its troops", "their fighters"."""
    return any(c.dep_ == "poss" and c.lower_ in {"its", "their", "his", "her", "our"} for c in tok.children)


def _objects_of(tok: Token, actors: ActorIndex, *, withdraw: bool) -> list[str]:
    """Recipients among a verb's objects and the preposition phrases on them."""
    out: list[str] = []
    for c in tok.children:
        if c.dep_ in {"dobj", "dative", "iobj"}:
            if not ((withdraw or _own(c)) and _moved_forces(c)):
                out.extend(_entities_of(c, actors))
            # "shared evidence with the U.S.", "an admission by Moscow", "aid to Mozambique"
            out.extend(_prep_targets(c, actors))
        elif c.dep_ == "prep" and c.lower_ in TARGET_PREPS - {"by", "at"}:
            for o in c.children:
                if o.dep_ == "pobj":
                    found = _entities_of(o, actors)
                    out.extend(found or _prep_targets(o, actors, 1))
    return list(dict.fromkeys(out))


def _complement_recipients(trig: Token, actors: ActorIndex, event_type: str) -> list[str]:
    """Who an event is aimed at when the verb takes a clause: "offered to hand over to Britain",
    "promised to continue aid to Mozambique", "demanded that the US cancel ..."."""
    withdraw = event_type in MOVED_FORCES_TYPES
    if event_type in ADDRESSEE_CLAUSE_TYPES:
        # "its demand that Israel ease ...", "issued a declaration demanding that the government ..."
        for t in [trig, *[c for c in trig.children if c.dep_ in {"dobj", "acl"}],
                  *[g for c in trig.children if c.dep_ == "dobj" for g in c.children if g.dep_ == "acl"]]:
            for c in t.children:
                if c.dep_ in {"ccomp", "acl"} and c is not trig:
                    subj = next((s for s in c.children if s.dep_ in {"nsubj", "nsubjpass"}), None)
                    if subj is not None and subj.lower_ not in {"which", "who", "that"}:
                        ents = _entities_of(subj, actors)
                        if ents:
                            return ents
    if event_type in ADDRESSEE_CLAUSE_TYPES:
        # "issued a statement urging North Korea to ...", "sent a letter asking Iran ...": the
        # participle that gives the content of a message names whom it addresses
        for g in [g for c in [trig, *(c for c in trig.children if c.dep_ == "dobj")] for g in c.children
                  if g.dep_ == "acl" and g.tag_ == "VBG"]:
            for o in g.children:
                if o.dep_ in {"dobj", "dative"}:
                    ents = _entities_of(o, actors)
                    if ents:
                        return ents
    for c in trig.children:
        if c.dep_ == "ccomp" and event_type in ADDRESSEE_CLAUSE_TYPES:
            subj = next((s for s in c.children if s.dep_ in {"nsubj", "nsubjpass"}), None)
            if subj is not None:
                ents = _entities_of(subj, actors)
                if ents:
                    return ents
        if c.dep_ == "advcl" and event_type in PURPOSE_RECIPIENT_TYPES and any(
                a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
            # "sent aid to help victims of the earthquake": whom the purpose serves receives it
            found = _objects_of(c, actors, withdraw=True)
            if found:
                return found
        if c.dep_ in {"xcomp", "ccomp"}:
            # "offered to send troops to Jordan": what a verb of sending moves is no recipient
            found = _objects_of(c, actors, withdraw=withdraw or c.lemma_.lower() in SENDING_VERBS)
            if found:
                return found
            for cc in c.children:
                if cc.dep_ in {"xcomp", "dobj"}:
                    found = _objects_of(cc, actors, withdraw=withdraw)
                    if found:
                        return found
    return _objects_of(trig, actors, withdraw=withdraw)


def _ancestors(tok: Token, limit: int = 10) -> Iterable[Token]:
    cur = tok
    for _ in range(limit):
        if cur.head.i == cur.i:  # spaCy makes a new Token object on each access
            return
        cur = cur.head
        yield cur


def _clause_words(scope: Sequence[Token]) -> set[str]:
    """The words (forms and lemmas) of a chain of heads and of their auxiliaries, adverbs, negations,
    markers and modifiers: what modality is read from."""
    words: set[str] = set()
    for t in scope:
        words.update((t.lemma_.lower(), t.lower_))
        for c in t.children:
            if c.dep_ in {"aux", "auxpass", "advmod", "neg", "mark", "acomp", "amod", "det"}:
                words.update((c.lower_, c.lemma_.lower()))
    return words


def _modality(trig: Token, attributed: bool) -> Modality:
    doc = trig.doc
    chain = [trig, *_ancestors(trig, 4)]
    # stop at a reporting verb: what the reporter does is not the event's modality
    scope: list[Token] = []
    for t in chain:
        if t is not trig and t.lemma_.lower() in REPORTING_LEMMAS:
            break
        scope.append(t)
    words = _clause_words(scope)
    certainty = "asserted"
    if attributed:
        certainty = "reported"
    if words & HEDGES or _raised_by_hearsay(trig):
        certainty = "hedged"
    negated = any(c.dep_ == "neg" for t in scope[:2] for c in t.children) or bool(
        {c.lower_ for c in trig.children if c.dep_ == "det"} & {"no"})
    conditional = False
    sent = sent_of(trig)
    for t in scope:
        for c in t.children:
            if c.dep_ == "advcl" and any(m.lower_ in CONDITION_MARKS for m in c.children if m.dep_ == "mark"):
                conditional = True
    if not conditional:
        # "warning of possible airstrikes if the militias continue", "threatened to close the
        # strait if sanctions were imposed": the condition hangs off the trigger's chain or its
        # complement
        for t in sent:
            if t.lower_ in {"if", "unless"} and t.dep_ == "mark":
                cur = t.head.head
                for _ in range(4):
                    if cur in scope or cur == trig:
                        conditional = True
                        break
                    if cur.head.i == cur.i:
                        break
                    cur = cur.head
    # time: a relative clause or a participle on a noun has a tense of its own ("will return the
    # depots it has seized", "will free the men held there"); an infinitive ("a plan to strike") has not
    own = next((k for k, t in enumerate(scope) if t.dep_ == "relcl" or (
        t.dep_ == "acl" and not any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children))), None)
    timed = scope[: own + 1] if own is not None else scope
    tags = {t.tag_ for t in timed[:3]}
    aux = {c.lower_ for t in timed[:3] for c in t.children if c.dep_ in {"aux", "auxpass"}}
    # the event word itself marks nothing ("set up a committee", "plans were drawn"), nor "due to"
    # that gives a cause ("died due to torture")
    markers = _clause_words(timed) - {trig.lemma_.lower(), trig.lower_}
    if any(t.lower_ == "due" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to"
           and any(c.dep_ == "pobj" for c in doc[t.i + 1].children) for t in timed for t in (t, *t.children)):
        markers.discard("due")
    time = "past"
    if markers & FUTURE_MARKERS or aux & {"will", "shall", "'ll", "would"}:
        time = "future"
    elif trig.tag_ == "VBG" and (aux & {"is", "are", "am", "'re", "be", "been"} or trig.dep_ in {"conj", "xcomp"}):
        time = "ongoing"
    elif any(t.tag_ in {"VBZ", "VBP"} for t in scope[:2]) and not (aux & {"has", "have", "had"}):
        time = "ongoing"
    elif trig.pos_ == "NOUN" and "VBZ" in tags | {scope[1].tag_ if len(scope) > 1 else ""}:
        time = "ongoing"
    if doc[trig.i].tag_ == "VBG" and any(t.tag_ in {"VBN", "VBD"} and t.lemma_ == "begin" for t in scope):
        time = "ongoing"
    return Modality(certainty=certainty, time=time, negated=negated, conditional=conditional)


def _raised_by_hearsay(trig: Token) -> bool:
    """"Israeli jets were reported to have fired", "it is thought to have bombed": a passive verb of
    saying or thinking with no one saying it leaves the event hedged."""
    cur = trig
    while cur.dep_ == "conj" and cur.head.i != cur.i:
        cur = cur.head
    head = cur.head
    return (cur.dep_ == "xcomp" and head.lemma_.lower() in REPORTING_LEMMAS | {"allege", "rumour", "rumor"}
            and any(c.dep_ == "auxpass" for c in head.children)
            and not any(c.dep_ == "agent" for c in head.children))


def _attribution(trig: Token, ctx: EventContext, speech_speaker: dict[int, Quote]) -> Attribution | None:
    doc = trig.doc
    # inside a direct quotation or a reported-speech span: the speaker says so
    for q in ctx.quotes:
        if q.start <= trig.idx < q.end and (q.speaker or q.direct):
            anon = False
            ent = ctx.actors.entity(q.speaker) if q.speaker else None
            if ent is not None and ent.anonymous:
                anon = True
            cue_tok = None
            for t in sent_of(trig):
                if q.cue and t.text == q.cue and not (q.start <= t.idx < q.end):
                    cue_tok = t
                    break
            if cue_tok is not None and ANONYMOUS_MARKERS.search(sent_of(trig).text):
                anon = True
            if cue_tok is not None and is_anonymous(doc, _speaker_token(cue_tok), cue_tok):
                anon = True
            text = _attribution_text(cue_tok) if cue_tok is not None else (q.speaker_text or "")
            return Attribution(q.speaker, "anonymous" if anon else ("named" if q.speaker else "unattributed"),
                               text)
    for t in _ancestors(trig, 10):
        if t.lemma_.lower() in REPORTING_LEMMAS and t.pos_ == "VERB":
            sp = _speaker_token(t)
            speaker = ctx.actors.entity_at(sp.i) if sp is not None else None
            anon = is_anonymous(doc, sp, t)
            if speaker is None and not anon:
                continue
            kind = "anonymous" if anon else "named"
            return Attribution(speaker, kind, _attribution_text(t))
    for t in sent_of(trig):
        if t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            pobj = next((c for c in doc[t.i + 1].children if c.dep_ == "pobj"), None)
            if pobj is not None:
                speaker = ctx.actors.entity_at(pobj.i)
                anon = is_anonymous(doc, pobj, t)
                return Attribution(speaker, "anonymous" if anon else "named",
                                   doc[t.i: pobj.right_edge.i + 1].text)
    return None


def _speaker_token(verb: Token) -> Token | None:
    from .quotes import _subject

    return _subject(verb)


def _attribution_text(verb: Token) -> str:
    sp = _speaker_token(verb)
    doc = verb.doc
    if sp is None:
        return verb.text
    start = min(sp.left_edge.i, verb.i)
    end = max(verb.i, sp.i) + 1
    # include the hearer: "told Reuters"
    for c in verb.children:
        if c.dep_ in {"dobj", "dative", "prep"} and c.i == end:
            end = c.right_edge.i + 1
    span = doc[start:end]
    if len(span) > 25:
        span = doc[min(sp.i, verb.i): max(sp.i, verb.i) + 1]
    return span.text


def _clause_tokens(trig: Token) -> set[int]:
    verb = _clause_verb(trig)
    return {t.i for t in verb.subtree} | {t.i for t in trig.subtree}


def _event_date(trig: Token, ctx: EventContext, time: str) -> EventDate:
    """The event's date (``redate.event_date``), with the time expressions of its clause it was
    chosen from, so that a new publication date can choose again without a parse."""
    doc = trig.doc
    clause = _clause_tokens(trig)
    sent = sent_of(trig)
    in_clause: list[TimeExpr] = []
    for tx in ctx.times:
        if tx.type == "SET":
            continue
        span = expanded_span(doc, tx.start, tx.end)
        if span is None or not (sent.start <= span.start < sent.end):
            continue
        if any(t.i in clause for t in span):
            in_clause.append(tx)
    text = text_of(doc)
    in_sent = [tx for tx in ctx.times if tx.type in {"DATE", "TIME"} and sent.start_char <= tx.start < sent.end_char
               and not is_dateline(text, tx)]
    found = event_date(in_clause, in_sent, ctx.published, time)
    return replace(found, clause=tuple((tx.start, tx.end) for tx in in_clause))


def _event_places(trig: Token, ctx: EventContext, recipients_tokens: Sequence[int] = ()) -> tuple[str, ...]:
    doc = trig.doc
    clause = _clause_tokens(trig)
    if trig.dep_ in {"advcl", "conj", "xcomp"} and trig.tag_ in {"VBG", "VBN"}:
        # "exploded near a market in Mosul, killing 12": the participle happens where its clause does
        clause |= {t.i for t in trig.head.subtree}
    out: list[str] = []
    for p in ctx.places:
        for m in p.mentions:
            span = expanded_span(doc, m.start, m.end)
            if span is None:
                continue
            targeted = span.root.dep_ == "dobj" and span.root.head.i == trig.i  # "shelled Kharkiv"
            if span.root.i in clause and (_locative(span.root) or targeted) and p.id not in out:
                out.append(p.id)
    return tuple(out)


_PLACE_LABELS = {"GPE", "LOC", "FAC"}
# verbs whose subject is a happening that took place: "killings rocked the town", "a blast hit"
_HAPPENING_VERBS = {"kill", "wound", "injure", "destroy", "damage", "rock", "hit", "shake", "level", "flatten",
                    "claim", "occur", "happen", "erupt", "break", "target", "leave", "cause", "force", "spark"}


def _happening(tok: Token, place_tokens: frozenset[int] = frozenset()) -> bool:
    """An event noun stated as something that happened: its own phrase names where or when ("the
    bombings in Istanbul", "Tuesday's blast"), or it is the subject of what it did ("killings rocked")."""
    if any(c.dep_ == "det" and c.lower_ in {"these", "those", "such", "this", "that"} for c in tok.children):
        return False  # "these sanctions show ...": a reference to something already said
    # "air strikes and fighting in Wadi Barada": coordinated nouns share the phrase after them
    shared = [c for cj in tok.conjuncts if cj.i > tok.i for c in cj.children if c.dep_ == "prep"]
    for c in [*tok.children, *shared]:
        if c.ent_type_ == "DATE" or (c.dep_ == "poss" and c.ent_type_ in {"DATE", *_PLACE_LABELS}):
            return True
        if c.dep_ == "prep" and c.lower_ in {"in", "at", "near", "on", "across", "outside", "inside", "around"}:
            # a place the model labels otherwise ("in Aleppo" as a nationality) is still a place
            if any(o.ent_type_ in _PLACE_LABELS | {"DATE"} or o.i in place_tokens
                   for o in c.children if o.dep_ == "pobj"):
                return True
    return tok.dep_ == "nsubj" and tok.head.lemma_.lower() in _HAPPENING_VERBS


def _set_apart(host: Event, places: Sequence[str], date: EventDate) -> bool:
    """Whether a mention's own date or places make it another happening than ``host``: a date the
    text gives that differs from the host's, or places none of which the host has."""
    if date.basis == "text" and date.value and host.date.value and date.value != host.date.value:
        return True
    return bool(places) and not set(places) & set(host.places)


def _locative(tok: Token) -> bool:
    """A place named as where something happens: "in Gaza", "from Mosul", "cities like Anbar"."""
    cur = tok
    for _ in range(4):
        if cur.dep_ == "pobj" and cur.head.lower_ in {"in", "at", "from", "near", "into", "across", "around",
                                                       "outside", "inside", "throughout", "like", "including",
                                                       "toward", "towards", "through", "within", "on", "over",
                                                       "to", "along", "off", "between"}:
            return True
        if cur.dep_ in {"conj", "appos", "compound"}:
            cur = cur.head
            continue
        break
    return False


def code_events(doc: Doc, triggers: Sequence[Any], ctx: EventContext) -> tuple[tuple[Event, ...], tuple[Entity, ...]]:
    """One PLOVER event per event stated in the text, numbered in text order, and the entities
    of kind "unknown" that stand for perpetrators the text does not name ("a bomb exploded")."""
    events: list[Event] = []
    seen_keys: dict[tuple[Any, ...], int] = {}
    # event coreference: the further mentions of an event already coded, by its index in `events`
    again: dict[int, list[Mention]] = {}

    def mention_of(trig: Any) -> Mention:
        return Mention(trig.start, trig.end, text_of(doc)[trig.start:trig.end])

    by_dates: set[int] = set()  # events a mention was kept with, or set apart from, by comparing dates

    def refer(pred: Any, trig: Any) -> int | None:
        host = next((k for k in range(len(events) - 1, -1, -1) if pred(events[k])), None)
        if host is not None:
            again.setdefault(host, []).append(mention_of(trig))
        return host
    speech_speaker: dict[int, Quote] = {}
    place_tokens = frozenset(t.i for p in ctx.places for m in p.mentions
                             for t in (expanded_span(doc, m.start, m.end) or ()))
    trigger_heads = {_trigger_head(doc, t) for t in triggers}
    assault_heads = {_trigger_head(doc, t) for t in triggers if t.event == "ASSAULT"}
    # attacks whose killing was coded first: the attack's head -> that event's index
    carried: dict[int, int] = {}
    for trig in sorted(triggers, key=lambda t: t.start):
        compared = False
        tok = doc[_trigger_head(doc, trig)]
        if _under_non_event(tok) or _not_an_event(tok) or _awaited(tok):
            continue
        if tok.i in carried and trig.event == "ASSAULT":
            # "two were killed when IS launched an attack on the embassy": one happening
            killing = carried[tok.i]
            _actor, extra = _arguments(tok, ctx.actors, bool(getattr(trig, "nominal", False)), trig.event)
            events[killing] = replace(events[killing], recipient=tuple(dict.fromkeys(
                (*events[killing].recipient, *[e for e in extra if e not in events[killing].actor]))))
            again.setdefault(killing, []).append(mention_of(trig))
            continue
        if tok.lemma_.lower() in {"warn", "caution"} and any(c.dep_ == "ccomp" for c in tok.children):
            continue  # "officials warned that ...": reporting, the events are in the clause
        # "the invasion that toppled Saddam": a clause on an event noun describes the same event;
        # "a bomb exploded, killing 14 and wounding 31": the participles describe the explosion
        same_event = tok.dep_ in {"relcl", "acl"} or (
            tok.dep_ in {"advcl", "conj"} and tok.tag_ == "VBG" and trig.event == "ASSAULT"
            and any(e.event == "ASSAULT" and _trigger_head_of_event(doc, e) in {tok.head.i, *(
                c.i for c in tok.head.children if c.dep_ == "advcl")} for e in events))
        if same_event and (tok.head.i in trigger_heads or tok.dep_ in {"advcl", "conj"}) and events:
            host = next((k for k, e in enumerate(events) if e.trigger.start <= tok.head.idx < e.trigger.end
                         or _trigger_head_of_event(doc, e) == tok.head.i), None)
            if host is not None:
                _actor, extra = _arguments(tok, ctx.actors, False)
                merged = tuple(dict.fromkeys((*events[host].recipient,
                                              *[e for e in extra if e not in events[host].actor])))
                events[host] = replace(events[host], recipient=merged)
                again.setdefault(host, []).append(mention_of(trig))
                continue
        host = _same_happening(tok, trig.event, events, again)
        if host is not None:
            # "killed 20 militants and destroyed eight vehicles", "conducted a strike to target the
            # fighters", "supported the SDF by providing air cover": one happening, told twice
            more_actor, extra = _arguments(tok, ctx.actors, False, trig.event)
            hosted = events[host]
            if hosted.actor == (_UNKNOWN,) and more_actor:
                hosted = replace(hosted, actor=tuple(more_actor))  # the verb names who did it
            if hosted.event != trig.event:
                extra = []  # "resigned to allow Haiti's elections": whom the purpose concerns is not hit
            events[host] = replace(hosted, recipient=tuple(dict.fromkeys(
                (*hosted.recipient, *[e for e in extra if e not in hosted.actor]))))
            again.setdefault(host, []).append(mention_of(trig))
            continue
        trig = _reframe(tok, trig)
        if getattr(trig, "frame", "") == "undergo":
            actor, recipient = _undergone_arguments(tok, ctx.actors)
        else:
            actor, recipient = _arguments(tok, ctx.actors, bool(getattr(trig, "nominal", False)), trig.event)
        accused = _accused(tok, ctx.actors)
        if accused is not None:
            # "accused M23 of launching an offensive": M23 is said to have acted
            accuser, accused_ids = accused
            actor = accused_ids
            recipient = [r for r in recipient if r not in accused_ids and r not in accuser]
        # a nominal that merely refers back to an event already coded ("these talks", "the blast",
        # "the truce") adds nothing unless its own phrase names who took part
        # ("respect the ceasefire" keeps it: the verb acting on it may itself be the event)
        if getattr(trig, "nominal", False) and tok.pos_ in {"NOUN", "PROPN"} and tok.dep_ != "dobj" and any(
                c.lower_ in {"these", "this", "those", "the", "such", "that"} and c.dep_ == "det"
                for c in tok.children):
            own_actor = any(ctx.actors.token_entity.get(t.i) for t in doc[tok.left_edge.i: tok.i]) or any(
                c.dep_ == "prep" and c.lower_ in {"by", "between", "from", "of", "with"} for c in tok.children)
            if not own_actor and any(e.event == trig.event for e in events):
                refer(lambda e, t=trig.event: e.event == t, trig)
                continue
        if getattr(trig, "nominal", False) and _referenced_not_stated(tok):
            continue
        attribution = _attribution(tok, ctx, speech_speaker)
        frame = getattr(trig, "frame", "")
        if frame in ("judgement", "denial"):
            # "the move is unacceptable, X said": the speaker judges, what is judged receives it;
            # "X said it was not responsible": the speaker denies
            speaker = attribution.speaker if attribution is not None else None
            if not speaker and attribution is None and frame == "judgement":
                voice = _text_voice(tok, events)
                speaker = voice[0] if len(voice) == 1 else None
            if not speaker:
                continue
            actor = [speaker]
            recipient = [e for e in _judged(tok, ctx.actors) if e != speaker]
        modality = _modality(tok, attribution is not None and attribution.type != "unattributed")
        if frame == "denial":
            modality = replace(modality, negated=False)  # the "not" is what is said: a denial, not its absence
        if accused is not None:
            modality = replace(modality, certainty="hedged")
        if _denied(tok):
            modality = replace(modality, negated=True)
        date = _event_date(tok, ctx, modality.time)
        places = _event_places(tok, ctx)
        dated_as = modality.time
        modality = replace(modality, time=event_time(date, ctx.published, modality.time))
        nominal = bool(getattr(trig, "nominal", False)) and tok.pos_ in {"NOUN", "PROPN"}
        if nominal and not actor and not recipient:
            # "discussions", "disarmament": a nominal with no participants codes nothing new; after
            # an event of its type ("... the explosion"), it is a further mention of that event.
            # A violent or coercive happening the text places, dates or makes act ("bombings in
            # Istanbul", "killings rocked the town") is an event whose perpetrator it does not name,
            # and another happening than one of its type that has none of its places or dates.
            its_own = (EVENT_TYPES[trig.event].quad == 4 and float(getattr(trig, "confidence", 0.0)) >= 0.5
                       and _happening(tok, place_tokens))

            def mentioned(e: Event, t: str = trig.event, apart: bool = its_own,
                          where: tuple[str, ...] = places, when: EventDate = date) -> bool:
                return e.event == t and not (apart and _set_apart(e, where, when))

            compared = its_own and any(e.event == trig.event for e in events)
            if any(mentioned(e) for e in events):
                host = refer(mentioned, trig)
                if compared and host is not None:
                    by_dates.add(host)
                continue
            if not its_own:
                continue
            actor = [_UNKNOWN]
        # "a U.S. strike on Jan. 1 hit ...", after "a series of U.S. airstrikes this week": a happening
        # its own phrase dates or places apart from an earlier one of its type is another one
        apart = nominal and _happening(tok, place_tokens)

        def same(e: Event, t: str = trig.event, a: list[str] = actor, r: list[str] = recipient,
                 own: bool = apart, where: tuple[str, ...] = places, when: EventDate = date) -> bool:
            return (e.event == t and set(e.actor) == set(a) and set(e.recipient) >= set(r)
                    and not (own and _set_apart(e, where, when)))

        if nominal and any(same(e) for e in events):
            host = refer(same, trig)
            if compared and host is not None:
                by_dates.add(host)
            continue  # the same demand or talks named again
        if not recipient and trig.event == "THREATEN":
            # a threat is aimed at whoever must meet its condition, before any place it names
            recipient = _condition_subject(tok, ctx.actors, actor)
        if not recipient:
            state = _place_recipient(tok, ctx)
            if state is None and trig.event in DOMESTIC_TYPES and actor:
                own = (ctx.actors.entity(actor[0]) or Entity("", "", "")).country
                if own and own not in {"IGO", "NGO", "IMG", "MNC"}:
                    state = _STATE + own
            if state is not None:
                recipient = [state]
        if (trig.event == "REQUEST" and attribution is not None and attribution.speaker
                and attribution.speaker not in actor
                and (getattr(trig, "frame", "") == "deontic"
                     or any(c.dep_ == "aux" and c.lower_ in {"must", "should", "ought"} for c in tok.children))):
            # "Russia said that Sudan must return the helicopter", "it is vital that Sudan return
            # the helicopter, Russia said": Russia asks, Sudan is asked
            recipient = list(dict.fromkeys([*actor, *recipient]))
            actor = [attribution.speaker]
        if trig.event == "THREATEN":
            # a threat is about what would happen next
            modality = replace(modality, time="future")
        if not actor and "legal" in (getattr(trig, "context", ()) or ()):
            actor = _reporting_authority(tok, attribution, ctx.actors)
        source = None
        if not actor and trig.event == "ASSAULT":
            actor, source = _carried_attacker(tok, ctx.actors, assault_heads)
        if not actor and trig.event == "ASSAULT":
            actor = _referred_attacker(tok, events, again)
        if not actor and trig.event == "ASSAULT" and tok.lemma_.lower() in CONQUEST_LEMMAS:
            actor, recipient = _campaign_parties(events, recipient)
        if not actor and EVENT_TYPES[trig.event].quad == 4 and not nominal:
            actor = [_UNKNOWN]
        if not actor and not recipient:
            continue
        sent = sent_of(tok)
        key = (trig.event, tuple(sorted(actor)), tuple(sorted(recipient)), sent.start)
        if key in seen_keys and not (apart and _set_apart(events[seen_keys[key]], places, date)):
            again.setdefault(seen_keys[key], []).append(mention_of(trig))
            if compared:
                by_dates.add(seen_keys[key])
            continue
        seen_keys[key] = len(events)
        if source is not None:
            carried[source] = len(events)
        groups = _split_recipients(recipient, ctx) if EVENT_TYPES[trig.event].quad == 4 else [recipient]
        etype = EVENT_TYPES[trig.event]
        confidence = float(getattr(trig, "confidence", 0.5))
        confidence *= 1.0 if actor else 0.7
        if compared:
            by_dates.update(range(len(events), len(events) + len(groups)))
        for group in groups:
            events.append(Event(
            id="",
            event=trig.event,
            mode=trig.mode,
            context=tuple(getattr(trig, "context", ()) or ()),
            actor=tuple(actor),
            recipient=tuple(group),
            places=(_places_for(group, groups, places, ctx, (sent.start_char, sent.end_char))
                        if len(groups) > 1 else places),
                date=replace(date, time=dated_as if dated_as != modality.time else None),
                modality=modality,
                attribution=attribution,
                trigger=Mention(trig.start, trig.end, text_of(doc)[trig.start:trig.end]),
                sentence=Offsets(sent.start_char, sent.end_char),
                quad=etype.quad,
                intensity=intensity_of(trig.event, trig.mode),
                confidence=round(min(1.0, confidence), 3),
            ))
    unknown: list[Entity] = []
    numbered: list[Event] = []
    next_id = len(ctx.actors.entities) + 1
    states: dict[str, str] = {}
    for k, more in again.items():
        ev = events[k]
        events[k] = replace(ev, mentions=tuple(sorted(set((ev.trigger, *more)), key=lambda m: (m.start, m.end))))
    for n, e in enumerate(events, 1):
        if n - 1 in by_dates:
            e = replace(e, date=replace(e.date, compared=True))
        for r in e.recipient:
            if r.startswith(_STATE) and r not in states:
                iso = r[len(_STATE):]
                existing = next((x.id for x in ctx.actors.entities if x.kind == "state" and x.country == iso), None)
                if existing is None:
                    entry = ctx.kb.state_of(iso) if ctx.kb is not None else None
                    ent = Entity(id=f"e{next_id}", name=entry.name if entry else iso, kind="state", country=iso,
                                 sector="GOV", kb_id=entry.id if entry else None,
                                 mentions=_place_mentions(ctx, iso, e))
                    next_id += 1
                    unknown.append(ent)
                    existing = ent.id
                states[r] = existing
        if any(r in states for r in e.recipient):
            mapped = tuple(dict.fromkeys(states.get(r, r) for r in e.recipient))
            e = replace(e, recipient=tuple(r for r in mapped if r not in e.actor))
        if _UNKNOWN in e.actor:
            ent = Entity(id=f"e{next_id}", name="unidentified perpetrator", kind="unknown", sector="UAF",
                         mentions=(e.trigger,))
            next_id += 1
            unknown.append(ent)
            e = replace(e, actor=tuple(ent.id if a == _UNKNOWN else a for a in e.actor))
        numbered.append(replace(e, id=f"ev{n}"))
    return tuple(numbered), tuple(unknown)


_UNKNOWN = "__unknown__"
_STATE = "__state__:"
LOCATIVE_TARGET_PREPS = {"to", "into", "in", "from", "on", "throughout", "across", "at", "near", "outside",
                         "inside", "around", "of"}
# Events that, with no one named as their target, are aimed at the actor's own state: protests,
# strikes and riots at home, concessions and repression by a government of its own people.
DOMESTIC_TYPES = {"PROTEST", "CONCEDE", "COERCE"}


def _place_recipient(tok: Token, ctx: EventContext) -> str | None:
    """The state where an event lands when no actor receives it: "evacuate settlements in the
    Gaza Strip", "sent personnel to Bosnia", "demonstrated in the northern city of Kirkuk"."""
    doc = tok.doc
    heads = {tok.i} | {c.i for c in tok.children if c.dep_ in {"dobj", "xcomp", "prt"}}
    for c in tok.children:
        if c.dep_ == "dobj":
            heads |= {t.i for t in c.subtree}
        if c.dep_ == "xcomp":  # "refused to deploy peacekeepers in Iraq"
            heads |= {t.i for o in c.children if o.dep_ == "dobj" for t in o.subtree}
        if c.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
            # the purpose of an act says where it lands: "gave 50 million euros to promote
            # development in Ethiopia"
            heads |= {t.i for t in c.subtree}
    if tok.dep_ in {"nsubj", "nsubjpass", "dobj", "xcomp", "advcl"}:
        heads.add(tok.head.i)  # "the deployment ... arrived in Bosnia", "sent staff to Bosnia to investigate"
    sent = sent_of(tok)
    for p in ctx.places:
        if not p.country or p.country in {"IGO", "NGO"}:
            continue
        for m in p.mentions:
            span = expanded_span(doc, m.start, m.end)
            if span is None or not (sent.start <= span.start < sent.end):
                continue
            cur = span.root
            for _ in range(5):
                if cur.dep_ in {"appos", "compound", "conj", "poss"}:
                    cur = cur.head
                    continue
                if cur.dep_ == "pobj" and cur.head.lower_ in LOCATIVE_TARGET_PREPS:
                    governor = cur.head.head
                    if governor.i in heads:
                        return _STATE + p.country
                    if governor.pos_ in {"NOUN", "PROPN"}:
                        cur = governor  # "at this jail in northern Israel", "the city of Kirkuk"
                        continue
                break
    return None


def _place_mentions(ctx: EventContext, iso: str, ev: Event) -> tuple[Mention, ...]:
    for p in ctx.places:
        if p.country == iso:
            inside = [m for m in p.mentions if ev.sentence.start <= m.start < ev.sentence.end]
            if inside:
                return (inside[0],)
    return (ev.trigger,)


def _split_recipients(recipient: list[str], ctx: EventContext) -> list[list[str]]:
    """Fighting with two named armed groups in two places is two events, one per dyad."""
    named = [r for r in recipient if (ctx.actors.entity(r) or Entity("", "", "state")).kind
             in {"armed_group", "coalition", "party", "organisation", "military"}]
    if len(named) < 2 or len(named) != len(recipient):
        return [recipient]
    return [[r] for r in recipient]


def _places_for(group: list[str], groups: list[list[str]], places: tuple[str, ...],
                ctx: EventContext, sent: tuple[int, int]) -> tuple[str, ...]:
    """The places named right after each recipient ("Hamas in Gaza and Hezbollah in Lebanon")."""
    def first_mention(eid: str) -> int:
        ent = ctx.actors.entity(eid)
        starts = [m.start for m in ent.mentions if sent[0] <= m.start < sent[1]] if ent else []
        return min(starts, default=0)

    start = first_mention(group[0])
    following = [first_mention(g[0]) for g in groups if first_mention(g[0]) > start]
    end = min(following) if following else 10**9
    out = []
    for pid in places:
        place = next((p for p in ctx.places if p.id == pid), None)
        if place is not None and any(start < m.start < end for m in place.mentions):
            out.append(pid)
    return tuple(out)


def _cooperative(event_type: str) -> bool:
    return EVENT_TYPES[event_type].quad in (1, 2)


def _same_happening(tok: Token, event_type: str, events: Sequence[Event],
                    again: dict[int, list[Mention]]) -> int | None:
    """The event already coded that a verb only tells more of, by its index: a verb coordinated
    with it under the same subject and of its type ("attacks killed 35 and injured scores"), an
    infinitive of purpose or a "by" phrase of means of its type, or both cooperative ("conducted a
    strike to target fighters", "sent fighters to support Assad", "supports the SDF by providing air
    cover"), or a participle naming the people it befell ("all those wounded")."""
    if not events or tok.pos_ not in {"VERB", "AUX"} and not tok.tag_.startswith("VB"):
        return None
    doc = tok.doc

    def host_at(i: int) -> int | None:
        for k in range(len(events) - 1, -1, -1):
            e = events[k]
            for m in (e.trigger, *again.get(k, ())):
                if m.start <= doc[i].idx < m.end:
                    return k
        return None

    own_subject = any(c.dep_ in {"nsubj", "nsubjpass", "csubj"} for c in tok.children)
    marks = {c.lower_ for c in tok.children if c.dep_ == "mark"}
    k: int | None = None
    if tok.dep_ == "conj" and not own_subject:
        k = host_at(tok.head.i)
        return k if k is not None and events[k].event == event_type else None
    subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if subject is not None:
        # "a series of U.S. airstrikes killed more than 20 militants": the strikes did the killing
        # ("a series of airstrikes", "a wave of attacks": the happening is what the series is of;
        # "the missiles fired by the army struck a depot": the firing)
        for head in [subject, *[p for c in subject.children if c.dep_ == "prep" and c.lower_ == "of"
                                for p in c.children if p.dep_ == "pobj"],
                     *[c for c in subject.children if c.dep_ == "acl"]]:
            k = host_at(head.i)
            if k is not None:
                return k if events[k].event == event_type else None
        return None
    purpose = tok.dep_ in {"advcl", "xcomp"} and not own_subject and not marks - {"in", "order"} and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
    if purpose:
        k = host_at(tok.head.i)
    elif tok.dep_ == "pcomp" and tok.head.lower_ == "by" and tok.head.dep_ == "prep":
        k = host_at(tok.head.head.i)
    elif tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.pos_ in {"PRON", "DET"} and not any(
            c.dep_ == "agent" for c in tok.children):
        return next((j for j in range(len(events) - 1, -1, -1) if events[j].event == event_type), None)
    if k is not None and (events[k].event == event_type or (
            _cooperative(events[k].event) and _cooperative(event_type))):
        return k  # a hostile purpose may be a further act ("deployed troops to repel incursions")
    return None


# Fights between two sides: "a gun battle with police", "clashes with the rebels".
FIGHT_NOUNS = {"battle", "gunbattle", "firefight", "clash", "confrontation", "skirmish", "shootout",
               "gunfight", "fight", "fighting", "exchange", "encounter", "standoff"}


def _carried_attacker(tok: Token, actors: ActorIndex, assault_heads: set[int]) -> tuple[list[str], int | None]:
    """Who killed, when the killing names no killer but the attack it belongs to does: "two were
    killed when IS launched an attack", "killed in IS attacks", "attacks claimed by IS killed
    35". Returns the attackers and the attack's head."""
    related = [c for c in tok.children if c.dep_ == "advcl" and any(
        m.lower_ in {"when", "as", "while"} for m in _m_children(c))]
    if tok.dep_ == "advcl" and any(m.lower_ in {"when", "as", "while"} for m in _m_children(tok)):
        related.append(tok.head)
    related += [p for c in tok.children if c.dep_ == "prep" and c.lower_ in {"in", "during"}
                for p in c.children if p.dep_ == "pobj"]
    related += [c for c in tok.children if c.dep_ == "nsubj"]
    for r in related:
        heads = [r, *[c for c in r.children if c.dep_ == "dobj"]]
        attack = next((h for h in heads if h.i in assault_heads and h.i != tok.i), None)
        if attack is None and r.lemma_.lower() in FIGHT_NOUNS and r.head.lower_ in {"in", "during"}:
            # "was killed in a gun battle with police", "died in clashes with the rebels": in a
            # fight, whoever fell was killed by the other side
            others = [e for c in r.children if c.dep_ == "prep" and c.lower_ in {"with", "against"}
                      for q in c.children if q.dep_ == "pobj" for e in _entities_of(q, actors)]
            if others:
                return others, None
        if attack is None:
            continue
        actor, _recipient = _arguments(attack, actors, attack.pos_ in {"NOUN", "PROPN"}, "ASSAULT")
        if actor:
            return actor, attack.i
    return [], None


# Taking ground: only a campaign's forces liberate, retake or capture a place, and a text that names
# them once tells the later steps in the passive or as a noun ("the university was liberated",
# "the liberation of Raqqa", "retaking the area was a victory").
CONQUEST_LEMMAS = {"liberate", "liberation", "retake", "retaking", "recapture", "capture", "regain",
                   "reclaim", "recover", "defeat", "clear"}


def _referred_attacker(tok: Token, events: Sequence[Event], again: dict[int, list[Mention]]) -> list[str]:
    """The attackers of an earlier attack that a definite subject names again: "the coalition conducted
    five airstrikes ... These strikes engaged three units", "The airstrikes have destroyed 967 vehicles"."""
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.pos_ != "NOUN" or not any(
            c.dep_ == "det" and c.lower_ in {"the", "these", "those", "this", "that", "such"} for c in subj.children):
        return []
    lemma = subj.lemma_.lower()
    for k in range(len(events) - 1, -1, -1):
        e = events[k]
        if e.event != "ASSAULT" or not e.actor or _UNKNOWN in e.actor:
            continue
        if any(lemma in m.text.lower() for m in (e.trigger, *again.get(k, ()))):
            return list(e.actor)
    return []


def _campaign_parties(events: Sequence[Event], recipient: list[str]) -> tuple[list[str], list[str]]:
    """The parties of the campaign an article has already told of: the actor of the latest attack
    coded before with a named actor, and its target when the step names none. Nothing when that
    actor is the one this step is aimed at."""
    for e in reversed(events):
        if e.event != "ASSAULT" or not e.actor or _UNKNOWN in e.actor:
            continue
        if set(e.actor) & set(recipient):
            return [], recipient
        return list(e.actor), recipient or [r for r in e.recipient if r not in e.actor]
    return [], recipient


AUTHORITY_SECTORS = {"COP", "GOV", "JUD", "SPY"}


def _agentless_passive(tok: Token) -> bool:
    """Whether an event word is, or is governed by, a passive that names no agent: "six were
    arrested", "was charged with treason", "were arrested on charges of ..."."""
    verb = tok if tok.pos_ in {"VERB", "AUX"} else _clause_verb(tok.head) if tok.dep_ in {"pobj", "dobj"} else None
    if verb is None:
        return False
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children) and not any(
        c.dep_ == "agent" for c in verb.children)


def _reporting_authority(tok: Token, attribution: Attribution | None, actors: ActorIndex) -> list[str]:
    """Who made an arrest or a charge that the text tells in the passive: the authority that reports
    it ("six protesters were arrested, police said", "10 people had been arrested, the Interior
    Ministry said"). Arrests, charges and indictments are acts of the state's police, prosecutors
    and courts, and they announce their own; a report by anyone else leaves the agent unknown."""
    if attribution is None or attribution.speaker is None or not _agentless_passive(tok):
        return []
    speaker = actors.entity(attribution.speaker)
    if speaker is None or speaker.sector not in AUTHORITY_SECTORS or speaker.kind in {"person", "state"}:
        return []  # a state named as the source is mostly a reading of "Canadian Press", "Iraqi sources"
    return [speaker.id]


def _m_children(verb: Token) -> list[Token]:
    """A clause's subordinating words ("when", "as")."""
    return [c for c in verb.children if c.dep_ in {"mark", "advmod"}]


def _trigger_head(doc: Doc, trig: Any) -> int:
    """The syntactic head of a trigger's words ("drone attacks" -> "attacks")."""
    span = expanded_span(doc, trig.start, trig.end)
    if span is not None and len(span) > 1:
        root = span.root
        if root.pos_ in {"NOUN", "VERB", "PROPN", "ADJ"}:
            return root.i
    return _trigger_index(trig)


def _trigger_head_of_event(doc: Doc, ev: Event) -> int | None:
    span = expanded_span(doc, ev.trigger.start, ev.trigger.end)
    return span.root.i if span is not None else None


ACCUSING = {"accuse", "blame", "charge", "suspect", "condemn", "criticise", "criticize", "allege"}
DENYING = {"deny", "refute", "dismiss"}


def _accused(tok: Token, actors: ActorIndex) -> tuple[list[str], list[str]] | None:
    """(accuser, accused) when tok is what someone is accused of: "accusing them of helping"."""
    cur = tok
    for _ in range(4):
        head = cur.head
        if head.i == cur.i:
            return None
        verb = head.head
        if verb.dep_ in {"dobj", "nsubjpass"} and head.dep_ == "prep" and verb.head.lemma_.lower() in ACCUSING:
            verb = verb.head  # "accused the coalition of killing": the parser hangs "of" on the accused
        if cur.dep_ in {"pcomp", "pobj"} and head.lower_ in {"of", "for"} and verb.lemma_.lower() in ACCUSING:
            obj = next((c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}), None)
            if obj is None:
                return None
            accused = _entities_of(obj, actors)
            accuser, _p = _subject_entities(verb, actors)
            return (accuser, accused) if accused else None
        cur = head
    return None


def _denied(tok: Token) -> bool:
    """"The army denied carrying out any air strikes": the event is denied."""
    for anc in list(_ancestors(tok, 2)):
        if anc.lemma_.lower() in DENYING:
            return True
    return False


EXPELLED = {"diplomat", "ambassador", "envoy", "attache", "attaché", "consul", "staff", "journalist",
            "correspondent", "official", "representative", "charge"}
LEAVE = {"leave", "depart", "quit", "go", "exit"}


def _reframe(tok: Token, trig: Any) -> Any:
    """An order that someone's diplomats leave the country is an expulsion, not a request."""
    if trig.event == "REQUEST" and tok.lemma_.lower() in {"order", "give", "tell", "instruct"}:
        obj = next((c for c in tok.children if c.dep_ in {"dobj", "dative"}), None)
        comp = next((c for c in tok.children if c.dep_ in {"xcomp", "ccomp"}), None)
        if obj is not None and comp is not None and obj.lemma_.lower() in EXPELLED and comp.lemma_.lower() in LEAVE:
            return replace(trig, event="SANCTION", mode="expel", context=tuple(
                dict.fromkeys((*trig.context, "diplomatic"))))
    return trig


VENUE_NOUNS = {"conference", "briefing", "meeting", "interview", "summit", "session", "statement"}


def _text_voice(tok: Token, events: Sequence[Event]) -> list[str]:
    """Whose voice an unattributed judgement is said in: the actor whose own words, unattributed, the
    text gave just before it (this sentence or the two before): "We also call for an end to the
    attacks. These actions demonstrate a disregard for the truce" (a statement speaking for its author)."""
    first = sent_of(tok)
    for _ in range(2):  # back two sentences
        if first.start == 0:
            break
        first = sent_of(tok.doc[first.start - 1])
    window = first.start_char
    for e in reversed(events):
        if e.sentence is None or e.sentence.start < window:
            break
        if e.event in VERBAL_TYPES and e.attribution is None and e.actor and _UNKNOWN not in e.actor:
            return list(e.actor)
    return []


def _judged(tok: Token, actors: ActorIndex) -> list[str]:
    """Who a word of judgement is said of: the subject of its copula ("Assad's war is a sham"), or
    the owner of the quality a verb shows ("their disregard", "the barbarity of the regime"), else
    the one whose acts show it."""
    if tok.dep_ in {"acomp", "attr"}:
        subject = next((c for c in tok.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        return _entities_of(subject, actors) if subject is not None else []
    owners = [e for c in tok.children if c.dep_ == "poss" for e in _entities_of(c, actors)]
    owners += [e for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
               for p in c.children if p.dep_ == "pobj" for e in _entities_of(p, actors)]
    if owners:
        return list(dict.fromkeys(owners))
    subject = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
    return _entities_of(subject, actors) if subject is not None else []


def _referenced_not_stated(tok: Token) -> bool:
    """Event nouns that are talked about rather than stated: "called the agreement a milestone",
    "told a news conference", "said in an interview"."""
    head = tok.head
    if tok.dep_ in {"dobj", "nsubjpass"} and head.lemma_.lower() in {"call", "describe", "hail", "dismiss",
                                                                       "brand", "label", "term"}:
        return True
    if tok.lemma_.lower() in VENUE_NOUNS and not (tok.dep_ == "pobj" and head.lower_ in SEQUENCE_PREPS):
        # "said at a meeting" names where it was said; "speaking after a meeting with X" states the meeting
        cur = head
        for _ in range(2):
            if cur.lemma_.lower() in REPORTING_LEMMAS:
                return True
            cur = cur.head
    return False


# prepositions that order one happening after or before another (not where something was said)
SEQUENCE_PREPS = {"after", "before", "following", "since"}

# nouns of the adjuncts "in support of", "in solidarity with": the purpose of another act
PURPOSE_NOUNS = {"support", "solidarity", "favour", "favor", "defence", "defense", "honour", "honor"}


def _not_an_event(tok: Token) -> bool:
    """Words that name an event without stating one: "ceasefire monitoring committee",
    "without giving details", "who asked not to be named"."""
    if tok.dep_ in {"compound", "amod", "nmod"} and tok.head.pos_ in {"NOUN", "PROPN"} and tok.pos_ == "NOUN":
        return True
    if (tok.dep_ == "pobj" and tok.head.lower_ == "in" and tok.lemma_.lower() in PURPOSE_NOUNS
            and not any(c.dep_ in {"det", "poss"} for c in tok.children)):
        return True  # "strikes in support of the ground forces": what they are for ("in its support of": backing)
    for anc in [tok, *list(_ancestors(tok, 2))]:
        if any(c.lower_ == "without" for c in anc.children if c.dep_ in {"prep", "mark"}) or (
                anc.dep_ in {"pcomp", "pobj"} and anc.head.lower_ == "without"):
            return True
    sent = sent_of(tok)
    if tok.lemma_.lower() in {"ask", "request", "demand", "decline", "refuse"} and ANONYMOUS_MARKERS.search(
            text_of(tok.doc)[tok.idx: sent.end_char]):
        return True  # "who asked not to be named", "declined to be named": about the source, not an event
    return False


def _under_non_event(tok: Token) -> bool:
    """Whether tok is what is avoided, prevented or prohibited; a conjunct of such a word is not
    ("would prohibit aid and would deny entry": the denial happens)."""
    prev = tok
    for anc in list(_ancestors(tok, 3)):
        via_conj, prev = prev.dep_ == "conj", anc
        if anc.lemma_.lower() in NON_EVENT_GOVERNORS and not via_conj:
            return True
        if anc.lemma_.lower() in REPORTING_LEMMAS:
            return False
    return False


_AWAITING_AUX = {"will", "would", "shall", "'ll", "wo", "must", "should", "can", "could", "may", "might"}


def _awaited(tok: Token) -> bool:
    """An "until" clause under a future, negated or obligatory clause names a condition still awaited,
    not an event: "we will keep up the pressure until it frees the hostages", "they will not end the
    strike until the permits are corrected". Under a past clause it happened ("fighting went on until
    the army withdrew")."""
    cur = tok
    while cur.dep_ == "conj" and cur.head.i != cur.i:
        cur = cur.head
    if cur.dep_ != "advcl" or not any(m.lower_ in {"until", "till"} for m in cur.children if m.dep_ == "mark"):
        return False
    main = cur.head
    for verb in (main, *_ancestors(main, 2)):
        deps = [c for c in verb.children if c.dep_ in {"aux", "neg"}]
        if any(c.dep_ == "neg" or c.lower_ in _AWAITING_AUX for c in deps):
            return True
        if verb.dep_ not in {"xcomp", "conj"}:
            break
    return main.tag_ in {"VB", "VBZ", "VBP"} and not any(c.dep_ == "aux" for c in main.children)


def _condition_subject(tok: Token, actors: ActorIndex, exclude: Sequence[str]) -> list[str]:
    """The recipient of a threat is whoever must meet its condition: "... if the militias continue"."""
    for t in sent_of(tok):
        if t.lower_ in {"if", "unless"} and t.dep_ == "mark":
            verb = t.head
            subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subj is not None:
                return [e for e in _entities_of(subj, actors) if e not in exclude]
    return []


def _trigger_index(trig: Any) -> int:
    for name in ("token", "i", "head_i"):
        value = getattr(trig, name, None)
        if isinstance(value, int):
            return value
    raise AttributeError("trigger has no token index")
