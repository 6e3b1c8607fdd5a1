"""A new buyer signs up, switches the interface to 简体中文 and reads the site in Chinese."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from marketplace.models import Currency
from tests.browser.steps import NewBuyer, sign_up_buyer

# live_server needs a transactional database. serialized_rollback restores what the migrations
# created (currencies) after each test, and keeps the flush from recreating content types that a
# later serialized_rollback test would then insert twice.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The page's own navigation, not one nested in a fragment that htmx swapped in.
NAV = "body > header > div > nav#main-nav"
ACCOUNT_MENU = f"{NAV} details[data-nav=account]"
LOG_OUT = f"{ACCOUNT_MENU} form button[type=submit]"
BELTS_LINK = f"{NAV} details[data-nav=explore] a[href='/belts/']"


def test_home_page_loads_its_own_scripts_and_styles(page: Page, live_server: object) -> None:
    """No CDN: every script and style sheet the page asks for is served by the application."""
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.goto(f"{live_server.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert not failed, f"requests that failed: {failed}"
    outside = page.evaluate(
        "[...document.querySelectorAll('script[src], link[href]')]"
        ".map(e => e.src || e.href).filter(u => !u.startsWith(location.origin))"
    )
    assert not outside, f"resources from another origin: {outside}"


def test_signup_switch_to_chinese(page: Page, live_server: object) -> None:
    assert Currency.objects.filter(code="USD").exists(), "the currencies of the data migration are gone"

    sign_up_buyer(
        page,
        live_server.url,
        NewBuyer(
            name="Nimal Perera",
            email="nimal@colombo-distributors.example",
            password="backpacks-for-50000-pupils",
            company="Colombo School Supplies",
            country="LK",
            city="Colombo",
            language="en",
            currency="USD",
        ),
    )

    # One row on a wide screen: brand, search, the menus, language and account side by side...
    middles = page.eval_on_selector_all(
        "body > header .topbar-inner > :not([hidden]), body > header nav#main-nav > ul > li",
        "items => items.filter(e => e.getClientRects().length)"
        ".map(e => { const box = e.getBoundingClientRect(); return Math.round(box.top + box.height / 2); })",
    )
    assert len(middles) >= 8, middles
    assert max(middles) - min(middles) <= 8, f"the header is not one row: {middles}"
    # ...and the account menu drops down from the signed-in user's name.
    log_out = page.locator(LOG_OUT).filter(has_text="Log out")
    expect(log_out).to_be_hidden()
    page.locator(f"{ACCOUNT_MENU} > summary").click()
    expect(log_out).to_be_visible()
    page.locator(f"{NAV} details[data-nav=explore] > summary").click()
    expect(log_out).to_be_hidden()  # one menu open at a time
    expect(page.locator(BELTS_LINK)).to_be_visible()

    with page.expect_navigation():
        page.locator(f"{NAV} form select#language-switch").select_option(label="简体中文")

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(BELTS_LINK)).to_have_text("产业带")
    page.locator(f"{ACCOUNT_MENU} > summary").click()
    expect(page.locator(LOG_OUT).filter(has_text="退出登录")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(LOG_OUT).filter(has_text="退出登录")).to_be_hidden()


def test_on_a_phone_the_menu_button_shows_the_navigation(phone_page: Page, live_server: object) -> None:
    phone_page.goto(f"{live_server.url}/")
    belts = phone_page.locator(BELTS_LINK)
    expect(belts).to_be_hidden()

    phone_page.locator("body > header [data-nav-toggle]").first.click()

    expect(belts).to_be_visible()  # the menus fold into "Menu" and open with it
    expect(phone_page.locator("body > header [data-nav-toggle]").first).to_have_attribute("aria-expanded", "true")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the open menu is {width} px wide"
