"""Stored XSS payloads in every text field and file name never run; hostile uploads are refused or harmless."""

import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from avvik.cases.choices import Status
from avvik.cases.services.comments import comment_add
from avvik.cases.services.thread import attachment_add
from avvik.cases.services.transitions import deviation_transition
from avvik.council.services import council_summary_set
from avvik.demo.cases import demo_png
from avvik.outbox.delivery import send_notification
from avvik.outbox.models import Notification
from tests.builders import drive, file_case
from tests.payloads import FILE_NAMES, PAYLOADS, assert_inert
from tests.processes import require

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile_case(world, reporter, coordinator, handler):
    payload = " ".join(PAYLOADS)
    case = file_case(
        reporter,
        world.municipality,
        title=PAYLOADS[0],
        description=payload,
        immediate_action=payload,
        suggested_measure=payload,
        attachment=False,
    )
    attachment_add(
        deviation=case,
        by=reporter,
        upload=SimpleUploadedFile(FILE_NAMES[0], b"tekst", content_type="text/plain"),
    )
    case = drive(case, Status.IN_PROGRESS, coordinator=coordinator, handler=handler, reporter=reporter)
    comment_add(deviation=case, by=handler, body=payload)
    deviation_transition(
        action="answer", deviation=case, by=handler, cause=payload, measures=payload, measures_done=True
    )
    council_summary_set(by=coordinator, deviation=case, text=payload)
    return case


@pytest.mark.parametrize("persona", ["reporter", "handler", "coordinator"])
def test_payloads_are_escaped_on_the_case_page_and_in_lists(client, request, hostile_case, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in (reverse("cases:detail", args=[hostile_case.reference]), reverse("cases:all")):
        body = client.get(url).content.decode()
        assert_inert(body)
        assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in body


def test_payloads_are_escaped_in_emails(hostile_case, mailoutbox):
    for notification in Notification.objects.filter(deviation=hostile_case):
        send_notification(notification.pk)
    assert mailoutbox
    for message in mailoutbox:
        assert_inert(message.alternatives[0][0])  # the HTML part; the text part is plain text


def test_the_subject_shows_the_title_as_written(hostile_case, mailoutbox):
    # A subject is plain text: HTML escaping there would show "&lt;" and "&amp;" in the inbox.
    for notification in Notification.objects.filter(deviation=hostile_case):
        send_notification(notification.pk)
    assert mailoutbox
    for message in mailoutbox:
        assert f"{hostile_case.reference}: {PAYLOADS[0]} – " in message.subject


def test_payloads_in_the_pdf_are_text(hostile_case, coordinator, world):
    from django.utils import timezone

    from avvik.council.counting import statistics_for
    from avvik.council.pdf import render_report_html
    from avvik.council.periods import Period
    from avvik.council.selectors import council_summaries

    require("pdftotext", "apt-get install poppler-utils")
    period = Period.containing(timezone.localdate())
    html = render_report_html(
        statistics_for(world.partnership, period),
        summaries=council_summaries(world.partnership, period),
        generated_at=timezone.now(),
        language="nb",
    )
    assert_inert(html)
    from avvik.council.pdf import render_report_pdf

    pdf = render_report_pdf(html)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert PAYLOADS[0] in text  # shown as text, as written


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bilde.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("side.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("rapport.pdf", b"<html><body onload=alert(1)></body></html>"),
        ("tom.txt", b""),
        ("binaer.bin", b"\x00\x01\x02\x03" * 10),
    ],
)
def test_hostile_uploads_are_refused(client, world, reporter, name, content):
    from tests.builders import filing_form_data

    client.force_login(reporter)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(reverse("cases:new"), {**filing_form_data(world), "attachments": [upload]})
    assert response.status_code == 200
    assert reporter.reported_deviations.count() == 0


def test_a_png_with_html_appended_is_served_harmlessly(client, world, reporter, coordinator):
    case = file_case(reporter, world.municipality)
    polyglot = demo_png() + b"<html><script>alert(1)</script></html>"
    attachment = attachment_add(
        deviation=case, by=reporter, upload=SimpleUploadedFile("bilde.png", polyglot, content_type="image/png")
    )
    client.force_login(coordinator)
    response = client.get(reverse("cases:attachment", args=[case.reference, attachment.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_path_in_a_file_name_is_dropped(world, reporter):
    case = file_case(reporter, world.municipality)
    attachment = attachment_add(
        deviation=case, by=reporter, upload=SimpleUploadedFile("../../etc/passwd.txt", b"x", content_type="text/plain")
    )
    assert attachment.original_name == "passwd.txt"
    assert ".." not in attachment.file.name
