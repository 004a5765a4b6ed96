
import django.db.models.deletion
from django.db import migrations, models


def organisation_admins_keep_escalations(apps, schema_editor):
    """Until now the organisation administrator received escalations; they become managers as well."""
    Membership = apps.get_model("tenancy", "Membership")
    Membership.objects.bulk_create(
        [
            Membership(user_id=row.user_id, role="leader", partnership_id=row.partnership_id, organisation_id=row.organisation_id)
            for row in Membership.objects.filter(role="org_admin")
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('tenancy', '0003_user_keyboard_shortcuts'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='membership',
            name='membership_role_matches_scope',
        ),
        migrations.AlterField(
            model_name='membership',
            name='organisation',
            field=models.ForeignKey(blank=True, help_text='Required for roles in an organisation; empty for partnership roles.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='tenancy.organisation', verbose_name='organisation'),
        ),
        migrations.AlterField(
            model_name='membership',
            name='role',
            field=models.CharField(choices=[('reporter', 'Reporter'), ('handler', 'Deviation handler'), ('leader', 'Manager'), ('org_admin', 'Organisation administrator'), ('message_owner', 'Message traffic owner'), ('coordinator', 'Contact point coordinator'), ('council', 'Council member'), ('partnership_admin', 'Partnership administrator')], max_length=20, verbose_name='role'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('role__in', ('reporter', 'handler', 'leader', 'org_admin', 'message_owner')), ('organisation__isnull', False)), models.Q(('role__in', ('coordinator', 'council', 'partnership_admin')), ('organisation__isnull', True)), _connector='OR'), name='membership_role_matches_scope', violation_error_message='Reporters, handlers, managers, organisation administrators and message traffic owners belong to an organisation; coordinators, council members and partnership administrators to a partnership only.'),
        ),
        migrations.RunPython(organisation_admins_keep_escalations, migrations.RunPython.noop),
    ]
