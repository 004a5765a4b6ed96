"""TODO"""

import resource
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from avvik.cases.models.deviation import Deviation
from avvik.demo.volume import (
    EMAIL_DOMAIN,
    SLUG_PREFIX,
    VOLUME_PASSWORD,
    cases_create,
    indexes_deferred,
    indexes_restore,
    tenancy_create,
    volume_cases,
)

# From this many new cases, and at least as many as there are, indexes are built after the load.
DEFER_INDEXES_FROM = 100_000


class Command(BaseCommand):
    help = (
        "Load volume data for load tests: partnerships with organisations, people in every role and "
        "many cases in bulk. Run again with a larger --deviations to top up; never deletes anything."
    )

    def add_arguments(self, parser):
        parser.add_argument("--deviations", type=int, default=100_000, help="Cases wanted in the volume partnerships.")
        parser.add_argument("--partnerships", type=int, default=19, help="Norway has 19 health partnerships.")
        parser.add_argument("--batch-size", type=int, default=20_000)
        parser.add_argument("--seed", type=int, default=8)

    def handle(self, *args, deviations, partnerships, batch_size, seed, **options):
        if settings.PRODUCTION:
            # Its people share a password published in the repository: never on a real site.
            raise CommandError(
                "seed_volume refuses to run with ENVIRONMENT=production: its people share a published password."
            )
        if deviations < 0 or partnerships < 1:
            raise CommandError("--deviations must be 0 or more and --partnerships 1 or more.")
        started = time.monotonic()
        rebuilt = indexes_restore()  # a load that was stopped halfway may have left them dropped
        if rebuilt:
            self.stdout.write(f"Rebuilt indexes: {', '.join(rebuilt)}")
        tenants = tenancy_create(partnerships, seed)
        existing = volume_cases(tenants)
        wanted = deviations - existing
        self.stdout.write(
            f"{partnerships} partnerships ready in {time.monotonic() - started:.1f} s; "
            f"{existing:,} cases there already."
        )
        if wanted <= 0:
            self.stdout.write("Nothing to add.")
        else:
            # A top-up draws from another seed, so it does not repeat the first run's cases.
            self.stdout.write(f"Adding {wanted:,} cases.")
            defer = wanted >= DEFER_INDEXES_FROM and wanted >= Deviation.objects.count()
            with indexes_deferred(defer):
                progress = cases_create(
                    tenants, wanted, seed=seed + existing, batch_size=batch_size, report=self._progress(started, wanted)
                )
                if defer:
                    self.stdout.write(f"Building indexes ({time.monotonic() - started:.1f} s).")
            self.stdout.write(
                f"Added {progress.created:,} cases, {progress.transitions:,} transitions, "
                f"{progress.comments:,} comments, {progress.patients:,} patient references."
            )
        # A fresh load has no planner statistics, and no visibility map (an index-only scan then
        # reads every row's table page), until autovacuum comes by: do what it would. VACUUM cannot
        # run inside a transaction (a test's); the statistics alone can.
        if connection.vendor == "postgresql":
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            with connection.cursor() as cursor:
                cursor.execute(command)
            self.stdout.write(f"{command} done ({time.monotonic() - started:.1f} s).")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s, peak memory {peak:.0f} MB."))
        self.stdout.write(
            f"People: koordinator1@{SLUG_PREFIX}01.{EMAIL_DOMAIN} (coordinator), fagrad@{SLUG_PREFIX}01.{EMAIL_DOMAIN} "
            f"(council), melder1.org00@{SLUG_PREFIX}01.{EMAIL_DOMAIN} (reporter, hospital trust), "
            f"avvik1.org00@{SLUG_PREFIX}01.{EMAIL_DOMAIN} (handler), leder1.org01@{SLUG_PREFIX}01.{EMAIL_DOMAIN} "
            f"(organisation administrator, municipality); the same in {SLUG_PREFIX}02 and on."
        )
        self.stdout.write(f"Password for all: {VOLUME_PASSWORD}")

    def _progress(self, started: float, wanted: int):
        def report(progress):
            elapsed = time.monotonic() - started
            self.stdout.write(
                f"  {progress.created:>10,} / {wanted:,} cases  {elapsed:6.1f} s  "
                f"({progress.created / max(elapsed, 0.001):,.0f} per second)"
            )

        return report
