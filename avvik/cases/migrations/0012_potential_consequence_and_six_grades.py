"""The six-grade consequence scale: serious becomes significant, critical becomes very serious, in
cases and in the query strings of saved filters."""

from urllib.parse import parse_qsl, urlencode

from django.db import migrations, models

FORWARD = {"serious": "significant", "critical": "very_serious"}
BACKWARD = {new: old for old, new in FORWARD.items()}
FILTERED = ("consequence", "potential_consequence")


def requery(query, mapping):
    """The query string with the consequence values renamed; the rest as it was."""
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(key in FILTERED and value in mapping for key, value in pairs):
        return query
    return urlencode([(key, mapping.get(value, value) if key in FILTERED else value) for key, value in pairs])


def regrade(apps, mapping):
    Deviation = apps.get_model("cases", "Deviation")
    SavedFilter = apps.get_model("cases", "SavedFilter")
    for old, new in mapping.items():
        Deviation.objects.filter(consequence=old).update(consequence=new)
        Deviation.objects.filter(potential_consequence=old).update(potential_consequence=new)
    for saved in SavedFilter.objects.filter(query__contains="consequence"):
        query = requery(saved.query, mapping)
        if query != saved.query:
            saved.query = query
            saved.save(update_fields=["query"])


def forward(apps, schema_editor):
    regrade(apps, FORWARD)


def backward(apps, schema_editor):
    # Death had no grade of its own before; it was part of "critical or death".
    regrade(apps, {**BACKWARD, "death": "critical"})


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0011_access_kind_case_export'),
    ]

    operations = [
        migrations.AddField(
            model_name='deviation',
            name='potential_consequence',
            field=models.CharField(blank=True, choices=[('none', 'None'), ('minor', 'Minor'), ('moderate', 'Moderate'), ('significant', 'Significant'), ('very_serious', 'Very serious'), ('death', 'Death')], max_length=20, verbose_name='potential consequence'),
        ),
        migrations.AlterField(
            model_name='deviation',
            name='consequence',
            field=models.CharField(choices=[('none', 'None'), ('minor', 'Minor'), ('moderate', 'Moderate'), ('significant', 'Significant'), ('very_serious', 'Very serious'), ('death', 'Death')], max_length=20, verbose_name='consequence'),
        ),
        migrations.RunPython(forward, backward),
    ]
