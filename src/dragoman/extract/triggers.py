"""Find PLOVER event triggers in a parsed sentence and classify them by type, mode and context."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from dragoman.extract.triggers_lexicon import REPORTING_LEMMAS, Entry, Lexicon, LexiconError
from dragoman.plover import EVENT_TYPES, intent_reading

from .sentences import text_of

__all__ = ["Lexicon", "LexiconError", "REPORTING_LEMMAS", "Trigger", "find_triggers", "sentence_event"]

_COOPERATIVE = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
_MATERIAL_CONFLICT = frozenset({"PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"})
_FUTURE_AUX = frozenset({"will", "would", "shall", "'ll", "wo"})
_DEONTIC = frozenset({"must", "should"})
_CLAUSE_DEPS = frozenset({"xcomp", "ccomp"})
_SUBORDINATE_DEPS = frozenset({"advcl", "acl", "relcl", "pcomp", "npadvmod"})
_BACKGROUND = frozenset({"after", "before", "as", "since", "while", "when", "until", "because", "following"})
_DATE_LABELS = frozenset({"DATE", "TIME"})
# Named-entity labels as argument kinds of the lexicon's senses.
_ENT_KINDS = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "group",
              "NORP": "group", "DATE": "date", "TIME": "date"}
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "they", "them", "i", "me", "we", "us", "you", "who",
                              "his", "their", "my", "our", "your"})
# words that open a question: "asked whether ...", "asked what happened"
_QUESTION_WORDS = frozenset({"if", "whether", "what", "who", "whom", "why", "how", "when", "where", "which"})
_PARTICLES = frozenset({"back", "out", "off", "down", "up", "over", "away"})
_TOPIC_PREPS = frozenset({"on", "over", "about", "for", "toward", "towards"})
_NOMINAL_COMP_PREPS = frozenset({"of", "for", "to", "against", "on", "with", "into", "from"})


@dataclass(frozen=True, slots=True)
class Trigger:
    """One event a sentence states: where its trigger is and how it is classified."""

    token: int
    start: int
    end: int
    text: str
    event: str
    mode: str | None
    context: tuple[str, ...]
    confidence: float
    nominal: bool
    alternatives: tuple[tuple[str, float], ...] = ()
    # "undergo": the subject undergoes the event, a "from"/"by" phrase names its actor;
    # "deontic": the speaker asks for the event of the clause's subject ("it is vital that X ...");
    # "judgement": the speaker praises or condemns what the word is said of ("the move is welcome");
    # "denial": the speaker denies a part of its own ("it was not responsible")
    frame: str = ""


@dataclass(slots=True)
class _Cand:
    head: int
    first: int
    last: int
    entry: Entry
    nominal: bool
    alternatives: list[tuple[str, float]]
    carrier: int | None = None  # the light verb that states a nominal event ("held talks")
    frame: str = ""
    phrase: bool = False  # matched as a multi-word entry, which is more specific than any sense
    sensed: bool = False  # its reading was chosen by its arguments (a sense rule)
    agentive: bool = False  # a doer's noun said of someone ("X is the biggest donor")


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _is_verb(tok: Token) -> bool:
    return tok.pos_ == "VERB" or (tok.tag_.startswith("VB") and tok.pos_ != "AUX")


def _children(tok: Token, deps: Iterable[str]) -> list[Token]:
    wanted = set(deps)
    return [c for c in tok.children if c.dep_ in wanted]


def _phrase_from_parse(tok: Token, lex: Lexicon) -> tuple[Entry, list[int]] | None:
    """A verb phrase matched through the parse: particle, preposition, object (longest first)."""
    lem = _lemma(tok)
    # spaCy often reads a particle as an adverb: "pull its soldiers back"
    prts = _children(tok, ("prt",)) + [a for a in _children(tok, ("advmod",)) if _lemma(a) in _PARTICLES]
    # "fired aides on Tuesday": a preposition dating the clause belongs to no verb phrase
    preps = [p for p in _children(tok, ("prep", "agent", "dative"))
             if not any(po.ent_type_ in _DATE_LABELS for po in _children(p, ("pobj",)))]
    objs = _children(tok, ("dobj", "attr", "oprd", "nsubjpass"))
    keys: list[tuple[list[str], list[int]]] = []
    for p in prts:
        for o in objs:
            keys.append(([lem, _lemma(p), _lemma(o)], [p.i, o.i]))
        for pr in preps:
            keys.append(([lem, _lemma(p), _lemma(pr)], [p.i, pr.i]))
    for o in objs:
        for pr in _children(o, ("prep",)) + preps:
            for po in _children(pr, ("pobj",)):
                keys.append(([lem, _lemma(o), _lemma(pr), _lemma(po)], [o.i, pr.i, po.i]))
            keys.append(([lem, _lemma(o), _lemma(pr)], [o.i, pr.i]))
    for pr in preps:
        for po in _children(pr, ("pobj",)):
            keys.append(([lem, _lemma(pr), _lemma(po)], [pr.i, po.i]))
    for p in prts:
        keys.append(([lem, _lemma(p)], [p.i]))
    for o in objs:
        keys.append(([lem, _lemma(o)], [o.i]))
    for pr in preps:
        keys.append(([lem, _lemma(pr)], [pr.i]))
    for xc in _children(tok, ("xcomp",)):
        # "threatened to expel": fixed verb pairs listed as "threaten to expel".
        keys.append(([lem, "to", _lemma(xc)], [xc.i]))
    keys.sort(key=lambda k: -len(k[0]))
    for words, idx in keys:
        entry = lex.phrases.get(" ".join(words))
        if entry is not None:
            return entry, [tok.i, *idx]
    return None


def _contiguous_phrases(sent: Span, lex: Lexicon) -> list[tuple[int, int, Entry]]:
    """Noun compounds and fixed expressions matched as contiguous lemmas ("hunger strike")."""
    lemmas = [_lemma(t) for t in sent]
    heads = lex.phrase_heads  # a lemma with a space in it (a whitespace token) is not checked
    can_start = [lem in heads or " " in lem for lem in lemmas]
    found: list[tuple[int, int, Entry]] = []
    taken: set[int] = set()
    for n in range(lex.max_phrase, 1, -1):
        for s in range(0, len(lemmas) - n + 1):
            if not can_start[s] or any(s + k in taken for k in range(n)):
                continue
            entry = lex.phrases.get(" ".join(lemmas[s : s + n]))
            if entry is not None:
                found.append((sent.start + s, sent.start + s + n - 1, entry))
                taken.update(range(s, s + n))
    return found


def _span_head(sent: Span, first: int, last: int) -> int:
    doc = sent.doc
    for i in range(first, last + 1):
        h = doc[i].head.i
        if h < first or h > last or h == i:
            return i
    return last


def _candidates(sent: Span, lex: Lexicon) -> dict[int, _Cand]:
    doc = sent.doc
    cands: dict[int, _Cand] = {}
    covered: set[int] = set()
    for first, last, entry in _contiguous_phrases(sent, lex):
        head = _span_head(sent, first, last)
        nominal = not _is_verb(doc[head])
        if not nominal:
            # "handed over its weapons": the parse can see a longer phrase than the adjacent words.
            parsed = _phrase_from_parse(doc[head], lex)
            if parsed is not None and len(parsed[1]) > last - first + 1:
                entry, idx = parsed
                first, last = min(idx), max(idx)
                covered.update(idx)
        cands[head] = _Cand(head, first, last, entry, nominal, [], phrase=True)
        covered.update(range(first, last + 1))
    for tok in sent:
        if tok.i in covered or tok.is_punct or tok.ent_type_ in _DATE_LABELS:
            continue  # "March 3", "the May 2 attack": a month or day name is part of a date
        lem = _lemma(tok)
        if _is_verb(tok):
            if tok.dep_ in ("amod", "compound", "prep"):
                # "Iranian-backed", "rebel-held": descriptions, not events; "given its symbolism",
                # "following the talks": a participle working as a preposition
                continue
            if lem in lex.reporting and not _children(tok, ("dobj",)) and lem not in lex.senses:
                continue  # a reporting verb with senses ("spoke with the minister") is read by them
            if lem in lex.statives and tok.dep_ in ("relcl", "acl"):
                continue  # "militants, who once controlled the province": who they are, not an event
            match = _phrase_from_parse(tok, lex)
            if match is not None:
                entry, idx = match
                cands[tok.i] = _Cand(tok.i, min(idx), max(idx), entry, False, [], phrase=True)
                covered.update(i for i in idx if i != tok.i)
            elif lem in lex.verbs and (lem not in lex.reporting or lem in lex.senses):
                cands[tok.i] = _Cand(tok.i, tok.i, tok.i, lex.verbs[lem], False, [])
        elif tok.i >= sent.start + 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ in ("anti", "pro"):
            continue  # "anti-war protesters", "pro-sanctions lawmakers": a stance, not an event
        elif tok.pos_ in ("NOUN", "PROPN") or (tok.pos_ == "ADJ" and lem in lex.nouns):
            if tok.dep_ == "nsubj" and _lemma(tok.head) in lex.reporting:
                continue  # "the release said", "the report noted": a source, not an event
            if tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.lower_ == "according":
                continue  # "according to the release": a source too
            if tok.dep_ in ("compound", "amod") and lex.kinds_of(_lemma(tok.head)) & _KIT_KINDS:
                continue  # "assault rifles", "attack helicopters", "counter-attack brigades": a kind of kit or unit
            if lem in lex.nouns:
                cands[tok.i] = _Cand(tok.i, tok.i, tok.i, lex.nouns[lem], True, [])
            elif lem in lex.agent_nouns and tok.dep_ == "attr" and _lemma(tok.head) in _COPULAS | {"become"}:
                # "the EU is the biggest aid donor in Syria": who is said to be the doer does it
                cands[tok.i] = _Cand(tok.i, tok.i, tok.i, lex.agent_nouns[lem], True, [], agentive=True)
            elif lem in lex.confinement and _held_in(tok, lex):
                # the one held undergoes it; who holds is the place's modifier ("a U.S. prison")
                cands[tok.i] = _Cand(tok.i, tok.i, tok.i, _HELD, True, [], frame="undergo")
    return cands


# governor roles that judge their complement, by the type the judgement is
_JUDGING_ROLES = {"support": "SUPPORT", "accuse": "ACCUSE"}
_KIT_KINDS = frozenset({"weapon", "vehicle", "armed", "troops"})
_HELD = Entry("COERCE", "arrest", ("legal",), 0.5)


def _held_in(tok: Token, lex: Lexicon) -> bool:
    """A place of confinement that a copula puts its subject in: "is in a U.S. prison", "remains
    in custody", "spent years behind bars" (not "a visit to the prison", "the prison's director")."""
    prep = tok.head
    return (tok.dep_ == "pobj" and prep.lower_ in ("in", "behind") and prep.head.i != prep.i
            and _lemma(prep.head) in lex.confinement_verbs)


