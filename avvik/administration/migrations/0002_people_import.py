import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('administration', '0001_invitation'),
        ('tenancy', '0006_membership_unit'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HeldPeopleFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name='key')),
                ('name', models.CharField(max_length=300, verbose_name='file name')),
                ('content', models.BinaryField(verbose_name='content')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='received')),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
                ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.partnership', verbose_name='partnership')),
            ],
            options={
                'verbose_name': 'held people file',
                'verbose_name_plural': 'held people files',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='PeopleImport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(max_length=300, verbose_name='file')),
                ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('waiting', 'Waiting for the hourly limit'), ('done', 'Done')], default='queued', max_length=20, verbose_name='status')),
                ('resumes_at', models.DateTimeField(blank=True, null=True, verbose_name='continues')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='imported by')),
                ('partnership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.partnership', verbose_name='partnership')),
            ],
            options={
                'verbose_name': 'people import',
                'verbose_name_plural': 'people imports',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='PeopleImportRow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('line', models.PositiveIntegerField(verbose_name='line')),
                ('email', models.EmailField(max_length=254, verbose_name='e-mail address')),
                ('full_name', models.CharField(max_length=200, verbose_name='full name')),
                ('roles', models.JSONField(default=list, verbose_name='roles')),
                ('status', models.CharField(choices=[('pending', 'Waiting'), ('invited', 'Invited'), ('nothing', 'Nothing to do'), ('refused', 'Refused')], default='pending', max_length=20, verbose_name='status')),
                ('message', models.CharField(blank=True, max_length=500, verbose_name='message')),
                ('invitation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='administration.invitation', verbose_name='invitation')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tenancy.organisation', verbose_name='organisation')),
                ('people_import', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rows', to='administration.peopleimport', verbose_name='people import')),
                ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='tenancy.unit', verbose_name='unit')),
            ],
            options={
                'verbose_name': 'people import row',
                'verbose_name_plural': 'people import rows',
                'ordering': ['people_import', 'line'],
                'indexes': [models.Index(fields=['people_import', 'status', 'line'], name='people_import_row_status')],
                'constraints': [models.UniqueConstraint(fields=('people_import', 'line'), name='people_import_row_unique_line', violation_error_message='The import already has this line.')],
            },
        ),
    ]
