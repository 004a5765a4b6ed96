
import avvik.tenancy.models
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0010_message_channel_and_apprec_error'),
        ('catalogue', '0003_names_per_language'),
        ('tenancy', '0005_partnership_council_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='Cluster',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sender_her_id', models.CharField(blank=True, max_length=9, verbose_name='sender HER-id')),
                ('receiver_her_id', models.CharField(blank=True, max_length=9, verbose_name='receiver HER-id')),
                ('message_type', models.CharField(blank=True, choices=[('referral', 'Referral'), ('discharge_summary', 'Discharge summary'), ('plo_admission', 'PLO admission report'), ('plo_discharge', 'PLO discharge report'), ('plo_health_info', 'PLO health information'), ('plo_request', 'PLO request'), ('dialogue', 'Dialogue message'), ('lab_requisition', 'Laboratory requisition'), ('lab_result', 'Laboratory result'), ('radiology_requisition', 'Radiology requisition'), ('radiology_result', 'Radiology result'), ('logistics_admitted', 'Logistics: admitted'), ('logistics_ready', 'Logistics: ready for discharge'), ('logistics_discharged', 'Logistics: discharged'), ('logistics_death', 'Logistics: death'), ('request_answer', 'Answer to a request'), ('deviation_message', 'Deviation message'), ('other', 'Other message')], max_length=30, verbose_name='message type')),
                ('failure', models.CharField(choices=[('no_receipt', 'No application receipt within the response time'), ('negative', 'Negative application receipt')], max_length=20, verbose_name='failure')),
                ('error_code', models.CharField(blank=True, max_length=20, verbose_name='error code')),
                ('first_failure_at', models.DateTimeField(verbose_name='first failure')),
                ('last_failure_at', models.DateTimeField(verbose_name='last failure')),
                ('failures', models.PositiveIntegerField(default=0, verbose_name='failed messages')),
                ('recovered', models.PositiveIntegerField(default=0, verbose_name='receipts that came late')),
                ('deviation', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='cluster', to='cases.deviation', verbose_name='deviation')),
                ('partnership', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.partnership', verbose_name='partnership')),
                ('receiver_organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='tenancy.organisation', verbose_name='receiver')),
                ('sender_organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='tenancy.organisation', verbose_name='sender')),
            ],
            options={
                'verbose_name': 'failure cluster',
                'verbose_name_plural': 'failure clusters',
                'ordering': ['-last_failure_at'],
            },
        ),
        migrations.CreateModel(
            name='Message',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(max_length=40, verbose_name='source')),
                ('message_id', models.CharField(max_length=100, verbose_name='message id')),
                ('message_type', models.CharField(blank=True, choices=[('referral', 'Referral'), ('discharge_summary', 'Discharge summary'), ('plo_admission', 'PLO admission report'), ('plo_discharge', 'PLO discharge report'), ('plo_health_info', 'PLO health information'), ('plo_request', 'PLO request'), ('dialogue', 'Dialogue message'), ('lab_requisition', 'Laboratory requisition'), ('lab_result', 'Laboratory result'), ('radiology_requisition', 'Radiology requisition'), ('radiology_result', 'Radiology result'), ('logistics_admitted', 'Logistics: admitted'), ('logistics_ready', 'Logistics: ready for discharge'), ('logistics_discharged', 'Logistics: discharged'), ('logistics_death', 'Logistics: death'), ('request_answer', 'Answer to a request'), ('deviation_message', 'Deviation message'), ('other', 'Other message')], max_length=30, verbose_name='message type')),
                ('sender_her_id', models.CharField(blank=True, max_length=9, verbose_name='sender HER-id')),
                ('receiver_her_id', models.CharField(blank=True, max_length=9, verbose_name='receiver HER-id')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent')),
                ('transport_receipt_at', models.DateTimeField(blank=True, null=True, verbose_name='transport receipt')),
                ('receipt_at', models.DateTimeField(blank=True, null=True, verbose_name='application receipt received')),
                ('receipt_status', models.CharField(blank=True, choices=[('ok', 'OK'), ('negative', 'Negative')], max_length=10, verbose_name='application receipt')),
                ('error_code', models.CharField(blank=True, max_length=20, verbose_name='error code')),
                ('error_text', models.CharField(blank=True, max_length=300, verbose_name='error text')),
                ('due_at', models.DateTimeField(blank=True, null=True, verbose_name='receipt due')),
                ('failed_at', models.DateTimeField(blank=True, null=True, verbose_name='failed')),
                ('failure', models.CharField(blank=True, choices=[('no_receipt', 'No application receipt within the response time'), ('negative', 'Negative application receipt')], max_length=20, verbose_name='failure')),
                ('recovered_at', models.DateTimeField(blank=True, null=True, verbose_name='receipt came late')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='last changed')),
                ('cluster', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='messages', to='traffic.cluster', verbose_name='cluster')),
                ('partnership', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.partnership', verbose_name='partnership')),
            ],
            options={
                'verbose_name': 'message',
                'verbose_name_plural': 'messages',
            },
        ),
        migrations.CreateModel(
            name='MessageEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(max_length=40, verbose_name='source')),
                ('message_id', models.CharField(max_length=100, verbose_name='message id')),
                ('kind', models.CharField(choices=[('sent', 'Sent'), ('transport_receipt', 'Transport receipt'), ('apprec', 'Application receipt')], max_length=20, verbose_name='kind')),
                ('message_type', models.CharField(blank=True, choices=[('referral', 'Referral'), ('discharge_summary', 'Discharge summary'), ('plo_admission', 'PLO admission report'), ('plo_discharge', 'PLO discharge report'), ('plo_health_info', 'PLO health information'), ('plo_request', 'PLO request'), ('dialogue', 'Dialogue message'), ('lab_requisition', 'Laboratory requisition'), ('lab_result', 'Laboratory result'), ('radiology_requisition', 'Radiology requisition'), ('radiology_result', 'Radiology result'), ('logistics_admitted', 'Logistics: admitted'), ('logistics_ready', 'Logistics: ready for discharge'), ('logistics_discharged', 'Logistics: discharged'), ('logistics_death', 'Logistics: death'), ('request_answer', 'Answer to a request'), ('deviation_message', 'Deviation message'), ('other', 'Other message')], max_length=30, verbose_name='message type')),
                ('sender_her_id', models.CharField(blank=True, max_length=9, validators=[avvik.tenancy.models.validate_her_id], verbose_name='sender HER-id')),
                ('receiver_her_id', models.CharField(blank=True, max_length=9, validators=[avvik.tenancy.models.validate_her_id], verbose_name='receiver HER-id')),
                ('happened_at', models.DateTimeField(verbose_name='when it happened')),
                ('receipt_status', models.CharField(blank=True, choices=[('ok', 'OK'), ('negative', 'Negative')], max_length=10, verbose_name='application receipt')),
                ('error_code', models.CharField(blank=True, max_length=20, verbose_name='error code')),
                ('error_text', models.CharField(blank=True, max_length=300, verbose_name='error text')),
                ('received_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='received')),
                ('partnership', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.partnership', verbose_name='partnership')),
            ],
            options={
                'verbose_name': 'message event',
                'verbose_name_plural': 'message events',
            },
        ),
        migrations.CreateModel(
            name='ResponseTime',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('message_type', models.CharField(choices=[('referral', 'Referral'), ('discharge_summary', 'Discharge summary'), ('plo_admission', 'PLO admission report'), ('plo_discharge', 'PLO discharge report'), ('plo_health_info', 'PLO health information'), ('plo_request', 'PLO request'), ('dialogue', 'Dialogue message'), ('lab_requisition', 'Laboratory requisition'), ('lab_result', 'Laboratory result'), ('radiology_requisition', 'Radiology requisition'), ('radiology_result', 'Radiology result'), ('logistics_admitted', 'Logistics: admitted'), ('logistics_ready', 'Logistics: ready for discharge'), ('logistics_discharged', 'Logistics: discharged'), ('logistics_death', 'Logistics: death'), ('request_answer', 'Answer to a request'), ('deviation_message', 'Deviation message'), ('other', 'Other message')], max_length=30, verbose_name='message type')),
                ('minutes', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(20160)], verbose_name='response time (minutes)')),
                ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='response_times', to='tenancy.partnership', verbose_name='partnership')),
            ],
            options={
                'verbose_name': 'response time',
                'verbose_name_plural': 'response times',
                'ordering': ['message_type'],
            },
        ),
        migrations.CreateModel(
            name='TrafficPolicy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('default_response_minutes', models.PositiveIntegerField(default=240, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(20160)], verbose_name='response time for other message types (minutes)')),
                ('cluster_window_hours', models.PositiveSmallIntegerField(default=24, help_text='Failures of the same kind between the same two parties within this time become one case.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(336)], verbose_name='window for gathering failures (hours)')),
                ('category', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='catalogue.category', verbose_name='category of system deviations')),
                ('partnership', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='traffic_policy', to='tenancy.partnership', verbose_name='partnership')),
            ],
            options={
                'verbose_name': 'message traffic policy',
                'verbose_name_plural': 'message traffic policies',
            },
        ),
        migrations.AddIndex(
            model_name='cluster',
            index=models.Index(fields=['partnership', 'sender_her_id', 'receiver_her_id', 'message_type', 'failure', 'error_code'], name='cluster_kind'),
        ),
        migrations.AddIndex(
            model_name='cluster',
            index=models.Index(fields=['partnership', '-last_failure_at'], name='cluster_partner_last'),
        ),
        migrations.AddIndex(
            model_name='message',
            index=models.Index(fields=['partnership', 'sender_her_id', 'receiver_her_id', 'sent_at'], name='message_pair_sent'),
        ),
        migrations.AddIndex(
            model_name='message',
            index=models.Index(condition=models.Q(('due_at__isnull', False), ('failed_at__isnull', True), ('receipt_at__isnull', True)), fields=['due_at'], name='message_awaiting_receipt'),
        ),
        migrations.AddIndex(
            model_name='message',
            index=models.Index(condition=models.Q(('cluster__isnull', True), ('failed_at__isnull', False)), fields=['failed_at'], name='message_failed_unclustered'),
        ),
        migrations.AddConstraint(
            model_name='message',
            constraint=models.UniqueConstraint(fields=('source', 'message_id'), name='message_once_per_source'),
        ),
        migrations.AddConstraint(
            model_name='messageevent',
            constraint=models.UniqueConstraint(fields=('source', 'message_id', 'kind'), name='message_event_once_per_source'),
        ),
        migrations.AddConstraint(
            model_name='responsetime',
            constraint=models.UniqueConstraint(fields=('partnership', 'message_type'), name='response_time_once_per_type'),
        ),
    ]
