"""Load a register file into a partnership's register copy: `manage.py load_address_register FILE
--partnership SLUG [--dry-run]`. A file with errors imports nothing and the command fails."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from avvik.register.services import register_import
from avvik.tenancy.models import Partnership


class Command(BaseCommand):
    help = "Load a copy of the address register (CSV or JSON, docs/address-register.md) for a partnership."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--partnership", required=True, help="The slug of the health partnership.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; store nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            partnership = Partnership.objects.get(slug=options["partnership"])
        except Partnership.DoesNotExist as exc:
            raise CommandError(f"No health partnership {options['partnership']!r}.") from exc
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        result = register_import(
            partnership=partnership, data=data, source=path.name, by=None, dry_run=options["dry_run"]
        )
        for problem in result.problems:
            where = f"line {problem.line}: " if problem.line is not None else ""
            level = "error" if problem.is_error else "warning"
            self.stderr.write(f"{path.name}: {where}{level}: {problem.message}")
        counts = ", ".join(f"{kind}: {count}" for kind, count in result.counts.items())
        if not result.importable:
            raise CommandError(f"{len(result.errors)} errors; nothing was imported.")
        verb = "Would import" if options["dry_run"] else "Imported"
        self.stdout.write(f"{verb} {result.rows} rows ({result.encoding}) for {partnership.slug}: {counts}.")
