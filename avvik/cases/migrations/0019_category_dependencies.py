from django.db import migrations

# A category belongs to one partnership, and every list asks for both. Not told, PostgreSQL
# multiplies their selectivities, thinks a category's cases in the partnership are a handful and
# reads them all (through deviation_category_partner) where the overdue list's own indexes would
# read a few: the overdue list filtered by category took 20 ms of SQL, 9 ms once told.
CREATE_STATISTICS = (
    "CREATE STATISTICS IF NOT EXISTS deviation_category_dependencies (dependencies) "
    "ON partnership_id, category_id FROM cases_deviation"
)
DROP_STATISTICS = "DROP STATISTICS IF EXISTS deviation_category_dependencies"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_STATISTICS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_STATISTICS)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0018_deviation_category_partner"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
