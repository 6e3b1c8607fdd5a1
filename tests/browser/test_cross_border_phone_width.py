"""Every page of every demo role fits a 390 px phone: nothing scrolls sideways.

One seed of the demo and one browser for the whole walk. For each role the walk starts at the
home page, the header's menus and a few pages named explicitly (search results, the demo's RFQ,
its quotes, a sale), and follows every link of each page it visits, opening each kind of page
(each URL name) once, whichever role meets it first: the first item of a list stands for the
others. The test fails naming
every page wider than the screen, with its width.
"""

from __future__ import annotations

from collections import deque
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from buyers.models import SourcingRequest
from marketplace.demo.accounts import BUYER, DEFAULT_PASSWORD, STAFF, SUPPLIER
from marketplace.models import User
from orders.models import Order
from suppliers.demo.belt_managers import BELT_MANAGER_BELT, BELT_MANAGER_EMAIL
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Not pages of the app's own layout, or not pages at all.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/media/", "/static/", "/logout/", "/i18n/")
MOST_PAGES_PER_ROLE = 80


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login/")
    form = page.locator("form:has(input[name=password])")
    form.locator("[name=username]").fill(email)
    form.locator("[name=password]").fill(DEFAULT_PASSWORD)
    with page.expect_navigation():
        form.locator("[type=submit]").click()


def page_kind(path: str) -> str | None:
    """The URL name a path resolves to (one visit per kind of page), or None to leave it alone."""
    if path.startswith(SKIPPED_PREFIXES):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def links_of(page: Page, base_url: str) -> list[str]:
    """Every same-site link of the page (menus folded or not), as path and query."""
    hrefs: list[str] = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    origin = urlsplit(base_url).netloc
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme in ("http", "https") and parts.netloc == origin:
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


# The outermost elements that stick out of the screen while their parent does not: the culprits.
CULPRITS = """() => {
  const fits = e => e.getBoundingClientRect().right <= innerWidth + 1;
  const inScrollBox = e => {
    for (let a = e.parentElement; a; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const name = e => e.tagName.toLowerCase() + (typeof e.className === "string" && e.className.trim()
    ? "." + e.className.trim().split(/ +/).join(".") : "");
  const wide = [...document.querySelectorAll("body *")].filter(e => !fits(e) && !inScrollBox(e));
  const outermost = wide.filter(e => fits(e.parentElement));
  return (outermost.length ? outermost : wide).slice(0, 3).map(name);
}"""


def too_wide_pages(page: Page, base_url: str, starts: list[str], seen_kinds: set[str]) -> tuple[list[str], int]:
    """Walk the role's pages: each start page, then every kind of page not `seen_kinds` yet (by any
    role) that they lead to. Return each page wider than the phone, and how many were opened."""
    queue = deque(starts)
    opened: set[str] = set()
    too_wide: list[str] = []
    while queue and len(opened) < MOST_PAGES_PER_ROLE:
        url = queue.popleft()
        kind = page_kind(urlsplit(url).path)
        if kind is None or url in opened or (kind in seen_kinds and url not in starts):
            continue
        seen_kinds.add(kind)
        opened.add(url)
        try:
            response = page.goto(f"{base_url}{url}", wait_until="domcontentloaded")
        except PlaywrightError:
            continue  # a download (CSV, PDF) rather than a page
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            culprits = ", ".join(page.evaluate(CULPRITS))
            too_wide.append(f"{url} ({kind}) is {width} px wide: {culprits}")
        queue.extend(links_of(page, base_url))
    return too_wide, len(opened)


def test_cross_border_no_page_of_any_demo_role_is_wider_than_a_phone(
    browser: Browser, live_server: object, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=StringIO())
    base_url = live_server.url
    rfq = SourcingRequest.objects.filter(buyer__name=BUYER.company).order_by("pk").first()
    order = Order.objects.order_by("pk").first()
    assert rfq is not None, "the demo seeds an RFQ of the buyer"
    assert order is not None, "the demo seeds orders"
    factory_owner = User.objects.filter(memberships__company=order.supplier.company_id).order_by("pk").first()
    assert factory_owner is not None
    common = ["/", "/suppliers/search/?q=backpack", "/suppliers/search/?q=透明书包", "/belts/", "/categories/"]
    roles = {
        "visitor": (None, common),
        "buyer": (BUYER.email, [*common, "/rfqs/", f"/rfqs/{rfq.pk}/", f"/rfqs/{rfq.pk}/quotes/"]),
        "supplier": (SUPPLIER.email, [*common, "/suppliers/catalog/", "/orders/sales/"]),
        "factory with orders": (factory_owner.email, [*common, "/orders/sales/", f"/orders/{order.pk}/"]),
        "staff": (STAFF.email, [*common, "/staff/"]),
        "belt manager": (BELT_MANAGER_EMAIL, [*common, f"/staff/belts/{BELT_MANAGER_BELT}/"]),
    }

    problems: list[str] = []
    seen_kinds: set[str] = set()
    for role, (email, starts) in roles.items():
        context = browser.new_context(viewport=PHONE, locale="en-US")
        context.set_default_timeout(15_000)
        page = context.new_page()
        if email is not None:
            log_in(page, base_url, email)
        too_wide, visited = too_wide_pages(page, base_url, starts, seen_kinds)
        assert visited >= len(starts), f"the {role} reached only {visited} pages"
        print(f"{role}: {visited} pages")
        problems += [f"{role}: {line}" for line in too_wide]
        page.goto("about:blank")
        context.close()

    assert not problems, "Pages that scroll sideways on a 390 px phone:\n" + "\n".join(problems)

    # On the search page the results come first; the filters wait behind their button.
    context = browser.new_context(viewport=PHONE, locale="en-US")
    page = context.new_page()
    page.goto(f"{base_url}/suppliers/search/?q=backpack")
    first_result = page.locator("article[data-product]").first
    assert first_result.bounding_box()["y"] < PHONE["height"], "the first result shows without scrolling"
    assert not page.locator("form[data-search-form]").is_visible()
    page.get_by_text("Filters", exact=True).click()
    assert page.locator("form[data-search-form]").is_visible()
    page.goto("about:blank")
    context.close()
