
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('outbox', '0004_notification_kinds_reply_and_answered'),
    ]

    operations = [
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=[('new_case', 'New deviation for triage'), ('forwarded', 'Deviation forwarded to your organisation'), ('reporter_forwarded', 'Your deviation is forwarded'), ('question', 'A question about your deviation'), ('answered', 'Your deviation has been answered'), ('closed', 'Your deviation is closed'), ('rejected', 'Your deviation is rejected'), ('comment', 'New comment on a deviation'), ('reporter_replied', 'The reporter has answered your question'), ('case_answered', 'A deviation is answered, ready to close'), ('reminder_before', 'Answer due soon'), ('reminder_due', 'Answer due today'), ('escalation_leader', 'Answer overdue'), ('escalation_contact_point', 'Answer overdue, escalated to the contact point'), ('triage_overdue', 'Triage overdue'), ('daily_digest', 'Daily summary'), ('weekly_digest', 'Weekly summary for your organisation'), ('report_ready', 'Quarterly report ready'), ('measure_due', 'Measure due soon'), ('measure_overdue', 'Measure overdue'), ('alert_unrecorded', 'Statutory alert not recorded'), ('breach_decision_due', 'Personal-data breach: decision due'), ('invitation', 'Invitation to Samhandling'), ('merged', 'Your deviation is merged with another case'), ('merged_into', 'Another report is merged into your deviation')], max_length=30, verbose_name='kind'),
        ),
    ]
