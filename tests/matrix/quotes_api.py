"""The quote API: the supplier's own quote (inbox/<rfq>/quote/), the buyer's comparison and award.

Uses the world of tests/matrix/quotes.py: the `buyer` actor's RFQ, quoted by the `supplier` actor.
Sealed: other suppliers and other buyers get 404; companies that do not sell get 403 on the
supplier endpoints; staff act for no company (403).
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.matrix import Route, World, expect

JSON = "application/json"
SUPPLIER_OWN = expect(403, anonymous=401, supplier=200, other_supplier=404)


def _rfq_id(world: World) -> dict[str, int]:
    return {"rfq_id": world.quoted_rfq.pk}


def _rfq(world: World) -> dict[str, int]:
    return {"pk": world.quoted_rfq.pk}


def _terms(world: World) -> dict[str, object]:
    return {
        "unit_price": "2.20",
        "currency": "USD",
        "quantity": world.quoted_rfq.quantity,
        "lead_time_days": 14,
        "valid_until": (timezone.localdate() + timedelta(days=20)).isoformat(),
        "incoterm": "FOB",
    }


ROUTES = [
    Route("api-inbox-quote", SUPPLIER_OWN, kwargs=_rfq_id),
    # The supplier already quoted: a second quote is a conflict (revise instead).
    Route(
        "api-inbox-quote",
        expect(403, anonymous=401, supplier=409, other_supplier=404),
        method="post",
        kwargs=_rfq_id,
        data=_terms,
        content_type=JSON,
    ),
    Route("api-inbox-quote", SUPPLIER_OWN, method="put", kwargs=_rfq_id, data=_terms, content_type=JSON),
    Route("api-inbox-quote-withdraw", SUPPLIER_OWN, method="post", kwargs=_rfq_id),
    Route(
        "api-inbox-quote-attachments",
        expect(403, anonymous=401, supplier=201, other_supplier=404),
        method="post",
        kwargs=_rfq_id,
        data=lambda w: {"attachments": [SimpleUploadedFile("spec.pdf", b"%PDF-1.4\n", content_type="application/pdf")]},
        content_type=None,
    ),
    Route("api-rfq-quotes", expect(404, anonymous=401, staff=403, buyer=200), kwargs=_rfq),
    Route(
        "api-rfq-award",
        expect(404, anonymous=401, staff=403, buyer=201),
        method="post",
        kwargs=_rfq,
        data=lambda w: {"allocations": [{"quote": w.quote.pk, "version": 1, "quantity": w.quote.quantity}]},
        content_type=JSON,
    ),
    Route("api-rfq-rounds", expect(404, anonymous=401, staff=403, buyer=200), kwargs=_rfq),
    # Before the quote deadline a round cannot open: the buyer gets 409, everyone else as usual.
    Route(
        "api-rfq-rounds",
        expect(404, anonymous=401, staff=403, buyer=409),
        method="post",
        kwargs=_rfq,
        data=lambda w: {"deadline": (timezone.now() + timedelta(days=2)).isoformat()},
        content_type=JSON,
    ),
    Route("api-rfq-round-end", expect(404, anonymous=401, staff=403, buyer=409), method="post", kwargs=_rfq),
]
