"""The search pages: what a buyer sees, bad filters ignored, "more" by cursor, constant query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import SupplierProfileFactory
from tests.querycount import assert_same_queries_for_page_sizes
from tests.suppliers.builders_search import SearchCatalog, search_catalog
from tests.suppliers.factories_catalog import ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("suppliers:search")
DIRECTORY = reverse("suppliers:supplier_search")


@pytest.fixture
def catalog() -> SearchCatalog:
    return search_catalog()


def test_a_buyer_searching_透明书包_sees_the_baigou_school_bag_with_its_supplier_and_price(
    client: Client, catalog: SearchCatalog
) -> None:
    response = client.get(SEARCH, {"q": "透明书包", "quantity": "500"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "透明PVC学生书包" in page
    assert "Baoding Clearbag Factory" in page
    assert "Baigou bags" in page
    assert "CNY 11.80 / piece" in page
    assert "Canvas hiking backpack" not in page


def test_without_a_quantity_a_result_shows_its_from_price(client: Client, catalog: SearchCatalog) -> None:
    page = client.get(SEARCH, {"q": "书包"}).content.decode()
    assert "from CNY 10.90 / piece" in page


def test_facet_links_narrow_the_search(client: Client, catalog: SearchCatalog) -> None:
    page = client.get(SEARCH).content.decode()
    assert f"category={catalog.bags.pk}" in page
    assert f"belt={catalog.taizhou.pk}" in page
    narrowed = client.get(SEARCH, {"belt": catalog.taizhou.pk}).content.decode()
    assert "Waste sorting bin" in narrowed
    assert "Canvas hiking backpack" not in narrowed


@pytest.mark.parametrize(
    "params",
    [
        {"quantity": "lots"},
        {"max_price": "-3"},
        {"category": "999999"},
        {"belt": "abc"},
        {"sort": "cheapest"},
        {"province": "atlantis"},
        {"max_lead_time": "9999"},
        {"limit": "100000"},
    ],
)
def test_a_bad_filter_is_ignored_with_a_message(client: Client, catalog: SearchCatalog, params: dict) -> None:
    response = client.get(SEARCH, {"q": "包", **params})
    assert response.status_code == 200
    assert "was ignored" in response.content.decode()
    assert "透明PVC学生书包" in response.content.decode()


def test_a_garbled_page_link_shows_the_first_page(client: Client, catalog: SearchCatalog) -> None:
    response = client.get(SEARCH, {"cursor": "garbage"})
    assert response.status_code == 200
    assert "out of date" in response.content.decode()


def test_more_loads_the_next_page_as_a_fragment(client: Client, catalog: SearchCatalog) -> None:
    first = client.get(SEARCH, {"sort": "newest", "limit": "2"})
    assert first.context["more_url"]
    more = client.get(SEARCH + first.context["more_url"], headers={"HX-Request": "true"})
    page = more.content.decode()
    assert more.status_code == 200
    assert "<html" not in page
    assert "透明PVC学生书包" in page
    assert "Waste sorting bin" in page


def test_the_search_page_makes_the_same_queries_for_two_page_sizes(client: Client, catalog: SearchCatalog) -> None:
    for _n in range(12):
        ProductImageFactory(product=ProductFactory(supplier=catalog.baigou_factory, category=catalog.backpacks))
    # The planner's statistics of this catalog, not of whatever an earlier test left: "backpack" is
    # then a common word here, so its candidates walk the newest rows (two more statements). (The
    # planner's estimate of the words is the warm process's: no EXPLAIN.)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE suppliers_productsearch")
    assert_same_queries_for_page_sizes(
        lambda size: client.get(SEARCH, {"q": "backpack", "quantity": "100", "limit": size}), expected=10
    )
    assert_same_queries_for_page_sizes(lambda size: client.get(SEARCH, {"limit": size}), expected=2)


def test_the_directory_finds_suppliers_in_chinese_and_english(client: Client, catalog: SearchCatalog) -> None:
    page = client.get(DIRECTORY, {"q": "白沟"}).content.decode()
    assert "Baoding Clearbag Factory" in page
    assert "Hebei Outdoor Trading" in page
    assert "Taizhou Greenbin" not in client.get(DIRECTORY, {"q": "backpacks"}).content.decode()


def test_the_directory_makes_the_same_queries_for_two_page_sizes(client: Client, catalog: SearchCatalog) -> None:
    for _n in range(10):
        SupplierProfileFactory(belt=catalog.baigou)
    assert_same_queries_for_page_sizes(lambda size: client.get(DIRECTORY, {"limit": size}), expected=1)
