"""Many rows in one statement on PostgreSQL: one array per column, unnested by the database.

Django's bulk_create prepares every value of every row in Python and writes a statement with one
parameter per value; at hundreds of thousands of rows (the reminder sweep) that preparation, not
the database, is most of the time. Here each column is one parameter."""

import enum
import json
from collections.abc import Sequence
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper


def _column_values(field: "models.Field[Any, Any]", rows: Sequence[models.Model]) -> list[Any]:
    values = [getattr(row, field.attname) for row in rows]
    if isinstance(field, models.JSONField):
        return [None if value is None else json.dumps(value, cls=field.encoder) for value in values]
    # Choices are enums; the driver is given their plain values.
    return [value.value if isinstance(value, enum.Enum) else value for value in values]


def insert_unnested(
    connection: BaseDatabaseWrapper,
    model: type[models.Model],
    rows: Sequence[models.Model],
    *,
    returning: tuple[str, ...] = (),
) -> list[tuple[Any, ...]]:
    """`INSERT … SELECT … FROM unnest(…) ON CONFLICT DO NOTHING`, returning `returning` of the rows
    this statement inserted. PostgreSQL only; each row's defaults must already be set (they are
    when the rows are model instances)."""
    if not rows:
        return []
    meta = model._meta
    fields: list[Any] = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    casts, selects = [], []
    for number, field in enumerate(fields):
        if isinstance(field, models.JSONField):
            casts.append("%s::text[]")
            selects.append(f"c{number}::jsonb")
        else:
            casts.append(f"%s::{field.db_type(connection)}[]")
            selects.append(f"c{number}")
    # Only names and types from the model's own definition are formatted in; values are parameters.
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"SELECT {', '.join(selects)} FROM unnest({', '.join(casts)}) "
        f"AS u({', '.join(f'c{number}' for number in range(len(fields)))}) ON CONFLICT DO NOTHING"
    )
    if returning:
        columns: list[Any] = [meta.get_field(name) for name in returning]
        sql += " RETURNING " + ", ".join(quote(field.column) for field in columns)
    with connection.cursor() as cursor:
        cursor.execute(sql, [_column_values(field, rows) for field in fields])
        return cursor.fetchall() if returning else []
