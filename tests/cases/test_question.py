"""The question to the reporter: shown at the top of the case page, answered there by the reporter,
and the answer resumes the case and its answer clock by itself, counted in working days."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from avvik.cases import services
from avvik.cases.choices import Action, Status
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.records import Comment, Transition
from avvik.deadlines.models import ClosureDay
from avvik.outbox.models import Notification
from avvik.tenancy.choices import Role
from tests.builders import drive, file_case
from tests.factories import grant

pytestmark = pytest.mark.django_db

QUESTION = "Når ble epikrisen sendt, og til hvilken HER-id?"


def nb(message: str) -> str:
    with translation.override("nb"):
        return translation.gettext(message)


def waiting_case(world, reporter, coordinator, handler, *, question: str = QUESTION) -> Deviation:
    deviation = drive(
        file_case(reporter, world.municipality),
        Status.IN_PROGRESS,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    return services.deviation_transition(action=Action.WAIT, deviation=deviation, by=handler, note=question)


def test_the_reporter_sees_the_question_at_the_top_with_a_box_to_answer_it(
    client, world, reporter, coordinator, handler
):
    deviation = waiting_case(world, reporter, coordinator, handler)
    client.force_login(reporter)
    page = client.get(reverse("cases:detail", args=[deviation.reference])).content.decode()
    main = page[page.index('<div class="col-lg-8">') : page.index('<div class="col-lg-4">')]
    card = main[: main.index(nb("What happened"))]  # above the case's own text
    assert nb("A question for you") in card
    assert QUESTION in card
    assert handler.full_name in card and world.municipality.name in card
    assert f'action="{reverse("cases:action", args=[deviation.reference, "reply"])}"' in card
    assert 'name="reply-note"' in card and nb("Send your answer") in card
    # The thread says there is a question, not that there are no messages.
    assert nb("No comments yet.") not in main and nb("No messages yet.") not in main
    assert nb("Question to the reporter") in main[main.index('id="thread-heading"') :]
    # The reply is not one of the actions as well.
    assert (
        'action="{}"'.format(reverse("cases:action", args=[deviation.reference, "reply"]))
        not in main[main.index(nb("What happened")) :]
    )


def test_the_handler_sees_the_open_question_without_a_reply_box(client, world, reporter, coordinator, handler):
    deviation = waiting_case(world, reporter, coordinator, handler)
    client.force_login(handler)
    page = client.get(reverse("cases:detail", args=[deviation.reference])).content.decode()
    assert nb("Waiting for the reporter to answer a question") in page
    assert QUESTION in page
    assert 'name="reply-note"' not in page


def test_no_question_card_when_the_case_does_not_wait(client, world, reporter, coordinator, handler):
    deviation = drive(
        file_case(reporter, world.municipality),
        Status.IN_PROGRESS,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )
    client.force_login(reporter)
    page = client.get(reverse("cases:detail", args=[deviation.reference])).content.decode()
    assert 'id="question-heading"' not in page
    assert nb("No comments yet.") in page


def test_the_reporters_answer_is_a_comment_that_resumes_the_case(client, world, reporter, coordinator, handler):
    deviation = waiting_case(world, reporter, coordinator, handler)
    Notification.objects.all().delete()
    client.force_login(reporter)
    response = client.post(
        reverse("cases:action", args=[deviation.reference, "reply"]),
        {"reply-note": "Sendt 12.11 kl. 14, til HER-id 12345.", "reply-version": deviation.version},
        follow=True,
    )
    assert response.status_code == 200
    deviation.refresh_from_db()
    assert deviation.status == Status.IN_PROGRESS
    assert deviation.waiting_since is None
    comment = Comment.objects.get(deviation=deviation)
    assert comment.body == "Sendt 12.11 kl. 14, til HER-id 12345." and not comment.is_internal
    assert comment.author == reporter
    last = Transition.objects.filter(deviation=deviation).last()
    assert (last.action, last.from_status, last.to_status, last.by) == (
        "reply",
        Status.WAITING,
        Status.IN_PROGRESS,
        reporter,
    )
    page = response.content.decode()
    assert (
        nb("Your answer is sent. {organisation} is told and goes on with the case.").format(
            organisation=world.municipality.name
        )
        in page
    )
    timeline = page[page.index('id="timeline-heading"') :]
    assert nb("Resumed because the reporter answered the question.") in timeline
    # The case handler is told the reporter answered (once, not also of a new comment).
    assert list(Notification.objects.values_list("kind", "recipient")) == [("reporter_replied", handler.pk)]


def test_an_empty_answer_is_refused_and_changes_nothing(client, world, reporter, coordinator, handler):
    deviation = waiting_case(world, reporter, coordinator, handler)
    client.force_login(reporter)
    response = client.post(
        reverse("cases:action", args=[deviation.reference, "reply"]),
        {"reply-note": "  ", "reply-version": deviation.version},
    )
    assert response.status_code == 400
    assert nb("Your answer was not sent; see the field marked below.") in response.content.decode()
    assert Deviation.objects.get(pk=deviation.pk).status == Status.WAITING
    assert not Comment.objects.exists()


def test_a_comment_from_the_reporter_on_the_ordinary_thread_resumes_it_too(
    client, world, reporter, coordinator, handler
):
    deviation = waiting_case(world, reporter, coordinator, handler)
    client.force_login(reporter)
    client.post(reverse("cases:comment", args=[deviation.reference]), {"body": "Den ble sendt i går."})
    deviation.refresh_from_db()
    assert deviation.status == Status.IN_PROGRESS
    assert Transition.objects.filter(deviation=deviation, action="reply", by=reporter).count() == 1


def test_only_the_reporter_who_filed_it_resumes_it_by_writing(
    world, reporter, colleague_reporter, coordinator, handler, hospital_handler
):
    deviation = waiting_case(world, reporter, coordinator, handler)
    for person in (coordinator, handler, hospital_handler, colleague_reporter):
        services.comment_add(deviation=deviation, by=person, body="Vi venter på melderen.")
        assert Deviation.objects.get(pk=deviation.pk).status == Status.WAITING
    # The reporter's internal note (were they a handler too) is no answer to the reporter's question either.
    grant(reporter, Role.HANDLER, organisation=world.hospital)
    reporter.__dict__.pop("_samhandling_roles", None)
    services.comment_add(deviation=deviation, by=reporter, body="Notat til meg selv.", internal=True)
    assert Deviation.objects.get(pk=deviation.pk).status == Status.WAITING


def test_nobody_else_may_reply_for_the_reporter(client, world, reporter, colleague_reporter, coordinator, handler):
    deviation = waiting_case(world, reporter, coordinator, handler)
    for person in (handler, coordinator):
        client.force_login(person)
        response = client.post(
            reverse("cases:action", args=[deviation.reference, "reply"]),
            {"reply-note": "Svar", "reply-version": deviation.version},
        )
        assert response.status_code == 403
    assert Deviation.objects.get(pk=deviation.pk).status == Status.WAITING
    with pytest.raises(services.TransitionRefused):
        services.deviation_transition(action=Action.REPLY, deviation=deviation, by=handler)


def test_the_answer_is_kept_when_the_handler_resumed_meanwhile(world, reporter, coordinator, handler):
    deviation = waiting_case(world, reporter, coordinator, handler)
    stale = Deviation.objects.get(pk=deviation.pk)  # the reporter's page, read while it waited
    services.deviation_transition(action=Action.RESUME, deviation=deviation, by=handler)
    Notification.objects.all().delete()
    comment = services.comment_add(deviation=stale, by=reporter, body="Svaret mitt.")
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert not Transition.objects.filter(deviation=deviation, action="reply").exists()
    # Told as an ordinary comment instead.
    assert list(Notification.objects.values_list("kind", "recipient")) == [("comment", handler.pk)]


def test_without_a_case_handler_the_responsible_organisations_handlers_are_told(
    world, reporter, coordinator, handler, org_admin
):
    deviation = waiting_case(world, reporter, coordinator, handler)
    handler.is_active = False  # the case handler left
    handler.save()
    Notification.objects.all().delete()
    services.comment_add(deviation=Deviation.objects.get(pk=deviation.pk), by=reporter, body="Svar.")
    assert list(Notification.objects.values_list("kind", "recipient")) == [("reporter_replied", org_admin.pk)]


# The answer clock ---------------------------------------------------------------------------


def resume_by_answer(deviation, reporter, when: str) -> Deviation:
    with time_machine.travel(when, tick=False):
        services.comment_add(deviation=deviation, by=reporter, body="Her er svaret.")
    return Deviation.objects.get(pk=deviation.pk)


@pytest.mark.parametrize(
    ("asked", "answered", "due"),
    [
        # Forwarded and accepted Monday 23 November 2026: 10 working days, due Monday 7 December.
        ("2026-11-23 15:00 +01:00", "2026-11-23 16:00 +01:00", date(2026, 12, 7)),  # the same day: no day lost
        ("2026-11-26 09:00 +01:00", "2026-11-30 09:00 +01:00", date(2026, 12, 9)),  # Thu → Mon: Fri and Mon
        ("2026-11-27 14:00 +01:00", "2026-11-28 10:00 +01:00", date(2026, 12, 7)),  # Fri → Sat: no working day
        ("2026-11-24 09:00 +01:00", "2026-11-27 09:00 +01:00", date(2026, 12, 10)),  # Tue → Fri: three
    ],
)
def test_the_answer_clock_stands_still_for_the_working_days_the_reporter_took(
    world, reporter, coordinator, handler, asked, answered, due
):
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):
        deviation = drive(
            file_case(reporter, world.municipality),
            Status.IN_PROGRESS,
            coordinator=coordinator,
            handler=handler,
            reporter=reporter,
        )
    assert deviation.answer_due == date(2026, 12, 7)
    with time_machine.travel(asked, tick=False):
        deviation = services.deviation_transition(action=Action.WAIT, deviation=deviation, by=handler, note="?")
    deviation = resume_by_answer(deviation, reporter, answered)
    assert deviation.status == Status.IN_PROGRESS
    assert deviation.answer_due == due


def test_easter_and_closure_days_do_not_count_as_waiting(world, reporter, coordinator, handler):
    # Forwarded Monday 15 March 2027: due Monday 29 March… a holiday (2. påskedag): due Tuesday 30 March.
    ClosureDay.objects.create(partnership=world.partnership, date=date(2027, 3, 24), name="Planleggingsdag")
    with time_machine.travel("2027-03-15 09:00 +01:00", tick=False):
        deviation = drive(
            file_case(reporter, world.municipality),
            Status.IN_PROGRESS,
            coordinator=coordinator,
            handler=handler,
            reporter=reporter,
        )
    due_before = deviation.answer_due
    with time_machine.travel("2027-03-23 11:00 +01:00", tick=False):  # Tuesday in Holy Week
        deviation = services.deviation_transition(action=Action.WAIT, deviation=deviation, by=handler, note="?")
    # Answered Tuesday 30 March: Wed 24 is closed, Thu 25 to Mon 29 are Easter and a weekend; only Tue 30 counts.
    deviation = resume_by_answer(deviation, reporter, "2027-03-30 10:00 +02:00")
    assert deviation.answer_paused_days == 1
    from avvik.deadlines.due_dates import calendar_for

    assert deviation.answer_due == calendar_for(world.partnership.pk).add_working_days(due_before, 1)


@time_machine.travel("2026-11-23 09:00 +01:00", tick=False)
def test_the_case_page_shows_the_clock_paused_then_running_again(client, world, reporter, coordinator, handler):
    deviation = waiting_case(world, reporter, coordinator, handler)
    client.force_login(handler)
    page = client.get(reverse("cases:detail", args=[deviation.reference])).content.decode()
    assert nb("Paused while waiting for the reporter") in page
    services.comment_add(deviation=deviation, by=reporter, body="Svar.")
    page = client.get(reverse("cases:detail", args=[deviation.reference])).content.decode()
    assert nb("Paused while waiting for the reporter") not in page
    assert "Svar forfaller om 10 virkedager" in page


def test_a_corrected_category_keeps_the_days_the_case_waited(world, reporter, coordinator, handler):
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):
        deviation = waiting_case(world, reporter, coordinator, handler)
    deviation = resume_by_answer(deviation, reporter, "2026-11-26 09:00 +01:00")  # three working days
    assert deviation.answer_due == date(2026, 12, 10)
    with time_machine.travel("2026-11-27 09:00 +01:00", tick=False):
        services.deviation_update(
            deviation=deviation, by=coordinator, version=deviation.version, changes={"title": "Epikrise manglet"}
        )
        deviation = Deviation.objects.get(pk=deviation.pk)
        services.deviation_update(
            deviation=deviation,
            by=coordinator,
            version=deviation.version,
            changes={"consequence": "moderate"},
        )
    # Computed again from the forward: ten working days, and the three it waited.
    assert Deviation.objects.get(pk=deviation.pk).answer_due == date(2026, 12, 10)


def test_two_questions_add_up_and_a_reopened_case_starts_a_new_clock(world, reporter, coordinator, handler):
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):
        deviation = waiting_case(world, reporter, coordinator, handler)
    deviation = resume_by_answer(deviation, reporter, "2026-11-24 09:00 +01:00")  # one day
    with time_machine.travel("2026-11-25 09:00 +01:00", tick=False):
        deviation = services.deviation_transition(action=Action.WAIT, deviation=deviation, by=handler, note="Og?")
    deviation = resume_by_answer(deviation, reporter, "2026-11-27 09:00 +01:00")  # two days
    assert deviation.answer_paused_days == 3
    assert deviation.answer_due == date(2026, 12, 10)
    with time_machine.travel("2026-11-30 09:00 +01:00", tick=False):
        deviation = services.deviation_transition(
            action=Action.CLOSE, deviation=deviation, by=coordinator, note="Lukket."
        )
        deviation = services.deviation_transition(
            action=Action.REOPEN, deviation=deviation, by=coordinator, note="Mangler svar."
        )
    assert deviation.answer_paused_days == 0
    assert deviation.answer_due == date(2026, 12, 14)  # ten working days from Monday 30 November


def test_a_case_closed_while_waiting_waits_no_more(world, reporter, coordinator, handler):
    deviation = waiting_case(world, reporter, coordinator, handler)
    deviation = services.deviation_transition(action=Action.CLOSE, deviation=deviation, by=coordinator, note="Ok.")
    assert deviation.waiting_since is None
