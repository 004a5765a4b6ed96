"""Shared personas: two organisations in one partnership, and another partnership beside it."""

from dataclasses import dataclass

import pytest

from avvik.catalogue import partnership_catalogue_create
from avvik.choices import OrganisationKind, Role
from avvik.models import Organisation, Partnership, User
from tests.factories import OrganisationFactory, PartnershipFactory, UnitFactory, UserFactory, grant


@dataclass
class World:
    partnership: Partnership
    hospital: Organisation
    municipality: Organisation
    bystander_org: Organisation
    other_partnership: Partnership
    other_org: Organisation


@pytest.fixture
def world(db) -> World:
    partnership = PartnershipFactory(name="Helsefellesskap Test", slug="test")
    hospital = OrganisationFactory(
        partnership=partnership, name="Test sykehus HF", kind=OrganisationKind.HOSPITAL_TRUST
    )
    municipality = OrganisationFactory(partnership=partnership, name="Testvik kommune")
    bystander_org = OrganisationFactory(partnership=partnership, name="Sidevik kommune")
    UnitFactory(organisation=hospital, name="Medisinsk avdeling")
    UnitFactory(organisation=municipality, name="Hjemmetjenesten")
    other_partnership = PartnershipFactory(name="Helsefellesskap Annet", slug="annet")
    other_org = OrganisationFactory(partnership=other_partnership, name="Annet sykehus HF")
    UnitFactory(organisation=other_org, name="Fremmed avdeling")
    partnership_catalogue_create(partnership=partnership)
    partnership_catalogue_create(partnership=other_partnership)
    return World(partnership, hospital, municipality, bystander_org, other_partnership, other_org)


def _person(email: str, role: Role, **scope) -> User:
    user = UserFactory(email=email)
    grant(user, role, **scope)
    return user


@pytest.fixture
def reporter(world) -> User:
    return _person("reporter@sykehus.test", Role.REPORTER, organisation=world.hospital)


@pytest.fixture
def handler(world) -> User:
    """Handles deviations for the municipality (the usual counterpart)."""
    return _person("handler@kommune.test", Role.HANDLER, organisation=world.municipality)


@pytest.fixture
def hospital_handler(world) -> User:
    return _person("handler@sykehus.test", Role.HANDLER, organisation=world.hospital)


@pytest.fixture
def coordinator(world) -> User:
    return _person("koordinator@test", Role.COORDINATOR, partnership=world.partnership)


@pytest.fixture
def council_member(world) -> User:
    return _person("fagrad@test", Role.COUNCIL, partnership=world.partnership)


@pytest.fixture
def outsider(world) -> User:
    """A handler in a third organisation of the same partnership."""
    return _person("outsider@sidevik.test", Role.HANDLER, organisation=world.bystander_org)


@pytest.fixture
def foreigner(world) -> User:
    """A coordinator of another partnership."""
    return _person("koordinator@annet.test", Role.COORDINATOR, partnership=world.other_partnership)


@pytest.fixture
def nobody(world) -> User:
    """Signed in, but with no role anywhere."""
    return UserFactory(email="nobody@example.no")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs a third of a second per password; tests log many people in.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def other_reporter(world) -> User:
    """A reporter of another partnership."""
    return _person("reporter@annet.test", Role.REPORTER, organisation=world.other_org)
