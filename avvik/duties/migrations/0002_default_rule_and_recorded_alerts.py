"""The alert rule in force (varselplikt since Ukom began on 1 May 2019), and the alerts recorded
so far on the case itself, moved to the record of their own."""

import datetime

from django.db import migrations

RECIPIENTS = [
    "Statens helsetilsyn",
    "Statens undersøkelseskommisjon for helse- og omsorgstjenesten (Ukom)",
]


def forwards(apps, schema_editor):
    AlertRule = apps.get_model("duties", "AlertRule")
    StatutoryAlert = apps.get_model("duties", "StatutoryAlert")
    Deviation = apps.get_model("cases", "Deviation")
    rule = AlertRule.objects.create(
        name="Varsel om alvorlige hendelser",
        valid_from=datetime.date(2019, 5, 1),
        consequences=["very_serious", "death"],
        requires_unexpected=True,
        recipients=RECIPIENTS,
        deadline_working_days=None,
        legal_reference="Spesialisthelsetjenesteloven § 3-3 a og helse- og omsorgstjenesteloven § 12-3 a",
    )
    StatutoryAlert.objects.bulk_create(
        StatutoryAlert(
            deviation_id=pk,
            rule=rule,
            sent_at=sent_at,
            recipients=RECIPIENTS,
            recorded_by_id=by,
        )
        for pk, sent_at, by in Deviation.objects.filter(alert_sent_at__isnull=False).values_list(
            "pk", "alert_sent_at", "alert_sent_by"
        )
    )


def backwards(apps, schema_editor):
    apps.get_model("duties", "StatutoryAlert").objects.all().delete()
    apps.get_model("duties", "AlertRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("duties", "0001_alert_rules_alerts_and_breaches")]

    operations = [migrations.RunPython(forwards, backwards)]
