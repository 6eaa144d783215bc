"""dragoman: news articles in, source-linked PLOVER event data out."""

from __future__ import annotations

__version__ = "0.1.0"

# Imported eagerly: importing the submodule ``dragoman.analyse`` would otherwise leave the module,
# not the function, under the name ``dragoman.analyse``. Neither loads spaCy.
from .analyse import analyse  # noqa: E402
from .dates import parse_published  # noqa: E402
from .records import ArticleResult  # noqa: E402

analyze = analyse

__all__ = ["ArticleResult", "__version__", "analyse", "analyze", "parse_published", "Pipeline"]


def __getattr__(name: str):  # lazy: importing dragoman must not load spaCy
    if name == "Pipeline":
        from .nlp import Pipeline

        return Pipeline
    raise AttributeError(name)
