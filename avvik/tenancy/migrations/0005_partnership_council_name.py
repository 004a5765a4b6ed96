
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tenancy', '0004_roles_manager_message_owner_partnership_admin'),
    ]

    operations = [
        migrations.AddField(
            model_name='partnership',
            name='council_name',
            field=models.CharField(blank=True, help_text='What the partnership calls its joint council, for example SSU or OSO. Empty: the council.', max_length=60, verbose_name='name of the council'),
        ),
    ]
