"""Reading uploaded CSV and XLSX files into rows, with every problem reported, never raised raw.

openpyxl parses the workbook's XML through defusedxml when it is installed (it is a dependency),
so entity-expansion and external-entity tricks in a crafted .xlsx are refused.
"""

import contextlib
import csv
import datetime
import io
import zipfile
import zlib
from collections.abc import Iterable, Iterator
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
    # (row number as a person sees it in the file, {header: text}) for every non-empty row: a list, or
    # while a file is streamed (`open_upload`), an iterator that reads the rows as they are asked for.
    rows: Iterable[tuple[int, dict[str, str]]] = field(default_factory=list)


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


# What a file may hold, whatever it declares: a small crafted workbook claiming ten million rows or
# 16,384 columns must not hold a worker for an hour. Rows are streamed, so the caps bound time, not
# memory: a national body's register of a few hundred thousand lines (50 MB) is within them.
MAX_ROWS = 500_000
MAX_COLUMNS = 200
MAX_CELLS = 20_000_000


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


def _headers(header_row) -> list[str]:
    headers = [_text(h).lower() for h in header_row]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise SpreadsheetError('The file has no header row.')
    if len(headers) > MAX_COLUMNS:
        raise SpreadsheetError(f'The header row has {len(headers):,} columns; the limit is {MAX_COLUMNS:,}.')
    return headers


def _data_rows(headers: list[str], data_rows, first_row_number: int) -> Iterator[tuple[int, dict[str, str]]]:
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
        yield first_row_number + offset, row


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    # Decoded as it is read, so a large file is never held twice in memory.
    text = io.TextIOWrapper(io.BytesIO(data), encoding='utf-8-sig', newline='')  # any line ends, as csv asks
    # Strict: an unclosed quote would otherwise swallow the rest of the file into one cell, and a
    # row's other columns would silently take their defaults.
    reader = csv.reader(text, strict=True)
    count = 0
    try:
        for row in _bounded(reader):
            if any('\x00' in cell for cell in row):
                raise SpreadsheetError('The file is not a CSV file (it contains binary data).')
            count += 1
            yield row
    except UnicodeDecodeError as exc:
        raise SpreadsheetError('The file is not UTF-8 text: save it as "CSV UTF-8" or upload an .xlsx.') from exc
    except csv.Error as exc:
        raise SpreadsheetError(
            f'Row {count + 1} of the CSV file cannot be read ({exc}): look for a double quote (") '
            'that is not closed or is followed by more text.'
        ) from exc


@contextlib.contextmanager
def _open_csv(data: bytes) -> Iterator[Sheet]:
    rows = _csv_rows(data)
    header = next(rows, None)
    if header is None:
        raise SpreadsheetError('The file is empty.')
    headers = _headers(header)
    yield Sheet(headers, _data_rows(headers, rows, first_row_number=2))


# A workbook is a zip: a small upload can unpack to gigabytes (a "zip bomb"), so the unpacked size is
# checked from the zip's directory before anything is decompressed.
# A 50 MB register unpacks to about 550 MB of XML, read as a stream; more than 1 GiB is refused.
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024


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


# A damaged archive surfaces as any of zlib's, zipfile's or the parser's errors, while rows are read.
_DAMAGED = (
    DefusedXmlException,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    KeyError,
    ValueError,
    OSError,
    IndexError,
)


def _refused(exc: BaseException) -> SpreadsheetError:
    refused = _defused_cause(exc)
    if refused is not None:
        return SpreadsheetError(f'The workbook cannot be read safely: {type(refused).__name__}.')
    return SpreadsheetError('The file is not an Excel workbook (.xlsx).')


def _guarded(rows):
    try:
        yield from rows
    except _DAMAGED as exc:
        raise _refused(exc) from exc


def _without_formulas(rows, formulas: list[str]):
    """The rows; formulas found are refused once every row is read, naming the first ten."""
    yield from rows
    if formulas:
        shown = '; '.join(formulas[:10]) + ('; …' if len(formulas) > 10 else '')
        raise SpreadsheetError(
            f'The workbook has formulas where values are read ({shown}): type the values themselves, '
            'or copy the cells and paste them as values.'
        )


@contextlib.contextmanager
def _open_xlsx(data: bytes) -> Iterator[Sheet]:
    _check_unpacked_size(data)
    # Read-only workbooks parse sheets lazily, so parsing errors surface while iterating rows.
    try:
        # Formulas are read as formulas, not as the value a program may have cached beside them (none,
        # when a script wrote the file): a formula is refused rather than read as a blank.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except _DAMAGED as exc:
        raise _refused(exc) from exc
    try:
        try:
            worksheet = workbook.worksheets[0]
            # The sheet's declared <dimension> would pad every row to its width: rows are read as
            # wide as their own cells, and bounded by the caps.
            worksheet.reset_dimensions()
            formulas = []
            rows = _guarded(_values(_bounded(worksheet.iter_rows()), formulas))
            header = next(rows, None)
        except _DAMAGED as exc:
            raise _refused(exc) from exc
        if header is None:
            raise SpreadsheetError('The workbook is empty.')
        headers = _headers(header)
        yield Sheet(headers, _without_formulas(_data_rows(headers, rows, first_row_number=2), formulas))
    finally:
        workbook.close()


def _defused_cause(exc: BaseException) -> BaseException | None:
    """defusedxml's refusal, which openpyxl wraps in a ValueError."""
    while exc is not None:
        if isinstance(exc, DefusedXmlException):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


@contextlib.contextmanager
def open_upload(name: str, data: bytes, max_bytes: int | None = None) -> Iterator[Sheet]:
    """The file's header row, and its rows read as they are iterated (a few at a time in memory).

    A problem found in the rows raises SpreadsheetError while they are read; the caller reads them
    inside the `with` block, which closes the workbook.
    """
    limit = max_bytes or settings.OVERSIGHT_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise SpreadsheetError(f'The file is {len(data):,} bytes; the limit is {limit:,} bytes.')
    lower = name.lower()
    if lower.endswith('.xlsx'):
        opened = _open_xlsx(data)
    elif lower.endswith('.csv') or lower.endswith('.txt'):
        opened = _open_csv(data)
    else:
        raise SpreadsheetError('Upload a .csv or .xlsx file.')
    with opened as sheet:
        yield sheet


def read_upload(name: str, data: bytes, max_bytes: int | None = None) -> Sheet:
    """Read an uploaded file by its extension, every row at once; refuse anything over the upload bound."""
    with open_upload(name, data, max_bytes) as sheet:
        return Sheet(sheet.headers, list(sheet.rows))
