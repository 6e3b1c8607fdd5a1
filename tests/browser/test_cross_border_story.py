"""The cross-border story in the browser: a buyer in Türkiye signs up, posts an RFQ in English with
a target price in Turkish lira; the Baigou demo factory, reading in Chinese, sees it translated
automatically (by the local LibreTranslate-speaking server, tests/translation_server.py) with the
target price converted into yuan and the rate's day, and quotes in yuan; the buyer compares the
quotes in lira with the dated rate and awards."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import formats, timezone, translation
from playwright.sync_api import Browser, Page, expect

from buyers.models import Quote, SourcingRequest
from marketplace.demo.accounts import DEFAULT_PASSWORD, SUPPLIER
from marketplace.models import Category
from marketplace.selectors.money import exchange_rate_on
from orders.models import Order
from tests.browser.conftest import DESKTOP
from tests.browser.steps import NewBuyer, sign_up_buyer
from tests.browser.test_story_1_search import log_in
from tests.translation_server import SENTENCES, TranslationServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Transparent school backpacks, 20,000 pcs for Istanbul"
DESCRIPTION = "Clear PVC backpacks, 16 inch, padded straps, logo on the front pocket."
BUYER_EMAIL = "ayse@istanbul-okul.example"


def _sign_up_a_buyer_in_turkiye(page: Page, base_url: str) -> None:
    sign_up_buyer(
        page,
        base_url,
        NewBuyer(
            name="Ayşe Yılmaz",
            email=BUYER_EMAIL,
            password="backpacks-for-20000-pupils",
            company="İstanbul Okul Malzemeleri",
            country="TR",
            city="Istanbul",
            language="en",
            currency="TRY",
        ),
    )


def _post_an_rfq_in_lira(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/rfqs/new/")
    form = page.locator("form[action$='/rfqs/new/']")
    expect(form.locator("[name=currency]")).to_have_value("TRY")  # the buyer's own currency, unasked
    form.locator("[name=title]").fill(TITLE)
    form.locator("[name=description]").fill(DESCRIPTION)
    form.locator("[name=category]").select_option(str(Category.objects.get(slug="transparent-backpacks").pk))
    form.locator("[name=quantity]").fill("20000")
    form.locator("[name=target_unit_price]").fill("95")
    form.locator("[name=destination_country]").select_option("TR")
    form.locator("[name=destination_city]").fill("Istanbul")
    form.locator("[name=required_by]").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    deadline = timezone.localtime() + timedelta(days=5)
    form.locator("[name=quote_deadline]").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        form.locator("button[name=action][value=publish]").click()


def _day(language: str, day: object) -> str:
    with translation.override(language):
        return str(formats.date_format(day, "SHORT_DATE_FORMAT"))


def test_cross_border_a_turkish_buyer_and_a_baigou_factory_trade_in_their_own_languages_and_currencies(
    page: Page, browser: Browser, live_server: object, translation_server: TranslationServer
) -> None:
    call_command("seed_demo", stdout=StringIO())
    today = timezone.localdate()

    # A buyer in Türkiye signs up, in English, paying in lira, and posts a request.
    _sign_up_a_buyer_in_turkiye(page, live_server.url)
    _post_an_rfq_in_lira(page, live_server.url)
    expect(page.locator("h1")).to_have_text(TITLE)
    rfq = SourcingRequest.objects.get(title=TITLE)
    assert rfq.status == SourcingRequest.Status.OPEN
    assert rfq.currency_id == "TRY"

    # The Baigou factory reads it in Chinese: translated automatically, the original a click away,
    # and the target price in yuan beside the lira, with the day of the rate.
    factory_context = browser.new_context(viewport=DESKTOP, locale="en-US")
    factory = factory_context.new_page()
    log_in(factory, live_server.url, SUPPLIER.email, DEFAULT_PASSWORD)
    factory.goto(f"{live_server.url}/rfqs/inbox/")
    entry = factory.locator(f"article[data-rfq='{rfq.pk}']")
    expect(entry).to_contain_text(SENTENCES[TITLE])
    expect(entry).to_contain_text("土耳其")  # the buyer's country, in Chinese
    with factory.expect_navigation():
        entry.locator(f"a[href$='/rfqs/inbox/{rfq.pk}/']").first.click()
    expect(factory.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(factory.locator("h1")).to_contain_text(SENTENCES[TITLE])
    expect(factory.locator("[data-written=title]")).to_contain_text("自动翻译自英语")
    description = factory.locator("[data-written=description]")
    expect(description).to_contain_text(SENTENCES[DESCRIPTION])
    expect(description).to_contain_text("自动翻译自英语")
    expect(description.locator("[data-original]")).to_be_hidden()
    description.locator("summary").click()  # "show the original"
    expect(description.locator("[data-original]")).to_have_text(DESCRIPTION)
    target = factory.locator("[data-fact=target-price]")
    expect(target).to_contain_text("TRY 95")
    rate = exchange_rate_on(base="TRY", quote="CNY", on=today)
    converted = target.locator("[data-fact=target-price-converted]")
    expect(converted).to_contain_text("≈ CNY")
    expect(converted).to_contain_text(f"按 1 TRY = {rate.display_rate} CNY（{_day('zh-hans', rate.valid_on)} 汇率）")

    # It quotes in yuan, a little under the buyer's target.
    with factory.expect_navigation():
        factory.locator("a[data-quote-link]").first.click()
    form = factory.locator("form[data-quote-form]")
    form.locator("[name=unit_price]").fill("12.50")
    form.locator("[name=currency]").select_option("CNY")
    form.locator("[name=quantity]").fill("20000")
    form.locator("[name=lead_time_days]").fill("20")
    form.locator("[name=valid_until]").fill((today + timedelta(days=14)).isoformat())
    form.locator("[name=port]").fill("Tianjin")
    with factory.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(factory.locator("[data-quote-status]")).to_be_visible()
    factory_context.close()
    quote = Quote.objects.get(rfq=rfq, supplier__company__name=SUPPLIER.company)
    assert quote.currency_id == "CNY"

    # The buyer compares in lira, with the rate and its day, and awards the factory.
    page.goto(f"{live_server.url}/rfqs/{rfq.pk}/quotes/")
    row = page.locator(f"tr[data-quote='{quote.pk}']")
    yuan = exchange_rate_on(base="CNY", quote="TRY", on=today)
    expect(page.locator("[data-rates]")).to_contain_text(
        f"1 CNY = {yuan.display_rate} TRY (rate of {_day('en', yuan.valid_on)})"
    )
    cells = row.locator("td")
    expect(cells.nth(1)).to_contain_text(re.compile(r"TRY \d+\.\d\d"))  # the unit price, in lira
    total = Decimal(cells.nth(2).inner_text().replace(",", ""))  # the total, in lira, never blank
    assert abs(total - Decimal("12.50") * 20_000 * yuan.rate) < total / 100
    row.locator("[data-award-choice]").check()  # one supplier for the whole order, as the request said
    with page.expect_navigation():
        page.locator("[data-award-submit]").click()
    expect(page.locator("table[data-award-summary] tbody tr")).to_have_count(1)
    expect(page.locator("[data-award-total]")).to_contain_text("TRY")
    assert not Order.objects.filter(rfq=rfq).exists()
    with page.expect_navigation():
        page.locator("[data-award-confirm]").click()

    expect(page.locator("table[data-orders] tr[data-order]")).to_have_count(1)
    order = Order.objects.get(rfq=rfq)
    assert order.supplier.company.name == SUPPLIER.company
    assert order.currency_id == "CNY"
    assert order.lines.get().quantity == 20_000
