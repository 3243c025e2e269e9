"""Review tasks keep every cause they were raised for (`ReviewTask.occurrences`), not only the first.

An existing task's one known cause is the reason and time it was raised with; causes of later firings were
not kept before this, so none can be recovered.
"""

from django.db import migrations, models


def first_cause(apps, schema_editor):
    ReviewTask = apps.get_model('compliance', 'ReviewTask')
    for task in ReviewTask.objects.only('pk', 'reason', 'raised_at').iterator():
        task.occurrences = [{'raised_at': task.raised_at.isoformat(), 'reason': task.reason}]
        task.save(update_fields=['occurrences'])


class Migration(migrations.Migration):
    dependencies = [
        ('compliance', '0007_group_assessments'),
    ]

    operations = [
        migrations.AddField(
            model_name='reviewtask',
            name='occurrences',
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.AlterField(
            model_name='reviewtask',
            name='reason',
            field=models.TextField(help_text='What first raised the task, in words.'),
        ),
        migrations.RunPython(first_cause, migrations.RunPython.noop),
    ]
