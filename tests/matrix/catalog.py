"""The supplier's catalog pages and the public product pages.

The dashboard pages act for the acting company's supplier profile: the `supplier` actor owns the
products built here, `other_supplier` gets 404 for them (no existence leaks), buying companies
are sent to `suppliers:become`, staff (no company) to the company page, anonymous to log in.
"""

from __future__ import annotations

from suppliers.models import Product
from tests.matrix import Route, World, expect
from tests.suppliers.factories_catalog import ProductFactory

SELLERS_ONLY = expect(302, supplier=200, other_supplier=200)
SELLERS_REFUSED_INPUT = expect(302, supplier=400, other_supplier=400)
OWNER_ONLY = expect(302, supplier=200, other_supplier=404)


def build(world: World) -> None:
    owner = world.actors["supplier"].supplier
    world.catalog_published = ProductFactory(supplier=owner, sku="MATRIX-PUB")
    world.catalog_draft = ProductFactory(supplier=owner, sku="MATRIX-DRAFT", status=Product.Status.DRAFT)


def _published(world: World) -> dict[str, int]:
    return {"pk": world.catalog_published.pk}


def _draft(world: World) -> dict[str, int]:
    return {"pk": world.catalog_draft.pk}


ROUTES = [
    Route("suppliers:product_list", SELLERS_ONLY),
    Route("suppliers:product_create", SELLERS_ONLY),
    # An empty form is refused with messages (400) for sellers.
    Route("suppliers:product_create", SELLERS_REFUSED_INPUT, method="post", data=lambda w: {}),
    Route("suppliers:product_edit", OWNER_ONLY, kwargs=_draft),
    Route(
        "suppliers:product_edit",
        expect(302, supplier=400, other_supplier=404),
        method="post",
        kwargs=_draft,
        data=lambda w: {},
    ),
    Route("suppliers:product_duplicate", expect(302, other_supplier=404), method="post", kwargs=_published),
    Route("suppliers:product_duplicate", expect(405), kwargs=_published),
    Route(
        "suppliers:product_bulk",
        expect(302, other_supplier=404),
        method="post",
        data=lambda w: {"action": "archive", "products": [w.catalog_published.pk]},
    ),
    Route("suppliers:product_bulk", expect(405)),
    Route("suppliers:product_preview", OWNER_ONLY, kwargs=_draft),
    Route("suppliers:product_detail", expect(200), kwargs=_published),
    # Drafts are not public, not even to their owner (who has the preview).
    Route("suppliers:product_detail", expect(404), kwargs=_draft),
    Route("suppliers:product_price", expect(200), kwargs=_published),
    Route("suppliers:product_price", expect(404, supplier=200), kwargs=_draft),
]
