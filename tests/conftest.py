"""Shared personas: two organisations in one partnership, and another partnership beside it."""

import os
from dataclasses import dataclass

import pytest

from avvik.administration.services import partnership_setup
from avvik.tenancy.choices import OrganisationKind, Role
from avvik.tenancy.models import Organisation, Partnership, User
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
    return build_world()


def build_world() -> World:
    """Two organisations and a bystander in one partnership, and another partnership beside it."""
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
    partnership_setup(partnership=partnership)
    partnership_setup(partnership=other_partnership)
    return World(partnership, hospital, municipality, bystander_org, other_partnership, other_org)


# Each persona: e-mail, role, and where the role holds (an attribute of World), or no role at all.
PERSONAS: dict[str, tuple[str, Role | None, str | None]] = {
    "reporter": ("reporter@sykehus.test", Role.REPORTER, "hospital"),
    # Another reporter at the hospital, who did not file the reporter's cases.
    "colleague_reporter": ("kollega@sykehus.test", Role.REPORTER, "hospital"),
    # Handles deviations for the municipality (the usual counterpart).
    "handler": ("handler@kommune.test", Role.HANDLER, "municipality"),
    "hospital_handler": ("handler@sykehus.test", Role.HANDLER, "hospital"),
    # The municipality's organisation administrator: a handler who also reads its access log.
    "org_admin": ("admin@kommune.test", Role.ORG_ADMIN, "municipality"),
    # The municipality's manager: receives escalations, administers nobody.
    "leader": ("leder@kommune.test", Role.LEADER, "municipality"),
    # Manages the people, organisations, units, catalogue and settings of the whole partnership; reads no case.
    "partnership_admin": ("partnerskap@kontaktpunkt.test", Role.PARTNERSHIP_ADMIN, "partnership"),
    # Reports deviations for the municipality: a member of the counterpart, but no handler.
    "counterpart_reporter": ("reporter@kommune.test", Role.REPORTER, "municipality"),
    "coordinator": ("koordinator@test", Role.COORDINATOR, "partnership"),
    "council_member": ("fagrad@test", Role.COUNCIL, "partnership"),
    # A handler in a third organisation of the same partnership.
    "outsider": ("outsider@sidevik.test", Role.HANDLER, "bystander_org"),
    # A coordinator of another partnership.
    "foreigner": ("koordinator@annet.test", Role.COORDINATOR, "other_partnership"),
    # Signed in, but with no role anywhere.
    "nobody": ("nobody@example.no", None, None),
    # A reporter of another partnership.
    "other_reporter": ("reporter@annet.test", Role.REPORTER, "other_org"),
}


def make_persona(name: str, world: World) -> User:
    email, role, where = PERSONAS[name]
    user = UserFactory(email=email)
    if role is not None:
        scope = getattr(world, where)
        if isinstance(scope, Organisation):
            grant(user, role, organisation=scope)
        else:
            grant(user, role, partnership=scope)
    return user


def _persona_fixture(name: str):
    @pytest.fixture(name=name)
    def persona(world) -> User:
        return make_persona(name, world)

    persona.__doc__ = f"The {name} persona (see PERSONAS)."
    return persona


# One fixture per persona, named after it (`reporter`, `handler`, ...): the one way to get one.
for _name in PERSONAS:
    globals()[f"_{_name}_persona"] = _persona_fixture(_name)


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached statistics are keyed by ids and times that another test may repeat with other data;
    # the navigation's links by roles, which a test may draw under other settings.
    from django.core.cache import cache, caches

    cache.clear()
    caches["template_fragments"].clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs a third of a second per password; tests log many people in.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _postgres_when_marked(request):
    """A test marked `postgres` is skipped on SQLite outside CI, and fails in CI: a CI run that forgot
    DATABASE_URL must not pass by skipping what only PostgreSQL can show."""
    if request.node.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"marked postgres, but the tests run on {connection.vendor}: CI must set DATABASE_URL")
    pytest.skip("needs PostgreSQL: set DATABASE_URL")


@pytest.fixture(autouse=True)
def _broker_breaker_closed():
    # A test that met a broker that is down must not leave the next test's dispatches skipped.
    from avvik.core import queue

    queue.breaker_reset()


@pytest.fixture(autouse=True)
def _default_language():
    # A request by a person who chose English leaves English active in the thread, and a later test
    # that reads a message without a request would get it in English.
    yield
    from django.utils import translation

    translation.deactivate()
