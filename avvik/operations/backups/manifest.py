"""A backup set's manifest and its checks: the format, the files with their SHA-256, and the
encryption keys the set needs, named by fingerprint."""

import hashlib
import json
from pathlib import Path
from typing import Any

from avvik.core.crypto import key_fingerprints

FORMAT = "samhandling-backup"


FORMAT_VERSION = 1


MANIFEST = "manifest.json"


MEDIA_FILE = "media.tar"


DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


ENCRYPTION_NOTE = (
    "Encrypted fields (patient references) are in this backup as they are stored: encrypted. "
    "FIELD_ENCRYPTION_KEY is not in it; keep the key apart from the backups. Without the key the "
    "backup was made with, a restore cannot read the patient references. The keys it needs are "
    "named by their fingerprints under encryption_keys; a restore refuses without each of them."
)


CHUNK = 1024 * 1024


class BackupError(Exception):
    """A refusal or a failure, told in one line."""


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
        elif sha256(directory / name) != digest:
            damaged.append(name)
    if missing:
        raise BackupError(f"Files of the set are missing: {', '.join(missing)}.")
    if damaged:
        raise BackupError(
            f"Files do not match their SHA-256 in the manifest: {', '.join(damaged)}. "
            "The set is damaged or was changed."
        )
    return manifest


def check_keys(needed: object) -> None:
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


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
