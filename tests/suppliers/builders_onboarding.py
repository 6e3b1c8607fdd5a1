"""Builders of the factory lists a belt imports: one row as a dict, and the rows as CSV or XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook

from suppliers.factory_files import COLUMNS


def factory_row(email: str = "li.wei@example-bags.cn", **values: Any) -> dict[str, Any]:
    base = {
        "company": "Pinghu Hengda Luggage Co., Ltd.",
        "contact_name": "Li Wei",
        "email": email,
        "phone": "+86 573 8512 0001",
        "categories": "luggage",
        "monthly_capacity": "50000",
        "language": "",
    }
    base.update(values)
    return base


def factory_csv(rows: Iterable[dict[str, Any]], *, columns: Iterable[str] = COLUMNS, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    columns = list(columns)
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for values in rows:
        writer.writerow([values.get(column, "") for column in columns])
    return buffer.getvalue().encode(encoding)


def factory_xlsx(rows: Iterable[dict[str, Any]], *, columns: Iterable[str] = COLUMNS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    columns = list(columns)
    sheet.append(columns)
    for values in rows:
        sheet.append([values.get(column) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
