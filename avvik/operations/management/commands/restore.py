"""`manage.py restore --from DIR` puts a backup set back: verified first, checked after.

Refused, with a one-line message and a non-zero exit code: a damaged set, a set made by newer
code, a database or media folder that holds anything (unless --yes), and ENVIRONMENT=production
(unless --allow-production). Stop web, worker and beat before restoring.
"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from avvik.operations.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup set made by `manage.py backup` into the database and MEDIA_ROOT."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--from", dest="source", type=Path, required=True, metavar="DIR", help="The set's folder.")
        parser.add_argument(
            "--yes",
            "--force",
            dest="replace",
            action="store_true",
            help="Replace a database and a media folder that already hold data.",
        )
        parser.add_argument("--allow-production", action="store_true", help="Restore although ENVIRONMENT=production.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to restore into.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_restore(
                source=options["source"],
                using=options["database"],
                replace=options["replace"],
                allow_production=options["allow_production"],
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {summary.created_at} ({summary.engine}): {summary.rows} rows in "
                f"{summary.tables} tables, as in the manifest; {summary.files} files ({summary.bytes} bytes)."
            )
        )
        if summary.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"This code has {summary.pending_migrations} migrations the backup had not applied: "
                    "run `manage.py migrate` before starting the site."
                )
            )
        self.stdout.write("Patient references can only be read with the FIELD_ENCRYPTION_KEY the backup was made with.")
