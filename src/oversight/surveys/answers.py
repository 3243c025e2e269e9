"""Answers checked against the questionnaire: value types for a draft, completeness for a submission.

Answers are keyed "<section>.<question>". A manufacturer-lines answer is a list of lines, each
{"manufacturer", "brand", "model", "quantity"} (and "removed": true once a correction withdraws it).
Every problem is collected, never only the first, and named by question number and text or by
manufacturer line, so the web form, the workbook upload and the actions report alike.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oversight.core.text import hidden_character
from oversight.register.models import Category
from oversight.register.values import MAX_QUANTITY

from .models import Question, Questionnaire, Section, YesNoUnknown

CATEGORY_LABELS = dict(Category.choices)
LINE_TEXT_LIMITS = {'manufacturer': 200, 'brand': 100, 'model': 100}
LINE_FIELDS = (*LINE_TEXT_LIMITS, 'quantity')
# A line's fields as its problems name them, in the language of the page or email.
LINE_FIELD_NAMES = {
    'manufacturer': gettext_lazy('manufacturer'),
    'brand': gettext_lazy('brand'),
    'model': gettext_lazy('model'),
    'quantity': gettext_lazy('quantity'),
}
# The per-category questions interchange files and findings depend on.
OPERATES, AWARE, MANUFACTURERS = 'operates', 'aware_of_concerns', 'manufacturers'
YES_NO_UNKNOWN = frozenset(YesNoUnknown.values)


@dataclass(frozen=True)
class Problem:
    where: str  # an answer key, "<key>.<line number>", or "" for the return as a whole
    message: str

    def __str__(self) -> str:
        return self.message


def raise_problems(problems: list[Problem]) -> None:
    """One ValidationError keyed by where each problem is, so a form shows it beside its question."""
    if problems:
        errors: dict[str, list[str]] = {}
        for problem in problems:
            errors.setdefault(problem.where or NON_FIELD_ERRORS, []).append(problem.message)
        raise ValidationError(errors)


def answer_key(section: str, question: str) -> str:
    return f'{section}.{question}'


def lines_of(answers: dict, category: str, *, include_removed: bool = False) -> list[dict]:
    """A category's manufacturer lines; those a correction withdrew are left out unless asked for."""
    lines = answers.get(answer_key(category, MANUFACTURERS)) or []
    return lines if include_removed else [line for line in lines if not line.get('removed')]


class Schema:
    """A questionnaire's questions in order, loaded once (two queries), keyed by answer key."""

    def __init__(self, questionnaire: Questionnaire):
        self.questionnaire = questionnaire
        self.sections = list(Section.objects.filter(questionnaire=questionnaire).prefetch_related('questions'))
        self.questions: dict[str, Question] = {}
        for section in self.sections:
            for question in section.questions.all():
                question.section = section  # building keys must not query once per question
                self.questions[question.key] = question

    def category_sections(self) -> list[Section]:
        return [s for s in self.sections if s.category]

    def label(self, key: str) -> str:
        question = self.questions.get(key)
        if question is None:
            return key
        return f'{question.section.shown_title}, {question.number}: {question.shown_text}'

    def condition_text(self, question: Question) -> str:
        """ "Answer this if 1.1 is Yes." for a conditional question; empty otherwise."""
        condition = self.questions.get(question.condition_key) if question.condition_question else None
        if condition is None:
            return ''
        labels = dict(condition.choice_pairs())
        values = _(' or ').join(labels.get(v, v) for v in question.condition_values)
        return _('Answer this if your answer to %(number)s is %(values)s.') % {
            'number': condition.number,
            'values': values,
        }

    def applies(self, question: Question, answers: dict) -> bool:
        """Whether a conditional question is asked, given the answers so far."""
        if not question.condition_question:
            return True
        return answers.get(question.condition_key) in question.condition_values


def clean_answer(question: Question, raw) -> tuple[object, str]:
    """(JSON value or None when unanswered, error message or '') for a raw form or workbook value."""
    kind = question.kind
    if kind == Question.Kind.MULTIPLE_CHOICE:
        values = raw if isinstance(raw, list | tuple) else [v.strip() for v in str(raw or '').split(',')]
        values = [str(v).strip() for v in values if str(v).strip()]
        allowed = question.choice_values()
        unknown = [v for v in values if v not in allowed]
        if unknown:
            return None, _('"%(given)s" is not one of %(allowed)s.') % {
                'given': ', '.join(unknown),
                'allowed': ', '.join(allowed),
            }
        return (sorted(set(values), key=allowed.index) or None), ''
    text = str(raw if raw is not None else '').strip()
    if not text:
        return None, ''
    if kind in (Question.Kind.YES_NO_UNKNOWN, Question.Kind.CHOICE):
        lowered = text.lower()
        if lowered in question.choice_values():
            return lowered, ''
        return None, _('"%(given)s" is not one of %(allowed)s.') % {
            'given': text,
            'allowed': ', '.join(question.choice_values()),
        }
    if kind == Question.Kind.NUMBER:
        return _whole_number(text, 0)
    if kind == Question.Kind.DATE:
        try:
            return datetime.date.fromisoformat(text).isoformat(), ''
        except ValueError:
            return None, _('"%(given)s" is not a date: write it as YYYY-MM-DD, e.g. 2022-08-31.') % {'given': text}
    if hidden := hidden_character(text):
        return None, hidden
    return text, ''


