"""A person's settings: keyboard shortcuts are on unless the person turns them off (WCAG 2.1.4)."""

import pytest
from django.urls import reverse

from avvik.tenancy.models import User

pytestmark = pytest.mark.django_db


def test_keyboard_shortcuts_are_on_for_a_new_person(world, handler):
    assert User.objects.get(pk=handler.pk).keyboard_shortcuts is True


def test_the_settings_page_offers_the_shortcuts_setting_and_the_help_page(client, world, handler):
    client.force_login(handler)

    page = client.get(reverse("preferences")).content.decode()

    assert 'name="keyboard_shortcuts"' in page
    assert 'id="id_keyboard_shortcuts"' in page
    assert 'for="id_keyboard_shortcuts"' in page
    assert 'href="/hurtigtaster/"' in page


def test_turning_shortcuts_off_is_stored_and_told_to_every_page(client, world, handler):
    client.force_login(handler)

    response = client.post(reverse("preferences"), {"notification_delivery": "immediate", "language": ""})

    assert response.status_code == 302
    handler.refresh_from_db()
    assert handler.keyboard_shortcuts is False
    assert 'data-shortcuts="off"' in client.get(reverse("cases:handling")).content.decode()


def test_turning_shortcuts_on_again(client, world, handler):
    User.objects.filter(pk=handler.pk).update(keyboard_shortcuts=False)
    client.force_login(handler)

    client.post(
        reverse("preferences"), {"notification_delivery": "immediate", "language": "", "keyboard_shortcuts": "on"}
    )

    handler.refresh_from_db()
    assert handler.keyboard_shortcuts is True
    page = client.get(reverse("cases:handling")).content.decode()
    assert 'data-shortcuts="on"' in page
    assert 'data-shortcuts-help="/hurtigtaster/"' in page
    assert "js/shortcuts" in page


def test_saving_other_settings_keeps_the_rest_of_the_person(client, world, handler):
    client.force_login(handler)

    client.post(reverse("preferences"), {"notification_delivery": "daily", "language": "", "keyboard_shortcuts": "on"})

    handler.refresh_from_db()
    assert handler.notification_delivery == "daily"
    assert handler.keyboard_shortcuts is True
