"""The site's own error pages: 400, 403, 404, 413 and 500 in the person's language and the site's
layout, never Django's bare English text."""

from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from avvik.cases import services
from avvik.cases.models.deviation import Deviation
from avvik.cases.models.records import Comment
from avvik.pages import views
from tests.builders import file_case, filing_form_data

pytestmark = pytest.mark.django_db

# What Django's own error pages and its debug pages say, which none of ours may.
DJANGO_TEXT = (
    "Bad Request (400)",
    "Server Error (500)",
    "Not Found",
    "Forbidden",
    "The requested resource",
    "CSRF verification failed",
    "Traceback",
    "Django",
    "RequestDataTooBig",
    "DATA_UPLOAD_MAX",
)


def say(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def assert_our_page(response, status: int, heading: str, *, language: str = "nb", layout: bool = True) -> str:
    assert response.status_code == status
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert say(language, heading) in body
    # The site's layout: the skip link, the navigation bar and the footer, in the page's language.
    assert say(language, "Skip to main content") in body
    assert 'class="navbar' in body
    assert say(language, "Accessibility statement") in body
    if layout:
        assert "js/drafts.js" in body  # base.html, not a page of its own
    for text in DJANGO_TEXT:
        assert text not in body, f"{text!r} on the {status} page"
    # (A failure in the session middleware's answer is drawn outside the locale middleware: no header.)
    assert response.get("Content-Language", language) == language
    return body


@pytest.fixture
def nynorsk(reporter):
    reporter.language = "nn"
    reporter.save(update_fields=["language"])
    return reporter


@pytest.fixture(params=["nb", "nn"])
def person(request, reporter):
    """The reporter, once in bokmål and once in nynorsk."""
    reporter.language = request.param
    reporter.save(update_fields=["language"])
    return reporter


# 400


def test_a_malformed_request_gets_our_400_page(client, world, person):
    deviation = file_case(person, world.municipality)
    client.force_login(person)
    fields = {f"f{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(reverse("cases:comment", args=[deviation.reference]), fields)
    assert_our_page(response, 400, "The request could not be read", language=person.language)
    assert not Comment.objects.exists()


def test_an_unknown_host_gets_our_400_page_before_anyone_is_known(client):
    response = client.get("/tilgjengelighet/", HTTP_HOST="angriper.example")
    assert_our_page(response, 400, "The request could not be read")


# 403


def test_a_page_outside_the_persons_roles_gets_our_403_page(client, world, person):
    client.force_login(person)
    response = client.get(reverse("cases:triage"))
    body = assert_our_page(response, 403, "You do not have access", language=person.language)
    assert say(person.language, "Log out") in body  # the person's own navigation


def test_a_form_from_an_expired_page_gets_our_403_page_saying_the_text_is_kept(world, person):
    deviation = file_case(person, world.municipality)
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    response = client.post(reverse("cases:comment", args=[deviation.reference]), {"body": "Dette er skrevet."})
    body = assert_our_page(response, 403, "The form had expired", language=person.language)
    assert say(person.language, "Restore what you typed") in body
    assert not Comment.objects.exists()


# 404


def test_an_unknown_case_gets_our_404_page(client, world, person):
    client.force_login(person)
    assert_our_page(client.get("/avvik/SA-2026-FINNES/"), 404, "Page not found", language=person.language)


def test_another_partnerships_case_gets_the_same_404_page(client, world, reporter, foreigner):
    theirs = file_case(reporter, world.municipality)
    client.force_login(foreigner)
    body = assert_our_page(client.get(reverse("cases:detail", args=[theirs.reference])), 404, "Page not found")
    assert theirs.title not in body


def test_an_unknown_address_before_login_gets_our_404_page(client):
    assert_our_page(client.get("/tilgjengelighet/finnes-ikke/"), 404, "Page not found")


# 413


def test_a_description_over_the_limit_gets_413_saying_the_text_is_kept(client, world, person):
    client.force_login(person)
    form = reverse("cases:new")
    too_long = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(form, filing_form_data(world, description=too_long), HTTP_REFERER=f"http://testserver{form}")
    body = assert_our_page(response, 413, "The text was too long", language=person.language)
    assert say(person.language, "Restore what you typed") in body
    assert f'href="http://testserver{form}"' in body  # back to the form, where the draft is offered
    assert not Deviation.objects.exists()


def test_a_message_over_the_limit_gets_413_too(client, world, person):
    deviation = file_case(person, world.municipality)
    client.force_login(person)
    too_long = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(
        reverse("cases:comment", args=[deviation.reference]),
        f"body={too_long}",
        content_type="application/x-www-form-urlencoded",
    )
    assert_our_page(response, 413, "The text was too long", language=person.language)
    assert not Comment.objects.exists()


def test_the_413_page_links_only_back_to_our_own_site(client, world, reporter):
    client.force_login(reporter)
    response = client.post(
        reverse("cases:new"),
        filing_form_data(world, description="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)),
        HTTP_REFERER="https://angriper.example/avvik/ny/",
    )
    body = assert_our_page(response, 413, "The text was too long")
    assert "angriper.example" not in body


def test_a_body_just_under_the_limit_is_read_as_before(client, world, reporter):
    client.force_login(reporter)
    response = client.post(reverse("cases:new"), filing_form_data(world, description="x" * 1_000_000))
    assert response.status_code in (200, 302)


class UnreadBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_an_upload_larger_than_any_form_may_carry_is_refused_before_its_body_is_read(client, world, person):
    client.force_login(person)
    declared = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + settings.ATTACHMENTS_MAX_TOTAL_BYTES + 1
    response = client.generic(
        "POST",
        reverse("cases:new"),
        b"--x--",
        content_type="multipart/form-data; boundary=x",
        **{"CONTENT_LENGTH": str(declared), "wsgi.input": UnreadBody()},
    )
    body = assert_our_page(response, 413, "The attachments were too large", language=person.language)
    assert say(person.language, "Restore what you typed") in body
    assert "25" in body and "10" in body  # the limits, as the person can act on them
    assert not Deviation.objects.exists()


def test_an_upload_within_the_limits_is_read_as_before(client, world, reporter):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(reporter)
    upload = SimpleUploadedFile("notat.txt", b"Melding sendt kl. 10.\n", content_type="text/plain")
    response = client.post(reverse("cases:new"), filing_form_data(world, attachments=[upload]))
    assert response.status_code == 302
    assert Deviation.objects.get().attachments.count() == 1


def test_more_files_than_a_form_may_carry_get_413(client, world, reporter):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(reporter)
    files = [
        SimpleUploadedFile(f"notat-{n}.txt", b"Tekst.\n", content_type="text/plain")
        for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    ]
    response = client.post(reverse("cases:new"), filing_form_data(world, attachments=files))
    assert_our_page(response, 413, "The attachments were too large")
    assert not Deviation.objects.exists()


def test_a_too_large_body_reaching_the_400_handler_still_gets_413():
    from django.core.exceptions import RequestDataTooBig

    request = RequestFactory().post("/avvik/ny/")
    with translation.override("nn"):
        response = views.bad_request(request, RequestDataTooBig("too big"))
    assert response.status_code == 413
    assert say("nn", "The text was too long") in response.content.decode()


# 500


@pytest.fixture
def failing_client(client):
    """A client that gets the 500 page instead of the exception."""
    client.raise_request_exception = False
    return client


def test_a_failure_gets_our_500_page_saying_the_text_is_kept(failing_client, world, person, monkeypatch):
    def fails(**kwargs):
        raise RuntimeError("the service failed")

    monkeypatch.setattr(services, "deviation_submit", fails)
    failing_client.force_login(person)
    response = failing_client.post(reverse("cases:new"), filing_form_data(world))
    body = assert_our_page(response, 500, "Something went wrong on our side", language=person.language, layout=False)
    assert say(person.language, "Restore what you typed") in body
    assert "the service failed" not in body


def test_a_database_outage_gets_our_500_page_in_the_browsers_language(failing_client, world, nynorsk):
    failing_client.force_login(nynorsk)
    with mock.patch.object(connection, "ensure_connection", side_effect=OperationalError("connection refused")):
        response = failing_client.get(reverse("cases:mine"), HTTP_ACCEPT_LANGUAGE="nn")
    # Who the person is cannot be read without the database: the browser's language decides.
    body = assert_our_page(response, 500, "Something went wrong on our side", language="nn", layout=False)
    assert "connection refused" not in body


def test_the_500_page_is_drawn_without_the_database_or_the_request(django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0), translation.override("nn"):
        response = views.server_error(request)
    assert response.status_code == 500
    body = response.content.decode()
    assert '<html lang="nn">' in body
    assert say("nn", "Something went wrong on our side") in body
    assert "<script" not in body and "style=" not in body  # the CSP allows neither inline


def test_a_page_that_cannot_be_drawn_falls_back_to_the_500_page(rf, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("no database")

    monkeypatch.setattr(views, "render", broken)
    response = views.page_not_found(rf.get("/x/"), Exception("x"))
    assert response.status_code == 500
    assert "no database" not in response.content.decode()


def test_an_api_body_too_large_is_answered_as_the_api_answers(client):
    declared = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + settings.ATTACHMENTS_MAX_TOTAL_BYTES + 1
    response = client.generic(
        "POST",
        "/api/v1/cases/",
        b"--x--",
        content_type="multipart/form-data; boundary=x",
        **{"CONTENT_LENGTH": str(declared), "wsgi.input": UnreadBody()},
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 413