def _labels(tok: Token, lex: Lexicon) -> frozenset[str]:
    """What an argument is, as the senses of the lexicon name it: its lemma and its kinds; a clause
    also by the words that open it ("whether", "what")."""
    lem = _lemma(tok)
    out = {lem, "any", *lex.kinds_of(lem)}  # "any": the role is filled at all
    if tok.dep_ in _CLAUSE_DEPS or tok.dep_ == "advcl":
        out.update(c.lower_ for c in tok.children if c.lower_ in _QUESTION_WORDS and c.i < tok.i)
    if tok.ent_type_ in _ENT_KINDS:
        out.add(_ENT_KINDS[tok.ent_type_])
    if tok.ent_type_ == "PERSON":
        out.add("named_person")  # "spoke with Lavrov", not "spoke with members"
    if tok.lower_ in _PERSON_PRONOUNS:
        out.add("person")
    return frozenset(out)


def _fillers(toks: list[Token], lex: Lexicon) -> list[Token]:
    """The words that fill a role: each token, its conjuncts, and what a partitive takes a part of
    ("most of the town", "the city's eastern half", "15 percent of the city" are the town, the city)."""
    out = toks + [cc for t in toks for cc in t.conjuncts]
    for t in list(out):
        part = t
        for _ in range(3):
            if _lemma(part) not in lex.partitives:
                break
            whole = [po for pr in _children(part, ("prep",)) if pr.lower_ == "of" for po in _children(pr, ("pobj",))]
            whole += _children(part, ("poss",))
            out.extend(whole)
            if not whole:
                break
            part = whole[0]
    return out


