"""Catalog files: reading an uploaded CSV or XLSX into rows, and writing the catalog export.

The import and the export share one list of columns (`COLUMNS`), so an exported file imports
back unchanged. A file's type is told by its content, never by its name: a CSV is text that
decodes as UTF-8 (with or without a byte-order mark) or GB18030 (what Excel writes on a Chinese
Windows); an XLSX is a zip that openpyxl can open. Everything here raises `CatalogFileInvalid`
(an InvalidInput) for a file that cannot be read at all; problems of single rows are the
importer's business (suppliers.services.imports).

Exports are safe against spreadsheet formula injection: in CSV a text cell starting with one of
= + - @ tab or carriage return gets a leading apostrophe (which the importer takes off again); in
XLSX every text cell is written as a string, never as a formula.
"""

from __future__ import annotations

import csv
import io
import math
import sys
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from marketplace.errors import InvalidInput

# The columns of an import and of an export, in the order an export writes them.
COLUMNS: tuple[str, ...] = (
    "sku",
    "title",
    "description",
    "category",
    "unit",
    "moq",
    "currency",
    "lead_time_days",
    "tiers",
    "attributes",
    "monthly_capacity",
    "sample_available",
    "sample_price",
    "sample_days",
    "status",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("sku", "title", "category", "moq", "lead_time_days", "tiers")

# Header names a supplier may write instead of ours (compared case-insensitively, spaces trimmed).
HEADER_ALIASES: dict[str, str] = {
    "货号": "sku",
    "商品编号": "sku",
    "产品编号": "sku",
    "编号": "sku",
    "标题": "title",
    "产品名称": "title",
    "商品名称": "title",
    "名称": "title",
    "描述": "description",
    "产品描述": "description",
    "商品描述": "description",
    "类目": "category",
    "分类": "category",
    "产品类目": "category",
    "单位": "unit",
    "起订量": "moq",
    "最小起订量": "moq",
    "minimum order quantity": "moq",
    "币种": "currency",
    "货币": "currency",
    "交期": "lead_time_days",
    "交货期": "lead_time_days",
    "交期(天)": "lead_time_days",
    "交期（天）": "lead_time_days",
    "lead time": "lead_time_days",
    "lead time (days)": "lead_time_days",
    "阶梯价": "tiers",
    "价格阶梯": "tiers",
    "阶梯价格": "tiers",
    "price tiers": "tiers",
    "属性": "attributes",
    "产品属性": "attributes",
    "月产能": "monthly_capacity",
    "monthly capacity": "monthly_capacity",
    "提供样品": "sample_available",
    "样品": "sample_available",
    "sample": "sample_available",
    "样品价格": "sample_price",
    "样品价": "sample_price",
    "样品天数": "sample_days",
    "打样周期": "sample_days",
    "打样天数": "sample_days",
    "状态": "status",
}

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
# No product field holds more than the description's 20,000 characters; a longer cell is refused
# with its own message before the row's fields are looked at (10 MB of text in a cell is cheap to say no to).
MAX_CELL_CHARS = 20_000
# An XLSX is a zip: a small file may unpack to gigabytes of XML (a "zip bomb"); refuse before reading.
MAX_XLSX_UNPACKED_BYTES = 300 * 1024 * 1024
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc)

