"""The narrow search table (migration 0006) stays current with every write buyers' searches depend on.

Each test changes the catalog the way the site does (a service, an import, the admin's save) and
checks what a buyer's search then finds, and that the table holds exactly what its definition
(`suppliers_productsearch_source`) says.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.models import Category
from suppliers.catalog_rules import ProductData
from suppliers.models import Product, SupplierProfile
from suppliers.search import search_table
from suppliers.search.kept import Kept
from suppliers.search.kept import forget_all as search_kept_forget
from suppliers.search.service import ProductSearchResult, search_products
from suppliers.services.catalog import product_create, product_update, products_set_status
from suppliers.services.imports import catalog_import_run, catalog_import_upload
from tests.factories import CategoryFactory
from tests.suppliers.builders_search import SearchCatalog, search_catalog
from tests.suppliers.factories_catalog import ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def catalog() -> SearchCatalog:
    return search_catalog()


def found(**arguments: object) -> list[Product]:
    return search_products(**arguments).items


def stale_rows() -> list[tuple[Any, ...]]:
    """Rows of the search table that differ from its definition, or are missing or left over."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(s.product_id, t.product_id), s.product_id IS NULL, t.product_id IS NULL "
            "FROM suppliers_productsearch_source s FULL JOIN suppliers_productsearch t USING (product_id) "
            "WHERE s IS DISTINCT FROM t"
        )
        return cursor.fetchall()


def search_table_ids() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT product_id FROM suppliers_productsearch")
        return {row[0] for row in cursor.fetchall()}


def data_of(product: Product, **changes: Any) -> ProductData:
    values: dict[str, Any] = {
        "sku": product.sku,
        "title": product.title,
        "description": product.description,
        "category": product.category,
        "attributes": tuple((pair["name"], pair["value"]) for pair in product.attributes),
        "unit": product.unit,
        "moq": product.moq,
        "currency": product.currency_id,
        "lead_time_days": product.lead_time_days,
        "tiers": tuple((tier.min_quantity, tier.unit_price) for tier in product.tiers.all()),
        "monthly_capacity": product.monthly_capacity,
        "sample_available": product.sample_available,
        "sample_price": product.sample_price,
        "sample_days": product.sample_days,
        "status": product.status,
    }
    values.update(changes)
    return ProductData(**values)


def test_the_table_holds_exactly_the_products_a_buyer_can_find(catalog: SearchCatalog) -> None:
    assert search_table_ids() == {product.pk for product in catalog.visible}
    assert stale_rows() == []


def test_an_edited_title_is_found_by_its_new_words_at_once(catalog: SearchCatalog) -> None:
    ProductImageFactory(product=catalog.handbag)
    product_update(
        supplier=catalog.baigou_factory,
        product_id=catalog.handbag.pk,
        data=data_of(catalog.handbag, title="毛绒玩具 Plush toy"),
    )
    assert found(query="毛绒玩具") == [catalog.handbag]
    assert found(query="手提包") == []
    assert stale_rows() == []


def test_a_new_draft_is_not_found_until_it_is_published(catalog: SearchCatalog) -> None:
    draft = product_create(
        supplier=catalog.taizhou_factory,
        data=data_of(catalog.sorting_bin, sku="TZ-NEW", title="厨余垃圾桶 Kitchen waste bin", status="draft"),
    )
    assert found(query="厨余") == []
    ProductImageFactory(product=draft)
    products_set_status(supplier=catalog.taizhou_factory, product_ids=[draft.pk], status="published")
    assert found(query="厨余") == [draft]
    assert stale_rows() == []


def test_archived_products_leave_the_search_and_come_back_when_published_again(catalog: SearchCatalog) -> None:
    products_set_status(supplier=catalog.baigou_factory, product_ids=[catalog.school_bag.pk], status="archived")
    assert found(query="透明书包") == []
    ProductImageFactory(product=catalog.school_bag)
    products_set_status(supplier=catalog.baigou_factory, product_ids=[catalog.school_bag.pk], status="published")
    assert found(query="透明书包") == [catalog.school_bag]
    assert stale_rows() == []


