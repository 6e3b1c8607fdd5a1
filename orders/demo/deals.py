"""Demo deals: quotes on the open demo RFQs, a split-awarded RFQ whose orders are in different
states, a completed and reviewed catalog order, and conversations. Everything goes through the
same services as real use. Safe to run again: an RFQ with the demo title is left as it is, and
quotes, messages and orders are only added the first time.

The demo buyer's backpack RFQ gets no quote from the demo supplier account (supplier@...) and
stays unawarded, so a visitor can quote and award it (story 1). The Brazilian mascot RFQ is quoted
by 32 plush factories in `orders.demo.mascots` and stays unawarded for the visitor (story 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from buyers.models import Quote, SourcingRequest
from buyers.quote_rules import quote_terms_from
from buyers.rfq_rules import rfq_data_from
from buyers.services.posting import rfq_create
from buyers.services.quotes import quote_submit
from marketplace.demo.accounts import BUYER
from marketplace.models import Category, Company, Membership, User
from orders.models import Order, PaymentMilestone, Thread
from orders.services.award import rfq_award
from orders.services.catalog_orders import CatalogOrderData, order_from_catalog
from orders.services.fulfilment import order_complete, order_deliver, order_ship
from orders.services.messages import message_send, rfq_thread_start
from orders.services.payments import milestone_confirm_received, milestone_mark_paid
from orders.services.reviews import review_create
from orders.services.transitions import order_confirm, order_start_production
from suppliers.models import Product, SupplierProfile

Due = PaymentMilestone.Due
KEYRINGS = "Plush mascot keyrings, 60,000 pcs"


@dataclass
class DealsSummary:
    quotes: int = 0
    orders: int = 0
    messages: int = 0


def _owner(company: Company) -> User:
    owner = Membership.objects.filter(company=company).select_related("user").order_by("pk").first()
    assert owner is not None  # every demo company has its first member
    return owner.user


def _quote(rfq: SourcingRequest, supplier: SupplierProfile, **terms: object) -> bool:
    if Quote.objects.filter(rfq=rfq, supplier=supplier).exists():
        return False
    data = {
        "currency": "CNY",
        "quantity": rfq.quantity,
        "valid_until": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "incoterm": "FOB",
        **terms,
    }
    quote_submit(
        rfq_id=rfq.pk, supplier=supplier, actor=_owner(supplier.company), terms=quote_terms_from(data, rfq=rfq)
    )
    return True


def _pay(order: Order, due: str) -> None:
    buyer, supplier = _owner(order.buyer), _owner(order.supplier.company)
    for milestone in order.milestones.filter(due=due).order_by("position"):
        milestone_mark_paid(
            order_id=order.pk,
            milestone_id=milestone.pk,
            company=order.buyer,
            actor=buyer,
            reference=f"TT-{milestone.pk}",
        )
        milestone_confirm_received(
            order_id=order.pk, milestone_id=milestone.pk, company=order.supplier.company, actor=supplier
        )


def _advance(order: Order, *, to: str) -> None:
    """Walk an order along its life through the services, as its buyer and supplier would."""
    buyer, seller = _owner(order.buyer), _owner(order.supplier.company)
    steps = ["confirm", "deposit", "produce", "balance", "ship", "deliver", "complete"]
    last = {"confirmed": 1, "in_production": 3, "shipped": 5, "completed": 7}[to]
    for step in steps[:last]:
        if step == "confirm":
            order_confirm(order_id=order.pk, company=order.supplier.company, actor=seller)
        elif step == "deposit":
            _pay(order, Due.BEFORE_PRODUCTION)
        elif step == "produce":
            order_start_production(order_id=order.pk, company=order.supplier.company, actor=seller)
        elif step == "balance":
            _pay(order, Due.BEFORE_SHIPMENT)
        elif step == "ship":
            quantity = sum(line.quantity for line in order.lines.all())
            order_ship(
                order_id=order.pk,
                company=order.supplier.company,
                actor=seller,
                carrier="COSCO Shipping",
                tracking_number=f"COSU61{order.pk:08d}",
                quantity=quantity,
            )
        elif step == "deliver":
            order_deliver(order_id=order.pk, company=order.buyer, actor=buyer)
        elif step == "complete":
            order_complete(order_id=order.pk, company=order.buyer, actor=buyer)


def _backpack_quotes(summary: DealsSummary) -> None:
    """Two Baigou factories (not the demo supplier account) quote on the demo buyer's backpacks."""
    rfq = SourcingRequest.objects.filter(title="Transparent school backpacks, 50,000 pcs").first()
    if rfq is None:
        return
    offers = [("baigou-bags-1", "16.80", 18, "2400"), ("baigou-bags-2", "17.90", 12, "2400")]
    for email_prefix, price, days, freight in offers:
        supplier = SupplierProfile.objects.filter(company__memberships__user__email__startswith=email_prefix).first()
        if supplier and _quote(
            rfq, supplier, unit_price=price, lead_time_days=days, port="Tianjin", freight=freight, notes="PVC 0.3 mm"
        ):
            summary.quotes += 1
    first = Quote.objects.filter(rfq=rfq).select_related("supplier").order_by("pk").first()
    buyer = Company.objects.get(name=BUYER.company)
    if first and not Thread.objects.filter(rfq=rfq, supplier=first.supplier).exists():
        rfq_thread_start(
            company=buyer,
            author=_owner(buyer),
            rfq_id=rfq.pk,
            supplier_id=first.supplier.pk,
            body="Can you print our logo in two colours on the front pocket at this price?",
        )
        thread = Thread.objects.get(rfq=rfq, supplier=first.supplier)
        message_send(
            thread_id=thread.pk,
            company=first.supplier.company,
            author=_owner(first.supplier.company),
            body="可以，两色印刷不加价。Yes: two-colour printing at no extra cost.",
        )
        summary.messages += 2


