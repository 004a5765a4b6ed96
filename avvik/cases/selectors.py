"""Reads about cases, scoped to the person asking."""

from django.db.models import Q, QuerySet

from avvik.cases.models import AccessLog, Comment, Deviation
from avvik.tenancy.models import User


def visible_comments(user: User, deviation: Deviation) -> QuerySet[Comment]:
    """The shared thread, plus the internal notes of the organisations the person handles for (all
    of them for the partnership's coordinators); a reporter reads no internal note but their own."""
    return Comment.objects.visible_to(user).filter(deviation=deviation)


def access_log_visible_to(user: User) -> QuerySet[AccessLog]:
    """A person's own reads, and for an organisation's administrators every read of its cases."""
    return AccessLog.objects.visible_to(user).select_related("user", "organisation", "deviation").order_by("-at")


def case_access_log(user: User, deviation: Deviation) -> QuerySet[AccessLog]:
    """Every read of one case, for the contact point (the caller checks may_see_access_log)."""
    return AccessLog.objects.filter(Q(deviation=deviation)).select_related("user", "organisation")
