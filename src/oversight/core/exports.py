"""CSV and XLSX writing shared by every export, with spreadsheet formula injection neutralised.

A cell that begins with =, +, -, @ (or a tab or carriage return) would be run as a formula by
spreadsheet programs; such text is prefixed with an apostrophe, which the readers take off again.
Numbers are written as numbers, so a negative quantity stays a number and is not mangled. Control
characters other than tab and line breaks are dropped: no worksheet can hold them.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

# The control characters no worksheet can hold (openpyxl's ILLEGAL_CHARACTERS_RE): written here, so the CSV
# paths and the data commands do not import openpyxl (half a second) to clean a cell.
ILLEGAL_CHARACTERS_RE = re.compile(r'[\000-\010]|[\013-\014]|[\016-\037]')

FORMULA_PREFIXES = ('=', '+', '-', '@', '\t', '\r')
# What safe_cell puts an apostrophe before: formula starts, and an apostrophe of the text's own, which
# would otherwise be taken off on re-import.
ESCAPED_STARTS = (*FORMULA_PREFIXES, "'")
XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'


def safe_cell(value):
    if value is None:
        return ''
    if isinstance(value, bool):
        return 'yes' if value else 'no'
    if isinstance(value, int | float):
        return value
    # Pasted text carries control characters a worksheet cannot hold (and a NUL makes a CSV look binary);
    # they go before the formula check, so they cannot hide an "=" from it.
    text = ILLEGAL_CHARACTERS_RE.sub('', str(value))
    if text.startswith(ESCAPED_STARTS):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    """Undo safe_cell's apostrophe, so an export re-imports as exactly what was exported."""
    if text[:1] == "'" and text[1:].startswith(ESCAPED_STARTS):
        return text[1:]
    return text


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180 line ends: a lone \r in a cell then reads back as itself
    writer.writerow(headers)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue().encode('utf-8')


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence], title: str = 'Export') -> bytes:
    from openpyxl import Workbook  # only a workbook export needs it

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(headers))
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(fmt: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """An attachment response in `fmt` ('csv' or 'xlsx')."""
    if fmt == 'xlsx':
        response = HttpResponse(xlsx_bytes(headers, rows, title=filename), content_type=XLSX_CONTENT_TYPE)
    else:
        fmt = 'csv'
        response = HttpResponse(csv_bytes(headers, rows), content_type='text/csv; charset=utf-8')
    response['Content-Disposition'] = f'attachment; filename="{filename}.{fmt}"'
    return response
