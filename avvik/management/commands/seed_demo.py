from django.core.management.base import BaseCommand

from avvik.demo import DEMO_PASSWORD, seed_tenancy


class Command(BaseCommand):
    help = "Load the demo partnerships, organisations and people. Safe to run again."

    def handle(self, *args, **options):
        emails = seed_tenancy()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at http://127.0.0.1:8000/ as:"))
        for email in emails:
            self.stdout.write(f"  {email}")
        self.stdout.write(f"Password for all: {DEMO_PASSWORD}")