def _sense_arguments(tok: Token, c: _Cand, lex: Lexicon) -> dict[str, list[Token]]:
    """The tokens filling each role a sense can be conditioned on, for a verb or an event noun."""
    doc = tok.doc
    preps = _children(tok, ("prep", "agent"))
    oblique = [po for pr in preps for po in _children(pr, ("pobj",))]
    if _is_verb(tok):
        subject = _children(tok, ("nsubj",)) + [
            po for a in _children(tok, ("agent",)) for po in _children(a, ("pobj",))]
        if not subject and tok.dep_ in ("conj", "xcomp") and tok.head.i != tok.i:
            subject = _children(tok.head, ("nsubj",))
        objects = _children(tok, ("dobj", "nsubjpass"))
        if tok.dep_ == "acl" and tok.tag_ == "VBN":
            objects.append(tok.head)  # "atrocities being committed by IS": the noun is what is done
        # "help the Syrian people rebuild": the subject of a bare or "to" clause is the verb's object
        objects += [sj for c in _children(tok, ("ccomp",)) if c.tag_ in ("VB", "VBP") and not _children(c, ("mark",))
                    for sj in _children(c, ("nsubj",))]
        args = {"subject": subject, "object": objects,
                "particle": _children(tok, ("prt", "advmod")) + [p for p in preps if not _children(p, ("pobj",))],
                "oblique": oblique}
    else:
        carrier = doc[c.carrier] if c.carrier is not None else (
            tok.head if tok.dep_ == "dobj" and _is_verb(tok.head) else None)
        subject = _children(tok, ("poss",)) + [
            po for pr in preps if pr.lower_ == "by" for po in _children(pr, ("pobj",))]
        if carrier is not None:
            subject += _children(carrier, ("nsubj",))
        # a participle describes its noun as an adjective would: "the threat posed by Da'esh"
        modifiers = _children(tok, ("compound", "amod", "nmod")) + [
            a for a in _children(tok, ("acl",)) if a.tag_ == "VBN"]
        args = {"subject": subject, "modifier": modifiers,
                "object": [po for pr in preps if pr.lower_ in ("of", "on", "against")
                           for po in _children(pr, ("pobj",))],
                "carrier": [carrier] if carrier is not None else [], "oblique": oblique}
    for pr in preps:
        # "dismissed the mayor as incompetent": an adjective may stand where the object would
        args.setdefault(pr.lower_, []).extend(_children(pr, ("pobj",)) or _children(pr, ("amod", "acomp", "pcomp")))
    # the clause a word takes ("asked whether ..."), by its verb and the words that open it (see _labels)
    args["clause"] = _children(tok, _CLAUSE_DEPS) + [
        a for a in _children(tok, ("advcl",)) if any(m.lower_ in _QUESTION_WORDS for m in _children(a, ("mark",)))]
    return {role: _fillers(toks, lex) for role, toks in args.items()}


