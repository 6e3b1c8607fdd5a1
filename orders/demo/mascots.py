"""Story 3 at its real size: 32 plush toy factories in five belts and four provinces quote on the
Brazilian buyer's 300,000 mascot toys, due in a month.

The factories are the demo belts' plush factories (marketplace.demo.belts): Chenghai toys and
Dongguan toys (Guangdong), Yangzhou plush toys (Jiangsu), Yiwu (Zhejiang) and Hengkou plush toys
(Ankang, Shaanxi). Each gets its monthly capacity of mascots as a product line, then quotes through the same
rules and service as the quote form (`buyers.quote_rules.quote_terms_from`, `quote_submit`): in
yuan or dollars, with quantity-break tiers whose first step is its minimum order, freight per
shipment or per unit. Their lines are mostly booked this month: each factory on time can spare
9,600 to 10,800 pieces (304,000 in all), so no factory comes near 300,000 and the split takes all
30 of them, in four provinces. The two late quotes (lead times of 38 and 45 days) are larger and
the cheapest landed, and count only if the buyer accepts late delivery.

The RFQ stays open and unawarded: the visitor, as buyer-brazil@, sets the constraints, lets the
optimiser propose a split and confirms it. Safe to run again: a factory with a mascot product line
or a quote on the RFQ is left as it is, and nothing is quoted once the RFQ takes no more quotes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from buyers.demo.rfqs import BUYERS, MASCOT_TOYS
from buyers.models import Quote, SourcingRequest
from buyers.quote_rules import quote_terms_from
from buyers.services.quotes import quote_submit
from marketplace.demo.accounts import DEMO_DOMAIN
from marketplace.models import Category, Membership, User
from suppliers.models import ProductLineCapacity, SupplierProfile
from suppliers.services.profiles import capacity_add

VALID_FOR_DAYS = 30
PRODUCT_LINE = "Plush mascots, 25-30 cm / 25-30厘米毛绒吉祥物"
# The port each belt ships from (FOB, as the RFQ asks); Hengkou, inland, trucks its goods to Shanghai.
PORTS = {
    "chenghai-toys": "Shantou",
    "dongguan-toys": "Shenzhen",
    "yangzhou-plush-toys": "Shanghai",
    "yiwu-small-commodities": "Ningbo",
    "hengkou-plush-toys": "Shanghai",
}
NOTE = "30 cm plush mascot, embroidered club badge, EN71/CE tested. 30厘米毛绒吉祥物，刺绣队徽，已通过EN71/CE检测。"
LATE_NOTE = "Our lines are booked this month, so we need longer. 本月产能已排满，交期较长。"


# One line per factory, keyed by its owner's e-mail (before the @): monthly capacity, currency,
# quantity offered, lead time in days, freight and whether it is per shipment or per unit, then the
# tiers as typed in the quote form ("from quantity:unit price; ..."), the first being the minimum order.
# The RFQ is due in 30 days: lead times of at most 24 days leave the visitor a few days before a
# quote on time turns late; the two of 38 and 45 days are late from the start.
TABLE = """
chenghai-toys-1            90000 CNY  9600 20  9500  shipment 5000:13.60; 8000:13.19
chenghai-toys-4            60000 CNY 10000 22  8200  shipment 5000:13.80; 8000:13.39
chenghai-toys-5            80000 CNY 10400 18  0.85  unit     5000:13.50; 10000:13.00
chenghai-toys-6            30000 CNY 10800 16  6000  shipment 3000:14.20; 10000:13.60
chenghai-toys-7            70000 USD 10200 21  1300  shipment 5000:1.92; 8000:1.86
chenghai-toys-8           150000 CNY  9800 24  12000 shipment 5000:13.20; 8000:12.80
chenghai-toys-9            20000 CNY  9600 14  4500  shipment 3000:14.50; 8000:14.07
chenghai-toys-10          100000 USD 10000 19  0.12  unit     5000:1.95; 8000:1.89
dongguan-toys-1           120000 USD 10400 15  1800  shipment 5000:1.98; 10000:1.90
dongguan-toys-2            45000 CNY 10800 17  7000  shipment 5000:14.00; 8000:13.58
dongguan-toys-3            60000 USD 10200 12  0.13  unit     5000:2.02; 8000:1.96
dongguan-toys-4            40000 CNY  9800 20  6500  shipment 5000:14.10; 8000:13.68
dongguan-toys-5            50000 CNY  9600 23  7800  shipment 5000:13.90; 8000:13.48
dongguan-toys-6            90000 USD 10000 18  1600  shipment 5000:1.94; 8000:1.88
dongguan-toys-7            30000 CNY 10400 16  0.95  unit     5000:14.40; 8000:13.97
yangzhou-plush-toys-1     130000 CNY 10800 22  11000 shipment 5000:13.00; 8000:12.61
yangzhou-plush-toys-2      60000 CNY 10200 19  7500  shipment 5000:13.20; 8000:12.80
yangzhou-plush-toys-3      70000 CNY  9800 24  0.90  unit     5000:12.90; 8000:12.51
yangzhou-plush-toys-4      35000 CNY  9600 17  5800  shipment 3000:13.60; 8000:13.19
yangzhou-plush-toys-5     110000 USD 10000 21  1700  shipment 5000:1.86; 8000:1.80
yangzhou-plush-toys-6      50000 CNY 10400 20  8000  shipment 5000:13.10; 8000:12.71
yangzhou-plush-toys-7      25000 CNY 10800 14  5000  shipment 5000:13.50; 8000:13.10
yangzhou-plush-toys-8      80000 CNY 60000 38  10000 shipment 10000:12.60; 30000:12.00; 50000:11.70
yiwu-small-commodities-4   70000 CNY 10200 18  8500  shipment 5000:14.20; 8000:13.77
yiwu-small-commodities-5   30000 CNY  9800 13  5500  shipment 5000:14.80; 8000:14.36
yiwu-small-commodities-6   60000 USD  9600 16  0.14  unit     5000:2.05; 8000:1.99
yiwu-small-commodities-7   40000 CNY 10000 20  6800  shipment 5000:14.50; 8000:14.07
hengkou-plush-toys-1       80000 CNY 10400 23  1.50  unit     5000:12.40; 8000:12.03
hengkou-plush-toys-2       35000 CNY 10800 21  18000 shipment 5000:13.10; 8000:12.71
hengkou-plush-toys-3      100000 CNY 70000 45  16000 shipment 10000:11.80; 30000:11.30; 60000:11.00
hengkou-plush-toys-4       45000 CNY 10200 24  17000 shipment 5000:13.30; 8000:12.90
hengkou-plush-toys-5       20000 CNY  9800 19  1.30  unit     3000:12.90; 8000:12.51
"""


@dataclass(frozen=True)
class MascotOffer:
    owner: str  # the factory owner's e-mail before the @ (<belt>-<n>, as marketplace.demo.seed names them)
    monthly_capacity: int
    currency: str
    quantity: int
    lead_time_days: int
    freight: str
    freight_basis: str  # "shipment": one amount whatever the quantity; "unit": per piece
    tiers: str

    @property
    def email(self) -> str:
        return f"{self.owner}@{DEMO_DOMAIN}"

    @property
    def min_order_quantity(self) -> int:
        return int(self.tiers.split(":", 1)[0])


def _offers(table: str) -> tuple[MascotOffer, ...]:
    offers = []
    for line in filter(None, map(str.strip, table.splitlines())):
        owner, capacity, currency, quantity, lead_time, freight, basis, tiers = line.split(maxsplit=7)
        offers.append(MascotOffer(owner, int(capacity), currency, int(quantity), int(lead_time), freight, basis, tiers))
    return tuple(offers)


OFFERS = _offers(TABLE)


def _mascot_rfq() -> SourcingRequest | None:
    brazil = next(spec for spec in BUYERS if spec.key == "brazil")
    return SourcingRequest.objects.filter(buyer__name=brazil.company, title=MASCOT_TOYS).first()


def _factories() -> dict[str, tuple[SupplierProfile, User]]:
    """Each offer's factory and its owner, by the owner's e-mail."""
    emails = [offer.email for offer in OFFERS]
    memberships = (
        Membership.objects.filter(user__email__in=emails, role=Membership.Role.OWNER)
        .select_related("user", "company__supplier_profile__belt")
        .order_by("pk")
    )
    found: dict[str, tuple[SupplierProfile, User]] = {}
    for membership in memberships:
        profile = getattr(membership.company, "supplier_profile", None)
        if profile is not None:
            found.setdefault(membership.user.email, (profile, membership.user))
    missing = [email for email in emails if email not in found]
    if missing:
        raise LookupError(f"The demo plush factories are not seeded yet (run the belt seed first): {missing}")
    return found


def _add_capacities(factories: dict[str, tuple[SupplierProfile, User]], category: Category) -> None:
    listed = set(
        ProductLineCapacity.objects.filter(
            supplier__in=[profile for profile, _owner in factories.values()], category=category
        ).values_list("supplier_id", flat=True)
    )
    for offer in OFFERS:
        supplier, _owner = factories[offer.email]
        if supplier.pk not in listed:
            capacity_add(
                supplier=supplier,
                category=category,
                product_line=PRODUCT_LINE,
                monthly_capacity=offer.monthly_capacity,
                unit="piece",
            )


def _terms(offer: MascotOffer, supplier: SupplierProfile, *, rfq: SourcingRequest, today: date) -> dict[str, object]:
    late = today + timedelta(days=offer.lead_time_days) > rfq.required_by
    return {
        "currency": offer.currency,
        "quantity": offer.quantity,
        "min_order_quantity": offer.min_order_quantity,
        "tiers": offer.tiers,
        "lead_time_days": offer.lead_time_days,
        "valid_until": (today + timedelta(days=VALID_FOR_DAYS)).isoformat(),
        "incoterm": "FOB",
        "port": PORTS[supplier.belt.slug] if supplier.belt else "",
        "freight": offer.freight,
        "freight_basis": offer.freight_basis,
        "notes": f"{NOTE}\n{LATE_NOTE}" if late else NOTE,
    }


def seed_demo_mascot_quotes(*, today: date | None = None) -> int:
    """Give the plush factories their mascot capacity and quote on the mascot RFQ; returns how many
    quotes were added. Needs the demo belts (with their factories), categories and RFQs."""
    today = today or timezone.localdate()
    added = 0
    with transaction.atomic():
        factories = _factories()
        _add_capacities(factories, Category.objects.get(slug="mascot-toys"))
        rfq = _mascot_rfq()
        if rfq is None or rfq.status != SourcingRequest.Status.OPEN or rfq.quote_deadline <= timezone.now():
            return 0  # not seeded, or awarded, closed or past its deadline: a visitor's story, left as it is
        quoted = set(Quote.objects.filter(rfq=rfq).values_list("supplier_id", flat=True))
        for offer in OFFERS:
            supplier, owner = factories[offer.email]
            if supplier.pk in quoted:
                continue
            terms = quote_terms_from(_terms(offer, supplier, rfq=rfq, today=today), rfq=rfq, today=today)
            quote_submit(rfq_id=rfq.pk, supplier=supplier, actor=owner, terms=terms)
            added += 1
    return added


__all__ = ["OFFERS", "MascotOffer", "seed_demo_mascot_quotes"]
