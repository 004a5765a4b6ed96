"""The council's monthly counts: what the statistics sum instead of counting a year of cases.

Triggers on the cases table keep them in the same transaction as every change to a case, however
the case is written (services, imports, bulk SQL): a row's contributions are taken away as it was
and added as it is. A merged duplicate contributes nothing (it is counted as its main case). Months
are local (settings.TIME_ZONE at the time of this migration), as the council's quarters are.
The existing cases are counted here in one statement per measure.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

ZONE = settings.TIME_ZONE

# (measure, the column whose local month it is counted in, item, condition); `{r}` is the row.
MEASURES = (
    ("new", "created_at", "''", "TRUE"),
    ("category", "created_at", "CAST({r}.category_id AS TEXT)", "TRUE"),
    ("clause", "created_at", "COALESCE(CAST({r}.clause_id AS TEXT), '')", "TRUE"),
    ("consequence", "created_at", "{r}.consequence", "TRUE"),
    (
        "pair",
        "created_at",
        "CAST({r}.reporting_organisation_id AS TEXT) || '>' || "
        "COALESCE(CAST(COALESCE({r}.responsible_organisation_id, {r}.counterpart_id) AS TEXT), '')",
        "TRUE",
    ),
    ("serious", "created_at", "''", "{r}.consequence IN ('very_serious', 'death') AND {r}.unexpected"),
    ("message_type", "created_at", "{r}.message_type", "{r}.message_type <> ''"),
    ("error_code", "created_at", "{r}.apprec_error_code", "{r}.apprec_error_code <> ''"),
    (
        "her_pair",
        "created_at",
        "{r}.sender_her_id || '>' || {r}.receiver_her_id",
        "{r}.sender_her_id <> '' AND {r}.receiver_her_id <> ''",
    ),
    ("unit", "created_at", "CAST({r}.reporting_unit_id AS TEXT)", "{r}.reporting_unit_id IS NOT NULL"),
    ("closed", "closed_at", "''", "{r}.status = 'closed' AND {r}.closed_at IS NOT NULL"),
    ("triage", "triaged_at", "{triage_on_time}", "TRUE"),
    ("answered", "answered_at", "{answer_on_time}", "TRUE"),
    # Working days from filing to answer need the partnership's calendar: the local days are kept.
    ("handling", "answered_at", "{created_day} || '>' || {answered_day}", "TRUE"),
    # The backlog at the end of any period, by filing day: cases open now, counted in the month they
    # were filed; ended cases, in the month they ended (open at the end of every period before it).
    ("open_filed", "created_at", "{created_day}", "{r}.status IN {open}"),
    ("ended_filed", "closed_at", "{created_day}", "{r}.status NOT IN {open}"),
    ("measures", "answered_at", "''", "{r}.answered_at IS NOT NULL AND {r}.answer_measures <> ''"),
    ("measures_done", "answered_at", "''", "{r}.answered_at IS NOT NULL AND {r}.measures_done"),
)

# cases.choices.OPEN_STATUSES as they were at this migration.
OPEN = "('submitted', 'forwarded', 'in_progress', 'waiting', 'answered')"

# A change to any other column leaves every count as it was.
WATCHED = (
    "partnership_id",
    "status",
    "created_at",
    "closed_at",
    "answered_at",
    "answer_due",
    "triaged_at",
    "triage_due",
    "category_id",
    "clause_id",
    "consequence",
    "unexpected",
    "reporting_organisation_id",
    "responsible_organisation_id",
    "counterpart_id",
    "message_type",
    "apprec_error_code",
    "sender_her_id",
    "receiver_her_id",
    "reporting_unit_id",
    "answer_measures",
    "measures_done",
)


def month_of(vendor: str, column: str) -> str:
    if vendor == "postgresql":
        return f"date_trunc('month', {column} AT TIME ZONE '{ZONE}')::date"
    # SQLite keeps UTC text; Django registers this function on every connection it opens.
    return f"date(django_datetime_trunc('month', {column}, '{ZONE}', 'UTC'))"


def local_day(vendor: str, column: str) -> str:
    if vendor == "postgresql":
        return f"({column} AT TIME ZONE '{ZONE}')::date"
    return f"django_datetime_cast_date({column}, '{ZONE}', 'UTC')"


def on_time(vendor: str, row: str, moment: str, due: str) -> str:
    """'on_time' when the local day of `moment` is at most the due day, as the deadline pages count."""
    return (
        f"CASE WHEN {row}.{due} IS NOT NULL AND {local_day(vendor, f'{row}.{moment}')} <= {row}.{due} "
        "THEN 'on_time' ELSE 'late' END"
    )


def parts(vendor: str, measure: tuple, row: str) -> tuple[str, str, str]:
    """(month, item, condition) of one measure for `row`, merged duplicates left out."""
    _name, column, item, condition = measure
    return (
        month_of(vendor, f"{row}.{column}"),
        item.format(
            r=row,
            triage_on_time=on_time(vendor, row, "triaged_at", "triage_due"),
            answer_on_time=on_time(vendor, row, "answered_at", "answer_due"),
            created_day=f"CAST({local_day(vendor, f'{row}.created_at')} AS TEXT)",
            answered_day=f"CAST({local_day(vendor, f'{row}.answered_at')} AS TEXT)",
        ),
        f"({condition.format(r=row, open=OPEN)}) AND {row}.status <> 'merged' AND {row}.{column} IS NOT NULL",
    )


def added(vendor: str) -> list[str]:
    """What the new row adds, one statement per measure."""
    statements = []
    for measure in MEASURES:
        month, item, condition = parts(vendor, measure, "NEW")
        statements.append(
            "INSERT INTO council_monthlycount (partnership_id, month, measure, item, cases) "
            f"SELECT NEW.partnership_id, {month}, '{measure[0]}', {item}, 1 WHERE {condition} "
            "ON CONFLICT (partnership_id, month, measure, item) DO UPDATE SET cases = council_monthlycount.cases + 1"
        )
    return statements


def taken_away(vendor: str) -> list[str]:
    """What the old row had added; its counts exist, as the row was counted when it was written."""
    statements = []
    for measure in MEASURES:
        month, item, condition = parts(vendor, measure, "OLD")
        statements.append(
            "UPDATE council_monthlycount SET cases = cases - 1 "
            f"WHERE partnership_id = OLD.partnership_id AND month = {month} AND measure = '{measure[0]}' "
            f"AND item = {item} AND {condition}"
        )
    return statements


def recount(vendor: str) -> list[str]:
    """Every count from the cases as they are, one statement per measure."""
    statements = ["DELETE FROM council_monthlycount"]
    for measure in MEASURES:
        month, item, condition = parts(vendor, measure, "d")
        statements.append(
            "INSERT INTO council_monthlycount (partnership_id, month, measure, item, cases) "
            f"SELECT d.partnership_id, {month}, '{measure[0]}', {item}, COUNT(*) FROM cases_deviation d "
            f"WHERE {condition} GROUP BY 1, 2, 4"
        )
    return statements


def counting_triggers_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        changed = " OR ".join(f"NEW.{name} IS DISTINCT FROM OLD.{name}" for name in WATCHED)
        statements = [
            "CREATE FUNCTION council_count_case() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP <> 'INSERT' THEN {'; '.join(taken_away(vendor))}; END IF; "
            f"IF TG_OP <> 'DELETE' THEN {'; '.join(added(vendor))}; END IF; "
            "RETURN NULL; END $$",
            "CREATE TRIGGER council_count_insert AFTER INSERT ON cases_deviation "
            "FOR EACH ROW EXECUTE FUNCTION council_count_case()",
            "CREATE TRIGGER council_count_update AFTER UPDATE ON cases_deviation "
            f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION council_count_case()",
            "CREATE TRIGGER council_count_delete AFTER DELETE ON cases_deviation "
            "FOR EACH ROW EXECUTE FUNCTION council_count_case()",
        ]
    elif vendor == "sqlite":
        changed = " OR ".join(f"NEW.{name} IS NOT OLD.{name}" for name in WATCHED)
        add, take = "; ".join(added(vendor)), "; ".join(taken_away(vendor))
        statements = [
            f"CREATE TRIGGER council_count_insert AFTER INSERT ON cases_deviation BEGIN {add}; END",
            f"CREATE TRIGGER council_count_update AFTER UPDATE ON cases_deviation WHEN {changed} "
            f"BEGIN {take}; {add}; END",
            f"CREATE TRIGGER council_count_delete AFTER DELETE ON cases_deviation BEGIN {take}; END",
        ]
    else:
        raise NotImplementedError(f"No counting triggers for {vendor}")
    for statement in [*statements, *recount(vendor)]:
        schema_editor.execute(statement, params=None)


def counting_triggers_drop(apps, schema_editor):
    names = ("council_count_insert", "council_count_update", "council_count_delete")
    statements = [f"DROP TRIGGER IF EXISTS {name}" for name in names]
    if schema_editor.connection.vendor == "postgresql":
        statements = [f"{s} ON cases_deviation" for s in statements]
        statements.append("DROP FUNCTION IF EXISTS council_count_case()")
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("council", "0004_threshold_decisions"),
        ("cases", "0015_deviation_triaged_at"),
        ("tenancy", "0005_partnership_council_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="MonthlyCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "partnership",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="tenancy.partnership",
                        verbose_name="partnership",
                    ),
                ),
                ("month", models.DateField(verbose_name="month")),
                ("measure", models.CharField(max_length=20, verbose_name="what is counted")),
                ("item", models.CharField(blank=True, max_length=64, verbose_name="item")),
                ("cases", models.IntegerField(default=0, verbose_name="cases")),
            ],
            options={
                "verbose_name": "monthly count",
                "verbose_name_plural": "monthly counts",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("partnership", "month", "measure", "item"), name="council_monthly_count_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(counting_triggers_create, counting_triggers_drop),
    ]