# A CSV cell may be as large as the whole file: the size limit is ours, not the csv module's.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class CatalogFileInvalid(InvalidInput):
    """The file as a whole cannot be imported (wrong type, missing columns, too large)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file")


@dataclass
class CatalogRow:
    """One data row: its number as the spreadsheet shows it (the header is row 1) and its cells by column."""

    number: int
    values: dict[str, str]
    too_long: list[str] = field(default_factory=list)


@dataclass
class CatalogFile:
    file_format: str  # "csv" or "xlsx"
    columns: list[str]  # our column names, in the file's order (None for ignored columns)
    ignored_columns: list[str]
    rows: list[CatalogRow]


def file_format_of(data: bytes) -> str:
    """'csv' or 'xlsx' from the content; raises CatalogFileInvalid for anything else."""
    if not data.strip():
        raise CatalogFileInvalid(_("The file is empty."))
    if data.startswith(XLSX_MAGIC):
        return "xlsx"
    if data.startswith(OLE_MAGIC):
        raise CatalogFileInvalid(_("This is an old Excel (.xls) file: save it as XLSX or CSV and upload it again."))
    if b"\x00" in data[:65536]:
        raise CatalogFileInvalid(_("This file is neither a CSV nor an XLSX file."))
    return "csv"


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(ord(char) < 32 and char not in "\t\r\n" for char in text[:65536]):
            break  # binary content that happens to decode
        return text
    raise CatalogFileInvalid(
        _("This file is not a CSV we can read: save it as CSV UTF-8 (or GB18030), or as XLSX, and upload it again.")
    )


def cell_text(value: Any) -> str:
    """A cell's value as the text the validation reads (XLSX cells may be numbers, dates or booleans)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)  # refused by the rules as not a number
        # Never an exponent (1e-05): the rules read plain digits only, as typed numbers are.
        return str(int(value)) if value.is_integer() else f"{Decimal(repr(value)):f}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    # An export writes '=... so spreadsheets show it as text; what was meant is =...
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_TRIGGERS:
        text = text[1:]
    return text


def _header(cells: list[Any]) -> tuple[list[str | None], list[str]]:
    names: list[str | None] = []
    ignored: list[str] = []
    known = set(COLUMNS)
    for cell in cells:
        label = cell_text(cell).strip()
        key = label.lower().replace("\ufeff", "")
        name = key.replace(" ", "_") if key.replace(" ", "_") in known else HEADER_ALIASES.get(key)
        if name is None or name in names:
            if label:
                ignored.append(label[:60])
            names.append(None)
        else:
            names.append(name)
    present = {name for name in names if name}
    missing = [name for name in REQUIRED_COLUMNS if name not in present]
    if missing:
        raise CatalogFileInvalid(
            _("The file has no column %(columns)s. The first row must name the columns, for example: %(example)s.")
            % {"columns": ", ".join(missing), "example": ", ".join(COLUMNS)}
        )
    return names, ignored


def read_sheet(
    raw_rows: Iterable[list[Any]],
    *,
    header: Callable[[list[Any]], tuple[list[str | None], list[str]]],
    max_rows: int,
    too_many: str,
) -> tuple[list[str | None], list[str], list[CatalogRow]]:
    """The rows of an uploaded sheet (a catalog, a belt's factory list): the first non-blank row
    names the columns (`header` gives each cell's column name, None for a column it ignores, and
    the ignored names); blank rows are skipped; a cell longer than MAX_CELL_CHARS is emptied and
    named in the row's `too_long`. CatalogFileInvalid when the sheet is empty or has more than
    `max_rows` rows (the message `too_many`)."""
    iterator = iter(raw_rows)
    for header_cells in iterator:
        if any(cell_text(cell).strip() for cell in header_cells):
            break
    else:
        raise CatalogFileInvalid(_("The file is empty."))
    names, ignored = header(list(header_cells))
    rows: list[CatalogRow] = []
    number = 1
    for cells in iterator:
        number += 1
        values: dict[str, str] = {}
        too_long: list[str] = []
        for name, cell in zip(names, cells, strict=False):
            if name is None:
                continue
            text = cell_text(cell)
            if len(text) > MAX_CELL_CHARS:
                too_long.append(name)
                text = ""
            values[name] = text
        if not too_long and not any(value.strip() for value in values.values()):
            continue  # a blank line
        if len(rows) >= max_rows:
            raise CatalogFileInvalid(too_many)
        rows.append(CatalogRow(number=number, values=values, too_long=too_long))
    return names, ignored, rows


