"""A person's roles as one query on memberships and organisations, read afresh for every request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from avvik.access.roles import roles_of
from avvik.tenancy.choices import Role
from avvik.tenancy.models import Membership, User
from tests.factories import OrganisationFactory, grant

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    """The person as a new request loads them: no roles kept from before."""
    return User.objects.get(pk=user.pk)


def test_each_role_lands_where_it_holds(world, reporter):
    grant(reporter, Role.HANDLER, organisation=world.municipality)
    grant(reporter, Role.COORDINATOR, partnership=world.partnership)
    grant(reporter, Role.COUNCIL, partnership=world.other_partnership)
    roles = roles_of(fresh(reporter))
    assert roles.user_id == reporter.pk
    assert roles.reporter_in == {world.hospital.pk}
    assert roles.handler_in == {world.municipality.pk}
    assert roles.coordinator_of == {world.partnership.pk}
    assert roles.council_of == {world.other_partnership.pk}
    assert roles.partnerships == {world.partnership.pk, world.other_partnership.pk}
    assert roles.organisations == {world.hospital.pk, world.municipality.pk}
    assert not roles.leader_in and not roles.admin_in and not roles.partnership_admin_of


def test_the_written_form_is_that_of_the_first_organisation_by_id(world, reporter):
    world.hospital.written_form = "nn"
    world.hospital.save()
    grant(reporter, Role.HANDLER, organisation=OrganisationFactory(partnership=world.partnership, written_form="nb"))
    assert roles_of(fresh(reporter)).written_form == "nn"


def test_the_roles_are_one_query_on_memberships_and_organisations_alone(world, reporter):
    user = fresh(reporter)
    with CaptureQueriesContext(connection) as queries:
        roles = roles_of(user)
        assert roles_of(user) is roles  # kept for the rest of the request
    assert len(queries) == 1
    sql = queries[0]["sql"]
    assert "tenancy_membership" in sql and "tenancy_organisation" in sql
    assert "tenancy_user" not in sql  # the memberships' own order would join the people's table


def test_a_removed_role_is_gone_for_the_next_request_and_another_persons_are_not_read(world, reporter, handler):
    assert roles_of(fresh(reporter)).reporter_in == {world.hospital.pk}
    Membership.objects.filter(user=reporter).delete()
    roles = roles_of(fresh(reporter))
    assert not roles.has_any and not roles.reporter_in
    assert roles_of(fresh(handler)).handler_in == {world.municipality.pk}
