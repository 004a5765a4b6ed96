"""The notification centre: a person's own notices, their text and link decided when shown, the
bell's count, and marking read (by POST only)."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from avvik.cases import services
from avvik.cases.choices import Status
from avvik.council.choices import ReportStatus
from avvik.council.models import CouncilReport
from avvik.inbox.context_processors import unread_notices
from avvik.inbox.models import SiteNotice
from avvik.inbox.tasks import delete_old_notices
from avvik.operations.models import PeriodicRun
from avvik.outbox.choices import NotificationKind
from avvik.outbox.writing import notify
from avvik.tenancy.models import Membership
from tests.builders import drive, file_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def forwarded(world, reporter, coordinator, handler):
    """A case forwarded to the municipality: the handler and the reporter each have a notice."""
    return drive(
        file_case(reporter, world.municipality, title="Epikrise mangler"),
        Status.FORWARDED,
        coordinator=coordinator,
        handler=handler,
        reporter=reporter,
    )


def bell(client) -> str:
    """The bell's link in the navigation, as HTML."""
    page = client.get(reverse("inbox:notices")).content.decode()
    match = re.search(r"<a[^>]*data-notice-bell>.*?</a>", page, re.S)
    assert match, "no bell in the navigation"
    return match.group(0)


def test_the_list_shows_the_subject_with_a_link_to_the_case(client, forwarded, handler):
    client.force_login(handler)
    page = client.get(reverse("inbox:notices")).content.decode()
    notice = SiteNotice.objects.get(recipient=handler)
    assert f"{forwarded.reference}: Epikrise mangler – Et avvik er sendt videre til virksomheten din for svar." in page
    assert reverse("inbox:notice_open", args=[notice.pk]) in page
    assert "Ulest" in page


def test_the_list_is_newest_first_and_paginated(client, world, reporter, handler):
    case = file_case(reporter, world.municipality)
    now = timezone.now()
    for day in range(30):
        notify(kind=NotificationKind.COMMENT, recipients=[handler], deviation=case, threshold=f"c{day}")
        SiteNotice.objects.filter(key__endswith=f":c{day}:{handler.pk}").update(created_at=now - timedelta(days=day))
    client.force_login(handler)
    first = client.get(reverse("inbox:notices"))
    shown = [n.notice.created_at for n in first.context["lines"]]
    assert len(shown) == 25
    assert shown == sorted(shown, reverse=True)
    assert "Side 1 av 2" in first.content.decode()
    second = client.get(reverse("inbox:notices"), {"page": 2})
    assert len(second.context["lines"]) == 5


