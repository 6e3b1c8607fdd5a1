"""Catalog import and export: only the acting company's own supplier profile.

Sellers see their own imports; another supplier's import answers 404. Buyers (no supplier
profile) are sent to become a supplier, staff (no company) to the company page, anonymous
visitors to sign in.
"""

from __future__ import annotations

from suppliers.models import CatalogImport
from tests.matrix import Route, World, expect

SELLERS_ONLY = expect(200, anonymous=302, buyer=302, other_buyer=302, staff=302)
OWNER_ONLY = expect(404, anonymous=302, buyer=302, other_buyer=302, staff=302, supplier=200)


def build(world: World) -> None:
    world.catalog_import = CatalogImport.objects.create(
        supplier=world.actors["supplier"].supplier,
        file="imports/matrix.csv",
        original_name="matrix.csv",
        file_format="csv",
        status=CatalogImport.Status.INVALID,
        total_rows=1,
        errors=[{"row": 2, "column": "moq", "message": "The minimum order quantity must be a whole number."}],
    )


def _own_import(world: World) -> dict[str, int]:
    return {"pk": world.catalog_import.pk}


ROUTES = [
    Route("suppliers:import_list", SELLERS_ONLY),
    # An upload without a file is refused (400) and records nothing.
    Route(
        "suppliers:import_list",
        expect(400, anonymous=302, buyer=302, other_buyer=302, staff=302),
        method="post",
        data=lambda w: {},
    ),
    Route("suppliers:import_detail", OWNER_ONLY, kwargs=_own_import),
    Route("suppliers:import_progress", OWNER_ONLY, kwargs=_own_import),
    Route("suppliers:import_errors", OWNER_ONLY, kwargs=_own_import),
    # Starting an invalid import is refused with a message on the import's page (a redirect).
    Route(
        "suppliers:import_start",
        expect(404, anonymous=302, buyer=302, other_buyer=302, staff=302, supplier=302),
        method="post",
        kwargs=_own_import,
    ),
    Route("suppliers:catalog_export", SELLERS_ONLY, kwargs=lambda w: {"file_format": "csv"}),
]
