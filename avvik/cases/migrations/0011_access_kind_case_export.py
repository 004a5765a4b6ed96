from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0010_message_channel_and_apprec_error'),
    ]

    operations = [
        migrations.AlterField(
            model_name='accesslog',
            name='kind',
            field=models.CharField(choices=[('case', 'Opened the case'), ('patient', 'Viewed the patient reference'), ('attachment', 'Downloaded an attachment'), ('export', 'Exported a list'), ('patient_search', "Found the case by the patient's identity number"), ('case_export', 'Exported the case')], max_length=20, verbose_name='what'),
        ),
    ]
