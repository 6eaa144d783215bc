"""Article sources: files, folders, JSON/CSV tables, feeds, URLs and standard input."""

from .raw import RawArticle, SourceFailure
from .run import IngestSummary, ingest
from .sources import iter_sources
from .tables import parse_field_map

__all__ = ["IngestSummary", "RawArticle", "SourceFailure", "ingest", "iter_sources", "parse_field_map"]
