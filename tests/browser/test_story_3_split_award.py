"""Story 3 in the browser, at its real size: 300,000 mascot toys due in one month; 32 factories in
5 belts and at least 3 provinces have quoted with tiers (the demo seed); the buyer sets "at most
10 % per factory, at least 3 provinces", the optimiser proposes, the buyer reviews and confirms,
30 or more orders are placed and the sourcing view shows them all."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from buyers.models import Award, Quote, SourcingRequest
from marketplace.demo.accounts import DEFAULT_PASSWORD
from orders.models import Order
from tests.browser.test_story_1_search import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_story_3_mascot_toys_are_split_across_30_factories_in_3_provinces_under_the_buyers_constraints(
    page: Page, live_server: object, media: Path
) -> None:
    call_command("seed_demo", stdout=StringIO())
    rfq = SourcingRequest.objects.get(title="Mascot plush toys for a football club")
    quotes = Quote.objects.filter(rfq=rfq, status=Quote.Status.SUBMITTED).select_related("supplier")
    assert rfq.quantity == 300_000
    assert quotes.count() == 32
    assert len({quote.supplier.belt_id for quote in quotes}) == 5
    assert len({quote.supplier.province for quote in quotes}) >= 3
    assert sum(1 for quote in quotes if quote.tiers) >= 20

    log_in(page, live_server.url, "buyer-brazil@demo.sourcebelt.local", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/rfqs/{rfq.pk}/")
    with page.expect_navigation():
        page.locator("a[data-compare-quotes]").click()
    expect(page.locator("table[data-comparison] tbody tr")).to_have_count(32)
    expect(page.locator("[data-tiers]").first).to_be_visible()

    page.locator("[data-plan-max-share]").fill("10")
    page.locator("[data-plan-min-provinces]").fill("3")
    with page.expect_navigation():
        page.locator("[data-plan-submit]").click()

    expect(page.locator("[data-plan]")).to_have_attribute("data-plan-status", "optimal")
    expect(page.locator("[data-proposal]")).to_contain_text("300,000")
    expect(page.locator("[data-saving-greedy]")).to_be_visible()
    planned = {
        int(row.get_attribute("data-quote")): int(row.locator("[data-planned]").get_attribute("data-planned"))
        for row in page.locator("table[data-comparison] tbody tr").all()
    }
    used = {quote_id: quantity for quote_id, quantity in planned.items() if quantity}
    assert sum(used.values()) == 300_000
    assert len(used) >= 30
    assert max(used.values()) <= 30_000
    assert len({quote.supplier.province for quote in quotes if quote.pk in used}) >= 3
    expect(page.locator("[data-plan-reason]").first).not_to_be_empty()

    with page.expect_navigation():
        page.locator("[data-award-submit]").click()
    expect(page.locator("table[data-award-summary] tbody tr")).to_have_count(len(used))
    expect(page.locator("[data-award-total]")).to_be_visible()
    assert not Order.objects.filter(rfq=rfq).exists()  # the summary places nothing
    with page.expect_navigation():
        page.locator("[data-award-confirm]").click()

    expect(page.locator("table[data-orders] tr[data-order]")).to_have_count(len(used))
    expect(page.locator("[data-progress=ordered]")).to_contain_text("300,000 (100%)")
    orders = list(Order.objects.filter(rfq=rfq).select_related("supplier"))
    assert len(orders) >= 30
    assert len({order.supplier.province for order in orders}) >= 3
    assert Award.objects.get(rfq=rfq).is_split
    # Every order is priced at its quote's tier for the quantity it got.
    by_quote = {quote.pk: quote for quote in quotes}
    for order in orders:
        line = order.lines.get()
        quote = by_quote[order.quote_id]
        tiers = [(int(q), Decimal(p)) for q, p in quote.tiers] or [(1, quote.unit_price)]
        assert line.unit_price == max((t for t in tiers if t[0] <= line.quantity), key=lambda t: t[0])[1]
