"""Story 4 in the browser: a Zibo glove factory that sells gloves on SourceBelt learns of demand for
eco-friendly gloves and, with the same account, posts an RFQ for biodegradable nitrile latex; a
chemical supplier (another company) finds it in its RFQ inbox and quotes; the glove factory
compares the quote, and still has its seller pages (its RFQ inbox, its sales) beside its purchases.
The glove factory is never matched to its own request."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from buyers.models import Match, Quote, SourcingRequest
from marketplace.demo.accounts import DEFAULT_PASSWORD, DEMO_DOMAIN
from marketplace.models import Category
from suppliers.models import Product, SupplierProfile
from tests.browser.conftest import DESKTOP
from tests.browser.test_story_1_search import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

GLOVE_FACTORY = f"zibo-gloves-1@{DEMO_DOMAIN}"  # Zibo Anbao Gloves Co., Ltd.
CHEMICAL_SUPPLIER = f"zibo-gloves-2@{DEMO_DOMAIN}"  # Shandong Lüse New Materials Co., Ltd.
TITLE = "Biodegradable nitrile latex for compostable disposable gloves, 40 tonnes"


@pytest.fixture
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _post_latex_rfq(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/rfqs/new/")
    form = page.locator("form[action$='/rfqs/new/']")
    form.locator("[name=title]").fill(TITLE)
    form.locator("[name=description]").fill(
        "Glove-grade carboxylated nitrile latex with a biodegradable additive (EN 13432 or ASTM D5526 tested), "
        "high solids, for a new line of eco disposable gloves. 丁腈胶乳，可降解。"
    )
    form.locator("[name=category]").select_option(str(Category.objects.get(slug="nitrile-latex").pk))
    form.locator("[name=quantity]").fill("40")
    form.locator("[name=unit]").select_option("tonne")
    form.locator("[name=destination_country]").select_option("CN")
    form.locator("[name=destination_city]").fill("Zibo")
    form.locator("[name=required_by]").fill((timezone.localdate() + timedelta(days=45)).isoformat())
    deadline = timezone.localtime() + timedelta(days=7)
    form.locator("[name=quote_deadline]").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        form.locator("button[name=action][value=publish]").click()


def _quote_as_chemical_supplier(browser: Browser, base_url: str, rfq: SourcingRequest) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    log_in(page, base_url, CHEMICAL_SUPPLIER, DEFAULT_PASSWORD)
    page.goto(f"{base_url}/rfqs/inbox/")
    entry = page.locator(f"article[data-rfq='{rfq.pk}']")
    expect(entry).to_be_visible()
    expect(entry).to_contain_text(TITLE)  # as the glove factory typed it
    page.goto(f"{base_url}/rfqs/inbox/{rfq.pk}/")
    with page.expect_navigation():
        page.locator("a[data-quote-link]").first.click()
    form = page.locator("form[data-quote-form]")
    form.locator("[name=unit_price]").fill("12800")
    form.locator("[name=currency]").select_option("CNY")
    form.locator("[name=quantity]").fill("40")
    form.locator("[name=lead_time_days]").fill("20")
    form.locator("[name=valid_until]").fill((timezone.localdate() + timedelta(days=21)).isoformat())
    form.locator("[name=port]").fill("Zibo")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("[data-quote-status]")).to_be_visible()
    context.close()


def test_story_4_a_glove_factory_buys_biodegradable_latex_from_a_chemical_supplier_with_its_selling_account(
    page: Page, browser: Browser, live_server: object, media: Path
) -> None:
    call_command("seed_demo", stdout=StringIO())
    glove_factory = SupplierProfile.objects.get(company__memberships__user__email=GLOVE_FACTORY)
    chemical_supplier = SupplierProfile.objects.get(company__memberships__user__email=CHEMICAL_SUPPLIER)
    assert glove_factory.company_id != chemical_supplier.company_id
    assert Product.objects.published().filter(supplier=glove_factory, category__slug="nitrile-gloves").exists()

    # The glove factory, logged in with its one account, posts the RFQ as a buyer.
    log_in(page, live_server.url, GLOVE_FACTORY, DEFAULT_PASSWORD)
    expect(page.locator("[data-nav=buyer]")).to_be_attached()
    expect(page.locator("[data-nav=supplier]")).to_be_attached()  # it sells, too
    _post_latex_rfq(page, live_server.url)

    rfq = SourcingRequest.objects.get(title=TITLE)
    assert rfq.status == SourcingRequest.Status.OPEN
    assert rfq.buyer_id == glove_factory.company_id
    expect(page.locator("h1")).to_have_text(TITLE)
    assert Match.objects.filter(rfq=rfq, supplier=chemical_supplier, notified_at__isnull=False).exists()
    assert not Match.objects.filter(rfq=rfq, supplier__company=glove_factory.company).exists()

    # The chemical supplier finds it in its inbox and quotes.
    _quote_as_chemical_supplier(browser, live_server.url, rfq)
    quote = Quote.objects.get(rfq=rfq, supplier=chemical_supplier)

    # The glove factory compares the quote it received...
    page.goto(f"{live_server.url}/rfqs/{rfq.pk}/quotes/")
    row = page.locator(f"tr[data-quote='{quote.pk}']")
    expect(row).to_be_visible()
    expect(row).to_contain_text("CNY")

    # ...and, with the same account, still runs its selling side: its own request is not in its
    # RFQ inbox, and its sales sit beside its purchases.
    page.goto(f"{live_server.url}/rfqs/inbox/")
    expect(page.locator("main h1, h1").first).to_be_visible()
    expect(page.locator(f"article[data-rfq='{rfq.pk}']")).to_have_count(0)
    response = page.goto(f"{live_server.url}/rfqs/inbox/{rfq.pk}/")
    assert response is not None
    assert response.status == 404  # a company never answers its own request
    for path in ("/orders/", "/orders/sales/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None
        assert response.status == 200, path
