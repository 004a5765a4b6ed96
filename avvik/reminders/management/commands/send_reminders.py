"""Run one reminder sweep now, send what it wrote, and say how much that was.

Several runs at once (or a run beside the beat's sweep) write each reminder once between them;
each run reports and sends only the rows it wrote itself.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

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
                self.stderr.write(
                    _("Notification {pk} was not sent ({error}); it is retried later.").format(pk=pk, error=exc)
                )
        self.stdout.write(
            self.style.SUCCESS(
                _("Reminders written by this run: {written}; sent: {sent}.").format(
                    written=len(result.notifications), sent=sent
                )
            )
        )
