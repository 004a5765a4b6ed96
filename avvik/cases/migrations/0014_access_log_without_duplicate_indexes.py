"""Every case view writes an access-log row: drop the two single-column indexes that the
(deviation, at) and (user, at) indexes already cover. Only the indexes are dropped; the foreign
keys stay as they are, so no table is scanned again to check them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

INDEXES = {
    "cases_accesslog_deviation_id_bb1310a1": "deviation_id",
    "cases_accesslog_user_id_ef75ba79": "user_id",
}


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_case_relations_and_merging"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "cases_accesslog" ("{column}")',
                )
                for name, column in INDEXES.items()
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="accesslog",
                    name="deviation",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="access_log",
                        to="cases.deviation",
                        verbose_name="deviation",
                    ),
                ),
                migrations.AlterField(
                    model_name="accesslog",
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="person",
                    ),
                ),
            ],
        ),
    ]
