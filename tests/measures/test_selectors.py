"""The council's measure figures: agreed, carried out, overdue, dropped, by effect, and recurrence."""

from datetime import date

import pytest
import time_machine

from avvik.measures.choices import Effect, MeasureStatus
from avvik.measures.selectors import MeasureCounts, measure_counts
from avvik.measures.services import FollowUp, measure_add, measure_follow_up
from tests.builders import file_case

pytestmark = pytest.mark.django_db

Q4 = (date(2026, 10, 1), date(2026, 12, 31))


def add(case, by, organisation, due, what="Tiltak"):
    return measure_add(deviation=case, by=by, what=what, responsible_organisation=organisation, due_date=due)


def test_counts_by_event_in_the_period(world, case, handler, coordinator):
    with time_machine.travel("2026-11-24 10:00 +01:00", tick=False):
        done = add(case, handler, world.municipality, date(2026, 12, 1))
        late = add(case, handler, world.municipality, date(2026, 11, 27))
        add(case, handler, world.municipality, date(2026, 12, 4))  # still open, overdue by the 10th
        dropped = add(case, handler, world.municipality, date(2027, 1, 15))  # due after the period
        measure_follow_up(measure=done, by=handler, change=FollowUp(MeasureStatus.CARRIED_OUT, effect=Effect.EFFECTIVE))
        measure_follow_up(
            measure=dropped, by=coordinator, change=FollowUp(MeasureStatus.DROPPED, dropped_reason="Ikke aktuelt.")
        )
    with time_machine.travel("2026-12-02 10:00 +01:00", tick=False):
        measure_follow_up(measure=late, by=handler, change=FollowUp(MeasureStatus.CARRIED_OUT))
    with time_machine.travel("2026-12-10 10:00 +01:00", tick=False):
        counts = measure_counts(world.partnership.pk, *Q4)
    assert counts == MeasureCounts(
        agreed=4,
        carried_out=2,
        overdue=2,  # carried out after its due date, and open past its due date
        dropped=1,
        by_effect={"not_evaluated": 1, "effective": 1, "partly_effective": 0, "not_effective": 0},
        recurrences=0,
    )
    with time_machine.travel("2026-12-10 10:00 +01:00", tick=False):
        assert measure_counts(world.partnership.pk, date(2026, 7, 1), date(2026, 9, 30)) == MeasureCounts(
            by_effect={"not_evaluated": 0, "effective": 0, "partly_effective": 0, "not_effective": 0}
        )
        assert measure_counts(world.other_partnership.pk, *Q4).agreed == 0


def test_a_case_of_the_same_kind_after_a_measure_was_carried_out_is_a_recurrence(
    world, case, reporter, handler, counterpart_reporter
):
    with time_machine.travel("2026-11-24 10:00 +01:00", tick=False):
        measure = add(case, handler, world.municipality, date(2026, 12, 1))
        before = file_case(reporter, world.municipality)  # filed before the measure was carried out
    with time_machine.travel("2026-11-26 10:00 +01:00", tick=False):
        measure_follow_up(measure=measure, by=handler, change=FollowUp(MeasureStatus.CARRIED_OUT))
    with time_machine.travel("2026-12-03 10:00 +01:00", tick=False):
        file_case(reporter, world.municipality)  # the same pair and category: a recurrence
        file_case(counterpart_reporter, world.hospital)  # the other way round: the same pair
        file_case(reporter, world.bystander_org)  # another pair
        other = case.category.__class__.objects.filter(partnership=world.partnership).exclude(pk=case.category_id)
        file_case(reporter, world.municipality, category=other.filter(concerns_message=False).first())
        counts = measure_counts(world.partnership.pk, *Q4)
    assert before.category_id == case.category_id
    assert counts.recurrences == 2


def test_a_measure_carried_out_just_after_midnight_is_late_by_the_local_day(world, case, handler):
    """Carried out at 00:30 in Norway the day after it was due: still the due day in UTC, but late."""
    with time_machine.travel("2026-11-24 10:00 +01:00", tick=False):
        late = add(case, handler, world.municipality, date(2026, 12, 1))
        on_time = add(case, handler, world.municipality, date(2026, 12, 2))
    with time_machine.travel("2026-12-02 00:30 +01:00", tick=False):
        measure_follow_up(measure=late, by=handler, change=FollowUp(MeasureStatus.CARRIED_OUT))
        measure_follow_up(measure=on_time, by=handler, change=FollowUp(MeasureStatus.CARRIED_OUT))
    with time_machine.travel("2026-12-10 10:00 +01:00", tick=False):
        counts = measure_counts(world.partnership.pk, *Q4)
    assert (counts.overdue, counts.carried_out, counts.agreed) == (1, 2, 2)
