"""The RFQ board: open public RFQs in the supplier's categories, which it may choose to answer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from buyers.models import SourcingRequest
from marketplace.models import Category
from tests.buyers.builders_inbox import works_in
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
from tests.conftest import Actor
from tests.factories import CategoryFactory
from tests.querycount import assert_same_queries_for_page_sizes
from tests.suppliers.factories_catalog import ProductFactory

pytestmark = pytest.mark.django_db

BOARD = reverse("buyers:supplier_board")


@pytest.fixture
def bags() -> Category:
    return CategoryFactory(slug="bags", name_en="Bags", name_zh="箱包")


@pytest.fixture
def backpacks(bags: Category) -> Category:
    return CategoryFactory(slug="backpacks", name_en="Backpacks", name_zh="背包", parent=bags)


@pytest.fixture
def supplier(actors: dict[str, Actor], bags: Category) -> Actor:
    works_in(actors["supplier"].supplier, bags)
    return actors["supplier"]


def test_the_board_shows_open_public_rfqs_in_the_suppliers_category_subtrees(
    supplier: Actor, bags: Category, backpacks: Category
) -> None:
    SourcingRequestFactory(title="School backpacks", category=backpacks)
    SourcingRequestFactory(title="Tote bags", category=bags)
    SourcingRequestFactory(title="Mascot toys", category=CategoryFactory(slug="toys"))
    SourcingRequestFactory(title="Private bags", category=bags, visibility=SourcingRequest.Visibility.PRIVATE)
    SourcingRequestFactory(title="Closed bags", category=bags, status=SourcingRequest.Status.CLOSED)
    SourcingRequestFactory(title="Draft bags", category=bags, status=SourcingRequest.Status.DRAFT)
    SourcingRequestFactory(title="Our own bags", category=bags, buyer=supplier.company)

    page = supplier.client.get(BOARD).content.decode()

    assert "School backpacks" in page
    assert "Tote bags" in page
    for hidden in ("Mascot toys", "Private bags", "Closed bags", "Draft bags", "Our own bags"):
        assert hidden not in page


def test_a_published_product_puts_its_category_on_the_board(actors: dict[str, Actor]) -> None:
    supplier = actors["supplier"]
    gloves = CategoryFactory(slug="gloves")
    ProductFactory(supplier=supplier.supplier, category=gloves)
    SourcingRequestFactory(title="Nitrile gloves", category=gloves)

    assert "Nitrile gloves" in supplier.client.get(BOARD).content.decode()


def test_the_board_marks_rfqs_already_in_the_inbox(supplier: Actor, bags: Category) -> None:
    mine = SourcingRequestFactory(title="Matched bags", category=bags)
    MatchFactory(rfq=mine, supplier=supplier.supplier)
    SourcingRequestFactory(title="Unseen bags", category=bags)

    page = supplier.client.get(BOARD).content.decode()

    marked = page[page.index("Matched bags") :]
    assert "Already in your inbox" in marked[: marked.index("</article>")]
    unseen = page[page.index("Unseen bags") :]
    assert "Already in your inbox" not in unseen[: unseen.index("</article>")]


def test_the_board_filters_by_category(supplier: Actor, bags: Category, backpacks: Category) -> None:
    SourcingRequestFactory(title="School backpacks", category=backpacks)
    SourcingRequestFactory(title="Tote bags", category=bags)

    page = supplier.client.get(BOARD, {"category": "backpacks"}).content.decode()

    assert "School backpacks" in page
    assert "Tote bags" not in page


def test_the_board_hides_the_buyers_name(supplier: Actor, bags: Category) -> None:
    rfq = SourcingRequestFactory(title="Tote bags", category=bags)

    page = supplier.client.get(BOARD).content.decode()

    assert rfq.buyer.name not in page
    assert "Buyer in Sri Lanka" in page


def test_a_supplier_without_categories_sees_an_empty_board_with_advice(actors: dict[str, Actor]) -> None:
    SourcingRequestFactory(title="Tote bags")

    page = actors["other_supplier"].client.get(BOARD).content.decode()

    assert "Tote bags" not in page
    assert "No open public request in your categories" in page


def test_the_board_makes_the_same_queries_for_two_page_sizes(supplier: Actor, bags: Category) -> None:
    for number in range(12):
        rfq = SourcingRequestFactory(title=f"Bags {number}", category=bags)
        if number % 2:
            MatchFactory(rfq=rfq, supplier=supplier.supplier)

    assert_same_queries_for_page_sizes(lambda size: supplier.client.get(BOARD, {"page_size": size}), expected=13)