def _whole_number(text: str, minimum: int) -> tuple[int | None, str]:
    """A count of devices from `minimum` to MAX_QUANTITY; its length is checked before it is read as a number."""
    readable = text.isascii() and text.isdigit() and len(text) <= len(str(MAX_QUANTITY))
    if readable and minimum <= int(text) <= MAX_QUANTITY:
        return int(text), ''
    shown = text if len(text) <= 20 else f'{text[:20]}…'
    return None, _('"%(given)s" is not a whole number from %(minimum)s to %(maximum)s.') % {
        'given': shown,
        'minimum': minimum,
        'maximum': f'{MAX_QUANTITY:,}',
    }


def clean_quantity(raw) -> tuple[int | None, str]:
    text = str(raw if raw is not None else '').strip()
    if not text:
        return None, ''
    return _whole_number(text, 1)


def clean_line(raw: dict) -> tuple[dict | None, list[tuple[str, str]]]:
    """A manufacturer line from raw fields, and (field, problem) pairs; (None, []) for an empty line."""
    texts = {name: str(raw.get(name) or '').strip() for name in LINE_TEXT_LIMITS}
    quantity, quantity_error = clean_quantity(raw.get('quantity'))
    if not any(texts.values()) and quantity is None and not quantity_error:
        return None, []
    errors = [
        (name, _('longer than %(limit)s characters.') % {'limit': limit})
        for name, limit in LINE_TEXT_LIMITS.items()
        if len(texts[name]) > limit
    ]
    errors += [(name, hidden) for name, text in texts.items() if (hidden := hidden_character(text))]
    if not any(texts.values()):
        errors.append(('manufacturer', _('give the manufacturer, brand or model.')))
    if quantity_error:
        errors.append(('quantity', quantity_error))
    return {**texts, 'quantity': quantity}, errors


def line_label(category: str, number: int, title: str = '') -> str:
    """ "External CCTV, manufacturer line 2"; `title` is the section's title where the caller has it."""
    return _('%(category)s, manufacturer line %(number)s') % {
        'category': title or CATEGORY_LABELS.get(category, category),
        'number': number,
    }


def check_answers(schema: Schema, raw_answers: dict) -> tuple[dict, list[Problem]]:
    """Type-check raw answers; unknown keys are refused. Returns the cleaned answers and the problems."""
    answers, problems = {}, []
    for key, raw in raw_answers.items():
        question = schema.questions.get(key)
        if question is None:
            problems.append(Problem('', f'"{key}" is not a question of {schema.questionnaire.slug}.'))
        elif question.kind == Question.Kind.MANUFACTURER_LINES:
            lines = []
            for raw_line in raw or []:
                line, errors = clean_line(raw_line)
                if line is None:
                    continue
                lines.append(line)
                label = line_label(question.section.code, len(lines), question.section.shown_title)
                problems += [
                    Problem(f'{key}.{len(lines)}', f'{label}, {LINE_FIELD_NAMES[name]}: {error}')
                    for name, error in errors
                ]
            if lines:
                answers[key] = lines
        else:
            value, error = clean_answer(question, raw)
            if error:
                problems.append(Problem(key, f'{schema.label(key)} – {error}'))
            elif value is not None:
                answers[key] = value
    return answers, problems


def missing_message(schema: Schema, question: Question) -> str:
    """What to do about an unanswered required question, in the Design System's words."""
    label = schema.label(question.key)
    if question.kind == Question.Kind.MANUFACTURER_LINES:
        return _('Add at least one manufacturer line – %(question)s') % {'question': label}
    if question.kind in (Question.Kind.YES_NO_UNKNOWN, Question.Kind.CHOICE, Question.Kind.MULTIPLE_CHOICE):
        return _('Select an answer – %(question)s') % {'question': label}
    return _('Enter an answer – %(question)s') % {'question': label}


def check_section(schema: Schema, section: Section, answers: dict) -> list[Problem]:
    """What one section must have to be complete: its required answers, and lines consistent with them."""
    problems = []
    for question in section.questions.all():
        key = question.key
        if not question.required or not schema.applies(question, answers):
            continue
        if question.kind == Question.Kind.MANUFACTURER_LINES:
            missing = not lines_of(answers, section.code)
        else:
            missing = answers.get(key) in (None, '', [])
        if missing:
            problems.append(Problem(key, missing_message(schema, question)))
    if section.category:
        lines = lines_of(answers, section.code)
        if answers.get(answer_key(section.code, OPERATES)) == YesNoUnknown.NO and lines:
            problems.append(
                Problem(
                    answer_key(section.code, OPERATES),
                    _(
                        '%(section)s: you answered that you do not operate it, but listed %(count)s '
                        'manufacturer line(s). Change the answer or remove the lines.'
                    )
                    % {'section': section.shown_title, 'count': len(lines)},
                )
            )
    return problems


def check_submission(schema: Schema, answers: dict) -> list[Problem]:
    """Everything a submitted return must have: every section complete."""
    return [problem for section in schema.sections for problem in check_section(schema, section, answers)]


def unasked_removed(schema: Schema, answers: dict) -> dict:
    """The answers without those to questions that no longer apply (a hidden question keeps no answer)."""
    return {
        key: value
        for key, value in answers.items()
        if (question := schema.questions.get(key)) is None or schema.applies(question, answers)
    }


def check_return(schema: Schema, raw_answers: dict, *, submitting: bool) -> dict:
    """The cleaned answers; raises ValidationError listing every problem."""
    answers, problems = check_answers(schema, raw_answers)
    if submitting and not problems:
        problems = check_submission(schema, answers)
    raise_problems(problems)
    return answers
