"""On a phone, a buyer turns on two-factor authentication from the account menu with the key the page
shows, keeps the recovery codes, then logs in with the password and a code from the app."""

from __future__ import annotations

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ACCOUNT_MENU = "body > header nav#main-nav details[data-nav=account]"


def code_from_app(secret: str, *, at: float) -> str:
    """What an authenticator app shows at the time `at` for the key typed from the page."""
    totp = TOTP(b32decode(secret.replace(" ", "")), step=30, t0=0, digits=6, drift=0)
    totp.time = at
    return f"{totp.token():06d}"


def code_after(secret: str, used_at: float) -> str:
    """The app's code now, or, while the 30 seconds of a code used at `used_at` last, the next one:
    a code is good once (the same one again is refused), and the next one is accepted early. (Not
    always the next one: after a code was checked a step late, the server expects codes a step
    later, and the one after next is too far.)"""
    return code_from_app(secret, at=max(time.time(), (int(used_at // 30) + 1) * 30))


def open_account_menu(page: Page) -> None:
    page.locator("button[data-nav-toggle]").click()  # the phone's folded menu opens with its dropdowns
    expect(page.locator(ACCOUNT_MENU)).to_have_attribute("open", "")


def fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_hardening_a_buyer_turns_on_two_factor_on_a_phone_and_logs_in_with_it(
    phone_page: Page, live_server: object
) -> None:
    user = UserFactory(email="nimal@colombo-distributors.example")
    page = phone_page
    base = live_server.url  # type: ignore[attr-defined]
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form.form button[type=submit]")

    page.goto(f"{base}/account/")
    open_account_menu(page)
    page.locator(f"{ACCOUNT_MENU} a[href='/account/security/']").click()
    page.get_by_role("button", name="Set up two-factor authentication").click()
    qr_code = page.locator("figure.qr-code svg")
    expect(qr_code).to_be_visible()
    assert qr_code.bounding_box()["width"] >= 150  # type: ignore[index]  # big enough to scan
    # Made by the page itself: no inline style, no script without a file, nothing from elsewhere.
    assert page.locator("main [style], script:not([src])").count() == 0
    assert fits_the_screen(page)
    secret = page.locator("code.secret-key").inner_text()
    set_up_at = time.time()
    page.fill("input[name=code]", code_from_app(secret, at=set_up_at))
    page.get_by_role("button", name="Turn on two-factor authentication").click()

    expect(page.get_by_text("Two-factor authentication is on.")).to_be_visible()
    codes = page.locator("ul.recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert fits_the_screen(page)

    page.goto(f"{base}/account/")
    open_account_menu(page)
    page.locator(f"{ACCOUNT_MENU} form button[type=submit]").click()
    # Logged out once the redirect home arrived: a log-in started before could see its new session's
    # cookie cleared by the log-out's late answer.
    expect(page).to_have_url(f"{base}/")
    page.goto(f"{base}/account/")  # sends to the log-in, which comes back here
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("form.form button[type=submit]")
    expect(page).to_have_url(f"{base}/login/verify/?next=%2Faccount%2F")
    page.fill("input[name=code]", code_after(secret, set_up_at))
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(f"{base}/account/")
    expect(page.locator("h1")).to_have_text("Account settings")
