"""The lifecycle: every transition is a row, and the service refuses every illegal one."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from avvik.cases import services
from avvik.cases.choices import Action, Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.logs import AccessLog, AppendOnlyError
from avvik.cases.models.records import PatientReference, Transition
from tests.builders import drive, file_case
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

REACHABLE = [
    Status.SUBMITTED,
    Status.FORWARDED,
    Status.IN_PROGRESS,
    Status.WAITING,
    Status.ANSWERED,
    Status.CLOSED,
    Status.REJECTED,
    Status.WITHDRAWN,
    Status.MERGED,
]
PERSONAS = ["reporter", "handler", "hospital_handler", "coordinator", "council_member", "outsider", "foreigner"]


def call(action: str, deviation, user):
    """Call the service for `action` with valid arguments."""
    from avvik.tenancy.models import Organisation

    kwargs = {"deviation": deviation, "by": user}
    if action == Action.FORWARD:
        kwargs["to"] = Organisation.objects.get(name="Testvik kommune")
    if action == Action.ANSWER:
        kwargs.update(cause="Årsak.", measures="Tiltak.", measures_done=False)
    if action in (Action.REJECT, Action.WAIT, Action.CLOSE, Action.REOPEN):
        kwargs["note"] = "Begrunnelse."
    if action == Action.MERGE:
        # The main case: another report of the same event.
        kwargs["into"] = file_case(deviation.reporter, deviation.counterpart)
    return services.deviation_transition(action=action, **kwargs)


# The lifecycle as DESIGN.md states it, written out here rather than read from the code's table:
# action -> (the statuses it may be taken from, the status it leads to, who may take it).
EXPECTED = {
    "forward": ({"submitted", "forwarded"}, "forwarded", "coordinator"),
    "reject": ({"submitted", "forwarded"}, "rejected", "coordinator"),
    "withdraw": ({"submitted"}, "withdrawn", "reporter"),
    "accept": ({"forwarded"}, "in_progress", "handler"),  # the municipality is made responsible
    "wait": ({"in_progress"}, "waiting", "handler"),
    "resume": ({"waiting"}, "in_progress", "handler"),
    "reply": ({"waiting"}, "in_progress", "reporter"),  # the reporter answers the question
    "answer": ({"in_progress"}, "answered", "handler"),
    "close": ({"answered", "forwarded", "in_progress", "waiting"}, "closed", "coordinator"),
    "reopen": ({"answered", "closed"}, "in_progress", "coordinator"),
    "merge": ({"submitted", "forwarded", "in_progress", "waiting", "answered"}, "merged", "coordinator"),
}


def test_the_expected_table_covers_every_action():
    assert set(EXPECTED) == set(Action.values)


def expected_allowed(action: str, status: str, persona: str) -> bool:
    sources, _target, who = EXPECTED[action]
    return status in sources and persona == who


@pytest.mark.parametrize("status", REACHABLE)
@pytest.mark.parametrize("action", Action.values)
def test_every_action_in_every_state_for_every_role(request, world, status, action):
    people = {name: request.getfixturevalue(name) for name in PERSONAS}
    deviation = file_case(people["reporter"], world.municipality)
    deviation = drive(
        deviation, status, coordinator=people["coordinator"], handler=people["handler"], reporter=people["reporter"]
    )
    # Everyone who may not act tries first; the one who may, if any, acts last.
    order = sorted(people, key=lambda persona: expected_allowed(action, status, persona))
    for persona in order:
        user = people[persona]
        before = Transition.objects.filter(deviation=deviation).count()
        if expected_allowed(action, status, persona):
            result = call(action, deviation, user)
            assert result.status == EXPECTED[action][1]
            assert Transition.objects.filter(deviation=deviation).count() == before + 1
            continue
        with pytest.raises(services.TransitionRefused):
            call(action, Deviation.objects.get(pk=deviation.pk), user)
        assert Deviation.objects.get(pk=deviation.pk).status == status
        assert Transition.objects.filter(deviation=deviation).count() == before


def test_the_whole_journey_leaves_a_timeline(world, reporter, coordinator, handler):
    deviation = file_case(reporter, world.municipality)
    deviation = drive(deviation, Status.CLOSED, coordinator=coordinator, handler=handler, reporter=reporter)
    steps = list(Transition.objects.filter(deviation=deviation).values_list("from_status", "to_status", "by__email"))
    assert steps == [
        ("", Status.SUBMITTED, reporter.email),
        (Status.SUBMITTED, Status.FORWARDED, coordinator.email),
        (Status.FORWARDED, Status.IN_PROGRESS, handler.email),
        (Status.IN_PROGRESS, Status.ANSWERED, handler.email),
        (Status.ANSWERED, Status.CLOSED, coordinator.email),
    ]
    assert deviation.responsible_organisation == world.municipality
    assert deviation.answer_measures == "Adresselisten rettet."
    assert deviation.closed_at is not None


REFERENCE = r"SA-20\d\d-[34679ACDEFGHJKMNPQRTWXY]{6}"


def test_references_follow_the_year_and_reveal_nothing_about_volumes(world, reporter, other_reporter):
    """A person who files twice must not learn how many cases others filed in between (the other
    partnership's included): references are random, not a counter, and still unique."""
    references = [file_case(reporter, world.municipality).reference for _ in range(30)]
    foreign = file_case(other_reporter, OrganisationFactory(partnership=world.other_partnership)).reference
    assert all(re.fullmatch(REFERENCE, reference) for reference in [*references, foreign])
    assert len(set(references)) == len(references)
    assert references != sorted(references)  # 30 random draws in order: about 1 in 10^32


def test_a_drawn_reference_that_is_taken_is_drawn_again(world, reporter, monkeypatch):
    taken = file_case(reporter, world.municipality).reference
    draws = iter([*taken[-6:], *"K7MQ4X"])
    monkeypatch.setattr("avvik.cases.services.filing.secrets.choice", lambda alphabet: next(draws))
    again = file_case(reporter, world.municipality)
    assert again.reference == f"{taken[:-6]}K7MQ4X"


def test_a_note_is_required_to_reject_and_to_close(world, reporter, coordinator):
    deviation = file_case(reporter, world.municipality)
    with pytest.raises(services.TransitionRefused):
        services.deviation_transition(action="reject", deviation=deviation, by=coordinator, note="  ")


def test_an_answer_needs_cause_and_measures(world, reporter, coordinator, handler):
    deviation = drive(
        file_case(reporter, world.municipality),
        Status.IN_PROGRESS,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    with pytest.raises(services.TransitionRefused):
        services.deviation_transition(
            action="answer", deviation=deviation, by=handler, cause="", measures="x", measures_done=False
        )


def test_forwarding_to_another_partnership_is_refused(world, reporter, coordinator):
    deviation = file_case(reporter, world.municipality)
    with pytest.raises(services.TransitionRefused):
        services.deviation_transition(action="forward", deviation=deviation, by=coordinator, to=world.other_org)


def test_filing_for_an_organisation_one_does_not_report_for_is_refused(world, reporter):
    with pytest.raises(PermissionDenied):
        services.deviation_submit(by=reporter, organisation=world.municipality, data={})


def test_counterpart_must_be_another_organisation(world, reporter):
    with pytest.raises(ValidationError):
        file_case(reporter, world.hospital)


def test_a_stale_transition_is_refused_and_changes_nothing(world, reporter, coordinator):
    deviation = file_case(reporter, world.municipality)
    seen = deviation.version
    services.deviation_update(deviation=deviation, by=coordinator, version=seen, changes={"title": "Ny tittel"})
    with pytest.raises(services.StaleVersion):
        services.deviation_transition(
            action="forward", deviation=deviation, by=coordinator, to=world.municipality, version=seen
        )
    assert Deviation.objects.get(pk=deviation.pk).status == Status.SUBMITTED


def test_a_stale_edit_is_refused_and_overwrites_nothing(world, reporter, coordinator):
    deviation = file_case(reporter, world.municipality)
    seen = deviation.version
    services.deviation_update(deviation=deviation, by=coordinator, version=seen, changes={"title": "Først"})
    with pytest.raises(services.StaleVersion):
        services.deviation_update(deviation=deviation, by=coordinator, version=seen, changes={"title": "Sist"})
    assert Deviation.objects.get(pk=deviation.pk).title == "Først"


def test_patient_reference_is_encrypted_at_rest_and_read_with_a_log_row(world, reporter, handler, coordinator):
    deviation = file_case(reporter, world.municipality, patient=True)
    stored = PatientReference.objects.get(deviation=deviation)
    assert "Nordmann" not in stored.name_encrypted
    assert "01010012356" not in stored.identity_number_encrypted
    patient = services.patient_reference_read(deviation=deviation, by=coordinator)
    assert patient.identity_number == "01010012356"
    assert AccessLog.objects.filter(user=coordinator, deviation=deviation, kind="patient").count() == 1


def test_the_reporter_does_not_see_the_patient_section_again(world, reporter):
    deviation = file_case(reporter, world.municipality, patient=True)
    with pytest.raises(PermissionDenied):
        services.patient_reference_read(deviation=deviation, by=reporter)


def test_the_access_log_cannot_be_changed_or_deleted(world, reporter, coordinator):
    deviation = file_case(reporter, world.municipality)
    entry = services.access_log_write(user=coordinator, kind="case", deviation=deviation)
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().update(detail="x")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()


def test_internal_notes_stay_with_the_writers_organisation(world, reporter, coordinator, handler, hospital_handler):
    from avvik.cases.selectors import visible_comments

    deviation = drive(
        file_case(reporter, world.municipality),
        Status.IN_PROGRESS,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    services.comment_add(deviation=deviation, by=handler, body="Intern kommune", internal=True)
    services.comment_add(deviation=deviation, by=handler, body="Delt", internal=False)
    assert [c.body for c in visible_comments(hospital_handler, deviation)] == ["Delt"]
    assert [c.body for c in visible_comments(handler, deviation)] == ["Intern kommune", "Delt"]
    assert len(visible_comments(coordinator, deviation)) == 2


def test_a_case_cannot_point_into_another_partnership(world, reporter):
    from avvik.catalogue.models import Category

    foreign_category = Category.objects.filter(partnership=world.other_partnership).first()
    with pytest.raises(ValidationError):
        file_case(reporter, world.other_org)
    with pytest.raises(ValidationError):
        file_case(reporter, world.municipality, category=foreign_category)
    with pytest.raises(ValidationError):
        file_case(reporter, world.municipality, reporting_unit=world.other_org.units.first())


def test_a_correction_or_a_forward_cannot_point_into_another_partnership(world, reporter, coordinator):
    from avvik.catalogue.models import AgreementClause, Category

    deviation = file_case(reporter, world.municipality)
    foreign_category = Category.objects.filter(partnership=world.other_partnership).first()
    foreign_clause = AgreementClause.objects.filter(partnership=world.other_partnership).first()
    for changes in ({"category": foreign_category}, {"clause": foreign_clause}):
        with pytest.raises(ValidationError):
            services.deviation_update(deviation=deviation, by=coordinator, version=deviation.version, changes=changes)
    with pytest.raises(services.TransitionRefused):
        services.deviation_transition(
            action="forward", deviation=deviation, by=coordinator, to=world.municipality, category=foreign_category
        )
    deviation.refresh_from_db()
    assert deviation.category.partnership == world.partnership and deviation.status == Status.SUBMITTED


def test_the_case_is_stored_with_its_reference_and_no_placeholder(world, reporter):
    deviation = file_case(reporter, world.municipality, attachment=True, patient=True)
    assert re.fullmatch(REFERENCE, deviation.reference)
    assert Deviation.objects.get(pk=deviation.pk).reference == deviation.reference
    assert not Deviation.objects.filter(reference__startswith="~").exists()


def test_triage_is_done_at_the_first_forward_or_rejection(world, reporter, coordinator):
    import time_machine

    with time_machine.travel("2026-10-05 09:00 +02:00", tick=False):
        case = file_case(reporter, world.municipality)
        assert case.triaged_at is None
    with time_machine.travel("2026-10-06 10:00 +02:00", tick=False) as clock:
        case = services.deviation_transition(action="forward", deviation=case, by=coordinator, to=world.hospital)
        first_forward = case.forwarded_at
        clock.shift(3600)
        case = services.deviation_transition(action="forward", deviation=case, by=coordinator, to=world.municipality)
    case.refresh_from_db()
    assert case.triaged_at == first_forward < case.forwarded_at
    rejected = services.deviation_transition(
        action="reject", deviation=file_case(reporter, world.municipality), by=coordinator, note="Ikke et avvik."
    )
    assert rejected.triaged_at == rejected.closed_at
