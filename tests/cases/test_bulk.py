"""Bulk actions on the lists: each case through the same transition and permission check as one by
one, refused one by one, and nothing read outside the one door."""

import re

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import translation

from avvik.cases import services
from avvik.cases.choices import Action, Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.records import Transition
from avvik.cases.services.bulk import Refusal, deviations_bulk_transition
from avvik.cases.views.bulk import outcome_message
from avvik.outbox.choices import NotificationKind
from avvik.outbox.models import Notification
from tests.builders import drive, file_case

pytestmark = pytest.mark.django_db


def _cases(world, reporter, coordinator, handler, *statuses):
    return [
        drive(
            file_case(reporter, world.municipality), status, coordinator=coordinator, handler=handler, reporter=reporter
        )
        for status in statuses
    ]


def _row(deviation: Deviation) -> tuple:
    row = Transition.objects.filter(deviation=deviation).latest("at")
    return (row.action, row.from_status, row.to_status, row.by_id, row.note)


def test_closing_several_cases_writes_the_same_rows_as_one_by_one(world, reporter, coordinator, handler):
    one, two, alone = _cases(world, reporter, coordinator, handler, Status.ANSWERED, Status.ANSWERED, Status.ANSWERED)

    outcome = deviations_bulk_transition(
        by=coordinator, action=Action.CLOSE, references=[one.reference, two.reference], note="Godt svar."
    )
    services.deviation_transition(deviation=alone, by=coordinator, action=Action.CLOSE, note="Godt svar.")

    assert outcome.done == [one.reference, two.reference]
    assert outcome.refused == []
    for deviation in (one, two):
        deviation.refresh_from_db()
        assert deviation.status == Status.CLOSED
        assert deviation.closed_at is not None
        assert _row(deviation) == _row(alone) == ("close", "answered", "closed", coordinator.pk, "Godt svar.")
    # The reporter is told of each case closed, as one by one.
    closed_notices = Notification.objects.filter(kind=NotificationKind.CLOSED, recipient=reporter)
    assert set(closed_notices.values_list("deviation__reference", flat=True)) == {
        one.reference,
        two.reference,
        alone.reference,
    }


def test_a_case_in_the_wrong_status_is_refused_and_the_others_are_closed(world, reporter, coordinator, handler):
    answered, in_progress, submitted = _cases(
        world, reporter, coordinator, handler, Status.ANSWERED, Status.IN_PROGRESS, Status.SUBMITTED
    )

    outcome = deviations_bulk_transition(
        by=coordinator,
        action=Action.CLOSE,
        references=[answered.reference, in_progress.reference, submitted.reference],
        note="Avsluttet.",
    )

    assert outcome.done == [answered.reference, in_progress.reference]
    assert outcome.refused == [(submitted.reference, Refusal.STATUS)]
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert not Transition.objects.filter(deviation=submitted, action=Action.CLOSE).exists()


def test_the_report_names_each_refused_case_and_why(world, reporter, coordinator, handler):
    answered, submitted = _cases(world, reporter, coordinator, handler, Status.ANSWERED, Status.SUBMITTED)
    outcome = deviations_bulk_transition(
        by=coordinator, action=Action.CLOSE, references=[answered.reference, submitted.reference], note="Ferdig."
    )

    expected = f"1 deviation closed. 1 could not be closed: {submitted.reference} (wrong status)"
    with translation.override("en"):
        assert outcome_message(outcome) == expected


def test_a_handler_may_not_close_even_cases_they_handle(world, reporter, coordinator, handler):
    (answered,) = _cases(world, reporter, coordinator, handler, Status.ANSWERED)

    outcome = deviations_bulk_transition(by=handler, action=Action.CLOSE, references=[answered.reference], note="Nei.")

    assert outcome.done == []
    assert outcome.refused == [(answered.reference, Refusal.PERMISSION)]
    answered.refresh_from_db()
    assert answered.status == Status.ANSWERED


