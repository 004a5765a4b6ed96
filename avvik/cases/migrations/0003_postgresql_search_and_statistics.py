from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

# Not in Deviation.Meta.indexes: SQLite has no to_tsvector, and it rebuilds a table with every
# index in the model state on each later change of the table. So the index lives here only,
# on PostgreSQL only; avvik/cases/search.py queries exactly this expression.
SEARCH_INDEX = GinIndex(SearchVector("title", "description", config="norwegian"), name="deviation_search")

# The partnership follows from the organisations and the reporter; without being told, PostgreSQL
# multiplies their selectivities, thinks a member's list is tiny and sorts instead of walking an
# index. Extended statistics tell it they are dependent.
CREATE_STATISTICS = (
    "CREATE STATISTICS IF NOT EXISTS deviation_party_dependencies (dependencies) "
    "ON partnership_id, reporting_organisation_id, responsible_organisation_id, reporter_id FROM cases_deviation"
)
DROP_STATISTICS = "DROP STATISTICS IF EXISTS deviation_party_dependencies"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("cases", "Deviation"), SEARCH_INDEX)
        schema_editor.execute(CREATE_STATISTICS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_STATISTICS)
        schema_editor.remove_index(apps.get_model("cases", "Deviation"), SEARCH_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
