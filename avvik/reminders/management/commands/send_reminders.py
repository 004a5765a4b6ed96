"""TODO"""

from django.core.management.base import BaseCommand

from avvik.outbox.delivery import SendFailed, send_notification
from avvik.reminders.sweep import sweep_deadlines


class Command(BaseCommand):
    help = "Run one reminder sweep now, send what it wrote, and print it."

    def handle(self, *args, **options):
        result = sweep_deadlines()
        for line in result.lines:
            self.stdout.write(line)
        sent = 0
        for pk in result.notifications:
            try:
                sent += send_notification(pk)
            except SendFailed as exc:
                self.stderr.write(f"notification {pk}: {exc} (left for the outbox sweep)")
        self.stdout.write(self.style.SUCCESS(f"{len(result.notifications)} reminders written, {sent} sent."))
