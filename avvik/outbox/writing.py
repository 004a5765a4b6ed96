"""Writing to the outbox: who is told what. Rows are written in the caller's transaction and sent
by Celery after commit; a periodic sweep sends whatever a lost message left behind."""

import contextvars
import logging
from collections.abc import Callable, Collection, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.utils import timezone

from avvik.core import queue
from avvik.core.inserts import insert_columns
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


class Case(Protocol):
    """What a notice needs of its case: a Deviation, or the few columns the reminder sweep reads."""

    @property
    def pk(self) -> Any: ...

    @property
    def responsible_organisation_id(self) -> int | None: ...

    @property
    def reporting_organisation_id(self) -> int | None: ...


@dataclass
class Notice:
    """One thing to tell some people; becomes one outbox row per recipient."""

    kind: str
    recipients: Iterable[User]
    deviation: Case | None = None
    organisation: Organisation | None = None
    report: object = None
    threshold: str = ""
    reason: str = ""
    ids: list[int] = field(default_factory=list)  # the rows this call wrote for it that are to be sent now


def notify(
    *,
    kind: str,
    recipients: Iterable[User],
    deviation: Case | None = None,
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


@dataclass(slots=True)
class OutboxRow:
    """One outbox row to write, as plain values: the reminder sweep writes hundreds of thousands in
    one go, where a model instance per row costs more than the database's insert. `pk` is set once
    the row is written."""

    key: str
    kind: str
    recipient_id: int
    deviation_id: int | None
    organisation_id: int | None
    report_id: int | None
    reason: str
    status: str
    created_at: datetime
    sent_at: datetime | None = None
    pk: int | None = None


def notify_all(notices: list[Notice], *, organisations: "RecipientOrganisations | None" = None) -> list[int]:
    """notify() for many notices in a few queries (the reminder sweep writes thousands at a time).

    Sets each notice's `ids` and returns all of them. `organisations` keeps what it read of the
    recipients for the next call (the sweep's batches); without it, each call reads afresh.
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
    connection = connections[router.db_for_write(Notification) or DEFAULT_DB_ALIAS]
    # Where an insert can say which rows it wrote, the unique key itself skips the rows that exist:
    # reading them first would only ask the same index twice.
    existing = set() if _returns_inserted(connection) else _existing_keys([key for _n, key, _r in planned])
    organisation_of = organisations or RecipientOrganisations()
    organisation_of.learn({recipient.pk for notice, key, recipient in planned if notice.deviation})
    history = _history.get()
    now = timezone.now()
    rows: list[OutboxRow] = []
    notice_of: dict[str, Notice] = {}
    for notice, key, recipient in planned:
        if key in existing or key in notice_of:
            continue
        held = notice.kind not in URGENT_KINDS and recipient.notification_delivery == Delivery.DAILY
        rows.append(
            OutboxRow(
                key=key,
                kind=notice.kind,
                recipient_id=recipient.pk,
                deviation_id=notice.deviation.pk if notice.deviation else None,
                organisation_id=notice.organisation.pk
                if notice.organisation
                else organisation_of(recipient, notice.deviation),
                report_id=getattr(notice.report, "pk", None),
                reason=notice.reason[:200],
                # Past events are recorded as sent, never mailed.
                status=NotificationStatus.SENT
                if history
                else (NotificationStatus.HELD if held else NotificationStatus.PENDING),
                created_at=now,
                sent_at=now if history else None,
            )
        )
        notice_of[key] = notice
    if not rows:
        return []
    # A row whose key another sweep or beat wrote (even one not yet committed) is left alone and is
    # not ours: it is neither counted nor queued here (its writer queues it). What is written beside the rows
    # (the in-site notices) goes in the same transaction: one when the caller has none.
    with transaction.atomic(using=connection.alias, savepoint=False):
        written = _insert_new(connection, rows)
        for row in rows:
            row.pk = written.get(row.key)
        for listener in ROWS_WRITTEN:
            listener([row for row in rows if row.pk is not None], history=history)
    ids = []
    for row in rows:
        if row.pk is not None and row.status == NotificationStatus.PENDING:
            notice_of[row.key].ids.append(row.pk)
            ids.append(row.pk)
    if ids:
        transaction.on_commit(lambda: enqueue(ids), using=connection.alias)
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
# Rows per COPY on PostgreSQL: a sweep batch writes one, however many rows its cases have.
COPY_BATCH = 20000


def _returns_inserted(connection) -> bool:
    return bool(connection.features.can_return_rows_from_bulk_insert)


def _insert_new(connection, rows: list[OutboxRow]) -> dict[str, int]:
    """Insert the rows whose key is free; return {key: id} of the rows this call inserted.

    `INSERT … ON CONFLICT DO NOTHING RETURNING` (PostgreSQL, and SQLite from 3.35): a key another
    transaction holds, even one not yet committed, is skipped and not returned. Django's
    bulk_create(ignore_conflicts=True) returns no ids, and reading the rows back by key cannot tell
    ours from theirs.
    """
    if connection.vendor == "postgresql":
        written: dict[str, int] = {}
        for start in range(0, len(rows), COPY_BATCH):
            chunk = rows[start : start + COPY_BATCH]
            columns = {name: [getattr(row, name) for row in chunk] for name in _COLUMNS}
            inserted = insert_columns(connection, Notification, columns, len(chunk), returning=("id", "key"))
            written.update((key, pk) for pk, key in inserted)
        return written
    models = [Notification(**{name: getattr(row, name) for name in _COLUMNS}) for row in rows]
    if not _returns_inserted(connection):
        # Other databases: correct rows, but a row written concurrently by another call may be counted twice.
        Notification.objects.bulk_create(models, ignore_conflicts=True, batch_size=INSERT_BATCH)
        keys = [row.key for row in rows]
        return dict(Notification.objects.filter(key__in=keys).values_list("key", "pk"))
    meta = Notification._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]

    def column(f) -> str:
        return connection.ops.quote_name(f.column or f.attname)

    # Only names from the model's own definition are formatted into the statement; values are parameters.
    table = connection.ops.quote_name(meta.db_table)
    insert = f"INSERT INTO {table} ({', '.join(column(f) for f in fields)}) VALUES "  # noqa: S608
    returning = f" ON CONFLICT DO NOTHING RETURNING {column(meta.pk)}, {column(meta.get_field('key'))}"
    row_placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    batch = max(1, min(INSERT_BATCH, connection.ops.bulk_batch_size(fields, models)))
    written = {}
    with connection.cursor() as cursor:
        for start in range(0, len(models), batch):
            part = models[start : start + batch]
            params = [f.get_db_prep_save(f.pre_save(row, add=True), connection) for row in part for f in fields]
            cursor.execute(insert + ", ".join([row_placeholder] * len(part)) + returning, params)
            written.update((key, pk) for pk, key in cursor.fetchall())
    return written


# The columns an OutboxRow gives; the others have their defaults.
_COLUMNS = tuple(name for name in OutboxRow.__slots__ if name != "pk")


class RecipientOrganisations:
    """The recipient's organisation that is a party to the case: its written form is the e-mail's.
    Else the recipient's first organisation. Each recipient's organisations are read once for as
    long as this lives: one call of notify_all, or a whole reminder sweep, which hands one to each
    of its batches."""

    def __init__(self) -> None:
        self.organisations: dict[int, list[int]] = {}

    def learn(self, recipient_ids: Collection[int]) -> None:
        """Read the organisations of the recipients not yet known, all in one query."""
        unknown = set(recipient_ids) - self.organisations.keys()
        if not unknown:
            return
        found: dict[int, list[int]] = {pk: [] for pk in unknown}
        rows = (
            Organisation.objects.filter(memberships__user__in=unknown)
            .order_by("name", "pk")
            .values_list("memberships__user", "pk")
        )
        for user_id, organisation_id in rows:
            found[user_id].append(organisation_id)
        # Whole lists only: the reminder sweep's batches share this across threads.
        self.organisations.update(found)

    def __call__(self, recipient: User, deviation: Case | None) -> int | None:
        if deviation is None:
            return None
        own = self.organisations.get(recipient.pk)
        if own is None:
            self.learn([recipient.pk])
            own = self.organisations[recipient.pk]
        responsible, reporting = deviation.responsible_organisation_id, deviation.reporting_organisation_id
        return next((pk for pk in own if pk in (responsible, reporting)), own[0] if own else None)


# The task that delivers one row (avvik.outbox.tasks), named here so that writing need not import it.
DELIVER_TASK = "avvik.outbox.tasks.deliver_notification"


def enqueue(ids: list[int]) -> None:
    """Hand rows to the broker. If it is down, the request still completes; the sweep sends later."""
    for pk in ids:
        if not queue.dispatch(DELIVER_TASK, pk):
            return
