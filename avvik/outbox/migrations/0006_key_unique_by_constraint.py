"""The key unique by a constraint instead of the field, which also kept an index for LIKE searches
that no one makes; and no index of the recipient alone, which a two-column index begins with. The
reminder sweep writes hundreds of thousands of rows at once, each into every index.

The constraint is added before the field's own unique index goes: the key is unique throughout."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0016_deviation_message_index'),
        ('council', '0005_monthly_counts'),
        ('outbox', '0005_notification_kinds_of_the_new_areas'),
        ('tenancy', '0006_membership_unit'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.UniqueConstraint(fields=('key',), name='notification_key_unique'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='key',
            field=models.CharField(max_length=200, verbose_name='key'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='recipient',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='recipient'),
        ),
    ]
