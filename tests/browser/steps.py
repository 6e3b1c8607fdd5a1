"""Steps the browser stories share, done as a person does them on the page."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page, expect

from tests.mailbox import emails_to, link_in


@dataclass(frozen=True)
class NewBuyer:
    """Who signs up on /signup/buyer/, as typed in the form."""

    name: str
    email: str
    password: str
    company: str
    country: str
    city: str
    language: str
    currency: str


def sign_up_buyer(page: Page, base_url: str, buyer: NewBuyer) -> None:
    """Fill in and send the buyer sign-up form, then follow the link e-mailed to confirm the address;
    the page that follows is the new buyer's."""
    page.goto(f"{base_url}/signup/buyer/")
    form = page.locator("form:has(input[name=password1])")
    form.locator("[name=name]").fill(buyer.name)
    form.locator("[name=email]").fill(buyer.email)
    form.locator("[name=password1]").fill(buyer.password)
    form.locator("[name=password2]").fill(buyer.password)
    form.locator("[name=company_name]").fill(buyer.company)
    form.locator("[name=country]").select_option(buyer.country)
    form.locator("[name=city]").fill(buyer.city)
    form.locator("[name=preferred_language]").select_option(buyer.language)
    form.locator("[name=preferred_currency]").select_option(buyer.currency)
    with page.expect_navigation():
        form.locator("[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Check your e-mail")
    (confirmation,) = emails_to(buyer.email.lower())
    page.goto(base_url + link_in(confirmation, "/signup/confirm/"))
