
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0012_potential_consequence_and_six_grades'),
        ('tenancy', '0005_partnership_council_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='deviation',
            name='merged_into',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='merged_duplicates', to='cases.deviation', verbose_name='merged into'),
        ),
        migrations.AlterField(
            model_name='deviation',
            name='status',
            field=models.CharField(choices=[('submitted', 'Submitted'), ('forwarded', 'Forwarded'), ('in_progress', 'In progress'), ('waiting', 'Waiting for the reporter'), ('answered', 'Answered'), ('closed', 'Closed'), ('rejected', 'Rejected'), ('withdrawn', 'Withdrawn'), ('merged', 'Merged')], default='submitted', max_length=20, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='transition',
            name='from_status',
            field=models.CharField(blank=True, choices=[('submitted', 'Submitted'), ('forwarded', 'Forwarded'), ('in_progress', 'In progress'), ('waiting', 'Waiting for the reporter'), ('answered', 'Answered'), ('closed', 'Closed'), ('rejected', 'Rejected'), ('withdrawn', 'Withdrawn'), ('merged', 'Merged')], max_length=20, verbose_name='from'),
        ),
        migrations.AlterField(
            model_name='transition',
            name='to_status',
            field=models.CharField(choices=[('submitted', 'Submitted'), ('forwarded', 'Forwarded'), ('in_progress', 'In progress'), ('waiting', 'Waiting for the reporter'), ('answered', 'Answered'), ('closed', 'Closed'), ('rejected', 'Rejected'), ('withdrawn', 'Withdrawn'), ('merged', 'Merged')], max_length=20, verbose_name='to'),
        ),
        migrations.CreateModel(
            name='Relation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('same_event', 'Same event'), ('duplicate_of', 'Duplicate of'), ('caused_by', 'Caused by')], max_length=20, verbose_name='kind')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.partnership', verbose_name='partnership')),
                ('source', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='relations_from', to='cases.deviation', verbose_name='case')),
                ('target', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='relations_to', to='cases.deviation', verbose_name='related case')),
            ],
            options={
                'verbose_name': 'relation between cases',
                'verbose_name_plural': 'relations between cases',
                'ordering': ['created_at', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('source', 'target'), name='relation_once_per_pair', violation_error_message='The two cases are already related.'), models.CheckConstraint(condition=models.Q(('source', models.F('target')), _negated=True), name='relation_between_two_cases', violation_error_message='A case cannot be related to itself.')],
            },
        ),
    ]
