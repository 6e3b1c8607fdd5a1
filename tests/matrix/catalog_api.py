"""The catalog API: the supplier's own catalog (/api/v1/catalog/...) and public products and suppliers.

Own-catalog endpoints: anonymous 401; buyers and staff (no selling company) 403 with a message;
sellers act on their own catalog, and another supplier's product or import answers 404. Public
endpoints answer everyone; a draft answers 404 to everyone, its owner included.
"""

from __future__ import annotations

from suppliers.models import CatalogImport, Product
from tests.matrix import Route, World, expect
from tests.suppliers.factories_catalog import ProductFactory, ProductImageFactory

SELLERS = expect(403, anonymous=401, supplier=200, other_supplier=200)
OWNER = expect(403, anonymous=401, supplier=200, other_supplier=404)
JSON = "application/json"


def build(world: World) -> None:
    owner = world.actors["supplier"].supplier
    world.capi_published = ProductFactory(supplier=owner, sku="CAPI-PUB")
    ProductImageFactory(product=world.capi_published)
    world.capi_draft = ProductFactory(supplier=owner, sku="CAPI-DRAFT", status=Product.Status.DRAFT)
    world.capi_import = CatalogImport.objects.create(
        supplier=owner,
        file="imports/capi.csv",
        original_name="capi.csv",
        file_format="csv",
        status=CatalogImport.Status.DONE,
        total_rows=3,
        processed_rows=3,
        created_count=3,
    )


def _draft(world: World) -> dict[str, int]:
    return {"pk": world.capi_draft.pk}


def _published(world: World) -> dict[str, int]:
    return {"pk": world.capi_published.pk}


ROUTES = [
    Route("api-catalog-product-list", SELLERS),
    # An empty product is refused field by field (400) for sellers.
    Route(
        "api-catalog-product-list",
        expect(403, anonymous=401, supplier=400, other_supplier=400),
        method="post",
        data=lambda w: {},
        content_type=JSON,
    ),
    Route("api-catalog-product-detail", OWNER, kwargs=_draft),
    Route(
        "api-catalog-product-detail",
        OWNER,
        method="patch",
        kwargs=_draft,
        data=lambda w: {"title": "Renamed by the matrix"},
        content_type=JSON,
    ),
    Route(
        "api-catalog-product-detail",
        expect(403, anonymous=401, supplier=400, other_supplier=404),
        method="put",
        kwargs=_draft,
        data=lambda w: {},
        content_type=JSON,
    ),
    Route("api-catalog-product-detail", expect(405, anonymous=401), method="delete", kwargs=_draft),
    Route("api-catalog-product-archive", OWNER, method="post", kwargs=_published),
    Route("api-catalog-product-archive", expect(405, anonymous=401), kwargs=_published),
    # A draft without an image cannot be published: 409 with the reason.
    Route(
        "api-catalog-product-publish",
        expect(403, anonymous=401, supplier=409, other_supplier=404),
        method="post",
        kwargs=_draft,
    ),
    Route("api-catalog-product-publish", OWNER, method="post", kwargs=_published),
    # An upload without files is refused (400).
    Route(
        "api-catalog-product-images",
        expect(403, anonymous=401, supplier=400, other_supplier=404),
        method="post",
        kwargs=_draft,
        data=lambda w: {},
    ),
    Route("api-catalog-import-list", SELLERS),
    Route("api-catalog-import-detail", OWNER, kwargs=lambda w: {"pk": w.capi_import.pk}),
    Route("api-product-list", expect(200)),
    Route("api-product-detail", expect(200), kwargs=_published),
    Route("api-product-detail", expect(404), kwargs=_draft),
    Route("api-supplier-list", expect(200)),
    Route("api-supplier-detail", expect(200), kwargs=lambda w: {"pk": w.actors["supplier"].supplier.pk}),
]
