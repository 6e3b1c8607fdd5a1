"""Bulk import of a supplier's catalog: every row checked first, then an upsert by SKU in a task."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from marketplace.errors import Conflict
from marketplace.models import Category
from suppliers import catalog_files
from suppliers.catalog_files import COLUMNS
from suppliers.models import CatalogImport, Product
from suppliers.services.import_queue import catalog_import_start
from suppliers.services.imports import catalog_import_run
from suppliers.views import imports as import_views
from tests.factories import CategoryFactory
from tests.querycount import assert_same_queries_for_page_sizes
from tests.sheets import sheet_csv, sheet_xlsx
from tests.suppliers.builders_imports import give_image, png_bytes, product_with_tiers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def bags(db: None) -> Any:
    return CategoryFactory(slug="transparent-backpacks", name_en="Transparent backpacks", name_zh="透明书包")


def row(sku: str = "BG-001", **values: Any) -> dict[str, Any]:
    base = {
        "sku": sku,
        "title": f"Transparent PVC school backpack {sku}",
        "description": "Clear PVC backpack 透明PVC书包",
        "category": "transparent-backpacks",
        "unit": "piece",
        "moq": "500",
        "currency": "CNY",
        "lead_time_days": "15",
        "tiers": "500:18.50; 2000:16.80",
        "attributes": "material=PVC; colour=clear",
        "monthly_capacity": "200000",
        "sample_available": "yes",
        "sample_price": "30",
        "sample_days": "5",
        "status": "draft",
    }
    base.update(values)
    return base


def csv_bytes(rows: Iterable[dict[str, Any]], *, columns: Iterable[str] = COLUMNS, encoding: str = "utf-8") -> bytes:
    return sheet_csv(rows, columns=columns, encoding=encoding)


def xlsx_file_bytes(rows: Iterable[dict[str, Any]], *, columns: Iterable[str] = COLUMNS) -> bytes:
    return sheet_xlsx(rows, columns=columns)


def upload(actor: Any, content: bytes, name: str = "catalog.csv") -> Any:
    return actor.client.post(reverse("suppliers:import_list"), {"file": SimpleUploadedFile(name, content)})


def latest_import(actor: Any) -> CatalogImport:
    return CatalogImport.objects.filter(supplier=actor.supplier).latest("id")


def start(actor: Any, catalog_import: CatalogImport, capture: Any) -> Any:
    with capture(execute=True):
        return actor.client.post(reverse("suppliers:import_start", args=[catalog_import.pk]))


# --- The happy path -----------------------------------------------------------------------------


def test_a_valid_csv_is_checked_then_imported_creating_the_products(
    actors: dict, bags: Any, django_capture_on_commit_callbacks: Any
) -> None:
    supplier = actors["supplier"]
    response = upload(supplier, csv_bytes([row("BG-001"), row("BG-002", tiers="500:20; 1000:19")]))
    catalog_import = latest_import(supplier)
    assert response.status_code == 302
    assert response["Location"] == reverse("suppliers:import_detail", args=[catalog_import.pk])
    page = supplier.client.get(response["Location"]).content.decode()
    assert "Start import" in page
    assert catalog_import.status == CatalogImport.Status.READY
    assert catalog_import.total_rows == 2
    assert not Product.objects.exists(), "checking a file writes nothing to the catalog"

    response = start(supplier, catalog_import, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    catalog_import.refresh_from_db()
    assert catalog_import.status == CatalogImport.Status.DONE
    assert (catalog_import.created_count, catalog_import.updated_count) == (2, 0)
    assert catalog_import.processed_rows == 2
    assert catalog_import.progress_percent == 100
    product = Product.objects.get(supplier=supplier.supplier, sku="BG-002")
    assert product.title == "Transparent PVC school backpack BG-002"
    assert product.category == bags
    assert [(t.min_quantity, t.unit_price) for t in product.tiers.all()] == [
        (500, Decimal("20")),
        (1000, Decimal("19")),
    ]
    assert product.min_unit_price == Decimal("19")
    assert (product.belt_id, product.province) == (supplier.supplier.belt_id, supplier.supplier.province)
    assert product.attributes == [{"name": "material", "value": "PVC"}, {"name": "colour", "value": "clear"}]
    assert product.sample_available
    assert product.sample_price == Decimal("30")
    assert product.sample_days == 5
    assert "transparent" in product.search_text
    assert "书包" in product.search_text
    assert product.status == Product.Status.DRAFT


def test_an_xlsx_file_imports_like_a_csv(actors: dict, bags: Any, django_capture_on_commit_callbacks: Any) -> None:
    supplier = actors["supplier"]
    values = row("XL-1", moq=500, lead_time_days=15, monthly_capacity=1000, sample_price=12.5, sample_days=None)
    upload(supplier, xlsx_file_bytes([values]), name="catalog.xlsx")
    catalog_import = latest_import(supplier)
    assert (catalog_import.status, catalog_import.file_format) == (CatalogImport.Status.READY, "xlsx")

    start(supplier, catalog_import, django_capture_on_commit_callbacks)

    product = Product.objects.get(sku="XL-1")
    assert (product.moq, product.lead_time_days, product.sample_price) == (500, 15, Decimal("12.5"))
    assert product.sample_days is None


def test_importing_again_updates_products_by_sku_and_replaces_their_tiers(
    actors: dict, bags: Any, django_capture_on_commit_callbacks: Any
) -> None:
    supplier = actors["supplier"]
    existing = product_with_tiers(
        supplier=supplier.supplier, category=bags, sku="BG-001", tiers=((100, "30"), (200, "29"), (300, "28"))
    )
    upload(supplier, csv_bytes([row("BG-001", title="Renamed backpack", moq="100", tiers="100:25"), row("BG-NEW")]))
    catalog_import = latest_import(supplier)

    start(supplier, catalog_import, django_capture_on_commit_callbacks)

    catalog_import.refresh_from_db()
    assert (catalog_import.created_count, catalog_import.updated_count) == (1, 1)
    updated = Product.objects.get(pk=existing.pk)
    assert updated.title == "Renamed backpack"
    assert updated.created_at == existing.created_at
    assert [(t.min_quantity, t.unit_price) for t in updated.tiers.all()] == [(100, Decimal("25"))]
    assert updated.min_unit_price == Decimal("25")
    assert Product.objects.filter(supplier=supplier.supplier).count() == 2


def test_chinese_column_names_and_a_gb18030_csv_are_read(
    actors: dict, bags: Any, django_capture_on_commit_callbacks: Any
) -> None:
    supplier = actors["supplier"]
    chinese = {
        "货号": "sku",
        "标题": "title",
        "类目": "category",
        "起订量": "moq",
        "交期": "lead_time_days",
        "阶梯价": "tiers",
    }
    content = csv_bytes(
        [{name: row("ZH-1", title="透明书包")[ours] for name, ours in chinese.items()}],
        columns=chinese,
        encoding="gb18030",
    )
    upload(supplier, content)
    catalog_import = latest_import(supplier)
    assert catalog_import.status == CatalogImport.Status.READY, catalog_import.errors

    start(supplier, catalog_import, django_capture_on_commit_callbacks)

    assert Product.objects.get(sku="ZH-1").title == "透明书包"


def test_a_utf8_csv_with_a_byte_order_mark_and_semicolons_is_read(actors: dict, bags: Any) -> None:
    supplier = actors["supplier"]
    content = "\ufeff" + csv_bytes([row("BOM-1")]).decode().replace(",", ";").replace(
        "500:18.50; 2000:16.80", '"500:18.50; 2000:16.80"'
    )
    # The tiers and attributes hold semicolons: quoted so the semicolon-separated file stays one cell each.
    content = content.replace("material=PVC; colour=clear", '"material=PVC; colour=clear"')
    content = content.replace("Clear PVC backpack 透明PVC书包", "Clear PVC backpack")
    upload(supplier, content.encode("utf-8"))
    assert latest_import(supplier).status == CatalogImport.Status.READY, latest_import(supplier).errors


def test_a_new_product_asking_to_be_published_is_imported_as_a_draft_with_a_warning(
    actors: dict, bags: Any, django_capture_on_commit_callbacks: Any
) -> None:
    supplier = actors["supplier"]
    with_image = product_with_tiers(supplier=supplier.supplier, category=bags, sku="HAS-IMAGE")
    give_image(with_image)
    upload(supplier, csv_bytes([row("NEW-1", status="published"), row("HAS-IMAGE", status="published")]))
    catalog_import = latest_import(supplier)
    assert catalog_import.status == CatalogImport.Status.READY
    page = supplier.client.get(reverse("suppliers:import_detail", args=[catalog_import.pk])).content.decode()
    assert "imported as a draft" in page

    start(supplier, catalog_import, django_capture_on_commit_callbacks)

    assert Product.objects.get(sku="NEW-1").status == Product.Status.DRAFT
    published = Product.objects.get(sku="HAS-IMAGE")
    assert published.status == Product.Status.PUBLISHED
    assert published.published_at is not None


# --- Bad files: refused as a whole, nothing recorded ----------------------------------------------


def _fake_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.csv", png_bytes(), "neither a CSV nor an XLSX"),
        ("catalog.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10, "neither a CSV nor an XLSX"),
        ("catalog.xlsx", _fake_zip(), "not an XLSX workbook"),
        ("catalog.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel"),
        ("catalog.csv", b"\xff\xfe\xfa" * 50, "not a CSV we can read"),
        ("empty.csv", b"", "empty"),
        ("header-only.csv", ",".join(COLUMNS).encode(), "no products"),
        (
            "catalog.csv",
            csv_bytes([row()], columns=["sku", "title", "description"]),
            "category, moq, lead_time_days, tiers",
        ),
    ],
    ids=[
        "image-as-csv",
        "binary-renamed-xlsx",
        "zip-not-workbook",
        "old-xls",
        "undecodable",
        "empty",
        "no-rows",
        "missing-columns",
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_with_a_clear_message(
    actors: dict, bags: Any, name: str, content: bytes, message: str
) -> None:
    response = upload(actors["supplier"], content, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CatalogImport.objects.exists()
    assert not Product.objects.exists()


def test_an_oversized_file_is_refused(actors: dict, bags: Any) -> None:
    content = csv_bytes([row()]) + b"x" * (20 * 1024 * 1024)
    response = upload(actors["supplier"], content)
    assert response.status_code == 400
    assert "the limit is 20 MB" in response.content.decode()
    assert not CatalogImport.objects.exists()


# --- Bad rows: every problem reported by row and column, nothing written ----------------------------


def problems_of(catalog_import: CatalogImport) -> set[tuple[int, str]]:
    return {(problem["row"], problem["column"]) for problem in catalog_import.errors if not problem.get("warning")}


def test_every_bad_row_is_reported_with_its_row_and_column_and_nothing_is_written(actors: dict, bags: Any) -> None:
    supplier = actors["supplier"]
    rows = [
        row("OK-1"),  # row 2
        row("BAD-NUM", moq="five hundred", lead_time_days="-3"),  # row 3
        row("BAD-TIERS", tiers="2000:16.80; 500:18.50"),  # row 4
        row("OK-1"),  # row 5: the same SKU as row 2
        row("BAD-CAT", category="no-such-category"),  # row 6
        row("BAD-PRICE", tiers="500:abc", sample_price="free"),  # row 7
    ]
    response = upload(supplier, csv_bytes(rows))
    catalog_import = latest_import(supplier)

    assert catalog_import.status == CatalogImport.Status.INVALID
    assert problems_of(catalog_import) == {
        (3, "moq"),
        (3, "lead_time_days"),
        (4, "tiers"),
        (5, "sku"),
        (6, "category"),
        (7, "tiers"),
        (7, "sample_price"),
    }
    assert not Product.objects.exists()
    page = supplier.client.get(response["Location"]).content.decode()
    assert "The minimum order quantity must be a whole number." in page
    assert "Tier quantities must go up from one tier to the next." in page
    assert "The SKU OK-1 is already on row 2." in page
    assert "There is no category “no-such-category”: choose one from the list." in page
    assert "Start import" not in page


def test_ten_megabytes_of_text_in_a_field_is_a_clear_row_error(actors: dict, bags: Any) -> None:
    supplier = actors["supplier"]
    upload(supplier, csv_bytes([row("HUGE", description="透" * (10 * 1024 * 1024 // 3))]))
    catalog_import = latest_import(supplier)
    assert catalog_import.status == CatalogImport.Status.INVALID
    assert catalog_import.errors == [
        {"row": 2, "column": "description", "message": "This cell has more than 20,000 characters."}
    ]
    assert not Product.objects.exists()


def test_the_problems_download_as_csv(actors: dict, bags: Any) -> None:
    supplier = actors["supplier"]
    upload(supplier, csv_bytes([row("A", category="nope"), row("B", moq="x")]))
    catalog_import = latest_import(supplier)

    response = supplier.client.get(reverse("suppliers:import_errors", args=[catalog_import.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert lines[0] == ["row", "column", "problem", "kind"]
    assert ["2", "category", "There is no category “nope”: choose one from the list.", "error"] in lines
    assert ["3", "moq", "The minimum order quantity must be a whole number.", "error"] in lines


def test_an_invalid_import_cannot_be_started(actors: dict, bags: Any, django_capture_on_commit_callbacks: Any) -> None:
    supplier = actors["supplier"]
    upload(supplier, csv_bytes([row("A", category="nope")]))
    catalog_import = latest_import(supplier)
    response = start(supplier, catalog_import, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    page = supplier.client.get(response["Location"]).content.decode()
    assert "This file has errors" in page
    catalog_import.refresh_from_db()
    assert catalog_import.status == CatalogImport.Status.INVALID
    assert not Product.objects.exists()


# --- Running: once, with progress ------------------------------------------------------------------


def test_the_progress_fragment_polls_while_the_import_runs_and_stops_when_it_is_done(
    actors: dict, bags: Any, django_capture_on_commit_callbacks: Any
) -> None:
    supplier = actors["supplier"]
    upload(supplier, csv_bytes([row(f"P-{n}") for n in range(4)]))
    catalog_import = latest_import(supplier)
    CatalogImport.objects.filter(pk=catalog_import.pk).update(status=CatalogImport.Status.RUNNING, processed_rows=1)
    url = reverse("suppliers:import_progress", args=[catalog_import.pk])

    running = supplier.client.get(url).content.decode()

    assert 'hx-trigger="every 1s"' in running
    assert '<progress value="1" max="4"' in running
    assert "25%" in running

    CatalogImport.objects.filter(pk=catalog_import.pk).update(status=CatalogImport.Status.READY, processed_rows=0)
    start(supplier, catalog_import, django_capture_on_commit_callbacks)
    done = supplier.client.get(url).content.decode()

    assert "hx-trigger" not in done
    assert '<progress value="4" max="4"' in done
    assert "4 created, 0 updated" in done


def test_the_import_runs_once_when_started_twice(
    actors: dict, bags: Any, django_capture_on_commit_callbacks: Any
) -> None:
    supplier = actors["supplier"]
    upload(supplier, csv_bytes([row("ONCE-1"), row("ONCE-2")]))
    catalog_import = latest_import(supplier)
    start(supplier, catalog_import, django_capture_on_commit_callbacks)

    response = start(supplier, catalog_import, django_capture_on_commit_callbacks)
    with pytest.raises(Conflict):
        catalog_import_start(supplier=supplier.supplier, import_id=catalog_import.pk)
    again = catalog_import_run(import_id=catalog_import.pk)  # a duplicate delivery of the task

    assert "already been started" in supplier.client.get(response["Location"]).content.decode()
    assert again is None
    catalog_import.refresh_from_db()
    assert (catalog_import.status, catalog_import.created_count, catalog_import.updated_count) == ("done", 2, 0)
    assert Product.objects.filter(sku__startswith="ONCE-").count() == 2


def test_two_deliveries_of_the_task_claim_the_import_once(actors: dict, bags: Any) -> None:
    supplier = actors["supplier"]
    upload(supplier, csv_bytes([row("Q-1")]))
    catalog_import = latest_import(supplier)
    CatalogImport.objects.filter(pk=catalog_import.pk).update(status=CatalogImport.Status.QUEUED)

    results = [catalog_import_run(import_id=catalog_import.pk), catalog_import_run(import_id=catalog_import.pk)]

    assert results[0] is not None
    assert results[0].status == CatalogImport.Status.DONE
    assert results[1] is None


def test_an_unexpected_error_marks_the_import_failed_with_the_reason(
    actors: dict, bags: Any, django_capture_on_commit_callbacks: Any
) -> None:
    supplier = actors["supplier"]
    upload(supplier, csv_bytes([row("LOST-1")]))
    catalog_import = latest_import(supplier)
    catalog_import.file.storage.delete(catalog_import.file.name)  # the stored file is gone

    start(supplier, catalog_import, django_capture_on_commit_callbacks)

    catalog_import.refresh_from_db()
    assert catalog_import.status == CatalogImport.Status.FAILED
    assert "unexpected error" in catalog_import.failure_reason
    page = supplier.client.get(reverse("suppliers:import_progress", args=[catalog_import.pk])).content.decode()
    assert "Failed" in page
    assert "hx-trigger" not in page


# --- Privacy and lists ------------------------------------------------------------------------------


def test_another_supplier_cannot_see_or_start_an_import(actors: dict, bags: Any) -> None:
    upload(actors["supplier"], csv_bytes([row("MINE")]))
    catalog_import = latest_import(actors["supplier"])
    other = actors["other_supplier"].client
    for name in ("import_detail", "import_progress", "import_errors"):
        assert other.get(reverse(f"suppliers:{name}", args=[catalog_import.pk])).status_code == 404
    assert other.post(reverse("suppliers:import_start", args=[catalog_import.pk])).status_code == 404
    assert "MINE" not in other.get(reverse("suppliers:import_list")).content.decode()
    catalog_import.refresh_from_db()
    assert catalog_import.status == CatalogImport.Status.READY


def test_the_import_history_makes_the_same_queries_for_two_page_sizes(
    actors: dict, bags: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    supplier = actors["supplier"]
    CatalogImport.objects.bulk_create(
        CatalogImport(
            supplier=supplier.supplier, file="imports/x.csv", original_name=f"file-{n}.csv", file_format="csv"
        )
        for n in range(12)
    )

    def fetch(size: int) -> Any:
        monkeypatch.setattr(import_views, "HISTORY_PAGE_SIZE", size)
        response = supplier.client.get(reverse("suppliers:import_list"))
        assert response.content.decode().count("file-") == size
        return response

    assert_same_queries_for_page_sizes(fetch)


def test_a_workbook_that_unpacks_to_too_much_is_refused(
    actors: dict, bags: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog_files, "MAX_XLSX_UNPACKED_BYTES", 2 * 1024 * 1024)  # 300 MB in production
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (3 * 1024 * 1024))
    response = upload(actors["supplier"], buffer.getvalue(), name="bomb.xlsx")
    assert response.status_code == 400
    assert "unpacks to more than 2 MB" in response.content.decode()
    assert not CatalogImport.objects.exists()


def test_a_row_that_became_invalid_after_the_check_is_skipped_and_reported(
    actors: dict, bags: Any, django_capture_on_commit_callbacks: Any
) -> None:
    supplier = actors["supplier"]
    CategoryFactory(slug="short-lived")
    upload(supplier, csv_bytes([row("KEEP-1"), row("GONE-1", category="short-lived")]))
    catalog_import = latest_import(supplier)
    assert catalog_import.status == CatalogImport.Status.READY
    Category.objects.filter(slug="short-lived").delete()  # staff removed the category meanwhile

    start(supplier, catalog_import, django_capture_on_commit_callbacks)

    catalog_import.refresh_from_db()
    assert catalog_import.status == CatalogImport.Status.DONE
    assert catalog_import.created_count == 1
    assert (3, "category") in problems_of(catalog_import)
    assert list(Product.objects.values_list("sku", flat=True)) == ["KEEP-1"]
