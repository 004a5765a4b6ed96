"""Free-text search in deviations: PostgreSQL full-text search in Norwegian, with a GIN index on
the same expression; a plain substring match elsewhere (the embedded SQLite site and local tests)."""

import re
from typing import Any, TypeVar

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Q, QuerySet

from avvik.core.literals import Inline, InlineParams

_QuerySet = TypeVar("_QuerySet", bound=QuerySet[Any])

SEARCH_CONFIG = "norwegian"
# A case reference: SA-2026-K7MQ4X, or the numbered form of cases filed before references were random.
REFERENCE = re.compile(r"SA-\d{4}-[0-9A-Z]{5,6}", re.IGNORECASE)
WORD = re.compile(r"\w+")


def search_vector() -> SearchVector:
    """The indexed expression (cases migration 0003); a query must use exactly this to hit the index."""
    return SearchVector("title", "description", config=SEARCH_CONFIG)


def search_deviations(queryset: _QuerySet, text: str) -> _QuerySet:
    """Cases whose reference is `text`, or whose title and description contain all its words."""
    text = text.strip()
    if not text:
        return queryset
    if REFERENCE.fullmatch(text):
        return queryset.filter(reference=text.upper())  # references are stored in capitals
    words = WORD.findall(text)
    if not words:
        return queryset.none()
    if connections[queryset.db].vendor != "postgresql":
        condition = Q()
        for word in words:
            condition &= Q(title__icontains=word) | Q(description__icontains=word)
        return queryset.filter(condition)
    # Every word as a prefix: Norwegian joins words ("røntgen" should find "røntgensvar"), and the
    # person may stop typing mid-word. Only word characters reach the raw query, so no operators.
    query = WrittenSearchQuery(" & ".join(f"{word}:*" for word in words), config=SEARCH_CONFIG, search_type="raw")
    # The vector's constants in the statement: a kept plan must see the index's own expression.
    return queryset.alias(text_match=Inline(search_vector())).filter(text_match=query)


class WrittenSearchQuery(InlineParams, SearchQuery):  # type: ignore[misc]  # the stubs' SearchQuery conflicts with itself
    """The words in the statement, quoted by the driver: a common word is best found by reading the
    newest cases in order, a rare one through the text index, so one plan kept for every search
    (a prepared statement's generic plan) would be wrong for most; each search is planned for its words."""
