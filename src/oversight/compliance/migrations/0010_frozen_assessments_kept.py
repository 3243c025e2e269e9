import django.db.models.deletion
from django.db import migrations, models

from oversight.core.rules import EnforceRule

# 0004 and 0007 refuse a row written into a frozen assessment (NEW); these refuse one taken out of it (OLD), by
# deleting it or moving it to another assessment, and keep the frozen assessment itself as it was frozen.
WAS_FROZEN = 'EXISTS (SELECT 1 FROM compliance_assessment a WHERE a.id = OLD.assessment_id AND a.frozen_on IS NOT NULL)'
FROZEN_MESSAGE = 'A frozen self-assessment cannot change: start a new version.'


class Migration(migrations.Migration):
    dependencies = [
        ('compliance', '0009_principles_8_to_12_quoted'),
        ('register', '0007_field_labels'),
    ]

    operations = [
        # Deleting a system no longer takes its assessments and evidence with it (the register asks first,
        # core.holds); on_delete is Django's, so nothing in the database changes.
        migrations.AlterField(
            model_name='assessment',
            name='system',
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='register.system'
            ),
        ),
        migrations.AlterField(
            model_name='evidence',
            name='system',
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name='evidence', to='register.system'
            ),
        ),
        EnforceRule(
            name='answer_stays_in_its_frozen_assessment',
            table='compliance_answer',
            columns=['assessment_id', 'principle_id', 'response', 'comment'],
            condition=WAS_FROZEN,
            message=FROZEN_MESSAGE,
            events=['update', 'delete'],
        ),
        EnforceRule(
            name='plan_action_stays_in_its_frozen_assessment',
            table='compliance_planaction',
            columns=['assessment_id', 'principle_id', 'action', 'owner', 'due', 'status'],
            condition=WAS_FROZEN,
            message=FROZEN_MESSAGE,
            events=['update', 'delete'],
        ),
        EnforceRule(
            name='cover_stays_in_its_frozen_assessment',
            table='compliance_assessment_also_covers',
            columns=['assessment_id', 'system_id'],
            condition=WAS_FROZEN,
            message=FROZEN_MESSAGE,
            events=['update', 'delete'],
        ),
        # Publishing and withdrawing (published_on) and the version number still change on a frozen assessment;
        # frozen_by is set to NULL with the person's account, as for any record they made.
        EnforceRule(
            name='frozen_assessment_stays_frozen',
            table='compliance_assessment',
            columns=['frozen_on', 'system_id', 'number'],
            condition='OLD.frozen_on IS NOT NULL AND (NEW.frozen_on IS DISTINCT FROM OLD.frozen_on '
            'OR NEW.system_id IS DISTINCT FROM OLD.system_id OR NEW.number IS DISTINCT FROM OLD.number)',
            message=FROZEN_MESSAGE,
            events=['update'],
        ),
        EnforceRule(
            name='frozen_assessment_kept',
            table='compliance_assessment',
            columns=[],
            condition='OLD.frozen_on IS NOT NULL',
            message='A frozen self-assessment is a version on record and cannot be deleted.',
            events=['delete'],
        ),
    ]
