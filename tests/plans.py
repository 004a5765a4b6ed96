"""The plan PostgreSQL keeps for a statement whatever its parameters (a generic plan), for tests of
which indexes such a plan can use."""

from django.db import connection


def generic_plan(queryset, **settings: str) -> str:
    """EXPLAIN of the plan PostgreSQL keeps for the queryset's statement whatever its parameters."""
    return generic_plan_of(*queryset.query.sql_with_params(), **settings)


def generic_plan_of(sql: str, params, **settings: str) -> str:
    numbered = sql % tuple(f"${n}" for n in range(1, len(params) + 1))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        for name, value in settings.items():
            cursor.execute(f"SET LOCAL {name} = {value}")
        cursor.execute(f"PREPARE kept AS {numbered}")
        try:
            arguments = f"({', '.join(['%s'] * len(params))})" if params else ""
            cursor.execute(connection.ops.compose_sql(f"EXPLAIN EXECUTE kept{arguments}", params))
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("DEALLOCATE kept")


def drop_indexes_except(table: str, keep: tuple[str, ...]) -> None:
    """Drops the table's indexes that back no constraint, except those kept, in the test's own
    transaction (rolled back after it): a plan can then use only what is left, whatever the planner
    guesses of a near-empty table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "JOIN pg_class t ON t.oid = x.indrelid LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid "
            "WHERE t.relname = %s AND c.oid IS NULL",
            [table],
        )
        for (name,) in cursor.fetchall():
            if name not in keep:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
