"""What an administrator may manage: the organisations and roles within their reach."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from avvik.access.roles import Roles
from avvik.tenancy.choices import ORGANISATION_ROLES, PARTNERSHIP_ROLES
from avvik.tenancy.models import Membership, Organisation, Partnership


def administers(roles: Roles) -> bool:
    """The person administers people somewhere: in an organisation or a whole partnership."""
    return bool(roles.admin_in or roles.partnership_admin_of)


def organisations_managed(roles: Roles) -> "list[Organisation]":
    """The organisations whose people the person manages: their own, or every one of their partnerships."""
    return list(
        Organisation.objects.filter(Q(pk__in=roles.admin_in) | Q(partnership__in=roles.partnership_admin_of))
        .select_related("partnership")
        .order_by("partnership__name", "name")
    )


def partnerships_managed(roles: Roles) -> "list[Partnership]":
    return list(Partnership.objects.filter(pk__in=roles.partnership_admin_of).order_by("name"))


def membership_scope(roles: Roles) -> Q:
    """The memberships the person manages (a Q on Membership)."""
    return Q(organisation__in=roles.admin_in) | Q(partnership__in=roles.partnership_admin_of)


def manages_membership(roles: Roles, membership: Membership) -> bool:
    if membership.organisation_id is not None and membership.organisation_id in roles.admin_in:
        return True
    return membership.partnership_id in roles.partnership_admin_of


def grantable_roles(roles: Roles, *, partnership: Partnership, organisation: Organisation | None) -> tuple[str, ...]:
    """The roles the person may give in an organisation (or, with none, in the partnership itself)."""
    if organisation is not None:
        if organisation.partnership_id != partnership.pk:
            return ()
        if organisation.pk in roles.admin_in or partnership.pk in roles.partnership_admin_of:
            return tuple(ORGANISATION_ROLES)
        return ()
    return tuple(PARTNERSHIP_ROLES) if partnership.pk in roles.partnership_admin_of else ()


def check_may_grant(roles: Roles, *, partnership: Partnership, organisation: Organisation | None, role: str) -> None:
    """Refuse a role outside the administrator's reach."""
    if role not in grantable_roles(roles, partnership=partnership, organisation=organisation):
        raise PermissionDenied(_("You may not give or take this role here."))