def test_a_supplier_verified_by_staff_is_found_with_the_verified_filter(catalog: SearchCatalog) -> None:
    trader = catalog.baigou_trader
    assert catalog.canvas_backpack not in found(query="backpack", verified_only=True)
    trader.verification_status = SupplierProfile.Verification.VERIFIED
    trader.save()  # as the admin saves it
    assert catalog.canvas_backpack in found(query="backpack", verified_only=True)
    assert stale_rows() == []


def test_a_deactivated_supplier_disappears_from_the_search_and_reappears(catalog: SearchCatalog) -> None:
    factory = catalog.baigou_factory
    SupplierProfile.objects.filter(pk=factory.pk).update(is_active=False)
    assert found(query="透明书包") == []
    SupplierProfile.objects.filter(pk=factory.pk).update(is_active=True)
    assert found(query="透明书包") == [catalog.school_bag]
    assert stale_rows() == []


def test_a_supplier_that_becomes_a_trading_company_leaves_the_manufacturers_filter(catalog: SearchCatalog) -> None:
    SupplierProfile.objects.filter(pk=catalog.taizhou_factory.pk).update(
        business_type=SupplierProfile.BusinessType.TRADING
    )
    assert found(query="垃圾桶", manufacturers_only=True) == []
    assert found(query="垃圾桶") == [catalog.sorting_bin]
    assert stale_rows() == []


def test_a_category_moved_under_another_is_found_with_its_new_parent(catalog: SearchCatalog) -> None:
    bins = Category.objects.get(pk=catalog.bins.pk)
    bins.parent = catalog.bags
    bins.save()
    assert found(query="垃圾桶", category=catalog.bags) == [catalog.sorting_bin]
    assert found(query="垃圾桶", category=catalog.plastics) == []
    assert stale_rows() == []


def test_a_new_lowest_price_moves_the_product_into_a_price_filter(catalog: SearchCatalog) -> None:
    assert found(query="垃圾桶", max_price=Decimal("30")) == []
    ProductImageFactory(product=catalog.sorting_bin)
    product_update(
        supplier=catalog.taizhou_factory,
        product_id=catalog.sorting_bin.pk,
        data=data_of(catalog.sorting_bin, tiers=((300, Decimal("45")), (1000, Decimal("28")))),
    )
    assert found(query="垃圾桶", max_price=Decimal("30")) == [catalog.sorting_bin]
    assert found(query="垃圾桶", max_price=Decimal("30"), quantity=300) == []
    assert found(query="垃圾桶", max_price=Decimal("30"), quantity=1000) == [catalog.sorting_bin]
    assert stale_rows() == []


def test_deleted_products_and_suppliers_leave_no_rows(catalog: SearchCatalog) -> None:
    catalog.handbag.delete()
    catalog.taizhou_factory.company.delete()
    assert search_table_ids() == {catalog.school_bag.pk, catalog.canvas_backpack.pk}
    assert stale_rows() == []


def test_products_updated_by_a_catalog_import_are_found_by_their_new_words(catalog: SearchCatalog) -> None:
    from tests.suppliers.test_import import csv_bytes, row  # the import tests' own file builder

    category = CategoryFactory(slug="transparent-backpacks", name_en="Transparent backpacks", name_zh="透明书包")
    existing = ProductFactory(supplier=catalog.baigou_factory, sku="IMP-1", category=category, title="Old title")
    ProductImageFactory(product=existing)
    upload = SimpleUploadedFile(
        "catalog.csv", csv_bytes([row("IMP-1", title="彩虹透明书包 Rainbow school bag", status="published")])
    )
    catalog_import = catalog_import_upload(supplier=catalog.baigou_factory, user=None, upload=upload)
    catalog_import_run(import_id=catalog_import.pk)
    assert found(query="彩虹") == [existing]
    assert found(query="rainbow", belt=catalog.baigou, verified_only=True) == [existing]
    assert stale_rows() == []


# --- How the search table is read ---------------------------------------------------------------


