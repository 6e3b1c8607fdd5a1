"""Ordering straight from the catalog, reviews after completion, and the supplier's figures."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from orders.models import Order, OrderEvent, Review
from orders.services.catalog_orders import CatalogOrderData, order_from_catalog
from orders.services.reviews import review_create, supplier_order_figures
from suppliers.models import Product
from tests.orders.builders_orders import order_in
from tests.suppliers.factories_catalog import ProductFactory

Status = Order.Status
pytestmark = pytest.mark.django_db


def _data(product: Product, quantity: int, **fields: object) -> CatalogOrderData:
    return CatalogOrderData(product_id=product.pk, quantity=quantity, destination_country="LK", **fields)


def test_an_order_from_the_catalog_takes_the_price_of_the_tier_for_the_quantity(actors: dict) -> None:
    buyer = actors["buyer"]
    product = ProductFactory(supplier=actors["supplier"].supplier, moq=100, tiers=[(100, "12.50"), (500, "11.80")])

    order = order_from_catalog(
        buyer=buyer.company, actor=buyer.user, data=_data(product, 600, notes="Blue zips, please.")
    )

    line = order.lines.get()
    assert (line.quantity, line.unit_price, line.product) == (600, Decimal("11.8000"), product)
    assert (order.origin, order.status, order.goods_total) == (Order.Origin.CATALOG, Status.PLACED, Decimal("7080.00"))
    assert order.currency_id == product.currency_id
    assert OrderEvent.objects.get(order=order).reason == "Blue zips, please."


def test_an_order_below_the_moq_is_refused_and_nothing_is_written(actors: dict) -> None:
    product = ProductFactory(supplier=actors["supplier"].supplier, moq=100)

    with pytest.raises(InvalidInput, match="minimum order is 100") as refused:
        order_from_catalog(buyer=actors["buyer"].company, actor=actors["buyer"].user, data=_data(product, 99))

    assert refused.value.field == "quantity"
    assert not Order.objects.exists()


def test_a_draft_product_cannot_be_ordered(actors: dict) -> None:
    product = ProductFactory(supplier=actors["supplier"].supplier, status=Product.Status.DRAFT)

    with pytest.raises(NotFound):
        order_from_catalog(buyer=actors["buyer"].company, actor=actors["buyer"].user, data=_data(product, 100))


def test_a_supplier_cannot_order_its_own_product(actors: dict) -> None:
    supplier = actors["supplier"]
    product = ProductFactory(supplier=supplier.supplier)

    with pytest.raises(InvalidInput, match="own company"):
        order_from_catalog(buyer=supplier.company, actor=supplier.user, data=_data(product, 100))


def test_a_delivery_date_in_the_past_is_refused(actors: dict) -> None:
    product = ProductFactory(supplier=actors["supplier"].supplier)

    with pytest.raises(InvalidInput) as refused:
        order_from_catalog(
            buyer=actors["buyer"].company,
            actor=actors["buyer"].user,
            data=_data(product, 100, required_by=timezone.localdate() - timedelta(days=1)),
        )

    assert refused.value.field == "required_by"


def test_the_buyer_reviews_a_completed_order_once(actors: dict) -> None:
    buyer = actors["buyer"]
    order = order_in(Status.COMPLETED, buyer=buyer, supplier=actors["supplier"])

    review = review_create(order_id=order.pk, company=buyer.company, actor=buyer.user, rating=4, comment="Good zips.")
    with pytest.raises(Conflict):
        review_create(order_id=order.pk, company=buyer.company, actor=buyer.user, rating=5)

    assert (review.supplier, review.rating, review.comment) == (actors["supplier"].supplier, 4, "Good zips.")
    assert Review.objects.count() == 1


def test_no_review_before_completion(actors: dict) -> None:
    buyer = actors["buyer"]
    order = order_in(Status.DELIVERED, buyer=buyer, supplier=actors["supplier"])

    with pytest.raises(Conflict):
        review_create(order_id=order.pk, company=buyer.company, actor=buyer.user, rating=5)

    assert not Review.objects.exists()


def test_a_rating_outside_one_to_five_is_refused_and_the_supplier_cannot_review_itself(actors: dict) -> None:
    order = order_in(Status.COMPLETED, buyer=actors["buyer"], supplier=actors["supplier"])

    with pytest.raises(InvalidInput):
        review_create(order_id=order.pk, company=actors["buyer"].company, actor=actors["buyer"].user, rating=6)
    with pytest.raises(PermissionDenied):
        review_create(order_id=order.pk, company=actors["supplier"].company, actor=actors["supplier"].user, rating=5)


def test_the_supplier_figures_count_ratings_and_deliveries_on_time(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    today = timezone.localdate()
    on_time = order_in(Status.COMPLETED, buyer=buyer, supplier=supplier, required_by=today + timedelta(days=3))
    late = order_in(Status.DELIVERED, buyer=buyer, supplier=supplier, required_by=today + timedelta(days=3))
    Order.objects.filter(pk=late.pk).update(delivered_at=timezone.now() + timedelta(days=5))
    review_create(order_id=on_time.pk, company=buyer.company, actor=buyer.user, rating=5)
    order_in(Status.PLACED, buyer=buyer, supplier=supplier)  # not delivered: does not count

    figures = supplier_order_figures(supplier=supplier.supplier)

    assert (figures.rating_average, figures.rating_count) == (Decimal("5.00"), 1)
    assert (figures.on_time_rate, figures.delivered_count) == (50, 2)


def test_a_supplier_without_orders_has_no_figures(actors: dict) -> None:
    figures = supplier_order_figures(supplier=actors["other_supplier"].supplier)

    assert (figures.rating_average, figures.rating_count, figures.on_time_rate) == (None, 0, None)


def test_a_review_and_deliveries_show_on_the_suppliers_public_page(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    order = order_in(Status.COMPLETED, buyer=buyer, supplier=supplier)

    review_create(order_id=order.pk, company=buyer.company, actor=buyer.user, rating=4, comment="Good zips.")

    supplier.supplier.refresh_from_db()
    assert (supplier.supplier.rating_average, supplier.supplier.rating_count) == (Decimal("4.00"), 1)
    page = actors["anonymous"].client.get(f"/suppliers/{supplier.supplier.pk}/").content.decode()
    assert "Rated 4.00 / 5 by buyers (1 rating)" in page