def sheet_rows(data: bytes, file_format: str) -> Iterator[list[Any]]:
    """The raw rows of an uploaded CSV or XLSX file (`file_format_of` tells which)."""
    return _xlsx_rows(data) if file_format == "xlsx" else _csv_rows(data)


def _rows(raw_rows: Iterable[list[Any]]) -> CatalogFile:
    names, ignored, rows = read_sheet(
        raw_rows,
        header=_header,
        max_rows=MAX_ROWS,
        too_many=_("The file has more than %(max)s products; split it into smaller files.") % {"max": f"{MAX_ROWS:,}"},
    )
    return CatalogFile(file_format="", columns=[n for n in names if n], ignored_columns=ignored, rows=rows)


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise CatalogFileInvalid(_("The CSV file is malformed: %(problem)s.") % {"problem": error}) from error


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook  # only imports and exports need it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise CatalogFileInvalid(_("This file is not an XLSX workbook we can read.")) from error
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise CatalogFileInvalid(
            _("This workbook unpacks to more than %(limit)s MB; split it into smaller files.")
            % {"limit": MAX_XLSX_UNPACKED_BYTES // 1024 // 1024}
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign zip
        raise CatalogFileInvalid(_("This file is not an XLSX workbook we can read.")) from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise CatalogFileInvalid(_("The workbook has no sheet."))
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise CatalogFileInvalid(_("This file is not an XLSX workbook we can read.")) from error
    finally:
        workbook.close()


def read_catalog_file(data: bytes) -> CatalogFile:
    """Read an uploaded catalog file; raises CatalogFileInvalid when it cannot be imported at all."""
    if len(data) > MAX_FILE_BYTES:
        raise CatalogFileInvalid(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(len(data) / 1024 / 1024, 1), "limit": MAX_FILE_BYTES // 1024 // 1024}
        )
    file_format = file_format_of(data)
    catalog = _rows(_xlsx_rows(data) if file_format == "xlsx" else _csv_rows(data))
    catalog.file_format = file_format
    return catalog


# --- Export ------------------------------------------------------------------------------------


def _amount(value: Decimal) -> str:
    """12.5000 -> "12.50", 0.1250 -> "0.125": at least two decimals, no trailing zeros beyond."""
    text = format(value.normalize(), "f")
    whole, _point, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"


def product_export_row(product: Any) -> list[Any]:
    """One product as the import reads it; `product` needs its tiers prefetched and category selected."""
    tiers = sorted(product.tiers.all(), key=lambda tier: tier.min_quantity)
    return [
        product.sku,
        product.title,
        product.description,
        product.category.slug,
        product.unit,
        product.moq,
        product.currency_id,
        product.lead_time_days,
        "; ".join(f"{tier.min_quantity}:{_amount(tier.unit_price)}" for tier in tiers),
        "; ".join(f"{pair.get('name', '')}={pair.get('value', '')}" for pair in product.attributes or []),
        product.monthly_capacity,
        "yes" if product.sample_available else "no",
        None if product.sample_price is None else _amount(product.sample_price),
        product.sample_days,
        product.status,
    ]


def _csv_safe(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


class _Line:
    """A file-like object csv.writer writes one line into, so the export can stream."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text


def csv_lines(rows: Iterable[list[Any]]) -> Iterator[str]:
    """The export as CSV text, line by line (UTF-8 with a byte-order mark, so Excel reads the Chinese)."""
    line = _Line()
    writer = csv.writer(line)
    writer.writerow(COLUMNS)
    yield "\ufeff" + line.text
    for row in rows:
        line.text = ""
        writer.writerow([_csv_safe(value) for value in row])
        yield line.text


def xlsx_bytes(rows: Iterable[list[Any]]) -> bytes:
    """The export as an XLSX workbook. Text cells are strings, never formulas, whatever they start with."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("catalog")
    sheet.append(list(COLUMNS))
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl would take "=..." for a formula
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
