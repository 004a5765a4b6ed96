"""Roles, units and deactivation: each within the administrator's reach, and in force at once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from avvik.access.roles import roles_of
from avvik.administration.people import (
    Deactivation,
    person_deactivate,
    person_reactivate,
    role_grant,
    role_revoke,
    unit_move,
)
from avvik.administration.selectors import people_for
from avvik.tenancy.choices import Role
from avvik.tenancy.models import Membership, Unit
from tests.factories import UnitFactory, grant


def test_an_org_admin_gives_roles_in_their_own_organisation(world, org_admin, counterpart_reporter):
    membership = role_grant(
        by=org_admin,
        person=counterpart_reporter,
        role=Role.LEADER,
        partnership=world.partnership,
        organisation=world.municipality,
    )
    assert membership.role == Role.LEADER


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.COUNCIL, Role.PARTNERSHIP_ADMIN])
def test_an_org_admin_cannot_give_partnership_roles(world, org_admin, counterpart_reporter, role):
    with pytest.raises(PermissionDenied):
        role_grant(by=org_admin, person=counterpart_reporter, role=role, partnership=world.partnership)


def test_an_org_admin_cannot_give_roles_in_another_organisation(world, org_admin, reporter):
    with pytest.raises(PermissionDenied):
        role_grant(
            by=org_admin, person=reporter, role=Role.HANDLER, partnership=world.partnership, organisation=world.hospital
        )


def test_an_org_admin_cannot_take_roles_in_another_organisation(world, org_admin, reporter):
    with pytest.raises(PermissionDenied):
        role_revoke(by=org_admin, membership=reporter.memberships.get())


def test_a_partnership_admin_gives_partnership_roles_but_not_in_another_partnership(
    world, partnership_admin, reporter, other_reporter
):
    role_grant(by=partnership_admin, person=reporter, role=Role.COUNCIL, partnership=world.partnership)
    with pytest.raises(PermissionDenied):
        role_grant(by=partnership_admin, person=other_reporter, role=Role.COUNCIL, partnership=world.other_partnership)
    with pytest.raises(PermissionDenied):
        role_revoke(by=partnership_admin, membership=other_reporter.memberships.get())


def test_nobody_takes_away_their_own_administrator_role(world, org_admin):
    with pytest.raises(ValidationError):
        role_revoke(by=org_admin, membership=org_admin.memberships.get())


def test_an_org_admin_sees_only_the_people_of_their_organisation(world, org_admin, handler, reporter, leader):
    seen = set(people_for(roles_of(org_admin)))
    assert {handler, leader, org_admin} <= seen
    assert reporter not in seen


def test_a_person_in_two_organisations_shows_only_the_memberships_in_reach(world, org_admin, reporter):
    grant(reporter, Role.HANDLER, organisation=world.municipality)
    person = people_for(roles_of(org_admin)).get(pk=reporter.pk)
    assert [m.organisation for m in person.memberships_in_reach] == [world.municipality]


def test_moving_a_person_between_units_of_the_organisation(world, org_admin, handler):
    first = Unit.objects.get(organisation=world.municipality)
    second = UnitFactory(organisation=world.municipality, name="Sykehjemmet")
    unit_move(by=org_admin, person=handler, organisation=world.municipality, unit=first)
    unit_move(by=org_admin, person=handler, organisation=world.municipality, unit=second)
    assert handler.memberships.get().unit == second


def test_a_unit_of_another_organisation_is_refused(world, org_admin, handler):
    with pytest.raises(ValidationError):
        unit_move(
            by=org_admin,
            person=handler,
            organisation=world.municipality,
            unit=Unit.objects.get(organisation=world.hospital),
        )


def test_an_org_admin_cannot_move_people_of_another_organisation(world, org_admin, reporter):
    with pytest.raises(PermissionDenied):
        unit_move(by=org_admin, person=reporter, organisation=world.hospital, unit=None)


def test_a_deactivated_person_is_out_at_their_next_request(client, world, org_admin, handler):
    client.force_login(handler)
    assert client.get(reverse("cases:handling")).status_code == 200
    assert person_deactivate(by=org_admin, person=handler) is Deactivation.DEACTIVATED
    response = client.get(reverse("cases:handling"))
    assert response.status_code == 302
    assert reverse("login") in response.url
    # The person's role stays, so that reactivating them gives it back.
    assert handler.memberships.exists()
    person_reactivate(by=org_admin, person=handler)
    client.force_login(handler)
    assert client.get(reverse("cases:handling")).status_code == 200


def test_deactivating_someone_who_works_elsewhere_too_takes_only_the_roles_in_reach(world, org_admin, reporter):
    grant(reporter, Role.HANDLER, organisation=world.municipality)
    assert person_deactivate(by=org_admin, person=reporter) is Deactivation.MEMBERSHIPS_REMOVED
    reporter.refresh_from_db()
    assert reporter.is_active
    assert list(Membership.objects.filter(user=reporter).values_list("organisation", flat=True)) == [world.hospital.pk]


def test_an_org_admin_cannot_deactivate_someone_of_another_organisation(world, org_admin, reporter):
    with pytest.raises(PermissionDenied):
        person_deactivate(by=org_admin, person=reporter)
    reporter.refresh_from_db()
    assert reporter.is_active


def test_a_partnership_admin_cannot_deactivate_someone_of_another_partnership(world, partnership_admin, other_reporter):
    with pytest.raises(PermissionDenied):
        person_deactivate(by=partnership_admin, person=other_reporter)


def test_nobody_deactivates_themselves(world, org_admin):
    with pytest.raises(ValidationError):
        person_deactivate(by=org_admin, person=org_admin)