def _senses(sent: Span, cands: dict[int, _Cand], lex: Lexicon) -> None:
    """Choose each word's reading by what its arguments are: "released prisoners" frees people,
    "released a statement" states nothing; "fired rockets" attacks, "fired aides" does not."""
    doc = sent.doc
    for i in list(cands):
        c = cands[i]
        tok = doc[i]
        rules = lex.senses.get(_lemma(tok))
        if not rules or c.phrase:
            continue
        pos = "verb" if _is_verb(tok) else "noun"
        args = _sense_arguments(tok, c, lex)
        labels = {role: [_labels(t, lex) for t in toks] for role, toks in args.items()}
        for rule in rules:
            if rule.pos not in (None, pos):
                continue
            if all(any(lab & wanted for lab in labels.get(role, ())) for role, wanted in rule.when):
                if rule.entry is None:
                    del cands[i]
                else:
                    c.entry = replace(rule.entry, contexts=tuple(dict.fromkeys(rule.entry.contexts + c.entry.contexts)))
                    c.frame = rule.frame or c.frame
                    c.sensed = True
                break


def _undergone(cands: dict[int, _Cand], sent: Span, lex: Lexicon) -> None:
    """"came under fire from X", "suffered attacks by X", "received fire from X": the event noun
    is the event, the verb's subject undergoes it, and the source named with from/by acts."""
    for tok in sent:
        if _lemma(tok) not in lex.undergo_verbs or not _is_verb(tok):
            continue
        nouns = [o.i for o in _children(tok, ("dobj",)) if o.i in cands and cands[o.i].nominal]
        nouns += [po.i for pr in _children(tok, ("prep",)) if pr.lower_ == "under"
                  for po in _children(pr, ("pobj",)) if po.i in cands and cands[po.i].nominal]
        if not nouns:
            continue
        cands.pop(tok.i, None)
        noun = cands[nouns[0]]
        noun.carrier, noun.frame = tok.i, "undergo"
        noun.first = min(noun.first, tok.i)
        noun.nominal = False


def _object_events(tok: Token, cands: dict[int, _Cand]) -> list[int]:
    """Event nouns that are the object of a verb, or a compound inside that object."""
    out: list[int] = []
    # a passive subject is what the verb acts on: "sanctions were lifted", "talks were held"
    objs = _children(tok, ("dobj", "attr", "oprd", "nsubjpass"))
    if not objs:
        # "engage in dialogue", "take part in talks"
        objs = [po for pr in _children(tok, ("prep",)) if pr.lower_ == "in"
                for po in _children(pr, ("pobj",))]
    # Partitives and quantities: "part of an aid programme", "a series of attacks".
    objs += [po for o in list(objs) for pr in _children(o, ("prep",)) if pr.lower_ == "of"
             for po in _children(pr, ("pobj",))]
    for o in objs:
        if o.i in cands and cands[o.i].nominal:
            out.append(o.i)
            continue
        for c in _children(o, ("compound", "nmod", "amod", "acl")):
            if c.i in cands:
                out.append(c.i)
    return out


def _clause_complements(tok: Token, lex: Lexicon) -> list[Token]:
    """The clauses a word takes as its complement: "to"/"that" clauses, a "for ... to" clause
    ("called for Trump to be banned") and, after the object of an object-control verb, its
    infinitive whatever label the parser gives it ("pressed the regime to end its attacks")."""
    heads = _children(tok, _CLAUSE_DEPS)
    for a in _children(tok, ("advcl",)):
        marks = {m.lower_ for m in _children(a, ("mark",))}
        infinitive = any(x.lower_ == "to" for x in _children(a, ("aux",)))
        controlled = _lemma(tok) in lex.object_control and any(
            o.i < a.i for o in _children(tok, ("dobj",)))
        if "for" in marks or (infinitive and controlled and not marks):
            heads.append(a)
    return heads


