"""Reads, scoped to the person asking. Every page starts its queries here."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from avvik.choices import Role
from avvik.models import Membership, Organisation, Partnership, Unit, User


@dataclass(frozen=True)
class Roles:
    """What a person may do, by organisation and partnership ids."""

    reporter_in: frozenset[int] = frozenset()
    handler_in: frozenset[int] = frozenset()
    admin_in: frozenset[int] = frozenset()
    coordinator_of: frozenset[int] = frozenset()
    council_of: frozenset[int] = frozenset()
    partnerships: frozenset[int] = frozenset()
    organisations: frozenset[int] = frozenset()

    @property
    def is_reporter(self) -> bool:
        return bool(self.reporter_in)

    @property
    def is_handler(self) -> bool:
        return bool(self.handler_in or self.admin_in)

    @property
    def is_coordinator(self) -> bool:
        return bool(self.coordinator_of)

    @property
    def is_council(self) -> bool:
        return bool(self.council_of)

    @property
    def has_any(self) -> bool:
        return bool(self.partnerships)


_NO_ROLES = Roles()
_CACHE_ATTR = "_samhandling_roles"


def roles_of(user: User) -> Roles:
    """The person's roles, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return _NO_ROLES
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    by_role: dict[str, set[int]] = {role: set() for role in Role.values}
    partnerships: set[int] = set()
    organisations: set[int] = set()
    rows = Membership.objects.filter(user=user, partnership__isnull=False).values_list(
        "role", "organisation_id", "partnership_id"
    )
    for role, organisation_id, partnership_id in rows:
        partnerships.add(partnership_id)
        if organisation_id is not None:
            organisations.add(organisation_id)
        by_role[role].add(organisation_id if organisation_id is not None else partnership_id)
    roles = Roles(
        reporter_in=frozenset(by_role[Role.REPORTER]),
        handler_in=frozenset(by_role[Role.HANDLER]),
        admin_in=frozenset(by_role[Role.ORG_ADMIN]),
        coordinator_of=frozenset(by_role[Role.COORDINATOR]),
        council_of=frozenset(by_role[Role.COUNCIL]),
        partnerships=frozenset(partnerships),
        organisations=frozenset(organisations),
    )
    setattr(user, _CACHE_ATTR, roles)
    return roles


def partnerships_of(user: User) -> QuerySet[Partnership]:
    return Partnership.objects.filter(pk__in=roles_of(user).partnerships)


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    """Organisations of the partnerships the person belongs to, with their active units."""
    return (
        Organisation.objects.filter(partnership__in=roles_of(user).partnerships, is_active=True)
        .select_related("partnership")
        .prefetch_related(Prefetch("units", queryset=Unit.objects.filter(is_active=True).order_by("name")))
        .order_by("partnership__name", "kind", "name")
    )


def own_organisations(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=roles_of(user).organisations).order_by("name")


def visible_comments(user: User, deviation) -> QuerySet:
    """The shared thread, plus internal notes of the person's own organisations (all of them for
    the partnership's coordinators)."""
    from django.db.models import Q

    from avvik.models import Comment

    comments = Comment.objects.filter(deviation=deviation)
    roles = roles_of(user)
    if deviation.partnership_id in roles.coordinator_of:
        return comments
    return comments.filter(Q(is_internal=False) | Q(organisation__in=roles.organisations))


def failed_notifications_for(user: User) -> QuerySet:
    """Failed notifications about the coordinator's partnerships: cases there, or people there."""
    from django.db.models import Q

    from avvik.choices import NotificationStatus
    from avvik.models import Notification

    partnerships = roles_of(user).coordinator_of
    return (
        Notification.objects.filter(status=NotificationStatus.FAILED)
        .filter(
            Q(deviation__partnership__in=partnerships)
            | Q(deviation__isnull=True, organisation__partnership__in=partnerships)
        )
        .select_related("recipient", "deviation")
        .order_by("-created_at")
    )


def access_log_visible_to(user: User) -> QuerySet:
    """A person's own reads, and for an organisation's administrators every read of its cases."""
    from django.db.models import Q

    from avvik.models import AccessLog

    admin_of = roles_of(user).admin_in
    condition = Q(user=user)
    if admin_of:
        condition |= Q(deviation__reporting_organisation__in=admin_of) | Q(
            deviation__responsible_organisation__in=admin_of
        )
    return AccessLog.objects.filter(condition).select_related("user", "organisation", "deviation").order_by("-at")
