"""Many rows into a table on PostgreSQL, through COPY: the reminder sweep writes hundreds of
thousands of outbox rows at once.

Django's bulk_create prepares every value of every row in Python and writes a statement with one
parameter per value; a statement with one array per column is quicker, but its arrays are still
quoted into the statement's text. COPY streams the rows as they are into a temporary table, from
which one INSERT … SELECT … ON CONFLICT DO NOTHING takes them: half the time per row of the arrays.
"""

import enum
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper


def _prepared(field: "models.Field[Any, Any]", values: Sequence[Any]) -> list[Any]:
    if isinstance(field, models.JSONField):
        return [None if value is None else json.dumps(value, cls=field.encoder) for value in values]
    # Choices are enums; the driver is given their plain values.
    return [value.value if isinstance(value, enum.Enum) else value for value in values]


def insert_columns(
    connection: BaseDatabaseWrapper,
    model: type[models.Model],
    columns: Mapping[str, Sequence[Any]],
    count: int,
    *,
    returning: tuple[str, ...] = (),
) -> list[tuple[Any, ...]]:
    """Insert `count` rows given as one sequence of values per field (by attname), skipping those
    that would break a unique constraint; return `returning` of the rows this call inserted. A field
    not given has its default in every row. PostgreSQL only; in the caller's transaction."""
    if not count:
        return []
    meta = model._meta
    quote = connection.ops.quote_name
    fields: list[Any] = [f for f in meta.concrete_fields if not f.primary_key]
    given = [f for f in fields if f.attname in columns]
    defaults = [f for f in fields if f.attname not in columns]
    # One temporary table per set of columns, gone at commit, emptied after each use.
    key = "|".join([meta.db_table, *(f.column for f in given)])
    name = "copy_" + hashlib.sha256(key.encode()).hexdigest()[:16]
    given_columns = ", ".join(quote(f.column) for f in given)
    # Only names and types from the model's own definition are formatted in; values are parameters.
    create = (
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {name} ON COMMIT DROP AS "  # noqa: S608
        f"SELECT {given_columns} FROM {quote(meta.db_table)} WITH NO DATA"
    )
    selects = [quote(f.column) for f in given] + [f"%s::{f.db_type(connection)}" for f in defaults]
    insert = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in given + defaults)}) "  # noqa: S608
        f"SELECT {', '.join(selects)} FROM {name} ON CONFLICT DO NOTHING"
    )
    if returning:
        wanted: list[Any] = [meta.get_field(name) for name in returning]
        insert += " RETURNING " + ", ".join(quote(field.column) for field in wanted)
    values = [_prepared(f, columns[f.attname]) for f in given]
    default_values = [_prepared(f, [f.get_default()])[0] for f in defaults]
    # In a transaction, always: outside one the temporary table would be gone before the COPY.
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        cursor.execute(create)
        with cursor.cursor.copy(f"COPY {name} ({given_columns}) FROM STDIN") as copy:
            for row in zip(*values, strict=True):
                copy.write_row(row)
        cursor.execute(insert, default_values)
        inserted = cursor.fetchall() if returning else []
        cursor.execute(f"TRUNCATE {name}")
    return inserted
