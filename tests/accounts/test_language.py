"""A person's language: chosen on the login page, it is kept through login and stored on the account."""

from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD


def log_in(client: Client, user) -> None:
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, "the password step itself must succeed"


def test_a_language_chosen_on_the_login_page_is_kept_after_login_and_stored(client, handler):
    assert handler.language == ""
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert client.get(reverse("login")).headers["Content-Language"] == "en"

    log_in(client, handler)
    page = client.get(reverse("cases:handling"))

    assert page.headers["Content-Language"] == "en"
    handler.refresh_from_db()
    assert handler.language == "en"


def test_without_a_choice_before_login_the_account_language_stands(client, handler):
    handler.language = "nn"
    handler.save(update_fields=["language"])

    log_in(client, handler)

    assert client.get(reverse("cases:handling")).headers["Content-Language"] == "nn"
    handler.refresh_from_db()
    assert handler.language == "nn"


def test_the_choice_before_login_is_used_once_and_a_later_switch_changes_the_account(client, handler):
    client.post(reverse("set_language"), {"language": "nn", "next": reverse("login")})
    log_in(client, handler)
    client.get(reverse("cases:handling"))
    client.post(reverse("set_language"), {"language": "en", "next": reverse("cases:handling")})

    assert client.get(reverse("cases:handling")).headers["Content-Language"] == "en"
    handler.refresh_from_db()
    assert handler.language == "en"


def test_an_unknown_language_before_login_is_ignored(client, handler):
    client.post(reverse("set_language"), {"language": "xx", "next": reverse("login")})
    log_in(client, handler)

    client.get(reverse("cases:handling"))

    handler.refresh_from_db()
    assert handler.language == ""
