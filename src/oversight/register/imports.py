"""Bulk import of a body's register from CSV or XLSX: every row validated, then a plan to preview.

Nothing here writes to the register. An importer reads a sheet (core.spreadsheets) a row at a time
into a `Plan`: either every problem, each with its row as the file numbers it and its column, or the
rows to create, update and leave unchanged. The checked plan is kept with the upload (compressed,
beside the file), so the preview pages and the commit read it instead of the file; it is made again
only when the body's register has changed since. `actions.commit_import` writes a clean plan.

Memory stays bounded whatever the file's size: rows are read, checked and written to the kept plan
in chunks, and the stored lines a chunk refers to are read a chunk at a time. Each distinct declared
identity is identified once (identification.Identities).

Equipment lines and sites share the machinery: an importer names its columns and the model field
behind each, and cells are parsed by the field's type (register.values).
"""

import contextlib
import datetime
import hashlib
import itertools
import json
import re
import zlib
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Max, Q
from openpyxl.utils import get_column_letter

from oversight.core.models import ObjectChange
from oversight.core.spreadsheets import SpreadsheetError, open_upload
from oversight.core.text import hidden_character, whole_number
from oversight.vendors.models import Manufacturer

from .identification import IDENTITY_FIELDS, Identities
from .models import Category, EquipmentLine, ImportBatch, Site, System
from .values import BadValue, parse_bool, parse_choice, parse_date, parse_ip, parse_mac, parse_quantity

HEADER_ROW = 1
CHUNK = 500  # rows read, checked and kept at a time (and stored lines read in one query)
SHOWN_PROBLEMS = 100  # problems a plan's summary carries; every one is kept with the plan


@dataclass(frozen=True)
class RowError:
    row: int  # as the file numbers it: the header is row 1
    column: str  # '' when the problem is the row or the file as a whole
    message: str


