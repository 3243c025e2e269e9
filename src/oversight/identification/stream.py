"""`oversight identify` input and output: a CSV of device signals in, one JSON line per row out.

The input is streamed, never loaded whole: lines are read at most MAX_LINE_BYTES at a time (a longer line
is cut, the rest of it skipped, and its row reported as an error naming the column that overflowed),
fields are bounded by the engine (signals.MAX_FIELD_CHARS), and output is written in batches. So a 1 GB
line or a file of millions of rows runs in bounded memory. A problem in one row gives that row an unknown
result with an "error"; only an unusable header refuses the whole input.
"""

import csv
from collections.abc import Callable, Iterator
from typing import BinaryIO

from .engine import Identifier, unknown
from .signals import FIELDS, FieldError

MAX_LINE_BYTES = 64 * 1024
BATCH_ROWS = 1024
_CUT_LINE = '\n'  # what a cut-off line becomes for the CSV reader: an empty record of its own


# A register export feeds `identify` unchanged: its MAC column keeps the register's name, and the columns
# that describe the line rather than the device's identity (where it is, how many, notes) are read past.
ALIASES = {'mac_address': 'mac'}
REGISTER_COLUMNS = frozenset(
    {
        'organisation',
        'id',
        'site',
        'system',
        'category',
        'serial_number',
        'ip_address',
        'quantity',
        'installed_on',
        'next_upgrade',
        'video',
        'audio',
        'thermal',
        'night_vision',
        'network',
        'notes',
    }
)


class HeaderError(ValueError):
    """The first line does not name the columns as documented: nothing is identified."""


class _Lines:
    """The physical lines of a byte stream, decoded, each at most MAX_LINE_BYTES; remembers cut-off lines."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.number = 0  # of the last line handed out
        self.cut: dict[int, str] = {}  # line number -> the text kept before the cut

    def __iter__(self) -> Iterator[str]:
        readline = self.stream.readline
        while True:
            raw = readline(MAX_LINE_BYTES)
            if not raw:
                return
            self.number += 1
            # Undecodable bytes become lone surrogates, which the engine reports as binary data in their column.
            text = raw.decode('utf-8', 'surrogateescape')
            if self.number == 1:
                text = text.removeprefix('\ufeff')
            if len(raw) == MAX_LINE_BYTES and not raw.endswith(b'\n'):
                while (rest := readline(MAX_LINE_BYTES)) and not rest.endswith(b'\n'):
                    pass
                self.cut[self.number] = text
                text = _CUT_LINE
            yield text


def read_header(reader: Iterator[list[str]], lines: _Lines) -> list[str]:
    """The column names, checked: known, named once, none empty."""
    try:
        header = next(reader)
    except StopIteration:
        raise HeaderError(f'The input is empty: the first line must name the columns ({", ".join(FIELDS)}).') from None
    except csv.Error as exc:
        raise HeaderError(f'The header line cannot be read as CSV: {exc}.') from None
    if lines.cut:
        raise HeaderError(f'The header line is longer than {MAX_LINE_BYTES:,} bytes.')
    names = [ALIASES.get(name, name) for name in (name.strip().lower() for name in header)]
    problems = []
    for position, name in enumerate(names, start=1):
        if not name:
            problems.append(f'column {position} has no name')
        elif name in REGISTER_COLUMNS:
            continue
        elif name not in FIELDS:
            shown = name if len(name) <= 40 else f'{name[:39]}…'
            problems.append(f'unknown column "{shown.encode("ascii", "backslashreplace").decode()}"')
        elif names.index(name) != position - 1:
            problems.append(f'column "{name}" is named twice')
    if problems:
        raise HeaderError(
            f'{"; ".join(problems).capitalize()}. The columns are: {", ".join(FIELDS)} '
            '(or a register export, whose other columns are read past).'
        )
    return names


def _cut_column(text: str, header: list[str]) -> str:
    """The column a cut-off line was in when it was cut."""
    try:
        position = len(next(csv.reader([text]), [''])) - 1
    except csv.Error:
        position = text.count(',')
    return f'column "{header[position]}"' if position < len(header) else 'values after the last column'


def identify_csv(stream: BinaryIO, write: Callable[[str], object], identifier: Identifier) -> int:
    """Identify every row of a CSV byte stream, writing one JSON line per row in order; returns the row count.

    Raises HeaderError (before writing anything) when the header is unusable.
    """
    lines = _Lines(stream)
    reader = csv.reader(lines)
    header = read_header(reader, lines)
    width = len(header)
    # Where each of FIELDS sits in a row (None when the column is absent); the common layout needs no mapping.
    positions = [header.index(field) if field in header else None for field in FIELDS]
    as_is = header == list(FIELDS)
    findings_of, answer_json = identifier.findings, identifier.answer_json
    batch: list[str] = []
    rows = 0
    end = lines.number
    while True:
        start = end + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            row, answer = None, unknown(f'line {start}: the CSV cannot be read ({exc})').json
        end = lines.number
        if lines.cut:
            cut = [number for number in lines.cut if start <= number <= end]
            if cut:
                text = lines.cut.pop(cut[0])
                problem = f'{_cut_column(text, header)}: the line is longer than {MAX_LINE_BYTES:,} bytes'
                row, answer = None, unknown(f'line {cut[0]}, {problem}; the rest of it was skipped').json
        if row is not None:
            if not row:
                continue  # a blank line is not a row
            if len(row) != width:
                if len(row) > width and any(row[width:]):
                    answer = unknown(f'line {start}: {len(row)} values, but the header names {width} columns').json
                    row = None
                else:
                    row = row[:width] + [''] * (width - len(row))
            if row is not None:
                values = row if as_is else [row[p] if p is not None else '' for p in positions]
                findings = findings_of(values)
                if findings.__class__ is FieldError:
                    answer = unknown(f'line {start}, {findings}').json
                else:
                    answer = answer_json(findings, values)
        batch.append(answer)
        rows += 1
        if len(batch) >= BATCH_ROWS:
            write('\n'.join(batch) + '\n')
            batch.clear()
    if batch:
        write('\n'.join(batch) + '\n')
    return rows
