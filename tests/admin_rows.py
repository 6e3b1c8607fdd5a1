"""One row of every model, for the tests that open every page of the Django admin."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from buyers.insights.aggregation import demand_aggregate
from buyers.models import (
    Award,
    AwardLine,
    DemandSurge,
    NegotiationRound,
    QuoteAttachment,
    RfqEvent,
    SupplierCategoryFacts,
)
from marketplace.models import BeltEvent, IndustrialBelt, TextTranslation
from marketplace.services.stored_indexes import stored_indexes_catch_up
from orders.models import Order, Review
from suppliers.models import CatalogImport
from suppliers.search.spelling import vocabulary_refresh
from tests.buyers.factories import RfqAttachmentFactory
from tests.buyers.factories_quotes import QuoteFactory
from tests.factories import (
    ApiTokenFactory,
    ExchangeRateFactory,
    InvitationFactory,
    NotificationFactory,
    UserFactory,
)
from tests.orders.builders_messages import rfq_thread
from tests.orders.builders_orders import order_at, order_in
from tests.suppliers.factories_catalog import PriceTierFactory, ProductFactory, ProductImageFactory
from tests.suppliers.factories_profile import (
    CertificationFactory,
    FactoryPhotoFactory,
    ProductLineCapacityFactory,
)
from tests.suppliers.factories_staff import (
    FactoryImportFactory,
    FactoryInvitationFactory,
    SupplierMetricSnapshotFactory,
    VerificationEventFactory,
)


def a_row_of_every_model(actors: Mapping[str, Any]) -> dict[str, Any]:
    """At least one row of every model of our apps, made the way the app makes them where that is cheap.

    The admin's tests (tests/test_admin.py) and its visit under the Content-Security-Policy
    (tests/browser/test_hardening_csp.py) open a change page of each."""
    buyer, supplier = actors["buyer"], actors["supplier"]
    belt = supplier.supplier.belt
    IndustrialBelt.objects.filter(pk=belt.pk).update(status=IndustrialBelt.Status.ONBOARDING)
    BeltEvent.objects.create(belt=belt, from_status="draft", to_status="onboarding", reason="Kick-off in Zibo")
    belt.managers.add(UserFactory())
    ExchangeRateFactory()
    InvitationFactory(company=buyer.company)
    ApiTokenFactory(user=buyer.user)
    TOTPDevice.objects.create(user=buyer.user, name="Phone", confirmed=True)
    StaticDevice.objects.create(user=buyer.user, name="Recovery codes", confirmed=True).token_set.create(
        token="abcd2345"
    )
    NotificationFactory(recipient=buyer.user)

    product = ProductFactory(supplier=supplier.supplier)
    PriceTierFactory(product=product, min_quantity=500, unit_price=Decimal("1.90"))
    ProductImageFactory(product=product)
    ProductLineCapacityFactory(supplier=supplier.supplier)
    FactoryPhotoFactory(supplier=supplier.supplier)
    CatalogImport.objects.create(
        supplier=supplier.supplier,
        file=ContentFile(b"sku,title\n", name="catalog.csv"),
        original_name="catalog.csv",
        file_format="csv",
    )
    document = CertificationFactory(supplier=supplier.supplier, name="Business licence Anbao")
    VerificationEventFactory(document=document)
    SupplierMetricSnapshotFactory(supplier=supplier.supplier)
    factory_import = FactoryImportFactory(belt=belt)
    FactoryInvitationFactory(belt=belt, factory_import=factory_import, company_name="Zibo Nitrile Works")

    thread = rfq_thread(buyer, supplier)
    rfq = thread.rfq
    RfqAttachmentFactory(rfq=rfq)
    RfqEvent.objects.create(rfq=rfq, actor=buyer.user, from_status="draft", to_status="open")
    quote = QuoteFactory(rfq=rfq, supplier=supplier.supplier)
    QuoteAttachment.objects.create(
        quote=quote, file=ContentFile(b"%PDF-1.4\n", name="spec.pdf"), original_name="spec.pdf"
    )
    negotiation = NegotiationRound.objects.create(rfq=rfq, number=1, deadline=timezone.now(), message="BAFO")
    negotiation.quotes.add(quote)
    award = Award.objects.create(rfq=rfq)
    AwardLine.objects.create(award=award, quote=quote, quantity=100, unit_price=quote.unit_price, currency_id="USD")
    SupplierCategoryFacts.objects.create(
        supplier=supplier.supplier, category=product.category, unit="piece", products=1
    )

    order_in(Order.Status.DISPUTED, buyer=buyer, supplier=supplier)
    completed = order_at(Order.Status.COMPLETED, buyer=buyer.company, supplier=supplier.supplier)
    Review.objects.create(order=completed, supplier=supplier.supplier, buyer=buyer.company, rating=5, comment="Good")
    demand_aggregate(full=True)  # the weekly demand rows and the aggregation's state row
    TextTranslation.objects.create(
        text_hash=TextTranslation.hash_of("Tote bags"),
        source_language="en",
        target_language="zh-hans",
        source_text="Tote bags",
        translated_text="手提袋",
        provider="libretranslate",
        translated_at=timezone.now(),
    )
    stored_indexes_catch_up()  # the stored indexes' versions
    vocabulary_refresh()  # the search's vocabulary, from the products above
    DemandSurge.objects.create(
        week=timezone.localdate(),
        category=product.category,
        belt=belt,
        rfq_count=6,
        baseline_average=Decimal("1.50"),
        baseline_weeks=8,
        ratio=Decimal("4.00"),
    )
    return {"document": document}
