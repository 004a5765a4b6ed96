"""A case forwarded to the municipality and accepted by its handler, ready for measures."""

from datetime import date

import pytest
import time_machine

from avvik.cases.choices import Status
from avvik.measures.services import measure_add
from avvik.tenancy.choices import Role
from tests.builders import drive, file_case
from tests.factories import UserFactory, grant


@pytest.fixture
def leader(world):
    user = UserFactory(email="leder@kommune.test")
    grant(user, Role.LEADER, organisation=world.municipality)
    return user


@pytest.fixture
def case(world, reporter, coordinator, handler):
    with time_machine.travel("2026-11-23 09:00 +01:00", tick=False):  # a Monday
        return drive(
            file_case(reporter, world.municipality),
            Status.IN_PROGRESS,
            coordinator=coordinator,
            handler=handler,
            reporter=reporter,
        )


@pytest.fixture
def measure(world, case, handler):
    with time_machine.travel("2026-11-23 10:00 +01:00", tick=False):
        return measure_add(
            deviation=case,
            by=handler,
            what="Oppdatere adresselisten i EPJ.",
            responsible_organisation=world.municipality,
            due_date=date(2026, 12, 7),
        )
