"""The council's counts of the statutory duties: required, recorded, late; breaches and their decisions."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from avvik.cases.models.deviation import Deviation
from avvik.duties import services
from avvik.duties.rules import required_rule
from avvik.duties.selectors import DutyCounts, duty_counts
from tests.builders import file_case
from tests.duties.helpers import grade, moderate_rule
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime.fromisoformat("2026-11-23T09:00:00+01:00")


def _record(case, by, sent_at):
    services.alert_record(
        deviation=case,
        by=by,
        sent_at=sent_at,
        recipients=required_rule(case).recipients,
        not_informed_reason="Ukjent.",
    )


def test_duty_counts_for_a_period(world, reporter, coordinator, other_reporter):
    with time_machine.travel(MONDAY, tick=False):
        in_time, late, _unrecorded = (grade(file_case(reporter, world.municipality)) for _ in range(3))
        file_case(reporter, world.municipality)  # minor: nothing required
        grade(file_case(other_reporter, OrganisationFactory(partnership=world.other_partnership)))
        _record(in_time, coordinator, timezone.now())
        notified, not_notified, undecided = (file_case(reporter, world.municipality) for _ in range(3))
        for case in (notified, not_notified, undecided):
            services.breach_mark(deviation=case, by=coordinator, aware_at=timezone.now())
        services.breach_decide(
            deviation=not_notified, by=coordinator, decision="not_notified", not_notified_reason="Nei."
        )
    with time_machine.travel(MONDAY + timedelta(days=2), tick=False):
        _record(late, coordinator, timezone.now())
    with time_machine.travel(MONDAY + timedelta(hours=80), tick=False):
        services.breach_decide(deviation=notified, by=coordinator, decision="notified", notified_at=timezone.now())

    counts = duty_counts(world.partnership.pk, date(2026, 11, 1), date(2026, 11, 30))
    assert counts == DutyCounts(
        alerts_required=3,
        alerts_recorded=2,
        alerts_recorded_late=1,
        breaches=3,
        breaches_notified=1,
        breaches_not_notified=1,
        breaches_decided_late=1,
    )
    # Each partnership counts its own, nothing outside the period.
    assert duty_counts(world.other_partnership.pk, date(2026, 11, 1), date(2026, 11, 30)) == DutyCounts(
        alerts_required=1
    )
    assert duty_counts(world.partnership.pk, date(2026, 12, 1), date(2026, 12, 31)) == DutyCounts()


def test_an_expected_event_counts_only_where_the_rule_in_force_does_not_ask_for_the_unexpected(world, reporter):
    """The law's rule asks for an unexpected event; a rule that does not counts the expected too."""
    with time_machine.travel(MONDAY, tick=False):
        grade(file_case(reporter, world.municipality), unexpected=False)
        grade(file_case(reporter, world.municipality), unexpected=None)
        grade(file_case(reporter, world.municipality))
        grade(file_case(reporter, world.municipality), "moderate", unexpected=False)
    november = (date(2026, 11, 1), date(2026, 11, 30))
    assert duty_counts(world.partnership.pk, *november).alerts_required == 1
    moderate_rule()  # from 2021 on: moderate harm, expected or not; the law's rule ends before
    assert duty_counts(world.partnership.pk, *november).alerts_required == 1


def test_the_rule_in_force_is_the_rule_of_the_local_day_the_event_occurred(world, reporter):
    """Half past midnight on the new rule's first day in Norway is still the old rule's last day in UTC."""
    with time_machine.travel(MONDAY, tick=False):
        case = grade(file_case(reporter, world.municipality), "moderate", unexpected=False)
    moderate_rule()  # in force from 1 January 2021; the law's rule until the day before
    Deviation.objects.filter(pk=case.pk).update(occurred_at=datetime.fromisoformat("2021-01-01T00:30:00+01:00"))
    assert duty_counts(world.partnership.pk, date(2026, 11, 1), date(2026, 11, 30)).alerts_required == 1
