
import avvik.tenancy.models
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('tenancy', '0005_partnership_council_name'),
    ]

    operations = [
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
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='last changed')),
                ('partnership', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.partnership', verbose_name='partnership')),
            ],
            options={
                'verbose_name': 'message',
                'verbose_name_plural': 'messages',
                'indexes': [models.Index(fields=['partnership', 'sender_her_id', 'receiver_her_id', 'sent_at'], name='message_pair_sent')],
                'constraints': [models.UniqueConstraint(fields=('source', 'message_id'), name='message_once_per_source')],
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
                'constraints': [models.UniqueConstraint(fields=('source', 'message_id', 'kind'), name='message_event_once_per_source')],
            },
        ),
    ]
