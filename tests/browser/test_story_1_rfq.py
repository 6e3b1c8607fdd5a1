"""Story 1 end to end in the browser: a buyer in Sri Lanka posts, in English, an RFQ for 50,000
transparent school backpacks needed in three weeks; a Baigou bag factory, reading in Chinese,
finds it in its RFQ inbox with the reasons it was chosen, quotes, and the buyer compares the
quotes in its own currency and awards."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from buyers.models import Match, Quote, SourcingRequest
from marketplace.demo.accounts import BUYER, DEFAULT_PASSWORD, SUPPLIER
from marketplace.models import Category, Notification
from orders.models import Order
from tests.browser.conftest import DESKTOP
from tests.browser.test_story_1_search import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Transparent school backpacks, 50,000 pcs for Colombo"


@pytest.fixture
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _post_backpack_rfq(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/rfqs/new/")
    form = page.locator("form[action$='/rfqs/new/']")
    form.locator("[name=title]").fill(TITLE)
    form.locator("[name=description]").fill("Clear PVC backpacks, 16 inch, padded straps, logo on the front pocket.")
    form.locator("[name=category]").select_option(str(Category.objects.get(slug="transparent-backpacks").pk))
    form.locator("[name=quantity]").fill("50000")
    form.locator("[name=destination_country]").select_option("LK")
    form.locator("[name=destination_city]").fill("Colombo")
    form.locator("[name=required_by]").fill((timezone.localdate() + timedelta(days=21)).isoformat())
    deadline = timezone.localtime() + timedelta(days=5)
    form.locator("[name=quote_deadline]").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        form.locator("button[name=action][value=publish]").click()


def test_story_1_a_buyer_posts_in_english_and_a_baigou_factory_sees_it_in_chinese_with_the_reasons(
    page: Page, browser: Browser, live_server: object, media: Path
) -> None:
    call_command("seed_demo", stdout=StringIO())
    log_in(page, live_server.url, BUYER.email, DEFAULT_PASSWORD)

    _post_backpack_rfq(page, live_server.url)

    rfq = SourcingRequest.objects.get(title=TITLE)
    assert rfq.status == SourcingRequest.Status.OPEN
    expect(page.locator("h1")).to_have_text(TITLE)
    baigou = Match.objects.filter(rfq=rfq, supplier__belt__slug="baigou-bags", notified_at__isnull=False)
    assert baigou.filter(supplier__company__name=SUPPLIER.company).exists()
    assert not Match.objects.filter(
        rfq=rfq, supplier__belt__slug="taizhou-plastics", notified_at__isnull=False
    ).exists()
    assert Notification.objects.filter(
        recipient__email=SUPPLIER.email, kind="rfq_matched", url__contains=str(rfq.pk)
    ).exists()

    supplier_context = browser.new_context(viewport=DESKTOP)
    supplier_page = supplier_context.new_page()
    log_in(supplier_page, live_server.url, SUPPLIER.email, DEFAULT_PASSWORD)
    supplier_page.goto(f"{live_server.url}/rfqs/inbox/")

    entry = supplier_page.locator(f"article[data-rfq='{rfq.pk}']")
    expect(entry).to_be_visible()
    expect(entry).to_contain_text(TITLE)  # what the buyer typed, as typed
    expect(entry.locator("[data-reasons]")).to_contain_text("白沟箱包")  # the reasons, in Chinese
    expect(entry).to_contain_text("斯里兰卡")  # the buyer's country, in Chinese
    expect(supplier_page.locator("html")).to_have_attribute("lang", "zh-hans")
    supplier_context.close()


def test_story_1_a_baigou_factory_quotes_and_the_buyer_compares_in_its_currency_and_awards(
    page: Page, browser: Browser, live_server: object, media: Path
) -> None:
    call_command("seed_demo", stdout=StringIO())
    rfq = SourcingRequest.objects.get(title="Transparent school backpacks, 50,000 pcs")

    supplier_context = browser.new_context(viewport=DESKTOP)
    supplier_page = supplier_context.new_page()
    log_in(supplier_page, live_server.url, SUPPLIER.email, DEFAULT_PASSWORD)
    supplier_page.goto(f"{live_server.url}/rfqs/inbox/{rfq.pk}/")
    with supplier_page.expect_navigation():
        supplier_page.locator("a[data-quote-link]").first.click()
    form = supplier_page.locator("form[data-quote-form]")
    form.locator("[name=unit_price]").fill("17.50")
    form.locator("[name=currency]").select_option("CNY")
    form.locator("[name=quantity]").fill("50000")
    form.locator("[name=lead_time_days]").fill("15")
    form.locator("[name=valid_until]").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    form.locator("[name=port]").fill("Tianjin")
    with supplier_page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(supplier_page.locator("[data-quote-status]")).to_be_visible()
    supplier_context.close()
    quote = Quote.objects.get(rfq=rfq, supplier__company__name=SUPPLIER.company)

    log_in(page, live_server.url, BUYER.email, DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/rfqs/{rfq.pk}/quotes/?currency=LKR")
    row = page.locator(f"tr[data-quote='{quote.pk}']")
    expect(row).to_contain_text("LKR")
    expect(page.locator("[data-rates]")).to_contain_text("1 CNY =")
    inputs = page.locator("[data-award-quantity]")
    for index in range(inputs.count()):
        inputs.nth(index).fill("")  # the demo's other quotes are proposed first: award this one alone
    row.locator("[data-award-quantity]").fill("50000")
    with page.expect_navigation():
        page.locator("[data-award-submit]").click()
    # The summary before anything is placed: one order, in the buyer's currency too.
    expect(page.locator("table[data-award-summary] tbody tr")).to_have_count(1)
    expect(page.locator("[data-award-total]")).to_contain_text("LKR")
    assert not Order.objects.filter(rfq=rfq).exists()
    with page.expect_navigation():
        page.locator("[data-award-confirm]").click()

    expect(page.locator("table[data-orders] tr[data-order]")).to_have_count(1)
    order = Order.objects.get(rfq=rfq)
    assert order.supplier.company.name == SUPPLIER.company
    assert order.lines.get().quantity == 50_000