def test_another_person_gets_404_for_a_notice(client, forwarded, handler, coordinator, admin_user):
    notice = SiteNotice.objects.get(recipient=handler)
    for other in (coordinator, admin_user):
        client.force_login(other)
        assert client.post(reverse("inbox:notice_open", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_opening_a_notice_marks_it_read_and_leads_to_the_case(client, forwarded, handler):
    notice = SiteNotice.objects.get(recipient=handler)
    client.force_login(handler)
    response = client.post(reverse("inbox:notice_open", args=[notice.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[forwarded.reference])
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_notice_is_marked_read_only_by_post(client, forwarded, handler):
    notice = SiteNotice.objects.get(recipient=handler)
    client.force_login(handler)
    assert client.get(reverse("inbox:notice_open", args=[notice.pk])).status_code == 405
    assert client.get(reverse("inbox:notices_read_all")).status_code == 405
    assert SiteNotice.objects.get(pk=notice.pk).read_at is None


def test_a_reporter_who_lost_access_sees_the_notice_without_link_or_case_details(client, forwarded, reporter):
    notice = SiteNotice.objects.get(recipient=reporter)
    Membership.objects.filter(user=reporter).delete()  # no longer reports for the hospital
    client.force_login(reporter)
    page = client.get(reverse("inbox:notices")).content.decode()
    # The subject line without the reference and title: the headline alone.
    assert ">Avviket du meldte, er sendt videre til virksomheten som skal svare på det.</span>" in page
    assert forwarded.reference not in page
    assert "Epikrise mangler" not in page
    assert reverse("cases:detail", args=[forwarded.reference]) not in page
    # Opening it marks it read and stays in the list.
    response = client.post(reverse("inbox:notice_open", args=[notice.pk]))
    assert response["Location"] == reverse("inbox:notices")
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_the_bell_shows_the_unread_count_with_accessible_text(client, forwarded, handler, world, reporter):
    client.force_login(handler)
    link = bell(client)
    assert 'aria-hidden="true">1</span>' in link
    assert "1 ulest varsel" in link
    case = file_case(reporter, world.municipality)
    notify(kind=NotificationKind.COMMENT, recipients=[handler], deviation=case, threshold="c1")
    notify(kind=NotificationKind.COMMENT, recipients=[handler], deviation=case, threshold="c2")
    link = bell(client)
    assert "3 uleste varsler" in link


def test_the_bell_stops_counting_at_99(client, world, reporter, handler):
    case = file_case(reporter, world.municipality)
    for n in range(101):
        notify(kind=NotificationKind.COMMENT, recipients=[handler], deviation=case, threshold=f"c{n}")
    client.force_login(handler)
    link = bell(client)
    assert 'aria-hidden="true">99+</span>' in link
    assert "mer enn 99 uleste varsler" in link


def test_the_bell_shows_no_badge_when_everything_is_read(client, forwarded, handler):
    SiteNotice.objects.filter(recipient=handler).update(read_at=timezone.now())
    client.force_login(handler)
    link = bell(client)
    assert "badge" not in link
    assert "ulest" not in link


def test_mark_all_as_read_marks_only_ones_own(client, forwarded, handler, reporter):
    client.force_login(handler)
    response = client.post(reverse("inbox:notices_read_all"))
    assert response["Location"] == reverse("inbox:notices")
    assert not SiteNotice.objects.filter(recipient=handler, read_at__isnull=True).exists()
    assert SiteNotice.objects.filter(recipient=reporter, read_at__isnull=True).count() == 1
    assert "badge" not in bell(client)


def test_the_text_is_in_the_readers_language(client, forwarded, handler):
    client.force_login(handler)
    for language, headline in (
        ("en", "A deviation has been forwarded to your organisation to answer."),
        ("nn", "Eit avvik er sendt vidare til verksemda di for svar."),
        ("nb", "Et avvik er sendt videre til virksomheten din for svar."),
    ):
        handler.language = language
        handler.save(update_fields=["language"])
        page = client.get(reverse("inbox:notices")).content.decode()
        assert f"{forwarded.reference}: Epikrise mangler – {headline}" in page, language


def test_retention_deletes_old_notices_and_records_its_run(forwarded, handler, reporter, settings):
    settings.SITE_NOTICE_RETENTION_DAYS = 180
    SiteNotice.objects.filter(recipient=handler).update(created_at=timezone.now() - timedelta(days=181))
    assert delete_old_notices() == 1
    assert not SiteNotice.objects.filter(recipient=handler).exists()
    assert SiteNotice.objects.filter(recipient=reporter).exists()
    assert PeriodicRun.objects.filter(name="notice_retention").exists()


def test_a_notice_about_a_case_forwarded_elsewhere_loses_its_link(client, forwarded, handler, coordinator, world):
    services.deviation_transition(action="forward", deviation=forwarded, by=coordinator, to=world.bystander_org)
    client.force_login(handler)
    page = client.get(reverse("inbox:notices")).content.decode()
    assert ">Et avvik er sendt videre til virksomheten din for svar.</span>" in page
    assert forwarded.reference not in page
    assert "Epikrise mangler" not in page


def test_a_council_member_is_led_to_the_new_report(client, world, council_member, coordinator):
    report = CouncilReport.objects.create(
        partnership=world.partnership,
        period_label="1. kvartal 2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        status=ReportStatus.DONE,
    )
    notify(kind=NotificationKind.REPORT_READY, recipients=[council_member], report=report, threshold=f"r{report.pk}")
    notice = SiteNotice.objects.get(recipient=council_member)
    client.force_login(council_member)
    assert "En ny rapport til fagrådet er klar." in client.get(reverse("inbox:notices")).content.decode()
    response = client.post(reverse("inbox:notice_open", args=[notice.pk]))
    assert response["Location"] == reverse("council:report", args=[report.pk])


def test_the_count_is_read_only_when_a_template_asks_for_it(rf, handler, django_assert_num_queries):
    request = rf.get("/")
    request.user = handler
    with django_assert_num_queries(0):
        unread = unread_notices(request)["unread_notices"]
    with django_assert_num_queries(1):
        assert unread.count == 0
        assert unread.shown == "0"
