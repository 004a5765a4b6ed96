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

from avvik.operations.backups.manifest import MANIFEST, MEDIA_FILE, BackupError, backup_verify
from avvik.operations.backups.sets import RestoreSummary, backup_create, backup_restore

__all__ = [
    "MANIFEST",
    "MEDIA_FILE",
    "BackupError",
    "RestoreSummary",
    "backup_create",
    "backup_restore",
    "backup_verify",
]
