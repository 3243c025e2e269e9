"""Reading uploaded CSV and XLSX files into rows, with every problem reported, never raised raw.

openpyxl parses the workbook's XML through defusedxml when it is installed (it is a dependency),
so entity-expansion and external-entity tricks in a crafted .xlsx are refused.
"""

import csv
import datetime
import io
import zipfile
import zlib
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .exports import unescape_cell


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (not a spreadsheet, too large, no header row)."""


@dataclass
class Sheet:
    headers: list[str]
    # (row number as a person sees it in the file, {header: text}) for every non-empty row.
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _text(value) -> str:
    if value is None:
        return ''
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # Before stripping: the character the apostrophe protects may be a tab or carriage return.
    return unescape_cell(str(value)).strip()


# What a file may hold, whatever it declares: every surface reads a whole sheet for each preview, so a
# small crafted workbook claiming a million rows or 16,384 columns must not hold a worker for minutes.
MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_CELLS = 2_000_000


def _bounded(rows):
    """The rows, refused beyond the row and cell caps (a row counts as wide as the file makes it)."""
    cells = 0
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS + 1:
            raise SpreadsheetError(
                f'The file has more than {MAX_ROWS:,} rows below its header; the limit is {MAX_ROWS:,}.'
            )
        cells += len(row)
        if cells > MAX_CELLS:
            raise SpreadsheetError(f'The file has more than {MAX_CELLS:,} cells; the limit is {MAX_CELLS:,}.')
        yield row


def _sheet(header_row, data_rows, first_row_number: int) -> Sheet:
    headers = [_text(h).lower() for h in header_row]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise SpreadsheetError('The file has no header row.')
    if len(headers) > MAX_COLUMNS:
        raise SpreadsheetError(f'The header row has {len(headers):,} columns; the limit is {MAX_COLUMNS:,}.')
    sheet = Sheet(headers=headers)
    width = len(headers)
    for offset, values in enumerate(data_rows):
        # Only the header's columns are read as text; beyond them, only cells holding something.
        cells = [_text(v) for v in values[:width]]
        extra = [text for text in (_text(v) for v in values[width:] if v is not None) if text]
        if not any(cells) and not extra:
            continue
        row = {h: (cells[i] if i < len(cells) else '') for i, h in enumerate(headers) if h}
        if extra:
            row['__extra__'] = ', '.join(extra)
        sheet.rows.append((first_row_number + offset, row))
    return sheet


def read_csv_bytes(data: bytes) -> Sheet:
    try:
        text = data.decode('utf-8-sig')
    except UnicodeDecodeError as exc:
        raise SpreadsheetError('The file is not UTF-8 text: save it as "CSV UTF-8" or upload an .xlsx.') from exc
    if '\x00' in text:
        raise SpreadsheetError('The file is not a CSV file (it contains binary data).')
    # Strict: an unclosed quote would otherwise swallow the rest of the file into one cell, and a
    # row's other columns would silently take their defaults.
    reader = csv.reader(io.StringIO(text, newline=''), strict=True)  # any line ends, as the csv module asks
    rows = []
    try:
        for row in _bounded(reader):
            rows.append(row)
    except csv.Error as exc:
        raise SpreadsheetError(
            f'Row {len(rows) + 1} of the CSV file cannot be read ({exc}): look for a double quote (") '
            'that is not closed or is followed by more text.'
        ) from exc
    if not rows:
        raise SpreadsheetError('The file is empty.')
    return _sheet(rows[0], rows[1:], first_row_number=2)


# A workbook is a zip: a small upload can unpack to gigabytes (a "zip bomb"), so the unpacked size is
# checked from the zip's directory before anything is decompressed.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


def _check_unpacked_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise SpreadsheetError('The file is not an Excel workbook (.xlsx).') from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise SpreadsheetError(
            f'The workbook unpacks to {unpacked:,} bytes; the limit is {MAX_UNPACKED_BYTES:,} bytes.'
        )


def _values(rows, formulas: list[str]):
    """Each row's cell values; where a cell holds a formula, its place is noted in `formulas`."""
    for number, row in enumerate(rows, start=1):
        for position, cell in enumerate(row, start=1):
            if cell.data_type == 'f':
                formulas.append(f'row {number}, column {get_column_letter(position)}')
        yield [cell.value for cell in row]


def read_xlsx_bytes(data: bytes) -> Sheet:
    _check_unpacked_size(data)
    # Read-only workbooks parse sheets lazily, so parsing errors surface while iterating rows.
    try:
        # Formulas are read as formulas, not as the value a program may have cached beside them (none,
        # when a script wrote the file): a formula is refused rather than read as a blank.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            worksheet = workbook.worksheets[0]
            # The sheet's declared <dimension> would pad every row to its width: rows are read as
            # wide as their own cells, and bounded by the caps.
            worksheet.reset_dimensions()
            formulas = []
            rows = _values(_bounded(worksheet.iter_rows()), formulas)
            header = next(rows, None)
            if header is None:
                raise SpreadsheetError('The workbook is empty.')
            sheet = _sheet(header, rows, first_row_number=2)
        finally:
            workbook.close()
    # A damaged archive surfaces as any of zlib's, zipfile's or the parser's errors.
    except (
        DefusedXmlException,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        KeyError,
        ValueError,
        OSError,
        IndexError,
    ) as exc:
        refused = _defused_cause(exc)
        if refused is not None:
            raise SpreadsheetError(f'The workbook cannot be read safely: {type(refused).__name__}.') from exc
        raise SpreadsheetError('The file is not an Excel workbook (.xlsx).') from exc
    if formulas:
        shown = '; '.join(formulas[:10]) + ('; …' if len(formulas) > 10 else '')
        raise SpreadsheetError(
            f'The workbook has formulas where values are read ({shown}): type the values themselves, '
            'or copy the cells and paste them as values.'
        )
    return sheet


def _defused_cause(exc: BaseException) -> BaseException | None:
    """defusedxml's refusal, which openpyxl wraps in a ValueError."""
    while exc is not None:
        if isinstance(exc, DefusedXmlException):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def read_upload(name: str, data: bytes, max_bytes: int | None = None) -> Sheet:
    """Read an uploaded file by its extension; refuse anything over the upload bound."""
    limit = max_bytes or settings.OVERSIGHT_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise SpreadsheetError(f'The file is {len(data):,} bytes; the limit is {limit:,} bytes.')
    lower = name.lower()
    if lower.endswith('.xlsx'):
        return read_xlsx_bytes(data)
    if lower.endswith('.csv') or lower.endswith('.txt'):
        return read_csv_bytes(data)
    raise SpreadsheetError('Upload a .csv or .xlsx file.')