def _split_awarded_keyrings(summary: DealsSummary) -> None:
    """A Kenyan buyer's keyring RFQ, split across three toy factories in two belts; its orders are
    confirmed, in production and shipped."""
    buyer = Company.objects.filter(name="Nairobi School Supplies Ltd").first()
    if buyer is None or SourcingRequest.objects.filter(buyer=buyer, title=KEYRINGS).exists():
        return
    category = Category.objects.get(slug="mascot-toys")
    with transaction.atomic():
        raw = {
            "title": KEYRINGS,
            "description": "Plush mascot keyrings, 10 cm, embroidered eyes, metal ring, individually bagged.",
            "category": category.slug,
            "quantity": 60_000,
            "unit": "piece",
            "currency": "USD",
            "destination_country": "KE",
            "destination_city": "Mombasa",
            "incoterm": "FOB",
            "required_by": (timezone.localdate() + timedelta(days=45)).isoformat(),
            "quote_deadline": (timezone.now() + timedelta(days=3)).isoformat(),
            "visibility": "public",
            "allow_split": True,
        }
        data = rfq_data_from(raw, buyer=buyer, publishing=True)
        rfq = rfq_create(buyer=buyer, actor=_owner(buyer), data=data, publish=True)
    makers = [
        ("Shantou Chenghai Leyuan Toys Co., Ltd.", 25_000, "3.10", 20),
        ("Shantou Mengqu Plush Toys Factory", 20_000, "3.25", 25),
        ("Yiwu Kaixin Plush Toys Co., Ltd.", 20_000, "3.30", 18),
    ]
    quotes = []
    for name, quantity, price, days in makers:
        supplier = SupplierProfile.objects.get(name=name)
        _quote(rfq, supplier, unit_price=price, quantity=quantity, lead_time_days=days, port="Shantou", freight="1800")
        quotes.append(Quote.objects.get(rfq=rfq, supplier=supplier))
        summary.quotes += 1
    allocations = {quotes[0].pk: 25_000, quotes[1].pk: 20_000, quotes[2].pk: 15_000}
    versions = {quote.pk: quote.version for quote in quotes}  # the versions the buyer compared
    orders = rfq_award(rfq_id=rfq.pk, buyer=buyer, actor=_owner(buyer), allocations=allocations, versions=versions)
    for order, state in zip(sorted(orders, key=lambda o: o.pk), ["shipped", "in_production", "confirmed"], strict=True):
        _advance(order, to=state)
    summary.orders += len(orders)


def _reviewed_catalog_order(summary: DealsSummary) -> None:
    """The German buyer ordered sorting bins straight from a Taizhou catalog; it arrived and was rated."""
    buyer = Company.objects.filter(name="Weber Haushaltswaren GmbH").first()
    product = (
        # A demo factory's (it has members): a catalog generated beside the demo has factories without.
        Product.objects.filter(
            status=Product.Status.PUBLISHED,
            category__slug="sorting-bins",
            supplier__company__memberships__user__email__endswith="@demo.sourcebelt.local",
        )
        .select_related("supplier")
        .order_by("pk")
        .first()
    )
    if buyer is None or product is None or Order.objects.filter(buyer=buyer, origin=Order.Origin.CATALOG).exists():
        return
    order = order_from_catalog(
        buyer=buyer,
        actor=_owner(buyer),
        data=CatalogOrderData(
            product_id=product.pk,
            quantity=max(product.moq, 2000),
            destination_country="DE",
            destination_city="Hamburg",
            required_by=timezone.localdate() + timedelta(days=60),
            notes="German labels on the lids, please.",
        ),
    )
    _advance(order, to="completed")
    review_create(
        order_id=order.pk,
        company=buyer,
        actor=_owner(buyer),
        rating=5,
        comment="Bins as sampled, labels right, delivered early.",
    )
    summary.orders += 1


def seed_demo_deals() -> DealsSummary:
    summary = DealsSummary()
    _backpack_quotes(summary)
    _split_awarded_keyrings(summary)
    _reviewed_catalog_order(summary)
    return summary
