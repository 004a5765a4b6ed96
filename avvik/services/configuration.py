"""Writes that configure how the partnership works: deadlines, closure days, a person's
settings, and resending a failed notification."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from avvik import notifications, permissions
from avvik.models import User


@transaction.atomic
def notification_resend(*, notification, by: User) -> None:
    """Put a failed notification back in the outbox; it is sent after commit."""
    from avvik.choices import NotificationStatus
    from avvik.models import Notification

    updated = Notification.objects.filter(pk=notification.pk, status=NotificationStatus.FAILED).update(
        status=NotificationStatus.PENDING, attempts=0, last_error=""
    )
    if updated:
        transaction.on_commit(lambda: notifications.enqueue([notification.pk]))


def preferences_update(*, user: User, notification_delivery: str | None = None, language: str | None = None) -> None:
    fields = []
    if notification_delivery is not None:
        user.notification_delivery = notification_delivery
        fields.append("notification_delivery")
    if language is not None:
        user.language = language
        fields.append("language")
    if fields:
        user.save(update_fields=fields)


def _coordinated(by: User, partnership_id: int) -> None:
    if partnership_id not in permissions.roles_of(by).coordinator_of:
        raise PermissionDenied(_("Only the partnership's coordinators may change its deadlines."))


@transaction.atomic
def deadline_policy_set(*, by: User, partnership, category, consequence: str, triage_days: int, answer_days: int):
    """Set the working days for a category and consequence (empty = any). Applies to deadlines set from now on."""
    from avvik.models import DeadlinePolicy

    _coordinated(by, partnership.pk)
    policy, _created = DeadlinePolicy.objects.update_or_create(
        partnership=partnership,
        category=category,
        consequence=consequence,
        defaults={"triage_days": triage_days, "answer_days": answer_days},
    )
    return policy


@transaction.atomic
def deadline_policy_delete(*, by: User, policy) -> None:
    _coordinated(by, policy.partnership_id)
    policy.delete()


@transaction.atomic
def closure_day_add(*, by: User, partnership, day, name: str = ""):
    from avvik.models import ClosureDay

    _coordinated(by, partnership.pk)
    closure, _created = ClosureDay.objects.update_or_create(partnership=partnership, date=day, defaults={"name": name})
    return closure


@transaction.atomic
def closure_day_delete(*, by: User, closure) -> None:
    _coordinated(by, closure.partnership_id)
    closure.delete()
