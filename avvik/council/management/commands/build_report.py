"""TODO"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from avvik.council.freezing import published_figures
from avvik.council.pdf import render_report_html, render_report_pdf
from avvik.council.periods import Period
from avvik.council.selectors import council_summaries
from avvik.tenancy.models import Partnership


class Command(BaseCommand):
    help = "Build one council report as a PDF, e.g. --partnership demo --quarter 2026Q3 --output report.pdf"

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, help="The partnership's short name (slug).")
        parser.add_argument("--quarter", required=True, help="2026Q3 for a quarter, or 2026 for a year.")
        parser.add_argument("--output", required=True, help="Where to write the PDF.")

    def handle(self, *args, partnership, quarter, output, **options):

        try:
            chosen = Partnership.objects.get(slug=partnership)
        except Partnership.DoesNotExist:
            raise CommandError(f"No partnership with the short name {partnership!r}.") from None
        try:
            period = Period.parse(quarter)
        except ValueError:
            raise CommandError(f"{quarter!r} is not a period: use 2026Q3 or 2026.") from None
        with translation.override(chosen.written_form):
            stats, figures = published_figures(chosen, period)
            summaries = council_summaries(chosen, period)
        html = render_report_html(
            stats, summaries=summaries, generated_at=timezone.now(), language=chosen.written_form, figures=figures
        )
        pdf = render_report_pdf(html)
        Path(output).write_bytes(pdf)
        self.stdout.write(
            self.style.SUCCESS(f"{output}: {len(pdf)} bytes, {stats.new} new deviations in {period.label}.")
        )