def test_cases_outside_what_the_person_reads_are_not_found(world, reporter, coordinator, handler, foreigner, outsider):
    (answered,) = _cases(world, reporter, coordinator, handler, Status.ANSWERED)

    for stranger in (foreigner, outsider):
        outcome = deviations_bulk_transition(
            by=stranger, action=Action.CLOSE, references=[answered.reference, "SA-0000-NONE"], note="Lukk."
        )
        assert outcome.done == []
        # A case that exists and one that does not read the same.
        assert outcome.refused == [(answered.reference, Refusal.NOT_FOUND), ("SA-0000-NONE", Refusal.NOT_FOUND)]
    answered.refresh_from_db()
    assert answered.status == Status.ANSWERED


def test_forwarding_several_cases_tells_the_handlers_and_the_reporter(
    world, reporter, coordinator, handler, hospital_handler
):
    one, two = _cases(world, reporter, coordinator, handler, Status.SUBMITTED, Status.SUBMITTED)

    outcome = deviations_bulk_transition(
        by=coordinator, action=Action.FORWARD, references=[one.reference, two.reference], to=world.hospital
    )

    assert outcome.done == [one.reference, two.reference]
    for deviation in (one, two):
        deviation.refresh_from_db()
        assert deviation.status == Status.FORWARDED
        assert deviation.responsible_organisation == world.hospital
        assert deviation.answer_due is not None
        told = set(deviation.notifications.values_list("kind", "recipient"))
        assert (NotificationKind.FORWARDED, hospital_handler.pk) in told
        assert (NotificationKind.REPORTER_FORWARDED, reporter.pk) in told


def test_assigning_several_cases_to_a_handler_of_the_responsible_organisation(
    world, reporter, coordinator, handler, org_admin
):
    one, two, waiting = _cases(
        world, reporter, coordinator, handler, Status.FORWARDED, Status.FORWARDED, Status.WAITING
    )

    outcome = deviations_bulk_transition(
        by=handler,
        action=Action.ACCEPT,
        references=[one.reference, two.reference, waiting.reference],
        assignee=org_admin,
    )

    assert outcome.done == [one.reference, two.reference]
    assert outcome.refused == [(waiting.reference, Refusal.STATUS)]
    for deviation in (one, two):
        deviation.refresh_from_db()
        assert deviation.status == Status.IN_PROGRESS
        assert deviation.assignee == org_admin
        assert _row(deviation) == ("accept", "forwarded", "in_progress", handler.pk, "")


def test_assigning_to_a_handler_of_another_organisation_is_refused(
    world, reporter, coordinator, handler, hospital_handler
):
    (forwarded,) = _cases(world, reporter, coordinator, handler, Status.FORWARDED)

    outcome = deviations_bulk_transition(
        by=handler, action=Action.ACCEPT, references=[forwarded.reference], assignee=hospital_handler
    )

    assert outcome.refused == [(forwarded.reference, Refusal.HANDLER)]
    forwarded.refresh_from_db()
    assert forwarded.status == Status.FORWARDED
    assert forwarded.assignee is None


def test_a_case_changed_meanwhile_is_refused_and_not_overwritten(world, reporter, coordinator, handler, monkeypatch):
    one, two = _cases(world, reporter, coordinator, handler, Status.ANSWERED, Status.ANSWERED)
    from avvik.cases.services import bulk

    real = bulk.bulk_preview

    def reopened_after_reading(**kwargs):
        items = real(**kwargs)
        # Someone reopens the first case after the bulk action read it, before it writes.
        Deviation.objects.filter(pk=one.pk).update(status=Status.IN_PROGRESS)
        return items

    monkeypatch.setattr(bulk, "bulk_preview", reopened_after_reading)
    outcome = deviations_bulk_transition(
        by=coordinator, action=Action.CLOSE, references=[one.reference, two.reference], note="Ferdig."
    )

    assert outcome.refused == [(one.reference, Refusal.CHANGED)]
    assert outcome.done == [two.reference]
    one.refresh_from_db()
    assert one.status == Status.IN_PROGRESS


