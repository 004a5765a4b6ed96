"""SQL the ORM makes once per process and runs many times.

Building and compiling a small queryset costs Django more than PostgreSQL takes to run it (about
0.4 ms against 0.1 ms for a dozen catalogue rows). Where a page asks the same question on every
request, the statement is kept, keyed by everything its SQL and parameters are made from, and only
run again: the rows are read fresh every time, so nothing is ever stale.
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable

Kept = TypeVar("Kept")
M = TypeVar("M", bound=Model)


class KeptStatements(Generic[Kept]):
    """Statements by key, made at most once per process; the least recently used are dropped
    beyond `size`. The lock guards the order under threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, Kept] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable, make: Callable[[], Kept]) -> Kept:
        with self._lock:
            statement = self._kept.get(key)
            if statement is not None:
                self._kept.move_to_end(key)
                return statement
        # Made outside the lock: making it may read the database.
        statement = make()
        with self._lock:
            self._kept[key] = statement
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return statement

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


_ROWS: KeptStatements[tuple[str, tuple[Any, ...]]] = KeptStatements(2048)


def kept_rows(queryset: "QuerySet[M]", key: Hashable) -> list[M]:
    """The queryset's model instances, with its SQL made once for `key`.

    `key` must name everything the queryset is made from (the caller's filter values); the model is
    added to it here. Only a plain queryset of whole rows: no deferred fields, annotations or
    related rows, since the row is read into the model's own fields in order."""
    model = queryset.model
    if queryset.query.is_empty():
        return []

    def make() -> tuple[str, tuple[Any, ...]]:
        query = queryset.query
        whole_rows = (
            queryset._iterable_class is ModelIterable  # how Django tells values() apart
            and not query.select_related
            and not query.annotations
            and not query.extra
            and query.deferred_loading == (frozenset(), True)
        )
        if not whole_rows:
            raise ValueError("kept_rows reads whole rows of one model only")
        try:
            sql, params = query.sql_with_params()
        except EmptyResultSet:  # a filter that matches nothing (`__in` an empty list)
            return "", ()
        return sql, tuple(params)

    sql, params = _ROWS.get((model._meta.label, key), make)
    if not sql:
        return []
    names = [field.attname for field in model._meta.concrete_fields]
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)  # the ORM's own SQL and parameters
        return [model.from_db(queryset.db, names, row) for row in cursor.fetchall()]


def forget_kept_rows() -> None:
    """Drop the kept statements (tests that change what a statement is made from)."""
    _ROWS.clear()
