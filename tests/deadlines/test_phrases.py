"""Working days in words, in the reader's language: the deadline badge, and the reason an e-mail gives,
which is kept as a number on the outbox row and worded when the e-mail is built."""

from datetime import date

import pytest
import time_machine
from django.utils import translation

from avvik.cases.choices import Status
from avvik.deadlines.phrases import deadline_badge, reason_of, reason_text, working_days_sentence
from avvik.outbox.choices import NotificationKind
from avvik.outbox.emails import build_message
from avvik.outbox.models import Notification
from avvik.reminders.sweep import sweep_deadlines
from avvik.tenancy.choices import Role
from tests.builders import drive, file_case
from tests.factories import UserFactory, grant


@pytest.mark.parametrize(
    ("language", "left", "expected"),
    [
        ("nb", -63, "Forfalt for 63 virkedager siden."),
        ("nb", -1, "Forfalt for 1 virkedag siden."),
        ("nb", 2, "Forfaller om 2 virkedager."),
        ("nn", -63, "Forfall for 63 vyrkedagar sidan."),
        ("nn", 1, "Forfell om 1 vyrkedag."),
        ("en", -63, "Overdue by 63 working days."),
        ("en", -1, "Overdue by 1 working day."),
        ("en", 0, "Due today."),
    ],
)
def test_the_working_day_sentence_is_in_the_active_language_with_its_plural(language, left, expected):
    with translation.override(language):
        assert working_days_sentence(left) == expected


def test_the_badge_says_singular_and_plural_in_nynorsk_and_english():
    with translation.override("nn"):
        assert deadline_badge("Svar", 2) == "Svar forfell om 2 vyrkedagar"
        assert deadline_badge("Svar", -1) == "Svar forfall for 1 vyrkedag sidan"
    with translation.override("en"):
        assert deadline_badge("Answer", -63) == "Answer overdue by 63 working days"


def test_a_kept_reason_is_worded_when_read_and_other_text_is_left_alone():
    with translation.override("nn"):
        assert reason_text(reason_of(-3)) == "Forfall for 3 vyrkedagar sidan."
        assert reason_text("Skrive for hand.") == "Skrive for hand."
        assert reason_text("") == ""


@pytest.mark.django_db
def test_an_overdue_reminder_is_worded_in_each_recipients_language_not_the_sweeps(
    world, reporter, coordinator, handler
):
    world.municipality.written_form = "nn"
    world.municipality.save(update_fields=["written_form"])
    leader = UserFactory(email="leiar@kommune.test")
    grant(leader, Role.LEADER, organisation=world.municipality)
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):
        case = drive(
            file_case(reporter, world.municipality),
            Status.IN_PROGRESS,
            coordinator=coordinator,
            handler=handler,
            reporter=reporter,
        )
    assert case.answer_due == date(2026, 12, 7)
    Notification.objects.all().delete()

    # The sweep runs in bokmål, the site's language; five working days after the due day.
    with time_machine.travel("2026-12-14 08:00 +01:00", tick=False), translation.override("nb"):
        sweep_deadlines()

    to_leader = build_message(Notification.objects.get(kind=NotificationKind.ESCALATION_LEADER, recipient=leader))
    assert "Forfall for 5 vyrkedagar sidan." in to_leader.body
    assert "virkedager" not in to_leader.body
    to_coordinator = build_message(
        Notification.objects.get(kind=NotificationKind.ESCALATION_CONTACT_POINT, recipient=coordinator)
    )
    assert "Overdue by 5 working days." in to_coordinator.body
    assert "virkedag" not in to_coordinator.body and "Forfalt" not in to_coordinator.body
