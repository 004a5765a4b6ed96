"""Merging a duplicate into its main case: a lifecycle step of the contact point's, told to both
reporters once, after which the duplicate's reporter follows the main case."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from avvik.cases import services
from avvik.cases.choices import Action, Status
from avvik.cases.models import Comment, Deviation, Transition
from avvik.council.counting import statistics_for
from avvik.council.periods import Period
from avvik.outbox.choices import NotificationKind
from avvik.outbox.emails import build_message
from avvik.outbox.models import Notification
from tests.builders import drive, file_case
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def main(world, reporter, coordinator, handler):
    case = file_case(reporter, world.municipality, title="Epikrise mangler")
    return drive(case, Status.IN_PROGRESS, coordinator=coordinator, handler=handler, reporter=reporter)


@pytest.fixture
def duplicate(world, counterpart_reporter):
    # The municipality's own report of the same event, about the hospital.
    return file_case(counterpart_reporter, world.hospital, title="Fikk ikke epikrise")


def test_coordinator_merges_a_duplicate_into_the_main_case(main, duplicate, coordinator):
    services.deviation_merge(duplicate=duplicate, into=main, by=coordinator, note="Samme hendelse.")
    duplicate.refresh_from_db()
    assert duplicate.status == Status.MERGED
    assert duplicate.merged_into == main
    assert duplicate.closed_at is not None
    row = Transition.objects.filter(deviation=duplicate).latest("pk")
    assert (row.action, row.from_status, row.to_status, row.by) == (
        Action.MERGE,
        Status.SUBMITTED,
        Status.MERGED,
        coordinator,
    )


@pytest.mark.parametrize("persona", ["handler", "hospital_handler", "reporter", "counterpart_reporter"])
def test_only_the_contact_point_merges(request, main, duplicate, persona):
    with pytest.raises(services.TransitionRefused):
        services.deviation_merge(duplicate=duplicate, into=main, by=request.getfixturevalue(persona))
    duplicate.refresh_from_db()
    assert duplicate.status == Status.SUBMITTED


def test_a_case_of_another_partnership_is_refused_as_main(world, duplicate, coordinator, other_reporter):
    foreign = file_case(other_reporter, OrganisationFactory(partnership=world.other_partnership))
    with pytest.raises(services.TransitionRefused):
        services.deviation_merge(duplicate=duplicate, into=foreign, by=coordinator)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.SUBMITTED


def test_a_merged_case_cannot_be_merged_again_or_reopened(main, duplicate, coordinator, world, reporter):
    services.deviation_merge(duplicate=duplicate, into=main, by=coordinator)
    third = file_case(reporter, world.municipality)
    duplicate.refresh_from_db()
    with pytest.raises(services.TransitionRefused):
        services.deviation_merge(duplicate=duplicate, into=third, by=coordinator)
    for action in (Action.REOPEN, Action.CLOSE, Action.FORWARD):
        with pytest.raises((services.TransitionRefused, KeyError)):
            services.deviation_transition(deviation=duplicate, by=coordinator, action=action, note="Nei")
    duplicate.refresh_from_db()
    assert duplicate.status == Status.MERGED


def test_nothing_merges_into_a_merged_case_or_itself(main, duplicate, coordinator, world, reporter):
    services.deviation_merge(duplicate=duplicate, into=main, by=coordinator)
    duplicate.refresh_from_db()
    third = file_case(reporter, world.municipality)
    with pytest.raises(services.TransitionRefused):
        services.deviation_merge(duplicate=third, into=duplicate, by=coordinator)
    with pytest.raises(services.TransitionRefused):
        services.deviation_merge(duplicate=third, into=third, by=coordinator)
    # A main case with duplicates of its own is not merged away from their reporters.
    with pytest.raises(services.TransitionRefused):
        services.deviation_merge(duplicate=main, into=third, by=coordinator)


def test_both_reporters_are_told_once(main, duplicate, coordinator, reporter, counterpart_reporter):
    services.deviation_merge(duplicate=duplicate, into=main, by=coordinator)
    told = Notification.objects.filter(kind__in=(NotificationKind.MERGED, NotificationKind.MERGED_INTO))
    assert sorted((n.kind, n.recipient, n.deviation_id) for n in told) == sorted(
        [
            (NotificationKind.MERGED, counterpart_reporter, duplicate.pk),
            (NotificationKind.MERGED_INTO, reporter, main.pk),
        ]
    )


def test_a_reporter_of_both_cases_is_told_once(world, main, coordinator, reporter):
    second = file_case(reporter, world.municipality)
    services.deviation_merge(duplicate=second, into=main, by=coordinator)
    assert Notification.objects.filter(recipient=reporter, kind__startswith="merged").count() == 1


def test_the_duplicates_reporter_reads_the_main_case_and_its_shared_thread(
    client, main, duplicate, coordinator, handler, counterpart_reporter
):
    services.comment_add(deviation=main, by=handler, body="Vi ser på saken.", internal=False)
    services.comment_add(deviation=main, by=handler, body="Intern vurdering.", internal=True)
    assert not Deviation.objects.visible_to(counterpart_reporter).filter(pk=main.pk).exists()
    services.deviation_merge(duplicate=duplicate, into=main, by=coordinator)
    # As the next request does: the person and their roles are read afresh (they are kept for one request).
    counterpart_reporter = type(counterpart_reporter).objects.get(pk=counterpart_reporter.pk)
    assert Deviation.objects.visible_to(counterpart_reporter).filter(pk=main.pk).exists()
    bodies = set(Comment.objects.visible_to(counterpart_reporter).filter(deviation=main).values_list("body", flat=True))
    assert bodies == {"Vi ser på saken."}
    client.force_login(counterpart_reporter)
    page = client.get(reverse("cases:detail", args=[main.reference])).content.decode()
    assert "Vi ser på saken." in page
    assert "Intern vurdering." not in page
    assert duplicate.reference in page  # the main case shows the case merged into it


def test_a_merge_opens_no_other_case(world, main, duplicate, coordinator, reporter, counterpart_reporter):
    unrelated = file_case(reporter, world.municipality, title="Noe annet")
    services.deviation_merge(duplicate=duplicate, into=main, by=coordinator)
    visible = set(Deviation.objects.visible_to(counterpart_reporter).values_list("pk", flat=True))
    assert visible == {main.pk, duplicate.pk}
    assert unrelated.pk not in visible
    # Listed once, however many of one's own reports are merged into it.
    second = file_case(counterpart_reporter, world.hospital)
    services.deviation_merge(duplicate=second, into=main, by=coordinator)
    assert Deviation.objects.visible_to(counterpart_reporter).filter(pk=main.pk).count() == 1


def test_the_duplicates_page_says_what_it_was_merged_with(client, main, duplicate, coordinator, counterpart_reporter):
    services.deviation_merge(duplicate=duplicate, into=main, by=coordinator)
    client.force_login(counterpart_reporter)
    page = client.get(reverse("cases:detail", args=[duplicate.reference]), HTTP_ACCEPT_LANGUAGE="nb").content
    text = page.decode()
    with translation.override("nb"):
        said = translation.gettext("Merged with %(reference)s.") % {"reference": main.reference}
    assert said in text
    assert reverse("cases:detail", args=[main.reference]) in text


def test_a_reader_of_the_duplicate_alone_is_not_told_the_main_reference(
    client, world, main, coordinator, reporter, outsider
):
    # A report between the hospital and the bystander municipality, merged into a case the outsider cannot read.
    side = file_case(reporter, world.bystander_org)
    side = drive(side, Status.SUBMITTED, coordinator=coordinator, handler=None, reporter=reporter)
    services.deviation_transition(deviation=side, by=coordinator, action=Action.FORWARD, to=world.bystander_org)
    services.deviation_merge(duplicate=Deviation.objects.get(pk=side.pk), into=main, by=coordinator)
    client.force_login(outsider)
    text = client.get(reverse("cases:detail", args=[side.reference])).content.decode()
    assert main.reference not in text


def test_merging_on_the_page_asks_first_and_shows_both_cases(client, main, duplicate, coordinator):
    client.force_login(coordinator)
    url = reverse("cases:action", args=[duplicate.reference, Action.MERGE])
    data = {"merge-version": duplicate.version, "merge-into": main.reference.lower(), "merge-note": ""}
    page = client.post(url, data)
    assert page.status_code == 200
    text = page.content.decode()
    assert main.reference in text and duplicate.reference in text
    duplicate.refresh_from_db()
    assert duplicate.status == Status.SUBMITTED
    response = client.post(url, {**data, "confirm": "yes"})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == main


def test_an_unknown_main_reference_is_a_form_error_that_keeps_the_note(client, duplicate, coordinator):
    client.force_login(coordinator)
    url = reverse("cases:action", args=[duplicate.reference, Action.MERGE])
    data = {"merge-version": duplicate.version, "merge-into": "SA-2026-XXXXXX", "merge-note": "Min merknad"}
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="nb")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Min merknad" in text
    assert "SA-2026-XXXXXX" in text


def test_merged_cases_are_listed_and_filtered_like_other_ended_ones(client, main, duplicate, coordinator):
    services.deviation_merge(duplicate=duplicate, into=main, by=coordinator)
    client.force_login(coordinator)
    text = client.get(reverse("cases:all"), {"status": Status.MERGED}).content.decode()
    assert duplicate.reference in text
    assert main.reference not in text


def test_statistics_count_a_merged_duplicate_once(world, main, duplicate, coordinator):
    period = Period.containing(timezone.localdate())
    assert statistics_for(world.partnership, period, with_trend=False).new == 2
    services.deviation_merge(duplicate=duplicate, into=main, by=coordinator)
    assert statistics_for(world.partnership, period, with_trend=False).new == 1


def test_deadlines_skip_a_merged_case(main, duplicate, coordinator):
    Deviation.objects.filter(pk=duplicate.pk).update(triage_due=timezone.localdate().replace(year=2020))
    today = timezone.localdate()
    assert Deviation.objects.overdue(today).filter(pk=duplicate.pk).exists()
    services.deviation_merge(duplicate=Deviation.objects.get(pk=duplicate.pk), into=main, by=coordinator)
    assert not Deviation.objects.overdue(today).filter(pk=duplicate.pk).exists()


def test_the_duplicates_reporter_gets_an_email_naming_the_main_case(main, duplicate, coordinator):
    services.deviation_merge(duplicate=duplicate, into=main, by=coordinator)
    notification = Notification.objects.get(kind=NotificationKind.MERGED)
    message = build_message(notification)
    assert main.reference in message.body
    assert reverse("cases:detail", args=[main.reference]) in message.body
