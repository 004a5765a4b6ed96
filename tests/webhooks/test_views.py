"""The organisation administrator's webhook page: register (the secret shown once), switch off, scoped."""

import pytest
from django.urls import reverse

from avvik.core.crypto import decrypt
from avvik.webhooks import targets
from avvik.webhooks.models import Endpoint

pytestmark = pytest.mark.django_db

URL = reverse("webhooks:webhooks")


@pytest.fixture(autouse=True)
def _public_dns(monkeypatch):
    # Names resolve to a public address; an address written as such stays itself.
    def resolve(host, port):
        return [host] if host[0].isdigit() or ":" in host else ["93.184.216.34"]

    monkeypatch.setattr(targets, "resolve", resolve)


def test_an_organisation_administrator_registers_a_webhook_and_sees_the_secret_once(org_admin, client, world):
    client.force_login(org_admin)
    response = client.post(
        URL, {"organisation": world.municipality.pk, "name": "Kvalitetssystem", "url": "https://kvalitet.example.no/h"}
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    endpoint = Endpoint.objects.get()
    assert decrypt(endpoint.secret) == secret and endpoint.secret != secret
    assert secret.encode() in response.content
    assert "no-store" in response["Cache-Control"]
    assert secret.encode() not in client.get(URL).content


@pytest.mark.parametrize(
    ("url", "field_error"),
    [("http://kvalitet.example.no/h", "https://"), ("https://10.0.0.1/h", "10.0.0.1"), ("ikke en adresse", "")],
)
def test_a_bad_address_is_refused_with_what_was_typed_kept(org_admin, client, world, url, field_error):
    client.force_login(org_admin)
    response = client.post(URL, {"organisation": world.municipality.pk, "name": "Kvalitetssystem", "url": url})
    assert response.status_code == 400
    assert response.context["form"].errors["url"]
    assert field_error in " ".join(response.context["form"].errors["url"])
    assert b"Kvalitetssystem" in response.content
    assert not Endpoint.objects.exists()


def test_an_administrator_cannot_register_for_another_organisation(org_admin, client, world):
    client.force_login(org_admin)
    response = client.post(URL, {"organisation": world.hospital.pk, "name": "X", "url": "https://a.example.no/h"})
    assert response.status_code == 400
    assert not Endpoint.objects.exists()


def test_switching_off_another_organisations_webhook_is_not_found(org_admin, client, world):
    other = Endpoint.objects.create(
        organisation=world.hospital, name="Sykehusets", url="https://s.example.no", secret="x"
    )
    client.force_login(org_admin)
    assert client.post(reverse("webhooks:switch_off", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.is_active


def test_switching_off_stops_deliveries(org_admin, client, world):
    own = Endpoint.objects.create(organisation=world.municipality, name="Egen", url="https://e.example.no", secret="x")
    client.force_login(org_admin)
    assert client.post(reverse("webhooks:switch_off", args=[own.pk])).status_code == 302
    own.refresh_from_db()
    assert not own.is_active
