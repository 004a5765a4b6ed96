"""TODO"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from avvik.demo.cases import seed_cases
from avvik.demo.tenancy import DEMO_PASSWORD, seed_tenancy
from avvik.tenancy.models import Partnership


class Command(BaseCommand):
    help = "Load the demo partnerships, organisations, people and cases. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--no-cases", action="store_true", help="Only the partnerships and people.")

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            # Its people share a password published in the repository: never on a real site.
            raise CommandError(
                "seed_demo refuses to run with ENVIRONMENT=production: its people share a published password."
            )
        emails = seed_tenancy()
        if not options["no_cases"]:
            created = seed_cases(Partnership.objects.get(slug="demo"), 45, seed=2026)
            created += seed_cases(Partnership.objects.get(slug="nord"), 15, seed=2027)
            if created:
                self.stdout.write(f"Created {created} demo deviations.")
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at http://127.0.0.1:8000/ as:"))
        for email in emails:
            self.stdout.write(f"  {email}")
        self.stdout.write(f"Password for all: {DEMO_PASSWORD}")
