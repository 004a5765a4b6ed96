"""The reminder clock: one row per case saying when the sweep next has something to write for it.

Triggers on the cases table set a case's clock to "look now" (0001-01-01) when its status, deadlines,
assignee or responsible organisation change, however the case is written (services, imports, bulk
SQL); the sweep works out the day after that. Existing cases whose clock runs are looked at once.
"""

import django.db.models.deletion
from django.db import migrations, models


# What the sweep's reminders depend on: a change to any of them makes the sweep look at the case again.
WATCHED = ("status", "answer_due", "triage_due", "assignee_id", "responsible_organisation_id")
LOOK_NOW = "0001-01-01"
UPSERT = (
    "INSERT INTO reminders_reminderclock (deviation_id, due_on, changes) VALUES (NEW.id, '0001-01-01', 1) "
    "ON CONFLICT (deviation_id) DO UPDATE SET due_on = excluded.due_on, "
    "changes = reminders_reminderclock.changes + 1"
)
# The statuses in which a deadline runs (submitted: triage; forwarded, in progress: answer).
CLOCK_STATUSES = "('submitted', 'forwarded', 'in_progress')"
BACKFILL = (
    "INSERT INTO reminders_reminderclock (deviation_id, due_on, changes) "
    f"SELECT id, '{LOOK_NOW}', 0 FROM cases_deviation WHERE status IN {CLOCK_STATUSES}"
)


def clock_triggers_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        changed = " OR ".join(f"NEW.{name} IS DISTINCT FROM OLD.{name}" for name in WATCHED)
        statements = [
            "CREATE FUNCTION reminders_clock_touch() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {UPSERT}; RETURN NULL; END $$",
            "CREATE TRIGGER reminders_clock_insert AFTER INSERT ON cases_deviation "
            "FOR EACH ROW EXECUTE FUNCTION reminders_clock_touch()",
            "CREATE TRIGGER reminders_clock_update AFTER UPDATE ON cases_deviation "
            f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION reminders_clock_touch()",
        ]
    elif vendor == "sqlite":
        changed = " OR ".join(f"NEW.{name} IS NOT OLD.{name}" for name in WATCHED)
        statements = [
            f"CREATE TRIGGER reminders_clock_insert AFTER INSERT ON cases_deviation BEGIN {UPSERT}; END",
            f"CREATE TRIGGER reminders_clock_update AFTER UPDATE ON cases_deviation WHEN {changed} BEGIN {UPSERT}; END",
        ]
    else:
        raise NotImplementedError(f"No reminder clock triggers for {vendor}")
    for statement in [*statements, BACKFILL]:
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
