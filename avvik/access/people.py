"""Who holds a role: one definition of the handlers, leaders and coordinators who are told and may act."""

from django.db.models import QuerySet

from avvik.access.roles import roles_of
from avvik.tenancy.choices import Role
from avvik.tenancy.models import User

# Who handles an organisation's deviations: its handlers, and its managers and administrators, who may answer too.
HANDLING_ROLES = (Role.HANDLER, Role.LEADER, Role.ORG_ADMIN)
# Who leads an organisation: the second step of the escalation ladder.
LEADING_ROLES = (Role.LEADER,)


def _members(organisation_id: int | None, roles: tuple[str, ...]) -> QuerySet[User]:
    if organisation_id is None:
        return User.objects.none()
    # Systems acting through the API (addresses under the reserved .invalid domain) hold roles so
    # that the same rules apply to them, but are nobody to tell or to assign a case to.
    return (
        User.objects.filter(is_active=True, memberships__organisation_id=organisation_id, memberships__role__in=roles)
        .exclude(email__iendswith=".invalid")
        .distinct()
    )


def handlers_of(organisation_id: int | None) -> QuerySet[User]:
    """The active people who handle deviations for the organisation."""
    return _members(organisation_id, HANDLING_ROLES)


def leaders_of(organisation_id: int | None) -> QuerySet[User]:
    """The organisation's leaders, told when an answer is overdue."""
    return _members(organisation_id, LEADING_ROLES)


def message_owners_of(organisation_id: int | None) -> QuerySet[User]:
    """The organisation's message traffic owners (meldingsansvarlige), who follow up its receipts."""
    return _members(organisation_id, (Role.MESSAGE_OWNER,))


def coordinators_of(partnership_id: int) -> QuerySet[User]:
    """The contact point of the partnership."""
    return User.objects.filter(
        is_active=True,
        memberships__partnership_id=partnership_id,
        memberships__role=Role.COORDINATOR,
        memberships__organisation__isnull=True,
    ).distinct()


def council_members_of(partnership_id: int) -> QuerySet[User]:
    """The members of the partnership's council."""
    return User.objects.filter(
        is_active=True,
        memberships__partnership_id=partnership_id,
        memberships__role=Role.COUNCIL,
        memberships__organisation__isnull=True,
    ).distinct()


def handles_for(user: User, organisation_id: int | None) -> bool:
    """The person handles deviations for this organisation (the same people as handlers_of)."""
    return organisation_id is not None and organisation_id in roles_of(user).handles_in
