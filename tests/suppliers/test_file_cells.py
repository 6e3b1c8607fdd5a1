"""A spreadsheet cell is read exactly as a form field reads the same text: the same number, or the
same refusal in the same words (both go through `marketplace.input_values`)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django import forms
from openpyxl import Workbook

from marketplace.models import Category
from suppliers.catalog_files import COLUMNS, read_catalog_file
from suppliers.catalog_rules import ProductDataInvalid, product_data_from
from suppliers.factory_files import check_factory_row, read_factory_file
from suppliers.forms.catalog import ProductForm
from suppliers.forms.onboarding import FactoryClaimForm
from tests.factories import CategoryFactory, CurrencyFactory
from tests.suppliers.builders_onboarding import factory_csv, factory_row

# What people type in a number's cell or field: grouped, full-width, other scripts, exponents, signs, huge.
TYPED = [
    "1200",
    "1,200",
    "1 200",
    "１，２００",
    " 1200 ",
    "+1200",
    "1200.0",
    "1,200.50",
    "12,50",
    "٣",
    "²",
    "1e5",
    "1_000",
    "0x10",
    "-5",
    "0",
    "1.5",
    "9" * 40,
    "many",
]


def field_reads(field: forms.Field, text: str) -> Any:
    """What a form field makes of the text: the value, or its messages."""
    try:
        return field.clean(text)
    except forms.ValidationError as refused:
        return refused.messages


@pytest.mark.parametrize("typed", TYPED)
def test_a_factory_lists_capacity_cell_is_read_as_the_claim_form_reads_the_field(typed: str) -> None:
    sheet = read_factory_file(factory_csv([factory_row(monthly_capacity=typed)]))
    checked = check_factory_row(sheet.rows[0].values, lookup=lambda key: Category(slug=key))

    from_file = checked.data.monthly_capacity if checked.data else [message for _column, message in checked.problems]

    assert from_file == field_reads(FactoryClaimForm.base_fields["monthly_capacity"], typed.strip())


def test_a_capacity_cell_is_refused_in_the_words_of_the_form() -> None:
    def problems(typed: str) -> list[tuple[str, str]]:
        return check_factory_row(factory_row(monthly_capacity=typed), lookup=lambda key: Category(slug=key)).problems

    assert problems("٣") == [("monthly_capacity", "The monthly capacity must be a whole number.")]
    assert problems("-5") == [("monthly_capacity", "Enter a positive whole number.")]
    assert problems("9" * 40) == [("monthly_capacity", "This number is too large.")]
    assert problems("１，２００") == []


def catalog_csv(values: dict[str, str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerow([values.get(column, "") for column in COLUMNS])
    return buffer.getvalue().encode()


def catalog_xlsx(values: dict[str, Any]) -> bytes:
    workbook = Workbook()
    workbook.active.append(list(COLUMNS))
    workbook.active.append([values.get(column) for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def product(**numbers: Any) -> dict[str, Any]:
    return {
        "sku": "BG-001",
        "title": "Transparent PVC school backpack",
        "category": str(Category.objects.get(slug="backpacks").pk),
        "moq": "100",
        "currency": "CNY",
        "lead_time_days": "15",
        "tiers": "100:18.50",
        **numbers,
    }


def read_from_file(content: bytes) -> Any:
    """A product row as the import reads it: its data's numbers, or its problems by column."""
    cells = read_catalog_file(content).rows[0].values
    try:
        data = product_data_from(cells, category_lookup=lambda key: Category(slug=key), currency_codes={"CNY"})
    except ProductDataInvalid as invalid:
        return invalid.errors
    return (data.moq, data.monthly_capacity, data.sample_price)


def read_from_form(values: dict[str, Any]) -> Any:
    """The same product typed into the product form."""
    values = dict(values)
    tiers = values.pop("tiers").split(":")
    form = ProductForm(
        {**values, "unit": "piece", "status": "draft", "tier_quantity_0": tiers[0], "tier_price_0": tiers[1]}
    )
    if not form.is_valid():
        return dict(form.errors)
    data = form.product_data
    return (data.moq, data.monthly_capacity, data.sample_price)


@pytest.mark.django_db
@pytest.mark.parametrize("typed", TYPED)
def test_a_catalog_cell_is_read_as_the_product_form_reads_the_field(typed: str) -> None:
    CategoryFactory(slug="backpacks")
    CurrencyFactory(code="CNY")
    values = product(moq=typed, monthly_capacity=typed, sample_price=typed)

    assert read_from_file(catalog_csv(values)) == read_from_form(values)
    assert read_from_file(catalog_xlsx(values)) == read_from_form(values)


@pytest.mark.django_db
def test_a_number_an_xlsx_cell_holds_is_read_as_the_same_number_typed_into_the_form() -> None:
    CategoryFactory(slug="backpacks")
    CurrencyFactory(code="CNY")

    from_file = read_from_file(catalog_xlsx(product(moq=1200.0, monthly_capacity=50_000, sample_price=12.5)))

    assert from_file == read_from_form(product(moq="1200", monthly_capacity="50000", sample_price="12.5"))
    assert from_file == (1200, 50_000, 12.5)
