"""The actor knowledge base: curated data files, their loader, validator, lookups and matcher."""

from __future__ import annotations

from .base import KnowledgeBase
from .loader import load_kb
from .model import KINDS, PREDICATES, AliasMatch, KBEntry, Resolution, Role, RoleNoun
from .normalise import fold
from .validate import validate

__all__ = [
    "KINDS", "PREDICATES", "AliasMatch", "KBEntry", "KnowledgeBase", "Resolution", "Role", "RoleNoun",
    "fold", "load_kb", "validate",
]