def _complement(
    tok: Token, cands: dict[int, _Cand], lex: Lexicon, nominal: bool, depth: int = 0, role: str = ""
) -> int | None:
    """The event a governor's complement states, looking through transparent and light verbs."""
    if depth > 3:
        return None
    heads = _clause_complements(tok, lex)
    if tok.pos_ == "NOUN":
        heads += _children(tok, ("acl",))  # "its demand that Israel ease restrictions"
    if tok.pos_ == "ADJ" or _lemma(tok) in lex.intent_adjectives:
        heads += _children(tok, ("xcomp", "prep"))
    for h in heads:
        for c in [h, *_children(h, ("conj",))]:
            if c.i in cands:
                return c.i
            if _lemma(c) in lex.transparent or _lemma(c) in lex.light_verbs or c.pos_ in ("ADJ", "AUX"):
                inner = _complement(c, cands, lex, True, depth + 1)
                if inner is not None:
                    return inner
    if nominal:
        objs = _object_events(tok, cands)
        if objs:
            return objs[0]
        for pr in _children(tok, ("prep",)):
            # "comply with demands", but not "urged X, with officials warning ...".
            # "supports Iraqi forces with air strikes": beside an object of its own, "with" names
            # the means, an act of its own, not what is backed
            if pr.lower_ in _NOMINAL_COMP_PREPS and (pr.lower_ != "with" or (
                    role in ("concede", "support") and not _children(tok, ("dobj",)))):
                for po in _children(pr, ("pobj",)):
                    if po.i in cands:
                        return po.i
                    for c in _children(po, ("compound", "nmod", "acl", "amod")):
                        if c.i in cands:
                            return c.i
    return None


def _role_result(role: str, comp: Entry, lex: Lexicon) -> tuple[str, str | None] | None:
    table = lex.roles.get(role, {})
    spec = table.get(comp.event, table.get("*"))
    if spec is None:
        return None
    event, _, mode = spec.partition("/")
    return event, _mode_for(event, mode or None, comp.event, lex)


def _mode_for(event: str, mode: str | None, comp_event: str | None, lex: Lexicon) -> str | None:
    if mode:
        return mode
    if comp_event is None:
        return None
    if event in ("REQUEST", "REJECT"):
        return lex.request_modes.get(comp_event, lex.request_modes.get("*"))
    if event == "THREATEN":
        return lex.threaten_modes.get(comp_event)
    return None


def _set(c: _Cand, event: str, mode: str | None, weight: float | None = None) -> None:
    old = c.entry
    if old.event != event:
        c.alternatives.append((old.event, round(old.weight * 0.6, 3)))
    keep_mode = mode if mode is not None else (old.mode if old.event == event else None)
    c.entry = Entry(event, keep_mode, old.contexts, weight if weight is not None else old.weight)


def _governors(sent: Span, cands: dict[int, _Cand], lex: Lexicon) -> None:
    """Let complement-taking words decide the event of their complements, suppressing those."""
    doc = sent.doc
    suppressed: set[int] = set()
    # innermost first: "urged Russia to press the regime to end its attacks" settles "end" before
    # "press" takes it as what it asks for, and "press" before "urged" does
    for tok in reversed(sent):
        lem = _lemma(tok)
        # a verb with its particle may govern on its own: "called off the strike"
        role = next((lex.governors[f"{lem} {_lemma(p)}"] for p in _children(tok, ("prt",))
                     if f"{lem} {_lemma(p)}" in lex.governors), lex.governors.get(lem))
        if role is None and lem in lex.desire and _is_verb(tok) and _wanted_of_another(tok):
            role = "request"  # "wants Trump banned", "wants the army to leave": asks it of another
        elif (role == "request" and lem in lex.transparent and _children(tok, ("xcomp",))
              and not _children(tok, ("dobj", "dative"))):
            cands.pop(tok.i, None)  # "seeking to advance" tries to advance; "seeks talks" asks for them
            continue
        if lem in lex.intent_adjectives and tok.pos_ == "ADJ":
            comp = _complement(tok, cands, lex, False)
            if comp is not None and comp not in suppressed:
                c = cands[comp]
                if c.entry.event in _MATERIAL_CONFLICT:
                    _set(c, "THREATEN", lex.threaten_modes.get(c.entry.event))
                elif c.entry.event in _COOPERATIVE and c.entry.event not in ("AGREE", "SUPPORT", "CONCEDE"):
                    # "willing to withdraw its troops": readiness to cooperate, not the act (PLOVER AGREE);
                    # "ready to forgive" is verbal backing and "willing to comply" a concession already
                    _set(c, "AGREE", None)
            continue
        if role is None or not (_is_verb(tok) or tok.pos_ == "NOUN"):
            continue
        if tok.pos_ == "NOUN" and tok.i not in cands:
            continue
        own_reading = cands.get(tok.i)
        if (role in _JUDGING_ROLES and own_reading is not None and own_reading.sensed
                and own_reading.entry.event != _JUDGING_ROLES[role]):
            continue  # "welcomed the leaders to the White House for a dinner" hosts them, it approves of nothing
        comp = _complement(tok, cands, lex, True, role=role)
        if comp is None or comp == tok.i or comp in suppressed:
            if tok.i in cands and role in ("request", "reject") and _children(tok, _CLAUSE_DEPS):
                c = cands[tok.i]
                c.entry = replace(c.entry, mode=c.entry.mode or lex.request_modes.get("*"))
            continue
        ce = cands[comp].entry
        result = _role_result(role, ce, lex)
        if result is None:
            continue
        event, mode = result
        if role == "reverse" and ce.event == "COERCE" and "military" in ce.contexts:
            event, mode = "RETREAT", "withdraw"  # lifting a siege or blockade is a military step back
        own = cands.get(tok.i)
        if own is not None and own.phrase and own.last > tok.i and own.entry.event != event:
            suppressed.add(comp)  # a fixed phrase with its object says more: "accepted an invitation"
            continue
        if own is not None and role == "concede" and own.entry.event == "RETREAT":
            suppressed.add(comp)  # "allowed the observers to enter": the entry is the access granted
            continue
        if own is None:
            own = _Cand(tok.i, tok.i, tok.i, Entry(event, mode, ce.contexts, 0.7), False, [])
            cands[tok.i] = own
        _set(own, event, mode, max(own.entry.weight, ce.weight, 0.7))
        own.alternatives.append((ce.event, round(ce.weight * 0.5, 3)))
        own.entry = replace(own.entry, contexts=tuple(dict.fromkeys(own.entry.contexts + ce.contexts)))
        keep = role in ("concede", "reject") and ce.event == "REQUEST" and cands[comp].nominal
        # condemning "the bombings in Istanbul" presupposes them: the violence is an event of its own
        keep = keep or (role == "accuse" and cands[comp].nominal and ce.event in _MATERIAL_CONFLICT)
        if not keep:
            suppressed.add(comp)
            if role in ("request", "order", "threaten", "commit", "reject") and not cands[comp].nominal:
                # what is asked, threatened, promised or refused is asked as a whole: "urged Israel
                # to allow aid in and to halt its raids" states neither the aid nor a halt
                suppressed.update(c.i for c in doc[comp].conjuncts if c.i in cands)
    for i in suppressed:
        cands.pop(i, None)
    _ = doc


