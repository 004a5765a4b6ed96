
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0010_message_channel_and_apprec_error'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AlertRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('valid_from', models.DateField(verbose_name='valid from')),
                ('valid_to', models.DateField(blank=True, help_text='Empty: valid until further notice.', null=True, verbose_name='valid to')),
                ('consequences', models.JSONField(default=list, help_text='The consequence values, e.g. ["very_serious", "death"].', verbose_name='consequences that trigger it')),
                ('requires_unexpected', models.BooleanField(default=True, verbose_name='only unexpected events')),
                ('recipients', models.JSONField(default=list, help_text='The names of the recipients, in order.', verbose_name='recipients')),
                ('deadline_working_days', models.PositiveSmallIntegerField(blank=True, help_text='Empty: at once (straks).', null=True, verbose_name='deadline in working days')),
                ('legal_reference', models.TextField(verbose_name='legal reference')),
            ],
            options={
                'verbose_name': 'alert rule',
                'verbose_name_plural': 'alert rules',
                'ordering': ['-valid_from'],
                'constraints': [models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_to__gte', models.F('valid_from')), _connector='OR'), name='alert_rule_valid_to_after_valid_from', violation_error_message='A rule cannot end before it begins.')],
            },
        ),
        migrations.CreateModel(
            name='StatutoryAlert',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sent_at', models.DateTimeField(verbose_name='sent')),
                ('recipients', models.JSONField(default=list, verbose_name='sent to')),
                ('reference', models.CharField(blank=True, max_length=100, verbose_name="the recipient's case number")),
                ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded')),
                ('informed_at', models.DateTimeField(blank=True, null=True, verbose_name='patient or next of kin informed')),
                ('informed_by', models.CharField(blank=True, max_length=200, verbose_name='informed by')),
                ('not_informed_reason', models.TextField(blank=True, verbose_name='why the patient or next of kin was not informed')),
                ('deviation', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='statutory_alert', to='cases.deviation', verbose_name='deviation')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('rule', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='duties.alertrule', verbose_name='alert rule')),
            ],
            options={
                'verbose_name': 'statutory alert',
                'verbose_name_plural': 'statutory alerts',
            },
        ),
        migrations.CreateModel(
            name='PrivacyBreach',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('aware_at', models.DateTimeField(verbose_name='became aware')),
                ('marked_at', models.DateTimeField(auto_now_add=True, verbose_name='marked')),
                ('decision', models.CharField(blank=True, choices=[('notified', 'Notified to Datatilsynet'), ('not_notified', 'Not notified')], max_length=20, verbose_name='decision')),
                ('notified_at', models.DateTimeField(blank=True, null=True, verbose_name='notified')),
                ('authority_reference', models.CharField(blank=True, max_length=100, verbose_name="Datatilsynet's reference")),
                ('not_notified_reason', models.TextField(blank=True, verbose_name='why it was not notified')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('deviation', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='privacy_breach', to='cases.deviation', verbose_name='deviation')),
                ('marked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='marked by')),
            ],
            options={
                'verbose_name': 'personal-data breach',
                'verbose_name_plural': 'personal-data breaches',
                'indexes': [models.Index(fields=['decision', 'aware_at'], name='breach_decision_aware')],
            },
        ),
    ]
