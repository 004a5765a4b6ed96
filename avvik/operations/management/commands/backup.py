"""`manage.py backup --to DIR` writes a backup set; `manage.py backup --verify DIR` checks one.

The set holds the database, the files under MEDIA_ROOT and a manifest with their checksums
(avvik/operations/backups/, docs/deploy.md). FIELD_ENCRYPTION_KEY is not in it.
"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from avvik.operations.backups import BackupError, backup_create, backup_verify


class Command(BaseCommand):
    help = "Write a backup set (database, uploaded files, manifest) into a new folder, or verify one."

    def add_arguments(self, parser: ArgumentParser) -> None:
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--to", type=Path, metavar="DIR", help="A new or empty folder to write the set into.")
        action.add_argument("--verify", type=Path, metavar="DIR", help="Check the checksums of the set in DIR.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to back up.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["verify"] is not None:
                manifest = backup_verify(directory=options["verify"])
                self.stdout.write(
                    self.style.SUCCESS(
                        f"The set in {options['verify']} of {manifest['created_at']} is intact: "
                        f"{len(manifest['files'])} files match their SHA-256."
                    )
                )
                return
            manifest = backup_create(to=options["to"], using=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        media = manifest["media"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup set written to {options['to']}: {manifest['database']['engine']} database with "
                f"{sum(manifest['row_counts'].values())} rows in {len(manifest['row_counts'])} tables, "
                f"{media['files']} files ({media['bytes']} bytes)."
            )
        )
        self.stdout.write(
            "FIELD_ENCRYPTION_KEY is not in the set: keep it apart. Without it patient references cannot be read."
        )