def _wanted_of_another(tok: Token) -> bool:
    """Whether a verb of wanting has a complement clause with a subject of its own: "wants Trump
    banned", "wants the army to leave" (not "wants to leave", which is the subject's own intent)."""
    for c in _children(tok, _CLAUSE_DEPS):
        if _children(c, ("nsubj", "nsubjpass")):
            return True
        if c.dep_ == "xcomp" and any(o.i < c.i for o in _children(tok, ("dobj",))):
            return True
    return False


def _light_verbs(cands: dict[int, _Cand], sent: Span, lex: Lexicon) -> None:
    """"held talks", "launched attacks": the noun is the event, the verb only carries it."""
    doc = sent.doc
    for tok in sent:
        if _lemma(tok) not in lex.light_verbs or not _is_verb(tok):
            continue
        if any(f"{_lemma(tok)} {_lemma(p)}" in lex.governors
               for p in _children(tok, ("prt",))):
            continue  # "called off the strike" ends the strike, it does not call one
        objs = _object_events(tok, cands)
        if not objs:
            continue
        own = cands.get(tok.i)
        if own is not None and own.last > tok.i:
            continue  # a fixed phrase such as "take part in talks" already covers it
        noun = cands[objs[0]]
        if own is not None and own.entry.weight > noun.entry.weight + 0.15:
            continue
        cands.pop(tok.i, None)
        noun.carrier = tok.i
        noun.first = min(noun.first, tok.i)
        noun.nominal = False if noun.first == tok.i and doc[noun.head].dep_ == "dobj" else noun.nominal


def _modality(sent: Span, cands: dict[int, _Cand], lex: Lexicon) -> None:
    """Future intent, negation and deontic "must": how the clause frames the event's type."""
    doc = sent.doc
    for i, c in list(cands.items()):
        tok = doc[c.carrier] if c.carrier is not None else doc[i]
        if c.nominal and c.carrier is None:
            continue
        auxes = {_lemma(a) for a in _children(tok, ("aux", "auxpass"))} | {
            a.lower_ for a in _children(tok, ("aux", "auxpass"))
        }
        negated = bool(_children(tok, ("neg",)))
        conditional = any(m.lower_ in ("if", "unless") for m in _children(tok, ("mark",)))
        conditions = {m.lower_ for a in _children(tok, ("advcl",)) for m in _children(a, ("mark",))}
        ev = c.entry.event
        # "will withdraw its force unless ...": an ultimatum; "would accept it if ..." is an offer
        # (PLOVER AGREE), "will strike if ..." a threat, as any future act of force is
        ultimatum = "unless" in conditions or ("if" in conditions and ev not in _COOPERATIVE)
        if negated and ev in _COOPERATIVE:
            _set(c, "REJECT", _mode_for("REJECT", None, ev, lex))
        elif auxes & _FUTURE_AUX and ultimatum and ev not in ("THREATEN", "REQUEST"):
            _set(c, "THREATEN", lex.threaten_modes.get(ev, "relations"))
        elif auxes & _FUTURE_AUX and "if" in conditions and ev in _COOPERATIVE:
            _set(c, "AGREE", None)
        elif auxes & _FUTURE_AUX and not conditional:
            # "will host talks", "will impose sanctions": the act itself, in the future (PLOVER's
            # "future" context; the event's modality says so). The intent it implies (AGREE, THREATEN)
            # stays an alternative reading, the one sentence coders take (plover.intent_reading).
            intent = intent_reading(ev, lex.threaten_modes.get(ev))
            if intent is not None:
                c.alternatives.append((intent[0], round(c.entry.weight * 0.6, 3)))
        elif auxes & _DEONTIC and tok.dep_ == "ccomp" and _lemma(tok.head) in lex.reporting:
            _set(c, "REQUEST", _mode_for("REQUEST", None, ev, lex))
    # "X said Y must do Z" asks for Z even when Z itself is no event word.
    for tok in sent:
        if (
            tok.i not in cands
            and _is_verb(tok)
            and tok.dep_ == "ccomp"
            and _lemma(tok.head) in lex.reporting
            and any(a.lower_ in _DEONTIC for a in _children(tok, ("aux",)))
        ):
            cands[tok.i] = _Cand(tok.i, tok.i, tok.i, Entry("REQUEST", "change", (), 0.6), False, [])


