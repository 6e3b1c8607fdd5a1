"""Story 2 end to end in the browser: new waste-sorting rules in Shanghai create a surge of RFQs
for sorting bins; a Taizhou plastics factory, reading in Chinese, sees the surge on its belt's
demand dashboard, and the alert and the weekly digest reached it by e-mail."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Page, expect

from marketplace.demo.accounts import DEFAULT_PASSWORD, SUPPLIER
from marketplace.models import Notification
from marketplace.notification_texts import notification_render
from tests.browser.test_story_1_search import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TAIZHOU_BIN_FACTORY = "taizhou-plastics-1@demo.sourcebelt.local"  # Taizhou Lvyuan Plastic Products: sorting bins


def test_story_2_a_sorting_bin_surge_reaches_the_taizhou_plastics_belt_dashboard_and_its_factories(
    page: Page, live_server: object
) -> None:
    call_command("seed_demo", stdout=StringIO())  # eight weeks of demand, and this week's surge

    # The alert and the digest reached the sorting-bin factory, in Chinese.
    to_factory = {message.subject: message for message in mail.outbox if message.to == [TAIZHOU_BIN_FACTORY]}
    for kind in ("demand_surge", "demand_digest"):
        notification = Notification.objects.get(recipient__email=TAIZHOU_BIN_FACTORY, kind=kind)
        assert notification.email_status == Notification.EmailStatus.SENT
        message = to_factory[notification_render(notification=notification, language="zh-hans").subject]
        assert message.extra_headers["Content-Language"] == "zh-hans"
        assert "垃圾分类垃圾桶" in message.body

    log_in(page, live_server.url, TAIZHOU_BIN_FACTORY, DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/suppliers/dashboard/")
    with page.expect_navigation():
        page.locator("a[href='/insights/belts/taizhou-plastics/']").first.click()

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("h1")).to_contain_text("台州塑料")
    surge = page.locator("[data-surge='sorting-bins']").first
    expect(surge).to_be_visible()
    expect(surge).to_contain_text("垃圾分类垃圾桶")
    expect(page.locator("[data-chart='belt'] svg[role='img'] rect.chart-surge")).to_have_count(1)
    expect(page.locator("tr[data-specialty='sorting-bins'] .badge")).to_be_visible()
    expect(page.locator("[data-figure='quotes-per-rfq']")).not_to_have_text("–")

    # A factory of another belt (the Baigou bag maker) does not learn the belt's figures.
    other = page.context.browser.new_context()
    other_page = other.new_page()
    log_in(other_page, live_server.url, SUPPLIER.email, DEFAULT_PASSWORD)
    response = other_page.goto(f"{live_server.url}/insights/belts/taizhou-plastics/")
    assert response is not None
    assert response.status == 404
    other.close()

    # The public trending page shows the surge too, without naming any buyer.
    page.goto(f"{live_server.url}/insights/")
    expect(page.locator("[data-surge='sorting-bins']").first).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("上海绿色社区物业管理有限公司")
