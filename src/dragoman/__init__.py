"""dragoman: news articles in, source-linked PLOVER event data out."""

from __future__ import annotations

__version__ = "0.1.0"

from .records import ArticleResult  # noqa: E402

__all__ = ["ArticleResult", "__version__", "analyse", "Pipeline"]


def __getattr__(name: str):  # lazy: importing dragoman must not load spaCy
    if name in {"analyse", "analyze"}:
        from .analyse import analyse

        return analyse
    if name == "Pipeline":
        from .nlp import Pipeline

        return Pipeline
    raise AttributeError(name)
