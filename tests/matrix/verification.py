"""Supplier verification: the supplier's status page, staff's queue and review, and the API.

The document built here belongs to the `supplier` actor. The status page is for sellers (buyers
are sent to `suppliers:become`, staff, who act for no company, to the company page). The staff
pages answer 404 to everybody signed in but staff and send anonymous visitors to log in. In the
API, documents belong to a selling company (401 anonymous, 403 buyers and staff) and the review
actions exist only for staff (404 for anybody else signed in).
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.matrix import Route, World, expect
from tests.suppliers.factories_profile import PDF_BYTES
from tests.suppliers.factories_verification import LicenceFactory

SELLERS_ONLY = expect(302, supplier=200, other_supplier=200)
STAFF_ONLY = expect(404, anonymous=302, staff=200)
STAFF_ACTION = expect(404, anonymous=302, staff=302)
API_SELLERS = expect(403, anonymous=401, supplier=200, other_supplier=200)
JSON = "application/json"


def build(world: World) -> None:
    world.verification_document = LicenceFactory(supplier=world.actors["supplier"].supplier)


def _document(world: World) -> dict[str, int]:
    return {"pk": world.verification_document.pk}


def _licence(world: World) -> dict[str, object]:
    return {
        "kind": "licence",
        "name": "Business licence",
        "issuer": "AMR",
        "file": SimpleUploadedFile("licence.pdf", PDF_BYTES, content_type="application/pdf"),
    }


ROUTES = [
    Route("verification:status", SELLERS_ONLY),
    # Submitting: the seller goes back to its status page; an empty form is refused (400).
    Route("verification:status", expect(302), method="post", data=_licence),
    Route("verification:status", expect(302, supplier=400, other_supplier=400), method="post", data=lambda w: {}),
    Route("verification:queue", STAFF_ONLY),
    Route("verification:review", STAFF_ONLY, kwargs=_document),
    Route("verification:document_file", STAFF_ONLY, kwargs=_document),
    Route("verification:approve", STAFF_ACTION, method="post", kwargs=_document),
    Route("verification:approve", expect(405), kwargs=_document),
    Route(
        "verification:reject",
        STAFF_ACTION,
        method="post",
        kwargs=_document,
        data=lambda w: {"reason": "The scan is unreadable."},
    ),
    Route(
        "verification:reject",
        expect(404, anonymous=302, staff=400),
        method="post",
        kwargs=_document,
        data=lambda w: {"reason": ""},
    ),
    Route("verification:reject", expect(405), kwargs=_document),
    Route("api-verification-document-list", API_SELLERS),
    Route(
        "api-verification-document-list",
        expect(403, anonymous=401, supplier=201, other_supplier=201),
        method="post",
        data=_licence,
    ),
    Route(
        "api-verification-document-list",
        expect(403, anonymous=401, supplier=400, other_supplier=400),
        method="post",
        data=lambda w: {"name": "No file"},
    ),
    Route("api-verification-document-approve", expect(404, anonymous=401, staff=200), method="post", kwargs=_document),
    Route(
        "api-verification-document-reject",
        expect(404, anonymous=401, staff=200),
        method="post",
        kwargs=_document,
        data=lambda w: {"reason": "The scan is unreadable."},
        content_type=JSON,
    ),
    Route(
        "api-verification-document-reject",
        expect(404, anonymous=401, staff=400),
        method="post",
        kwargs=_document,
        data=lambda w: {"reason": ""},
        content_type=JSON,
    ),
]
