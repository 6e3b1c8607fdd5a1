"""A search's page of products read by id in one plain statement (`pages.products_by_id`): the same
products, supplier, picture and prices as the ORM's `page_query`, whatever the page's size."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db.models import QuerySet

from marketplace.rows import fields_of
from suppliers.models import Product, SupplierProfile
from suppliers.pricing import unit_price_at_expression
from suppliers.search.pages import PRODUCT_DEFERRED, SUPPLIER_DEFERRED, page_query, prepare, products_by_id
from tests.suppliers.factories_catalog import ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db


def shown(products: list[Product], quantity: int | None) -> list[tuple[Any, ...]]:
    """What a result shows of each product (after `prepare`), by id."""
    prepare(products, quantity)
    return sorted(
        (
            product.pk,
            product.title,
            product.sku,
            product.moq,
            product.created_at,
            product.supplier.pk,
            product.supplier.name,
            product.supplier.verification_status,
            product.belt_id,
            product.thumbnail_url,  # type: ignore[attr-defined]
            product.from_price,  # type: ignore[attr-defined]
            product.price_at_quantity,  # type: ignore[attr-defined]
        )
        for product in products
    )


def every_field(products: list[Product]) -> list[tuple[Any, ...]]:
    """Each product's and its supplier's fields the page reads, as Python has them (the database's
    values converted: a supplier's languages a list, not JSON text)."""
    return sorted(
        (
            tuple(getattr(product, field.attname) for field in fields_of(Product, deferred=PRODUCT_DEFERRED)),
            tuple(
                getattr(product.supplier, field.attname)
                for field in fields_of(SupplierProfile, deferred=SUPPLIER_DEFERRED)
            ),
        )
        for product in products
    )


def by_the_orm(ids: list[int], quantity: int | None) -> list[Product]:
    rows: QuerySet[Product] = Product.objects.filter(pk__in=ids)
    if quantity is not None:
        rows = rows.annotate(price_at_quantity=unit_price_at_expression(quantity))
    return list(page_query(rows))


@pytest.mark.parametrize("quantity", [None, 1, 500, 5000])
def test_a_page_read_by_id_shows_what_the_orm_query_shows(quantity: int | None) -> None:
    with_thumbnail = ProductFactory(title="Canvas backpack", tiers=[(1, "30.00"), (500, "24.50"), (5000, "19.25")])
    ProductImageFactory(product=with_thumbnail, position=2)
    ProductImageFactory(product=with_thumbnail, position=1)  # the first picture
    image_only = ProductFactory(title="Roll-top bag", tiers=[(100, "12.5000")])
    ProductImageFactory(product=image_only, thumbnail="")
    bare = ProductFactory(title="Sorting bin", tiers=[])
    SupplierProfile.objects.filter(pk=bare.supplier_id).update(languages_spoken=["en", "zh"])
    ids = [with_thumbnail.pk, image_only.pk, bare.pk]

    read = products_by_id(ids, quantity)

    assert shown(read, quantity) == shown(by_the_orm(ids, quantity), quantity)
    assert every_field(read) == every_field(by_the_orm(ids, quantity))
    pictures = {product.pk: product.thumbnail_url for product in read}  # type: ignore[attr-defined]
    first = with_thumbnail.images.order_by("position").first()
    assert pictures[with_thumbnail.pk] == first.thumbnail.url  # the first image's thumbnail
    assert pictures[image_only.pk] == image_only.images.get().image.url  # no thumbnail: the image
    assert pictures[bare.pk] == ""
    prices = {product.pk: product.price_at_quantity for product in read}  # type: ignore[attr-defined]
    if quantity == 500:
        assert prices[with_thumbnail.pk] == Decimal("24.50")
        assert prices[image_only.pk] == Decimal("12.50")


def test_a_page_read_by_id_is_one_statement_and_leaves_the_long_texts_for_later(
    django_assert_num_queries: Any,
) -> None:
    products = [ProductFactory(description=f"A long description {n}") for n in range(21)]

    with django_assert_num_queries(1):
        read = products_by_id([product.pk for product in products], 1000)
        supplier_names = {product.supplier.name for product in read}
    with django_assert_num_queries(1):  # deferred, read when used (a product page shows it)
        description = read[0].description

    assert len(read) == 21
    assert len(supplier_names) == 21
    assert description == Product.objects.get(pk=read[0].pk).description
    assert products_by_id([], None) == []
