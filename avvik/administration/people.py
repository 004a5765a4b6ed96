"""Writes on people by their administrators: roles, units, deactivation. Every one is scoped: an
organisation administrator reaches their own organisation's memberships, a partnership administrator
every membership in their partnership. The audit log (django-auditlog) records who changed what."""

import enum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from avvik.access.roles import roles_of
from avvik.administration.scope import check_may_grant, manages_membership, membership_scope
from avvik.tenancy.models import Membership, Organisation, Partnership, Unit, User


def _check_reaches(by: User, person: User) -> None:
    """404-like refusal: the person has no membership within the administrator's reach."""
    roles = roles_of(by)
    if not Membership.objects.filter(membership_scope(roles), user=person).exists():
        raise PermissionDenied(_("This person is not in an organisation you administer."))


@transaction.atomic
def role_grant(
    *, by: User, person: User, role: str, partnership: Partnership, organisation: Organisation | None = None
) -> Membership:
    """Give the person a role; returns the membership (the existing one when they hold it already)."""
    check_may_grant(roles_of(by), partnership=partnership, organisation=organisation, role=role)
    existing = Membership.objects.filter(user=person, role=role, partnership=partnership, organisation=organisation)
    found = existing.first()
    if found is not None:
        return found
    unit = None
    if organisation is not None:
        # A new role in the organisation takes the unit the person already has there.
        unit = (
            Membership.objects.filter(user=person, organisation=organisation, unit__isnull=False)
            .values_list("unit", flat=True)
            .first()
        )
    return Membership.objects.create(
        user=person, role=role, partnership=partnership, organisation=organisation, unit_id=unit
    )


@transaction.atomic
def role_revoke(*, by: User, membership: Membership) -> None:
    roles = roles_of(by)
    if not manages_membership(roles, membership):
        raise PermissionDenied(_("You may not give or take this role here."))
    check_may_grant(
        roles, partnership=membership.partnership, organisation=membership.organisation, role=membership.role
    )
    if membership.user_id == by.pk and membership.role in ("org_admin", "partnership_admin"):
        # Nobody locks themselves out; another administrator takes the role away.
        raise ValidationError(_("You cannot take away your own administrator role."), code="own_admin_role")
    membership.delete()


@transaction.atomic
def unit_move(*, by: User, person: User, organisation: Organisation, unit: Unit | None) -> int:
    """Place the person in a unit of the organisation (or none); returns the memberships changed."""
    roles = roles_of(by)
    if organisation.pk not in roles.admin_in and organisation.partnership_id not in roles.partnership_admin_of:
        raise PermissionDenied(_("This person is not in an organisation you administer."))
    if unit is not None and unit.organisation_id != organisation.pk:
        raise ValidationError(_("The unit belongs to another organisation."), code="wrong_unit")
    changed = 0
    for membership in Membership.objects.filter(user=person, organisation=organisation).exclude(unit=unit):
        # One save per membership so that the audit log records each move.
        membership.unit = unit
        membership.save(update_fields=["unit"])
        changed += 1
    if not changed and not Membership.objects.filter(user=person, organisation=organisation).exists():
        raise PermissionDenied(_("This person is not in an organisation you administer."))
    return changed


class Deactivation(enum.Enum):
    # Every membership was in the administrator's reach: the person can no longer log in.
    DEACTIVATED = "deactivated"
    # The person works elsewhere too: only the memberships in reach were removed.
    MEMBERSHIPS_REMOVED = "memberships_removed"


def memberships_elsewhere(by: User, person: User) -> int:
    """How many of the person's memberships lie outside the administrator's reach (not shown, only counted)."""
    return Membership.objects.filter(user=person).exclude(membership_scope(roles_of(by))).count()


@transaction.atomic
def person_deactivate(*, by: User, person: User) -> Deactivation:
    """Out at their next request. Their cases stay with the organisation (nothing of theirs is deleted);
    a person with memberships outside the administrator's reach only loses the ones within it."""
    _check_reaches(by, person)
    if person.pk == by.pk:
        raise ValidationError(_("You cannot deactivate yourself."), code="self")
    if person.is_superuser or person.is_staff:
        raise PermissionDenied(_("The site's operators are managed by the operators."))
    if memberships_elsewhere(by, person):
        for membership in Membership.objects.filter(membership_scope(roles_of(by)), user=person):
            membership.delete()
        return Deactivation.MEMBERSHIPS_REMOVED
    person.is_active = False
    person.save(update_fields=["is_active"])
    return Deactivation.DEACTIVATED


@transaction.atomic
def person_reactivate(*, by: User, person: User) -> None:
    _check_reaches(by, person)
    if person.is_active:
        return
    person.is_active = True
    person.save(update_fields=["is_active"])
