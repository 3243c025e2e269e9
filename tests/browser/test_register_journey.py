"""Issue 2's journey: a body's editor imports an XLSX register with mistakes, sees every error at once,
fixes the file, imports it, and sees each line's canonical maker; the regulator sees every body; another
body's user gets a 404 for the lines and never sees them counted or exported."""

import io
import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from oversight.register import actions
from oversight.register.imports import IMPORTERS
from oversight.register.models import EquipmentLine, ImportBatch, Site

pytestmark = pytest.mark.browser

GOOD = [
    ['', 'Maidstone HQ', 'Custody CCTV', 'internal_cctv', 'Honeywell', '', 'HEN28103', '2.420.Honeywell 00.0.R', 12],
    ['', 'Maidstone HQ', 'Custody CCTV', 'internal_cctv', 'LTS', '', 'CMIP1112', 'V5.3.0 build 151202', 6],
    ['', 'Maidstone HQ', 'External CCTV', 'external_cctv', 'Axis Communications AB', '', 'P3245-LVE', '', 20],
]


GIVEN = ['id', 'site', 'system', 'category', 'manufacturer', 'brand', 'model', 'firmware', 'quantity']


def workbook(rows) -> bytes:
    """A workbook in the import template's columns; columns the rows do not give are left blank."""
    columns = IMPORTERS[ImportBatch.Kind.EQUIPMENT].columns
    book = Workbook()
    sheet = book.active
    sheet.append(list(columns))
    for row in rows:
        given = dict(zip(GIVEN, row, strict=True))
        sheet.append([given.get(column, '') for column in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(page, live_server, tmp_path, name, rows):
    path = tmp_path / name
    path.write_bytes(workbook(rows))
    page.goto(f'{live_server.url}/register/import/')
    page.get_by_label('Spreadsheet (.xlsx or .csv)').set_input_files(str(path))
    page.get_by_role('button', name='Upload and check').click()


def test_an_editor_imports_a_register_after_fixing_every_error(
    sign_in, page, live_server, tmp_path, editor_a, editor_b, regulator, body_a, body_b
):
    actions.create_site(None, body_a, name='Maidstone HQ', kind=Site.Kind.HEADQUARTERS, sensitive=True)
    essex_site = actions.create_site(None, body_b, name='Chelmsford HQ')
    essex_system = actions.create_system(None, body_b, name='Essex CCTV', category='external_cctv')
    essex_line = actions.create_line(
        None, body_b, site=essex_site, system=essex_system, manufacturer_declared='Dahua', quantity=40
    )

    sign_in(editor_a)
    mistakes = [
        GOOD[0],
        ['', 'Nowhere Station', 'Custody CCTV', 'internal_cctv', 'Honeywell', '', 'HEN28103', '', 12],
        ['', 'Maidstone HQ', 'Custody CCTV', 'satellite', 'LTS', '', 'CMIP1112', '', -6],
        GOOD[2][:8] + ['twenty'],
    ]
    upload(page, live_server, tmp_path, 'register-with-mistakes.xlsx', mistakes)
    expect(page.get_by_test_id('error-count')).to_contain_text('4 problems')
    errors = page.get_by_test_id('import-errors')
    for row, column in [('3', 'site'), ('4', 'category'), ('4', 'quantity'), ('5', 'quantity')]:
        expect(
            errors.locator('tr', has=page.locator(f'td:text-is("{row}")')).filter(has_text=column)
        ).not_to_have_count(0)
    assert EquipmentLine.objects.filter(organisation=body_a).count() == 0

    upload(page, live_server, tmp_path, 'register-fixed.xlsx', GOOD)
    expect(page.get_by_test_id('import-counts')).to_contain_text('3')
    page.get_by_role('button', name=re.compile(r'^Import 3 ')).click()
    # The import runs as a background task; its page follows it and links to the register once done.
    expect(page).to_have_url(re.compile(r'/tasks/\d+/$'))
    expect(page.get_by_test_id('job-state')).to_have_text('Done')
    page.get_by_test_id('job-result-link').click()
    expect(page).to_have_url(re.compile(r'/register/'))
    assert EquipmentLine.objects.filter(organisation=body_a).count() == 3
    assert ImportBatch.objects.get(filename='register-fixed.xlsx').status == ImportBatch.Status.COMMITTED

    honeywell = EquipmentLine.objects.get(organisation=body_a, manufacturer_declared='Honeywell')
    page.goto(f'{live_server.url}{honeywell.get_absolute_url()}')
    expect(page.get_by_test_id('maker')).to_have_text('Honeywell')
    expect(page.get_by_test_id('made-by')).to_contain_text('Dahua')
    expect(page.get_by_test_id('evidence')).to_contain_text('Dahua')
    page.screenshot(path='/tmp/oversight-register-line.png', full_page=True)
    lts = EquipmentLine.objects.get(organisation=body_a, manufacturer_declared='LTS')
    page.goto(f'{live_server.url}{lts.get_absolute_url()}')
    expect(page.get_by_test_id('made-by')).to_contain_text('Hikvision')

    # Another body's line is not found, and Kent's counts and export hold Kent's rows alone.
    response = page.goto(f'{live_server.url}{essex_line.get_absolute_url()}')
    assert response.status == 404
    page.goto(f'{live_server.url}/')
    expect(page.get_by_test_id('line-count')).to_have_text('3')
    exported = page.request.get(f'{live_server.url}/register/?export=csv').text()
    assert len(exported.strip().splitlines()) == 1 + 3
    assert 'Chelmsford' not in exported
    page.get_by_role('button', name='Sign out').click()

    # The regulator sees every body's lines.
    sign_in(regulator)
    page.goto(f'{live_server.url}/register/')
    expect(page.locator('body')).to_contain_text('Kent Police')
    expect(page.locator('body')).to_contain_text('Essex Police')
    expect(page.get_by_test_id('line-count')).to_have_count(0)
    page.goto(f'{live_server.url}/')
    expect(page.get_by_test_id('line-count')).to_have_text('4')
