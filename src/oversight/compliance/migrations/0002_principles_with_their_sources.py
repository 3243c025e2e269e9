"""The Code's 12 guiding principles as reference data, each with its source (initial_data/principles.json).

The file is read as it stands when the migration runs: principles 8 to 12 were first loaded unverified,
then quoted (0009).
"""

import json
from pathlib import Path

from django.db import migrations, models

DATA = Path(__file__).parent / 'initial_data' / 'principles.json'


def load_principles(apps, schema_editor):
    Principle = apps.get_model('compliance', 'Principle')
    rows = json.loads(DATA.read_text(encoding='utf-8'))['principles']
    Principle.objects.bulk_create(Principle(**row) for row in rows)


class Migration(migrations.Migration):
    dependencies = [
        ('compliance', '0001_governance'),
    ]

    operations = [
        migrations.CreateModel(
            name='Principle',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(unique=True)),
                ('text', models.TextField()),
                ('wording_verified', models.BooleanField()),
                ('source_url', models.URLField(max_length=500)),
                ('source', models.TextField()),
            ],
            options={
                'ordering': ['number'],
                'constraints': [
                    models.CheckConstraint(
                        condition=models.Q(('number__gte', 1), ('number__lte', 12)), name='principle_number_1_to_12'
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(('source_url', ''), _negated=True), models.Q(('source', ''), _negated=True)
                        ),
                        name='principle_cites_its_source',
                    ),
                ],
            },
        ),
        migrations.RunPython(load_principles, migrations.RunPython.noop),
    ]
