import io

import pytest
from openpyxl import Workbook

from oversight.core.exports import csv_bytes, safe_cell, xlsx_bytes
from oversight.core.spreadsheets import SpreadsheetError, read_upload


def test_formula_like_text_is_neutralised_but_numbers_are_not():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell('+44 1622') == "'+44 1622"
    assert safe_cell('-1') == "'-1"
    assert safe_cell('@SUM(A1)') == "'@SUM(A1)"
    assert safe_cell(-3) == -3
    assert safe_cell(True) == 'yes'
    assert safe_cell(None) == ''
    assert safe_cell('\x00=1+1') == "'=1+1"  # a control character cannot hide a formula


@pytest.mark.parametrize('fmt', ['csv', 'xlsx'])
def test_exports_read_back_unchanged(fmt):
    headers = ['model', 'notes', 'quantity']
    rows = [
        ['=cmd|calc', 'a, b\nc', 4],
        ['DS-2CD2143G2-I', '', 12],
        ["'=not a formula", 'x\ry', 1],
        ['\x01=HYPERLINK("x")', '\tindented', 2],
    ]
    data = csv_bytes(headers, rows) if fmt == 'csv' else xlsx_bytes(headers, rows)
    sheet = read_upload(f'register.{fmt}', data)
    assert sheet.headers == headers
    assert sheet.rows == [
        (2, {'model': '=cmd|calc', 'notes': 'a, b\nc', 'quantity': '4'}),
        (3, {'model': 'DS-2CD2143G2-I', 'notes': '', 'quantity': '12'}),
        (4, {'model': "'=not a formula", 'notes': 'x\ry', 'quantity': '1'}),
        (5, {'model': '=HYPERLINK("x")', 'notes': 'indented', 'quantity': '2'}),
    ]


def test_row_numbers_skip_blank_rows_and_extra_cells_are_kept_for_reporting():
    sheet = read_upload('x.csv', b'site,quantity\nDover,2\n,\nAshford,3,surplus\n')
    assert [n for n, _ in sheet.rows] == [2, 4]
    assert sheet.rows[1][1]['__extra__'] == 'surplus'


@pytest.mark.parametrize(
    ('name', 'data', 'message'),
    [
        ('register.xlsx', b'PK\x03\x04 not really a zip', 'not an Excel workbook'),
        ('register.csv', b'\xff\xfe\x00b\x00a\x00d', 'not UTF-8'),
        ('register.csv', b'', 'empty'),
        ('register.pdf', b'%PDF-1.7', 'Upload a .csv or .xlsx'),
        ('register.csv', b'x' * 100, 'limit is 10 bytes'),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(name, data, message):
    with pytest.raises(SpreadsheetError, match=message):
        read_upload(name, data, max_bytes=10 if len(data) == 100 else None)


def test_xlsx_dates_and_whole_numbers_read_as_text():
    import datetime

    workbook = Workbook()
    workbook.active.append(['installed_on', 'quantity'])
    workbook.active.append([datetime.datetime(2021, 3, 4), 7.0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = read_upload('r.xlsx', buffer.getvalue())
    assert sheet.rows == [(2, {'installed_on': '2021-03-04', 'quantity': '7'})]


def test_workbook_with_xml_entities_is_refused():
    """A crafted workbook (entity expansion) is refused: openpyxl parses through defusedxml."""
    import zipfile

    import openpyxl

    assert openpyxl.DEFUSEDXML
    workbook = Workbook()
    workbook.active.append(['site'])
    workbook.active.append(['Dover'])
    clean = io.BytesIO()
    workbook.save(clean)
    crafted = io.BytesIO()
    with zipfile.ZipFile(clean) as source, zipfile.ZipFile(crafted, 'w') as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == 'xl/worksheets/sheet1.xml':
                data = data.replace(
                    b'<worksheet',
                    b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><worksheet',
                    1,
                )
            target.writestr(item, data)
    with pytest.raises(SpreadsheetError, match='cannot be read safely'):
        read_upload('bomb.xlsx', crafted.getvalue())


def test_control_characters_people_paste_do_not_break_an_xlsx_export():
    data = xlsx_bytes(['site'], [['KENT\x08MARK\x1b Pasted']])
    assert read_upload('sites.xlsx', data).rows == [(2, {'site': 'KENTMARK Pasted'})]


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_unpacked(monkeypatch):
    from oversight.core import spreadsheets

    workbook = Workbook()
    workbook.active.append(['site'])
    workbook.active.append(['x' * 5000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    monkeypatch.setattr(spreadsheets, 'MAX_UNPACKED_BYTES', 4000)
    with pytest.raises(SpreadsheetError, match='unpacks to'):
        read_upload('bomb.xlsx', buffer.getvalue())


def test_a_workbook_with_a_damaged_sheet_is_refused_not_crashed():
    import zipfile

    workbook = Workbook()
    workbook.active.append(['site'])
    workbook.active.append(['Dover'])
    clean = io.BytesIO()
    workbook.save(clean)
    damaged = io.BytesIO()
    with zipfile.ZipFile(clean) as source, zipfile.ZipFile(damaged, 'w', zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item))
    data = bytearray(damaged.getvalue())
    start = data.find(b'xl/worksheets/sheet1.xml') + 40
    data[start : start + 30] = b'\xff' * 30  # corrupt the compressed sheet
    with pytest.raises(SpreadsheetError):
        read_upload('damaged.xlsx', bytes(data))
