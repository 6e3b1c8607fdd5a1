"""Product and supplier search on PostgreSQL: Chinese and English, fuzzy, SKUs, filters, sorts, facets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from marketplace.errors import InvalidInput
from marketplace.models import Category, IndustrialBelt
from suppliers.models import Product
from suppliers.search import service
from suppliers.search.index import products_reindex
from suppliers.search.segment import query_terms, segment
from suppliers.search.service import CANDIDATES, search_products, search_suppliers
from suppliers.search.spelling import vocabulary_refresh
from suppliers.search.words import text_filter_fallback
from tests.factories import IndustrialBeltFactory, SupplierProfileFactory
from tests.suppliers.builders_search import SearchCatalog, search_catalog
from tests.suppliers.factories_catalog import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog() -> SearchCatalog:
    return search_catalog()


def found(**arguments: object) -> list[Product]:
    return search_products(**arguments).items


# --- Segmentation -------------------------------------------------------------------------------


def test_chinese_text_is_stored_as_words_and_single_characters() -> None:
    assert segment("透明书包") == "透明 书包 透 明 书 包"


def test_latin_text_is_lower_cased_and_a_sku_is_also_one_token() -> None:
    assert segment("PVC Backpack BG-2024-001") == "pvc backpack bg 2024 001 bg2024001"


def test_full_width_latin_typed_in_a_chinese_input_method_is_folded() -> None:
    assert segment("ＰＶＣ背包") == "pvc 背包 背 包"


# --- Text queries -------------------------------------------------------------------------------


def test_a_buyer_searching_in_chinese_finds_the_baigou_transparent_school_bag(catalog: SearchCatalog) -> None:
    assert found(query="透明书包") == [catalog.school_bag]


def test_a_buyer_searching_in_english_finds_it_through_its_description_and_category(catalog: SearchCatalog) -> None:
    assert found(query="transparent backpack") == [catalog.school_bag]


def test_an_english_category_name_finds_products_titled_only_in_chinese(catalog: SearchCatalog) -> None:
    assert catalog.school_bag in found(query="backpacks")


def test_a_one_character_chinese_query_finds_every_product_containing_it(catalog: SearchCatalog) -> None:
    assert set(found(query="包")) == {catalog.school_bag, catalog.canvas_backpack, catalog.handbag}


def test_a_two_character_chinese_query_finds_the_word(catalog: SearchCatalog) -> None:
    assert found(query="书包") == [catalog.school_bag]


def test_a_chinese_word_is_found_even_where_the_stored_text_was_cut_differently(catalog: SearchCatalog) -> None:
    # "生书" is no word, but the characters stand next to each other in 学生书包.
    assert found(query="生书") == [catalog.school_bag]


def test_a_latin_word_matches_as_a_prefix(catalog: SearchCatalog) -> None:
    assert found(query="waterpr") == [catalog.school_bag]


def test_a_misspelled_english_word_still_finds_backpacks(catalog: SearchCatalog) -> None:
    result = search_products(query="backpak")
    assert result.items == [catalog.canvas_backpack]
    assert result.fuzzy


def _rolltop_backpacks(catalog: SearchCatalog) -> None:
    """Seven backpacks that "backpak" finds by title similarity only, with MOQs and lead times that tie."""
    for number in range(7):
        ProductFactory(
            supplier=catalog.baigou_factory,
            title=f"Rolltop waterproof backpack {number}",
            description="",
            moq=10 + number % 3,
            lead_time_days=5 + number % 4,
        )


# Each order's key of a product (one tier each: the lowest price is the price at any quantity).
_ORDERS: dict[str, Any] = {
    "newest": lambda product: (-product.created_at.timestamp(), -product.pk),
    "moq": lambda product: (product.moq, product.pk),
    "lead_time": lambda product: (product.lead_time_days, product.pk),
    "price": lambda product: (product.min_unit_price, product.pk),
}


@pytest.mark.parametrize("sort", ["newest", "moq", "lead_time", "price"])
def test_a_misspelling_sorted_otherwise_is_paged_among_its_candidates_not_by_testing_every_title(
    catalog: SearchCatalog, sort: str
) -> None:
    """A misspelling matched by titles like it (the looser level) and sorted by anything but
    relevance: where its candidates are every match, its pages are read among them, never by
    testing each product's title in the sort's order for similar words until a page is full (a
    whole walk of the catalog when few match: 2.9 s at 1M). Every page holds the matches in order,
    each once."""
    _rolltop_backpacks(catalog)
    pages, statements = [], []
    cursor = None
    while True:
        with CaptureQueriesContext(connection) as queries:
            result = search_products(query="backpak", sort=sort, quantity=500, cursor=cursor, limit=3)
        pages.append(result.items)
        statements += [query["sql"] for query in queries.captured_queries]
        cursor = result.next_cursor
        if cursor is None:
            break

    matches = [product for product in Product.objects.published() if "backpack" in product.title.lower()]
    key = _ORDERS[sort]
    assert result.fuzzy
    assert [product.pk for page in pages for product in page] == [product.pk for product in sorted(matches, key=key)]
    page_statements = [sql for sql in statements if '"suppliers_product"."sku"' in sql and "first_picture" in sql]
    assert len(page_statements) == len(pages)
    # Among the candidates' ids (the primary key's index): the titles' similarity tested on them only.
    assert all('"suppliers_product"."id" IN (' in sql for sql in page_statements)


@pytest.mark.parametrize("sort", ["newest", "moq", "lead_time", "price"])
def test_a_misspelling_with_more_titles_like_it_than_its_candidates_is_sorted_among_them_and_says_so(
    catalog: SearchCatalog, monkeypatch: pytest.MonkeyPatch, client: Client, sort: str
) -> None:
    """Titles like a misspelling sorted otherwise than by relevance, with more such titles than the
    candidates: each product's title was tested in the sort's order until a page was full
    ("schoolbackpack" by price: 1.0 s at 1M). The pages are sorted among the candidates, the
    "More products" pages (no facets) too, and the result, the API and the page say so."""
    monkeypatch.setattr(service, "CANDIDATES", 4)
    _rolltop_backpacks(catalog)
    pages, statements, cursor = [], [], None
    while True:
        with CaptureQueriesContext(connection) as queries:
            result = search_products(query="backpak", sort=sort, cursor=cursor, limit=3, with_facets=not pages)
        pages.append(result)
        statements += [query["sql"] for query in queries.captured_queries]
        cursor = result.next_cursor
        if cursor is None:
            break
    api = client.get("/api/v1/products/", {"q": "backpak", "sort": sort}).json()
    page = client.get(reverse("suppliers:search"), {"q": "backpak", "sort": sort}).content.decode()

    found = [product for result in pages for product in result.items]
    key = _ORDERS[sort]
    assert all(result.fuzzy and result.best_of == 4 for result in pages)
    assert len(found) == 4
    assert found == sorted(found, key=key)
    page_statements = [sql for sql in statements if '"suppliers_product"."sku"' in sql and "first_picture" in sql]
    assert all('"suppliers_product"."id" IN (' in sql for sql in page_statements)
    assert api["best_of"] == 4
    assert len(api["results"]) == 4
    assert "sorted among the first 4 of them" in page
    assert "These are the best" not in page
    with translation.override("zh-hans"):
        chinese = client.get(
            reverse("suppliers:search"), {"q": "backpak", "sort": sort}, HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    assert "仅在其中前 4 个之间排序" in chinese.content.decode()


def test_a_word_of_one_or_two_letters_is_not_looked_for_by_title_similarity(catalog: SearchCatalog) -> None:
    """A word of one or two letters has two or three trigrams that most titles share: looked for by
    title similarity it read most titles of the catalog to match none ("' OR 1=1 --" at 1M, 0.54 s).
    Beside a longer misspelt word both still are."""
    with CaptureQueriesContext(connection) as queries:
        result = search_products(query="' OR 1=1 --", sort="newest", quantity=500)

    assert result.items == []
    assert not result.fuzzy
    assert not any("word_similarity" in query["sql"] or "<%" in query["sql"] for query in queries.captured_queries)
    misspelt = search_products(query="canvas backpak")
    assert misspelt.fuzzy
    assert misspelt.items == [catalog.canvas_backpack]
    with CaptureQueriesContext(connection) as queries:
        search_products(query="of backpak")
    assert any("word_similarity" in query["sql"] for query in queries.captured_queries)


def test_a_word_of_one_or_two_letters_is_not_looked_for_as_the_beginning_of_longer_ones(catalog: SearchCatalog) -> None:
    """'ba':* merges the index's entries of every word from bag to basket (1-2 s at 1M): a word of
    one or two letters is matched whole (a size, a material: xl, pu), never as a prefix."""
    with CaptureQueriesContext(connection) as queries:
        result = search_products(query="ba", sort="moq")

    assert result.items == []
    assert not any("'ba':*" in query["sql"] for query in queries.captured_queries)
    assert search_products(query="backp").items  # three letters and more still are


def test_a_number_is_not_looked_for_as_the_beginning_of_longer_ones(catalog: SearchCatalog) -> None:
    """The vocabulary never holds a number, so '1000':* was tried whenever the words found few: it
    merged the index's entries of every number and code beginning with 1000 (１０００ by the price at
    100 units: 10.6 s at 1M, refused at the anonymous budget). A number is matched whole."""
    maker, bins = catalog.taizhou_factory, catalog.bins
    flask = ProductFactory(supplier=maker, title="Vacuum flask 1000 ml", category=bins, moq=100, tiers=[(100, "9")])
    ProductFactory(supplier=maker, title="Power bank 10000 mAh", category=bins, moq=100, tiers=[(100, "8")])
    with CaptureQueriesContext(connection) as queries:
        result = search_products(query="１０００", sort="price", quantity=500)

    assert result.items == [flask]
    assert not any("'1000':*" in query["sql"] for query in queries.captured_queries)
    assert search_products(query="100", sort="price", quantity=500).items == []


@pytest.mark.parametrize("query", ["NO-SUCH-SKU-0001", "bg-clear-9999", "TOY/2026.X"])
def test_a_query_that_can_only_be_a_sku_and_matches_nothing_is_not_looked_for_by_title_similarity(
    catalog: SearchCatalog, query: str
) -> None:
    """Titles hold no SKUs: the similarity of a SKU's fragments (no, 0001) to titles is noise, and
    at 1M products the slowest no-match search. Words that merely contain digits still are."""
    with CaptureQueriesContext(connection) as queries:
        result = search_products(query=query)

    assert result.items == []
    assert not result.fuzzy
    assert not [query["sql"] for query in queries.captured_queries if "<%" in query["sql"]]
    with CaptureQueriesContext(connection) as queries:
        search_products(query="backpak 2026")
    assert [query["sql"] for query in queries.captured_queries if "<%" in query["sql"]]


def test_words_spelt_right_that_the_filters_exclude_are_not_looked_for_by_title_similarity(
    catalog: SearchCatalog,
) -> None:
    """Backpack at a quantity below every backpack's MOQ: the catalog holds the word often, so it is
    spelt right and the filter found too few — no title merely like it is looked for (at 1M, a second
    of trigram look-ups to find nothing), and nothing is shown as a fuzzy match. Nor is a misspelling
    the vocabulary corrects (its corrected level, tried first, found none with the filter); one it
    cannot correct, with the same filter, still is."""
    for number in range(3):
        ProductFactory(supplier=catalog.baigou_factory, title=f"Roll-top backpack {number}", moq=500)
    vocabulary_refresh()  # (hourly on the site) the catalog's words and how many products hold each
    lowest = min(product.moq for product in Product.objects.filter(title__icontains="backpack"))

    with CaptureQueriesContext(connection) as queries:
        result = search_products(query="backpack", quantity=lowest - 1)

    assert result.items == []
    assert not result.fuzzy
    assert not [query["sql"] for query in queries.captured_queries if "<%" in query["sql"]]
    with CaptureQueriesContext(connection) as queries:
        corrected = search_products(query="bakcpack", quantity=lowest - 1)
    assert corrected.items == []
    assert corrected.corrected_query == "backpack"
    assert not [query["sql"] for query in queries.captured_queries if "<%" in query["sql"]]
    with CaptureQueriesContext(connection) as queries:
        search_products(query="bagpackers", quantity=lowest - 1)
    assert [query["sql"] for query in queries.captured_queries if "<%" in query["sql"]]


def test_a_word_longer_than_any_catalog_word_is_not_looked_up_as_a_misspelling(catalog: SearchCatalog) -> None:
    # Its trigram look-up would read a posting list per trigram: 200 letters held a worker for seconds.
    with CaptureQueriesContext(connection) as queries:
        products = search_products(query="backpak" + "x" * 200)
        suppliers = search_suppliers(query="greenbim" + "x" * 200)
    assert products.items == []
    assert not products.fuzzy
    assert suppliers.items == []
    assert not [query["sql"] for query in queries.captured_queries if "%>" in query["sql"] or "<%" in query["sql"]]
    # A long but plausible word is still forgiven its misspelling.
    assert search_products(query="waterproof backpak").fuzzy


def test_a_sku_finds_its_product_first(catalog: SearchCatalog) -> None:
    assert found(query="bg-pvc-001")[0] == catalog.school_bag
    assert found(query="CV-77") == [catalog.canvas_backpack]


def test_drafts_archived_products_and_inactive_suppliers_never_appear(catalog: SearchCatalog) -> None:
    hidden = set(catalog.hidden)
    for arguments in ({"query": "透明书包"}, {"query": "transparent"}, {"query": "D-1"}, {}, {"sort": "price"}):
        assert not hidden & set(found(**arguments)), arguments


def test_a_query_of_punctuation_only_finds_nothing(catalog: SearchCatalog) -> None:
    assert found(query="!!! ---") == []


def test_a_very_long_query_is_answered(catalog: SearchCatalog) -> None:
    assert found(query="透明书包 " * 2000) == [catalog.school_bag]


def test_the_search_text_follows_a_renamed_category_after_a_reindex(catalog: SearchCatalog) -> None:
    Category.objects.filter(pk=catalog.bins.pk).update(name_en="Dustbins")
    assert found(query="dustbin") == []
    call_command("search_reindex", "--batch-size", "2")
    assert found(query="dustbin") == [catalog.sorting_bin]


# --- Filters ------------------------------------------------------------------------------------


def test_a_category_filter_includes_its_subcategories(catalog: SearchCatalog) -> None:
    assert set(found(category=catalog.bags)) == {catalog.school_bag, catalog.canvas_backpack, catalog.handbag}
    assert set(found(category=catalog.backpacks)) == {catalog.school_bag, catalog.canvas_backpack}


def test_belt_and_province_filters(catalog: SearchCatalog) -> None:
    assert found(belt=catalog.taizhou) == [catalog.sorting_bin]
    assert found(province="zhejiang") == [catalog.sorting_bin]
    assert set(found(query="包", belt=catalog.baigou)) == {catalog.school_bag, catalog.canvas_backpack, catalog.handbag}


def test_the_price_filter_uses_the_price_at_the_quantity(catalog: SearchCatalog) -> None:
    # At 500 the school bag costs 11.80; at 100 it costs 12.50.
    assert found(quantity=500, max_price=Decimal("12")) == [catalog.school_bag]
    assert found(quantity=100, max_price=Decimal("12")) == []


def test_without_a_quantity_the_price_filter_uses_the_from_price(catalog: SearchCatalog) -> None:
    assert set(found(max_price=Decimal("20"))) == {catalog.school_bag, catalog.canvas_backpack}


def test_a_quantity_shows_only_products_that_can_be_ordered_in_it_with_their_price(catalog: SearchCatalog) -> None:
    result = search_products(quantity=150, sort="price")
    assert result.items == [catalog.school_bag, catalog.canvas_backpack]
    assert [item.price_at_quantity for item in result.items] == [Decimal("12.50"), Decimal("30")]


def test_moq_lead_time_and_sample_filters(catalog: SearchCatalog) -> None:
    assert set(found(max_moq=100)) == {catalog.school_bag, catalog.canvas_backpack}
    assert set(found(max_lead_time=15)) == {catalog.school_bag, catalog.sorting_bin}
    assert set(found(sample_available=True)) == {catalog.school_bag, catalog.sorting_bin}


def test_verified_and_manufacturer_filters(catalog: SearchCatalog) -> None:
    makers = {catalog.school_bag, catalog.handbag, catalog.sorting_bin}
    assert set(found(verified_only=True)) == makers
    assert set(found(manufacturers_only=True)) == makers


# --- Sorting and pages --------------------------------------------------------------------------


def test_sorting_by_price_uses_the_price_at_the_chosen_quantity(catalog: SearchCatalog) -> None:
    at_300 = [catalog.school_bag, catalog.handbag, catalog.canvas_backpack, catalog.sorting_bin]
    at_1000 = [catalog.school_bag, catalog.canvas_backpack, catalog.handbag, catalog.sorting_bin]
    assert found(quantity=300, sort="price") == at_300
    assert found(quantity=1000, sort="price") == at_1000


def test_sorting_by_newest(catalog: SearchCatalog) -> None:
    assert found(sort="newest") == [catalog.canvas_backpack, catalog.handbag, catalog.school_bag, catalog.sorting_bin]


@pytest.mark.parametrize(
    "arguments",
    [
        {"sort": "newest"},
        {"sort": "price"},
        {"sort": "price", "quantity": 1000},
        {"query": "包 bag", "sort": "relevance"},
    ],
)
def test_pages_follow_one_another_without_gaps_or_repeats(catalog: SearchCatalog, arguments: dict) -> None:
    everything = found(**arguments, limit=100)
    seen: list[Product] = []
    cursor = None
    while True:
        result = search_products(**arguments, cursor=cursor, limit=1)
        seen += result.items
        cursor = result.next_cursor
        if cursor is None:
            break
    assert seen == everything


def test_a_cursor_from_another_sort_or_garbled_is_refused(catalog: SearchCatalog) -> None:
    cursor = search_products(sort="newest", limit=1).next_cursor
    with pytest.raises(InvalidInput):
        search_products(sort="price", cursor=cursor)
    with pytest.raises(InvalidInput):
        search_products(cursor="not-a-cursor!")


# --- Facets -------------------------------------------------------------------------------------


def test_facets_count_top_level_categories_and_belts(catalog: SearchCatalog) -> None:
    facets = search_products().facets
    assert {(facet.label, facet.count) for facet in facets.categories} == {("Bags", 3), ("Plastic products", 1)}
    assert {(facet.label, facet.count) for facet in facets.belts} == {("Baigou bags", 3), ("Taizhou plastics", 1)}
    assert facets.total == 4
    assert not facets.approximate


def test_within_a_category_the_facets_count_its_children(catalog: SearchCatalog) -> None:
    facets = search_products(category=catalog.bags).facets
    assert [(facet.label, facet.count) for facet in facets.categories] == [("Backpacks", 2)]


def test_facets_follow_the_query(catalog: SearchCatalog) -> None:
    facets = search_products(query="垃圾桶").facets
    assert [(facet.label, facet.count) for facet in facets.categories] == [("Plastic products", 1)]


def test_facets_are_labelled_in_chinese_for_a_chinese_reader(catalog: SearchCatalog) -> None:
    with translation.override("zh-hans"):
        facets = search_products().facets
    assert {facet.label for facet in facets.belts} == {catalog.baigou.name_zh, catalog.taizhou.name_zh}
    assert catalog.bags.name_zh in {facet.label for facet in facets.categories}


def test_facets_read_no_names_once_the_process_has_them_and_a_rename_shows_at_once(catalog: SearchCatalog) -> None:
    search_products()  # the names read
    with CaptureQueriesContext(connection) as queries:
        search_products()
    # Candidates and the page: every statement reads the products (the page joins their belts).
    assert all("suppliers_product" in query["sql"] for query in queries), queries.captured_queries

    catalog.baigou.name_en = "Baigou luggage"
    catalog.baigou.save(update_fields=["name_en"])
    assert "Baigou luggage" in {facet.label for facet in search_products().facets.belts}


def test_a_belt_new_to_the_process_is_named_in_the_facets(catalog: SearchCatalog) -> None:
    search_products()  # the names read, without the belt below
    # Written without a save signal (in bulk, or by another process): the names do not hold it yet.
    [belt] = IndustrialBelt.objects.bulk_create([IndustrialBeltFactory.build(name_en="Pinghu luggage")])
    ProductFactory(supplier=SupplierProfileFactory(belt=belt), category=catalog.bags, title="Hard-shell suitcase")
    assert [facet.label for facet in search_products(query="suitcase").facets.belts] == ["Pinghu luggage"]


def test_a_category_search_reads_no_category_and_finds_a_subcategory_added_since(catalog: SearchCatalog) -> None:
    search_products(category=catalog.bags)  # the names read: the subtree is the process's
    with CaptureQueriesContext(connection) as queries:
        search_products(category=catalog.bags)
    assert not any("marketplace_category" in query["sql"] for query in queries), queries.captured_queries

    # Saved here (the save forgets the names): the next search of its parent finds its products.
    luggage = Category.objects.create(parent=catalog.bags, name_en="Luggage", name_zh="箱包", slug="luggage")
    suitcase = ProductFactory(supplier=catalog.sorting_bin.supplier, category=luggage, title="Hard-shell suitcase")
    assert suitcase.pk in {item.pk for item in search_products(category=catalog.bags).items}
    assert [item.pk for item in search_products(category=luggage).items] == [suitcase.pk]


# --- PostgreSQL specifics -----------------------------------------------------------------------


def _add_storage_boxes(catalog: SearchCatalog, count: int = 3000, words: str = "收 纳 箱") -> None:
    filler = catalog.sorting_bin
    Product.objects.bulk_create(
        Product(
            supplier_id=filler.supplier_id,
            sku=f"FILL-{n}",
            title=f"Storage box {n}",
            category_id=filler.category_id,
            moq=10,
            lead_time_days=10,
            status=Product.Status.PUBLISHED,
            search_text=f"storage box {n} {words}",
        )
        for n in range(count)
    )
    with connection.cursor() as cursor:
        # As after a bulk load: the GIN index's pending list merged, the statistics current.
        cursor.execute("SELECT gin_clean_pending_list('product_search_vector'::regclass)")
        cursor.execute("ANALYZE suppliers_product")
        cursor.execute("ANALYZE suppliers_productsearch")


def _candidate_query(**arguments: object) -> str:
    with CaptureQueriesContext(connection) as captured:
        search_products(**arguments)
    return next(
        q["sql"] for q in captured.captured_queries if "search_vector" in q["sql"] and f"LIMIT {CANDIDATES}" in q["sql"]
    )


def _plan(sql: str) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_text_query_uses_the_full_text_index_of_the_stored_vector(catalog: SearchCatalog) -> None:
    _add_storage_boxes(catalog)
    sql = _candidate_query(query="透明书包", with_facets=False)
    assert "to_tsvector" not in sql
    plan = _plan(sql)
    assert "productsearch_words_sorts" in plan or "productsearch_newest" in plan, plan
    assert "Seq Scan on suppliers_product" not in plan, plan


def test_a_common_one_character_query_walks_an_index_and_never_recomputes_the_vector(catalog: SearchCatalog) -> None:
    _add_storage_boxes(catalog)
    sql = _candidate_query(query="箱")
    assert "to_tsvector" not in sql
    assert "search_vector" in sql
    plan = _plan(sql)
    assert "Index Scan" in plan or "Bitmap Index Scan" in plan, plan
    assert "Seq Scan on suppliers_product" not in plan, plan


def test_relevance_ranks_at_most_the_candidates_and_facets_say_they_are_approximate(
    catalog: SearchCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("suppliers.search.service.CANDIDATES", 2)
    result = search_products(query="包")
    assert len(result.items) == 2
    assert set(result.items) < {catalog.school_bag, catalog.canvas_backpack, catalog.handbag}
    assert result.facets.total == 2
    assert result.facets.approximate


def test_without_a_query_the_facets_count_the_newest_products(
    catalog: SearchCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("suppliers.search.service.CANDIDATES", 2)
    facets = search_products().facets
    assert {(facet.label, facet.count) for facet in facets.belts} == {("Baigou bags", 2)}  # backpack and handbag
    assert facets.approximate


def test_whole_latin_words_match_their_plural_and_singular(catalog: SearchCatalog) -> None:
    assert catalog.sorting_bin in found(query="bin")
    assert catalog.sorting_bin in found(query="bins")


def test_a_sku_ranks_first_even_when_more_than_the_candidates_match_its_words(
    catalog: SearchCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_storage_boxes(catalog, count=5, words="bg pvc 001")  # newer, and matching the words of the SKU
    monkeypatch.setattr("suppliers.search.service.CANDIDATES", 2)
    assert found(query="bg-pvc-001")[0] == catalog.school_bag


@pytest.mark.parametrize("query", ["透明书包", "包", "书包", "transparent backpack", "bin", "canvas 包", "BG-PVC-001"])
def test_the_plain_fallback_finds_the_same_products(catalog: SearchCatalog, query: str) -> None:
    fallback = Product.objects.published().filter(text_filter_fallback(query_terms(query)))
    assert set(fallback) == set(found(query=query)), query


def test_products_reindex_keeps_the_search_text_current(catalog: SearchCatalog) -> None:
    product = ProductFactory(title="Plush toy", description="", attributes=[], category=catalog.bins)
    Product.objects.filter(pk=product.pk).update(title="毛绒玩具")
    products_reindex(product_ids=[product.pk])
    assert found(query="玩具") == [product]


# --- Suppliers ----------------------------------------------------------------------------------


def test_suppliers_are_found_by_chinese_name_belt_and_category(catalog: SearchCatalog) -> None:
    assert search_suppliers(query="透明箱包").items == [catalog.baigou_factory]
    assert set(search_suppliers(query="白沟").items) == {catalog.baigou_factory, catalog.baigou_trader}
    assert search_suppliers(query="bins").items == [catalog.taizhou_factory]


def test_a_misspelled_supplier_name_is_still_found(catalog: SearchCatalog) -> None:
    assert search_suppliers(query="greenbim").items == [catalog.taizhou_factory]


def test_supplier_filters(catalog: SearchCatalog) -> None:
    assert set(search_suppliers(category=catalog.bags).items) == {catalog.baigou_factory, catalog.baigou_trader}
    assert search_suppliers(province="zhejiang").items == [catalog.taizhou_factory]
    assert search_suppliers(belt=catalog.taizhou).items == [catalog.taizhou_factory]
    assert catalog.baigou_trader not in search_suppliers(verified_only=True).items
    assert catalog.baigou_trader not in search_suppliers(manufacturers_only=True).items


def test_the_directory_lists_verified_suppliers_first_and_pages_by_cursor(catalog: SearchCatalog) -> None:
    first = search_suppliers(limit=2)
    second = search_suppliers(limit=2, cursor=first.next_cursor)
    listed = first.items + second.items
    assert listed[:2] == [catalog.baigou_factory, catalog.taizhou_factory]
    assert catalog.baigou_trader in listed