# The views: a confirmation step, POST only, CSRF.


def _post_selection(client, action, references, **extra):
    return client.post(
        reverse("cases:bulk"), {"action": action, "references": references, "next": reverse("cases:all"), **extra}
    )


def test_the_list_offers_a_labelled_checkbox_per_case_to_the_contact_point(client, world, reporter, coordinator):
    deviation = file_case(reporter, world.municipality)
    client.force_login(coordinator)

    page = client.get(reverse("cases:all")).content.decode()

    assert f'id="choose-{deviation.reference}"' in page
    assert f'for="choose-{deviation.reference}"' in page
    assert 'form="bulk-form"' in page
    assert 'action="/avvik/flere/"' in page


def test_a_reporter_gets_no_checkboxes(client, world, reporter):
    file_case(reporter, world.municipality)
    client.force_login(reporter)

    page = client.get(reverse("cases:mine")).content.decode()

    assert "bulk-form" not in page


def test_choosing_shows_the_cases_and_changes_nothing_before_confirming(client, world, reporter, coordinator, handler):
    answered, submitted = _cases(world, reporter, coordinator, handler, Status.ANSWERED, Status.SUBMITTED)
    client.force_login(coordinator)

    response = _post_selection(client, "close", [answered.reference, submitted.reference])

    assert response.status_code == 200
    page = response.content.decode()
    assert answered.reference in page and submitted.reference in page
    assert answered.title in page
    assert 'name="confirm" value="1"' in page
    answered.refresh_from_db()
    assert answered.status == Status.ANSWERED
    assert not Transition.objects.filter(action=Action.CLOSE).exists()


