"""Loading volume data: rows written with COPY on PostgreSQL (bulk_create elsewhere), secondary
indexes dropped for a large load and rebuilt once."""

import random
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time
from importlib import import_module

from django.contrib.postgres.indexes import GinIndex
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from avvik.cases.models.deviation import Deviation
from avvik.cases.models.records import Comment, PatientReference, Transition
from avvik.cases.search import SearchDocument
from avvik.council.periods import Period
from avvik.demo.volume.generator import Generator, _creation_times, _times_between
from avvik.demo.volume.tenants import _tenant
from avvik.tenancy.models import Partnership

# What the council's monthly counts count, and the statements that count every case again.
COUNTING = import_module("avvik.council.migrations.0005_monthly_counts")


@dataclass
class Progress:
    created: int = 0
    transitions: int = 0
    comments: int = 0
    patients: int = 0


TRANSITION_COLUMNS = ("deviation_id", "action", "from_status", "to_status", "by_id", "at", "note")
COMMENT_COLUMNS = ("deviation_id", "author_id", "organisation_id", "body", "is_internal", "created_at")
PATIENT_COLUMNS = (
    "deviation_id",
    "name_encrypted",
    "identity_number_encrypted",
    "identity_index",
    "created_at",
    "erased_at",
)


def _copy(model, columns, rows) -> None:
    """PostgreSQL COPY: several times faster than INSERT for large batches."""
    from psycopg import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _insert(model, columns, rows) -> None:
    if connection.vendor == "postgresql":
        _copy(model, columns, rows)
    else:
        model.objects.bulk_create((model(**dict(zip(columns, row, strict=True))) for row in rows), batch_size=500)


def _reserve_ids(count: int) -> list[int]:
    """Deviation ids taken from the table's sequence, so a case filed meanwhile cannot collide."""
    table = Deviation._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [pk for (pk,) in cursor.fetchall()]
    start = (Deviation.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    return list(range(start, start + count))


def _secondary_indexes() -> list[tuple]:
    """The indexes of the bulk-loaded tables that are not keys or constraints (PostgreSQL)."""
    indexes = [(model, index) for model in (Deviation, Transition) for index in model._meta.indexes]
    # The full-text index of cases migration 0022, which is not in the model's Meta.
    return [*indexes, (Deviation, GinIndex(SearchDocument(), name="deviation_search_document"))]


def indexes_restore() -> list[str]:
    """Build any secondary index a bulk load dropped and did not get to rebuild; return their names."""
    if connection.vendor != "postgresql":
        return []
    built = []
    with connection.cursor() as cursor:
        # Inside an outer transaction deferred foreign-key checks would block CREATE INDEX: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
        present = {name for (name,) in cursor.fetchall()}
    with connection.schema_editor() as editor:
        for model, index in _secondary_indexes():
            if index.name not in present:
                editor.add_index(model, index)
                built.append(index.name)
    return built


@contextmanager
def indexes_deferred(enabled: bool):
    """Drop the secondary indexes for a large load and build them again after: one pass over all
    rows is several times faster than keeping twenty indexes up row by row. The council's monthly
    counts likewise: counted in one statement per measure after the load, not row by row."""
    if not enabled or connection.vendor != "postgresql":
        yield
        return
    with connection.schema_editor() as editor:
        for model, index in _secondary_indexes():
            editor.remove_index(model, index)  # DROP INDEX IF EXISTS
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE cases_deviation DISABLE TRIGGER {COUNTING_TRIGGER}")
    try:
        yield
    finally:
        indexes_restore()
        monthly_counts_restore()


# The trigger that counts a new case into the council's monthly counts (council migration 0005).
COUNTING_TRIGGER = "council_count_insert"


def monthly_counts_restore() -> None:
    """Count every case again and keep counting new ones: after a load that left them uncounted."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE cases_deviation ENABLE TRIGGER {COUNTING_TRIGGER}")
        for statement in COUNTING.recount(connection.vendor):
            cursor.execute(statement)


def cases_create(
    partnerships: list[Partnership],
    count: int,
    *,
    seed: int,
    batch_size: int = 20000,
    report: Callable[[Progress], None] | None = None,
    between: tuple[datetime, datetime] | None = None,
) -> Progress:
    """Create `count` cases spread over the partnerships, in batches of one transaction each: over the
    last years, or all created `between` two moments (one quarter, for the council's report)."""
    rng = random.Random(seed)
    now = timezone.now()
    tenants = [_tenant(p) for p in partnerships]
    generator = Generator(tenants, now, rng)
    if between is None:
        times = _creation_times(count, now.timestamp(), rng)
    else:
        times = _times_between(count, between[0].timestamp(), min(between[1], now).timestamp(), rng)
    counters = _numbered_so_far()
    progress = Progress()
    for start in range(0, count, batch_size):
        chunk = times[start : start + batch_size]
        ids = _reserve_ids(len(chunk))
        cases, transitions, comments, patients = [], [], [], []
        for pk, created in zip(ids, chunk, strict=True):
            year = generator.local_date(created).year
            counters[year] = counters.get(year, 0) + 1
            case, steps, notes, patient = generator.case(pk, f"SA-{year}-{counters[year]:05d}", created)
            cases.append(case)
            transitions.extend(steps)
            comments.extend(notes)
            if patient:
                patients.append(patient)
        with transaction.atomic():
            _insert(Deviation, generator.columns, cases)
            _insert(Transition, TRANSITION_COLUMNS, transitions)
            _insert(Comment, COMMENT_COLUMNS, comments)
            _insert(PatientReference, PATIENT_COLUMNS, patients)
        progress.created += len(cases)
        progress.transitions += len(transitions)
        progress.comments += len(comments)
        progress.patients += len(patients)
        if report:
            report(progress)
    return progress


def volume_cases(partnerships: list[Partnership]) -> int:
    return Deviation.objects.filter(partnership__in=partnerships).count()


def _numbered_so_far() -> dict[int, int]:
    """The highest number used by generated cases each year. Generated cases are numbered
    (SA-2026-00042), which no filed case's random reference (six letters and digits) can be."""
    numbered: dict[int, int] = {}
    for reference in (
        Deviation.objects.filter(reference__regex=r"^SA-[0-9]{4}-[0-9]{5}$")
        .values_list("reference", flat=True)
        .iterator(chunk_size=10000)
    ):
        year, number = int(reference[3:7]), int(reference[8:])
        numbered[year] = max(numbered.get(year, 0), number)
    return numbered


# Enough cases in one quarter that no breakdown of the council's quarterly report is wholly hidden
# (tests/demo/test_volume.py finds the smallest that works for the demo's catalogue).
COUNCIL_QUARTER_CASES = 80


def council_quarter_create(partnership: Partnership, *, count: int = COUNCIL_QUARTER_CASES, seed: int = 16) -> Progress:
    """Fill the partnership's last completed quarter with `count` cases, for a council report that
    says something at the demo's otherwise small volumes."""
    quarter = Period.last_completed_quarter(timezone.localdate())
    tz = timezone.get_current_timezone()
    start = datetime.combine(quarter.start, time(7), tz)
    end = datetime.combine(quarter.end, time(17), tz)
    return cases_create([partnership], count, seed=seed, between=(start, end))
