"""The return's journey as its pages show it: the task list, one section's questions, check your answers.

Presentation trees only (no writes, no requests): the views pass them to the templates.
"""

import dataclasses
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .answers import MANUFACTURERS, Schema, answer_key, lines_of
from .crosschecks import CrossCheck, section_warnings
from .models import Invitation, Question, Return, Section
from .prefill import register_devices
from .views.common import present

NOT_STARTED, IN_PROGRESS, COMPLETED, CANNOT_START = 'Not started', 'In progress', 'Completed', 'Cannot start yet'
# The tag colour GOV.UK's task list gives each status ("Completed" is plain text).
STATUS_TAGS = {NOT_STARTED: 'govuk-tag--blue', IN_PROGRESS: 'govuk-tag--light-blue', CANNOT_START: ''}
# The statuses as the page shows them, in the page's language (the constants above drive the logic).
STATUS_LABELS = {
    NOT_STARTED: gettext_lazy('Not started'),
    IN_PROGRESS: gettext_lazy('In progress'),
    COMPLETED: gettext_lazy('Completed'),
    CANNOT_START: gettext_lazy('Cannot start yet'),
}


def section_status(section: Section, survey_return: Return | None) -> str:
    if survey_return is None:
        return NOT_STARTED
    if section.code in survey_return.completed_sections:
        return COMPLETED
    prefix = f'{section.code}.'
    return IN_PROGRESS if any(key.startswith(prefix) for key in survey_return.answers) else NOT_STARTED


@dataclass
class Task:
    title: str
    status: str
    url: str = ''  # empty while the task cannot start
    hint: str = ''

    @property
    def tag_class(self) -> str:
        return STATUS_TAGS.get(self.status, '')

    @property
    def label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))


def task_list(schema: Schema, invitation: Invitation, survey_return: Return | None) -> tuple[list[Task], Task]:
    """The sections' tasks, and the last one: check your answers, which waits for every section."""
    tasks = [
        Task(
            section.shown_title,
            section_status(section, survey_return),
            reverse('surveys:return_section', args=[invitation.pk, section.code]),
            _('Your force’s equipment of this kind')
            if section.category
            else _('Your Senior Responsible Officer, assessments and certification'),
        )
        for section in schema.sections
    ]
    ready = all(task.status == COMPLETED for task in tasks)
    check = Task(
        _('Check your answers and submit'),
        NOT_STARTED if ready else CANNOT_START,
        reverse('surveys:return_check', args=[invitation.pk]) if ready else '',
        '' if ready else _('You can check your answers once every section is completed.'),
    )
    return tasks, check


def field_id(question: Question, row: str = 'b1') -> str:
    """The id of a question's first input, which the error summary links to."""
    if question.kind == Question.Kind.MANUFACTURER_LINES:
        return f'line-{question.section.code}-{row}-manufacturer'
    if question.kind in (Question.Kind.YES_NO_UNKNOWN, Question.Kind.CHOICE, Question.Kind.MULTIPLE_CHOICE):
        return f'id_{question.key}-1'
    return f'id_{question.key}'


def line_rows(answers: dict, category: str) -> list[tuple[str, dict]]:
    """Rows r1, r2... for the lines, then a blank row b1 to add one."""
    rows = [(f'r{n}', line) for n, line in enumerate(answers.get(answer_key(category, MANUFACTURERS)) or [], 1)]
    return rows + [('b1', {})]


@dataclass
class Item:
    question: Question
    field: object = None  # the bound form field; None for manufacturer lines
    lines: list = dataclasses.field(default_factory=list)
    errors: list[str] = dataclasses.field(default_factory=list)
    condition: str = ''  # "Answer this if..." for a question shown whatever its condition's answer
    source: str = ''  # where a pre-filled answer came from
    evidence: list[dict] = dataclasses.field(default_factory=list)
    warnings: list[CrossCheck] = dataclasses.field(default_factory=list)
    # choice value -> the questions revealed when it is chosen (GOV.UK conditional reveal)
    reveals: dict[str, list['Item']] = dataclasses.field(default_factory=dict)

    @property
    def id(self) -> str:
        return field_id(self.question, self.lines[0][0] if self.lines else 'b1')

    @property
    def choices(self) -> list[tuple[int, str, str, list['Item']]]:
        """(position from 1, value, label, the questions it reveals) for each choice."""
        return [
            (n, value, label, self.reveals.get(value, []))
            for n, (value, label) in enumerate(self.question.choice_pairs(), 1)
        ]

    @property
    def base_id(self) -> str:
        """What the ids of the question's hint, source and warnings start with."""
        return f'id_{self.question.key}'

    @property
    def described_by(self) -> str:
        """The ids of the hint, source and warnings a screen reader reads with the question."""
        base = self.base_id
        parts = [f'{base}-hint' if self.question.shown_help_text or self.condition else '']
        parts += [f'{base}-source' if self.source else '', f'{base}-warning' if self.warnings else '']
        return ' '.join(part for part in parts if part)


