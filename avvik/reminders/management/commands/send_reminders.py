"""Run one reminder sweep now, send what it wrote, and say how much that was.

Several runs at once (or a run beside the beat's sweep) write each reminder once between them;
each run reports and sends only the rows it wrote itself.
"""

import time
from datetime import date

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from avvik.deadlines.phrases import reason_text
from avvik.outbox.delivery import SendFailed, send_notification
from avvik.outbox.writing import Notice
from avvik.reminders.sweep import sweep_deadlines


class Command(BaseCommand):
    help = "Run one reminder sweep now, send what it wrote, and print it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-send",
            action="store_true",
            help="Only write the outbox rows and print the counts; the outbox's own delivery sends them.",
        )
        parser.add_argument("--today", type=date.fromisoformat, help="Sweep as on this day (YYYY-MM-DD).")

    def handle(self, *args, **options):
        self.sent = 0
        quiet = options["no_send"]
        started = time.perf_counter()
        result = sweep_deadlines(options["today"], on_batch=None if quiet else self.print_and_send)
        seconds = time.perf_counter() - started
        if quiet:
            self.stdout.write(
                _("Cases looked at: {cases}; reminders written: {written}; {seconds:.2f} s.").format(
                    cases=result.cases, written=result.written, seconds=seconds
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Reminders written by this run: {written}; sent: {sent}.").format(
                    written=result.written, sent=self.sent
                )
            )
        )

    def print_and_send(self, notices: list[Notice]) -> None:
        for notice in notices:
            names = ", ".join(sorted(user.email for user in notice.recipients))
            reference = getattr(notice.deviation, "reference", "")
            self.stdout.write(f"{reference}: {notice.kind} → {names} ({reason_text(notice.reason)})")
            for pk in notice.ids:
                try:
                    self.sent += send_notification(pk)
                except SendFailed as exc:
                    self.stderr.write(
                        _("Notification {pk} was not sent ({error}); it is retried later.").format(pk=pk, error=exc)
                    )
