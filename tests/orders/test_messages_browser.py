"""In a real browser: the newest messages of a thread appear without a full page reload, those
the other side sends (htmx polling) and one's own (an htmx send that appends)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from orders.services.messages import message_send
from tests.browser import conftest as browser_harness
from tests.browser.test_story_1_search import log_in
from tests.factories import TEST_PASSWORD, CompanyFactory, MembershipFactory, SupplierProfileFactory, UserFactory
from tests.orders.builders_messages import rfq_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The browser harness's fixtures, for this module outside tests/browser/.
_allow_database_access_beside_playwright = browser_harness._allow_database_access_beside_playwright
playwright = browser_harness.playwright
browser = browser_harness.browser
page = browser_harness.page


@pytest.fixture
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


class Side:
    def __init__(self, company: object, user: object, supplier: object = None) -> None:
        self.company, self.user, self.supplier = company, user, supplier


def test_a_reply_appears_and_a_sent_message_is_appended_without_a_reload(
    page: Page, live_server: object, media: Path
) -> None:
    buyer_membership = MembershipFactory(company=CompanyFactory(country="LK"))
    buyer = Side(buyer_membership.company, buyer_membership.user)
    profile = SupplierProfileFactory()
    supplier_user = UserFactory()
    MembershipFactory(user=supplier_user, company=profile.company)
    supplier = Side(profile.company, supplier_user, profile)
    thread = rfq_thread(buyer, supplier, body="Can you print our logo?")

    log_in(page, live_server.url, buyer.user.email, TEST_PASSWORD)
    page.goto(f"{live_server.url}/orders/messages/{thread.pk}/")
    page.evaluate("window.notReloaded = true")
    expect(page.locator("#message-list [data-message]")).to_have_count(1)

    message_send(thread_id=thread.pk, company=supplier.company, author=supplier.user, body="Yes, on the front pocket.")
    expect(page.locator("#message-list")).to_contain_text("Yes, on the front pocket.", timeout=15_000)

    page.locator("#message-form [name=body]").fill("Great, please send a sample.")
    page.locator("#message-form button[type=submit]").click()
    expect(page.locator("#message-list [data-message]")).to_have_count(3)
    expect(page.locator("#message-list [data-message]").last).to_contain_text("Great, please send a sample.")
    expect(page.locator("#message-form [name=body]")).to_have_value("")

    # A few more polls bring nothing twice, and the page was never reloaded.
    page.wait_for_timeout(6_000)
    expect(page.locator("#message-list [data-message]")).to_have_count(3)
    assert page.evaluate("window.notReloaded") is True
