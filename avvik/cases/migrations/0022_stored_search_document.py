from django.db import migrations

# Each case's words are stored beside it, in a generated column the GIN index is built on: a search
# walks a partnership's newest cases and checks each, and working out a case's words anew cost
# 30 microseconds a row (14 of a search's 16 ms of SQL on the volume). PostgreSQL only, and not a
# field of the model, so that no list reads it. Adding the column rewrites the table once; a later
# change of the type of `title` or `description` must drop the column first and add it again.
ADD_COLUMN = (
    "ALTER TABLE cases_deviation ADD COLUMN search_document tsvector GENERATED ALWAYS AS "
    "(to_tsvector('norwegian'::regconfig, COALESCE(title, '') || ' ' || COALESCE(description, ''))) STORED"
)
CREATE_INDEX = "CREATE INDEX deviation_search_document ON cases_deviation USING gin (search_document)"
# The index of migration 0003, on the same words worked out from the columns.
OLD_INDEX = (
    "CREATE INDEX deviation_search ON cases_deviation USING gin "
    "(to_tsvector('norwegian'::regconfig, COALESCE(title, '') || ' ' || COALESCE(description, '')))"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD_COLUMN)
        schema_editor.execute(CREATE_INDEX)
        schema_editor.execute("DROP INDEX IF EXISTS deviation_search")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_INDEX)
        schema_editor.execute("ALTER TABLE cases_deviation DROP COLUMN search_document")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0021_reporter_indexes_by_organisation"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
