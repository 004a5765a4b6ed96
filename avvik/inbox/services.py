"""Writing notices: with the outbox rows, marking them read, and deleting old ones."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.utils import timezone

from avvik.inbox.models import SiteNotice
from avvik.outbox.choices import NotificationKind
from avvik.outbox.models import Notification

# Summaries are how e-mail bundles what the site already shows: each notification a daily summary
# holds has its own notice, and the weekly one lists the open cases, which the case lists show.
SUMMARY_KINDS = frozenset({NotificationKind.DAILY_DIGEST, NotificationKind.WEEKLY_DIGEST})
# E-mails with no notice on the site: the invitee has not yet an account to read it with.
NO_NOTICE_KINDS = SUMMARY_KINDS | {NotificationKind.INVITATION}

# Notices per INSERT, at most.
INSERT_BATCH = 1000


def notices_write(rows: Sequence[Any], *, history: bool = False) -> int:
    """One notice per outbox row just written, with the row's key, in the caller's transaction.

    Called by avvik.outbox.writing with the rows it inserted (avvik.outbox.writing.OutboxRow, with
    their ids; people who cannot receive mail have none, so they get no notice either). A notice
    whose key exists is left as it is. Rows written as history (past cases loaded in) become
    notices that are already read.
    """
    rows = [row for row in rows if row.kind not in NO_NOTICE_KINDS]
    if not rows:
        return 0
    connection = connections[router.db_for_write(SiteNotice) or DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        # Copied from the outbox rows in the database: the reminder sweep writes hundreds of
        # thousands at once, and nothing of them need travel back and forth.
        quote = connection.ops.quote_name
        copied = ("key", "kind", "recipient_id", "deviation_id", "organisation_id", "report_id", "created_at")
        columns = ", ".join(quote(name) for name in copied)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(SiteNotice._meta.db_table)} ({columns}, {quote('read_at')}) "  # noqa: S608
                f"SELECT {columns}, CASE WHEN %s THEN {quote('created_at')} END "
                f"FROM {quote(Notification._meta.db_table)} WHERE {quote('id')} = ANY(%s) "
                "ON CONFLICT DO NOTHING",  # only names from the models' own definitions are formatted in
                [history, [row.pk for row in rows]],
            )
        return len(rows)
    notices = [
        SiteNotice(
            key=row.key,
            kind=row.kind,
            recipient_id=row.recipient_id,
            deviation_id=row.deviation_id,
            organisation_id=row.organisation_id,
            report_id=row.report_id,
            created_at=row.created_at,
            read_at=row.created_at if history else None,
        )
        for row in rows
    ]
    SiteNotice.objects.bulk_create(notices, ignore_conflicts=True, batch_size=INSERT_BATCH)
    return len(notices)


@transaction.atomic
def notice_mark_read(*, notice: SiteNotice) -> bool:
    """Mark one notice read; False when it already was (its first reading time is kept)."""
    if notice.read_at is not None:
        return False
    now = timezone.now()
    marked = SiteNotice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=now)
    if marked:
        notice.read_at = now
    return bool(marked)


@transaction.atomic
def notices_mark_all_read(*, recipient: Any) -> int:
    """Mark every unread notice of the person read; returns how many."""
    return SiteNotice.objects.of(recipient).unread().update(read_at=timezone.now())


# Notices per DELETE, so that a large backlog is deleted in short transactions.
DELETE_BATCH = 5000


def notices_delete_old(*, before: datetime) -> int:
    """Delete the notices created before `before`, read or not; returns how many."""
    deleted = 0
    while True:
        with transaction.atomic():
            batch = list(
                SiteNotice.objects.filter(created_at__lt=before).order_by().values_list("pk", flat=True)[:DELETE_BATCH]
            )
            if not batch:
                return deleted
            deleted += SiteNotice.objects.filter(pk__in=batch).delete()[0]
