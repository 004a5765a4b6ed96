"""Tokens: stored hashed, refused when unknown, expired or revoked; rotation keeps the old one for a
grace period; the service account behind a client cannot log in anywhere."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from avvik.api import services
from avvik.api.models import ApiCall, ApiToken
from avvik.api.services import SERVICE_ACCOUNT_DOMAIN, token_hash
from tests.api.conftest import register


def _problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["type"] == "about:blank"
    return body


def test_the_secret_is_not_stored_only_its_hash(hospital_system):
    row = ApiToken.objects.get(client=hospital_system.client)
    assert row.token_hash == token_hash(hospital_system.token)
    assert hospital_system.token not in row.token_hash
    assert hospital_system.token.startswith(row.prefix)
    assert len(row.prefix) < len(hospital_system.token) // 2


def test_a_call_without_a_token_is_401_with_a_bearer_challenge(world):
    response = APIClient().get("/api/v1/cases/")
    _problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer sam_nottherighttoken", "Bearer", "Bearer a b", "Bearer ÿÿ"])
def test_a_wrong_token_is_401(world, header):
    response = APIClient().get("/api/v1/cases/", HTTP_AUTHORIZATION=header)
    _problem(response, 401)


def test_a_valid_token_is_accepted_and_its_use_noted(hospital_system):
    response = hospital_system.api.get("/api/v1/cases/")
    assert response.status_code == 200
    row = ApiToken.objects.get(client=hospital_system.client)
    assert row.last_used_at is not None
    call = ApiCall.objects.get(client=hospital_system.client)
    assert (call.method, call.path, call.status, call.token_id) == ("GET", "/api/v1/cases/", 200, row.pk)


def test_a_revoked_token_is_refused(hospital_system, coordinator):
    token = ApiToken.objects.get(client=hospital_system.client)
    services.api_token_revoke(token=token, by=coordinator)
    _problem(hospital_system.api.get("/api/v1/cases/"), 401)


def test_an_expired_token_is_refused(hospital_system):
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        _problem(hospital_system.api.get("/api/v1/cases/"), 401)


def test_a_revoked_client_is_refused_and_its_account_deactivated(hospital_system, coordinator):
    services.api_client_revoke(client=hospital_system.client, by=coordinator)
    _problem(hospital_system.api.get("/api/v1/cases/"), 401)
    hospital_system.account.refresh_from_db()
    assert not hospital_system.account.is_active
    assert not ApiToken.objects.filter(client=hospital_system.client, revoked_at__isnull=True).exists()


def test_rotation_gives_the_old_token_a_grace_period(hospital_system, coordinator, settings):
    settings.API_TOKEN_ROTATION_GRACE_HOURS = 2
    _row, new = services.api_token_rotate(client=hospital_system.client, by=coordinator)
    fresh = APIClient()
    fresh.credentials(HTTP_AUTHORIZATION=f"Bearer {new}")
    assert hospital_system.api.get("/api/v1/cases/").status_code == 200
    assert fresh.get("/api/v1/cases/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        _problem(hospital_system.api.get("/api/v1/cases/"), 401)
        assert fresh.get("/api/v1/cases/").status_code == 200


def test_a_client_without_the_scope_is_403(world, coordinator):
    reader = register(coordinator, world.hospital, scopes=["cases:read"], name="Kun lesing")
    body = _problem(reader.api.post("/api/v1/cases/", {}, format="json"), 403)
    assert body["code"] == "permission_denied"


def test_the_service_account_cannot_log_in_or_reset_a_password(hospital_system):
    account = hospital_system.account
    assert account.email.endswith(f"@{SERVICE_ACCOUNT_DOMAIN}")
    assert not account.has_usable_password()
    browser = Client()
    response = browser.post("/accounts/login/", {"username": account.email, "password": ""})
    assert "_auth_user_id" not in browser.session
    assert response.status_code == 200
    browser.post("/accounts/password_reset/", {"email": account.email})
    assert mail.outbox == []


def test_a_session_does_not_authenticate_the_api(world, coordinator):
    """A signed-in person's browser cannot call the API with its cookie: only tokens count."""
    browser = Client()
    browser.force_login(coordinator)
    response = browser.get("/api/v1/cases/")
    assert response.status_code == 401
