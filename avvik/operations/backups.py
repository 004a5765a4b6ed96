"""Backup sets and their restore (`manage.py backup`, `manage.py restore`, docs/deploy.md).

A set is one folder:

- `database.pgdump` (PostgreSQL: `pg_dump --format=custom`) or `database.sqlite3` (SQLite: its
  online backup API), taken while the site runs;
- `media.tar`: everything under MEDIA_ROOT, where attachments, held uploads and council reports
  are stored;
- `manifest.json`: the format version, when and from which code the set was made, the last
  migration of each app, the database engine, the rows of each table of our apps, and a SHA-256
  of every other file in the set. It is written last: a folder without it is not a finished set.

Encrypted fields (patient references) stay encrypted: FIELD_ENCRYPTION_KEY is not in the set.

The row counts are taken from the same snapshot as the dump, so a set made while people work
still restores to exactly the counts in its manifest.
"""

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from avvik.core.crypto import key_fingerprints

FORMAT = "samhandling-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_FILE = "media.tar"
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
OUR_APPS = "avvik."
ENCRYPTION_NOTE = (
    "Encrypted fields (patient references) are in this backup as they are stored: encrypted. "
    "FIELD_ENCRYPTION_KEY is not in it; keep the key apart from the backups. Without the key the "
    "backup was made with, a restore cannot read the patient references. The keys it needs are "
    "named by their fingerprints under encryption_keys; a restore refuses without each of them."
)
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A refusal or a failure, told in one line."""


@dataclass(frozen=True)
class RestoreSummary:
    """What a restore put back, for the command to print."""

    created_at: str
    engine: str
    tables: int
    rows: int
    files: int
    bytes: int
    # Migrations this code has and the backup had not applied: `manage.py migrate` applies them.
    pending_migrations: int


def backup_create(*, to: Path, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Write one backup set into the folder `to`, which must be new or empty; return its manifest."""
    connection = connections[using]
    engine = _engine(connection)
    if to.exists() and (not to.is_dir() or any(to.iterdir())):
        raise BackupError(f"{to} is not an empty folder: a backup set is written into a new or empty one.")
    if to.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve()):
        raise BackupError(f"{to} is inside MEDIA_ROOT: the set would hold itself. Write it elsewhere.")
    to.mkdir(mode=0o700, parents=True, exist_ok=True)
    database_file = to / DATABASE_FILES[engine]
    if engine == "postgresql":
        migrations, counts = _dump_postgresql(connection, database_file)
    else:
        migrations, counts = _dump_sqlite(connection, database_file)
    files, size = _write_media(to / MEDIA_FILE)
    for written in (database_file, to / MEDIA_FILE):
        written.chmod(0o600)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.localtime().isoformat(timespec="seconds"),
        "site_version": _site_version(),
        "database": {"engine": engine, "file": database_file.name},
        "migrations": migrations,
        "row_counts": counts,
        "media": {"file": MEDIA_FILE, "root": str(settings.MEDIA_ROOT), "files": files, "bytes": size},
        # With object storage the uploaded files are in the bucket, not in this set: the bucket's own
        # versioning or replication keeps them (docs/deploy.md).
        "object_storage_bucket": settings.S3_BUCKET or None,
        "encryption": ENCRYPTION_NOTE,
        "encryption_keys": key_fingerprints(),
        "files": {path.name: _sha256(path) for path in (database_file, to / MEDIA_FILE)},
    }
    manifest_path = to / MANIFEST
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    manifest_path.chmod(0o600)
    return manifest


def backup_verify(*, directory: Path) -> dict[str, Any]:
    """The manifest of the set in `directory` once its format and every checksum are right."""
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(f"{directory} holds no {MANIFEST}: it is not a backup set, or one that was never finished.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{path} is not readable JSON ({error}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not the manifest of a Samhandling backup set.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"The set is in format version {manifest.get('format_version')!r}; "
            f"this code reads version {FORMAT_VERSION}."
        )
    checksums = manifest.get("files")
    database = manifest.get("database")
    if not isinstance(checksums, dict) or not isinstance(database, dict):
        raise BackupError(f"{path} lists no files with their checksums.")
    for needed in (database.get("file"), MEDIA_FILE):
        if needed not in checksums:
            raise BackupError(f"{path} does not list {needed}.")
    missing, damaged = [], []
    for name, digest in sorted(checksums.items()):
        if Path(name).name != name or name.startswith("."):
            raise BackupError(f"{path} names a file outside the set: {name!r}.")
        if not (directory / name).is_file():
            missing.append(name)
        elif _sha256(directory / name) != digest:
            damaged.append(name)
    if missing:
        raise BackupError(f"Files of the set are missing: {', '.join(missing)}.")
    if damaged:
        raise BackupError(
            f"Files do not match their SHA-256 in the manifest: {', '.join(damaged)}. "
            "The set is damaged or was changed."
        )
    return manifest


