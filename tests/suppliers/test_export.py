"""Export of a supplier's catalog: the import's columns, so an export imports back unchanged; no formulas."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from suppliers.catalog_files import COLUMNS
from suppliers.models import CatalogImport, Product
from tests.factories import CategoryFactory
from tests.querycount import count_queries
from tests.suppliers.builders_imports import give_image, product_with_tiers

pytestmark = pytest.mark.django_db

DANGEROUS = ['=HYPERLINK("http://evil.example","x")', "+1+2", "-2+3", "@SUM(A1)"]
# A leading tab or carriage return cannot come from the form or an import (they trim), but the export guards it too.
WHITESPACE_TRIGGERS = ["\tTabbed", "\rReturn"]
COMPARED = (
    "title",
    "description",
    "category_id",
    "attributes",
    "unit",
    "moq",
    "currency_id",
    "lead_time_days",
    "monthly_capacity",
    "sample_available",
    "sample_price",
    "sample_days",
    "status",
    "min_unit_price",
    "published_at",
)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def catalog(actors: dict) -> list[Product]:
    supplier = actors["supplier"].supplier
    bags, bins = CategoryFactory(slug="school-bags"), CategoryFactory(slug="sorting-bins")
    products = [
        product_with_tiers(
            supplier=supplier,
            category=bags,
            sku="BG-1",
            title="透明PVC书包 Transparent backpack",
            description='Line one, "quoted"\nline two; 第二行',
            attributes=[{"name": "material", "value": "PVC"}, {"name": "颜色", "value": "透明"}],
            tiers=((500, "18.5"), (2000, "16.8"), (10000, "15.125")),
            monthly_capacity=200000,
            sample_available=True,
            sample_price=Decimal("30.00"),
            sample_days=5,
        ),
        product_with_tiers(supplier=supplier, category=bins, sku="TZ-2", unit="set", currency_id="USD"),
        product_with_tiers(supplier=supplier, category=bins, sku="TZ-3", status=Product.Status.ARCHIVED),
    ]
    published = product_with_tiers(supplier=supplier, category=bags, sku="PUB-4", status=Product.Status.PUBLISHED)
    Product.objects.filter(pk=published.pk).update(published_at="2024-01-02T03:04:05Z")
    give_image(published)
    products.append(published)
    for index, text in enumerate(DANGEROUS):
        products.append(product_with_tiers(supplier=supplier, category=bags, sku=f"EVIL-{index}", title=text))
    return products


def snapshot(supplier: Any) -> dict[str, tuple]:
    return {
        product.sku: (
            *(getattr(product, name) for name in COMPARED),
            tuple((tier.min_quantity, tier.unit_price) for tier in product.tiers.all()),
        )
        for product in Product.objects.filter(supplier=supplier).prefetch_related("tiers")
    }


def export(actor: Any, file_format: str) -> Any:
    response = actor.client.get(reverse("suppliers:catalog_export", kwargs={"file_format": file_format}))
    assert response.status_code == 200
    return response


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def reimport(actor: Any, content: bytes, name: str, capture: Any) -> CatalogImport:
    actor.client.post(reverse("suppliers:import_list"), {"file": SimpleUploadedFile(name, content)})
    catalog_import = CatalogImport.objects.filter(supplier=actor.supplier).latest("id")
    assert catalog_import.status == CatalogImport.Status.READY, catalog_import.errors
    with capture(execute=True):
        actor.client.post(reverse("suppliers:import_start", args=[catalog_import.pk]))
    catalog_import.refresh_from_db()
    return catalog_import


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged(
    actors: dict, catalog: list[Product], file_format: str, django_capture_on_commit_callbacks: Any
) -> None:
    supplier = actors["supplier"]
    before = snapshot(supplier.supplier)

    content = body(export(supplier, file_format))
    catalog_import = reimport(supplier, content, f"export.{file_format}", django_capture_on_commit_callbacks)

    assert catalog_import.status == CatalogImport.Status.DONE
    assert (catalog_import.created_count, catalog_import.updated_count) == (0, len(catalog))
    assert snapshot(supplier.supplier) == before


def test_the_csv_export_has_the_import_columns_and_neutralises_formulas(actors: dict, catalog: list[Product]) -> None:
    for index, text in enumerate(WHITESPACE_TRIGGERS):
        product_with_tiers(
            supplier=actors["supplier"].supplier, category=catalog[0].category, sku=f"WS-{index}", title=text
        )
    response = export(actors["supplier"], "csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="catalog-')
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"), newline="")))

    assert tuple(rows[0]) == COLUMNS
    by_sku = {line[0]: dict(zip(COLUMNS, line, strict=True)) for line in rows[1:]}
    assert by_sku["BG-1"]["tiers"] == "500:18.50; 2000:16.80; 10000:15.125"
    assert by_sku["BG-1"]["attributes"] == "material=PVC; 颜色=透明"
    assert (by_sku["BG-1"]["sample_available"], by_sku["BG-1"]["sample_price"]) == ("yes", "30.00")
    titles = {by_sku[f"EVIL-{index}"]["title"] for index in range(len(DANGEROUS))}
    assert titles == {"'" + text for text in DANGEROUS}
    assert {by_sku[f"WS-{index}"]["title"] for index in range(2)} == {"'" + text for text in WHITESPACE_TRIGGERS}
    for line in rows[1:]:
        for cell in line:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_the_xlsx_export_writes_text_never_formulas(actors: dict, catalog: list[Product]) -> None:
    response = export(actors["supplier"], "xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(body(response))).worksheets[0]
    cells = [cell for line in sheet.iter_rows(min_row=2) for cell in line]

    assert all(cell.data_type != "f" for cell in cells)
    titles = {cell.value for cell in cells if cell.column == 2}
    assert set(DANGEROUS) <= titles
    evil = [cell for cell in cells if cell.value in DANGEROUS]
    assert evil
    assert all(cell.data_type == "s" for cell in evil)


def test_the_export_holds_only_the_suppliers_own_products(actors: dict, catalog: list[Product]) -> None:
    product_with_tiers(supplier=actors["other_supplier"].supplier, category=catalog[0].category, sku="NOT-MINE")
    mine = body(export(actors["supplier"], "csv")).decode("utf-8-sig")
    theirs = body(export(actors["other_supplier"], "csv")).decode("utf-8-sig")
    assert "NOT-MINE" not in mine
    assert "BG-1" in mine
    assert "NOT-MINE" in theirs
    assert "BG-1" not in theirs


def test_the_export_makes_the_same_queries_however_many_products(actors: dict, catalog: list[Product]) -> None:
    supplier = actors["supplier"]
    few = count_queries(lambda: body(export(supplier, "csv")))
    for index in range(10):
        product_with_tiers(supplier=supplier.supplier, category=catalog[0].category, sku=f"MORE-{index}")
    many = count_queries(lambda: body(export(supplier, "csv")))
    assert few == many
