
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tenancy', '0005_partnership_council_name'),
    ]

    operations = [
        migrations.AddField(
            model_name='membership',
            name='unit',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='memberships', to='tenancy.unit', verbose_name='unit'),
        ),
    ]
