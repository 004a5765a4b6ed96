from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

# Not in Deviation.Meta.indexes: SQLite has no to_tsvector, and it rebuilds a table with every
# index in the model state on each later change of the table. So the index lives here only,
# on PostgreSQL only; avvik/search.py queries exactly this expression.
SEARCH_INDEX = GinIndex(SearchVector("title", "description", config="norwegian"), name="deviation_search")


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("avvik", "Deviation"), SEARCH_INDEX)


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("avvik", "Deviation"), SEARCH_INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("avvik", "0008_list_statistics_reminder_indexes"),
    ]

    operations = [
        migrations.RunPython(add_index, remove_index, elidable=False),
    ]