def backup_restore(
    *, source: Path, using: str = DEFAULT_DB_ALIAS, replace: bool = False, allow_production: bool = False
) -> RestoreSummary:
    """Put the set in `source` back into the database `using` and MEDIA_ROOT, then check its rows.

    Refused under ENVIRONMENT=production without `allow_production`, and into a database or a
    media folder that holds anything without `replace`."""
    if settings.PRODUCTION and not allow_production:
        raise BackupError(
            "ENVIRONMENT=production: a restore replaces the site's data. Give --allow-production to do it anyway."
        )
    manifest = backup_verify(directory=source)
    _check_keys(manifest.get("encryption_keys"))
    connection = connections[using]
    engine = _engine(connection)
    if manifest["database"].get("engine") != engine:
        raise BackupError(f"The set holds a {manifest['database'].get('engine')} database; this site runs on {engine}.")
    pending = _check_migrations(manifest.get("migrations") or {})
    media_root = Path(settings.MEDIA_ROOT)
    if not replace:
        held = {table: count for table, count in _present_counts(connection).items() if count}
        if held:
            raise BackupError(
                f"The database already holds data ({sum(held.values())} rows in {len(held)} tables); "
                "give --yes to replace it with the backup."
            )
        if media_root.is_dir() and any(media_root.iterdir()):
            raise BackupError(f"{media_root} already holds files; give --yes to replace them with the backup's.")
    database_file = source / manifest["database"]["file"]
    if engine == "postgresql":
        _restore_postgresql(connection, database_file)
    else:
        _restore_sqlite(connection, database_file)
    _restore_media(source / MEDIA_FILE, media_root)
    expected: dict[str, int] = manifest.get("row_counts") or {}
    found = _present_counts(connection)
    differing = [
        f"{table} {found.get(table, 'missing')} (manifest {count})"
        for table, count in sorted(expected.items())
        if found.get(table) != count
    ]
    if differing:
        raise BackupError(f"Restored, but row counts differ from the manifest: {'; '.join(differing)}.")
    media = manifest.get("media") or {}
    return RestoreSummary(
        created_at=str(manifest.get("created_at")),
        engine=engine,
        tables=len(expected),
        rows=sum(expected.values()),
        files=int(media.get("files", 0)),
        bytes=int(media.get("bytes", 0)),
        pending_migrations=pending,
    )


def _check_keys(needed: object) -> None:
    """Refuse before anything is replaced when a key the set's encrypted fields need is not configured."""
    if not isinstance(needed, list) or not all(isinstance(item, str) for item in needed):
        raise BackupError("The manifest names no encryption key fingerprints (encryption_keys).")
    missing = [fingerprint for fingerprint in needed if fingerprint not in key_fingerprints()]
    if missing:
        raise BackupError(
            "FIELD_ENCRYPTION_KEY does not hold the key(s) the backup was made with "
            f"(fingerprints {', '.join(missing)}); the patient references could not be read. "
            "Configure the backup's key (the current one first, older ones after it) and restore again."
        )


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


def _engine(connection: BaseDatabaseWrapper) -> str:
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


def _present_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    try:
        with connection.cursor() as cursor:
            return _state(cursor, connection.introspection.table_names(cursor))[1]
    except DatabaseError as error:
        raise BackupError(f"The database cannot be read: {_first_line(str(error))}") from error


def _dump_postgresql(connection: BaseDatabaseWrapper, path: Path) -> tuple[dict[str, str], dict[str, int]]:
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


def _dump_sqlite(connection: BaseDatabaseWrapper, path: Path) -> tuple[dict[str, str], dict[str, int]]:
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


def _restore_postgresql(connection: BaseDatabaseWrapper, dump: Path) -> None:
    """Drop what the database holds and load the dump, in one transaction: on any error the
    database is left as it was. pg_restore turns the dump into SQL; psql runs it."""
    try:
        with connection.cursor() as cursor:
            existing = connection.introspection.get_table_list(cursor)
    except DatabaseError as error:
        raise BackupError(f"The database cannot be read: {_first_line(str(error))}") from error
    connection.close()
    script = ["BEGIN;"]
    script += [f"DROP {'VIEW' if t.type == 'v' else 'TABLE'} IF EXISTS {_quote(t.name)} CASCADE;" for t in existing]
    # Anything else the database holds (functions, types) is left; our migrations create none.
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


def _restore_sqlite(connection: BaseDatabaseWrapper, path: Path) -> None:
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


def _write_media(path: Path) -> tuple[int, int]:
    """Tar everything under MEDIA_ROOT; return how many files and bytes went in."""
    root = Path(settings.MEDIA_ROOT)
    files = size = 0
    with tarfile.open(path, "w") as tar:
        if root.is_dir():
            for child in sorted(root.iterdir()):
                tar.add(child, arcname=child.name)
            for member in tar.getmembers():
                if member.isfile():
                    files, size = files + 1, size + member.size
    return files, size


def _restore_media(archive: Path, root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    with tarfile.open(archive) as tar:
        # The "data" filter refuses absolute names, names that climb out and device files.
        tar.extractall(root, filter="data")


def _check_migrations(migrations: Mapping[str, str]) -> int:
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


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _site_version() -> str | None:
    """The commit the code was deployed from, when it is a git checkout."""
    git = shutil.which("git")
    if git is None or not (Path(settings.BASE_DIR) / ".git").exists():
        return None
    try:
        result = subprocess.run(  # noqa: S603  # git found on PATH, fixed arguments
            [git, "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    return result.stdout.strip() or None


def _read(stream: IO[bytes]) -> str:
    stream.seek(0)
    return stream.read().decode(errors="replace")


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else "no message"
