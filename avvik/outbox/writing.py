"""Writing to the outbox: who is told what. Rows are written in the caller's transaction and sent
by Celery after commit; a periodic sweep sends whatever a lost message left behind."""

import contextvars
import logging
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Model

from avvik.core import queue
from avvik.outbox.choices import URGENT_KINDS, NotificationStatus
from avvik.outbox.models import Notification
from avvik.tenancy.choices import Delivery
from avvik.tenancy.models import Organisation, User

logger = logging.getLogger(__name__)


_history = contextvars.ContextVar("notifications_are_history", default=False)


@contextmanager
def recording_history():
    """Write notification rows without sending them: for loading past cases (demo data, imports)."""
    token = _history.set(True)
    try:
        yield
    finally:
        _history.reset(token)


def notification_key(kind: str, recipient_id: int, *, deviation_id=None, organisation_id=None, threshold="") -> str:
    subject = f"d{deviation_id}" if deviation_id else f"o{organisation_id}"
    return f"{kind}:{subject}:{threshold}:{recipient_id}"


@dataclass
class Notice:
    """One thing to tell some people; becomes one outbox row per recipient."""

    kind: str
    recipients: Iterable[User]
    deviation: Model | None = None
    organisation: Organisation | None = None
    report: object = None
    threshold: str = ""
    reason: str = ""
    ids: list[int] = field(default_factory=list)  # the rows written for it that are to be sent now


def notify(
    *,
    kind: str,
    recipients: Iterable[User],
    deviation: Model | None = None,
    organisation: Organisation | None = None,
    report=None,
    threshold: str = "",
    reason: str = "",
) -> list[int]:
    """Write one outbox row per recipient, unless one with the same key exists; send after commit.

    Returns the ids of the rows to send now.
    """
    notice = Notice(kind, recipients, deviation, organisation, report, threshold, reason)
    notify_all([notice])
    return notice.ids


def notify_all(notices: list[Notice]) -> list[int]:
    """notify() for many notices in three queries (the reminder sweep writes thousands at a time).

    Sets each notice's `ids` and returns all of them.
    """
    planned: list[tuple[Notice, str, User]] = []
    for notice in notices:
        notice.ids = []
        for recipient in {user.pk: user for user in notice.recipients}.values():
            key = notification_key(
                notice.kind,
                recipient.pk,
                deviation_id=notice.deviation.pk if notice.deviation else None,
                organisation_id=notice.organisation.pk if notice.organisation else None,
                threshold=notice.threshold,
            )
            planned.append((notice, key, recipient))
    if not planned:
        return []
    existing = set(Notification.objects.filter(key__in=[key for _n, key, _r in planned]).values_list("key", flat=True))
    organisation_of = _OrganisationOf()
    rows, notice_of = [], {}
    for notice, key, recipient in planned:
        if key in existing or key in notice_of:
            continue
        held = notice.kind not in URGENT_KINDS and recipient.notification_delivery == Delivery.DAILY
        rows.append(
            Notification(
                key=key,
                kind=notice.kind,
                recipient=recipient,
                deviation=notice.deviation,
                report=notice.report,
                organisation_id=notice.organisation.pk
                if notice.organisation
                else organisation_of(recipient, notice.deviation),
                reason=notice.reason[:200],
                status=NotificationStatus.HELD if held else NotificationStatus.PENDING,
            )
        )
        notice_of[key] = notice
    if not rows:
        return []
    # ignore_conflicts: a row another sweep or beat wrote meanwhile is left alone; if we send
    # it too, the compare-and-swap claim in delivery lets only one send through.
    if _history.get():
        # Past events are recorded as sent, never mailed.
        for row in rows:
            row.status, row.sent_at = NotificationStatus.SENT, row.created_at
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    keys = [row.key for row in rows if row.status == NotificationStatus.PENDING]
    ids = []
    for pk, key in Notification.objects.filter(key__in=keys, status=NotificationStatus.PENDING).values_list(
        "pk", "key"
    ):
        notice_of[key].ids.append(pk)
        ids.append(pk)
    if ids:
        transaction.on_commit(lambda: enqueue(ids))
    return ids


class _OrganisationOf:
    """The recipient's organisation that is a party to the case: its written form is the e-mail's.
    Else the recipient's first organisation. Each recipient's organisations are read once a batch."""

    def __init__(self):
        self.organisations: dict[int, list[int]] = {}

    def __call__(self, recipient: User, deviation: Model | None) -> int | None:
        if deviation is None:
            return None
        if recipient.pk not in self.organisations:
            self.organisations[recipient.pk] = list(
                Organisation.objects.filter(memberships__user=recipient)
                .order_by("name", "pk")
                .values_list("pk", flat=True)
            )
        own = self.organisations[recipient.pk]
        parties = {deviation.responsible_organisation_id, deviation.reporting_organisation_id}
        return next((pk for pk in own if pk in parties), own[0] if own else None)


# The task that delivers one row (avvik.outbox.tasks), named here so that writing need not import it.
DELIVER_TASK = "avvik.outbox.tasks.deliver_notification"


def enqueue(ids: list[int]) -> None:
    """Hand rows to the broker. If it is down, the request still completes; the sweep sends later."""
    for pk in ids:
        if not queue.dispatch(DELIVER_TASK, pk):
            return
