"""When a case was first forwarded or rejected, read from its timeline for the cases there are."""

from django.db import migrations, models

TRIAGE = "('forward', 'reject')"


def triaged_from_timeline(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        statement = (
            "UPDATE cases_deviation d SET triaged_at = t.first FROM ("
            f"SELECT deviation_id, MIN(at) AS first FROM cases_transition WHERE action IN {TRIAGE} "
            "GROUP BY deviation_id) t WHERE d.id = t.deviation_id"
        )
    else:
        statement = (
            "UPDATE cases_deviation SET triaged_at = (SELECT MIN(at) FROM cases_transition t "
            f"WHERE t.deviation_id = cases_deviation.id AND t.action IN {TRIAGE})"
        )
    schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0014_access_log_without_duplicate_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="deviation",
            name="triaged_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="triaged"),
        ),
        migrations.RunPython(triaged_from_timeline, migrations.RunPython.noop),
    ]
