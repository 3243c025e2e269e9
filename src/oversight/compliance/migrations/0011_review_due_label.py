# The task kind says "due", not "date passed": a DPIA with no review date set is due too.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ('compliance', '0010_frozen_assessments_kept'),
    ]

    operations = [
        migrations.AlterField(
            model_name='reviewtask',
            name='kind',
            field=models.CharField(
                choices=[
                    ('dpia_change', 'Review the DPIA after a change'),
                    ('undeclared', 'Reconcile undeclared devices'),
                    ('dpia_due', 'DPIA review due'),
                    ('certification', 'Certificate expiring'),
                    ('action_due', 'Self-assessment action past due'),
                ],
                max_length=20,
            ),
        ),
    ]
