import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0003_names_per_language'),
    ]

    operations = [
        migrations.AddField(
            model_name='agreementclause',
            name='responsible_kind',
            field=models.CharField(choices=[('hospital_trust', 'The hospital trust'), ('municipality', 'The municipality'), ('either', 'Both parties')], default='either', help_text="Whose duty the point is: the hospital trust's (6.2), the municipality's (6.3) or both (6.1).", max_length=20, verbose_name='responsible party'),
        ),
        migrations.AddField(
            model_name='category',
            name='clause',
            field=models.ForeignKey(blank=True, help_text='The point of the agreement a deviation of this category usually breaks.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='catalogue.agreementclause', verbose_name='agreement clause'),
        ),
    ]
