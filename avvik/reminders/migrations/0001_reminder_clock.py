"""The reminder clock: one row per case saying when the sweep next has something to write for it.

Triggers on the cases table set a case's clock whenever its status, deadlines, assignee or
responsible organisation change, however the case is written (services, imports, bulk SQL): to an
early estimate of its first reminder day, which needs no calendar; the sweep looks at the case on
that day and works out the exact next day from the partnership's working days. Existing cases whose
deadline runs get their estimate here.
"""

import django.db.models.deletion
from django.db import migrations, models

# What the sweep's reminders depend on: a change to any of them makes the sweep look at the case again.
WATCHED = ("status", "answer_due", "triage_due", "assignee_id", "responsible_organisation_id")

# Calendar days before the answer due day that the sweep first looks at a case. The reminder comes
# REMINDER_DAYS_BEFORE working days before it (2: at most 4 calendar days, 7 over Easter); the rest
# leaves room for a partnership's closure days. Looking early costs one read; too late would send
# the reminder late, so the sweep's own next day is exact and this is only the first estimate.
ANSWER_LOOK_AHEAD_DAYS = 21


def first_look(vendor: str, row: str) -> str:
    """The estimate for a case, from its columns (`row` is NEW in a trigger or the table's name)."""
    if vendor == "postgresql":
        triage, answer = f"{row}.triage_due + 1", f"{row}.answer_due - {ANSWER_LOOK_AHEAD_DAYS}"
    else:  # SQLite keeps dates as ISO text
        triage, answer = f"date({row}.triage_due, '+1 day')", f"date({row}.answer_due, '-{ANSWER_LOOK_AHEAD_DAYS} days')"
    # Triage is overdue the day after its due day; no reminders in the other statuses.
    return (
        f"CASE WHEN {row}.status = 'submitted' THEN {triage} "
        f"WHEN {row}.status IN ('forwarded', 'in_progress') THEN {answer} END"
    )


def upsert(vendor: str) -> str:
    return (
        "INSERT INTO reminders_reminderclock (deviation_id, due_on, changes) "
        f"VALUES (NEW.id, {first_look(vendor, 'NEW')}, 1) "
        "ON CONFLICT (deviation_id) DO UPDATE SET due_on = excluded.due_on, "
        "changes = reminders_reminderclock.changes + 1"
    )


def backfill(vendor: str) -> str:
    return (
        "INSERT INTO reminders_reminderclock (deviation_id, due_on, changes) "
        f"SELECT id, {first_look(vendor, 'cases_deviation')}, 0 FROM cases_deviation "
        "WHERE status IN ('submitted', 'forwarded', 'in_progress')"
    )


def clock_triggers_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        changed = " OR ".join(f"NEW.{name} IS DISTINCT FROM OLD.{name}" for name in WATCHED)
        statements = [
            "CREATE FUNCTION reminders_clock_touch() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {upsert(vendor)}; RETURN NULL; END $$",
            "CREATE TRIGGER reminders_clock_insert AFTER INSERT ON cases_deviation "
            "FOR EACH ROW EXECUTE FUNCTION reminders_clock_touch()",
            "CREATE TRIGGER reminders_clock_update AFTER UPDATE ON cases_deviation "
            f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION reminders_clock_touch()",
        ]
    elif vendor == "sqlite":
        changed = " OR ".join(f"NEW.{name} IS NOT OLD.{name}" for name in WATCHED)
        statements = [
            f"CREATE TRIGGER reminders_clock_insert AFTER INSERT ON cases_deviation BEGIN {upsert(vendor)}; END",
            f"CREATE TRIGGER reminders_clock_update AFTER UPDATE ON cases_deviation WHEN {changed} BEGIN {upsert(vendor)}; END",
        ]
    else:
        raise NotImplementedError(f"No reminder clock triggers for {vendor}")
    for statement in [*statements, backfill(vendor)]:
        schema_editor.execute(statement, params=None)


def clock_triggers_drop(apps, schema_editor):
    statements = ["DROP TRIGGER IF EXISTS reminders_clock_insert", "DROP TRIGGER IF EXISTS reminders_clock_update"]
    if schema_editor.connection.vendor == "postgresql":
        statements = [f"{s} ON cases_deviation" for s in statements]
        statements.append("DROP FUNCTION IF EXISTS reminders_clock_touch()")
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cases", "0013_case_relations_and_merging"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReminderClock",
            fields=[
                (
                    "deviation",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="cases.deviation",
                        verbose_name="deviation",
                    ),
                ),
                ("due_on", models.DateField(blank=True, null=True, verbose_name="next reminder day")),
                (
                    "changes",
                    models.PositiveIntegerField(
                        default=0,
                        help_text="Counted up by every change of the case, so that a sweep never overwrites a newer change.",
                        verbose_name="changes",
                    ),
                ),
            ],
            options={
                "verbose_name": "reminder clock",
                "verbose_name_plural": "reminder clocks",
                "indexes": [
                    models.Index(
                        condition=models.Q(("due_on__isnull", False)), fields=["due_on"], name="reminder_clock_due"
                    )
                ],
            },
        ),
        migrations.RunPython(clock_triggers_create, clock_triggers_drop),
    ]
