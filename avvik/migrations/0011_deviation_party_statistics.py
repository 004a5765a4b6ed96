from django.db import migrations

# The partnership follows from the organisations and the reporter; without being told, PostgreSQL
# multiplies their selectivities, thinks a member's list is tiny and sorts instead of walking an
# index. Extended statistics tell it they are dependent.
CREATE = (
    "CREATE STATISTICS IF NOT EXISTS deviation_party_dependencies (dependencies) "
    "ON partnership_id, reporting_organisation_id, responsible_organisation_id, reporter_id FROM avvik_deviation"
)
DROP = "DROP STATISTICS IF EXISTS deviation_party_dependencies"


def run_on_postgresql(sql):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("avvik", "0010_composite_indexes_replace_foreign_key_indexes"),
    ]

    operations = [
        migrations.RunPython(run_on_postgresql(CREATE), run_on_postgresql(DROP), elidable=False),
    ]
