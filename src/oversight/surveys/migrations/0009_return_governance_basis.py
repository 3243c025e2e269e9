"""Say how a return's governance records were obtained (`Return.governance_basis`, `governance_as_of`).

A return submitted through the web or the API since 0008 took them at its submission: it is marked so. Any
other submitted return (imported, or submitted before 0008) kept none and is left "not taken", for
`oversight fill-return-governance` to rebuild from the audit trail (docs/findings.md).
"""

from django.db import migrations, models
from django.db.migrations.recorder import MigrationRecorder


def mark_taken_at_submission(apps, schema_editor):
    applied = (
        MigrationRecorder(schema_editor.connection)
        .migration_qs.filter(app='surveys', name='0008_governance_at_submission')
        .values_list('applied', flat=True)
        .first()
    )
    if applied is None:
        return
    Return = apps.get_model('surveys', 'Return')
    taken = Return.objects.filter(last_submitted_at__gte=applied).exclude(source='import')
    taken.update(governance_basis='submission', governance_as_of=models.F('last_submitted_at'))


class Migration(migrations.Migration):
    dependencies = [
        ('surveys', '0008_governance_at_submission'),
    ]

    operations = [
        migrations.AddField(
            model_name='return',
            name='governance_as_of',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='return',
            name='governance_basis',
            field=models.CharField(
                blank=True,
                choices=[
                    ('', 'Not taken'),
                    ('submission', 'Taken at submission'),
                    ('reconstructed', 'Reconstructed from the audit history'),
                    ('not_available', 'Not available'),
                ],
                default='',
                editable=False,
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name='return',
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(('governance_as_of__isnull', True), ('governance_basis', '')),
                    models.Q(models.Q(('governance_basis', ''), _negated=True), ('governance_as_of__isnull', False)),
                    _connector='OR',
                ),
                name='return_governance_basis_has_its_date',
            ),
        ),
        migrations.RunPython(mark_taken_at_submission, migrations.RunPython.noop),
    ]
