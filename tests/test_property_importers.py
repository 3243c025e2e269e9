"""Property tests for the spreadsheet readers and the register importer (Hypothesis).

Whatever bytes or cells arrive, the reader returns a sheet or raises SpreadsheetError; the importer
reports problems as rows and columns and never raises; and an import either writes every row it
planned or nothing at all. Exports of any text read back as the same text.
"""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from oversight.core.exports import csv_bytes, xlsx_bytes
from oversight.core.models import ObjectChange
from oversight.core.spreadsheets import SpreadsheetError, read_upload
from oversight.register import actions
from oversight.register.imports import EquipmentImporter, SiteImporter
from oversight.register.models import EquipmentLine, ImportBatch, Site, System

pytest_plugins = ['api_fixtures']  # the module-scoped `world`

fuzz = settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))

# Text a person could put in a cell: any character but the surrogates no file can hold.
cell_text = st.text(st.characters(exclude_categories=('Cs',)), max_size=40)


def _workbook(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


VALID_XLSX = _workbook([['name', 'address'], ['Dover', '1 Dock Road']])


def read_or_refuse(name: str, data: bytes):
    try:
        return read_upload(name, data)
    except SpreadsheetError as exc:
        assert str(exc), 'a refusal says why'
        return None


@fuzz
@given(st.binary(max_size=4000))
def test_any_bytes_as_csv_are_read_or_refused(data):
    sheet = read_or_refuse('register.csv', data)
    if sheet is not None:
        assert sheet.headers and all(isinstance(n, int) and n >= 2 for n, _ in sheet.rows)


@fuzz
@given(st.binary(max_size=4000))
def test_any_bytes_as_xlsx_are_refused(data):
    assume(not data.startswith(b'PK'))
    assert read_or_refuse('register.xlsx', data) is None


@fuzz
@given(st.data())
def test_a_damaged_workbook_is_read_or_refused(data):
    """A real workbook, truncated or with bytes overwritten anywhere."""
    damaged = bytearray(VALID_XLSX)
    if data.draw(st.booleans()):
        damaged = damaged[: data.draw(st.integers(0, len(damaged)))]
    else:
        for _ in range(data.draw(st.integers(1, 8))):
            damaged[data.draw(st.integers(0, len(damaged) - 1))] = data.draw(st.integers(0, 255))
    read_or_refuse('register.xlsx', bytes(damaged))


@fuzz
@given(st.lists(st.lists(cell_text, min_size=2, max_size=2), max_size=6))
def test_a_workbook_sheet_with_any_text_is_read_or_refused(rows):
    try:
        data = _workbook([['name', 'address'], *rows])
    except IllegalCharacterError:
        return  # openpyxl will not write some control characters: no such workbook can exist
    read_or_refuse('register.xlsx', data)


@fuzz
@given(st.lists(st.lists(cell_text, min_size=3, max_size=3), min_size=1, max_size=5), st.sampled_from(['csv', 'xlsx']))
def test_any_text_exports_and_reads_back_as_itself(rows, fmt):
    headers = ['a', 'b', 'c']
    data = csv_bytes(headers, rows) if fmt == 'csv' else xlsx_bytes(headers, rows)
    sheet = read_upload(f'export.{fmt}', data)
    expected = [[_printable(cell).strip() for cell in row] for row in rows]
    read = [[cells[h] for h in headers] for _, cells in sheet.rows]
    assert read == [row for row in expected if any(row)]


def _printable(text: str) -> str:
    """What a spreadsheet can hold of a text: control characters other than tab and newlines cannot be kept."""
    return ''.join(c for c in text if c >= ' ' or c in '\t\n\r')


# The register importer


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def _register(organisation):
    return (
        sorted(Site.objects.filter(organisation=organisation).values_list('pk', 'name', 'address', 'version')),
        sorted(System.objects.filter(organisation=organisation).values_list('pk', 'name', 'version')),
        sorted(EquipmentLine.objects.filter(organisation=organisation).values_list('pk', 'quantity', 'version')),
    )


def good_values(world) -> dict[str, list[str]]:
    """Values each column takes when it is right, from A's register as the world made it."""
    a = world.a
    sites = [s.name for s in a.sites]
    return {
        'id': ['', '', str(a.lines[0].pk), str(a.lines[1].pk)],
        'name': [*sites, 'KENTMARK Depot', 'KENTMARK Yard', sites[0].lower()],
        'site': sites,
        'system': [s.name for s in a.systems] + ['KENTMARK Drones'],
        'category': ['', 'anpr', 'internal_cctv', 'drone'],
        'manufacturer': ['Hikvision', 'Axis', 'Dahua', 'Honeywell'],
        'quantity': ['1', '2', '12', '1,200'],
        'kind': ['', 'other', 'custody', 'Police station'],
        'sensitive': ['', 'yes', 'no', 'TRUE'],
        'mac_address': ['', 'c0-56-e3-00-00-01'],
        'ip_address': ['', '10.0.0.1', '::1'],
        'installed_on': ['', '2021-03-31', '31/03/2021'],
        'network': ['', 'isolated', 'core'],
    }


junk = st.one_of(
    cell_text, st.sampled_from(['-3', '2.5', '0', '31/02/2021', '999.1.1.1', 'maybe', '=HYPERLINK("x")', 'zz:zz'])
)


def sheets(importer, good: dict[str, list[str]]):
    """Sheets mostly in the importer's columns with mostly right values, and everything else now and then."""

    def right(column: str):
        return st.sampled_from(good.get(column, ['', 'KENTMARK text']))

    header = st.lists(st.sampled_from([*importer.columns, 'colour', '']), min_size=1, max_size=len(importer.columns))
    columns = st.one_of(st.just(list(importer.columns)), st.just(list(importer.columns)), header)

    def rows_for(cols):
        clean = st.tuples(*(right(c) for c in cols))
        mixed = st.tuples(*(st.one_of(right(c), right(c), junk) for c in cols))
        row = st.one_of(clean, clean, mixed).map(list)
        return st.lists(row, max_size=5).map(lambda rows: [cols, *rows])

    return columns.flatmap(rows_for)


@pytest.mark.parametrize('importer', [SiteImporter, EquipmentImporter], ids=['sites', 'equipment'])
def test_an_import_writes_every_planned_row_or_nothing(world, db, importer):
    organisation, editor = world.a.organisation, world.a.editor

    @fuzz
    @given(sheets(importer, good_values(world)))
    def check(rows):
        with transaction.atomic():
            before, changes = _register(organisation), ObjectChange.objects.count()
            try:
                batch = actions.upload_import(editor, organisation, importer.kind, 'register.csv', _csv(rows))
            except ValidationError:
                event('refused on upload')
                assert _register(organisation) == before
                transaction.set_rollback(True)
                return
            try:
                counts = actions.commit_import(editor, batch)
            except ValidationError as exc:
                event('refused on commit')
                assert exc.messages
                assert _register(organisation) == before
                assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.PENDING
            else:
                event('committed')
                sites, systems, lines = _register(organisation)
                created = len(lines) - len(before[2]) if importer is EquipmentImporter else len(sites) - len(before[0])
                assert created == counts['create']
                written = ObjectChange.objects.count() - changes
                assert written >= counts['create'] + counts['update']
            transaction.set_rollback(True)

    check()
