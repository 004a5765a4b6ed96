"""Who hears of the daily work on a case: the handler when the reporter answers their question, the
contact point when a case is answered, and the reporter, when it is closed, who closed it and why."""

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from avvik.cases import services
from avvik.cases.choices import Action, Status
from avvik.outbox.delivery import send_notification
from avvik.outbox.models import Notification
from avvik.tenancy.choices import Role, WrittenForm
from tests.builders import drive, file_case
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


def sent(mailoutbox, notification: Notification):
    assert send_notification(notification.pk)
    message = mailoutbox[-1]
    return message, message.alternatives[0][0]


def test_the_contact_point_is_told_when_the_responsible_handler_answers(
    world, reporter, coordinator, handler, mailoutbox
):
    second = UserFactory(email="koordinator2@test", full_name="Kari Kontaktpunkt")
    grant(second, Role.COORDINATOR, partnership=world.partnership)
    deviation = drive(
        file_case(reporter, world.municipality),
        Status.ANSWERED,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    told = Notification.objects.filter(kind="case_answered")
    assert sorted(told.values_list("recipient__email", flat=True)) == sorted([coordinator.email, second.email])
    assert Notification.objects.filter(kind="answered", recipient=reporter).exists()  # as before
    message, html = sent(mailoutbox, told.get(recipient=coordinator))
    assert "Ansvarlig virksomhet har svart på et avvik." in message.body
    assert deviation.reference in message.subject
    link = settings.SITE_URL + reverse("cases:detail", args=[deviation.reference])
    assert link in message.body and f'href="{link}"' in html
    assert "Adresselisten rettet." not in message.body  # the answer itself stays on the case page


def test_a_coordinator_who_answers_as_handler_is_not_told_of_their_own_answer(world, reporter, coordinator, handler):
    grant(coordinator, Role.HANDLER, organisation=world.municipality)
    deviation = drive(
        file_case(reporter, world.municipality),
        Status.IN_PROGRESS,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    Notification.objects.all().delete()
    services.deviation_transition(
        action=Action.ANSWER,
        deviation=deviation,
        by=coordinator,
        cause="Årsak.",
        measures="Tiltak.",
        measures_done=False,
    )
    assert not Notification.objects.filter(kind="case_answered").exists()


def test_the_handler_is_told_when_the_reporter_answers(world, reporter, coordinator, handler, mailoutbox):
    deviation = drive(
        file_case(reporter, world.municipality),
        Status.WAITING,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    services.comment_add(deviation=deviation, by=reporter, body="Sendt til HER-id 12345.")
    notification = Notification.objects.get(kind="reporter_replied")
    assert notification.recipient == handler
    assert notification.status == "pending"  # urgent: the answer clock runs again
    message, _html = sent(mailoutbox, notification)
    assert "Melderen har svart på spørsmålet ditt." in message.body
    assert reverse("cases:detail", args=[deviation.reference]) in message.body
    assert "12345" not in message.body  # the answer itself is read on the case page


def test_the_closing_email_says_who_closed_it_why_and_where_the_answer_is(
    world, reporter, coordinator, handler, mailoutbox
):
    coordinator.full_name = "Kari Koordinator"
    coordinator.save()
    deviation = drive(
        file_case(reporter, world.municipality, patient=True, description="Hemmelig beskrivelse"),
        Status.ANSWERED,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    services.deviation_transition(
        action=Action.CLOSE, deviation=deviation, by=coordinator, note="Tiltaket er gjennomført hos kommunen."
    )
    message, html = sent(mailoutbox, Notification.objects.get(kind="closed", recipient=reporter))
    for part in (message.body, html):
        assert "Lukket av Kari Koordinator, felles kontaktpunkt i Helsefellesskap Test." in part
        assert "Merknad ved lukking: Tiltaket er gjennomført hos kommunen." in part
        assert "Svaret fra Testvik kommune står på sakssiden." in part
        assert reverse("cases:detail", args=[deviation.reference]) in part
    for part in (message.subject, message.body, html):
        assert "Hemmelig" not in part and "Nordmann" not in part and "01010012356" not in part
        assert "Adresselisten rettet." not in part


def test_the_closing_email_names_the_coordinators_organisation_in_the_readers_written_form(
    world, reporter, coordinator, handler, mailoutbox
):
    grant(coordinator, Role.HANDLER, organisation=world.hospital)
    world.hospital.written_form = WrittenForm.NYNORSK
    world.hospital.save()
    deviation = drive(
        file_case(reporter, world.municipality),
        Status.FORWARDED,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    services.deviation_transition(
        action=Action.CLOSE, deviation=deviation, by=coordinator, note="Ikkje lenger aktuelt."
    )
    message, _html = sent(mailoutbox, Notification.objects.get(kind="closed", recipient=reporter))
    assert (
        f"Lukka av {coordinator.full_name} (Test sykehus HF) for felles kontaktpunkt i Helsefellesskap Test."
        in message.body
    )
    assert "Merknad ved lukking: Ikkje lenger aktuelt." in message.body
    assert "Svaret frå" not in message.body  # never answered


def test_each_closing_email_reads_its_own_close(world, reporter, coordinator, handler, mailoutbox):
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):
        deviation = drive(
            file_case(reporter, world.municipality),
            Status.ANSWERED,
            coordinator=coordinator,
            handler=handler,
            reporter=reporter,
        )
        deviation = services.deviation_transition(
            action=Action.CLOSE, deviation=deviation, by=coordinator, note="Første."
        )
    with time_machine.travel("2026-11-24 09:00 +01:00", tick=False):
        deviation = services.deviation_transition(
            action=Action.REOPEN, deviation=deviation, by=coordinator, note="Nei."
        )
        deviation = services.deviation_transition(
            action=Action.ANSWER,
            deviation=deviation,
            by=handler,
            cause="Ny årsak.",
            measures="Nytt.",
            measures_done=True,
        )
    with time_machine.travel("2026-11-25 09:00 +01:00", tick=False):
        services.deviation_transition(action=Action.CLOSE, deviation=deviation, by=coordinator, note="Andre.")
    first, second = Notification.objects.filter(kind="closed").order_by("created_at")
    assert "Merknad ved lukking: Andre." in sent(mailoutbox, second)[0].body
    assert "Merknad ved lukking: Første." in sent(mailoutbox, first)[0].body
