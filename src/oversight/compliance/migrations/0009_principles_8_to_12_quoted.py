"""Principles 8 to 12 as the Code's own words, each with its source (initial_data/principles.json).

They were loaded unverified (0002), principle 11 paraphrased. Every row is brought to what the file says now:
1 to 7 and 10 to 12 as a High Court judgment quotes the Code, 8 and 9 as a police force bound by it quotes it.
"""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).parent / 'initial_data' / 'principles.json'
FIELDS = ['text', 'wording_verified', 'source_url', 'source']


def quoted_principles(apps, schema_editor):
    Principle = apps.get_model('compliance', 'Principle')
    rows = {row['number']: row for row in json.loads(DATA.read_text(encoding='utf-8'))['principles']}
    principles = list(Principle.objects.all())
    for principle in principles:
        for field in FIELDS:
            setattr(principle, field, rows[principle.number][field])
    Principle.objects.bulk_update(principles, FIELDS)


class Migration(migrations.Migration):
    dependencies = [
        ('compliance', '0008_review_task_occurrences'),
    ]

    operations = [
        migrations.RunPython(quoted_principles, migrations.RunPython.noop),
    ]
