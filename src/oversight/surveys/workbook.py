"""A body's return as an Excel workbook: downloaded pre-filled, completed offline, uploaded back.

The first sheet holds one row per answer and one per manufacturer line, keyed like the return's
answers, so it is read with the shared spreadsheet reader (size bound, crafted XML refused). Its
"about" rows name the campaign, body and questionnaire version, with a signature, so a workbook
of another body or another questionnaire version is refused rather than misread.
"""

import io

from django.core import signing
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from oversight.core.exports import safe_cell
from oversight.core.spreadsheets import SpreadsheetError, read_upload

from .answers import LINE_TEXT_LIMITS, Schema, clean_answer, clean_line, line_label
from .models import Invitation, Question

HEADERS = (
    'key',
    'section',
    'number',
    'question',
    'allowed answers',
    'answer',
    'manufacturer',
    'brand',
    'model',
    'quantity',
)
ABOUT = ('about.campaign', 'about.body', 'about.questionnaire', 'about.signature')
SALT = 'oversight.surveys.workbook'
BLANK_LINES = 5
HEADER_FILL = PatternFill('solid', fgColor='DDDDDD')
INPUT_FILL = PatternFill('solid', fgColor='FFF7BF')


class WorkbookError(Exception):
    """The upload was refused; `problems` lists every reason with its sheet, row and column."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__('\n'.join(problems))


def _signature(invitation: Invitation) -> str:
    campaign = invitation.campaign
    return signing.dumps(
        {'campaign': campaign.slug, 'body': invitation.organisation_id, 'questionnaire': campaign.questionnaire.slug},
        salt=SALT,
        compress=True,
    )


def _allowed(question: Question) -> str:
    if question.kind == Question.Kind.MULTIPLE_CHOICE:
        return 'any of: ' + ', '.join(question.choice_values()) + ' (separated by commas)'
    if question.choice_values():
        return ' / '.join(question.choice_values())
    return {
        Question.Kind.NUMBER: 'a whole number',
        Question.Kind.DATE: 'a date, YYYY-MM-DD',
        Question.Kind.TEXT: 'text',
    }.get(question.kind, '')


def _display(value) -> str:
    if isinstance(value, list):
        return ', '.join(str(v) for v in value)
    return '' if value is None else str(value)


def build(invitation: Invitation, answers: dict) -> bytes:
    """The workbook for one body's return, pre-filled with `answers` (its draft, or its register's lines)."""
    campaign = invitation.campaign
    schema = Schema(campaign.questionnaire)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = 'Return'
    sheet.append(list(HEADERS))
    about = (
        ('about.campaign', 'About this workbook', '', 'Campaign', campaign.slug),
        ('about.body', 'About this workbook', '', 'Body', invitation.organisation.name),
        ('about.questionnaire', 'About this workbook', '', 'Questionnaire version', campaign.questionnaire.slug),
        ('about.signature', 'About this workbook', '', 'Do not change the rows above', _signature(invitation)),
    )
    for key, section, number, text, value in about:
        sheet.append([safe_cell(v) for v in (key, section, number, text, '', value)])
    choices = {}
    for key, question in schema.questions.items():
        base = [key, question.section.title, question.number, question.text, _allowed(question)]
        if question.kind != Question.Kind.MANUFACTURER_LINES:
            sheet.append([safe_cell(v) for v in (*base, _display(answers.get(key)))])
            if question.kind in (Question.Kind.YES_NO_UNKNOWN, Question.Kind.CHOICE):
                choices.setdefault(','.join(question.choice_values()), []).append(f'F{sheet.max_row}')
            continue
        lines = [line for line in answers.get(key) or [] if not line.get('removed')]
        for line in [*lines, *([{}] * BLANK_LINES)]:
            values = [line.get('manufacturer', ''), line.get('brand', ''), line.get('model', ''), line.get('quantity')]
            sheet.append([safe_cell(v) for v in (*base[:4], 'one row a line; copy the key to add rows', '', *values)])
    for allowed, cells in choices.items():
        validation = DataValidation(type='list', formula1=f'"{allowed}"', allow_blank=True)
        for cell in cells:
            validation.add(cell)
        sheet.add_data_validation(validation)
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for column, width in zip('ABCDEFGHIJ', (28, 22, 8, 70, 28, 40, 24, 16, 22, 10), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        row[3].alignment = Alignment(wrap_text=True, vertical='top')
        for cell in row[5:]:
            cell.fill = INPUT_FILL
    sheet.freeze_panes = 'E2'
    notes = workbook.create_sheet('Instructions')
    for text in (
        f'{campaign.title}: the return of {invitation.organisation.name}.',
        f'Generated {timezone.localtime():%d %B %Y %H:%M}. Fill in the yellow cells of the Return sheet.',
        'Answers go in the "answer" column; manufacturer lines in the manufacturer, brand, model and quantity '
        'columns, one row a line: copy a row to add more, keeping its key.',
        'Upload the workbook on your return page: every problem is listed with its row and column, and nothing '
        'is saved until the whole workbook is valid. The upload saves a draft: you submit it on the web page.',
        'Do not change the "about" rows or the keys: the workbook is refused if they belong to another body, '
        'campaign or questionnaire version.',
    ):
        notes.append([text])
    notes.column_dimensions['A'].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _check_about(invitation: Invitation, about: dict[str, str]) -> list[str]:
    campaign = invitation.campaign
    problems = []
    missing = [key for key in ABOUT if not about.get(key)]
    if missing:
        return [
            f'Sheet Return: the rows {", ".join(missing)} are missing or empty. Download a new template from your '
            'return page.'
        ]
    if about['about.body'] != invitation.organisation.name:
        problems.append(
            f'Sheet Return, row about.body: this workbook is the return template of {about["about.body"]}, not '
            f'{invitation.organisation.name}. Download your own template.'
        )
    if about['about.questionnaire'] != campaign.questionnaire.slug:
        problems.append(
            'Sheet Return, row about.questionnaire: this workbook is for questionnaire '
            f'"{about["about.questionnaire"]}"; {campaign} uses "{campaign.questionnaire.slug}". '
            'Download a new template.'
        )
    if about['about.campaign'] != campaign.slug:
        problems.append(
            f'Sheet Return, row about.campaign: this workbook is for campaign "{about["about.campaign"]}", not '
            f'"{campaign.slug}".'
        )
    if not problems:
        try:
            signed = signing.loads(about['about.signature'], salt=SALT)
        except signing.BadSignature:
            signed = None
        expected = {
            'campaign': campaign.slug,
            'body': invitation.organisation_id,
            'questionnaire': campaign.questionnaire.slug,
        }
        if signed != expected:
            problems.append(
                'Sheet Return, row about.signature: the about rows were changed, so the workbook cannot be matched '
                'to your return. Download a new template.'
            )
    return problems


def read(invitation: Invitation, name: str, data: bytes) -> dict:
    """Raw answers from an uploaded workbook; raises WorkbookError listing every problem by row and column."""
    try:
        sheet = read_upload(name, data)
    except SpreadsheetError as exc:
        raise WorkbookError([str(exc)]) from exc
    if not name.lower().endswith('.xlsx'):
        raise WorkbookError(['Upload the return workbook (.xlsx) downloaded from your return page.'])
    missing = [h for h in ('key', 'answer', *LINE_TEXT_LIMITS, 'quantity') if h not in sheet.headers]
    if missing:
        raise WorkbookError([f'Sheet Return, row 1: the column(s) {", ".join(missing)} are missing.'])
    schema = Schema(invitation.campaign.questionnaire)
    about, answers, problems, seen = {}, {}, [], {}
    for number, row in sheet.rows:
        key = row.get('key', '')
        if key.startswith('about.'):
            about[key] = row.get('answer', '')
            continue
        question = schema.questions.get(key)
        if question is None:
            if key or any(row.get(h) for h in ('answer', *LINE_TEXT_LIMITS, 'quantity')):
                problems.append(
                    f'Sheet Return, row {number}, column key: "{key}" is not a question of questionnaire '
                    f'"{schema.questionnaire.slug}".'
                )
            continue
        if question.kind == Question.Kind.MANUFACTURER_LINES:
            line, errors = clean_line(row)
            if line is None:
                continue
            lines = answers.setdefault(key, [])
            lines.append(row)
            label = line_label(question.section.code, len(lines))
            problems += [f'Sheet Return, row {number}, column {field} ({label}): {error}' for field, error in errors]
            continue
        if key in seen:
            problems.append(f'Sheet Return, row {number}, column key: question {key} is also on row {seen[key]}.')
            continue
        seen[key] = number
        _value, error = clean_answer(question, row.get('answer', ''))
        if error:
            problems.append(f'Sheet Return, row {number}, column answer ({question.number} {question.text}): {error}')
        answers[key] = row.get('answer', '')
    problems = _check_about(invitation, about) + problems
    if problems:
        raise WorkbookError(problems)
    return answers
