"""Reads of the outbox, scoped to the person asking."""

from django.db.models import Q, QuerySet

from avvik.access.roles import roles_of
from avvik.outbox.choices import NotificationStatus
from avvik.outbox.models import Notification
from avvik.tenancy.models import User


def failed_notifications_for(user: User) -> QuerySet[Notification]:
    """Failed notifications about the coordinator's partnerships: cases there, or people there."""
    partnerships = roles_of(user).coordinator_of
    return (
        Notification.objects.visible_to(user)
        .filter(status=NotificationStatus.FAILED)
        .filter(
            Q(deviation__partnership__in=partnerships)
            | Q(deviation__isnull=True, organisation__partnership__in=partnerships)
        )
        .select_related("recipient", "deviation")
        .order_by("-created_at")
    )
