"""The returns interchange file (docs/interchange.md): reading and checking it, and writing it.

One row per body, category and manufacturer line. The reader is a single pass over the file with
no query per row, because national campaigns run to hundreds of thousands of lines; every problem
is collected with its row and column before anything is written.
"""

import csv
import datetime
import operator
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from oversight.core.exports import unescape_cell
from oversight.register.models import Category

from .answers import AWARE, MANUFACTURERS, OPERATES, YES_NO_UNKNOWN, answer_key, clean_quantity

COLUMNS = (
    'body',
    'category',
    'operates',
    'manufacturer',
    'brand',
    'model',
    'quantity',
    'aware_of_concerns',
    'submitted_at',
)
CATEGORIES = tuple(Category.values)
# The answers an interchange file states for each category it has a row for.
INTERCHANGE_QUESTIONS = (OPERATES, AWARE, MANUFACTURERS)
INTERCHANGE_KEYS = frozenset(answer_key(c, q) for c in CATEGORIES for q in INTERCHANGE_QUESTIONS)
TEXT_LIMITS = {'manufacturer': 200, 'brand': 100, 'model': 100}
MAX_PROBLEMS_SHOWN = 500
NOT_INVITED = -1


class InterchangeError(Exception):
    """The file was refused; `problems` lists every reason, each naming its row and column."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        text = '\n'.join(shown) + (f'\n… and {more} more problems.' if more else '')
        super().__init__(f'{len(problems)} problem(s); nothing was imported.\n{text}')


@dataclass(slots=True)
class BodyReturn:
    """What the file says of one body: its submission time, per-category answers and its lines."""

    organisation_id: int
    name: str
    first_row: int
    submitted_at: datetime.datetime | None = None
    submitted_text: str = ''
    # operates, aware_of_concerns and manufacturer lines per category, keyed as a return's answers are.
    # A category's lines are one flat list, manufacturer, brand, model, quantity after another, of shared
    # strings while the file is read: a national file has 1.5 million lines, and a tuple each was a
    # sixth of the import's peak memory. They become the answers' dicts in `as_answers`.
    answers: dict = field(default_factory=dict)
    # the first row giving each category's answers, for messages about rows that disagree with it
    category_rows: dict[str, int] = field(default_factory=dict)
    line_count: int = 0

    def as_answers(self) -> dict:
        """The answers as a return stores them."""
        return {key: _lines(value) if isinstance(value, list) else value for key, value in self.answers.items()}


def _lines(flat: list) -> list[dict]:
    cells = iter(flat)
    return [
        {'manufacturer': manufacturer, 'brand': brand, 'model': model, 'quantity': quantity}
        for manufacturer, brand, model, quantity in zip(cells, cells, cells, cells, strict=True)
    ]


def parse_time(text: str) -> datetime.datetime:
    """An ISO 8601 date or date and time; without an offset it is London time (the campaign's zone)."""
    value = datetime.datetime.fromisoformat(text.replace('Z', '+00:00') if text.endswith('Z') else text)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return value


def format_time(value: datetime.datetime) -> str:
    return timezone.localtime(value, zoneinfo.ZoneInfo(settings.TIME_ZONE)).isoformat()


def read_rows(stream) -> Iterator[list[str]]:
    """CSV rows of a text stream (open files with encoding="utf-8-sig" to drop a byte-order mark).

    Strict, so a quote left open is refused rather than swallowing the rest of the file, and any
    row the csv module cannot read (a cell over its size limit) is refused naming its line.
    """
    reader = csv.reader(stream, strict=True)
    try:
        yield from reader  # rows pass straight through: a national file has 1.5 million
    except csv.Error as exc:
        raise InterchangeError(
            [f'Line {reader.line_num} of the file cannot be read ({exc}): look for a double quote not closed.']
        ) from exc


def _suggest(name: str, bodies: dict[str, int]) -> str:
    folded = name.casefold().strip()
    for known in bodies:
        if known.casefold() == folded:
            return f' Did you mean "{known}"?'
    return ''


def _body_problem(number: int, body: str, organisation_id, bodies, campaign_name: str) -> str:
    if organisation_id == NOT_INVITED:
        return f'Row {number}, column body: {body} was not invited to {campaign_name}.'
    return f'Row {number}, column body: "{body}" is not the exact name of an organisation.' + _suggest(body, bodies)


def read_returns(
    rows: Iterable[list[str]], bodies: dict[str, int], recipients: set[int] | None, campaign_name: str
) -> dict[int, BodyReturn]:
    """Check every row and gather each body's return; raises InterchangeError listing every problem.

    `bodies` maps exact organisation names to ids; `recipients` (ids) limits who may appear.
    Written for speed (a national file has ~150,000 rows): a cell that passes its check costs a
    comparison or a lookup; stripping, case-folding and messages happen only on the slow path.
    """
    problems: list[str] = []
    rows = iter(rows)
    header = [h.strip().lstrip('\ufeff').strip().lower() for h in next(rows, [])]
    if not any(header):
        raise InterchangeError(['The file is empty: the first row must name the columns.'])
    missing = [c for c in COLUMNS if c not in header]
    unknown = [h for h in header if h and h not in COLUMNS]
    if missing:
        problems.append(f'Row 1: the column(s) {", ".join(missing)} are missing. The columns are {", ".join(COLUMNS)}.')
    if unknown:
        problems.append(f'Row 1: the column(s) {", ".join(unknown)} are not interchange columns.')
    if problems:
        raise InterchangeError(problems)
    cells = operator.itemgetter(*(header.index(c) for c in COLUMNS))
    canonical = tuple(header) == COLUMNS
    width = len(header)
    returns: dict[int, BodyReturn] = {}
    times: dict[str, datetime.datetime | None] = {}
    operates_keys = {c: answer_key(c, OPERATES) for c in CATEGORIES}
    aware_keys = {c: answer_key(c, AWARE) for c in CATEGORIES}
    lines_keys = {c: answer_key(c, MANUFACTURERS) for c in CATEGORIES}
    answers_of = YES_NO_UNKNOWN
    shared = {}.setdefault
    quantities: dict[str, tuple[int | None, str]] = {}
    last_body, organisation_id, entry, answers, name = None, None, None, None, ''
    for number, row in enumerate(rows, start=2):
        if len(row) != width:
            if not any(row):
                continue
            if len(row) < width:
                row = row + [''] * (width - len(row))
            elif any(row[width:]):
                problems.append(f'Row {number}: it has more cells than the header row has columns.')
                continue
        body, category, operates, manufacturer, brand, model, quantity, aware, submitted = (
            row if canonical else cells(row)
        )
        if body != last_body:
            last_body, entry, answers = body, None, None
            name = unescape_cell(body).strip()
            organisation_id = bodies.get(name)
            if organisation_id is not None:
                if recipients is not None and organisation_id not in recipients:
                    organisation_id = NOT_INVITED
                else:
                    entry = returns.get(organisation_id)
                    if entry is None:
                        entry = returns[organisation_id] = BodyReturn(organisation_id, name, number)
                    answers = entry.answers
        failed = len(problems)
        if entry is None:
            problems.append(_body_problem(number, name, organisation_id, bodies, campaign_name))
        operates_key = operates_keys.get(category)
        if operates_key is None:
            category = category.strip()
            operates_key = operates_keys.get(category)
            if operates_key is None:
                problems.append(
                    f'Row {number}, column category: "{category}" is not a category; '
                    f'use one of {", ".join(CATEGORIES)}.'
                )
        if operates not in answers_of:
            operates = operates.strip().lower()
            if operates not in answers_of:
                problems.append(f'Row {number}, column operates: "{operates}" is not yes, no or unknown.')
        if aware and aware not in answers_of:
            aware = aware.strip().lower()
            if aware and aware not in answers_of:
                problems.append(f'Row {number}, column aware_of_concerns: "{aware}" is not yes, no or unknown.')
        count = None
        if quantity:
            checked = quantities.get(quantity)
            if checked is None:
                checked = quantities[quantity] = clean_quantity(quantity)  # a file repeats a few quantities
            count, error = checked
            if error:
                problems.append(f'Row {number}, column quantity: {error}')
        has_line = bool(manufacturer or brand or model)
        if has_line:
            # Unescaped before stripping, as the register reader does: the apostrophe may protect a tab.
            if manufacturer[:1] == "'" or brand[:1] == "'" or model[:1] == "'":
                manufacturer, brand, model = unescape_cell(manufacturer), unescape_cell(brand), unescape_cell(model)
            manufacturer, brand, model = manufacturer.strip(), brand.strip(), model.strip()
            if len(manufacturer) > 200 or len(brand) > 100 or len(model) > 100:
                for column, text in (('manufacturer', manufacturer), ('brand', brand), ('model', model)):
                    if len(text) > TEXT_LIMITS[column]:
                        problems.append(f'Row {number}, column {column}: longer than {TEXT_LIMITS[column]} characters.')
            has_line = bool(manufacturer or brand or model)
            if has_line and operates == 'no':
                problems.append(
                    f'Row {number}, column operates: {name} says it does not operate {category} but lists equipment.'
                )
        if count and not has_line:
            problems.append(f'Row {number}: a quantity is given without a manufacturer, brand or model.')
        if submitted and (entry is None or submitted != entry.submitted_text):
            if submitted not in times:
                try:
                    times[submitted] = parse_time(submitted.strip())
                except ValueError:
                    times[submitted] = None
            when = times[submitted]
            if when is None:
                problems.append(
                    f'Row {number}, column submitted_at: "{submitted}" is not an ISO 8601 date and time '
                    '(e.g. 2022-08-31T16:30:00+01:00).'
                )
            elif entry is not None:
                if entry.submitted_at is None:
                    entry.submitted_at, entry.submitted_text = when, submitted
                elif entry.submitted_at != when:
                    problems.append(
                        f'Row {number}, column submitted_at: {name} has another submission time on an earlier row '
                        f'({format_time(entry.submitted_at)}); a body has one.'
                    )
        if len(problems) != failed:
            continue
        stored = answers.get(operates_key)
        if stored is None:
            answers[operates_key] = operates
            entry.category_rows[category] = number
        elif stored != operates:
            problems.append(
                f'Row {number}, column operates: "{operates}" disagrees with row {entry.category_rows[category]}, '
                f'which says "{stored}" for {name}, {category}.'
            )
        if aware:
            aware_key = aware_keys[category]
            stored = answers.get(aware_key)
            if stored is None:
                answers[aware_key] = aware
            elif stored != aware:
                problems.append(
                    f'Row {number}, column aware_of_concerns: "{aware}" disagrees with an earlier row, which says '
                    f'"{stored}" for {name}, {category}.'
                )
        if has_line:
            lines = answers.get(lines_keys[category])
            if lines is None:
                lines = answers[lines_keys[category]] = []
            # Makers and models repeat across a file: each distinct text is kept once.
            lines += shared(manufacturer, manufacturer), shared(brand, brand), shared(model, model), count
            entry.line_count += 1
    for entry in returns.values():
        if entry.submitted_at is None:
            problems.append(
                f'Row {entry.first_row}, column submitted_at: no row of {entry.name} says when it submitted its '
                'return (ISO 8601, e.g. 2022-08-31T16:30:00+01:00).'
            )
    if problems:
        raise InterchangeError(problems)
    return returns


def read_recipients(stream, bodies: dict[str, int]) -> list[int]:
    """Organisation ids from a recipients file: one exact name a line, or a CSV whose first column is the name."""
    problems, ids = [], {}
    for number, row in enumerate(read_rows(stream), start=1):
        name = unescape_cell(row[0]).strip() if row else ''
        if not name or (number == 1 and name.lower() in ('body', 'name', 'organisation')):
            continue
        organisation_id = bodies.get(name)
        if organisation_id is None:
            problems.append(
                f'Recipients file, row {number}: "{name}" is not the exact name of an organisation.'
                + _suggest(name, bodies)
            )
        else:
            ids[organisation_id] = True
    if not ids and not problems:
        problems.append('The recipients file names no bodies.')
    if problems:
        raise InterchangeError(problems)
    return list(ids)


def export_rows(returns) -> Iterator[list]:
    """Interchange rows for return snapshots (see snapshots.campaign_returns), body by body."""
    for snapshot in returns:
        submitted = format_time(snapshot.submitted_at)
        for category in CATEGORIES:
            answers = snapshot.categories.get(category)
            if answers is None:
                continue
            operates, aware = answers.operates or '', answers.aware_of_concerns or ''
            if not answers.lines:
                yield [snapshot.body, category, operates, '', '', '', '', aware, submitted]
            for line in answers.lines:
                quantity = '' if line['quantity'] is None else line['quantity']
                yield [
                    snapshot.body,
                    category,
                    operates,
                    line['manufacturer'],
                    line['brand'],
                    line['model'],
                    quantity,
                    aware,
                    submitted,
                ]