def _stored(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


@dataclass
class PlannedRow:
    row: int
    action: str  # create, update or unchanged
    values: dict  # model field values by attname (site_id, system_id), as JSON keeps them
    object_id: int | None = None  # the stored object an update or unchanged row is
    version: int | None = None  # the version read while planning: a later edit makes the commit stale
    changes: dict[str, list] = field(default_factory=dict)  # column -> [stored, from the file], as text
    shown: dict = field(default_factory=dict)  # what the preview shows beside the values (site, system names)
    obj: models.Model | None = None  # built for showing (Plan.page), never saved

    def record(self) -> list:
        # The action first: a page of the preview picks its rows by a record's first bytes, unparsed.
        return ['r', self.action, self.row, self.values, self.object_id, self.version, self.changes, self.shown]

    @classmethod
    def from_record(cls, record: list) -> 'PlannedRow':
        _kind, action, row, *rest = record
        return cls(row, action, *rest)


class Plan:
    """A checked file: its summary in memory, its rows (or problems) kept compressed, read back in order."""

    def __init__(self, kind: str, summary: dict | None = None, kept: bytes | None = None):
        self.kind = kind
        summary = summary or {}
        self.counts = summary.get('counts', {'create': 0, 'update': 0, 'unchanged': 0})
        self.problem_count = summary.get('problems', 0)
        self.first_errors = [RowError(*e) for e in summary.get('first_problems', [])]
        self.system_rows = summary.get('new_systems', [])  # [name, category] of systems the import adds
        self.fingerprint = summary.get('fingerprint', '')
        self.mark = summary.get('mark', 0)
        self.rows_read = summary.get('rows', 0)  # data rows in the file
        self.kept = kept or b''

    def summary(self) -> dict:
        return {
            'counts': self.counts,
            'problems': self.problem_count,
            'first_problems': [[e.row, e.column, e.message] for e in self.first_errors],
            'new_systems': self.system_rows,
            'fingerprint': self.fingerprint,
            'mark': self.mark,
            'rows': self.rows_read,
        }

    @property
    def to_write(self) -> int:
        return self.counts['create'] + self.counts['update']

    @property
    def new_systems(self) -> list[System]:
        return [System(name=name, category=category) for name, category in self.system_rows]

    def _records(self):
        """The kept records, decompressed a piece at a time."""
        decompressor, pending = zlib.decompressobj(), b''
        for start in range(0, len(self.kept), 1 << 16):
            pending += decompressor.decompress(self.kept[start : start + (1 << 16)])
            *lines, pending = pending.split(b'\n')
            yield from lines
        pending += decompressor.flush()
        if pending:
            yield pending

    @property
    def errors(self) -> list[RowError]:
        """Every problem (a file with problems keeps no rows)."""
        if not self.problem_count:
            return []
        errors = [RowError(*record[1:]) for line in self._records() if (record := json.loads(line))[0] == 'e']
        return sorted(errors, key=lambda error: error.row)  # a problem found at the file's end keeps its row's place

    def _row_records(self, actions=('create', 'update', 'unchanged')):
        """The kept rows' records of these actions, in file order, still unparsed; none when the file has problems."""
        if self.problem_count:
            return
        starts = tuple(json.dumps(['r', action], separators=(',', ':'))[:-1].encode() + b',' for action in actions)
        for line in self._records():
            if line.startswith(starts):
                yield line

    def iter_rows(self):
        """The planned rows in file order; none when the file has problems."""
        for line in self._row_records():
            yield PlannedRow.from_record(json.loads(line))

    @property
    def rows(self) -> list[PlannedRow]:
        return self.page(1, None)

    def page(self, number: int, size: int | None, actions=('create', 'update', 'unchanged')) -> list[PlannedRow]:
        """The `number`th page of `size` rows of these actions, each with an unsaved object to show."""
        start = (number - 1) * (size or 0)
        lines = itertools.islice(self._row_records(actions), start, None if size is None else start + size)
        chosen = [PlannedRow.from_record(json.loads(line)) for line in lines]
        model = IMPORTERS[self.kind].model
        makers = Manufacturer.objects.in_bulk(
            {row.values.get(name) for row in chosen for name in ('manufacturer_id', 'made_by_id')} - {None}
        )
        for row in chosen:
            row.obj = build(model, row.values)
            if model is EquipmentLine:
                row.obj.manufacturer = makers.get(row.values.get('manufacturer_id'))
                row.obj.made_by = makers.get(row.values.get('made_by_id'))
        return chosen


def build(model, values: dict) -> models.Model:
    """An unsaved object from a kept row's values (dates come back from their ISO text)."""
    fields = {}
    for name, value in values.items():
        model_field = model._meta.get_field(name.removesuffix('_id') if name.endswith('_id') else name)
        if isinstance(model_field, models.DateField) and isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        fields[name] = value
    return model(**fields)


class PlanWriter:
    """Builds a Plan as rows are checked: counts, fingerprint and problems in memory, rows compressed."""

    def __init__(self, kind: str, mark: int):
        self.plan = Plan(kind)
        self.plan.mark = mark
        self.compressor = zlib.compressobj(6)
        self.parts: list[bytes] = []
        self.digest = hashlib.sha256()

    @property
    def failed(self) -> bool:
        return self.plan.problem_count > 0

    def _keep(self, record: list) -> None:
        self.parts.append(self.compressor.compress(json.dumps(record, separators=(',', ':')).encode() + b'\n'))

    def error(self, error: RowError) -> None:
        self.plan.problem_count += 1
        if len(self.plan.first_errors) < SHOWN_PROBLEMS:
            self.plan.first_errors.append(error)
        self._keep(['e', error.row, error.column, error.message])

    def row(self, row: PlannedRow) -> None:
        if self.failed:
            return  # a plan with problems is for showing them: nothing in it may be written
        self.plan.counts[row.action] += 1
        changes = sorted((column, str(old), str(new)) for column, (old, new) in row.changes.items())
        self.digest.update(repr((row.row, row.action, row.object_id, row.version, changes)).encode())
        self._keep(row.record())

    def new_system(self, name: str, category: str) -> list:
        """The new system's [name, category] as the plan keeps it, for a later row to give its category."""
        self.plan.system_rows.append(entry := [name, category])
        return entry

    def finish(self) -> Plan:
        plan = self.plan
        plan.first_errors.sort(key=lambda error: error.row)
        if self.failed:
            plan.counts = {'create': 0, 'update': 0, 'unchanged': 0}
            plan.system_rows = []
        digest = hashlib.sha256()
        # What the plan would write: the commit refuses a plan that differs from the previewed one.
        for name, category in plan.system_rows:
            digest.update(repr(('system', name, category)).encode())
        digest.update(self.digest.digest())
        plan.fingerprint = digest.hexdigest()
        plan.kept = b''.join(self.parts) + self.compressor.flush()
        return plan


class Row:
    """One data row being read: its cells by column, and the errors found in them."""

    def __init__(self, number: int, cells: dict[str, str], present: set[str], extra: str, writer: PlanWriter):
        self.number, self.cells, self.present, self.extra, self.writer = number, cells, present, extra, writer
        self.failed = False

    def error(self, column: str, message: str) -> None:
        self.writer.error(RowError(self.number, column, message))
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
    noun: str  # what a row is, as the preview counts them
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

    def plan(self, sheet, mark: int = 0) -> Plan:
        """Check every row of `sheet` (its rows may be a stream) and keep what an import would write."""
        writer = PlanWriter(self.kind, mark)
        present = self.check_headers(sheet.headers, writer)
        self.prepare()
        rows = iter(sheet.rows)
        read = 0
        while chunk := list(itertools.islice(rows, CHUNK)):
            read += len(chunk)
            checked = [
                Row(
                    number,
                    {canonical_header(header): text for header, text in raw.items() if header != '__extra__'},
                    present,
                    raw.get('__extra__', ''),
                    writer,
                )
                for number, raw in chunk
            ]
            self.prepare_chunk(checked)
            for row in checked:
                if row.extra:
                    row.error('', f'There are values beyond the last named column: {row.extra}.')
                self.plan_row(row, writer)
        self.finish_plan(writer)
        writer.plan.rows_read = read
        if not read:
            writer.error(RowError(HEADER_ROW, '', 'The file has no rows of data below the header row.'))
        return writer.finish()

    def check_headers(self, headers: list[str], errors: PlanWriter) -> set[str]:
        seen = set()
        for position, header in enumerate(headers, start=1):
            name = canonical_header(header)
            if not name:
                errors.error(RowError(HEADER_ROW, f'column {get_column_letter(position)}', 'This column has no name.'))
            elif name in seen:
                errors.error(RowError(HEADER_ROW, name, 'This column appears more than once.'))
            elif name not in self.columns:
                errors.error(
                    RowError(HEADER_ROW, header, f'Unknown column. The columns are: {", ".join(self.columns)}.')
                )
            seen.add(name)
        for column in self.columns:
            if column not in seen:
                errors.error(RowError(HEADER_ROW, column, 'The column is missing.'))
        return seen & set(self.columns)

    def values(self, row: Row) -> dict[str, object]:
        """The row's model field values, every cell read so every error is found."""
        return {name: row.value(column, self.readers[column]) for column, name in self.value_columns.items()}

    def changes(self, stored: dict, values: dict[str, object]) -> dict[str, list]:
        """The columns whose value in the file differs from the stored one: [stored, from the file]."""
        names = {name: column for column, name in self.value_columns.items()}
        return {names[name]: [stored[name], value] for name, value in values.items() if stored[name] != value}

    def prepare(self) -> None:
        """Read what every row may refer to (the body's sites and systems), in a few queries."""

    def prepare_chunk(self, rows: list[Row]) -> None:
        """Read what a chunk of rows refers to (stored lines by id), in a query or two."""

    def plan_row(self, row: Row, writer: PlanWriter) -> None:
        raise NotImplementedError

    def finish_plan(self, writer: PlanWriter) -> None:
        """Report what only the whole file can tell (a new system no row gives a category)."""


def _parse_id(text: str) -> int | None:
    if not text:
        return None
    number = whole_number(text)
    if number is None:
        raise BadValue(f'"{text}" is not a line number from an export: leave id blank to add a new line.')
    return number


class EquipmentImporter(Importer):
    kind = ImportBatch.Kind.EQUIPMENT
    model = EquipmentLine
    noun = 'line'
    # The file calls the declared maker "manufacturer"; every other column is named for its field.
    value_columns = {
        'manufacturer' if name == 'manufacturer_declared' else name: name for name in EquipmentLine.DECLARED_FIELDS
    }
    columns = ('id', 'site', 'system', 'category', *value_columns)
    parsers = {'mac_address': parse_mac, 'quantity': parse_quantity}
    site_name = staticmethod(_text(Site._meta.get_field('name')))
    system_name = staticmethod(_text(System._meta.get_field('name')))

    def prepare(self):
        self.sites = {site.name.casefold(): site for site in Site.objects.filter(organisation=self.organisation)}
        self.systems = {s.name.casefold(): s for s in System.objects.filter(organisation=self.organisation)}
        self.names = {
            'site': {site.pk: site.name for site in self.sites.values()},
            'system': {system.pk: system.name for system in self.systems.values()},
        }
        self.rows_of_line = {}
        self.identities = Identities()
        # New systems no row has given a category yet: any row of the file may give it.
        self.uncategorised = {}  # name, casefolded -> (name, the first row naming it, the plan's entry)

    def prepare_chunk(self, rows):
        ids = set()
        for row in rows:
            with contextlib.suppress(BadValue):  # a bad id is reported when its row is planned
                ids.add(_parse_id(row.cells.get('id', '')))
        ids.discard(None)
        stored = EquipmentLine.objects.filter(organisation=self.organisation, pk__in=ids)
        fields = (*EquipmentLine.DECLARED_FIELDS, 'site_id', 'system_id', 'version')
        self.lines = {line['pk']: line for line in stored.values('pk', *fields)} if ids else {}

    def plan_row(self, row, writer):
        line_id = row.value('id', _parse_id)
        stored = self.line(row, line_id) if line_id is not None else None
        site = self.site(row)
        system = self.system(row, writer)
        values = self.values(row)
        if row.failed or writer.failed:
            return
        shown = {'site': site.name, 'system': system.name}
        if stored is None:
            values = {name: _stored(value) for name, value in values.items()}
            values |= {'site_id': site.pk, 'system_id': system.pk} | self.identities.fields(values)
            writer.row(PlannedRow(row.number, 'create', values, shown=shown))
            return
        changes = {}
        for column, related in (('site', site), ('system', system)):
            if related.pk is None or stored[f'{column}_id'] != related.pk:
                changes[column] = [self.names[column][stored[f'{column}_id']], related.name]
        changes |= self.changes(stored, values)
        if not changes:
            writer.row(PlannedRow(row.number, 'unchanged', {}, line_id, stored['version']))
            return
        values = {name: _stored(value) for name, value in values.items()}
        values |= {'site_id': site.pk, 'system_id': system.pk}
        if {self.value_columns.get(column, column) for column in changes} & set(IDENTITY_FIELDS):
            values |= self.identities.fields(values)  # its declared identity changed: who made it, again
        changes = {column: [_stored(old), _stored(new)] for column, (old, new) in changes.items()}
        writer.row(PlannedRow(row.number, 'update', values, line_id, stored['version'], changes, shown))

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

    def system(self, row, writer):
        name = row.value('system', self.system_name)
        category = row.value('category', parse_choice, Category.choices, '')
        if not name:
            return None
        key = name.casefold()
        system = self.systems.get(key)
        if system is None:
            if category is None:
                return None
            system = System(organisation=self.organisation, name=name, category=category)
            self.systems[key] = system
            entry = writer.new_system(name, category)
            if category == '':
                self.uncategorised[key] = (name, row.number, entry)
        elif category and key in self.uncategorised:
            _name, _first, entry = self.uncategorised.pop(key)
            system.category = entry[1] = category
        elif category and category != system.category:
            row.error(
                'category',
                f'The system "{system.name}" is {system.get_category_display()}, not {Category(category).label}.',
            )
        return system

    def finish_plan(self, writer):
        for name, first, _entry in self.uncategorised.values():
            message = f'Give the category of the new system "{name}" in one of its rows.'
            writer.error(RowError(first, 'category', message))


class NamedImporter(Importer):
    """Sites and systems: matched by name, capitals ignored, so an import renames one only by its capitals."""

    def prepare(self):
        self.stored = {
            obj['name'].casefold(): obj
            for obj in self.model.objects.filter(organisation=self.organisation).values('pk', 'version', *self.columns)
        }
        self.rows_of_name = {}

    def plan_row(self, row, writer):
        values = self.values(row)
        name = values['name']
        noun = self.model._meta.verbose_name
        if name:
            first = self.rows_of_name.setdefault(name.casefold(), row.number)
            if first != row.number:
                row.error('name', f'The {noun} "{name}" is also in row {first}: a {noun} may appear once.')
        if row.failed or writer.failed:
            return
        stored = self.stored.get(name.casefold())
        if stored is None:
            writer.row(PlannedRow(row.number, 'create', values))
            return
        changes = self.changes(stored, values)
        action = 'update' if changes else 'unchanged'
        writer.row(PlannedRow(row.number, action, values if changes else {}, stored['pk'], stored['version'], changes))


class SiteImporter(NamedImporter):
    kind = ImportBatch.Kind.SITES
    model = Site
    noun = 'site'
    columns = ('name', 'address', 'postcode', 'kind', 'sensitive')
    value_columns = {column: column for column in columns}


class SystemImporter(NamedImporter):
    kind = ImportBatch.Kind.SYSTEMS
    model = System
    noun = 'system'
    columns = ('name', 'category', 'description')
    value_columns = {column: column for column in columns}
    # A system's category has no default: blank is an error, not "other".
    parsers = {'category': lambda text: parse_choice(text, Category.choices)}


IMPORTERS = {importer.kind: importer for importer in (EquipmentImporter, SiteImporter, SystemImporter)}


def _latest_change() -> int:
    return ObjectChange.objects.aggregate(latest=Max('pk'))['latest'] or 0


def plan_is_current(batch: ImportBatch) -> bool:
    """Whether the kept plan still holds: nothing it depends on has been written since it was made.

    That is the body's register, and the reference data who made each line was worked out from. Every
    write to them goes through an action and leaves an audit row, so one query tells, however large the file.
    """
    if not batch.plan:
        return False
    types = ContentType.objects.get_for_models(Site, System, EquipmentLine).values()
    since = ObjectChange.objects.filter(pk__gt=batch.plan['mark'])
    register = Q(organisation_id=batch.organisation_id, content_type__in=types)
    return not since.filter(register | Q(content_type__app_label='vendors')).exists()


def plan_file(batch: ImportBatch) -> Plan:
    """Read and check the uploaded file against the register as it is now, and keep the plan with it.

    Raises SpreadsheetError when the file as a whole cannot be read.
    """
    mark = _latest_change()  # taken first: a write while the file is read makes the plan stale, never missed
    with open_upload(batch.filename, bytes(batch.content)) as sheet:
        plan = IMPORTERS[batch.kind](batch.organisation).plan(sheet, mark)
    batch.plan, batch.planned_rows = plan.summary(), plan.kept
    ImportBatch.objects.filter(pk=batch.pk).update(plan=batch.plan, planned_rows=batch.planned_rows)
    return plan


def read_batch(batch: ImportBatch) -> Plan:
    """The plan for an uploaded file against the register as it is now: the kept one while it still holds."""
    if plan_is_current(batch):
        return Plan(batch.kind, batch.plan, bytes(batch.planned_rows or b''))
    try:
        return plan_file(batch)
    except SpreadsheetError as exc:
        writer = PlanWriter(batch.kind, 0)
        writer.error(RowError(HEADER_ROW, '', str(exc)))
        return writer.finish()
