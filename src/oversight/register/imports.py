"""Bulk import of a body's register from CSV or XLSX: every row validated, then a plan to preview.

Nothing here writes. An importer turns a sheet (core.spreadsheets) into a `Plan`: either every
problem, each with its row as the file numbers it and its column, or the rows to create, update and
leave unchanged. `actions.commit_import` writes a clean plan in one transaction.

Equipment lines and sites share the machinery: an importer names its columns and the model field
behind each, and cells are parsed by the field's type (register.values).
"""

import contextlib
import hashlib
import re
from dataclasses import dataclass, field

from django.db import models
from openpyxl.utils import get_column_letter

from oversight.core.spreadsheets import Sheet, SpreadsheetError, read_upload
from oversight.core.text import hidden_character

from .identification import IDENTITY_FIELDS
from .models import Category, EquipmentLine, ImportBatch, Site, System
from .values import BadValue, parse_bool, parse_choice, parse_date, parse_ip, parse_mac, parse_quantity

HEADER_ROW = 1


@dataclass(frozen=True)
class RowError:
    row: int  # as the file numbers it: the header is row 1
    column: str  # '' when the problem is the row or the file as a whole
    message: str


@dataclass
class PlannedRow:
    row: int
    action: str  # create, update or unchanged
    obj: models.Model  # the object with the file's values applied, unsaved
    changes: dict[str, tuple] = field(default_factory=dict)  # column -> (stored, from the file)
    version: int | None = None  # the version read while planning: a later edit makes the commit stale
    reidentify: bool = False  # the declared identity is new or changed, so who made it is worked out again


@dataclass
class Plan:
    kind: str
    errors: list[RowError] = field(default_factory=list)
    rows: list[PlannedRow] = field(default_factory=list)
    new_systems: list[System] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in ('create', 'update', 'unchanged')}

    @property
    def to_write(self) -> int:
        return self.count('create') + self.count('update')

    @property
    def fingerprint(self) -> str:
        """What the plan would write: the commit refuses a plan that differs from the previewed one."""
        digest = hashlib.sha256()
        for system in self.new_systems:
            digest.update(repr(('system', system.name, system.category)).encode())
        for row in self.rows:
            changes = sorted((column, str(old), str(new)) for column, (old, new) in row.changes.items())
            digest.update(repr((row.row, row.action, row.obj.pk, row.version, changes)).encode())
        return digest.hexdigest()


class Row:
    """One data row being read: its cells by column, and the errors found in them."""

    def __init__(self, number: int, cells: dict[str, str], present: set[str], errors: list[RowError]):
        self.number, self.cells, self.present, self.errors = number, cells, present, errors
        self.failed = False

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))
        self.failed = True

    def value(self, column: str, parse, *args):
        """The cell parsed by `parse`, or None after recording why it cannot be."""
        if column not in self.present:
            # The missing column is reported once, against the header row.
            self.failed = True
            return None
        try:
            return parse(self.cells.get(column, ''), *args)
        except BadValue as exc:
            self.error(column, str(exc))
            return None


def _text(field: models.Field):
    def parse(text: str) -> str:
        if not text and not field.blank:
            raise BadValue('This is required.')
        if field.max_length and len(text) > field.max_length:
            raise BadValue(f'This is {len(text)} characters long; the most is {field.max_length}.')
        if hidden := hidden_character(text):
            raise BadValue(hidden)
        return text

    return parse


def parser_for(model_field: models.Field):
    """How a cell for this model field is read, from the field's type."""
    if isinstance(model_field, models.BooleanField):
        return lambda text: parse_bool(text, model_field.default)
    if isinstance(model_field, models.DateField):
        return parse_date
    if isinstance(model_field, models.GenericIPAddressField):
        return parse_ip
    if model_field.choices:
        return lambda text: parse_choice(text, model_field.choices, model_field.default)
    return _text(model_field)


def canonical_header(header: str) -> str:
    """ "Serial number" and "serial-number" are the serial_number column."""
    return re.sub(r'[\s\-]+', '_', header.strip().lower())


