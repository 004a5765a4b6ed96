"""Writing to the outbox: who is told what. Rows are written in the caller's transaction and sent
by Celery after commit; a periodic sweep sends whatever a lost message left behind."""

import contextvars
import logging
from collections.abc import Callable, Collection, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.models import Model

from avvik.core import queue
from avvik.core.inserts import insert_unnested
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
    ids: list[int] = field(default_factory=list)  # the rows this call wrote for it that are to be sent now


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

    Returns the ids of the rows this call wrote that are to be sent now (none that another call
    wrote, even at the same moment).
    """
    notice = Notice(kind, recipients, deviation, organisation, report, threshold, reason)
    notify_all([notice])
    return notice.ids


def can_receive_mail(person: User) -> bool:
    """Systems that act through the API have addresses under the reserved .invalid domain (RFC 2606):
    they act on cases, but nothing can be mailed to them."""
    return not person.email.lower().endswith(".invalid")


def notify_all(notices: list[Notice]) -> list[int]:
    """notify() for many notices in three queries (the reminder sweep writes thousands at a time).

    Sets each notice's `ids` and returns all of them.
    """
    planned: list[tuple[Notice, str, User]] = []
    for notice in notices:
        notice.ids = []
        for recipient in {user.pk: user for user in notice.recipients}.values():
            if not can_receive_mail(recipient):
                continue
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
    existing = _existing_keys([key for _n, key, _r in planned])
    organisation_of = _OrganisationOf({recipient.pk for notice, key, recipient in planned if notice.deviation})
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
    if _history.get():
        # Past events are recorded as sent, never mailed.
        for row in rows:
            row.status, row.sent_at = NotificationStatus.SENT, row.created_at
    # A row another sweep or beat wrote since the keys were read is left alone and is not ours:
    # it is neither counted nor queued here (its writer queues it). What is written beside the rows
    # (the in-site notices) goes in the same transaction: one when the caller has none.
    with transaction.atomic(using=router.db_for_write(Notification), savepoint=False):
        written = _insert_new(rows)
        for listener in ROWS_WRITTEN:
            listener([row for row in rows if row.key in written], history=_history.get())
    ids = []
    for row in rows:
        pk = written.get(row.key)
        if pk is not None and row.status == NotificationStatus.PENDING:
            notice_of[row.key].ids.append(pk)
            ids.append(pk)
    if ids:
        transaction.on_commit(lambda: enqueue(ids))
    return ids


# Told of the rows each call wrote, in its transaction, with whether they are history: registered
# by the area that keeps something beside them (the in-site notices, avvik.inbox), so that the
# outbox needs to know nothing of it.
ROWS_WRITTEN: list[Callable[..., object]] = []


def rows_written_listener(listener: Callable[..., object]) -> Callable[..., object]:
    """Register `listener(rows, *, history)`, called with the outbox rows each call wrote."""
    if listener not in ROWS_WRITTEN:
        ROWS_WRITTEN.append(listener)
    return listener


def _existing_keys(keys: list[str]) -> set[str]:
    """The keys that have a row already (committed, as far as this transaction can see)."""
    return set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))


# Rows per INSERT, at most; fewer where the database takes fewer parameters (SQLite).
INSERT_BATCH = 2000
# Rows per INSERT on PostgreSQL, where a column is one parameter however many rows there are.
UNNEST_BATCH = 20000


def _insert_new(rows: list[Notification]) -> dict[str, int]:
    """Insert the rows whose key is free; return {key: id} of the rows this call inserted.

    `INSERT … ON CONFLICT DO NOTHING RETURNING` (PostgreSQL, and SQLite from 3.35): a key another
    transaction holds, even one not yet committed, is skipped and not returned. Django's
    bulk_create(ignore_conflicts=True) returns no ids, and reading the rows back by key cannot tell
    ours from theirs.
    """
    connection = connections[router.db_for_write(Notification) or DEFAULT_DB_ALIAS]
    if not connection.features.can_return_rows_from_bulk_insert:
        # Other databases: correct rows, but a row written concurrently by another call may be counted twice.
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=INSERT_BATCH)
        keys = [row.key for row in rows]
        return dict(Notification.objects.filter(key__in=keys).values_list("key", "pk"))
    if connection.vendor == "postgresql":
        written: dict[str, int] = {}
        for start in range(0, len(rows), UNNEST_BATCH):
            chunk = rows[start : start + UNNEST_BATCH]
            written.update(
                (key, pk) for pk, key in insert_unnested(connection, Notification, chunk, returning=("id", "key"))
            )
        return written
    meta = Notification._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]

    def column(f) -> str:
        return connection.ops.quote_name(f.column or f.attname)

    # Only names from the model's own definition are formatted into the statement; values are parameters.
    table = connection.ops.quote_name(meta.db_table)
    insert = f"INSERT INTO {table} ({', '.join(column(f) for f in fields)}) VALUES "  # noqa: S608
    returning = f" ON CONFLICT DO NOTHING RETURNING {column(meta.pk)}, {column(meta.get_field('key'))}"
    row_placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    batch = max(1, min(INSERT_BATCH, connection.ops.bulk_batch_size(fields, rows)))
    written = {}
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            params = [f.get_db_prep_save(f.pre_save(row, add=True), connection) for row in chunk for f in fields]
            cursor.execute(insert + ", ".join([row_placeholder] * len(chunk)) + returning, params)
            written.update((key, pk) for pk, key in cursor.fetchall())
    return written


class _OrganisationOf:
    """The recipient's organisation that is a party to the case: its written form is the e-mail's.
    Else the recipient's first organisation. Each recipient's organisations are read once a batch."""

    def __init__(self, recipient_ids: Collection[int] = ()):
        # Read for every recipient at once: the reminder sweep writes for hundreds in one call.
        self.organisations: dict[int, list[int]] = {pk: [] for pk in recipient_ids}
        if recipient_ids:
            rows = (
                Organisation.objects.filter(memberships__user__in=recipient_ids)
                .order_by("name", "pk")
                .values_list("memberships__user", "pk")
            )
            for user_id, organisation_id in rows:
                self.organisations[user_id].append(organisation_id)

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
