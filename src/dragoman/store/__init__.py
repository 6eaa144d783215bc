"""The corpus store: schema and migrations, the single writer, queries (SQLite and PostgreSQL)."""

from .query import (
    ActorProfile,
    ActorRef,
    ActorRow,
    AddOutcome,
    ArticleRow,
    ClusterRow,
    EventFilter,
    EventRow,
    FailureRow,
    Page,
    PlaceRef,
    PlaceRow,
    RelationRow,
    TimelinePoint,
)
from .store import Store

__all__ = [
    "ActorProfile",
    "ActorRef",
    "ActorRow",
    "AddOutcome",
    "ArticleRow",
    "ClusterRow",
    "EventFilter",
    "EventRow",
    "FailureRow",
    "Page",
    "PlaceRef",
    "PlaceRow",
    "RelationRow",
    "Store",
    "TimelinePoint",
]
