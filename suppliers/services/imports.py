"""Bulk import of a supplier's catalog from CSV or XLSX, and its export.

An import goes through three steps, each in its own function:

1. `catalog_import_upload` reads the file and validates EVERY row with the same rules as the
   product form and the API (suppliers.catalog_rules). It writes nothing to the catalog: it
   records a CatalogImport that is INVALID (with each row's problems) or READY.
2. `catalog_import_start` (suppliers/services/import_queue.py) moves a READY import to QUEUED and
   queues the task after commit.
3. `catalog_import_run` (the task's body) claims the import with a conditional update, so it runs
   once however often the task is delivered, and upserts the products by SKU in batches of
   `BATCH_SIZE`, one transaction per batch, keeping the denormalised belt, province and lowest
   price, the tiers and the search text current, and asking for the titles' and descriptions'
   machine translations in every site language (made by a worker after the batch commits).

Publishing needs an image, which a file cannot carry: a row asking "published" for a product
that has no image yet (every new product) is imported as a draft, with a warning in the report.

The reads of imports (scoped to the supplier) are at the end of this module.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import InvalidInput
from marketplace.models import Category, User
from marketplace.selectors.money import offered_currency_codes
from suppliers.catalog_files import (
    COLUMNS,
    MAX_CELL_CHARS,
    MAX_FILE_BYTES,
    CatalogFileInvalid,
    CatalogRow,
    read_catalog_file,
)
from suppliers.catalog_rules import ProductData, ProductDataInvalid, product_data_from
from suppliers.models import CatalogImport, PriceTier, Product, ProductImage, SupplierProfile
from suppliers.search.index import product_translations_request, products_reindex
from suppliers.services.catalog import product_fields_apply as apply_product_data
from suppliers.signals import catalog_changed_on_commit

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# Problems kept per import: enough to fix a file, bounded so one bad 50,000-row file stays a small row.
MAX_REPORTED_PROBLEMS = 5_000
# A RUNNING import whose worker died (the broker redelivers its task) may be claimed again after this.
STALE_RUN_AFTER = timedelta(minutes=30)
STALE_RUN_MARGIN = timedelta(seconds=5)

# The product fields an import writes (besides supplier and sku).
_DATA_FIELDS = (
    "title",
    "description",
    "category",
    "attributes",
    "unit",
    "moq",
    "currency",
    "lead_time_days",
    "monthly_capacity",
    "sample_available",
    "sample_price",
    "sample_days",
    "status",
    "belt",
    "province",
    "min_unit_price",
    "published_at",
    "updated_at",
)


@dataclass(frozen=True)
class RowProblem:
    row: int | None
    column: str
    message: str
    warning: bool = False

    def as_json(self) -> dict[str, Any]:
        problem: dict[str, Any] = {"row": self.row, "column": self.column, "message": self.message}
        if self.warning:
            problem["warning"] = True
        return problem


@dataclass
class _Checked:
    rows: list[tuple[int, ProductData]]
    problems: list[RowProblem]
    error_count: int


def _category_lookup() -> Any:
    """Slug (or id) -> Category, all categories loaded in one query."""
    categories = list(Category.objects.all())
    by_key: dict[str, Category] = {category.slug.lower(): category for category in categories}
    by_key.update({str(category.pk): category for category in categories})
    return lambda key: by_key.get(key.strip().lower())


def _currency_codes() -> set[str]:
    return offered_currency_codes()


def _skus_with_images(supplier: SupplierProfile) -> set[str]:
    return set(
        ProductImage.objects.filter(product__supplier=supplier).values_list("product__sku", flat=True).distinct()
    )


def _check_rows(rows: list[CatalogRow], *, supplier: SupplierProfile) -> _Checked:
    """Validate every row; a duplicate SKU in the file is an error on each later row."""
    lookup, currencies = _category_lookup(), _currency_codes()
    with_images = _skus_with_images(supplier)
    valid: list[tuple[int, ProductData]] = []
    problems: list[RowProblem] = []
    error_count = 0
    first_row_of_sku: dict[str, int] = {}
    for row in rows:
        row_problems = [
            RowProblem(
                row.number,
                column,
                _("This cell has more than %(max)s characters.") % {"max": f"{MAX_CELL_CHARS:,}"},
            )
            for column in row.too_long
        ]
        try:
            data = product_data_from(row.values, category_lookup=lookup, currency_codes=currencies)
        except ProductDataInvalid as invalid:
            data = None
            row_problems += [
                RowProblem(row.number, column, message)
                for column, messages in invalid.errors.items()
                if column not in row.too_long
                for message in messages
            ]
        if data is not None:
            earlier = first_row_of_sku.get(data.sku.lower())
            if earlier is not None:
                row_problems.append(
                    RowProblem(
                        row.number,
                        "sku",
                        _("The SKU %(sku)s is already on row %(row)s.") % {"sku": data.sku, "row": earlier},
                    )
                )
            else:
                first_row_of_sku[data.sku.lower()] = row.number
        if row_problems:
            error_count += len(row_problems)
            problems += row_problems
            continue
        assert data is not None
        if data.status == Product.Status.PUBLISHED and data.sku not in with_images:
            problems.append(
                RowProblem(
                    row.number,
                    "status",
                    _(
                        "A product needs an image to be published: it is imported as a draft. "
                        "Add an image, then publish it."
                    ),
                    warning=True,
                )
            )
        valid.append((row.number, data))
    return _Checked(rows=valid, problems=problems, error_count=error_count)


def _problems_json(problems: list[RowProblem]) -> list[dict[str, Any]]:
    kept = [problem.as_json() for problem in problems[:MAX_REPORTED_PROBLEMS]]
    if len(problems) > MAX_REPORTED_PROBLEMS:
        kept.append(
            RowProblem(
                None,
                "",
                _("…and %(count)s more problems not listed: fix these and upload the file again.")
                % {"count": len(problems) - MAX_REPORTED_PROBLEMS},
            ).as_json()
        )
    return kept


def catalog_import_upload(*, supplier: SupplierProfile, user: User | None, upload: UploadedFile) -> CatalogImport:
    """Check an uploaded catalog file, row by row, and record the import; nothing is written to the catalog.

    Raises InvalidInput (field "file") when the file cannot be imported at all: too large, not a
    CSV or XLSX by its content, no rows, or required columns missing. Otherwise returns a
    CatalogImport that is INVALID with every row's problems, or READY to start.
    """
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        raise InvalidInput(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": MAX_FILE_BYTES // 1024 // 1024},
            field="file",
        )
    upload.seek(0)
    data = upload.read(MAX_FILE_BYTES + 1)
    catalog = read_catalog_file(data)
    if not catalog.rows:
        raise CatalogFileInvalid(_("The file has column names but no products."))
    checked = _check_rows(catalog.rows, supplier=supplier)
    name = (upload.name or f"catalog.{catalog.file_format}").rsplit("/", 1)[-1][-200:]
    problems = checked.problems
    if catalog.ignored_columns:
        problems = [
            RowProblem(
                1,
                "",
                _("These columns are not imported: %(columns)s. The columns read are: %(known)s.")
                % {"columns": ", ".join(catalog.ignored_columns), "known": ", ".join(COLUMNS)},
                warning=True,
            ),
            *problems,
        ]
    with transaction.atomic():
        catalog_import = CatalogImport(
            supplier=supplier,
            created_by=user,
            original_name=name,
            file_format=catalog.file_format,
            status=CatalogImport.Status.INVALID if checked.error_count else CatalogImport.Status.READY,
            total_rows=len(catalog.rows),
            errors=_problems_json(problems),
        )
        catalog_import.file.save(f"catalog.{catalog.file_format}", ContentFile(data), save=False)
        catalog_import.save()
    return catalog_import


def _claim(import_id: int) -> bool:
    """READY/QUEUED (or a RUNNING one abandoned by a dead worker) -> RUNNING, by one caller only."""
    now = timezone.now()
    ready = CatalogImport.objects.filter(
        pk=import_id, status__in=[CatalogImport.Status.READY, CatalogImport.Status.QUEUED]
    )
    stale = CatalogImport.objects.filter(
        pk=import_id, status=CatalogImport.Status.RUNNING, started_at__lt=now - STALE_RUN_AFTER
    )
    fields = {
        "status": CatalogImport.Status.RUNNING,
        "started_at": now,
        "failure_reason": "",
        "processed_rows": 0,
        # If this worker is killed, the relay queues the run again once the stale-run rule allows.
        "run_due_at": now + STALE_RUN_AFTER + STALE_RUN_MARGIN,
        "run_requeues": 0,
    }
    return bool(ready.update(**fields) or stale.update(**fields))


def _batches(rows: list[tuple[int, ProductData]]) -> Iterator[list[tuple[int, ProductData]]]:
    for start in range(0, len(rows), BATCH_SIZE):
        yield rows[start : start + BATCH_SIZE]


def _upsert_batch(*, supplier: SupplierProfile, batch: list[ProductData]) -> tuple[int, int]:
    """Create or update these products (by SKU) and their tiers in one transaction; (created, updated)."""
    now = timezone.now()
    skus = [data.sku for data in batch]
    with transaction.atomic():
        existing = {
            product.sku: product
            for product in Product.objects.select_for_update()
            .filter(supplier=supplier, sku__in=skus)
            .order_by("pk")
            .only("pk", "sku", "published_at")
        }
        with_images = set(
            ProductImage.objects.filter(product_id__in=[p.pk for p in existing.values()])
            .values_list("product_id", flat=True)
            .distinct()
        )
        products = []
        for given in batch:
            old = existing.get(given.sku)
            data = given
            if given.status == Product.Status.PUBLISHED and (old is None or old.pk not in with_images):
                data = dataclasses.replace(given, status=Product.Status.DRAFT)  # publishing needs an image
            product = Product(
                supplier=supplier,
                created_at=now,
                updated_at=now,
                published_at=old.published_at if old is not None else None,
            )
            # The catalog's own rules for copying data and keeping belt, province, lowest price and
            # published_at (the first publication), shared with the product form and the API.
            apply_product_data(product, supplier=supplier, data=data)
            products.append(product)
        # One INSERT ... ON CONFLICT (supplier, sku) DO UPDATE: a product created meanwhile by the
        # form is updated, not a reason to fail the batch.
        saved = Product.objects.bulk_create(
            products,
            update_conflicts=True,
            unique_fields=["supplier", "sku"],
            update_fields=list(_DATA_FIELDS),
        )
        ids = [product.pk for product in saved]
        PriceTier.objects.filter(product_id__in=ids).delete()
        PriceTier.objects.bulk_create(
            [
                PriceTier(product_id=product.pk, min_quantity=quantity, unit_price=price)
                for product, data in zip(saved, batch, strict=True)
                for quantity, price in data.tiers
            ]
        )
        product_translations_request(products)  # in every site language, one queue message per batch
        products_reindex(product_ids=ids)
    return len(batch) - len(existing), len(existing)


def catalog_import_run(*, import_id: int) -> CatalogImport | None:
    """Upsert an import's products by SKU, batch by batch; the body of catalog_import_run_task.

    Claims the import first (READY/QUEUED -> RUNNING in one conditional UPDATE), so a second
    delivery of the task does nothing and returns None. Progress counts are written after each
    batch, so the progress bar moves. Rows that no longer pass the checks (a category removed
    since the upload) are skipped and reported. An unexpected error marks the import FAILED with
    the reason; the batches already done stay (running the same file again is harmless: it
    upserts by SKU).
    """
    if not _claim(import_id):
        return None
    catalog_import = CatalogImport.objects.select_related("supplier").get(pk=import_id)
    supplier = catalog_import.supplier
    try:
        with catalog_import.file.open("rb") as stored:
            catalog = read_catalog_file(stored.read())
        checked = _check_rows(catalog.rows, supplier=supplier)
        skipped = [problem for problem in checked.problems if not problem.warning]
        CatalogImport.objects.filter(pk=import_id).update(
            total_rows=len(checked.rows), created_count=0, updated_count=0
        )
        for batch in _batches(checked.rows):
            created, updated = _upsert_batch(supplier=supplier, batch=[data for _number, data in batch])
            CatalogImport.objects.filter(pk=import_id).update(
                processed_rows=F("processed_rows") + len(batch),
                created_count=F("created_count") + created,
                updated_count=F("updated_count") + updated,
            )
        done = {"status": CatalogImport.Status.DONE, "finished_at": timezone.now(), "run_due_at": None}
        if skipped:
            done["errors"] = [*catalog_import.errors, *_problems_json(skipped)]
        CatalogImport.objects.filter(pk=import_id).update(**done)
        catalog_changed_on_commit(supplier_id=supplier.pk)
    except Exception as error:
        logger.exception("Catalog import %s failed.", import_id)
        reason = error.message if isinstance(error, InvalidInput) else _("An unexpected error stopped the import.")
        CatalogImport.objects.filter(pk=import_id).update(
            status=CatalogImport.Status.FAILED,
            finished_at=timezone.now(),
            failure_reason=reason,
            run_due_at=None,
        )
    catalog_import.refresh_from_db()
    return catalog_import
