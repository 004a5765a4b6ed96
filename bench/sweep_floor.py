"""The least the reminder sweep can cost: the rows a sweep wrote, written again by SQL alone.

`mark` notes, before the sweep, which clocks are due and the last outbox row and site notice. After
the sweep, `replay` sets its rows aside, takes them back out and puts its clocks back as they were;
then it writes the same rows again, a batch of cases at a time, on as many connections as the sweep
uses, each batch in its own transaction as the sweep's: the batch's cases read, its outbox rows and
site notices inserted from the set-aside copy, its clocks moved to the days the sweep gave them, and
a commit that checks every new row's foreign keys. Nothing is decided or formatted in Python, so the
time is the database's own part of the sweep: no sweep that writes these rows can take less."""

import time
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import connection, transaction

from avvik.cases.models import Deviation
from avvik.core.threads import in_threads
from avvik.reminders.sweep import BATCH, CASE_FIELDS

# Plain tables, not temporary ones: every connection of the replay reads them. Dropped at the end.
DUE, MOVED, ROWS, NOTICES = "bench_floor_due", "bench_floor_moved", "bench_floor_rows", "bench_floor_notices"


@dataclass(frozen=True)
class Mark:
    """Where the sweep started: its rows are those after these ids."""

    last_row: int
    last_notice: int


def mark(today: date) -> Mark:
    """Before the sweep: its due clocks as they are, and the last rows it will write after."""
    with connection.cursor() as cursor:
        _drop(cursor)
        cursor.execute(f"CREATE TABLE {DUE} AS SELECT * FROM reminders_reminderclock WHERE due_on <= %s", [today])  # noqa: S608  # our own names
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM outbox_notification")
        (last_row,) = cursor.fetchone()
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM inbox_sitenotice")
        (last_notice,) = cursor.fetchone()
    return Mark(last_row, last_notice)


def replay(since: Mark, workers: int | None = None) -> dict:
    """After the sweep: write its rows again by SQL alone and time it (see the module's note)."""
    workers = workers or settings.REMINDER_SWEEP_WORKERS
    try:
        rows, notices = _set_aside(since)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT deviation_id FROM {DUE} ORDER BY deviation_id")  # noqa: S608  # our own name
            cases = [pk for (pk,) in cursor.fetchall()]
            cursor.execute(f"SELECT deviation_id FROM {DUE} EXCEPT SELECT deviation_id FROM {MOVED}")  # noqa: S608
            gone = {pk for (pk,) in cursor.fetchall()}
        # Each batch with the clocks the sweep removed from it, as the sweep knows them without a query.
        batches = [
            (batch, [pk for pk in batch if pk in gone])
            for batch in (cases[at : at + BATCH] for at in range(0, len(cases), BATCH))
        ]
        started = time.perf_counter()
        written = list(in_threads(_write, batches, workers=workers))
        seconds = time.perf_counter() - started
        if (sum(row for row, _ in written), sum(notice for _, notice in written)) != (rows, notices):
            raise RuntimeError("The replay did not write the rows the sweep wrote.")
        return {"seconds": round(seconds, 2), "cases": len(cases), "rows": rows, "notices": notices, "workers": workers}
    finally:
        with connection.cursor() as cursor:
            _drop(cursor)


def _set_aside(since: Mark) -> tuple[int, int]:
    """The sweep's rows copied aside and taken back out, its clocks back as they were, committed and
    vacuumed: the tables are then as the sweep found them, but for the dead rows VACUUM has freed."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {ROWS} AS SELECT * FROM outbox_notification WHERE id > %s", [since.last_row])  # noqa: S608
        rows = cursor.rowcount
        cursor.execute(f"CREATE TABLE {NOTICES} AS SELECT * FROM inbox_sitenotice WHERE id > %s", [since.last_notice])  # noqa: S608
        notices = cursor.rowcount
        # Read a batch at a time by case, as the sweep writes them.
        cursor.execute(f"CREATE INDEX ON {ROWS} (deviation_id)")
        cursor.execute(f"CREATE INDEX ON {NOTICES} (deviation_id)")
        cursor.execute(
            f"CREATE TABLE {MOVED} AS SELECT clock.deviation_id, clock.due_on FROM reminders_reminderclock AS clock "  # noqa: S608
            f"JOIN {DUE} USING (deviation_id)"
        )
        cursor.execute(f"ALTER TABLE {MOVED} ADD PRIMARY KEY (deviation_id)")
        cursor.execute("DELETE FROM outbox_notification WHERE id > %s", [since.last_row])
        cursor.execute("DELETE FROM inbox_sitenotice WHERE id > %s", [since.last_notice])
        # The clocks as the sweep read them, those it removed included.
        cursor.execute(f"DELETE FROM reminders_reminderclock WHERE deviation_id IN (SELECT deviation_id FROM {DUE})")  # noqa: S608
        cursor.execute(f"INSERT INTO reminders_reminderclock SELECT * FROM {DUE}")  # noqa: S608
    with connection.cursor() as cursor:
        for table in ("outbox_notification", "inbox_sitenotice", "reminders_reminderclock", ROWS, NOTICES, MOVED):
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    return rows, notices


# The case's columns the sweep reads, read here too: the sweep cannot decide without them.
CASE_COLUMNS = ", ".join(Deviation._meta.get_field(name).column for name in CASE_FIELDS)


def _write(batch: tuple[list[int], list[int]]) -> tuple[int, int]:
    """One batch's rows, as the sweep writes them: in one transaction, its checks at the commit."""
    cases, gone = batch
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT {CASE_COLUMNS} FROM cases_deviation WHERE id = ANY(%s) ORDER BY id", [cases])  # noqa: S608
        cursor.fetchall()
        cursor.execute(f"INSERT INTO outbox_notification SELECT * FROM {ROWS} WHERE deviation_id = ANY(%s)", [cases])  # noqa: S608
        rows = cursor.rowcount
        cursor.execute(f"INSERT INTO inbox_sitenotice SELECT * FROM {NOTICES} WHERE deviation_id = ANY(%s)", [cases])  # noqa: S608
        notices = cursor.rowcount
        cursor.execute(
            f"UPDATE reminders_reminderclock AS clock SET due_on = moved.due_on FROM {MOVED} AS moved "  # noqa: S608
            "WHERE clock.deviation_id = moved.deviation_id AND moved.deviation_id = ANY(%s)",
            [cases],
        )
        if gone:
            cursor.execute("DELETE FROM reminders_reminderclock WHERE deviation_id = ANY(%s)", [gone])
    return rows, notices


def _drop(cursor) -> None:
    for table in (DUE, MOVED, ROWS, NOTICES):
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
