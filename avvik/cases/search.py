"""Free-text search in deviations: PostgreSQL full-text search in Norwegian over each case's words,
stored beside it with a GIN index (cases migration 0022); a plain substring match elsewhere (the
embedded SQLite site and local tests)."""

import re
from typing import Any, TypeVar

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connections
from django.db.models import Expression, Q, QuerySet

from avvik.core.literals import InlineParams

_QuerySet = TypeVar("_QuerySet", bound=QuerySet[Any])

SEARCH_CONFIG = "norwegian"
# A case reference: SA-2026-K7MQ4X, or the numbered form of cases filed before references were random.
REFERENCE = re.compile(r"SA-\d{4}-[0-9A-Z]{5,6}", re.IGNORECASE)
WORD = re.compile(r"\w+")


# The column of cases migration 0022: the title and description as Norwegian words.
DOCUMENT_COLUMN = "search_document"


class SearchDocument(Expression):
    """A case's stored words: a column of the table but not a field of the model (PostgreSQL only),
    so that the lists, which read every field, do not carry it."""

    output_field = SearchVectorField()

    # A list of parameters, not the stubs' tuple: Django's search lookup adds the query's list to it.
    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        column = connection.ops.quote_name(DOCUMENT_COLUMN)
        query = compiler.query
        # The case table's alias in a query (its own name, or U0 in a subquery); none in an index.
        alias = query.base_table if query.alias_cols else None
        if alias is None:
            return column, []
        return f"{compiler.quote_name_unless_alias(alias)}.{column}", []


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
    return queryset.alias(text_match=SearchDocument()).filter(text_match=query)


class WrittenSearchQuery(InlineParams, SearchQuery):  # type: ignore[misc]  # the stubs' SearchQuery conflicts with itself
    """The words in the statement, quoted by the driver: a common word is best found by reading the
    newest cases in order, a rare one through the text index, so one plan kept for every search
    (a prepared statement's generic plan) would be wrong for most; each search is planned for its words."""
