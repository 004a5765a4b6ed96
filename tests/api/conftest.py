"""API clients for the personas' organisations, and a caller that sends a client's token."""

from dataclasses import dataclass

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from avvik.api import services
from avvik.api.models import ApiClient
from avvik.tenancy.models import Organisation, User


@dataclass
class System:
    """A registered client, its token, and a caller that sends it."""

    client: ApiClient
    token: str
    api: APIClient

    @property
    def account(self) -> User:
        return self.client.service_account


def register(
    coordinator: User, organisation: Organisation, *, scopes=("cases:read", "cases:write"), name="Kvalitetssystem"
) -> System:
    client, token = services.api_client_create(
        by=coordinator, organisation=organisation, name=name, scopes=list(scopes), valid_days=30
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return System(client, token, api)


@pytest.fixture(autouse=True)
def _empty_api_cache():
    # The throttle counts per client id; ids repeat from test to test.
    caches["api"].clear()


@pytest.fixture
def hospital_system(world, coordinator) -> System:
    """The hospital's quality system: files and reads the hospital's cases."""
    return register(coordinator, world.hospital)


@pytest.fixture
def municipality_system(world, coordinator) -> System:
    return register(coordinator, world.municipality, name="Kommunens fagsystem")


@pytest.fixture
def bystander_system(world, coordinator) -> System:
    """A system of a third organisation in the same partnership: party to none of the cases."""
    return register(coordinator, world.bystander_org, name="Sidevik fagsystem")