class Importer:
    """Reads a sheet of one kind of register object for one body into a plan."""

    kind: str
    model: type[models.Model]
    columns: tuple[str, ...]
    # Columns holding a model field's value, read by the field's type unless `parsers` says otherwise.
    value_columns: dict[str, str]
    parsers: dict = {}

    def __init__(self, organisation):
        self.organisation = organisation
        self.readers = {
            column: self.parsers.get(column) or parser_for(self.model._meta.get_field(name))
            for column, name in self.value_columns.items()
        }

    def plan(self, sheet: Sheet) -> Plan:
        plan = Plan(kind=self.kind)
        present = self.check_headers(sheet.headers, plan.errors)
        if not sheet.rows:
            plan.errors.append(RowError(HEADER_ROW, '', 'The file has no rows of data below the header row.'))
        rows = []
        for number, raw in sheet.rows:
            cells = {canonical_header(header): text for header, text in raw.items() if header != '__extra__'}
            row = Row(number, cells, present, plan.errors)
            if '__extra__' in raw:
                row.error('', f'There are values beyond the last named column: {raw["__extra__"]}.')
            rows.append(row)
        self.prepare(rows)
        for row in rows:
            self.plan_row(row, plan)
        if plan.errors:
            # A plan with errors is for showing them: nothing in it may be written.
            plan.rows.clear()
            plan.new_systems.clear()
        return plan

    def check_headers(self, headers: list[str], errors: list[RowError]) -> set[str]:
        seen = set()
        for position, header in enumerate(headers, start=1):
            name = canonical_header(header)
            if not name:
                errors.append(RowError(HEADER_ROW, f'column {get_column_letter(position)}', 'This column has no name.'))
            elif name in seen:
                errors.append(RowError(HEADER_ROW, name, 'This column appears more than once.'))
            elif name not in self.columns:
                errors.append(
                    RowError(HEADER_ROW, header, f'Unknown column. The columns are: {", ".join(self.columns)}.')
                )
            seen.add(name)
        for column in self.columns:
            if column not in seen:
                errors.append(RowError(HEADER_ROW, column, 'The column is missing.'))
        return seen & set(self.columns)

    def values(self, row: Row) -> dict[str, object]:
        """The row's model field values, every cell read so every error is found."""
        return {name: row.value(column, self.readers[column]) for column, name in self.value_columns.items()}

    def changes(self, obj: models.Model, values: dict[str, object]) -> dict[str, tuple]:
        """Apply `values` to a stored object; the columns whose value differs."""
        changed = {}
        names = {name: column for column, name in self.value_columns.items()}
        for name, value in values.items():
            old = getattr(obj, name)
            if old != value:
                changed[names[name]] = (old, value)
                setattr(obj, name, value)
        return changed

    def prepare(self, rows: list[Row]) -> None:
        """Read what the rows refer to, in a few queries for the whole file."""

    def plan_row(self, row: Row, plan: Plan) -> None:
        raise NotImplementedError


def _in_chunks(queryset, ids, size=500):
    ids = sorted(ids)
    for start in range(0, len(ids), size):
        yield from queryset.filter(pk__in=ids[start : start + size])


