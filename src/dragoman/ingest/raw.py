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
    """One article as read from a source, before cleaning and analysis.

    ``text`` is the bytes of a file or standard input, decoded by the cleaner as ``analyze``
    decodes them, or text a table, feed or page already gave; ``warnings`` are repairs made in
    reading that text (a table file's decoding), kept on the article.
    """

    text: str | bytes
    source: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    outlet: str | None = None
    html: bool | None = None  # None: let the cleaner decide
    warnings: tuple[str, ...] = ()

    def analyse(self, pipeline: Pipeline | None = None) -> ArticleResult:
        """The analysis of this article, with everything the source told about it."""
        from ..analyse import analyse_article
        from ..clean import clean_article
        from ..nlp import load_pipeline

        pipe = pipeline or load_pipeline()
        article = clean_article(self.text, source=self.source, title=self.title, url=self.url,
                                outlet=self.outlet, published=self.published, html_input=self.html,
                                max_bytes=pipe.settings.max_bytes, warnings=self.warnings)
        return analyse_article(article, pipeline=pipe)

    @property
    def raw_hash(self) -> str:
        """Hash of the raw input, so a resumed ingest can skip it without re-analysing it."""
        data = self.text if isinstance(self.text, bytes) else self.text.encode("utf-8", "surrogatepass")
        return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class SourceFailure:
    """An input that could not be read at all (missing file, bad JSON row, HTTP error)."""

    source: str
    reason: str
    error_type: str = "SourceError"