def _deontic(sent: Span, cands: dict[int, _Cand], lex: Lexicon) -> None:
    """"It is essential that the regime allow access", "it is vital to hold them to account": a
    clause that an impersonal judgement of necessity governs is asked for, not stated; the speaker
    asks it of the clause's subject (frame "deontic")."""
    for adj in sent:
        if _lemma(adj) not in lex.deontic_adjectives or adj.pos_ != "ADJ" or adj.dep_ not in ("acomp", "attr"):
            continue
        cop = adj.head
        if not any(s.lower_ == "it" for s in _children(cop, ("nsubj", "expl"))):
            continue
        for v in _children(adj, _CLAUSE_DEPS) + _children(cop, _CLAUSE_DEPS):
            for verb in [v, *_children(v, ("conj",))]:
                if not _is_verb(verb) or _lemma(verb) in lex.reporting:
                    continue
                c = cands.get(verb.i)
                if c is None:
                    c = cands[verb.i] = _Cand(verb.i, verb.i, verb.i, Entry("REQUEST", "change", (), 0.6), False, [])
                elif c.entry.event != "REQUEST":
                    # the judgement, not the verb's own reading, makes it a request: it is as sure
                    _set(c, "REQUEST", _mode_for("REQUEST", None, c.entry.event, lex), max(c.entry.weight, 0.6))
                c.frame = "deontic"


_COPULAS = frozenset({"be", "remain", "seem", "appear", "look", "sound"})


def _judgements(sent: Span, cands: dict[int, _Cand], lex: Lexicon) -> None:
    """"The agreement is welcome", "Trump is a racist", "these acts show a disregard for the law": a
    word of praise or condemnation said of something, after a copula or as what a verb of showing
    shows, is the speaker's backing (SUPPORT) or criticism (ACCUSE) of it (frame "judgement")."""
    for tok in sent:
        lem = _lemma(tok)
        if tok.i in cands or (lem not in lex.approving and lem not in lex.condemning):
            continue
        head = tok.head
        said_of = tok.dep_ in ("acomp", "attr") and _lemma(head) in _COPULAS
        shown = tok.dep_ == "dobj" and tok.pos_ == "NOUN" and _lemma(head) in lex.showing
        if not (said_of or shown) or _children(tok, ("xcomp",)):
            continue  # "is welcome to join": a permission, not a judgement
        entry = Entry("SUPPORT", None, (), 0.5) if lem in lex.approving else Entry("ACCUSE", "disapprove", (), 0.5)
        cands[tok.i] = _Cand(tok.i, tok.i, tok.i, entry, False, [], frame="judgement")


_SELF_PRONOUNS = frozenset({"it", "they", "he", "she", "we", "i"})


def _disclaimers(sent: Span, cands: dict[int, _Cand], lex: Lexicon) -> None:
    """"It was not responsible", "we were not involved", "they are not behind the attack": a speaker
    who says of itself that it had no part in something denies it (PLOVER REJECT: "denying"); the
    speaker acts (frame "denial"). Said of another ("the army was not responsible, the report
    said") it is a finding, not a denial."""
    for tok in sent:
        if tok.i in cands or _lemma(tok) not in lex.disclaimed:
            continue
        if tok.dep_ in ("acomp", "attr", "prep") and _lemma(tok.head) in _COPULAS:
            pred = tok.head
        elif tok.tag_ == "VBN" and _children(tok, ("auxpass",)):
            pred = tok  # "was not involved in the raid"
        else:
            continue
        if not (_children(pred, ("neg",)) or _children(tok, ("neg",))):
            continue
        if not any(s.lower_ in _SELF_PRONOUNS for s in _children(pred, ("nsubj", "nsubjpass"))):
            continue
        cands[tok.i] = _Cand(tok.i, tok.i, tok.i, Entry("REJECT", None, (), 0.5), False, [], frame="denial")


