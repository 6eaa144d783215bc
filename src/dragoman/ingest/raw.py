"""The records sources yield: a raw article to analyse, or a reason why an input could not be read."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..nlp import Pipeline
    from ..records import ArticleResult

__all__ = ["RawArticle", "SourceFailure"]


@dataclass(frozen=True, slots=True)
class RawArticle:
    """One article as read from a source, before cleaning and analysis."""

    text: str
    source: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    outlet: str | None = None
    html: bool | None = None  # None: let the cleaner decide

    def analyse(self, pipeline: Pipeline | None = None) -> ArticleResult:
        """The analysis of this article, with everything the source told about it."""
        from ..analyse import analyse

        return analyse(self.text, source=self.source, title=self.title, url=self.url, outlet=self.outlet,
                       published=self.published, html=self.html, pipeline=pipeline)

    @property
    def raw_hash(self) -> str:
        """Hash of the raw input, so a resumed ingest can skip it without re-analysing it."""
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class SourceFailure:
    """An input that could not be read at all (missing file, bad JSON row, HTTP error)."""

    source: str
    reason: str
    error_type: str = "SourceError"
