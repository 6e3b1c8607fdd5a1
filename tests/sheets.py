"""Spreadsheets as people upload them, for the import tests: rows of values under a header row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook


def sheet_csv(rows: Iterable[dict[str, Any]], *, columns: Iterable[str], encoding: str = "utf-8") -> bytes:
    """A CSV file with `columns` as its header and one line per row (a missing value is empty)."""
    buffer = io.StringIO()
    columns = list(columns)
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for values in rows:
        writer.writerow([values.get(column, "") for column in columns])
    return buffer.getvalue().encode(encoding)


def sheet_xlsx(rows: Iterable[dict[str, Any]], *, columns: Iterable[str]) -> bytes:
    """The same as an Excel workbook (a missing value is an empty cell)."""
    workbook = Workbook()
    sheet = workbook.active
    columns = list(columns)
    sheet.append(columns)
    for values in rows:
        sheet.append([values.get(column) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
