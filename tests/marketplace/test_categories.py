"""The category browser and a category's page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.selectors.kernel import category_tree
from tests.factories import CategoryFactory, IndustrialBeltFactory, SupplierProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> dict:
    bags = CategoryFactory(slug="bags", name_en="Bags & luggage", name_zh="箱包")
    backpacks = CategoryFactory(parent=bags, slug="backpacks", name_en="Backpacks", name_zh="双肩包")
    school = CategoryFactory(parent=backpacks, slug="school-bags", name_en="School bags", name_zh="书包")
    clear = CategoryFactory(
        parent=backpacks, slug="transparent-backpacks", name_en="Transparent backpacks", name_zh="透明书包"
    )
    toys = CategoryFactory(slug="toys", name_en="Toys", name_zh="玩具")
    return {"bags": bags, "backpacks": backpacks, "school": school, "clear": clear, "toys": toys}


def test_the_whole_tree_is_read_in_one_query(tree: dict) -> None:
    for number in range(20):
        CategoryFactory(parent=tree["toys"], slug=f"toy-{number}")
    with CaptureQueriesContext(connection) as captured:
        roots = category_tree()
        names = [child.name_en for root in roots for child in root.child_nodes]
        grandchildren = [leaf.slug for child in roots[0].child_nodes for leaf in child.child_nodes]
    assert len(captured.captured_queries) == 1
    assert [root.slug for root in roots] == ["bags", "toys"]
    assert "Backpacks" in names
    assert grandchildren == ["school-bags", "transparent-backpacks"]


def test_the_category_browser_shows_three_levels_nested(client: Client, tree: dict) -> None:
    response = client.get(reverse("category_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Bags &amp; luggage") < html.index("Backpacks") < html.index("Transparent backpacks")
    assert 'href="/categories/transparent-backpacks/"' in html


def test_the_category_browser_makes_as_many_queries_for_a_big_tree_as_for_a_small_one(
    client: Client, tree: dict
) -> None:
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("category_list"))
    for number in range(30):
        CategoryFactory(parent=tree["school"], slug=f"more-{number}")
    with CaptureQueriesContext(connection) as big:
        client.get(reverse("category_list"))
    assert len(big.captured_queries) == len(small.captured_queries)


def test_the_category_browser_speaks_chinese_to_a_chinese_reader(client: Client, tree: dict) -> None:
    client.cookies["django_language"] = "zh-hans"
    html = client.get(reverse("category_list")).content.decode()
    assert "透明书包" in html
    assert "Transparent backpacks" not in html


def test_a_category_page_shows_its_breadcrumb_and_subcategories(client: Client, tree: dict) -> None:
    html = client.get(reverse("category_detail", args=["backpacks"])).content.decode()
    assert 'href="/categories/bags/"' in html
    assert 'href="/categories/school-bags/"' in html
    assert 'href="/categories/transparent-backpacks/"' in html
    assert 'href="/categories/toys/"' not in html


def test_a_category_page_lists_belts_specialised_in_its_subtree_but_not_drafts(client: Client, tree: dict) -> None:
    IndustrialBeltFactory(name_en="Baigou bags", specialties=[tree["clear"]])
    IndustrialBeltFactory(name_en="Chenghai toys", specialties=[tree["toys"]])
    IndustrialBeltFactory(name_en="Draft bags", status="draft", specialties=[tree["school"]])
    html = client.get(reverse("category_detail", args=["bags"])).content.decode()
    assert "Baigou bags" in html
    assert "Chenghai toys" not in html
    assert "Draft bags" not in html


def test_a_category_page_lists_suppliers_whose_main_categories_are_in_its_subtree(client: Client, tree: dict) -> None:
    SupplierProfileFactory(name="Clear Bag Factory", main_categories=[tree["clear"], tree["school"]])
    SupplierProfileFactory(name="Toy Factory", main_categories=[tree["toys"]])
    SupplierProfileFactory(name="Closed Factory", main_categories=[tree["clear"]], is_active=False)
    html = client.get(reverse("category_detail", args=["backpacks"])).content.decode()
    assert html.count("Clear Bag Factory") == 1
    assert "Toy Factory" not in html
    assert "Closed Factory" not in html


def test_a_category_page_shows_at_most_50_suppliers(client: Client, tree: dict) -> None:
    for number in range(52):
        SupplierProfileFactory(name=f"Bag maker {number:02d}", main_categories=[tree["school"]])
    html = client.get(reverse("category_detail", args=["bags"])).content.decode()
    assert "Bag maker 49" in html
    assert "Bag maker 50" not in html
    assert "The first 50 suppliers." in html


def test_an_unknown_category_is_not_found(client: Client) -> None:
    assert client.get(reverse("category_detail", args=["no-such-category"])).status_code == 404


def test_a_category_page_makes_as_many_queries_for_many_belts_and_suppliers_as_for_one(
    client: Client, tree: dict
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("category_detail", args=["bags"])).status_code == 200
        return len(captured.captured_queries)

    belt = IndustrialBeltFactory(specialties=[tree["school"]])
    SupplierProfileFactory(belt=belt, main_categories=[tree["school"]])
    one = queries()
    for _ in range(8):
        belt = IndustrialBeltFactory(specialties=[tree["school"], tree["clear"]])
        SupplierProfileFactory(belt=belt, main_categories=[tree["clear"]])
    assert queries() == one


def test_staff_order_sibling_categories_by_position(tree: dict) -> None:
    tree["backpacks"].position = 2
    tree["backpacks"].save()
    CategoryFactory(parent=tree["bags"], slug="wallets", position=1)
    roots = category_tree()
    assert [child.slug for child in roots[0].child_nodes] == ["wallets", "backpacks"]
