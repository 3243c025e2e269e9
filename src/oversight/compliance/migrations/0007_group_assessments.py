import importlib

from django.db import migrations, models

from oversight.core.rules import EnforceRule

FROZEN = importlib.import_module('oversight.compliance.migrations.0004_self_assessments').FROZEN
COVERS = 'compliance_assessment_also_covers'


class Migration(migrations.Migration):
    dependencies = [
        ('compliance', '0006_transparency'),
        ('register', '0006_indexes_for_sorts_and_filters'),
    ]

    operations = [
        migrations.AddField(
            model_name='assessment',
            name='also_covers',
            field=models.ManyToManyField(
                blank=True, related_name='group_assessments', to='register.system', verbose_name='also covers'
            ),
        ),
        # A group's systems are the assessed system's body's, other than itself; a frozen version keeps its group.
        EnforceRule(
            name='covered_system_of_the_same_body',
            table=COVERS,
            columns=['assessment_id', 'system_id'],
            condition='EXISTS (SELECT 1 FROM compliance_assessment a JOIN register_system s ON s.id = a.system_id '
            'JOIN register_system c ON c.id = NEW.system_id WHERE a.id = NEW.assessment_id '
            'AND (c.organisation_id <> s.organisation_id OR c.id = s.id))',
            message='An assessment covers other systems of its own body only.',
        ),
        EnforceRule(
            name='cover_not_of_a_frozen_assessment',
            table=COVERS,
            columns=['assessment_id', 'system_id'],
            condition=FROZEN,
            message='A frozen self-assessment cannot change: start a new version.',
        ),
    ]