def section_items(
    schema: Schema, section: Section, form, answers: dict, *, errors: dict, sources: dict, evidence: dict, warnings
) -> list[Item]:
    """The section's questions as a tree: a question asked only for one answer of another is revealed by it."""
    items: dict[str, Item] = {}
    top: list[Item] = []
    for question in section.questions.all():
        key = question.key
        item = Item(
            question,
            field=None if question.kind == Question.Kind.MANUFACTURER_LINES else form[key],
            lines=line_rows(answers, section.code) if question.kind == Question.Kind.MANUFACTURER_LINES else [],
            errors=errors.get(key, []),
            source=sources.get(key, ''),
            evidence=evidence.get(key, []),
            warnings=[w for w in warnings if w.key == key],
        )
        items[question.code] = item
        parent = items.get(question.condition_question)
        if parent is not None and len(question.condition_values) == 1:
            parent.reveals.setdefault(question.condition_values[0], []).append(item)
        else:
            # Asked for several answers of another: shown, and not required unless it applies (no script needed).
            item.condition = schema.condition_text(question)
            top.append(item)
    return top


def section_warnings_for(schema, section, answers, invitation, *, register_devices) -> list[CrossCheck]:
    from .concerns import ConcernResolver

    resolver = ConcernResolver(invitation.campaign.concern_list) if section.category else None
    return section_warnings(schema, section, answers, resolver=resolver, register_devices=register_devices)


def return_warnings(schema, answers, invitation) -> list[CrossCheck]:
    """Every cross-check warning a whole return's answers raise, as a submission is checked (web and API)."""
    devices = register_devices(invitation.organisation)
    return [
        warning
        for section in schema.sections
        for warning in section_warnings_for(schema, section, answers, invitation, register_devices=devices)
    ]


def confirmed_warnings(schema: Schema, invitation: Invitation, survey_return: Return) -> list[str]:
    """The warnings the body confirmed, in the page's language where the warning still stands as confirmed."""
    standing = {
        (warning.code, warning.message): warning.shown
        for warning in return_warnings(schema, survey_return.answers, invitation)
    }
    return [
        standing.get((record['code'], record['message']), record['message'])
        for record in survey_return.confirmed_warnings
    ]


def answer_text(question: Question, answers: dict) -> str:
    if question.kind == Question.Kind.MANUFACTURER_LINES:
        lines = lines_of(answers, question.section.code)
        if not lines:
            return _('None')
        return '; '.join(
            ' '.join(part for part in (line['manufacturer'], line['brand'], line['model']) if part)
            + f' × {line["quantity"] or "?"}'
            for line in lines
        )
    return present(question, answers.get(question.key))


@dataclass
class SummaryRow:
    question: Question
    answer: str
    lines: list[dict]
    change_url: str


def summary(schema: Schema, invitation: Invitation, answers: dict) -> list[tuple[Section, list[SummaryRow]]]:
    """Check your answers: each section's questions that apply, with their answers and a link to change them."""
    sections = []
    for section in schema.sections:
        url = reverse('surveys:return_section', args=[invitation.pk, section.code])
        rows = [
            SummaryRow(
                question,
                answer_text(question, answers),
                lines_of(answers, section.code) if question.kind == Question.Kind.MANUFACTURER_LINES else [],
                f'{url}#{field_id(question, "r1" if lines_of(answers, section.code) else "b1")}',
            )
            for question in section.questions.all()
            if schema.applies(question, answers)
        ]
        sections.append((section, rows))
    return sections


def answer_table(schema: Schema, answers: dict) -> list[tuple[str, str, str]]:
    """(number, question, answer) for each question that applies: the receipt's copy of the return."""
    return [
        (question.number, question.shown_text, answer_text(question, answers))
        for question in schema.questions.values()
        if schema.applies(question, answers)
    ]
