"""Every order of a product search pages through every match exactly once, in order: newest, lowest
price, the price at a quantity (by the tiers' rule), lowest MOQ and shortest lead time, with and
without words and filters, on the search table's index walks and windows (suppliers.search.browse).
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Category
from suppliers.models import Product
from suppliers.pricing import product_unit_price_at
from suppliers.search import browse, sampled, service
from suppliers.search.cursors import encode_cursor
from suppliers.search.service import search_products
from tests.factories import CategoryFactory, IndustrialBeltFactory, SupplierProfileFactory
from tests.querycount import count_queries
from tests.suppliers.factories_catalog import ProductFactory

pytestmark = pytest.mark.django_db

QUANTITY = 500


@pytest.fixture
def catalog() -> dict[str, Any]:
    """41 products: half backpacks, half bins, with prices, MOQs, lead times and ages that differ
    and tie, tiers that make the price at 500 differ from the lowest price."""
    rng = random.Random(7)
    bags = CategoryFactory(slug="bags")
    bins = CategoryFactory(slug="bins")
    belt = IndustrialBeltFactory(slug="baigou")
    near, far = SupplierProfileFactory(belt=belt), SupplierProfileFactory()
    now = timezone.now()
    for number in range(40):
        backpack = number % 2 == 0
        moq = rng.choice([50, 100, 100, 300, 1000])
        first = Decimal(rng.choice(["12.00", "9.50", "9.50", "15.00", "7.25"]))
        tiers = [(moq, first), (moq * 5, (first * Decimal("0.8")).quantize(Decimal("0.01")))]
        ProductFactory(
            title=f"Canvas backpack {number}" if backpack else f"Sorting bin {number}",
            description="",
            category=bags if backpack else bins,
            supplier=near if number % 3 else far,
            moq=moq,
            lead_time_days=rng.choice([7, 15, 15, 30]),
            created_at=now - timedelta(hours=rng.randrange(0, 20)),
            tiers=tiers,
        )
    # Cheapest of all by its lowest price, dear at 500: found early by a window on the lowest price,
    # it must still come after everything cheaper at 500.
    ProductFactory(
        title="Bulk canvas backpack",
        description="",
        category=bags,
        supplier=near,
        moq=100,
        lead_time_days=15,
        tiers=[(100, "10.00"), (10_000, "1.00")],
    )
    return {"bags": bags, "belt": belt}


def _every_page(limit: int = 7, with_facets: bool = False, **search: Any) -> list[Product]:
    found: list[Product] = []
    cursor = None
    for _page in range(50):
        result = search_products(limit=limit, cursor=cursor, with_facets=with_facets, **search)
        found += result.items
        cursor = result.next_cursor
        if cursor is None:
            return found
    raise AssertionError("more than 50 pages")


def _expected(sort: str, matches: list[Product], quantity: int | None) -> list[int]:
    def price(product: Product) -> Decimal:
        if quantity is not None:
            return product_unit_price_at(product, quantity) or Decimal("Infinity")
        return product.min_unit_price or Decimal("Infinity")

    keys = {
        "newest": lambda p: (-p.created_at.timestamp(), -p.pk),
        "price": lambda p: (price(p), p.pk),
        "moq": lambda p: (p.moq, p.pk),
        "lead_time": lambda p: (p.lead_time_days, p.pk),
    }
    return [product.pk for product in sorted(matches, key=keys[sort])]


def _matching(query: str, category: Category | None, belt: Any, quantity: int | None) -> list[Product]:
    products = Product.objects.published().prefetch_related("tiers")
    if query:
        products = products.filter(title__icontains=query.split()[0])
    if category is not None:
        products = products.filter(category=category)
    if belt is not None:
        products = products.filter(belt=belt)
    if quantity is not None:
        products = products.filter(moq__lte=quantity)
    return list(products)


@pytest.mark.parametrize("sort", ["newest", "price", "moq", "lead_time"])
@pytest.mark.parametrize("query", ["", "backpack"])
@pytest.mark.parametrize("quantity", [None, QUANTITY])
@pytest.mark.parametrize("narrowed", [False, True])
@pytest.mark.parametrize("windows", ["as shipped", "small", "small samples"])
def test_every_sort_pages_through_every_match_once_in_order(
    catalog: dict[str, Any], monkeypatch: Any, sort: str, query: str, quantity: int | None, narrowed: bool, windows: str
) -> None:
    if windows == "small":
        # Windows of a few rows, so that this small catalog spans several of each kind.
        monkeypatch.setattr(browse, "WINDOWS", ((3, True), (6, False), (12, False), (None, False)))
    if windows == "small samples":
        # Samples of 4 and 5 matches and 6 candidates (with the facets), so that each page of words is
        # found by narrowing bounds — the candidates', the sort tokens', samples' — ties among them.
        monkeypatch.setattr(sampled, "SAMPLE", 4)
        monkeypatch.setattr(sampled, "WIDE_SAMPLE", 5)
        monkeypatch.setattr(sampled, "PRICED_SAMPLE_FACTOR", 1)
        monkeypatch.setattr(sampled, "PRICED_FIRST", 2)  # the price at a quantity: a head's bound from few rows
        monkeypatch.setattr(service, "CANDIDATES", 6)
    category = catalog["bags"] if narrowed else None
    belt = catalog["belt"] if narrowed else None
    matches = _matching(query, category, belt, quantity)
    assert len(matches) > 7, "the catalog must span several pages"

    # Small pages with small windows: a window is accepted only when it holds more than a page.
    limit = 3 if windows != "as shipped" else 7
    found = _every_page(
        limit=limit,
        with_facets=windows == "small samples",
        query=query,
        sort=sort,
        quantity=quantity,
        category=category,
        belt=belt,
    )

    assert [product.pk for product in found] == _expected(sort, matches, quantity)


def test_the_price_at_a_quantity_follows_the_tiers_not_the_lowest_price(catalog: dict[str, Any]) -> None:
    cheap_in_bulk = ProductFactory(title="Bulk backpack", moq=100, tiers=[(100, "20.00"), (10_000, "0.50")])
    cheap_at_500 = ProductFactory(title="Steady backpack", moq=100, tiers=[(100, "5.00")])

    by_lowest = [product.pk for product in _every_page(sort="price", query="backpack")]
    at_500 = _every_page(sort="price", query="backpack", quantity=QUANTITY)

    assert by_lowest[0] == cheap_in_bulk.pk
    assert at_500[0].pk == cheap_at_500.pk
    assert cheap_in_bulk.pk in {product.pk for product in at_500}
    assert [item.price_at_quantity for item in at_500] == sorted(item.price_at_quantity for item in at_500)


def test_a_maximum_price_at_a_quantity_keeps_only_products_priced_so_there(catalog: dict[str, Any]) -> None:
    found = _every_page(sort="price", quantity=QUANTITY, max_price=Decimal("9.00"))

    assert found
    assert all(item.price_at_quantity <= Decimal("9.00") for item in found)
    expected = [
        product.pk
        for product in _matching("", None, None, QUANTITY)
        if (product_unit_price_at(product, QUANTITY) or Decimal("Infinity")) <= Decimal("9.00")
    ]
    assert sorted(item.pk for item in found) == sorted(expected)


@pytest.mark.parametrize("sort", ["price", "moq", "lead_time"])
def test_browsing_a_category_pages_through_its_whole_subtree_in_order(sort: str) -> None:
    """Each category of the subtree is read from its own index and the pages merged: every product
    of the parent and its children once, in order across them, ties included; none of another."""
    rng = random.Random(11)
    parent = CategoryFactory(slug="luggage")
    children = [CategoryFactory(parent=parent, slug=f"luggage-{number}") for number in range(3)]
    other = CategoryFactory(slug="bins")
    for number in range(30):
        price = Decimal(rng.choice(["3.00", "4.50", "4.50", "7.00", "12.00"]))
        ProductFactory(
            title=f"Case {number}",
            category=[parent, *children, other][number % 5],
            moq=rng.choice([50, 100, 100, 500]),
            lead_time_days=rng.choice([7, 15, 15, 30]),
            tiers=[(100, price)] if number % 7 else [],  # some without a price: last by price
        )
    subtree = [product for product in _matching("", None, None, None) if product.category_id != other.pk]

    found = _every_page(limit=4, category=parent, sort=sort)

    assert [product.pk for product in found] == _expected(sort, subtree, None)


def test_a_page_by_moq_within_a_shared_value_keeps_the_matches_below_it(monkeypatch: Any) -> None:
    """The newest backpacks (the candidates) all have an MOQ of 300; older ones at 50 (under a sort
    token's bound) and at 250 (between the bounds 200 and 300) come first, then the 300s by id."""
    monkeypatch.setattr(service, "CANDIDATES", 3)
    now = timezone.now()
    older = [
        ProductFactory(title=f"Canvas backpack {moq}", description="", moq=moq, created_at=now - timedelta(days=9))
        for moq in (250, 50)
    ]
    ProductFactory(title="Sorting bin", description="", moq=250, created_at=now - timedelta(days=9))
    shared = [
        ProductFactory(title=f"Canvas backpack new {n}", description="", moq=300, created_at=now - timedelta(hours=n))
        for n in range(5)
    ]

    first = search_products(query="backpack", sort="moq", limit=3)
    every = _every_page(limit=3, with_facets=True, query="backpack", sort="moq")

    assert [item.pk for item in first.items] == [older[1].pk, older[0].pk, min(product.pk for product in shared)]
    assert [item.pk for item in every] == [older[1].pk, older[0].pk, *sorted(product.pk for product in shared)]


def test_within_a_belt_the_cheapest_at_a_quantity_come_first_past_products_cheap_only_in_bulk() -> None:
    """The belt's first rows by lowest price are cheap only in bulk (they bound the page at 20.00);
    the belt's products cheapest at 500 lie past them, and a cheaper product of another belt stays out."""
    belt = IndustrialBeltFactory(slug="baigou")
    supplier = SupplierProfileFactory(belt=belt)
    for number in range(8):
        ProductFactory(title=f"Bulk bag {number}", supplier=supplier, moq=100, tiers=[(100, "20.00"), (10_000, "0.50")])
    steady = [
        ProductFactory(title=f"Steady bag {price}", supplier=supplier, moq=100, tiers=[(100, price)])
        for price in ("4.00", "3.00", "5.00")
    ]
    ProductFactory(title="Other belt's bag", moq=100, tiers=[(100, "1.00")])

    first = search_products(belt=belt, sort="price", quantity=QUANTITY, limit=2, with_facets=False)
    every = _every_page(limit=2, belt=belt, sort="price", quantity=QUANTITY)

    assert [item.pk for item in first.items] == [steady[1].pk, steady[0].pk]
    assert [item.price_at_quantity for item in every] == [Decimal("3.00"), Decimal("4.00"), Decimal("5.00")] + [
        Decimal("20.00")
    ] * 8


def test_a_window_on_the_lowest_price_never_puts_a_product_dear_at_the_quantity_first(monkeypatch: Any) -> None:
    """Two backpacks cheap only in bulk fall in the first window of lowest prices (the window is of
    the whole table, bins included); the backpack cheapest at 500 lies outside it and comes first."""
    monkeypatch.setattr(browse, "WINDOWS", ((2, False), (None, False)))
    cheapest = ProductFactory(title="Canvas backpack E", description="", moq=100, tiers=[(100, "1.00")])
    ProductFactory(title="Canvas backpack A1", description="", moq=100, tiers=[(100, "5.00"), (10_000, "1.10")])
    ProductFactory(title="Canvas backpack A2", description="", moq=100, tiers=[(100, "6.00"), (10_000, "1.20")])
    second = ProductFactory(title="Canvas backpack Y", description="", moq=100, tiers=[(100, "3.00")])
    for number in range(5):
        ProductFactory(title=f"Sorting bin {number}", description="", moq=100, tiers=[(100, f"1.{number + 3}0")])

    first_page = search_products(query="backpack", sort="price", quantity=QUANTITY, limit=2, with_facets=False)

    assert [item.pk for item in first_page.items] == [cheapest.pk, second.pk]


def test_the_token_the_candidates_point_at_never_puts_a_product_dear_at_the_quantity_first(monkeypatch: Any) -> None:
    """The newest backpacks are cheap only in bulk (lowest price 0.50, 9.00 at 500): the candidates
    point at the sort token of prices up to 0.50, which holds every one of them and no other
    backpack — yet the backpacks at 3.00 at 500, in a higher token, come first."""
    monkeypatch.setattr(service, "CANDIDATES", 6)
    now = timezone.now()
    bulk = [
        ProductFactory(
            title=f"Canvas backpack bulk {number}",
            description="",
            moq=100,
            tiers=[(100, "9.00"), (10_000, "0.50")],
            created_at=now - timedelta(hours=number),
        )
        for number in range(8)
    ]
    plain = [
        ProductFactory(
            title=f"Canvas backpack plain {number}",
            description="",
            moq=100,
            tiers=[(100, "3.00")],
            created_at=now - timedelta(days=2, hours=number),
        )
        for number in range(8)
    ]

    first = search_products(query="backpack", sort="price", quantity=QUANTITY, limit=3)
    every = _every_page(limit=3, with_facets=True, query="backpack", sort="price", quantity=QUANTITY)

    assert [item.pk for item in first.items] == [product.pk for product in plain[:3]]
    assert [item.pk for item in every] == [product.pk for product in plain + bulk]


def test_a_relevance_ranking_that_stopped_early_says_so_on_its_last_page(monkeypatch: Any, client: Any) -> None:
    monkeypatch.setattr(service, "CANDIDATES", 5)  # the ranking's cap, small so that 8 matches exceed it
    for number in range(8):
        ProductFactory(title=f"Canvas backpack {number}", description="")

    ranked = _every_page(limit=2, query="backpack")
    newest = _every_page(limit=2, query="backpack", sort="newest")
    last = search_products(query="backpack", limit=10, with_facets=False)
    api = client.get("/api/v1/products/", {"q": "backpack", "limit": 10}).json()
    page = client.get(reverse("suppliers:search"), {"q": "backpack"}).content.decode()

    assert len(ranked) == 5
    assert len(newest) == 8
    assert last.best_of == 5
    assert api["best_of"] == 5
    assert "These are the best 5 matches of more" in page
    assert search_products(query="backpack", sort="newest", limit=10, with_facets=False).best_of is None


@pytest.mark.parametrize("sort", ["price", "moq", "lead_time"])
def test_the_cheapest_matches_come_first_when_the_newest_are_all_dear(monkeypatch: Any, sort: str) -> None:
    """The candidates (the newest matches) and the first samples are all dear, slow and in bulk; a
    few older backpacks lie below them by two and more sort-token bounds, among dearer bins: the
    descent through the tokens must find them, and every page stay in order."""
    monkeypatch.setattr(sampled, "SAMPLE", 4)
    monkeypatch.setattr(sampled, "WIDE_SAMPLE", 5)
    monkeypatch.setattr(sampled, "PRICED_SAMPLE_FACTOR", 1)
    monkeypatch.setattr(service, "CANDIDATES", 6)
    now = timezone.now()
    old = [
        ProductFactory(
            title=f"Canvas backpack old {number}",
            description="",
            moq=3 + number,
            lead_time_days=2 + number,
            tiers=[(3 + number, f"0.{number + 3}0")],
            created_at=now - timedelta(days=30, hours=number),
        )
        for number in range(5)
    ]
    for number in range(12):
        ProductFactory(
            title=f"Sorting bin {number}",
            description="",
            moq=1,
            lead_time_days=1,
            tiers=[(1, "0.05")],
            created_at=now - timedelta(days=20),
        )
        ProductFactory(
            title=f"Canvas backpack new {number}",
            description="",
            moq=1000 + number,
            lead_time_days=60,
            tiers=[(1000 + number, f"{80 + number}.00")],
            created_at=now - timedelta(hours=number),
        )

    first = search_products(query="backpack", sort=sort, limit=3)
    every = _every_page(limit=3, with_facets=True, query="backpack", sort=sort)

    assert [item.pk for item in first.items] == [product.pk for product in old[:3]]
    assert [item.pk for item in every] == _expected(sort, _matching("backpack", None, None, None), None)


def test_newest_first_pages_through_months_in_order() -> None:
    """Newest first reads the matches of the cursor's month (and then of the months before it) from
    the index's month tokens: pages that cross months, and months with no match, stay in order."""
    now = timezone.now()
    made = [
        ProductFactory(title=f"Canvas backpack {number}", description="", created_at=now - timedelta(days=days))
        for number, days in enumerate([0, 1, 2, 3, 33, 34, 35, 64, 65, 100, 101, 400, 401, 402])
    ]
    ProductFactory(title="Sorting bin", description="", created_at=now - timedelta(days=2))

    found = _every_page(limit=2, query="backpack", sort="newest")

    assert [item.pk for item in found] == [product.pk for product in made]


@pytest.mark.parametrize(
    ("moment", "found"),
    [("0001-01-01T00:00:00+05:00", False), ("9999-12-31T23:59:59-05:00", True), ("2999-01-01T00:00:00", True)],
)
def test_a_newest_cursor_at_the_ends_of_time_answers_a_page(
    client: Any, monkeypatch: Any, moment: str, found: bool
) -> None:
    """A forged cursor whose time has no month in UTC (year 0 or 10000), or no time zone, is still
    a place in the order: the page after it, never a server error."""
    monkeypatch.setattr(service, "CANDIDATES", 3)  # more matches than candidates: the month tokens are asked
    products = [ProductFactory(title=f"Canvas backpack {number}", description="") for number in range(5)]
    cursor = encode_cursor("newest", [moment, 5])

    response = client.get("/api/v1/products/", {"q": "backpack", "sort": "newest", "cursor": cursor})

    assert response.status_code == 200
    expected = sorted(product.pk for product in products) if found else []
    assert sorted(item["id"] for item in response.json()["results"]) == expected


@pytest.mark.parametrize("query", ["", "backpack"])
def test_a_price_cursor_past_every_price_answers_only_what_has_none(
    query: str, django_assert_max_num_queries: Any
) -> None:
    """After the last priced product (a cursor past every price: the last page's, or forged) come
    only the products without a price, asked for alone — not every match read to find them — and
    at a quantity nothing (every product that passes it has a price there)."""
    for number in range(3):
        ProductFactory(title=f"Canvas backpack {number}", description="", tiers=[(100, f"1{number}.00")])
    unpriced = sorted(ProductFactory(title=f"Canvas backpack {n}", description="", tiers=[]).pk for n in range(3, 6))
    past = [
        (["999999999", 1], unpriced),
        (["12.0001", 1], unpriced),
        ([None, 0], unpriced),
        ([None, unpriced[0]], unpriced[1:]),
    ]

    # Words read their candidates first, whatever the page, to know whether a looser level is wanted
    # (the SKU look-up, a savepoint, the settings, the estimate, the walk and the index: 10); the page
    # itself, as a browse's, at most 4.
    most = 4 + (10 if query else 0)
    for values, expected in past:
        cursor = encode_cursor("price", values)
        with django_assert_max_num_queries(most):
            result = search_products(query=query, sort="price", cursor=cursor, with_facets=False)
        assert [product.pk for product in result.items] == expected, values
    for values in (["999999999", 1], [None, 0]):
        at_quantity = search_products(query=query, sort="price", quantity=500, cursor=encode_cursor("price", values))
        assert at_quantity.items == []
    # A cursor at the dearest price still pages on from it (the probe is at or above, not above).
    after_cheapest = search_products(query=query, sort="price", cursor=encode_cursor("price", ["11.00", 0]))
    assert len(after_cheapest.items) == 2 + len(unpriced)


@pytest.mark.parametrize("query", ["", "backpack"])
def test_the_newest_page_is_read_off_the_candidates_that_found_it(
    catalog: dict[str, Any], monkeypatch: Any, query: str
) -> None:
    """The candidates of a search with facets are its newest matches (the walk found them among the
    newest rows, or a browse read them so): newest first, the page among them is read off them, in
    as many statements as a relevance page — no second walk for the page."""
    monkeypatch.setattr(service, "CANDIDATES", 9)  # fewer than the matches: the candidates stop early
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE suppliers_productsearch")  # "backpack" is common here: it walks
    search = {"query": query, "category": catalog["bags"], "belt": catalog["belt"], "limit": 4}

    search_products(**search)  # the facets' names read, as by a process that has searched before
    newest = count_queries(lambda: search_products(sort="newest", **search))
    relevance = count_queries(lambda: search_products(sort="relevance", **search))
    first = search_products(sort="newest", **search)
    second = search_products(sort="newest", cursor=first.next_cursor, **search)

    assert newest == relevance
    matches = _matching(query, catalog["bags"], catalog["belt"], None)
    assert [item.pk for item in first.items + second.items] == _expected("newest", matches, None)[:8]


@pytest.mark.parametrize(("sort", "quantity"), [("relevance", None), ("moq", None), ("price", QUANTITY)])
def test_a_category_is_read_once_and_checked_as_a_list_on_every_row(
    catalog: dict[str, Any], sort: str, quantity: int | None
) -> None:
    """A category browse finds its subcategories' products, and reads the category tree once: each
    row the walk reads is checked against the subtree's ids, not by a look-up in the categories'
    table per row (17,000 look-ups for bags by price at 1,000 at 1M)."""
    child = CategoryFactory(slug="school-bags", parent=catalog["bags"])
    inner = ProductFactory(title="Canvas backpack inner", description="", category=child, moq=100)

    with CaptureQueriesContext(connection) as captured:
        found = _every_page(limit=7, sort=sort, quantity=quantity, category=catalog["bags"])

    assert inner.pk in {product.pk for product in found}
    in_bags = {catalog["bags"].pk, child.pk}
    matches = [product for product in _matching("", None, None, quantity) if product.category_id in in_bags]
    order = "newest" if sort == "relevance" else sort
    assert [product.pk for product in found] == _expected(order, matches, quantity)
    searches = [query["sql"] for query in captured.captured_queries if "suppliers_productsearch" in query["sql"]]
    assert searches
    assert not any("marketplace_category" in sql for sql in searches)


@pytest.mark.parametrize("sort", ["price", "moq", "lead_time"])
@pytest.mark.parametrize("quantity", [None, QUANTITY])
def test_a_longer_chinese_word_sorted_pages_only_its_phrase_not_its_pairs(
    monkeypatch: Any, sort: str, quantity: int | None
) -> None:
    """保温杯 finds its rows by its character pairs (~保温 & ~温杯), which 保温壶配温杯 has too: on a
    token's rows the bound is tested first and the phrase on the rows within it — never left out."""
    monkeypatch.setattr(sampled, "SAMPLE", 4)
    monkeypatch.setattr(sampled, "WIDE_SAMPLE", 5)
    monkeypatch.setattr(sampled, "PRICED_SAMPLE_FACTOR", 1)
    monkeypatch.setattr(service, "CANDIDATES", 6)
    rng = random.Random(3)
    flasks, decoys = [], []
    for number in range(30):
        moq = rng.choice([50, 100, 200, 300])
        price = Decimal(rng.choice(["3.50", "4.80", "5.20", "9.00", "12.00"]))
        made = ProductFactory(
            title=f"不锈钢保温杯 {number}" if number % 3 else f"保温壶配温杯 {number}",
            description="",
            moq=moq,
            lead_time_days=rng.choice([7, 15, 30]),
            tiers=[(moq, price), (moq * 4, price - Decimal("0.50"))],
        )
        (flasks if number % 3 else decoys).append(made)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE suppliers_productsearch")

    found = _every_page(limit=3, with_facets=True, query="保温杯", sort=sort, quantity=quantity)

    matches = [product for product in _matching("", None, None, quantity) if product in flasks]
    assert [product.pk for product in found] == _expected(sort, matches, quantity)


def test_the_sort_tokens_of_a_row_match_a_bound_exactly_when_its_value_is_at_most_the_bound() -> None:
    """The bounds `sampled` asks the index for are the ones migrations 0016 and 0018 give each row:
    for values on, just under and just over every bound (and none), `_token_match(bound)` holds
    exactly when the value is at most the bound — else a sorted page would miss rows or read more."""
    checked = 0
    for column, (_prefix, bounds) in sampled.TOKEN_BOUNDS.items():
        step = Decimal("0.001") if column == "min_unit_price" else 1
        values = sorted({value for bound in bounds for value in (bound - step, bound, bound + step) if value > 0})
        arguments = {"min_unit_price": "NULL::numeric", "moq": "1", "lead_time_days": "1::smallint"}
        queries = [(bound, sampled._token_match(column, bound).source_expressions[-1].value) for bound in bounds]
        with connection.cursor() as cursor:
            for value in values:
                row = {**arguments, column: "%s"}
                tokens = (
                    f"suppliers_sort_tokens_fine(({row['min_unit_price']})::numeric, ({row['moq']})::integer, "
                    f"({row['lead_time_days']})::smallint, now())"
                )
                cursor.execute(
                    f"SELECT {', '.join(f'{tokens} @@ %s::tsquery' for _ in queries)}",
                    [part for _bound, query in queries for part in (value, query)],
                )
                matched = cursor.fetchone()
                for (bound, query), match in zip(queries, matched, strict=True):
                    assert match == (value <= bound), (column, value, bound, query)
                    checked += 1
    assert checked > 10_000


def _paged_with_and_without_bound_tokens(
    monkeypatch: pytest.MonkeyPatch, setting: str, *, query: str, sort: str, **bounds: int | None
) -> list[Product]:
    """Every page of a search with a quantity, maximum MOQ or maximum lead time (`bounds`), once with
    `setting` (sampled.BOUND_TOKENS_BELOW or BROWSE_TOKENS_BELOW) saying every bound is rare, once none:
    both page through exactly the products that pass, in the sort's order; only the first matches
    the bounds' sort tokens. Three more products have values between the token bounds, and on one."""
    for moq, lead_time in ((60, 9), (120, 13), (150, 10)):
        ProductFactory(
            title=f"Canvas backpack MOQ {moq}", moq=moq, lead_time_days=lead_time, tiers=[(moq, Decimal("8.40"))]
        )
    quantity, max_moq, max_lead_time = bounds["quantity"], bounds["max_moq"], bounds["max_lead_time"]
    moqs = [each for each in (quantity, max_moq) if each is not None]
    columns = {"moq": min(moqs) if moqs else None, "lead_time_days": max_lead_time}
    tokens = [
        sampled._token_query(column, next(each for each in sampled.TOKEN_BOUNDS[column][1] if each >= bound))
        for column, bound in columns.items()
        if bound is not None
    ]
    search = {"query": query, "sort": sort, **bounds}
    monkeypatch.setattr(f"suppliers.search.sampled.{setting}", 1.1)  # every bound is rare enough
    with CaptureQueriesContext(connection) as queries:
        found = _every_page(limit=3, with_facets=True, **search)
    sampled._shares.forget()
    monkeypatch.setattr(f"suppliers.search.sampled.{setting}", 0.0)  # no bound is
    with CaptureQueriesContext(connection) as queries_without:
        without = _every_page(limit=3, with_facets=True, **search)

    matches = [
        product
        for product in _matching(query, None, None, None)
        if all(bound is None or getattr(product, column) <= bound for column, bound in columns.items())
    ]
    assert [product.pk for product in found] == _expected("newest" if sort == "relevance" else sort, matches, quantity)
    assert found == without
    for token in (each.replace("'", "''") for each in tokens):  # as the statements quote it
        assert any(token in query["sql"] for query in queries.captured_queries)
        assert not any(token in query["sql"] for query in queries_without.captured_queries)
    return found


@pytest.mark.parametrize("sort", ["price", "moq", "newest", "lead_time"])
@pytest.mark.parametrize(
    ("quantity", "max_moq", "max_lead_time"),
    [(100, None, None), (120, None, None), (None, 60, None), (300, 100, None), (None, None, 9), (500, None, 14)],
)
def test_a_bound_few_rows_pass_is_matched_by_its_sort_token_and_loses_no_product(
    catalog: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    sort: str,
    quantity: int | None,
    max_moq: int | None,
    max_lead_time: int | None,
) -> None:
    """Words with a quantity (or a maximum MOQ) most products' MOQs exceed, or a short lead time: the
    search table's GIN index matches the bound's sort token with the words (the token of the least
    bound at or above it, 120 → 150, 9 → 10, the value itself still checked), and every order pages
    through exactly the products that pass — the same as without the token."""
    _paged_with_and_without_bound_tokens(
        monkeypatch,
        "BOUND_TOKENS_BELOW",
        query="backpack",
        sort=sort,
        quantity=quantity,
        max_moq=max_moq,
        max_lead_time=max_lead_time,
    )


@pytest.mark.parametrize("sort", ["relevance", "price", "moq", "newest", "lead_time"])
@pytest.mark.parametrize("bound", ["quantity=120", "max_moq=60", "max_lead_time=9", "max_lead_time=3"])
def test_browsing_with_a_bound_almost_no_row_passes_finds_its_rows_by_the_sort_token(
    catalog: dict[str, Any], monkeypatch: pytest.MonkeyPatch, sort: str, bound: str
) -> None:
    """Without words, a bound hardly any product passes (a lead time of at most 3 days, which no
    product of the 1M catalog has) made a sort index's walk check every row to fill a page (90-190
    ms a statement at 1M): its sort token finds the rows in the GIN index instead, and every order
    pages through exactly the products that pass — the same as without the token, none included."""
    name, value = bound.split("=")
    bounds: dict[str, int | None] = {"quantity": None, "max_moq": None, "max_lead_time": None, name: int(value)}
    found = _paged_with_and_without_bound_tokens(monkeypatch, "BROWSE_TOKENS_BELOW", query="", sort=sort, **bounds)
    assert bool(found) == (bound != "max_lead_time=3")


def test_the_rows_sampled_by_the_price_at_a_quantity_are_priced_by_walking_their_tiers_index(
    catalog: dict[str, Any], monkeypatch: Any
) -> None:
    """Words by the price at a quantity sample their matches and price each in its tiers: the rows
    are found by the GIN index's bitmap (index scans of the sort indexes off), but each product's
    tiers are read by walking their index backwards to the first at most the quantity, not by a
    bitmap and a sort per row (twice as long: 保温杯 at 1,000 units' sample of 2,000 rows at 1M, 41
    against 26 ms). Each sampling statement, EXPLAINed with the settings it ran with."""
    monkeypatch.setattr(sampled, "SAMPLE", 4)
    monkeypatch.setattr(sampled, "WIDE_SAMPLE", 5)
    monkeypatch.setattr(sampled, "PRICED_SAMPLE_FACTOR", 1)
    monkeypatch.setattr(service, "CANDIDATES", 6)
    with CaptureQueriesContext(connection) as queries:
        _every_page(limit=3, with_facets=True, query="backpack", sort="price", quantity=QUANTITY)

    plans = []
    with transaction.atomic(), connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            if "SAVEPOINT" in sql or sql.startswith("EXPLAIN"):
                continue
            if "suppliers_pricetier" in sql and "suppliers_productsearch" in sql and "ts_rank" not in sql:
                cursor.execute("EXPLAIN " + sql)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
            elif sql.startswith("SELECT set_config") or "current_setting" in sql:
                cursor.execute(sql)
        transaction.set_rollback(True)

    assert plans, "the pages sampled their matches"
    for plan in plans:
        assert "price_tier_unique_quantity" in plan
        assert "Bitmap Heap Scan on suppliers_pricetier" not in plan
        assert "Index Scan using productsearch_" not in plan  # no walk of a sort index's range


def test_a_sample_by_the_price_at_a_quantity_prices_only_the_rows_that_may_lead_it(monkeypatch: Any) -> None:
    """A sample's head by the price at a quantity is found by pricing the rows of the lowest prices
    first (PRICED_FIRST): their head-th price at the quantity (6.00) bounds it, and a row whose lowest
    price is above that bound is never priced — the dear backpacks here. A flat-priced backpack whose
    lowest price is the bound itself (6.00 at any quantity) is priced and ranks before the bulk ones
    at 6.00 (its id is lower): leaving it out would lose it from every page."""
    monkeypatch.setattr(sampled, "SAMPLE", 4)
    monkeypatch.setattr(sampled, "WIDE_SAMPLE", 40)
    monkeypatch.setattr(sampled, "PRICED_SAMPLE_FACTOR", 1)
    monkeypatch.setattr(sampled, "PRICED_FIRST", 4)  # a page of 3 and one more
    monkeypatch.setattr(service, "CANDIDATES", 6)
    now = timezone.now()

    def backpacks(name: str, count: int, tiers: list[tuple[int, str]], hours: int) -> list[Product]:
        return [
            ProductFactory(
                title=f"Canvas backpack {name} {number}",
                description="",
                moq=100,
                tiers=tiers,
                created_at=now - timedelta(hours=hours + number),
            )
            for number in range(count)
        ]

    flat = backpacks("flat", 1, [(100, "6.00")], 40)  # 6.00 at 500, its lowest price
    dear = backpacks("dear", 12, [(100, "20.00")], 0)  # the newest: the candidates, all dear
    cheap = backpacks("cheap", 2, [(100, "3.00"), (10_000, "1.00")], 20)  # 3.00 at 500, lowest 1.00
    bulk = backpacks("bulk", 2, [(100, "6.00"), (10_000, "2.00")], 30)  # 6.00 at 500, lowest 2.00
    with CaptureQueriesContext(connection) as queries:
        first = search_products(query="backpack", sort="price", quantity=QUANTITY, limit=3)
    every = _every_page(limit=3, with_facets=True, query="backpack", sort="price", quantity=QUANTITY)

    assert [item.pk for item in first.items] == [product.pk for product in [*cheap, *flat]]
    assert [item.pk for item in every] == [product.pk for product in [*cheap, *flat, *bulk, *dear]]
    priced = []
    with transaction.atomic(), connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            if sql.startswith("WITH sample"):
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                priced.append(_loops_on(cursor.fetchone()[0][0]["Plan"], "suppliers_pricetier"))
            elif sql.startswith("SELECT set_config") or "current_setting" in sql:
                cursor.execute(sql)
        transaction.set_rollback(True)
    assert priced, "the first page's sample was priced lazily"
    # 17 matches in the sample; the 12 dear ones' lowest price (20.00) is above the bound (6.00).
    assert max(priced) <= 17 - 12


def _loops_on(plan: dict[str, Any], relation: str) -> int:
    """How many times the plan's nodes on `relation` ran (each a row's price looked up)."""
    own = plan.get("Actual Loops", 0) if plan.get("Relation Name") == relation else 0
    return own + sum(_loops_on(child, relation) for child in plan.get("Plans", []))