def _dedupe(cands: dict[int, _Cand], sent: Span) -> None:
    """One event once: drop a noun whose governing verb already states the same type."""
    doc = sent.doc
    for i in list(cands):
        c = cands.get(i)
        if c is None or not c.nominal:
            continue
        if c.agentive and any(o.entry.event == c.entry.event and not o.nominal for o in cands.values()):
            # "X has been the largest donor, contributing $46 million to Y": the verb tells the deed
            del cands[i]
            continue
        h = doc[i].head
        if h.dep_ == "prep":
            talks = cands.get(h.head.i)
            if (c.entry.event == "AGREE" and h.lower_ in _TOPIC_PREPS and talks is not None
                    and talks.entry.event == "CONSULT"):
                # "negotiations on an access agreement": an agreement under negotiation is not one
                del cands[i]
                continue
            h = h.head
        hc = cands.get(h.i)
        if hc is not None and h.i != i and hc.entry.event == c.entry.event:
            # A multi-word noun ("tear gas", "drone strike") names the mode more precisely.
            specific = c.last > c.first and c.entry.mode is not None
            hc.entry = replace(hc.entry, mode=c.entry.mode if specific else hc.entry.mode or c.entry.mode)
            del cands[i]


def _depth(tok: Token, lex: Lexicon, cands: dict[int, _Cand]) -> float:
    """How deeply an event is embedded, counting only ancestors that state something themselves."""
    depth = 0.0
    cur = tok
    steps = 0
    while cur.head.i != cur.i and steps < 40:
        if cur.dep_ == "advcl" and any(m.lower_ in _BACKGROUND for m in _children(cur, ("mark",))):
            depth += 1.2  # "after a jet shot down ...": circumstances, not the news
        elif cur.dep_ in _SUBORDINATE_DEPS:
            depth += 0.6
        elif cur.dep_ == "conj":
            depth += 0.15
        cur = cur.head
        steps += 1
        lem = _lemma(cur)
        if cur.i in cands:
            depth += 1.0
        elif (
            _is_verb(cur)
            and lem not in lex.reporting
            and lem not in lex.transparent
            and lem not in lex.light_verbs
            and lem not in lex.intent_adjectives
        ):
            depth += 0.5
    return depth


def _contexts(sent: Span, c: _Cand, lex: Lexicon) -> tuple[str, ...]:
    doc = sent.doc
    head = doc[c.head]
    found = list(c.entry.contexts)
    clauses = ("ccomp", "advcl", "conj", "relcl", "xcomp")
    scope = [t for ch in head.children if ch.dep_ not in clauses for t in ch.subtree]
    for t in [head, *scope]:
        found.extend(lex.contexts.get(_lemma(t), ()))
    return tuple(dict.fromkeys(found))


def find_triggers(sent: Span, lexicon: Lexicon) -> list[Trigger]:
    """Every clause or nominal of one sentence that states an event, in text order."""
    cands = _candidates(sent, lexicon)
    _light_verbs(cands, sent, lexicon)
    _undergone(cands, sent, lexicon)
    _senses(sent, cands, lexicon)
    _governors(sent, cands, lexicon)
    _modality(sent, cands, lexicon)
    _deontic(sent, cands, lexicon)
    _judgements(sent, cands, lexicon)
    _disclaimers(sent, cands, lexicon)
    _dedupe(cands, sent)
    doc = sent.doc
    out: list[Trigger] = []
    for i in sorted(cands):
        c = cands[i]
        depth = _depth(doc[i], lexicon, cands)
        conf = c.entry.weight * (0.8**depth) * (0.92 if c.nominal else 1.0)
        start, end = doc[c.first].idx, doc[c.last].idx + len(doc[c.last].text)
        ctx = _contexts(sent, c, lexicon)
        if c.entry.event == "MOBILIZE" and "peacekeeping" in ctx:
            _set(c, "AID", None)  # sending peacekeepers provides protection (CAMEO 074)
        elif c.entry.event == "RETREAT" and c.entry.mode == "withdraw" and "peacekeeping" in ctx:
            _set(c, "SANCTION", "withdraw")  # withdrawing peacekeepers withdraws protection (CAMEO 1663)
        mode = c.entry.mode if c.entry.mode in EVENT_TYPES[c.entry.event].modes else None
        alts = tuple(sorted({(e, s) for e, s in c.alternatives if e != c.entry.event}, key=lambda x: -x[1]))
        out.append(
            Trigger(
                token=i,
                start=start,
                end=end,
                text=text_of(doc)[start:end],
                event=c.entry.event,
                mode=mode,
                context=ctx,
                confidence=round(min(1.0, max(0.0, conf)), 4),
                nominal=c.nominal,
                alternatives=alts,
                frame=c.frame,
            )
        )
    return out


def sentence_event(sent: Span, lexicon: Lexicon) -> Trigger | None:
    """The single most confident event of a sentence, or None when it states none."""
    triggers = find_triggers(sent, lexicon)
    if not triggers:
        return None
    return max(triggers, key=lambda t: (t.confidence, -t.token))
