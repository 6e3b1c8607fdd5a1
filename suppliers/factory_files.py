"""Factory lists for belt onboarding: reading an uploaded CSV or XLSX and checking each row.

The readers of the catalog import (suppliers.catalog_files) tell the type by content and read the
cells; this module maps the header to the factory columns (English or Chinese names) and checks
one row at a time (company, contact, e-mail, phone, categories by code or English or Chinese
name, monthly capacity, language). Everything here raises `CatalogFileInvalid` (an InvalidInput
on the field "file") for a file that cannot be read at all; a row's problems are returned with
the column they are about, for the error report (suppliers.services.onboarding).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from marketplace.models import Category, User
from suppliers.catalog_files import (
    MAX_FILE_BYTES,
    CatalogFileInvalid,
    cell_text,
    file_format_of,
    read_sheet,
    sheet_rows,
)
from suppliers.services.profiles import positive_whole_number

# The columns of a factory list, in the order the sample file writes them.
COLUMNS: tuple[str, ...] = ("company", "contact_name", "email", "phone", "categories", "monthly_capacity", "language")
REQUIRED_COLUMNS: tuple[str, ...] = ("company", "contact_name", "email", "categories")
# Header names staff may write instead of ours (compared case-insensitively, spaces trimmed).
HEADER_ALIASES: dict[str, str] = {
    "company name": "company",
    "factory": "company",
    "公司": "company",
    "公司名称": "company",
    "企业名称": "company",
    "工厂": "company",
    "工厂名称": "company",
    "contact": "contact_name",
    "contact name": "contact_name",
    "contact person": "contact_name",
    "联系人": "contact_name",
    "e-mail": "email",
    "email address": "email",
    "e-mail address": "email",
    "邮箱": "email",
    "电子邮箱": "email",
    "电子邮件": "email",
    "telephone": "phone",
    "mobile": "phone",
    "phone number": "phone",
    "电话": "phone",
    "手机": "phone",
    "联系电话": "phone",
    "category": "categories",
    "类目": "categories",
    "主营类目": "categories",
    "品类": "categories",
    "capacity": "monthly_capacity",
    "monthly capacity": "monthly_capacity",
    "月产能": "monthly_capacity",
    "产能": "monthly_capacity",
    "语言": "language",
}
# Several categories in one cell: "school-bags; backpacks" or "书包、双肩包".
CATEGORY_SEPARATORS = re.compile(r"[;；、]")
PHONE_CHARACTERS = re.compile(r"^[0-9+()\-\s./]+$")
LANGUAGE_WORDS: dict[str, str] = {
    "en": "en",
    "english": "en",
    "英文": "en",
    "英语": "en",
    "zh": "zh-hans",
    "zh-hans": "zh-hans",
    "zh-cn": "zh-hans",
    "chinese": "zh-hans",
    "中文": "zh-hans",
    "简体中文": "zh-hans",
}
DEFAULT_INVITATION_LANGUAGE = "zh-hans"  # the belts' factories are in China

MAX_ROWS = 20_000


# --- Reading a factory list ----------------------------------------------------------------------


@dataclass
class FactoryRow:
    """One data row: its number as the spreadsheet shows it (the header is row 1) and its cells."""

    number: int
    values: dict[str, str]
    too_long: list[str] = field(default_factory=list)


@dataclass
class FactoryFile:
    file_format: str
    ignored_columns: list[str]
    rows: list[FactoryRow]


def _column_name(label: str) -> str | None:
    key = label.strip().lower().replace("\ufeff", "")
    underscored = key.replace(" ", "_").replace("-", "_")
    if underscored in COLUMNS:
        return underscored
    return HEADER_ALIASES.get(key)


def _header(cells: list[Any]) -> tuple[list[str | None], list[str]]:
    names: list[str | None] = []
    ignored: list[str] = []
    for cell in cells:
        label = cell_text(cell).strip()
        name = _column_name(label)
        if name is None or name in names:
            if label:
                ignored.append(label[:60])
            names.append(None)
        else:
            names.append(name)
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise CatalogFileInvalid(
            _("The file has no column %(columns)s. The first row must name the columns, for example: %(example)s.")
            % {"columns": ", ".join(missing), "example": ", ".join(COLUMNS)}
        )
    return names, ignored


def read_factory_file(data: bytes) -> FactoryFile:
    """Read an uploaded factory list; raises CatalogFileInvalid (field "file") when it cannot be read at all."""
    if len(data) > MAX_FILE_BYTES:
        raise CatalogFileInvalid(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(len(data) / 1024 / 1024, 1), "limit": MAX_FILE_BYTES // 1024 // 1024}
        )
    file_format = file_format_of(data)
    _names, ignored, sheet = read_sheet(
        sheet_rows(data, file_format),
        header=_header,
        max_rows=MAX_ROWS,
        too_many=_("The file has more than %(max)s factories; split it into smaller files.") % {"max": f"{MAX_ROWS:,}"},
    )
    rows = [
        FactoryRow(
            number=row.number, values={name: text.strip() for name, text in row.values.items()}, too_long=row.too_long
        )
        for row in sheet
    ]
    return FactoryFile(file_format=file_format, ignored_columns=ignored, rows=rows)


# --- Checking one row ----------------------------------------------------------------------------


@dataclass
class FactoryData:
    company_name: str
    contact_name: str
    email: str
    phone: str
    categories: list[Category]
    monthly_capacity: int | None
    language: str


@dataclass
class RowCheck:
    data: FactoryData | None
    problems: list[tuple[str, str]]  # (column, message)


def category_lookup() -> Callable[[str], Category | None]:
    """Slug, English name or Chinese name (any case) -> Category, all categories loaded in one query."""
    categories = list(Category.objects.order_by("path"))
    by_key: dict[str, Category] = {category.slug.lower(): category for category in categories}
    for category in categories:  # a slug wins over a name; of two same names, the first in the tree
        by_key.setdefault(category.name_en.strip().lower(), category)
        by_key.setdefault(category.name_zh.strip(), category)
    return lambda key: by_key.get(key.strip().lower()) or by_key.get(key.strip())


def normalised_email(email: str) -> str:
    return User.objects.normalize_email((email or "").strip()).lower()


def check_factory_row(values: dict[str, str], *, lookup: Callable[[str], Category | None]) -> RowCheck:
    """Every problem of one row, with the column it is about; the data when there is none."""
    problems: list[tuple[str, str]] = []
    company = values.get("company", "")
    contact = values.get("contact_name", "")
    email = normalised_email(values.get("email", ""))
    phone = values.get("phone", "")
    if not company:
        problems.append(("company", _("The company name is missing.")))
    elif len(company) > 200:
        problems.append(("company", _("The company name can be at most 200 characters.")))
    if not contact:
        problems.append(("contact_name", _("The contact name is missing.")))
    elif len(contact) > 150:
        problems.append(("contact_name", _("The contact name can be at most 150 characters.")))
    if not email:
        problems.append(("email", _("The e-mail address is missing.")))
    else:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                ("email", _("“%(email)s” is not a valid e-mail address.") % {"email": values.get("email", "")})
            )
    if phone and (len(phone) > 40 or not PHONE_CHARACTERS.match(phone) or sum(c.isdigit() for c in phone) < 5):
        problems.append(
            ("phone", _("“%(phone)s” is not a phone number: use digits, spaces, + - ( ).") % {"phone": phone})
        )
    categories: list[Category] = []
    names = [name.strip() for name in CATEGORY_SEPARATORS.split(values.get("categories", "")) if name.strip()]
    if not names:
        problems.append(("categories", _("Name at least one category the factory makes.")))
    for name in names:
        category = lookup(name)
        if category is None:
            problems.append(
                (
                    "categories",
                    _(
                        "Unknown category “%(name)s”: use a category's code (for example school-bags) "
                        "or its English or Chinese name; separate several with ; or 、"
                    )
                    % {"name": name},
                )
            )
        elif category not in categories:
            categories.append(category)
    capacity: int | None = None
    capacity_text = values.get("monthly_capacity", "")
    if capacity_text:  # read as the factory's claim form reads the field it prefills
        try:
            capacity = positive_whole_number(capacity_text, label=_("The monthly capacity"))
        except ValueError as error:
            problems.append(("monthly_capacity", str(error)))
    language_text = values.get("language", "")
    language = LANGUAGE_WORDS.get(language_text.lower(), "") if language_text else DEFAULT_INVITATION_LANGUAGE
    if not language:
        problems.append(
            ("language", _("Unknown language “%(value)s”: write en or zh-hans.") % {"value": language_text})
        )
    if problems:
        return RowCheck(data=None, problems=problems)
    return RowCheck(
        data=FactoryData(
            company_name=company,
            contact_name=contact,
            email=email,
            phone=phone,
            categories=categories,
            monthly_capacity=capacity,
            language=language,
        ),
        problems=[],
    )
