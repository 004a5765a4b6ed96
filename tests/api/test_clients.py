"""The contact point's pages for API clients: register (the token shown once), rotate, revoke."""

import re

from django.test import Client

from avvik.api.models import ApiClient, ApiToken
from avvik.tenancy.choices import Role
from avvik.tenancy.models import Membership
from tests.api.conftest import register
from tests.conftest import make_persona


def _signed_in(person):
    browser = Client()
    browser.force_login(person)
    return browser


def test_a_coordinator_registers_a_system_and_sees_the_token_once(world, coordinator):
    browser = _signed_in(coordinator)
    response = browser.post(
        "/api-klienter/ny/",
        {"organisation": world.hospital.pk, "name": "EPJ", "scopes": ["cases:read", "cases:write"], "valid_days": 90},
    )
    assert response.status_code == 201
    token = re.search(r'value="(sam_[^"]+)"', response.content.decode()).group(1)
    client = ApiClient.objects.get(name="EPJ")
    roles = set(Membership.objects.filter(user=client.service_account).values_list("role", flat=True))
    assert roles == {Role.REPORTER, Role.HANDLER}
    # The list shows the prefix, never the token again.
    listing = browser.get("/api-klienter/").content.decode()
    assert client.tokens.get().prefix in listing
    assert token not in listing
    assert response["Cache-Control"].startswith("no-store") or "no-cache" in response["Cache-Control"]


def test_a_bad_registration_says_what_is_wrong(world, coordinator):
    response = _signed_in(coordinator).post(
        "/api-klienter/ny/", {"organisation": world.other_org.pk, "name": " ", "valid_days": 9999}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert {"organisation", "name", "scopes", "valid_days"} <= set(form.errors)
    assert not ApiClient.objects.exists()


def test_rotating_issues_a_new_token(world, coordinator, hospital_system):
    response = _signed_in(coordinator).post(f"/api-klienter/{hospital_system.client.pk}/ny-token/")
    assert response.status_code == 201
    assert ApiToken.objects.filter(client=hospital_system.client).count() == 2


def test_revoking_from_the_page_refuses_the_token(world, coordinator, hospital_system):
    response = _signed_in(coordinator).post(f"/api-klienter/{hospital_system.client.pk}/trekk-tilbake/")
    assert response.status_code == 302
    assert hospital_system.api.get("/api/v1/cases/").status_code == 401


def test_revoking_one_token_from_the_page(world, coordinator, hospital_system):
    token = hospital_system.client.tokens.get()
    _signed_in(coordinator).post(f"/api-klienter/token/{token.pk}/trekk-tilbake/")
    assert hospital_system.api.get("/api/v1/cases/").status_code == 401


def test_another_partnerships_coordinator_gets_404(world, coordinator, hospital_system):
    foreigner = _signed_in(make_persona("foreigner", world))
    client = hospital_system.client
    assert foreigner.post(f"/api-klienter/{client.pk}/ny-token/").status_code == 404
    assert foreigner.post(f"/api-klienter/{client.pk}/trekk-tilbake/").status_code == 404
    assert foreigner.post(f"/api-klienter/token/{client.tokens.get().pk}/trekk-tilbake/").status_code == 404
    assert client.name not in foreigner.get("/api-klienter/").content.decode()
    assert hospital_system.api.get("/api/v1/cases/").status_code == 200


def test_people_who_are_not_coordinators_are_refused(world, handler, reporter):
    for person in (handler, reporter):
        assert _signed_in(person).get("/api-klienter/").status_code == 403
        assert _signed_in(person).get("/api-klienter/ny/").status_code == 403


def test_the_navigation_links_coordinators_to_the_clients(world, coordinator, handler):
    assert "/api-klienter/" in _signed_in(coordinator).get("/frister/").content.decode()
    page = _signed_in(handler).get("/virksomheter/")
    assert page.status_code == 200
    assert "/api-klienter/" not in page.content.decode()


def test_registering_a_second_system_with_the_same_name_is_refused(world, coordinator):
    register(coordinator, world.hospital, name="EPJ")
    response = _signed_in(coordinator).post(
        "/api-klienter/ny/",
        {"organisation": world.hospital.pk, "name": "epj", "scopes": ["cases:read"], "valid_days": 5},
    )
    assert response.status_code == 400
    assert "name" in response.context["form"].errors
