"""Login throttling, session limits, CSRF and security headers."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def attempt(client, email, password, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address)


def test_an_account_is_locked_after_five_wrong_passwords(client, reporter):
    for _ in range(4):
        assert attempt(client, reporter.email, "wrong").status_code == 200
    assert attempt(client, reporter.email, "wrong").status_code == 429  # the fifth locks
    response = attempt(client, reporter.email, PASSWORD, address="10.0.0.2")  # even from another address
    assert response.status_code == 429
    assert "For mange forsøk" in response.content.decode()


def test_an_address_is_locked_after_five_wrong_logins_to_any_accounts(client, reporter):
    for number in range(5):
        attempt(client, f"ukjent{number}@example.no", "wrong", address="10.9.9.9")
    assert attempt(client, reporter.email, PASSWORD, address="10.9.9.9").status_code == 429
    assert attempt(Client(), reporter.email, PASSWORD, address="10.1.1.1").status_code == 302


def test_the_message_never_reveals_whether_an_account_exists(client, reporter):
    known = attempt(client, reporter.email, "wrong", address="10.0.0.3").content.decode()
    unknown = attempt(client, "finnes.ikke@example.no", "wrong", address="10.0.0.4").content.decode()
    strip = lambda html: html.replace(reporter.email, "X").replace("finnes.ikke@example.no", "X")  # noqa: E731
    import re

    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", strip(known)) == token.sub("", strip(unknown))


def test_a_session_ends_after_thirty_idle_minutes(client, reporter):
    client.force_login(reporter)
    with time_machine.travel(timezone.now() + timedelta(minutes=29)):
        assert client.get(reverse("cases:mine")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=29 + 31)):
        assert client.get(reverse("cases:mine")).status_code == 302


def test_a_session_ends_twelve_hours_after_login_however_busy(client, reporter):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(reporter)
        client.get(reverse("cases:mine"))
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("cases:mine")).status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=5), tick=False):
        response = client.get(reverse("cases:mine"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_deactivated_person_is_logged_out_at_the_next_request(client, reporter):
    client.force_login(reporter)
    assert client.get(reverse("cases:mine")).status_code == 200
    reporter.is_active = False
    reporter.save()
    assert client.get(reverse("cases:mine")).status_code == 302


def test_logging_in_gives_a_new_session_and_logging_out_ends_it_on_the_server(client, reporter):
    from django.contrib.sessions.models import Session

    client.get(reverse("login"))
    attempt(client, reporter.email, PASSWORD)
    session_key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=session_key).exists()


def test_csrf_is_enforced(reporter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter)
    assert client.post(reverse("logout")).status_code == 403


def test_security_headers_on_every_page(client, reporter):
    client.force_login(reporter)
    response = client.get(reverse("cases:mine"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"


def test_refused_accesses_are_logged(client, reporter, caplog):
    client.force_login(reporter)
    with caplog.at_level("WARNING", logger="samhandling.security"):
        client.get("/avvik/SA-1999-00001/")
    assert "refused GET /avvik/SA-1999-00001/" in caplog.text


def test_a_person_sees_their_own_access_log_and_an_organisation_admin_that_of_its_cases(
    client, world, reporter, coordinator, handler
):
    from avvik.tenancy.choices import Role
    from tests.builders import file_case
    from tests.factories import UserFactory, grant

    case = file_case(reporter, world.municipality)
    client.force_login(coordinator)
    client.get(reverse("cases:detail", args=[case.reference]))
    client.force_login(reporter)
    client.get(reverse("cases:detail", args=[case.reference]))
    mine = client.get(reverse("cases:my_access_log")).content.decode()
    assert str(reporter) in mine and str(coordinator) not in mine
    assert client.get(reverse("cases:my_access_log"), {"format": "csv"}).status_code == 200
    leader = UserFactory(email="leder@sykehus.test")
    grant(leader, Role.ORG_ADMIN, organisation=world.hospital)
    client.force_login(leader)
    page = client.get(reverse("cases:my_access_log")).content.decode()
    assert str(coordinator) in page and str(reporter) in page
    response = client.get(reverse("cases:my_access_log"), {"format": "csv"})
    export = b"".join(response.streaming_content).decode("utf-8-sig")
    assert coordinator.email in export and case.reference in export


def test_the_same_account_in_other_capitals_counts_as_one(client, reporter):
    typed = [reporter.email.upper(), reporter.email.capitalize(), f" {reporter.email} ", reporter.email.swapcase()]
    for email in typed:
        assert attempt(client, email, "wrong", address="10.0.0.7").status_code == 200
    assert attempt(client, reporter.email.title(), "wrong", address="10.0.0.8").status_code == 429
    assert attempt(client, reporter.email, PASSWORD, address="10.0.0.9").status_code == 429


def test_password_reset_e_mails_are_throttled_per_address_and_per_client(client, reporter, mailoutbox, settings):
    settings.PASSWORD_RESET_LIMIT = 3
    for _ in range(10):
        response = client.post(reverse("password_reset"), {"email": reporter.email}, REMOTE_ADDR="10.0.1.1")
        assert response.status_code == 302  # the same answer whether or not an e-mail went out
    assert len(mailoutbox) == 3
    # Another client asking for the same address is refused too: the address has had its three.
    client.post(reverse("password_reset"), {"email": reporter.email.upper()}, REMOTE_ADDR="10.0.1.2")
    assert len(mailoutbox) == 3
    # One client asking for many addresses is stopped as well.
    people = [UserFactory() for _ in range(5)]
    for person in people:
        Client().post(reverse("password_reset"), {"email": person.email}, REMOTE_ADDR="10.0.1.3")
    assert len(mailoutbox) == 3 + 3
