"""The six-grade consequence scale in deadline policies: serious becomes significant, critical becomes
very serious, and death gets the deadlines "critical or death" had."""

from django.db import migrations, models

FORWARD = {"serious": "significant", "critical": "very_serious"}


def forward(apps, schema_editor):
    DeadlinePolicy = apps.get_model("deadlines", "DeadlinePolicy")
    for old, new in FORWARD.items():
        DeadlinePolicy.objects.filter(consequence=old).update(consequence=new)
    for policy in DeadlinePolicy.objects.filter(consequence="very_serious"):
        DeadlinePolicy.objects.get_or_create(
            partnership_id=policy.partnership_id,
            category_id=policy.category_id,
            consequence="death",
            defaults={"triage_days": policy.triage_days, "answer_days": policy.answer_days},
        )


def backward(apps, schema_editor):
    DeadlinePolicy = apps.get_model("deadlines", "DeadlinePolicy")
    DeadlinePolicy.objects.filter(consequence="death").delete()
    for old, new in FORWARD.items():
        DeadlinePolicy.objects.filter(consequence=new).update(consequence=old)


class Migration(migrations.Migration):

    dependencies = [
        ('deadlines', '0002_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='deadlinepolicy',
            name='consequence',
            field=models.CharField(blank=True, choices=[('none', 'None'), ('minor', 'Minor'), ('moderate', 'Moderate'), ('significant', 'Significant'), ('very_serious', 'Very serious'), ('death', 'Death')], help_text='Empty: every consequence.', max_length=20, verbose_name='consequence'),
        ),
        migrations.RunPython(forward, backward),
    ]
