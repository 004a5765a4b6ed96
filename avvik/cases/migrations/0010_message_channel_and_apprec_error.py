
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0009_savedfilter'),
    ]

    operations = [
        migrations.AddField(
            model_name='deviation',
            name='apprec_error_code',
            field=models.CharField(blank=True, max_length=20, verbose_name='AppRec error code'),
        ),
        migrations.AddField(
            model_name='deviation',
            name='channel',
            field=models.CharField(blank=True, choices=[('health_network', 'Electronic message over Norsk Helsenett'), ('paper', 'Paper or letter'), ('fax', 'Fax'), ('email', 'E-mail'), ('phone', 'Telephone'), ('other', 'Other channel')], max_length=20, verbose_name='channel used'),
        ),
        migrations.AlterField(
            model_name='deviation',
            name='message_type',
            field=models.CharField(blank=True, choices=[('referral', 'Referral'), ('discharge_summary', 'Discharge summary'), ('plo_admission', 'PLO admission report'), ('plo_discharge', 'PLO discharge report'), ('plo_health_info', 'PLO health information'), ('plo_request', 'PLO request'), ('dialogue', 'Dialogue message'), ('lab_requisition', 'Laboratory requisition'), ('lab_result', 'Laboratory result'), ('radiology_requisition', 'Radiology requisition'), ('radiology_result', 'Radiology result'), ('logistics_admitted', 'Logistics: admitted'), ('logistics_ready', 'Logistics: ready for discharge'), ('logistics_discharged', 'Logistics: discharged'), ('logistics_death', 'Logistics: death'), ('request_answer', 'Answer to a request'), ('deviation_message', 'Deviation message'), ('other', 'Other message')], max_length=30, verbose_name='message type'),
        ),
    ]
