"""Builders of the factory lists a belt imports: one row as a dict, and the rows as CSV or XLSX."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from suppliers.factory_files import COLUMNS
from tests.sheets import sheet_csv, sheet_xlsx


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
    return sheet_csv(rows, columns=columns, encoding=encoding)


def factory_xlsx(rows: Iterable[dict[str, Any]], *, columns: Iterable[str] = COLUMNS) -> bytes:
    return sheet_xlsx(rows, columns=columns)
