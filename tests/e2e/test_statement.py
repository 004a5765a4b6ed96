"""The accessibility statement: open without login, linked from every page's footer."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_statement_is_open_to_everyone_and_names_a_contact(client, settings):
    settings.DEFAULT_FROM_EMAIL = "Samhandling <kontaktpunkt@helsefellesskap.example>"
    response = client.get(reverse("pages:accessibility"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="mailto:kontaktpunkt@helsefellesskap.example"' in page
    assert "WCAG 2.1" in page
    assert "375" in page and "1280" in page


def test_every_page_links_to_the_statement(client, reporter):
    link = f'href="{reverse("pages:accessibility")}"'
    assert link in client.get(reverse("login")).content.decode()
    client.force_login(reporter)
    assert link in client.get(reverse("cases:mine")).content.decode()
    assert link in client.get(reverse("pages:accessibility")).content.decode()
