"""The weekly summary: each organisation's handlers get the list of its open cases."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from avvik.access.people import handlers_of
from avvik.cases.choices import OPEN_STATUSES
from avvik.cases.models import Deviation
from avvik.outbox.choices import NotificationKind
from avvik.outbox.emails import digest_source
from avvik.outbox.models import Notification
from avvik.outbox.writing import notify
from avvik.tenancy.models import Organisation


def weekly_digests_write() -> int:
    """One summary a week for every handler of an organisation with open cases; each once."""
    week = timezone.localdate().strftime("%G-W%V")
    count = 0
    responsible = Deviation.objects.filter(status__in=OPEN_STATUSES).values("responsible_organisation")
    for organisation in Organisation.objects.filter(pk__in=responsible):
        with transaction.atomic():
            count += len(
                notify(
                    kind=NotificationKind.WEEKLY_DIGEST,
                    recipients=handlers_of(organisation.pk),
                    organisation=organisation,
                    threshold=week,
                )
            )
    return count


@digest_source(NotificationKind.WEEKLY_DIGEST)
def weekly_digest_cases(notification: Notification) -> QuerySet[Deviation]:
    """The open cases of the organisation, the next due first."""
    return (
        Deviation.objects.filter(responsible_organisation=notification.organisation, status__in=OPEN_STATUSES)
        .order_by("answer_due", "created_at")
        .only("reference", "title", "status", "answer_due")
    )
