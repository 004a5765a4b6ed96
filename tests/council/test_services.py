"""Changing the council's threshold: a recorded decision, by the partnership's administrators only."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from avvik.council import services
from avvik.council.disclosure import council_figures
from avvik.council.freezing import published_figures
from avvik.council.models import ThresholdDecision
from avvik.council.periods import Period
from avvik.council.presentation import report_content
from avvik.tenancy.choices import Role
from avvik.tenancy.models import Partnership
from tests.builders import file_case
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

DECISION = {"decided_on": date(2027, 1, 12), "reference": "SSU 12.01.2027, sak 3/27", "reason": "Få saker per kvartal."}


@pytest.fixture
def partnership_admin(world):
    user = UserFactory(email="partnerskap@test")
    grant(user, Role.PARTNERSHIP_ADMIN, partnership=world.partnership)
    return user


def test_a_partnership_administrator_changes_the_threshold_as_a_recorded_decision(world, partnership_admin):
    decision = services.threshold_change(
        by=partnership_admin, partnership=world.partnership, new_threshold=7, **DECISION
    )
    assert (decision.old_threshold, decision.new_threshold, decision.recorded_by) == (5, 7, partnership_admin)
    assert decision.reference == DECISION["reference"]
    assert Partnership.objects.get(pk=world.partnership.pk).small_count_threshold == 7


@pytest.mark.parametrize("missing", ["reference", "reason"])
def test_a_change_without_its_reference_or_reason_is_refused(world, partnership_admin, missing):
    with pytest.raises(ValidationError) as refusal:
        services.threshold_change(
            by=partnership_admin, partnership=world.partnership, new_threshold=7, **{**DECISION, missing: "  "}
        )
    assert missing in refusal.value.message_dict
    assert not ThresholdDecision.objects.exists()
    assert Partnership.objects.get(pk=world.partnership.pk).small_count_threshold == 5


def test_the_same_threshold_again_or_one_out_of_range_is_refused(world, partnership_admin):
    for value in (5, 1, 51):
        with pytest.raises(ValidationError):
            services.threshold_change(
                by=partnership_admin, partnership=world.partnership, new_threshold=value, **DECISION
            )
    assert not ThresholdDecision.objects.exists()


@pytest.mark.parametrize("persona", ["coordinator", "council_member", "foreigner"])
def test_only_the_partnerships_administrator_may_change_it(world, persona, request):
    with pytest.raises(PermissionDenied):
        services.threshold_change(
            by=request.getfixturevalue(persona), partnership=world.partnership, new_threshold=7, **DECISION
        )
    other = UserFactory()
    grant(other, Role.PARTNERSHIP_ADMIN, partnership=world.other_partnership)
    with pytest.raises(PermissionDenied):
        services.threshold_change(by=other, partnership=world.partnership, new_threshold=7, **DECISION)
    assert Partnership.objects.get(pk=world.partnership.pk).small_count_threshold == 5


def test_a_published_period_keeps_its_threshold_and_the_report_names_the_decision_in_force(
    world, reporter, partnership_admin
):
    with time_machine.travel("2026-10-05 09:00 +02:00", tick=False):
        for _ in range(6):
            file_case(reporter, world.municipality)
    q4 = Period.quarter(2026, 4)
    with time_machine.travel("2027-01-05 09:00 +01:00", tick=False):
        published_figures(world.partnership, q4)  # first shown to the council under 5
    with time_machine.travel("2027-01-15 09:00 +01:00", tick=False):
        services.threshold_change(by=partnership_admin, partnership=world.partnership, new_threshold=7, **DECISION)
        partnership = Partnership.objects.get(pk=world.partnership.pk)
        _stats, frozen = published_figures(partnership, q4)
        _stats, live = council_figures(partnership, Period.quarter(2027, 1))
    assert frozen.threshold == 5 and str(frozen.new) == "6"
    assert report_content(frozen, partnership=partnership, period=q4)["threshold_decision"] is None
    assert live.threshold == 7
    decision = report_content(live, partnership=partnership, period=Period.quarter(2027, 1))["threshold_decision"]
    assert decision is not None and decision.decided_on == DECISION["decided_on"]
