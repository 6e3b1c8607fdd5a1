"""Story 3 in the browser: 300,000 mascot toys due in one month, more than one factory can make;
the buyer awards the RFQ split across three factories in two belts (Chenghai and Yiwu) and follows
all the resulting orders in one place."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from buyers.models import Award, SourcingRequest
from buyers.quote_rules import quote_terms_from
from buyers.services.quotes import quote_submit
from marketplace.demo.accounts import DEFAULT_PASSWORD
from marketplace.models import Membership
from orders.models import Order
from suppliers.models import SupplierProfile
from tests.browser.test_story_1_search import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FACTORIES = [
    # (supplier, quantity offered, unit price in CNY, lead time in days)
    ("Shantou Chenghai Leyuan Toys Co., Ltd.", 120_000, "12.80", 20),
    ("Shantou Mengqu Plush Toys Factory", 100_000, "13.20", 22),
    ("Yiwu Kaixin Plush Toys Co., Ltd.", 100_000, "13.60", 18),
]


@pytest.fixture
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _quote(rfq: SourcingRequest, name: str, quantity: int, price: str, days: int) -> None:
    supplier = SupplierProfile.objects.get(name=name)
    owner = Membership.objects.filter(company=supplier.company).select_related("user").first().user
    terms = quote_terms_from(
        {
            "unit_price": price,
            "currency": "CNY",
            "quantity": quantity,
            "lead_time_days": days,
            "valid_until": (timezone.localdate() + timedelta(days=10)).isoformat(),
            "incoterm": "FOB",
            "port": "Shantou",
            "freight": "9000",
        },
        rfq=rfq,
    )
    quote_submit(rfq_id=rfq.pk, supplier=supplier, actor=owner, terms=terms)


def test_story_3_mascot_toys_are_awarded_across_three_factories_in_two_belts_and_followed_in_one_place(
    page: Page, live_server: object, media: Path
) -> None:
    call_command("seed_demo", stdout=StringIO())
    rfq = SourcingRequest.objects.get(title="Mascot plush toys for a football club")
    assert rfq.allow_split
    assert rfq.quantity == 300_000
    for name, quantity, price, days in FACTORIES:
        _quote(rfq, name, quantity, price, days)

    log_in(page, live_server.url, "buyer-brazil@demo.sourcebelt.local", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/rfqs/{rfq.pk}/")
    with page.expect_navigation():
        page.locator("a[data-compare-quotes]").click()

    expect(page.locator("table[data-comparison] tbody tr")).to_have_count(3)
    expect(page.locator("[data-proposal]")).to_contain_text("300,000")
    quantities = page.locator("[data-award-quantity]")
    assert sorted(int(quantities.nth(i).input_value()) for i in range(3)) == [80_000, 100_000, 120_000]
    with page.expect_navigation():
        page.locator("[data-award-submit]").click()

    rows = page.locator("table[data-orders] tr[data-order]")
    expect(rows).to_have_count(3)
    expect(page.locator("table[data-orders]")).to_contain_text("Chenghai toys")
    expect(page.locator("table[data-orders]")).to_contain_text("Yiwu small commodities")
    expect(page.locator("[data-progress=ordered]")).to_contain_text("300,000 (100%)")
    orders = Order.objects.filter(rfq=rfq)
    assert orders.count() == 3
    assert len({order.supplier.belt_id for order in orders}) == 2
    assert Award.objects.get(rfq=rfq).is_split
