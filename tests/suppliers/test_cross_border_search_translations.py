"""A buyer finds a product in the language of the query, whatever language it is written in.

A product's title and description are asked for in every site language when it is written (form,
API, import); the local LibreTranslate-speaking server (tests/shop.server.py) translates
them after commit, and when the worker stores a translation the product is indexed again with it.
Tasks run in-process in these tests, so "after commit" is the real path: the queued translation
task, the worker's service, the `texts_translated` announcement and the reindex.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from marketplace.models import Category, StoredIndexVersion, TextTranslation
from marketplace.services.stored_indexes import stored_indexes_catch_up
from marketplace.tasks.translations import text_translations_enqueue, text_translations_relay_task
from suppliers.catalog_files import COLUMNS
from suppliers.models import CatalogImport, Product, SupplierProfile
from suppliers.search.index import PRODUCT_INDEX_VERSION, products_reindex
from suppliers.search.segment import query_terms
from suppliers.search.service import search_products
from suppliers.search.words import text_filter_fallback
from suppliers.services.catalog import product_update, products_set_status
from suppliers.services.imports import catalog_import_run, catalog_import_upload
from tests.factories import CategoryFactory, IndustrialBeltFactory, SupplierProfileFactory
from tests.querycount import count_queries
from tests.sheets import sheet_csv
from tests.suppliers.builders_imports import give_image
from tests.suppliers.builders_search import product_data, product_written
from tests.suppliers.factories_catalog import ProductFactory
from tests.translation_server import TranslationServer

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]
# "Children's backpack", "Light and waterproof, for primary school pupils."
BACKPACK_ZH = ("儿童书包", "轻便防水，适合小学生。")
BOTTLE_EN = ("Stainless steel water bottle", "Keeps drinks cold for 24 hours.")  # 不锈钢水瓶, 保冷24小时。


@pytest.fixture
def bags() -> Category:
    """A category whose names say nothing of backpacks or bottles: only the translations can."""
    return CategoryFactory(name_en="Bags", name_zh="箱包", slug="translated-bags")


@pytest.fixture
def supplier() -> SupplierProfile:
    belt = IndustrialBeltFactory(name_en="Baigou", name_zh="白沟", province="hebei", city="Baigou")
    return SupplierProfileFactory(belt=belt, province="hebei", city="Baigou")


@dataclass
class Shop:
    """A supplier writing its catalog while the translation server runs, and what waits for commits."""

    supplier: SupplierProfile
    bags: Category
    server: TranslationServer
    capture: Capture

    def write(self, texts: tuple[str, str], *, sku: str = "XB-001") -> tuple[Product, list[Callable[[], object]]]:
        """A published product added through the catalog service, and what waits for its commit."""
        with self.capture() as waiting:
            product = product_written(
                self.supplier, product_data(self.bags, sku=sku, title=texts[0], description=texts[1])
            )
        return product, waiting

    def commit(self, waiting: list[Callable[[], object]]) -> None:
        """Run what waited for the commit (the translation task, in-process), and what that queues."""
        with self.capture(execute=True):
            for callback in waiting:
                callback()


@pytest.fixture
def shop(
    supplier: SupplierProfile,
    bags: Category,
    translation_server: TranslationServer,
    django_capture_on_commit_callbacks: Capture,
) -> Shop:
    return Shop(supplier, bags, translation_server, django_capture_on_commit_callbacks)


def uploaded(shop: Shop, products: list[tuple[str, str, str]]) -> CatalogImport:
    """A checked catalog file of these (SKU, title, description), every row asking to be published."""
    common = {"category": shop.bags.slug, "unit": "piece", "moq": "500", "currency": "CNY", "lead_time_days": "15"}
    rows = [
        {**common, "sku": sku, "title": title, "description": description, "tiers": "500:12.50", "status": "published"}
        for sku, title, description in products
    ]
    content = sheet_csv(rows, columns=COLUMNS)
    return catalog_import_upload(supplier=shop.supplier, user=None, upload=SimpleUploadedFile("catalog.csv", content))


def found(query: str) -> list[Product]:
    return search_products(query=query).items


def test_cross_border_an_english_query_finds_a_product_written_only_in_chinese(shop: Shop) -> None:
    product, waiting = shop.write(BACKPACK_ZH)
    assert found("书包") == [product]
    assert found("backpack") == [], "its words are Chinese until the translation arrives"

    shop.commit(waiting)

    assert sorted(shop.server.asked) == sorted([(BACKPACK_ZH[0], "en"), (BACKPACK_ZH[1], "en")])
    assert found("backpack") == [product]
    assert found("waterproof pupils") == [product]
    assert found("书包") == [product]
    fallback = Product.objects.published().filter(text_filter_fallback(query_terms("backpack")))
    assert list(fallback) == [product], "the SQLite demo's plain match reads the same text"


def test_cross_border_a_chinese_query_finds_a_product_written_only_in_english(shop: Shop) -> None:
    product, waiting = shop.write(BOTTLE_EN)
    assert found("水瓶") == []

    shop.commit(waiting)

    assert sorted(shop.server.asked) == sorted([(BOTTLE_EN[0], "zh"), (BOTTLE_EN[1], "zh")])
    assert found("水瓶") == [product]
    assert found("不锈钢") == [product]
    assert found("bottle") == [product]


def test_cross_border_a_translation_the_relay_makes_late_is_indexed_when_it_lands(shop: Shop) -> None:
    shop.server.down()
    product, waiting = shop.write(BACKPACK_ZH)
    shop.commit(waiting)
    assert found("backpack") == []
    assert TextTranslation.objects.filter(translated_at__isnull=True).count() == 2

    shop.server.up()
    TextTranslation.objects.update(due_at=timezone.now() - timedelta(seconds=1))  # the retry is due
    with shop.capture(execute=True):
        text_translations_relay_task()

    assert found("backpack") == [product]


def test_cross_border_a_text_translated_once_is_found_in_every_product_written_in_it(shop: Shop) -> None:
    first, waiting = shop.write(BACKPACK_ZH)
    shop.commit(waiting)
    second, waiting = shop.write(BACKPACK_ZH, sku="XB-002")

    assert {product.pk for product in found("backpack")} == {first.pk, second.pk}, "indexed with it at once"
    shop.commit(waiting)
    assert len(shop.server.asked) == 2, "nothing is sent to the translation server again"


def test_cross_border_an_edited_title_is_translated_and_the_old_translation_no_longer_finds_it(shop: Shop) -> None:
    product, waiting = shop.write(BACKPACK_ZH)
    shop.commit(waiting)

    with shop.capture() as waiting:
        product_update(
            supplier=shop.supplier,
            product_id=product.pk,
            data=product_data(shop.bags, sku="XB-001", title=BOTTLE_EN[0], description=BOTTLE_EN[1]),
        )
    shop.commit(waiting)

    assert found("水瓶") == [product]
    assert found("backpack") == []


def test_cross_border_an_imported_catalog_is_translated_and_found_in_the_other_language(shop: Shop) -> None:
    # An import publishes only products that already have a picture: this one was added as a draft.
    existing = ProductFactory(supplier=shop.supplier, category=shop.bags, sku="XB-001", status=Product.Status.DRAFT)
    give_image(existing)
    catalog_import = uploaded(shop, [("XB-001", *BACKPACK_ZH), ("XB-002", *BOTTLE_EN)])
    with shop.capture() as waiting:
        catalog_import_run(import_id=catalog_import.pk)
    assert found("backpack") == []

    shop.commit(waiting)

    assert len(shop.server.asked) == 4, "the batch's titles and descriptions, each into the other language"
    assert found("backpack") == [existing]
    assert found("水瓶") == [], "imported as a draft (no picture yet)"
    draft = Product.objects.get(sku="XB-002")
    give_image(draft)
    products_set_status(supplier=shop.supplier, product_ids=[draft.pk], status=Product.Status.PUBLISHED)
    assert found("水瓶") == [draft], "indexed with its translation when published"


def test_cross_border_the_index_reads_the_translations_in_one_query_whatever_the_number_of_products(
    shop: Shop,
) -> None:
    products = [ProductFactory(supplier=shop.supplier, category=shop.bags) for _number in range(6)]
    for product in products:
        TextTranslation.objects.create(
            text_hash=TextTranslation.hash_of(product.title),
            source_language="en",
            target_language="zh-hans",
            source_text=product.title,
            translated_text="学生背包",
            translated_at=timezone.now(),
        )

    few = count_queries(lambda: products_reindex(product_ids=[product.pk for product in products[:2]]))
    many = count_queries(lambda: products_reindex(product_ids=[product.pk for product in products]))

    assert few == many == 4  # products, categories above them, their translations, one UPDATE
    assert all("背包" in text.split() for text in Product.objects.values_list("search_text", flat=True))


def test_cross_border_after_an_upgrade_the_catalog_is_indexed_again_and_translated_in_the_background(
    shop: Shop,
) -> None:
    # Written before this version: never translated, its text indexed by an older segmentation.
    product = ProductFactory(supplier=shop.supplier, category=shop.bags, title="兒童書包", description=BACKPACK_ZH[1])
    Product.objects.filter(pk=product.pk).update(search_text="兒童書包")
    assert found("书包") == []

    with shop.capture(execute=True):
        rebuilt = stored_indexes_catch_up()  # what Celery beat runs every minute

    assert rebuilt >= 1
    assert found("书包") == [product], "indexed again in simplified characters"
    assert found("waterproof") == [product], "translated, then indexed again with the translation"
    state = StoredIndexVersion.objects.get(name="product_search_text")
    assert (state.version, state.building) == (PRODUCT_INDEX_VERSION, None)
    assert stored_indexes_catch_up() == 0, "an index at the code's version is left alone"


def test_cross_border_an_import_batch_asks_for_its_translations_in_the_same_queries_whatever_its_size(
    shop: Shop,
) -> None:
    def imported(count: int, prefix: str) -> int:
        catalog_import = uploaded(shop, [(f"{prefix}-{n}", f"{prefix} bag {n}", f"{prefix} {n}") for n in range(count)])
        with shop.capture() as waiting:
            queries = count_queries(lambda: catalog_import_run(import_id=catalog_import.pk))
        messages = [callback for callback in waiting if getattr(callback, "func", None) is text_translations_enqueue]
        assert len(messages) == 1, "one translation message for the batch"
        return queries

    assert imported(2, "small") == imported(8, "large")
    assert TextTranslation.objects.filter(target_language="zh-hans").count() == 20