def test_a_long_chinese_word_needs_its_characters_in_a_row_not_only_its_pairs(catalog: SearchCatalog) -> None:
    # Every pair of 毛绒玩具 is in this title (毛绒, 绒玩, 玩具), but never the four characters in a row.
    scattered = ProductFactory(supplier=catalog.baigou_factory, title="毛绒外套 绒玩偶 玩具车", description="")
    plush = ProductFactory(supplier=catalog.baigou_factory, title="大号毛绒玩具熊", description="")
    assert found(query="毛绒玩具") == [plush]
    assert set(found(query="玩具")) == {scattered, plush}


def test_a_two_character_word_is_found_however_the_stored_text_was_cut(catalog: SearchCatalog) -> None:
    # jieba cuts 手提包 as one word: 提包 is found through its characters in a row.
    assert found(query="提包") == [catalog.handbag]


def test_words_inside_a_longer_query_word_do_not_change_what_is_found(catalog: SearchCatalog) -> None:
    assert found(query="透明书包") == found(query="透明书包 书包 透明") == [catalog.school_bag]


def test_a_walk_through_the_newest_that_meets_too_few_matches_is_completed_by_the_index(
    catalog: SearchCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(30):  # newer than the catalog, and not matching
        ProductFactory(supplier=catalog.taizhou_factory, sku=f"NEW-{n}", title=f"Storage box {n}", description="")
    monkeypatch.setattr("suppliers.search.newest_walk.WALK_SHARE", 0.0)  # always walk first
    monkeypatch.setattr("suppliers.search.newest_walk.WALK_ROWS", 10)
    assert found(query="透明书包") == [catalog.school_bag]
    assert set(found(query="backpack", belt=catalog.baigou)) == {catalog.school_bag, catalog.canvas_backpack}


@pytest.mark.parametrize("newest_match", [True, False])
def test_words_and_a_category_estimated_rare_are_probed_among_the_newest_and_every_match_found(
    catalog: SearchCatalog, monkeypatch: pytest.MonkeyPatch, newest_match: bool
) -> None:
    """The planner takes words and a category as independent (包 in bags: a seventh of the real
    share), so a low estimate with a category or belt probes the newest rows first: the walk goes on
    where they hold matches, and the index finds them where they do not — every match either way."""
    bags = [
        ProductFactory(supplier=catalog.baigou_factory, category=catalog.bags, title=f"Roll-top backpack {n}")
        for n in range(8)
    ]
    for n in range(30):  # newer than the catalog, and not matching
        ProductFactory(supplier=catalog.taizhou_factory, sku=f"NEW-{n}", title=f"Storage box {n}", description="")
    if newest_match:  # the newest rows hold matches too
        bags += [ProductFactory(supplier=catalog.baigou_factory, category=catalog.bags, title="Roll-top backpack new")]
    monkeypatch.setattr("suppliers.search.newest_walk.WALK_SHARE", 1.0)  # every estimate is low
    monkeypatch.setattr("suppliers.search.search_table.PROBE_ABOVE", 0.0)
    monkeypatch.setattr("suppliers.search.newest_walk.PROBE_ROWS", 3)
    monkeypatch.setattr("suppliers.search.newest_walk.WALK_ROWS", 40)
    monkeypatch.setattr("suppliers.search.service.CANDIDATES", 5)

    every = {item.pk for item in found(query="backpack", category=catalog.bags, sort="newest", limit=50)}
    ranked = found(query="backpack", category=catalog.bags, limit=50)

    assert every >= {product.pk for product in bags}
    assert every == {item.pk for item in found(query="backpack", sort="newest", limit=50)} & {
        product.pk for product in Product.objects.filter(category__path__startswith=catalog.bags.path)
    }
    assert len(ranked) == 5


@pytest.mark.parametrize("newest_match", [True, False])
def test_several_words_estimated_rare_are_probed_among_the_newest_and_every_match_found(
    catalog: SearchCatalog, monkeypatch: pytest.MonkeyPatch, newest_match: bool
) -> None:
    """Several words that must all match (the planner multiplies their shares: 毛绒玩具 estimated at
    a seventieth of its rows) are probed among the newest rows the same way: every match found."""
    rolls = [ProductFactory(supplier=catalog.baigou_factory, title=f"Roll-top dry bag {n}") for n in range(8)]
    for n in range(30):  # newer, and not matching both words
        ProductFactory(supplier=catalog.taizhou_factory, sku=f"NEW-{n}", title=f"Dry storage box {n}", description="")
    if newest_match:
        rolls += [ProductFactory(supplier=catalog.baigou_factory, title="Roll-top dry bag new")]
    monkeypatch.setattr("suppliers.search.newest_walk.WALK_SHARE", 1.0)  # every estimate is low
    monkeypatch.setattr("suppliers.search.search_table.PROBE_SEVERAL_ABOVE", 0.0)
    monkeypatch.setattr("suppliers.search.newest_walk.PROBE_ROWS", 3)
    monkeypatch.setattr("suppliers.search.newest_walk.WALK_ROWS", 40)
    monkeypatch.setattr("suppliers.search.service.CANDIDATES", 5)

    every = {item.pk for item in found(query="roll-top dry", sort="newest", limit=50)}

    assert every == {product.pk for product in rolls}
    assert len(found(query="roll-top dry", limit=50)) == 5


def made_at(catalog: SearchCatalog, sku: str, title: str, created_at: datetime) -> Product:
    """A product of the Baigou factory with this title (and no description), created then."""
    return ProductFactory(supplier=catalog.baigou_factory, sku=sku, title=title, description="", created_at=created_at)


def test_a_probe_with_some_matches_walks_on_from_where_it_stopped(
    catalog: SearchCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A probe that meets a few matches (enough to promise the candidates within the walk) walks on
    from the row after its window, rows created in the same instant as its last one included: the
    candidates are the newest matches, in order, each once."""
    now = timezone.now()
    titles = ["Roll-top dry bag", "Dry storage box", "Roll-top dry bag", "Dry storage box", "Roll-top dry bag"]
    titles += ["Dry storage box", "Roll-top dry bag"] * 8
    made = [
        # Rows 3 to 6 (the probe's last row among them) were created in the same instant.
        made_at(catalog, f"WALK-{n}", f"{title} {n}", now - timedelta(minutes=3 if 2 <= n <= 5 else n))
        for n, title in enumerate(titles)
    ]
    monkeypatch.setattr("suppliers.search.newest_walk.WALK_SHARE", math.inf)  # every estimate is low
    monkeypatch.setattr("suppliers.search.search_table.PROBE_SEVERAL_ABOVE", 0.0)
    monkeypatch.setattr("suppliers.search.newest_walk.PROBE_ROWS", 4)
    monkeypatch.setattr("suppliers.search.newest_walk.WALK_ROWS", 20)  # the walk finds the candidates
    monkeypatch.setattr("suppliers.search.service.CANDIDATES", 6)
    matches = sorted(
        (product for product in made if product.title.startswith("Roll-top")),
        key=lambda product: (product.created_at, product.pk),
        reverse=True,
    )

    page = search_products(query="roll-top dry", sort="newest", limit=5)
    ranked = found(query="roll-top dry", limit=50)

    assert page.items == matches[:5]
    assert sorted(item.pk for item in ranked) == sorted(product.pk for product in matches[:6])


def test_the_first_newest_page_is_read_off_a_probe_that_met_too_few_for_the_candidates(
    catalog: SearchCatalog, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    """A probe that met more than a page of matches but too few to walk on leaves the rest of the
    candidates to the GIN index (in table order); its own rows are still the newest matches, so the
    first newest page is read off them, in one statement, not looked for again in a sort index."""
    now = timezone.now()
    older = [  # more matches than the candidates: not every match is among them
        made_at(catalog, f"OLD-{n}", f"Roll-top dry bag old {n}", now - timedelta(days=5, minutes=n)) for n in range(25)
    ]
    newest = [
        made_at(
            catalog,
            f"NEW-{n}",
            f"{'Roll-top dry bag' if n % 2 == 0 else 'Dry storage box'} {n}",
            now - timedelta(minutes=n),
        )
        for n in range(14)
    ]
    monkeypatch.setattr("suppliers.search.newest_walk.WALK_SHARE", math.inf)  # every estimate is low
    monkeypatch.setattr("suppliers.search.search_table.PROBE_SEVERAL_ABOVE", 0.0)
    monkeypatch.setattr("suppliers.search.newest_walk.PROBE_ROWS", 13)  # 7 matches among them
    monkeypatch.setattr("suppliers.search.newest_walk.WALK_ROWS", 14)  # too few to walk on for 20
    monkeypatch.setattr("suppliers.search.service.CANDIDATES", 20)
    matches = [product for product in newest if product.title.startswith("Roll-top")] + older

    with django_assert_num_queries(PROBED_NEWEST_PAGE_QUERIES):
        page = search_products(query="roll-top dry", sort="newest", limit=5)
    second = search_products(query="roll-top dry", sort="newest", limit=5, cursor=page.next_cursor)
    third = search_products(query="roll-top dry", sort="newest", limit=5, cursor=second.next_cursor)

    assert page.items == matches[:5]
    assert second.items == matches[5:10]  # past the probe's rows: from the sort index
    assert third.items == matches[10:15]


# The first newest page off the probe: the settings with the table's size, the estimate, the walk's
# settings, the probe, the index scans' settings back, the GIN index's rows, the settings put back
# (inside the test's transaction), the page; and the savepoints around the candidates.
PROBED_NEWEST_PAGE_QUERIES = 11


def test_the_first_newest_page_of_a_word_is_walked_for_where_the_probe_promises_it(
    catalog: SearchCatalog, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    """The newest order's first page probes the newest rows for one plain word too (no category,
    one token), and where the probe met fewer than a page but promises one within the walk, walks
    on for the page only: the page is read off the walk's rows; the candidates' rest comes from the
    GIN index."""
    now = timezone.now()
    older = [  # more matches than the candidates
        made_at(catalog, f"OLD-{n}", f"Rolltop bag old {n}", now - timedelta(days=5, minutes=n)) for n in range(25)
    ]
    newest = [
        made_at(
            catalog, f"NEW-{n}", f"{'Rolltop bag' if n % 4 == 0 else 'Storage box'} {n}", now - timedelta(minutes=n)
        )
        for n in range(40)
    ]
    monkeypatch.setattr("suppliers.search.newest_walk.WALK_SHARE", math.inf)  # every estimate is low
    monkeypatch.setattr("suppliers.search.search_table.PROBE_NEWEST_ABOVE", 0.0)
    monkeypatch.setattr("suppliers.search.newest_walk.PROBE_ROWS", 8)  # 2 matches: fewer than a page
    monkeypatch.setattr("suppliers.search.newest_walk.WALK_ROWS", 40)  # 10 matches: a page, not 20
    monkeypatch.setattr("suppliers.search.service.CANDIDATES", 20)
    matches = [product for product in newest if product.title.startswith("Rolltop")] + older

    with django_assert_num_queries(WALKED_NEWEST_PAGE_QUERIES):
        page = search_products(query="rolltop", sort="newest", limit=5)
    second = search_products(query="rolltop", sort="newest", limit=5, cursor=page.next_cursor)
    ranked = found(query="rolltop", limit=50)

    assert page.items == matches[:5]
    assert second.items == matches[5:10]
    assert len(ranked) == 20


# As PROBED_NEWEST_PAGE_QUERIES, with the walk on for the page and the look for "rolltop" as a SKU.
WALKED_NEWEST_PAGE_QUERIES = PROBED_NEWEST_PAGE_QUERIES + 2


def test_the_newest_candidates_a_probe_met_too_few_of_are_read_on_from_the_months_before_it(
    catalog: SearchCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the probe of the newest rows met too few matches for the candidates, the newest order's
    first page reads the rest from the month tokens of the months before its window, with the
    words, newest first: the candidates (and the facets counted over them) are the newest matches,
    not the first the GIN index finds in table order (mostly the oldest, in another category); in the
    index's statement's stead, not one more. Where the matches met promise the rest only
    beyond WINDOW_MONTHS, the index finds them as before."""
    now = timezone.now()

    def made(sku: str, title: str, category: Category, created_at: datetime) -> Product:
        return ProductFactory(
            supplier=catalog.baigou_factory,
            sku=sku,
            title=title,
            description="",
            category=category,
            created_at=created_at,
        )

    # Inserted first, so first in table order: a year old, in the plastics' branch.
    old = [
        made(f"OLD-{n}", f"Rolltop bag old {n}", catalog.bins, now - timedelta(days=400, hours=n)) for n in range(20)
    ]
    recent = [
        made(f"REC-{n}", f"Rolltop bag recent {n}", catalog.backpacks, now - timedelta(minutes=30 + n))
        for n in range(10)
    ]
    newest = [
        made(
            f"NEW-{n}",
            f"{'Rolltop bag' if n % 4 == 0 else 'Storage box'} {n}",
            catalog.backpacks,
            now + timedelta(minutes=30 - 2 * n),
        )
        for n in range(12)
    ]
    monkeypatch.setattr("suppliers.search.newest_walk.WALK_SHARE", math.inf)  # every estimate is low
    monkeypatch.setattr("suppliers.search.search_table.PROBE_NEWEST_ABOVE", 0.0)
    monkeypatch.setattr("suppliers.search.newest_walk.PROBE_ROWS", 4)  # 1 match: too few to walk on
    monkeypatch.setattr("suppliers.search.newest_walk.WALK_ROWS", 12)
    monkeypatch.setattr("suppliers.search.service.CANDIDATES", 8)
    matches = [product for product in newest if product.title.startswith("Rolltop")] + recent + old

    def first_page() -> tuple[ProductSearchResult, list[str]]:
        with CaptureQueriesContext(connection) as queries:
            page = search_products(query="rolltop", sort="newest", limit=3)
        return page, [query["sql"] for query in queries.captured_queries]

    page, statements = first_page()
    monkeypatch.setattr("suppliers.search.newest_walk.WINDOW_MONTHS", 0)
    search_kept_forget()
    beyond, beyond_statements = first_page()

    def facet_counts(result: ProductSearchResult) -> dict[str, int]:
        return {value.label: value.count for value in result.facets.categories}

    assert page.items == beyond.items == matches[:3]
    assert facet_counts(page) == {"Bags": 8}  # the 8 newest matches
    assert sum(facet_counts(beyond).values()) == 8  # the probe's match, then the index's in table order
    # The candidates' statement (it ranks) that reads the months' tokens: once, and not beyond them.
    month = f"n{now.astimezone(UTC):%Y%m}"
    assert [month in sql and "ts_rank" in sql for sql in statements].count(True) == 1
    assert not any(month in sql and "ts_rank" in sql for sql in beyond_statements)
    # As a probe's page with the rest from the GIN index (and the look for "rolltop" as a SKU).
    assert len(statements) == PROBED_NEWEST_PAGE_QUERIES + 1


class _Clock:
    """The process's monotonic clock, moved by the test."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def monotonic(self) -> float:
        return self.now


def test_a_walk_reads_its_windows_edges_once_a_minute_and_finds_the_rows_added_since(
    catalog: SearchCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The edges of the walk's windows (the 4th and 20th newest rows here) are read in the settings'
    statement and kept for a minute: the walk's own statement reads no other row of the table for
    them, and rows added within that minute are still found first, newest first; after the minute
    they are read again."""
    now = timezone.now()
    made = [
        made_at(
            catalog, f"EDGE-{n}", f"{'Rolltop bag' if n % 2 == 0 else 'Storage box'} {n}", now - timedelta(minutes=n)
        )
        for n in range(30)
    ]
    clock = _Clock()
    monkeypatch.setattr("suppliers.search.kept.time", clock)
    monkeypatch.setattr("suppliers.search.newest_walk.WALK_SHARE", math.inf)  # every estimate is low
    monkeypatch.setattr("suppliers.search.search_table.PROBE_NEWEST_ABOVE", 0.0)
    monkeypatch.setattr("suppliers.search.newest_walk.PROBE_ROWS", 4)
    monkeypatch.setattr("suppliers.search.newest_walk.WALK_ROWS", 20)
    monkeypatch.setattr("suppliers.search.service.CANDIDATES", 8)

    def newest_page() -> tuple[list[Product], list[str]]:
        with CaptureQueriesContext(connection) as queries:
            items = search_products(query="rolltop", sort="newest", limit=5).items
        return items, [query["sql"] for query in queries.captured_queries]

    first, first_sql = newest_page()
    clock.now += 30
    added = [made_at(catalog, f"ADDED-{n}", f"Rolltop bag added {n}", now + timedelta(minutes=n)) for n in range(3)]
    second, second_sql = newest_page()
    clock.now += 31
    third, third_sql = newest_page()

    matches = [product for product in made if product.title.startswith("Rolltop")]
    assert first == matches[:5]
    assert second == [*reversed(added), *matches[:2]]
    assert third == second
    # The row an edge is (the 4th or 20th newest) is read only beside the settings, never in a walk.
    edge_reads = [sql for sql in first_sql + second_sql + third_sql if "OFFSET" in sql]
    assert len(edge_reads) == 2
    assert all("LATERAL" in sql and "set_config" in sql for sql in edge_reads)
    edges_read = [sum("LATERAL" in sql for sql in each) for each in (first_sql, second_sql, third_sql)]
    assert edges_read == [1, 0, 1]


def test_the_planners_estimate_of_a_searchs_words_is_asked_once_a_minute(
    catalog: SearchCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk is decided on the planner's estimate of the words and filter tokens (an EXPLAIN). A
    process keeps it a minute per words, filter tokens and sort tokens: the same search again (the
    next page, another order) asks no more; other words or another filter token ask for theirs; after
    the minute it is asked again."""
    clock = _Clock()
    monkeypatch.setattr("suppliers.search.kept.time", clock)

    def explains(**search: Any) -> int:
        with CaptureQueriesContext(connection) as queries:
            search_products(**search)
        return sum(
            query["sql"].startswith("EXPLAIN") and "ts_rank" not in query["sql"] for query in queries.captured_queries
        )

    first = explains(query="backpack")
    again = explains(query="backpack", sort="newest")
    other_words = explains(query="bottle")
    verified = explains(query="backpack", verified_only=True)
    clock.now += 61
    later = explains(query="backpack")

    # (one per level of the words tried: this small catalog holds fewer than 3 of each)
    assert min(first, other_words, verified) >= 1
    assert (again, later) == (0, first)


def test_a_process_keeps_the_estimates_of_at_most_so_many_searches_words(monkeypatch: pytest.MonkeyPatch) -> None:
    """The words are the clients': a process that kept every estimate it was asked for would grow
    with them. Past ESTIMATES_KEPT, keeping one more forgets the stale ones, then all."""
    clock = _Clock()
    monkeypatch.setattr("suppliers.search.kept.time", clock)
    kept = Kept[str, float](60.0, most=3)
    for word in ("bag", "bin", "box"):
        kept.keep(word, 1.0)
    clock.now += 61
    kept.keep("bin", 2.0)  # read again: fresh
    kept.keep("cup", 3.0)  # a fourth: the stale "bag" and "box" are forgotten
    assert [word for word in ("bag", "bin", "box", "cup") if kept.fresh(word)] == ["bin", "cup"]
    assert not any(word in kept._values for word in ("bag", "box"))
    kept.keep("pen", 4.0)
    kept.keep("jar", 5.0)  # a fourth again, none stale: all are forgotten but the new one
    assert list(kept._values) == ["jar"]

    for number in range(search_table.ESTIMATES_KEPT + 5):
        search_table._estimates.keep(("default", f"'w{number}'", None), 1.0)
    assert len(search_table._estimates._values) <= search_table.ESTIMATES_KEPT
