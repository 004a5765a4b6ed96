"""Reads of the people pages, each within the administrator's reach."""

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from avvik.access.roles import Roles
from avvik.administration.models import Invitation
from avvik.administration.scope import membership_scope
from avvik.tenancy.models import Membership, User


def _memberships_in_reach(roles: Roles) -> "Prefetch[str]":
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(membership_scope(roles)).select_related(
            "organisation", "unit", "partnership"
        ),
        to_attr="memberships_in_reach",
    )


def people_for(roles: Roles, *, q: str = "", role: str = "") -> QuerySet[User]:
    """The people with a membership in the administrator's reach, with those memberships only."""
    in_reach = Membership.objects.filter(membership_scope(roles))
    if role:
        in_reach = in_reach.filter(role=role)
    people = User.objects.filter(pk__in=in_reach.values("user_id"))
    if q:
        people = people.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    return people.prefetch_related(_memberships_in_reach(roles)).order_by("full_name", "email")


def person_for(roles: Roles, pk: int) -> User:
    """A person in reach, with the memberships in reach; 404 for anyone else."""
    return get_object_or_404(people_for(roles), pk=pk)


def invitations_for(roles: Roles) -> QuerySet[Invitation]:
    """Invitations to the organisations and partnerships the person administers."""
    return Invitation.objects.filter(
        Q(organisation__in=roles.admin_in) | Q(partnership__in=roles.partnership_admin_of)
    ).select_related("organisation", "partnership", "invited_by")


def pending_invitations_for(roles: Roles) -> QuerySet[Invitation]:
    """Neither accepted, revoked nor expired (a replaced one is shown beside its newer one)."""
    return invitations_for(roles).filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
