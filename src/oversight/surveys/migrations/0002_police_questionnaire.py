"""Load the standard police questionnaire (sections per system category and governance) from its data file."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).parent / 'initial_data' / 'police-questionnaire.json'
QUESTION_FIELDS = (
    'code',
    'number',
    'text',
    'help_text',
    'kind',
    'choices',
    'required',
    'condition_question',
    'condition_values',
    'position',
    'source_url',
)


def load(apps, schema_editor):
    Questionnaire = apps.get_model('surveys', 'Questionnaire')
    Section = apps.get_model('surveys', 'Section')
    Question = apps.get_model('surveys', 'Question')
    data = json.loads(DATA.read_text(encoding='utf-8'))
    if Questionnaire.objects.filter(slug=data['slug']).exists():
        return
    questionnaire = Questionnaire.objects.create(
        slug=data['slug'],
        title=data['title'],
        version=data['version'],
        description=data['description'],
        source_url=data['source_url'],
    )
    for entry in data['sections']:
        section = Section.objects.create(
            questionnaire=questionnaire,
            code=entry['code'],
            title=entry['title'],
            category=entry['category'],
            introduction=entry.get('introduction', ''),
            position=entry['position'],
        )
        Question.objects.bulk_create(
            Question(section=section, **{f: q[f] for f in QUESTION_FIELDS}) for q in entry['questions']
        )


def unload(apps, schema_editor):
    apps.get_model('surveys', 'Questionnaire').objects.filter(slug='police-2022', campaigns__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [('surveys', '0001_campaigns_questionnaires_returns')]
    operations = [migrations.RunPython(load, unload)]
