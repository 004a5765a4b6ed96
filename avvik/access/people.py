"""Who holds a role: one definition of the handlers, leaders and coordinators that are told and may act."""

from avvik.access.roles import roles_of
from avvik.tenancy.choices import Role
from avvik.tenancy.models import User


def handlers_of(organisation_id: int | None) -> list[User]:
    if organisation_id is None:
        return []
    return list(
        User.objects.filter(
            is_active=True, memberships__organisation_id=organisation_id, memberships__role=Role.HANDLER
        ).distinct()
    )


def leaders_of(organisation_id: int | None) -> list[User]:
    """The organisation's administrators: the second step of the escalation ladder."""
    if organisation_id is None:
        return []
    return list(
        User.objects.filter(
            is_active=True, memberships__organisation_id=organisation_id, memberships__role=Role.ORG_ADMIN
        ).distinct()
    )


def coordinators_of(partnership_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__partnership_id=partnership_id,
            memberships__role=Role.COORDINATOR,
            memberships__organisation__isnull=True,
        ).distinct()
    )


def handles_for(user, organisation_id: int | None) -> bool:
    """The person handles deviations for this organisation (as handler or organisation admin)."""
    roles = roles_of(user)
    return organisation_id is not None and organisation_id in (roles.handler_in | roles.admin_in)
