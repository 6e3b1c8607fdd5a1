"""Builders of message threads and the files to attach. Threads are started the way people start
them, through the messaging services, so every thread here has its first message and its
notifications.

`order_between(buyer=..., supplier=...)` places a small catalog order (through `order_create`);
`rfq_thread(buyer_actor, supplier_actor)` is a thread about an RFQ the supplier was matched to;
`order_thread(buyer_actor, supplier_actor)` a thread about an order between them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from buyers.models import SourcingRequest
from marketplace.models import Company
from orders.models import Message, Order, Thread
from orders.services.messages import message_send, order_thread_start, rfq_thread_start
from orders.services.placing import LineData, order_create
from suppliers.models import SupplierProfile
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
from tests.factories import CurrencyFactory
from tests.suppliers.factories_catalog import image_bytes


def pdf(name: str = "drawing.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% a drawing\n", content_type="application/pdf")


def png(name: str = "sample.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(), content_type="image/png")


def not_a_document(name: str = "invoice.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00 this is a program", content_type="application/pdf")


def order_between(*, buyer: Company, supplier: SupplierProfile, rfq: SourcingRequest | None = None) -> Order:
    with transaction.atomic():
        return order_create(
            buyer=buyer,
            supplier=supplier,
            actor=None,
            origin=Order.Origin.AWARD if rfq else Order.Origin.CATALOG,
            lines=[LineData(description="Transparent backpacks", quantity=1000, unit="piece", unit_price=Decimal("2"))],
            currency=CurrencyFactory(code="USD"),
            rfq=rfq,
        )


def matched_rfq(buyer: Any, supplier: Any, **fields: Any) -> SourcingRequest:
    """An open RFQ of `buyer`'s company that `supplier`'s profile was matched to."""
    rfq = SourcingRequestFactory(buyer=buyer.company, created_by=buyer.user, **fields)
    MatchFactory(rfq=rfq, supplier=supplier.supplier)
    return rfq


def rfq_thread(buyer: Any, supplier: Any, *, body: str = "Can you print our logo on the front?") -> Thread:
    """A thread about a matched RFQ, started by the buyer."""
    rfq = matched_rfq(buyer, supplier)
    message = rfq_thread_start(
        company=buyer.company, author=buyer.user, rfq_id=rfq.pk, supplier_id=supplier.supplier.pk, body=body
    )
    return message.thread


def order_thread(buyer: Any, supplier: Any, *, body: str = "When will the deposit be due?") -> Thread:
    """A thread about an order between them, started by the buyer."""
    order = order_between(buyer=buyer.company, supplier=supplier.supplier)
    message = order_thread_start(company=buyer.company, author=buyer.user, order_id=order.pk, body=body)
    return message.thread


def message_with_attachment(thread: Thread, author: Any) -> Message:
    return message_send(
        thread_id=thread.pk, company=author.company, author=author.user, body="The drawing.", attachment=pdf()
    )
