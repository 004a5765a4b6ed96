"""The keyboard shortcuts page (hurtigtaster): what the keys do, and the queues each person may go to."""

import pytest
from django.urls import reverse

from avvik.tenancy.models import User

pytestmark = pytest.mark.django_db


def test_the_page_lists_the_keys_and_is_open_to_everyone(client):
    response = client.get(reverse("pages:shortcuts"))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="shortcuts-reference"' in page
    for key in ("<kbd>?</kbd>", "<kbd>j</kbd>", "<kbd>k</kbd>", "<kbd>x</kbd>", "<kbd>/</kbd>", "<kbd>c</kbd>"):
        assert key in page
    # Nobody is signed in, so there is no queue to go to.
    assert "data-shortcut-go" not in page


def test_a_coordinator_goes_to_triage_and_a_handler_to_their_queue(client, world, coordinator, handler):
    client.force_login(coordinator)
    page = client.get(reverse("pages:shortcuts")).content.decode()
    assert f'href="{reverse("cases:triage")}" data-shortcut-go="t"' in page
    assert f'href="{reverse("cases:all")}" data-shortcut-go="a"' in page
    assert 'data-shortcut-go="h"' not in page

    client.force_login(handler)
    page = client.get(reverse("pages:shortcuts")).content.decode()
    assert f'href="{reverse("cases:handling")}" data-shortcut-go="h"' in page
    assert 'data-shortcut-go="t"' not in page


def test_the_page_says_whether_shortcuts_are_on_for_the_person(client, world, handler):
    client.force_login(handler)
    page = client.get(reverse("pages:shortcuts")).content.decode()
    assert 'data-shortcuts="on"' in page
    assert f'href="{reverse("preferences")}"' in page

    User.objects.filter(pk=handler.pk).update(keyboard_shortcuts=False)
    page = client.get(reverse("pages:shortcuts")).content.decode()
    assert 'data-shortcuts="off"' in page
