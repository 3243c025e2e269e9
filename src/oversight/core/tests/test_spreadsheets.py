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


def declaring(cells: dict[tuple[int, int], str], dimension: str) -> bytes:
    """A workbook holding `cells` ({(row, column): text}) whose sheet declares `dimension` as its size."""
    import re
    import zipfile

    workbook = Workbook()
    for (row, column), text in cells.items():
        workbook.active.cell(row, column, text)
    clean = io.BytesIO()
    workbook.save(clean)
    crafted = io.BytesIO()
    with zipfile.ZipFile(clean) as source, zipfile.ZipFile(crafted, 'w', zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == 'xl/worksheets/sheet1.xml':
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), data)
            target.writestr(item.filename, data)
    return crafted.getvalue()


def test_a_sheet_declaring_itself_huge_is_read_by_what_it_holds_and_quickly():
    """A few KB claiming A1:XFD20000 once took 20 s a read: every row was padded to 16,384 cells."""
    import time

    data = declaring({(1, 1): 'name', (1, 2): 'address', (20000, 1): 'Dover'}, 'A1:XFD20000')
    assert len(data) < 10_000
    started = time.process_time()  # CPU time: the same however busy the machine is
    sheet = read_upload('register.xlsx', data)
    assert time.process_time() - started < 2
    assert sheet.headers == ['name', 'address']
    assert sheet.rows == [(20000, {'name': 'Dover', 'address': ''})]


def test_a_sheet_beyond_the_row_cap_is_refused_naming_the_limit():
    import time

    from oversight.core.spreadsheets import MAX_ROWS

    data = declaring({(1, 1): 'name', (1_048_576, 1): 'Dover'}, 'A1:XFD1048576')
    started = time.process_time()  # CPU time: the same however busy the machine is
    with pytest.raises(SpreadsheetError, match=f'the limit is {MAX_ROWS:,}'):
        read_upload('register.xlsx', data)
    assert time.process_time() - started < 2
    rows = b'name\n' + b'x\n' * (MAX_ROWS + 1)
    with pytest.raises(SpreadsheetError, match=f'the limit is {MAX_ROWS:,}'):
        read_upload('register.csv', rows, max_bytes=len(rows))


def test_rows_padded_far_beyond_the_header_are_refused_by_the_cell_cap():
    from oversight.core.spreadsheets import MAX_CELLS

    # Each row holds one cell in the last column Excel has, so each is 16,384 cells wide.
    cells = {(1, 1): 'name'} | {(row, 16384): 'x' for row in range(2, 2 + MAX_CELLS // 16384 + 2)}
    with pytest.raises(SpreadsheetError, match=f'the limit is {MAX_CELLS:,}'):
        read_upload('register.xlsx', declaring(cells, 'A1:A2'))


def test_a_value_far_beyond_the_header_is_still_reported():
    sheet = read_upload('register.xlsx', declaring({(1, 1): 'name', (2, 1): 'Dover', (2, 300): 'stray'}, 'A1:A2'))
    assert sheet.rows == [(2, {'name': 'Dover', '__extra__': 'stray'})]


def test_a_formula_where_a_value_is_read_is_refused_naming_its_cell():
    """A script-written formula has no cached value: it used to be read as a blank answer, silently."""
    workbook = Workbook()
    workbook.active.append(['key', 'answer'])
    workbook.active.append(['staff.count', '=2+2'])
    workbook.active.append(['staff.names', 'plain text'])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(SpreadsheetError, match=r'formulas where values are read \(row 2, column B\)'):
        read_upload('return.xlsx', buffer.getvalue())


def test_a_csv_quote_left_open_is_refused_naming_its_row():
    """Once read as one long site name, the rest of its row (sensitive: yes) silently left at its default."""
    data = b'name,address,sensitive\nDover,1 High St,no\n"Ashford,2 Road,yes\nDeal,3 Lane,yes\n'
    with pytest.raises(SpreadsheetError, match=r'Row 3 of the CSV file cannot be read .*double quote'):
        read_upload('sites.csv', data)
    with pytest.raises(SpreadsheetError, match='Row 2 of the CSV'):
        read_upload('sites.csv', b'name,address\n"Dover" Castle,1 High St\n')
