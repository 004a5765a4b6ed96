"""The code's own constants written into the SQL, so that PostgreSQL plans a prepared statement
knowing them.

With prepared statements (settings: DATABASE_PREPARED_STATEMENTS), PostgreSQL may keep one generic
plan for a statement whatever its parameters. A constant sent as a parameter is unknown to that
plan: it cannot use an index whose predicate names statuses (the open cases' partial indexes) or
whose expression holds constants (the reporter's order, the text search), and it guesses how rare a
status is. Such constants are written into the statement, as the index's own definition has them;
other values stay parameters, unless a plan kept for any value would be wrong for most (a search's
words: see avvik.cases.search; a reporter's own cases: see WrittenExact below).
"""

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Expression, ExpressionWrapper, Value
from django.db.models.lookups import Exact, In

if TYPE_CHECKING:
    from django.db.models import Field

# Only plain identifiers (or the empty string) are written into SQL as known values; anything
# else is bound as a parameter.
_PLAIN = re.compile(r"([a-z][a-z0-9_]*)?\Z")


def _written(sql: str, params: Iterable[Any], known: frozenset[str]) -> tuple[str, tuple[Any, ...]] | None:
    """The placeholders of `sql` replaced by the quoted values, when every value is known."""
    values = list(params)
    # str(): a choice's enum member is written as its value.
    words = [str(value) for value in values if isinstance(value, str)]
    if not values or len(words) != len(values) or not known.issuperset(words):
        return None
    return sql % tuple(f"'{word}'" for word in words), ()


class _KnownValues:
    """Mixin for a lookup: its value written into the SQL when every value is one of `known`."""

    known: frozenset[str] = frozenset()

    def process_rhs(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        sql, params = super().process_rhs(compiler, connection)  # type: ignore[misc]  # a Lookup's
        if self.rhs_is_direct_value():  # type: ignore[attr-defined]  # a Lookup's
            return _written(sql, params, self.known) or (sql, params)
        return sql, params


def inline_choices(field: "Field[Any, Any]", values: Iterable[str]) -> None:
    """Write these values of the field into the SQL of its `exact` and `in` lookups (this field only)."""
    known = frozenset(values)
    if not all(_PLAIN.match(value) for value in known):
        raise ValueError(f"only plain identifiers or '' are written into SQL, not {sorted(known)}")
    for lookup in (Exact, In):
        field.register_lookup(type(f"Known{lookup.__name__}", (_KnownValues, lookup), {"known": known}))


class InlineParams:
    """Mixin for an expression: on PostgreSQL its parameters are written into the statement, with
    the driver's own quoting (as Django's client-side binding and a migration's index do)."""

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, Any]:
        sql, params = self.as_sql(compiler, connection, **extra_context)  # type: ignore[attr-defined]  # an Expression's
        if not params:
            return sql, params
        # The statement is still run with other parameters: a percent sign in a value stays one. No
        # parameters are left, in the container Django used (a list here, a tuple there).
        return connection.ops.compose_sql(sql, params).replace("%", "%%"), params[:0]


class Inline(InlineParams, ExpressionWrapper):  # type: ignore[type-arg]  # not generic at run time
    """An expression of the code's own constants, written into the statement on PostgreSQL."""

    def __init__(self, expression: Expression) -> None:
        super().__init__(expression, output_field=expression.output_field)


class _WrittenNumbers:
    """Mixin for a lookup: its values written into the SQL when every one is a whole number."""

    def process_rhs(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        sql, params = super().process_rhs(compiler, connection)  # type: ignore[misc]  # a Lookup's
        values = list(params)
        # A bool is an int to Python, not a number to write; the driver's Int4 and Int8 are ints.
        numbers = all(isinstance(value, int) and not isinstance(value, bool) for value in values)
        # Used as an expression, a lookup holds its value as a Value.
        direct = isinstance(self.rhs, Value) or self.rhs_is_direct_value()  # type: ignore[attr-defined]  # a Lookup's
        if direct and values and numbers:
            return sql % tuple(str(int(value)) for value in values), ()
        return sql, params


class WrittenExact(_WrittenNumbers, Exact):
    """`field = n`, with n written into the statement: used as an expression in a filter, for a key
    whose rows vary so much from one value to the next that no one kept plan suits them all (one
    reporter filed 20 cases, another 3,000: a plan made for the average sorts all 3,000)."""


class WrittenIn(_WrittenNumbers, In):
    """`field IN (n, ...)`, the numbers written into the statement, as WrittenExact."""
