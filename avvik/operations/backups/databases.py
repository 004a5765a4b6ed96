"""The database of a backup set: dumped and restored in the engine's own format (pg_dump custom
format, SQLite's online backup), with the row counts and migrations of the same snapshot."""

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.db import DatabaseError, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.client import DatabaseClient
from django.db.backends.utils import CursorWrapper
from django.db.migrations.loader import MigrationLoader

from avvik.operations.backups.manifest import CHUNK, DATABASE_FILES, BackupError

OUR_APPS = "avvik."


def our_tables() -> list[str]:
    """The tables of our apps' models, many-to-many tables included."""
    tables = set()
    for config in apps.get_app_configs():
        if not config.name.startswith(OUR_APPS):
            continue
        for model in config.get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                tables.add(model._meta.db_table)
    return sorted(tables)


def engine_of(connection: BaseDatabaseWrapper) -> str:
    # The vendor, not ENGINE: the engine may be a wrapper that counts queries (django-prometheus).
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _state(cursor: Any, existing: Iterable[str]) -> tuple[dict[str, str], dict[str, int]]:
    """The last applied migration per app and the rows of our tables, read through a DB-API cursor."""
    present = set(existing)
    migrations: dict[str, str] = {}
    if "django_migrations" in present:
        cursor.execute("SELECT app, name FROM django_migrations")
        for app, name in cursor.fetchall():
            migrations[app] = max(name, migrations.get(app, name))
    counts = {}
    for table in our_tables():
        if table in present:
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608  # our own table names
            counts[table] = int(cursor.fetchone()[0])
    return dict(sorted(migrations.items())), counts


def present_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    try:
        with connection.cursor() as cursor:
            return _state(cursor, connection.introspection.table_names(cursor))[1]
    except DatabaseError as error:
        raise BackupError(f"The database cannot be read: {_first_line(str(error))}") from error


def dump_postgresql(connection: BaseDatabaseWrapper, path: Path) -> tuple[dict[str, str], dict[str, int]]:
    """pg_dump reads the snapshot the counts were taken in, so both see the same rows."""
    if connection.in_atomic_block:
        raise BackupError("A backup cannot run inside a transaction.")
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        state = _state(cursor, connection.introspection.table_names(cursor))
        args, env = _client_command(
            connection, "pg_dump", ["--format=custom", f"--snapshot={snapshot}", f"--file={path}"]
        )
        # The program is found on PATH; the arguments come from the database settings.
        result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {_first_line(result.stderr)}")
    return state


def dump_sqlite(connection: BaseDatabaseWrapper, path: Path) -> tuple[dict[str, str], dict[str, int]]:
    """The online backup API copies a consistent database; the counts are read from the copy."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        cursor = target.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return _state(cursor, [row[0] for row in cursor.fetchall()])
    finally:
        target.close()


def _own_functions(cursor: CursorWrapper) -> list[str]:
    """The signatures of the functions in the current schema that no extension brought."""
    cursor.execute(
        """
        SELECT p.oid::regprocedure::text FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = current_schema()
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
        """
    )
    return [row[0] for row in cursor.fetchall()]


def restore_postgresql(connection: BaseDatabaseWrapper, dump: Path) -> None:
    """Drop what the database holds and load the dump, in one transaction: on any error the
    database is left as it was. pg_restore turns the dump into SQL; psql runs it."""
    try:
        with connection.cursor() as cursor:
            existing = connection.introspection.get_table_list(cursor)
            functions = _own_functions(cursor)
    except DatabaseError as error:
        raise BackupError(f"The database cannot be read: {_first_line(str(error))}") from error
    connection.close()
    script = ["BEGIN;"]
    script += [f"DROP {'VIEW' if t.type == 'v' else 'TABLE'} IF EXISTS {_quote(t.name)} CASCADE;" for t in existing]
    # Our migrations' own functions (the reminder clock's trigger) go too, or the dump's CREATE
    # FUNCTION would meet them; functions of extensions, and types, are left.
    script += [f"DROP FUNCTION IF EXISTS {signature} CASCADE;" for signature in functions]
    psql_args, env = _client_command(connection, "psql", ["--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1"])
    restore_args = [_executable("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(dump)]
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
        psql = subprocess.Popen(  # noqa: S603  # the arguments come from the database settings
            psql_args, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_errors
        )
        restore = subprocess.Popen(restore_args, stdout=subprocess.PIPE, stderr=restore_errors)  # noqa: S603
        assert psql.stdin is not None and restore.stdout is not None
        try:
            psql.stdin.write("\n".join(script).encode() + b"\n")
            while chunk := restore.stdout.read(CHUNK):
                psql.stdin.write(chunk)
            # Only a complete script is committed; psql rolls back what it is left with otherwise.
            if restore.wait() == 0:
                psql.stdin.write(b"COMMIT;\n")
        except BrokenPipeError:
            restore.kill()
        finally:
            restore.stdout.close()
            with contextlib.suppress(BrokenPipeError):
                psql.stdin.close()
        restore_code, psql_code = restore.wait(), psql.wait()
        if restore_code != 0:
            raise BackupError(f"pg_restore failed, the database is unchanged: {_first_line(_read(restore_errors))}")
        if psql_code != 0:
            raise BackupError(f"The restore failed, the database is unchanged: {_first_line(_read(psql_errors))}")


def restore_sqlite(connection: BaseDatabaseWrapper, path: Path) -> None:
    """The online backup API replaces the whole database in one step."""
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction.")
    connection.ensure_connection()
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(f"The restore failed: {error}") from error
    finally:
        source.close()


def check_migrations(migrations: Mapping[str, str]) -> int:
    """Refuse a set whose migrations this code does not have; count those it has beyond the set's."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    on_disk = set(loader.disk_migrations)
    for app, name in sorted(migrations.items()):
        if (app, name) not in on_disk:
            raise BackupError(
                f"The set was made by newer code: migration {app}.{name} is not in this code. "
                "Restore it with the version that made it."
            )
    pending = 0
    for app, name in on_disk:
        last = migrations.get(app)
        if last is None or name > last:
            pending += 1
    return pending


def _client_command(
    connection: BaseDatabaseWrapper, program: str, parameters: list[str]
) -> tuple[list[str], dict[str, str]]:
    """A PostgreSQL client's command line and environment for the connection, as `manage.py dbshell` builds them."""
    args, env = DatabaseClient.settings_to_cmd_args_env(connection.settings_dict, parameters)
    return [_executable(program), *args[1:]], {**os.environ, **(env or {})}


def _executable(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        raise BackupError(
            f"{program} is not installed: the PostgreSQL client tools of the server's major version are needed."
        )
    return found


def _read(stream: IO[bytes]) -> str:
    stream.seek(0)
    return stream.read().decode(errors="replace")


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else "no message"
