"""Benchmark the council report: a quarter with many cases, statistics plus PDF, time and peak memory."""

import json
import random
import resource
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from avvik.administration.services import partnership_setup
from avvik.cases.choices import Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.records import Transition
from avvik.catalogue.choices import Consequence
from avvik.catalogue.models import Category
from avvik.council.counting import statistics_for
from avvik.council.pdf import render_report_html, render_report_pdf
from avvik.council.periods import Period
from avvik.tenancy.choices import OrganisationKind
from avvik.tenancy.models import Organisation, Partnership, User

SLUG = "bench"
QUARTER = Period.quarter(2026, 3)
OSLO = ZoneInfo("Europe/Oslo")


class Command(BaseCommand):
    help = "Seed a quarter with many cases in a 'bench' partnership, or measure building its report."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=10_000)
        parser.add_argument("--measure", action="store_true", help="Build the report and print time and memory.")

    def handle(self, *args, cases, measure, **options):
        if measure:
            self.stdout.write(json.dumps(self.measure()))
            return
        self.seed(cases)

    @transaction.atomic
    def seed(self, count: int) -> None:
        partnership, _ = Partnership.objects.get_or_create(slug=SLUG, defaults={"name": "Helsefellesskap Bench"})
        partnership_setup(partnership=partnership)
        existing = Deviation.objects.filter(partnership=partnership).count()
        if existing >= count:
            self.stdout.write(f"{existing} cases already there.")
            return
        organisations = []
        for index in range(6):
            organisation, _ = Organisation.objects.get_or_create(
                partnership=partnership,
                name=f"Bench virksomhet {index}",
                defaults={
                    "kind": OrganisationKind.HOSPITAL_TRUST if index == 0 else OrganisationKind.MUNICIPALITY,
                    "organisation_number": str(990000000 + index * 1000 + _check_offset(index)),
                },
            )
            organisations.append(organisation)
        reporter, _ = User.objects.get_or_create(email="bench@bench.invalid", defaults={"full_name": "Bench"})
        categories = list(Category.objects.filter(partnership=partnership))
        rng = random.Random(8)
        start = datetime.combine(QUARTER.start, datetime.min.time(), tzinfo=OSLO)
        rows = []
        for number in range(existing, count):
            reporting, counterpart = rng.sample(organisations, 2)
            created = start + timedelta(minutes=rng.randint(0, 60 * 24 * 90))
            status = rng.choice([Status.CLOSED] * 5 + [Status.ANSWERED, Status.IN_PROGRESS, Status.SUBMITTED])
            answered = (
                created + timedelta(days=rng.randint(1, 20)) if status in (Status.CLOSED, Status.ANSWERED) else None
            )
            rows.append(
                Deviation(
                    reference=f"SB-{number:07d}",
                    partnership=partnership,
                    status=status,
                    reporter=reporter,
                    reporting_organisation=reporting,
                    counterpart=counterpart,
                    responsible_organisation=None if status == Status.SUBMITTED else counterpart,
                    category=rng.choice(categories),
                    consequence=rng.choice(Consequence.values),
                    title="Bench",
                    description="Bench",
                    occurred_at=created,
                    created_at=created,
                    forwarded_at=None if status == Status.SUBMITTED else created + timedelta(days=1),
                    triaged_at=None if status == Status.SUBMITTED else created + timedelta(days=1),
                    triage_due=(created + timedelta(days=3)).date(),
                    answer_due=(created + timedelta(days=14)).date(),
                    answered_at=answered,
                    answer_measures="Tiltak" if answered else "",
                    measures_done=bool(answered) and rng.random() < 0.6,
                    closed_at=answered + timedelta(days=2) if status == Status.CLOSED else None,
                )
            )
        Deviation.objects.bulk_create(rows, batch_size=2000)
        created = Deviation.objects.filter(partnership=partnership, forwarded_at__isnull=False).values_list(
            "pk", "forwarded_at"
        )
        Transition.objects.bulk_create(
            [
                Transition(deviation_id=pk, action="forward", from_status="submitted", to_status="forwarded", at=at)
                for pk, at in created
            ],
            batch_size=2000,
        )
        self.stdout.write(f"Seeded {count - existing} cases in {QUARTER.label}.")

    def measure(self) -> dict:

        partnership = Partnership.objects.get(slug=SLUG)
        started = time.perf_counter()
        stats = statistics_for(partnership, QUARTER)
        counted = time.perf_counter()
        html = render_report_html(stats, summaries=[], generated_at=timezone.now(), language="nb")
        pdf = render_report_pdf(html)
        finished = time.perf_counter()
        return {
            "cases": stats.new,
            "statistics_seconds": round(counted - started, 2),
            "pdf_seconds": round(finished - counted, 2),
            "total_seconds": round(finished - started, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "pdf_bytes": len(pdf),
        }


def _check_offset(index: int) -> int:
    """The smallest offset that makes a valid organisation number (mod 11 check digit)."""
    from stdnum.no import orgnr

    base = 990000000 + index * 1000
    offset = 0
    while not orgnr.is_valid(str(base + offset)):
        offset += 1
    return offset
