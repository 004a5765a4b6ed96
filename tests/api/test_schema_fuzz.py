"""Property-based: requests generated from the OpenAPI schema, sent to the WSGI application in-process
with a valid token, never get a server error (schemathesis)."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error

from samhandling.wsgi import application
from tests.api.conftest import register
from tests.builders import file_case


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # The WSGI application closes the database connection when a request ends, which would end the
    # test's transaction on PostgreSQL; Django's own test client does the same as this.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def system(world, coordinator, reporter, monkeypatch):
    # Generated calls come fast: the throttle is not what is tested here.
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {**api_settings.DEFAULT_THROTTLE_RATES, "api_client": "100000/min"}
    )
    file_case(reporter, world.municipality, attachment=True)
    return register(coordinator, world.hospital)


# Loaded when the module is collected: the schema view reads no database. (schemathesis' lazy
# from_fixture loader does not run under pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@schema.parametrize()
@pytest.mark.django_db
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_generated_request_gets_a_server_error(case, system):
    case.call_and_validate(headers={"Authorization": f"Bearer {system.token}"}, checks=[not_a_server_error])