def test_confirming_closes_and_reports_what_was_refused(client, world, reporter, coordinator, handler):
    answered, other, submitted = _cases(
        world, reporter, coordinator, handler, Status.ANSWERED, Status.IN_PROGRESS, Status.SUBMITTED
    )
    client.force_login(coordinator)

    response = client.post(
        reverse("cases:bulk"),
        {
            "action": "close",
            "confirm": "1",
            "references": [answered.reference, other.reference, submitted.reference],
            "note": "Behandlet i møte.",
            "next": reverse("cases:all"),
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("cases:all")
    shown = [str(message) for message in response.context["messages"]]
    assert len(shown) == 1
    assert shown[0].startswith("2 ")
    assert f"{submitted.reference} (" in shown[0]
    assert Deviation.objects.filter(status=Status.CLOSED).count() == 2
    assert set(Transition.objects.filter(action=Action.CLOSE).values_list("note", flat=True)) == {"Behandlet i møte."}


def test_closing_without_a_reason_is_refused_and_changes_nothing(client, world, reporter, coordinator, handler):
    (answered,) = _cases(world, reporter, coordinator, handler, Status.ANSWERED)
    client.force_login(coordinator)

    response = client.post(
        reverse("cases:bulk"), {"action": "close", "confirm": "1", "references": [answered.reference], "note": " "}
    )

    assert response.status_code == 400
    assert answered.reference in response.content.decode()
    answered.refresh_from_db()
    assert answered.status == Status.ANSWERED


def test_choosing_nothing_goes_back_to_the_list_with_a_message(client, world, coordinator):
    client.force_login(coordinator)

    response = _post_selection(client, "close", [])

    assert response.status_code == 302
    assert response.url == reverse("cases:all")


def test_all_on_this_page_takes_every_case_of_the_page(client, world, reporter, coordinator, handler):
    one, two = _cases(world, reporter, coordinator, handler, Status.ANSWERED, Status.ANSWERED)
    client.force_login(coordinator)

    response = _post_selection(client, "close", [], all_on_page="on", page=[one.reference, two.reference])

    page = response.content.decode()
    assert response.status_code == 200
    assert one.reference in page and two.reference in page


def test_the_bulk_view_takes_post_only(client, world, coordinator):
    client.force_login(coordinator)

    assert client.get(reverse("cases:bulk")).status_code == 405


def test_the_bulk_view_needs_the_csrf_token(world, reporter, coordinator, handler):
    (answered,) = _cases(world, reporter, coordinator, handler, Status.ANSWERED)
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)

    response = client.post(
        reverse("cases:bulk"), {"action": "close", "confirm": "1", "references": [answered.reference], "note": "Ok."}
    )

    assert response.status_code == 403
    answered.refresh_from_db()
    assert answered.status == Status.ANSWERED


def test_a_reporter_may_not_use_bulk_actions(client, world, reporter, coordinator, handler):
    (answered,) = _cases(world, reporter, coordinator, handler, Status.ANSWERED)
    client.force_login(reporter)

    response = client.post(
        reverse("cases:bulk"), {"action": "close", "confirm": "1", "references": [answered.reference], "note": "Ok."}
    )

    assert response.status_code == 403
    answered.refresh_from_db()
    assert answered.status == Status.ANSWERED


def test_the_forward_choice_lists_only_the_coordinators_own_partnership(client, world, reporter, coordinator):
    deviation = file_case(reporter, world.municipality)
    client.force_login(coordinator)

    page = _post_selection(client, "forward", [deviation.reference]).content.decode()

    assert world.hospital.name in page
    assert world.other_org.name not in page


def test_another_partnerships_coordinator_changes_nothing_and_learns_nothing(
    client, world, reporter, coordinator, handler, foreigner
):
    (answered,) = _cases(world, reporter, coordinator, handler, Status.ANSWERED)
    client.force_login(foreigner)

    preview = _post_selection(client, "close", [answered.reference]).content.decode()
    response = client.post(
        reverse("cases:bulk"),
        {"action": "close", "confirm": "1", "references": [answered.reference, "SA-0000-NONE"], "note": "Lukk."},
        follow=True,
    )

    assert answered.title not in preview
    assert f'href="/avvik/{answered.reference}/"' not in preview
    answered.refresh_from_db()
    assert answered.status == Status.ANSWERED
    assert not Transition.objects.filter(action=Action.CLOSE).exists()
    (shown,) = [str(message) for message in response.context["messages"]]
    # The case that exists reads exactly like the one that does not.
    assert shown.count("(") == 2
    first, second = shown.split(": ", 1)[1].split(", ")
    assert first.replace(answered.reference, "X") == second.replace("SA-0000-NONE", "X")


def test_a_case_edited_after_the_confirmation_page_is_left_as_it_is(client, world, reporter, coordinator, handler):
    edited, untouched = _cases(world, reporter, coordinator, handler, Status.ANSWERED, Status.ANSWERED)
    client.force_login(coordinator)
    page = _post_selection(client, "close", [edited.reference, untouched.reference]).content.decode()
    seen = re.findall(r'name="versions" value="([^"]+)"', page)
    assert set(seen) == {f"{edited.reference}:{edited.version}", f"{untouched.reference}:{untouched.version}"}
    # Someone corrects the first case while the coordinator reads the confirmation page.
    Deviation.objects.filter(pk=edited.pk).update(version=F("version") + 1, title="Rettet tittel")

    response = client.post(
        reverse("cases:bulk"),
        {
            "action": "close",
            "confirm": "1",
            "references": [edited.reference, untouched.reference],
            "versions": seen,
            "note": "Ferdig.",
        },
        follow=True,
    )

    (shown,) = [str(message) for message in response.context["messages"]]
    assert f"{edited.reference} (" in shown
    edited.refresh_from_db()
    untouched.refresh_from_db()
    assert edited.status == Status.ANSWERED
    assert untouched.status == Status.CLOSED
