"""Who may add and follow up measures, and what the services refuse."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from avvik.cases import services as case_services
from avvik.measures.choices import Effect, MeasureStatus
from avvik.measures.services import FollowUp, measure_add, measure_follow_up

pytestmark = pytest.mark.django_db

TODAY = "2026-11-24 10:00 +01:00"


def add(case, by, organisation, **overrides):
    data = {
        "deviation": case,
        "by": by,
        "what": "Rutine for adresser.",
        "responsible_organisation": organisation,
        "due_date": date(2026, 12, 15),
    }
    return measure_add(**(data | overrides))


@time_machine.travel(TODAY, tick=False)
def test_the_responsible_handler_adds_a_measure_owned_by_a_party(world, case, handler):
    measure = add(case, handler, world.hospital, what="  Opplæring av sekretærer.  ")
    assert measure.status == MeasureStatus.AGREED
    assert measure.effect == Effect.NOT_EVALUATED
    assert measure.what == "Opplæring av sekretærer."
    assert measure.created_by == handler


@time_machine.travel(TODAY, tick=False)
def test_a_coordinator_may_add_a_measure(world, case, coordinator):
    assert add(case, coordinator, world.municipality).created_by == coordinator


@pytest.mark.parametrize("persona", ["reporter", "hospital_handler", "outsider", "council_member"])
@time_machine.travel(TODAY, tick=False)
def test_others_may_not_add_a_measure(world, case, persona, request):
    with pytest.raises(PermissionDenied):
        add(case, request.getfixturevalue(persona), world.municipality)


@time_machine.travel(TODAY, tick=False)
def test_the_owner_must_be_a_party_to_the_case(world, case, handler):
    with pytest.raises(ValidationError) as refused:
        add(case, handler, world.bystander_org)
    assert "responsible_organisation" in refused.value.message_dict


@time_machine.travel(TODAY, tick=False)
def test_the_responsible_person_must_handle_for_the_owner(world, case, handler, hospital_handler):
    with pytest.raises(ValidationError) as refused:
        add(case, handler, world.municipality, responsible_person=hospital_handler)
    assert "responsible_person" in refused.value.message_dict
    assert (
        add(case, handler, world.hospital, responsible_person=hospital_handler).responsible_person == hospital_handler
    )


@time_machine.travel(TODAY, tick=False)
def test_a_due_date_in_the_past_is_refused(world, case, handler):
    with pytest.raises(ValidationError):
        add(case, handler, world.municipality, due_date=date(2026, 11, 23))


def test_no_measure_is_added_to_a_closed_case(world, case, handler, coordinator):
    with time_machine.travel(TODAY, tick=False):
        case = case_services.deviation_transition(
            action="answer", deviation=case, by=handler, cause="Feil.", measures="Se tiltak.", measures_done=False
        )
        case = case_services.deviation_transition(action="close", deviation=case, by=coordinator, note="Ok.")
        with pytest.raises(PermissionDenied):
            add(case, handler, world.municipality)


@time_machine.travel(TODAY, tick=False)
def test_carried_out_then_evaluated(measure, handler):
    measure = measure_follow_up(measure=measure, by=handler, change=FollowUp(MeasureStatus.CARRIED_OUT))
    assert measure.carried_out_at is not None
    measure = measure_follow_up(
        measure=measure,
        by=handler,
        change=FollowUp(MeasureStatus.CARRIED_OUT, effect=Effect.PARTLY_EFFECTIVE, effect_note="Færre feil."),
    )
    measure.refresh_from_db()
    assert (measure.effect, measure.effect_note, measure.evaluated_by) == (
        Effect.PARTLY_EFFECTIVE,
        "Færre feil.",
        handler,
    )
    assert measure.evaluated_at is not None


@time_machine.travel(TODAY, tick=False)
def test_a_measure_not_carried_out_cannot_be_evaluated(measure, handler):
    with pytest.raises(ValidationError) as refused:
        measure_follow_up(
            measure=measure, by=handler, change=FollowUp(MeasureStatus.IN_PROGRESS, effect=Effect.EFFECTIVE)
        )
    assert "effect" in refused.value.message_dict
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.AGREED


@time_machine.travel(TODAY, tick=False)
def test_dropping_needs_a_reason(measure, handler):
    with pytest.raises(ValidationError):
        measure_follow_up(measure=measure, by=handler, change=FollowUp(MeasureStatus.DROPPED, dropped_reason="  "))
    measure = measure_follow_up(
        measure=measure, by=handler, change=FollowUp(MeasureStatus.DROPPED, dropped_reason="Erstattet av nytt system.")
    )
    assert measure.dropped_at is not None
    assert measure.dropped_reason == "Erstattet av nytt system."


@time_machine.travel(TODAY, tick=False)
def test_a_dropped_measure_cannot_jump_to_carried_out(measure, handler):
    measure = measure_follow_up(
        measure=measure, by=handler, change=FollowUp(MeasureStatus.DROPPED, dropped_reason="Nei.")
    )
    with pytest.raises(ValidationError) as refused:
        measure_follow_up(measure=measure, by=handler, change=FollowUp(MeasureStatus.CARRIED_OUT))
    assert "status" in refused.value.message_dict


@time_machine.travel(TODAY, tick=False)
def test_taking_a_measure_up_again_clears_its_evaluation(measure, handler):
    measure_follow_up(measure=measure, by=handler, change=FollowUp(MeasureStatus.CARRIED_OUT, effect=Effect.EFFECTIVE))
    measure = measure_follow_up(measure=measure, by=handler, change=FollowUp(MeasureStatus.IN_PROGRESS))
    assert (measure.effect, measure.carried_out_at, measure.evaluated_at) == (Effect.NOT_EVALUATED, None, None)


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("handler", True),
        ("org_admin", True),
        ("leader", True),
        ("coordinator", True),
        ("hospital_handler", False),  # the other party reads the measure but does not own it
        ("reporter", False),
        ("outsider", False),
        ("foreigner", False),
    ],
)
@time_machine.travel(TODAY, tick=False)
def test_who_may_follow_up(measure, persona, allowed, request):
    person = request.getfixturevalue(persona)
    change = FollowUp(MeasureStatus.IN_PROGRESS)
    if allowed:
        assert measure_follow_up(measure=measure, by=person, change=change).status == MeasureStatus.IN_PROGRESS
    else:
        with pytest.raises(PermissionDenied):
            measure_follow_up(measure=measure, by=person, change=change)


def test_a_measure_is_followed_up_after_the_case_closes(measure, case, handler, coordinator):
    with time_machine.travel(TODAY, tick=False):
        case = case_services.deviation_transition(
            action="answer", deviation=case, by=handler, cause="Feil.", measures="Se tiltak.", measures_done=False
        )
        case_services.deviation_transition(action="close", deviation=case, by=coordinator, note="Ok.")
        measure.refresh_from_db()
        assert measure_follow_up(measure=measure, by=handler, change=FollowUp(MeasureStatus.CARRIED_OUT)).carried_out_at
