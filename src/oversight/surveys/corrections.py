"""What a correction can change, and the answers with corrections undone or applied. No writes.

The findings and the exports read returns "as published" through `replay`, so it means the same everywhere."""

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from oversight.core.text import whole_number

from . import answers as checks
from .models import Question, Return

LINE_ATTRIBUTES = (*checks.LINE_FIELDS, 'removed')


def correctable_fields(survey_return: Return, schema: checks.Schema | None = None) -> list[tuple[str, str]]:
    """(field, label) of everything a correction can change: each answer, and each line's attributes."""
    schema = schema or checks.Schema(survey_return.campaign.questionnaire)
    fields = []
    for key, question in schema.questions.items():
        if question.kind != Question.Kind.MANUFACTURER_LINES:
            fields.append((key, schema.label(key)))
            continue
        category = question.section.code
        for number, line in enumerate(checks.lines_of(survey_return.answers, category, include_removed=True), 1):
            described = ' '.join(str(line.get(a) or '') for a in ('manufacturer', 'brand', 'model')).split()
            label = f'{checks.line_label(category, number)} ({" ".join(described)})'
            fields += [(f'{key}.{number}.{attribute}', f'{label}: {attribute}') for attribute in LINE_ATTRIBUTES]
    return fields


NOT_A_FIELD = _('"%(field)s" is not a field of this return.')


def corrected_value(schema, answers: dict, field: str, raw) -> tuple[object, object]:
    """(old value, new value) of a correction's field, or a ValidationError naming what is wrong."""
    key, _dot, rest = field.partition('.')
    key = f'{key}.{rest.split(".")[0]}' if rest else key
    question = schema.questions.get(key)
    if question is None:
        raise ValidationError({'field': NOT_A_FIELD % {'field': field}})
    if question.kind != Question.Kind.MANUFACTURER_LINES:
        if field != key:
            raise ValidationError({'field': NOT_A_FIELD % {'field': field}})
        value, error = checks.clean_answer(question, raw)
        if error:
            raise ValidationError({'new_value': error})
        return answers.get(key), value
    number, _dot, attribute = field[len(key) + 1 :].partition('.')
    lines = answers.get(key) or []
    number = whole_number(number)
    if not (number is not None and 1 <= number <= len(lines)) or attribute not in LINE_ATTRIBUTES:
        raise ValidationError({'field': NOT_A_FIELD % {'field': field}})
    old = lines[number - 1].get(attribute, False if attribute == 'removed' else None)
    text = str(raw if raw is not None else '').strip()
    if attribute == 'quantity':
        value, error = checks.clean_quantity(text)
    elif attribute == 'removed':
        value = text.lower() in ('yes', 'true', '1')
        error = '' if text.lower() in ('yes', 'no', 'true', 'false', '1', '0') else f'"{text}" is not yes or no.'
    else:
        value = text
        limit = checks.LINE_TEXT_LIMITS[attribute]
        error = f'It is longer than {limit} characters.' if len(text) > limit else ''
    if error:
        raise ValidationError({'new_value': error})
    return old, value


def apply_value(answers: dict, field: str, value) -> dict:
    """A copy of `answers` with one field (an answer key or a line attribute) set; None removes an answer."""
    answers = {
        k: ([dict(line) for line in v] if isinstance(v, list) and v and isinstance(v[0], dict) else v)
        for k, v in answers.items()
    }
    section, question, *line = field.split('.')
    key = f'{section}.{question}'
    if line:
        number, attribute = line
        target = answers[key][int(number) - 1]
        if attribute == 'removed' and not value:
            target.pop('removed', None)
        else:
            target[attribute] = value
    elif value is None:
        answers.pop(key, None)
    else:
        answers[key] = value
    return answers


# (return id, field, old value, new value) of one correction.
Recorded = tuple[int, str, object, object]


def replay(stored: dict[int, dict], recorded: Sequence[Recorded], chosen: Iterable[Recorded] = ()) -> dict[int, dict]:
    """Returns' answers as first given, with the `chosen` corrections applied again.

    `stored` holds answers as corrected (returns keep them so) and `recorded` every correction of
    those returns, oldest first: undoing them newest first restores what the bodies gave. `chosen`
    (oldest first) are then applied, e.g. those flagged for publication. Copies: `stored` is not changed.
    """
    answers = dict(stored)
    for return_id, field, old, _new in reversed(recorded):
        answers[return_id] = apply_value(answers[return_id], field, old)
    for return_id, field, _old, new in chosen:
        answers[return_id] = apply_value(answers[return_id], field, new)
    return answers
