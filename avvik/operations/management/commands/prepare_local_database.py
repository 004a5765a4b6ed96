"""`make run`'s first step: a local database made by an earlier layout of the code is rebuilt.

Before the domain was divided into areas, every table belonged to one app, "avvik"; its
migrations no longer exist, so such a database cannot be migrated. The embedded SQLite database
under var/ holds only demo data, so it is removed and made afresh, and the person is told.
A PostgreSQL database is never touched: its operator is told what to do instead.
"""

import sqlite3
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

OLD_APP = "avvik"


def made_by_old_layout(path: Path) -> bool:
    """Whether the SQLite file at `path` has migrations of the app from before the areas."""
    with sqlite3.connect(path) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "django_migrations" not in tables:
            return False
        return connection.execute("SELECT 1 FROM django_migrations WHERE app = ?", [OLD_APP]).fetchone() is not None


class Command(BaseCommand):
    help = "Rebuild the local demo database if it was made by the code before its areas (make run does this)."

    def handle(self, *args: object, **options: object) -> None:
        database = settings.DATABASES["default"]
        if connection.vendor != "sqlite":  # the engine may be a wrapper that counts queries
            self._check_server_database()
            return
        path = Path(database["NAME"])
        if not path.exists() or not made_by_old_layout(path):
            return
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        self.stdout.write(
            self.style.WARNING(
                f"The local database {path} was made by an earlier version whose tables all belonged to one app. "
                "It held only demo data and is made afresh now, with the demo data loaded again."
            )
        )

    def _check_server_database(self) -> None:
        if "django_migrations" not in connection.introspection.table_names():
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM django_migrations WHERE app = %s", [OLD_APP])
            if cursor.fetchone() is not None:
                raise CommandError(
                    "This database was made by an earlier version whose tables all belonged to one app, "
                    f'"{OLD_APP}". Nothing was changed. Nothing is deployed on that layout: make a new, empty '
                    "database and point DATABASE_URL at it."
                )
