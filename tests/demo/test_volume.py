"""`seed_volume`: bulk volume data that keeps the invariants the services keep."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F, Max, Sum
from django.utils import timezone

from avvik.cases import services
from avvik.cases.choices import ENDED_STATUSES, OPEN_STATUSES, Status
from avvik.cases.models.deviation import Deviation
from avvik.catalogue.models import Category
from avvik.demo.volume import VOLUME_PASSWORD
from avvik.tenancy.choices import Role
from avvik.tenancy.models import Membership, Organisation, User

pytestmark = pytest.mark.django_db


def seed(deviations: int, partnerships: int = 2) -> str:
    out = StringIO()
    call_command("seed_volume", deviations=deviations, partnerships=partnerships, batch_size=150, stdout=out)
    return out.getvalue()


def test_seed_volume_creates_consistent_cases():
    output = seed(400)
    cases = Deviation.objects.all()
    assert cases.count() == 400
    assert "Password for all" in output
    statuses = set(cases.values_list("status", flat=True))
    assert Status.CLOSED in statuses
    assert statuses & set(OPEN_STATUSES)
    assert not cases.filter(status__in=ENDED_STATUSES, closed_at__isnull=True).exists()
    assert not cases.filter(status__in=OPEN_STATUSES, closed_at__isnull=False).exists()
    assert not cases.filter(status=Status.ANSWERED, answered_at__isnull=True).exists()
    assert not cases.filter(status=Status.WAITING, waiting_since__isnull=True).exists()
    assert not cases.filter(triage_due__isnull=True).exists()
    assert (
        not cases.exclude(status=Status.SUBMITTED)
        .filter(status__in=OPEN_STATUSES, responsible_organisation__isnull=True)
        .exists()
    )
    assert not cases.filter(counterpart=F("reporting_organisation")).exists()
    assert not cases.filter(updated_at__gt=timezone.now()).exists()
    # One transition per version, the last one at the case's last change.
    timeline = cases.annotate(steps=Count("transitions"), last=Max("transitions__at"))
    assert not timeline.exclude(steps=F("version")).exists()
    assert not timeline.exclude(last=F("updated_at")).exists()
    assert cases.values("reference").distinct().count() == 400


def test_counters_continue_after_seed_so_filing_works():
    seed(200)
    hospital = Organisation.objects.filter(kind="hospital_trust").first()
    reporter = Membership.objects.filter(organisation=hospital, role=Role.REPORTER).first().user
    deviation = services.deviation_submit(
        by=reporter,
        organisation=hospital,
        data={
            "occurred_at": timezone.now(),
            "counterpart": Organisation.objects.filter(partnership=hospital.partnership).exclude(pk=hospital.pk)[0],
            "category": Category.objects.filter(partnership=hospital.partnership)[0],
            "consequence": "minor",
            "title": "Ny sak",
            "description": "Etter volumdata.",
        },
    )
    year = timezone.localdate().year
    # Generated cases are numbered; a filed case's reference is random, and never one of theirs.
    assert re.fullmatch(rf"SA-{year}-[34679ACDEFGHJKMNPQRTWXY]{{6}}", deviation.reference)
    assert Deviation.objects.filter(reference=deviation.reference).count() == 1


def test_seed_tops_up_and_never_repeats():
    seed(150)
    output = seed(150)
    assert "Nothing to add" in output
    seed(300)
    assert Deviation.objects.count() == 300
    assert Deviation.objects.values("reference").distinct().count() == 300


def test_people_in_every_role_can_log_in():
    seed(10, partnerships=1)
    coordinator = User.objects.get(memberships__role=Role.COORDINATOR, email__startswith="koordinator1@")
    assert coordinator.check_password(VOLUME_PASSWORD)
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)


@pytest.mark.postgres
def test_a_large_load_rebuilds_every_index_it_dropped(monkeypatch):
    from django.db import connection

    monkeypatch.setattr("avvik.demo.management.commands.seed_volume.DEFER_INDEXES_FROM", 1)

    def indexes():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename IN ('cases_deviation', 'cases_transition')"
            )
            return {name for (name,) in cursor.fetchall()}

    before = indexes()
    assert "Building indexes" in seed(50)
    assert indexes() == before
    assert {"deviation_search_document", "deviation_answer_clock_due", "transition_action_at"} <= before


@pytest.mark.postgres
def test_a_large_load_counts_its_cases_into_the_council_figures_and_keeps_counting(monkeypatch, world, reporter):
    from avvik.council.models import MonthlyCount
    from tests.builders import file_case

    monkeypatch.setattr("avvik.demo.management.commands.seed_volume.DEFER_INDEXES_FROM", 1)
    seed(60)
    counted = MonthlyCount.objects.filter(measure="new").aggregate(n=Sum("cases"))["n"]
    assert counted == Deviation.objects.exclude(status=Status.MERGED).count() > 0
    file_case(reporter, world.municipality)  # counted by its trigger again after the load
    assert MonthlyCount.objects.filter(measure="new").aggregate(n=Sum("cases"))["n"] == counted + 1


def _wholly_hidden(figures) -> list[str]:
    """The breakdowns of the council's figures in which no count other than 0 is shown."""
    breakdowns = {
        "category": [line.count for line in figures.by_category],
        "consequence": [line.count for line in figures.by_consequence],
        "clause": [line.count for line in figures.clause_lines],
        "reporting organisation": [line.count for line in figures.by_reporting_organisation],
        "matrix": [count for row in figures.matrix for count in row.counts],
    }
    return [name for name, counts in breakdowns.items() if not any(count.value for count in counts)]


def test_the_council_partnership_has_a_quarter_where_no_breakdown_is_wholly_hidden():
    from avvik.council.disclosure import council_figures
    from avvik.council.periods import Period
    from avvik.demo.volume.loading import COUNCIL_QUARTER_CASES
    from avvik.tenancy.models import Partnership

    call_command("seed_council_quarter", stdout=StringIO())
    call_command("seed_council_quarter", stdout=StringIO())  # safe to run again
    (partnership,) = Partnership.objects.all()
    quarter = Period.last_completed_quarter(timezone.localdate())
    stats, figures = council_figures(partnership, quarter)
    assert Deviation.objects.count() == stats.new == COUNCIL_QUARTER_CASES
    assert _wholly_hidden(figures) == []
    assert figures.triage_on_time.total.value and figures.answer_on_time.total.value


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics are PostgreSQL's")
def test_a_load_leaves_the_planner_statistics_gathered():
    seed(200)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Deviation._meta.db_table])
        (estimated,) = cursor.fetchone()
    assert estimated == Deviation.objects.count()  # -1 or 0 until ANALYZE has run


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_load_outside_a_transaction_leaves_the_tables_vacuumed():
    """As autovacuum would: the visibility map set, so counts can read the index alone."""
    output = seed(200)
    with connection.cursor() as cursor:
        cursor.execute("SELECT relallvisible FROM pg_class WHERE relname = %s", [Deviation._meta.db_table])
        (all_visible,) = cursor.fetchone()
    assert "VACUUM (ANALYZE) done" in output
    assert all_visible > 0
