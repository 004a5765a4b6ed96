
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('council', '0003_frozen_figures'),
        ('tenancy', '0005_partnership_council_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ThresholdDecision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('old_threshold', models.PositiveSmallIntegerField(verbose_name='old threshold')),
                ('new_threshold', models.PositiveSmallIntegerField(verbose_name='new threshold')),
                ('decided_on', models.DateField(verbose_name='decided on')),
                ('reference', models.CharField(help_text='The meeting or case, for example SSU 12.03.2027, sak 14/27.', max_length=200, verbose_name='decision reference')),
                ('reason', models.TextField(max_length=2000, verbose_name='reason')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='recorded')),
                ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='threshold_decisions', to='tenancy.partnership', verbose_name='partnership')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
            ],
            options={
                'verbose_name': 'threshold decision',
                'verbose_name_plural': 'threshold decisions',
                'ordering': ['-recorded_at', '-pk'],
            },
        ),
    ]
