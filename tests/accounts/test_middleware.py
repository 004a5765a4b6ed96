"""What our middleware costs a signed-in page view: its queries, its writes, and that caching
nothing across requests keeps a removed role or a deactivated person from the next one."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from avvik.tenancy.models import Membership
from tools.floor_urls import FLOOR_PATH

pytestmark = pytest.mark.django_db

# The session, the person, and their roles (with their organisation's written form): nothing else.
FLOOR_QUERIES = 3


@pytest.fixture
def floor_client(client, settings, handler):
    settings.ROOT_URLCONF = "tools.floor_urls"
    client.force_login(handler)
    assert client.get(FLOOR_PATH).status_code == 200
    return client


def _session_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def test_a_signed_in_page_view_costs_three_queries(floor_client):
    with CaptureQueriesContext(connection) as queries:
        assert floor_client.get(FLOOR_PATH).status_code == 200
    assert len(queries) <= FLOOR_QUERIES, [q["sql"] for q in queries]


def test_a_page_view_does_not_write_the_session(floor_client):
    with CaptureQueriesContext(connection) as queries:
        floor_client.get(FLOOR_PATH)
        floor_client.get(FLOOR_PATH)
    assert _session_writes(queries) == []


def test_the_first_page_after_login_does_not_write_the_session(client, settings, handler):
    settings.ROOT_URLCONF = "tools.floor_urls"
    client.force_login(handler)  # the login writes the session, with its limits started
    with CaptureQueriesContext(connection) as queries:
        assert client.get(FLOOR_PATH).status_code == 200
    assert _session_writes(queries) == []
    assert len(queries) <= FLOOR_QUERIES


def test_a_used_session_is_kept_from_its_idle_expiry_at_most_once_a_minute(floor_client, settings):
    key = floor_client.session.session_key
    expires = Session.objects.get(session_key=key).expire_date
    later = timezone.now() + timedelta(seconds=settings.SESSION_REFRESH_SECONDS + 1)
    with time_machine.travel(later, tick=False), CaptureQueriesContext(connection) as queries:
        assert floor_client.get(FLOOR_PATH).status_code == 200
    assert len(_session_writes(queries)) == 1
    assert Session.objects.get(session_key=key).expire_date > expires


def test_a_session_used_every_twenty_minutes_lives_until_its_absolute_limit(floor_client):
    start = timezone.now()
    for minutes in range(20, 11 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert floor_client.get(FLOOR_PATH).status_code == 200


def test_a_session_ends_thirty_minutes_after_its_last_refresh(floor_client, settings):
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert floor_client.get(FLOOR_PATH).status_code == 200
    with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
        assert floor_client.get(FLOOR_PATH).status_code == 302


def test_a_removed_role_counts_at_the_next_request(client, partnership_admin):
    client.force_login(partnership_admin)
    page = reverse("partnership_admin:organisations")
    assert client.get(page).status_code == 200
    Membership.objects.filter(user=partnership_admin).delete()
    assert client.get(page).status_code in (403, 404)


def test_a_deactivated_person_is_signed_out_at_the_next_request(floor_client, handler):
    handler.is_active = False
    handler.save()
    assert floor_client.get(FLOOR_PATH).status_code == 302


def test_the_language_follows_the_organisations_written_form_without_a_query_of_its_own(floor_client, handler, world):
    handler.language = ""
    handler.save()
    world.municipality.written_form = "nn"
    world.municipality.save()
    with CaptureQueriesContext(connection) as queries:
        response = floor_client.get(FLOOR_PATH)
    assert response.headers["Content-Language"] == "nn"
    assert len(queries) <= FLOOR_QUERIES


def test_a_person_not_yet_verified_costs_one_query_for_their_devices(floor_client, settings):
    settings.SECOND_FACTOR = "admins"
    with CaptureQueriesContext(connection) as queries:
        assert floor_client.get(FLOOR_PATH).status_code == 200
    assert len(queries) <= FLOOR_QUERIES + 1, [q["sql"] for q in queries]


@pytest.mark.parametrize("kind", ["totp", "static"])
def test_either_kind_of_confirmed_device_asks_for_a_code_and_an_unconfirmed_one_does_not(
    floor_client, settings, handler, kind
):
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.SECOND_FACTOR = "admins"
    model = TOTPDevice if kind == "totp" else StaticDevice
    device = model.objects.create(user=handler, name="device", confirmed=False)
    assert floor_client.get(FLOOR_PATH).status_code == 200
    device.confirmed = True
    device.save()
    response = floor_client.get(FLOOR_PATH)
    assert response.status_code == 302 and response.url.startswith(reverse("second_factor"))
