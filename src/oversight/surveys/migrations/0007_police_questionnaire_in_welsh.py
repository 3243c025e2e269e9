"""The standard police questionnaire's Welsh wording, so its campaigns can be bilingual (docs/welsh.md).

A translation adds no question and changes no answer's meaning, so it is written even where the
questionnaire is frozen. Each text is looked up by its English wording; one without a Welsh wording
stays English.
"""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).parent / 'initial_data' / 'police-questionnaire.cy.json'


def welsh(apps, schema_editor):
    Section = apps.get_model('surveys', 'Section')
    Question = apps.get_model('surveys', 'Question')
    data = json.loads(DATA.read_text(encoding='utf-8'))
    words = data['welsh']
    sections = list(Section.objects.filter(questionnaire__slug=data['questionnaire']))
    for section in sections:
        section.title_cy = words.get(section.title, '')
        section.introduction_cy = words.get(section.introduction, '') if section.introduction else ''
    Section.objects.bulk_update(sections, ['title_cy', 'introduction_cy'])
    questions = list(Question.objects.filter(section__in=sections))
    for question in questions:
        question.text_cy = words.get(question.text, '')
        question.help_text_cy = words.get(question.help_text, '') if question.help_text else ''
        question.choices_cy = [[value, words[label]] for value, label in question.choices if label in words]
    Question.objects.bulk_update(questions, ['text_cy', 'help_text_cy', 'choices_cy'])


def english_only(apps, schema_editor):
    data = json.loads(DATA.read_text(encoding='utf-8'))
    apps.get_model('surveys', 'Section').objects.filter(questionnaire__slug=data['questionnaire']).update(
        title_cy='', introduction_cy=''
    )
    apps.get_model('surveys', 'Question').objects.filter(section__questionnaire__slug=data['questionnaire']).update(
        text_cy='', help_text_cy='', choices_cy=[]
    )


class Migration(migrations.Migration):
    dependencies = [('surveys', '0006_welsh_questionnaire_text')]
    operations = [migrations.RunPython(welsh, english_only)]
