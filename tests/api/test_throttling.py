"""Each client is throttled on its own; the answer is 429 problem+json with Retry-After."""

import pytest
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


@pytest.fixture
def three_a_minute(monkeypatch):
    # DRF reads the rates once, into a class attribute; the setting alone does not reach it.
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {**api_settings.DEFAULT_THROTTLE_RATES, "api_client": "3/min"}
    )


def test_a_client_over_its_rate_gets_429(world, hospital_system, bystander_system, three_a_minute):
    statuses = [hospital_system.api.get("/api/v1/cases/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = hospital_system.api.get("/api/v1/cases/")
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 429
    assert int(response["Retry-After"]) > 0
    # Another client is counted on its own.
    assert bystander_system.api.get("/api/v1/cases/").status_code == 200
