"""Entity rulers fed by the knowledge base, so that known names win over the statistical NER."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import KnowledgeBase
from .normalise import key

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["add_kb_ruler", "kb_patterns", "RULER_NAME", "CASED_RULER_NAME"]

RULER_NAME = "kb_entity_ruler"
CASED_RULER_NAME = "kb_entity_ruler_cased"
_GPE_KINDS = frozenset({"state", "territory_authority"})


def _label(kind: str, how: str) -> str:
    if how == "demonym":
        return "NORP"
    if how == "metonym" or kind in _GPE_KINDS:
        return "GPE"
    if kind == "person":
        return "PERSON"
    return "ORG"


def kb_patterns(kb: KnowledgeBase) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Phrase patterns as (matched lower-cased, matched exactly as written).

    Names of two or more words are matched case-insensitively. A one-word name is matched
    exactly as written (and in capitals), because lower-cased it is often an ordinary word:
    "us", "amnesty", "fund". Each pattern's id is the entry the name means with no date.
    """
    seen: set[tuple[str, str]] = set()
    lower: list[dict[str, Any]] = []
    exact: list[dict[str, Any]] = []
    for e in kb.entries():
        names = [(n, "alias") for n in (e.name, *e.aliases)]
        names += [(n, "metonym") for n in e.metonyms]
        # A demonym spelled like one of the entry's names ("U.S.") stays a name (GPE).
        own = {key(n) for n, _ in names}
        names += [(n, "demonym") for n in e.demonyms if key(n) not in own]
        for text, how in names:
            best = kb.lookup(text)
            if not best or best[0].id != e.id:
                continue  # another entry is the default reading of this name
            multi = len(text.split()) > 1 or "-" in text.strip("-")
            if multi and not kb.is_cased(text):
                forms = [text]
                target = lower
            else:
                forms = list(dict.fromkeys([text, text.upper()]))
                target = exact
            for form in forms:
                k = (form if target is exact else form.lower(), how)
                if k in seen:
                    continue
                seen.add(k)
                target.append({"label": _label(e.kind, how), "pattern": form, "id": e.id})
    return lower, exact


def add_kb_ruler(nlp: Language, kb: KnowledgeBase) -> None:
    """Add two entity rulers after "ner" (or last): exact-case single words, then longer names.

    The longer names run second so that, with ``overwrite_ents``, "Kataib Hezbollah" replaces
    the single-word match "Hezbollah" inside it.
    """
    lower, exact = kb_patterns(kb)
    after = "ner" if "ner" in nlp.pipe_names else None
    for name, attr, patterns in ((CASED_RULER_NAME, "ORTH", exact), (RULER_NAME, "LOWER", lower)):
        if name in nlp.pipe_names:
            nlp.remove_pipe(name)
        config = {"overwrite_ents": True, "phrase_matcher_attr": attr, "validate": False}
        if after:
            ruler = nlp.add_pipe("entity_ruler", name=name, after=after, config=config)
        else:
            ruler = nlp.add_pipe("entity_ruler", name=name, config=config)
        # add_patterns runs the pipeline before the ruler over every pattern text; only the
        # tokenizer is needed for ORTH/LOWER phrase patterns, so the rest is switched off.
        with nlp.select_pipes(enable=[]):
            ruler.add_patterns(patterns)  # type: ignore[attr-defined]
        after = name
