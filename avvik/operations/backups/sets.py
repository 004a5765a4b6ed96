"""Making and restoring a whole backup set (`manage.py backup`, `manage.py restore`)."""

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from avvik.core.crypto import key_fingerprints
from avvik.operations.backups.databases import (
    check_migrations,
    dump_postgresql,
    dump_sqlite,
    engine_of,
    present_counts,
    restore_postgresql,
    restore_sqlite,
)
from avvik.operations.backups.manifest import (
    DATABASE_FILES,
    ENCRYPTION_NOTE,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA_FILE,
    BackupError,
    backup_verify,
    check_keys,
    sha256,
)
from avvik.operations.backups.media import restore_media, write_media


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
    engine = engine_of(connection)
    if to.exists() and (not to.is_dir() or any(to.iterdir())):
        raise BackupError(f"{to} is not an empty folder: a backup set is written into a new or empty one.")
    if to.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve()):
        raise BackupError(f"{to} is inside MEDIA_ROOT: the set would hold itself. Write it elsewhere.")
    to.mkdir(mode=0o700, parents=True, exist_ok=True)
    database_file = to / DATABASE_FILES[engine]
    if engine == "postgresql":
        migrations, counts = dump_postgresql(connection, database_file)
    else:
        migrations, counts = dump_sqlite(connection, database_file)
    files, size = write_media(to / MEDIA_FILE)
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
        "files": {path.name: sha256(path) for path in (database_file, to / MEDIA_FILE)},
    }
    manifest_path = to / MANIFEST
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    manifest_path.chmod(0o600)
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
    check_keys(manifest.get("encryption_keys"))
    connection = connections[using]
    engine = engine_of(connection)
    if manifest["database"].get("engine") != engine:
        raise BackupError(f"The set holds a {manifest['database'].get('engine')} database; this site runs on {engine}.")
    pending = check_migrations(manifest.get("migrations") or {})
    media_root = Path(settings.MEDIA_ROOT)
    if not replace:
        held = {table: count for table, count in present_counts(connection).items() if count}
        if held:
            raise BackupError(
                f"The database already holds data ({sum(held.values())} rows in {len(held)} tables); "
                "give --yes to replace it with the backup."
            )
        if media_root.is_dir() and any(media_root.iterdir()):
            raise BackupError(f"{media_root} already holds files; give --yes to replace them with the backup's.")
    database_file = source / manifest["database"]["file"]
    if engine == "postgresql":
        restore_postgresql(connection, database_file)
    else:
        restore_sqlite(connection, database_file)
    restore_media(source / MEDIA_FILE, media_root)
    expected: dict[str, int] = manifest.get("row_counts") or {}
    found = present_counts(connection)
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
