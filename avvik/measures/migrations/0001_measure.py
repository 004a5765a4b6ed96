
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0010_message_channel_and_apprec_error'),
        ('tenancy', '0005_partnership_council_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Measure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('what', models.TextField(max_length=2000, verbose_name='what is to be done')),
                ('due_date', models.DateField(verbose_name='due date')),
                ('status', models.CharField(choices=[('agreed', 'Agreed'), ('in_progress', 'In progress'), ('carried_out', 'Carried out'), ('dropped', 'Dropped')], default='agreed', max_length=20, verbose_name='status')),
                ('dropped_reason', models.TextField(blank=True, max_length=2000, verbose_name='why it was dropped')),
                ('dropped_at', models.DateTimeField(blank=True, null=True, verbose_name='dropped')),
                ('carried_out_at', models.DateTimeField(blank=True, null=True, verbose_name='carried out')),
                ('effect', models.CharField(choices=[('not_evaluated', 'Not evaluated yet'), ('effective', 'Effective'), ('partly_effective', 'Partly effective'), ('not_effective', 'Not effective')], default='not_evaluated', max_length=20, verbose_name='effect')),
                ('effect_note', models.TextField(blank=True, max_length=2000, verbose_name='about the effect')),
                ('evaluated_at', models.DateTimeField(blank=True, null=True, verbose_name='evaluated')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('deviation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='measures', to='cases.deviation', verbose_name='deviation')),
                ('evaluated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='evaluated by')),
                ('responsible_organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenancy.organisation', verbose_name='responsible organisation')),
                ('responsible_person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='responsible person')),
            ],
            options={
                'verbose_name': 'measure',
                'verbose_name_plural': 'measures',
                'ordering': ['due_date', 'pk'],
                'indexes': [models.Index(fields=['status', 'due_date'], name='measure_status_due')],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('status', 'dropped'), _negated=True), models.Q(('dropped_reason', ''), _negated=True), _connector='OR'), name='measure_dropped_has_reason', violation_error_message='A dropped measure needs a reason.'), models.CheckConstraint(condition=models.Q(('status', 'carried_out'), ('effect', 'not_evaluated'), _connector='OR'), name='measure_evaluated_only_when_carried_out', violation_error_message='Only a measure that is carried out can be evaluated.')],
            },
        ),
    ]
