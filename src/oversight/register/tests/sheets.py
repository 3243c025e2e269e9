"""Spreadsheets for import tests, written with the same core.exports writers the register's exports use."""

import io

from openpyxl import load_workbook

from oversight.core.exports import csv_bytes, xlsx_bytes
from oversight.register.imports import EquipmentImporter


def row(**cells) -> dict:
    """An equipment import row: every column, blank unless given."""
    return dict.fromkeys(EquipmentImporter.columns, '') | {k: str(v) for k, v in cells.items()}


def sheet_bytes(fmt: str, rows: list[dict], headers=None) -> bytes:
    headers = list(headers or EquipmentImporter.columns)
    values = [[r.get(h, '') for h in headers] for r in rows]
    return xlsx_bytes(headers, values) if fmt == 'xlsx' else csv_bytes(headers, values)


def read_xlsx(data: bytes) -> list[list]:
    """The first sheet's rows, as openpyxl reads them."""
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [list(values) for values in sheet.iter_rows(values_only=True)]
