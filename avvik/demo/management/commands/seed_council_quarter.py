"""`seed_council_quarter`: one partnership whose last completed quarter has enough cases for a council
report in which no breakdown is wholly hidden (the hand-made demo partnerships have too few)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from avvik.demo.volume import VOLUME_PASSWORD, tenancy_create, volume_cases
from avvik.demo.volume.loading import COUNCIL_QUARTER_CASES, council_quarter_create


class Command(BaseCommand):
    help = "Load one partnership with a full last completed quarter, for the council's report. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--deviations", type=int, default=COUNCIL_QUARTER_CASES)

    def handle(self, *args, deviations, **options):
        if settings.PRODUCTION:
            # Its people share a password published in the repository: never on a real site.
            raise CommandError("seed_council_quarter refuses to run with ENVIRONMENT=production.")
        (partnership,) = tenancy_create(1, 8)
        if volume_cases([partnership]):
            self.stdout.write(f"{partnership.name} has its cases already.")
            return
        council_quarter_create(partnership, count=deviations)
        self.stdout.write(self.style.SUCCESS(f"{partnership.name}: {deviations} cases in the last completed quarter."))
        self.stdout.write(f"Password for its people: {VOLUME_PASSWORD}")
