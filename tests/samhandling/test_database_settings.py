"""On PostgreSQL, statements run more than once on a connection are prepared, unless switched off."""

import pytest
from django.db import connection

from samhandling.config import generate_fernet_key
from tests.processes import IN_CI, django_process


def _database_options(tmp_path, **environment: str) -> str:
    """The database options the settings make from this environment (no connection is opened)."""
    env = {
        "SECRET_KEY": "x" * 50,
        "FIELD_ENCRYPTION_KEY": generate_fernet_key(),
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/samhandling",
        **environment,
    }
    code = "from django.conf import settings; print(sorted(settings.DATABASES['default'].get('OPTIONS', {}).items()))"
    return django_process(tmp_path, code, **env).stdout.strip()


def test_postgresql_binds_on_the_server_and_prepares_what_runs_twice(tmp_path):
    assert _database_options(tmp_path) == "[('prepare_threshold', 2), ('server_side_binding', True)]"


def test_prepared_statements_can_be_switched_off_for_a_pooler(tmp_path):
    assert _database_options(tmp_path, DATABASE_PREPARED_STATEMENTS="false") == "[]"


def test_sqlite_is_left_as_it_was(tmp_path):
    options = _database_options(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
    assert "server_side_binding" not in options and "prepare_threshold" not in options


@pytest.mark.django_db
def test_a_query_run_again_is_planned_once_and_kept(django_user_model):
    if connection.vendor != "postgresql":
        if IN_CI:
            pytest.fail("CI runs the tests on PostgreSQL")
        pytest.skip("prepared statements are PostgreSQL's")
    for _ in range(3):
        list(django_user_model.objects.filter(email="nobody@example.no"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('"tenancy_user"."email" = $1' in statement for statement in prepared), prepared
