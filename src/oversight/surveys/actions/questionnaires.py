"""Questionnaires: a new version to edit, and its questions changed before any campaign opens with it."""

from django.db import transaction

from oversight.core.audit import save_audited
from oversight.core.permissions import check, sees_everything

from ..models import Question, Questionnaire
from .common import REGULATOR_ONLY


@transaction.atomic
def copy_questionnaire(actor, questionnaire: Questionnaire, *, slug: str, title: str = '') -> Questionnaire:
    """A new, editable version of a questionnaire, e.g. to change questions for the next campaign."""
    check(actor, sees_everything, message=REGULATOR_ONLY)
    copy = Questionnaire(
        slug=slug,
        title=title or questionnaire.title,
        version=questionnaire.version + 1,
        based_on=questionnaire,
        description=questionnaire.description,
        source_url=questionnaire.source_url,
    )
    save_audited(actor, copy, f'New version of {questionnaire.slug}')
    for section in questionnaire.sections.prefetch_related('questions'):
        questions = list(section.questions.all())
        section.pk, section.questionnaire = None, copy
        section.save()
        for question in questions:
            question.pk, question.section = None, section
        Question.objects.bulk_create(questions)
    return copy


@transaction.atomic
def update_question(actor, question: Question, **changes) -> Question:
    """Change a question of a questionnaire that no campaign has opened with yet."""
    check(actor, sees_everything, message=REGULATOR_ONLY)
    for name, value in changes.items():
        setattr(question, name, value)
    return save_audited(actor, question, f'Question {question.number} changed')
