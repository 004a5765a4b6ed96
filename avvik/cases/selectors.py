"""Reads about cases, scoped to the person asking."""

from django.db.models import QuerySet

from avvik.access.roles import roles_of
from avvik.tenancy.models import User


def visible_comments(user: User, deviation) -> QuerySet:
    """The shared thread, plus internal notes of the person's own organisations (all of them for
    the partnership's coordinators)."""
    from django.db.models import Q

    from avvik.cases.models.records import Comment

    comments = Comment.objects.filter(deviation=deviation)
    roles = roles_of(user)
    if deviation.partnership_id in roles.coordinator_of:
        return comments
    return comments.filter(Q(is_internal=False) | Q(organisation__in=roles.organisations))


def access_log_visible_to(user: User) -> QuerySet:
    """A person's own reads, and for an organisation's administrators every read of its cases."""
    from django.db.models import Q

    from avvik.cases.models.logs import AccessLog

    admin_of = roles_of(user).admin_in
    condition = Q(user=user)
    if admin_of:
        condition |= Q(deviation__reporting_organisation__in=admin_of) | Q(
            deviation__responsible_organisation__in=admin_of
        )
    return AccessLog.objects.filter(condition).select_related("user", "organisation", "deviation").order_by("-at")