def _parse_id(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        raise BadValue(f'"{text}" is not a line number from an export: leave id blank to add a new line.')
    return int(text)


class EquipmentImporter(Importer):
    kind = ImportBatch.Kind.EQUIPMENT
    model = EquipmentLine
    # The file calls the declared maker "manufacturer"; every other column is named for its field.
    value_columns = {
        'manufacturer' if name == 'manufacturer_declared' else name: name for name in EquipmentLine.DECLARED_FIELDS
    }
    columns = ('id', 'site', 'system', 'category', *value_columns)
    parsers = {'mac_address': parse_mac, 'quantity': parse_quantity}
    site_name = staticmethod(_text(Site._meta.get_field('name')))
    system_name = staticmethod(_text(System._meta.get_field('name')))

    def prepare(self, rows):
        self.sites = {site.name.casefold(): site for site in Site.objects.filter(organisation=self.organisation)}
        self.systems = {s.name.casefold(): s for s in System.objects.filter(organisation=self.organisation)}
        ids = set()
        for row in rows:
            with contextlib.suppress(BadValue):  # a bad id is reported when its row is planned
                ids.add(_parse_id(row.cells.get('id', '')))
        ids.discard(None)
        lines = EquipmentLine.objects.filter(organisation=self.organisation).select_related('site', 'system')
        self.lines = {line.pk: line for line in _in_chunks(lines, ids)}
        self.rows_of_line = {}

    def plan_row(self, row, plan):
        line_id = row.value('id', _parse_id)
        line = self.line(row, line_id) if line_id is not None else None
        site = self.site(row)
        system = self.system(row, plan)
        values = self.values(row)
        if row.failed or plan.errors:
            return
        if line is None:
            line = EquipmentLine(organisation=self.organisation, site=site, system=system, **values)
            plan.rows.append(PlannedRow(row.number, 'create', line, reidentify=True))
            return
        version = line.version
        changes = {}
        for column, related in (('site', site), ('system', system)):
            if getattr(line, column) != related:
                changes[column] = (getattr(line, column).name, related.name)
                setattr(line, column, related)
        changes |= self.changes(line, values)
        identity = {self.value_columns.get(column, column) for column in changes} & set(IDENTITY_FIELDS)
        action = 'update' if changes else 'unchanged'
        plan.rows.append(PlannedRow(row.number, action, line, changes, version, reidentify=bool(identity)))

    def line(self, row, line_id):
        if line_id in self.rows_of_line:
            row.error('id', f'Line {line_id} is also in row {self.rows_of_line[line_id]}: a line may appear once.')
            return None
        self.rows_of_line[line_id] = row.number
        line = self.lines.get(line_id)
        if line is None:
            row.error(
                'id',
                f'There is no line {line_id} in the register of {self.organisation}. Leave id blank to add a new line.',
            )
        return line

    def site(self, row):
        name = row.value('site', self.site_name)
        if not name:
            return None
        site = self.sites.get(name.casefold())
        if site is None:
            row.error('site', f'There is no site "{name}" in the register of {self.organisation}: add the site first.')
        return site

    def system(self, row, plan):
        name = row.value('system', self.system_name)
        category = row.value('category', parse_choice, Category.choices, '')
        if not name:
            return None
        system = self.systems.get(name.casefold())
        if system is None:
            if category == '':
                row.error('category', f'Give the category of the new system "{name}".')
                return None
            if category is None:
                return None
            system = System(organisation=self.organisation, name=name, category=category)
            self.systems[name.casefold()] = system
            plan.new_systems.append(system)
        elif category and category != system.category:
            row.error(
                'category',
                f'The system "{system.name}" is {system.get_category_display()}, not {Category(category).label}.',
            )
        return system


class SiteImporter(Importer):
    kind = ImportBatch.Kind.SITES
    model = Site
    columns = ('name', 'address', 'postcode', 'kind', 'sensitive')
    value_columns = {column: column for column in columns}

    def prepare(self, rows):
        self.sites = {site.name.casefold(): site for site in Site.objects.filter(organisation=self.organisation)}
        self.rows_of_name = {}

    def plan_row(self, row, plan):
        values = self.values(row)
        name = values['name']
        if name:
            first = self.rows_of_name.setdefault(name.casefold(), row.number)
            if first != row.number:
                row.error('name', f'The site "{name}" is also in row {first}: a site may appear once.')
        if row.failed or plan.errors:
            return
        site = self.sites.get(name.casefold())
        if site is None:
            plan.rows.append(PlannedRow(row.number, 'create', Site(organisation=self.organisation, **values)))
            return
        version = site.version
        # Sites are matched by name, so a change of capitals alone is the only rename an import makes.
        changes = self.changes(site, values)
        plan.rows.append(PlannedRow(row.number, 'update' if changes else 'unchanged', site, changes, version))


IMPORTERS = {importer.kind: importer for importer in (EquipmentImporter, SiteImporter)}


def read_batch(batch: ImportBatch) -> Plan:
    """The plan for an uploaded file, against the register as it is now."""
    try:
        sheet = read_upload(batch.filename, bytes(batch.content))
    except SpreadsheetError as exc:
        return Plan(kind=batch.kind, errors=[RowError(HEADER_ROW, '', str(exc))])
    return IMPORTERS[batch.kind](batch.organisation).plan(sheet)
