"""Every page of every role under the Content-Security-Policy, in Chromium: no violation reported.

The pages come from the URL resolver, through the permission matrix (tests/matrix/), which has a
row for every URL pattern with real objects for its arguments: each role opens every GET page the
matrix gives it a 200 for, and the belt manager (a person who acts for no company) every page open
to staff. Staff also open every page of the Django admin that the resolver knows, with one row of
each model to open. A new page is visited as soon as it has its row in the matrix, which
tests/test_permission_matrix.py demands.

The browser reports a violation two ways, both listened to: a `securitypolicyviolation` event in
the page (an init script records them before any of the page's own scripts run) and a console
error "Refused to ...".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page
from playwright.sync_api import Error as PlaywrightError

from marketplace.models import IndustrialBelt
from orders.models import Order
from tests.admin_rows import a_row_of_every_model
from tests.matrix import Route, World, all_routes, build_world
from tests.orders.builders_orders import order_at
from tests.suppliers.builders_belts import belt_manager

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  const what = event.blockedURI || "inline";
  window.__cspViolations.push(`${event.effectiveDirective} refused ${what} (${where}) ${event.sample}`);
}, true);
"""

# Routes of the matrix answering GET that are no page to look at, each with the reason (none yet).
SKIPPED: dict[str, str] = {}

# Pages that draw themselves with a script after they load: the element that says they are drawn.
DRAWN_BY_SCRIPT = {
    "api-docs": "#swagger-ui .information-container",
}

# Admin URL arguments that are not a model's row.
ADMIN_SKIPPED = {
    "admin:view_on_site": "redirects to the object's page on the site, which the matrix visits",
    "admin:logout": "signs the session out (and takes POST only)",
    "admin:autocomplete": "answers JSON to the admin's select boxes, no page",
    "admin:jsi18n": "a script, no page",
    # django-otp's pages of a device's key: OTP_ADMIN_HIDE_SENSITIVE_DATA refuses them (keys are never shown).
    "admin:otp_totp_totpdevice_config": "a device's key and QR code, refused by OTP_ADMIN_HIDE_SENSITIVE_DATA",
    "admin:otp_totp_totpdevice_qrcode": "a device's QR code image, refused by OTP_ADMIN_HIDE_SENSITIVE_DATA",
}


@dataclass
class Visit:
    """What the browser reported on the pages of one role."""

    pages: int = 0
    files: int = 0  # downloads: no page to look at
    violations: list[str] = field(default_factory=list)


def _signed_in(browser: Browser, live_url: str, client: Client | None) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(15_000)
    context.add_init_script(RECORD_VIOLATIONS)
    if client is not None:
        context.add_cookies(
            [{"name": name, "value": morsel.value, "url": live_url} for name, morsel in client.cookies.items()]
        )
    return context


def _visit_all(context: BrowserContext, live_url: str, pages: list[tuple[str, str]]) -> Visit:
    """Opens each (route name, path) in one tab and collects every violation the browser reports."""
    visit = Visit()
    page = context.new_page()
    console: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        text = message.text
        if message.type == "error" and (text.startswith("Refused to") or "Content Security Policy" in text):
            console.append(message.text)

    page.on("console", on_console)
    try:
        for name, path in pages:
            console.clear()
            if not _open(page, live_url + path):
                visit.files += 1
                continue
            if name in DRAWN_BY_SCRIPT:
                page.locator(DRAWN_BY_SCRIPT[name]).first.wait_for()
            visit.pages += 1
            reported = page.evaluate("window.__cspViolations || []")
            visit.violations += [f"{path}: {text}" for text in [*reported, *console]]
    finally:
        page.goto("about:blank")
        page.close()
    return visit


def _open(page: Page, url: str) -> bool:
    """Opens a page; False for a download (a file, no page)."""
    try:
        page.goto(url, wait_until="load")
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return False
        raise
    return True


def _matrix_pages(world: World, role: str) -> list[tuple[str, str]]:
    expected_from = "staff" if role == "belt_manager" else role
    pages = []
    for route in all_routes():
        if route.method != "get" or route.name in SKIPPED or route.expect[expected_from] != HTTPStatus.OK:
            continue
        pages.append((route.name, _path(route, world)))
    return pages


def _path(route: Route, world: World) -> str:
    return reverse(route.name, kwargs=route.kwargs(world) if route.kwargs else None)


def _admin_pages() -> list[tuple[str, str]]:
    """Every page of the admin the resolver knows: the index, each app's index, and each model's list,
    add form, and change, delete and history pages of its first row."""
    rows = {
        (model._meta.app_label, model._meta.model_name): model._default_manager.order_by("pk").first()
        for model in admin.site._registry
    }
    pages: list[tuple[str, str]] = []
    missing: list[str] = []
    (admin_resolver,) = [
        p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "admin"
    ]

    def walk(patterns: list[Any]) -> Iterator[tuple[str, URLPattern]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif pattern.name:
                yield pattern.name, pattern

    for short_name, pattern in walk(admin_resolver.url_patterns):
        name = f"admin:{short_name}"
        if name in ADMIN_SKIPPED:
            continue
        arguments = set(pattern.pattern.regex.groupindex)
        if not arguments:
            pages.append((name, reverse(name)))
        elif arguments == {"app_label"}:
            pages += [(name, reverse(name, kwargs={"app_label": app})) for app in sorted({a for a, _ in rows})]
        elif arguments == {"object_id"}:
            match = re.fullmatch(r"(\w+)_(change|delete|history)", short_name)
            keys = [key for key in rows if match and "_".join(key) == match[1]]  # app labels hold "_" too
            assert keys, f"no row to fill in for {name}: add it to ADMIN_SKIPPED with the reason"
            row = rows[keys[0]]
            if row is None:
                missing.append(name)
                continue
            pages.append((name, reverse(name, kwargs={"object_id": row.pk})))
        elif name == "admin:auth_user_password_change":  # Django's name, whatever the user model
            user = get_user_model()._default_manager.earliest("pk")
            pages.append((name, reverse(name, kwargs={"id": user.pk})))
        else:
            raise AssertionError(
                f"no arguments to fill in for {name} ({arguments}): add it to ADMIN_SKIPPED with the reason"
            )
    assert not missing, f"no row to open for {missing}: add one to tests/admin_rows.py"
    return pages


@pytest.fixture
def world(actors: dict) -> World:
    world = build_world(actors)
    world.belt_manager = belt_manager(*IndustrialBelt.objects.all())
    return world


def _client_of(world: World, role: str) -> Client | None:
    if role == "anonymous":
        return None
    if role == "belt_manager":
        client = Client()
        client.force_login(world.belt_manager)
        return client
    return world.actors[role].client


def _assert_clean(visit: Visit, role: str, pages: list[tuple[str, str]]) -> None:
    assert visit.pages + visit.files == len(pages)
    assert visit.pages > visit.files, f"{role}: {visit.files} of {len(pages)} addresses were files, not pages"
    assert not visit.violations, f"{len(visit.violations)} violations for {role}:\n" + "\n".join(visit.violations)


@pytest.mark.parametrize("role", ["anonymous", "buyer", "supplier", "belt_manager", "staff"])
def test_hardening_csp_no_page_of_a_role_breaks_the_policy(
    browser: Browser, live_server: Any, world: World, role: str
) -> None:
    pages = _matrix_pages(world, role)
    if role == "anonymous":
        pages.append(("page_not_found", "/no-such-page/"))  # the project's page for an unknown address
    context = _signed_in(browser, live_server.url, _client_of(world, role))
    try:
        visit = _visit_all(context, live_server.url, pages)
    finally:
        context.close()
    _assert_clean(visit, role, pages)


def _rows_of_the_other_apps() -> None:
    """A row for the admin pages of django.contrib.auth and django-axes (a locked-out log-in)."""
    Group.objects.create(name="Belt onboarding")
    seen = {
        "user_agent": "Chromium",
        "ip_address": "203.0.113.7",
        "username": "mallory@example.com",
        "path_info": "/login/",
    }
    AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=10)
    AccessFailureLog.objects.create(**seen, locked_out=True)
    AccessLog.objects.create(**seen)


def test_hardening_csp_the_admin_keeps_to_the_policy(browser: Browser, live_server: Any, actors: dict) -> None:
    a_row_of_every_model(actors)
    _rows_of_the_other_apps()
    pages = _admin_pages()
    context = _signed_in(browser, live_server.url, actors["staff"].client)
    try:
        visit = _visit_all(context, live_server.url, pages)
    finally:
        context.close()
    _assert_clean(visit, "staff in the admin", pages)


def test_hardening_csp_the_page_of_a_refused_form_keeps_to_the_policy(browser: Browser, live_server: Any) -> None:
    """A form sent without its CSRF token gets the project's page, not Django's inline-styled one."""
    context = _signed_in(browser, live_server.url, None)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/login/")
        form = page.locator("main form:has(input[name=password])")
        form.locator("input[name=csrfmiddlewaretoken]").evaluate("input => input.remove()")
        form.locator("input[name=username]").fill("someone@example.com")
        form.locator("input[name=password]").fill("not the password")
        with page.expect_navigation():
            form.locator("[type=submit]").click()
        heading = page.locator("h1").inner_text()
        violations = page.evaluate("window.__cspViolations")
    finally:
        context.close()
    assert heading == "This form could not be sent"
    assert not violations


def test_hardening_csp_go_back_and_print_work_from_the_scripts_file(
    browser: Browser, live_server: Any, actors: dict
) -> None:
    """What were inline handlers (a javascript: link, onclick) now bound by static/js/app.js."""
    buyer = actors["buyer"]
    order = order_at(Order.Status.CONFIRMED, buyer=buyer.company, supplier=actors["supplier"].supplier)
    context = _signed_in(browser, live_server.url, buyer.client)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/belts/")
        page.goto(f"{live_server.url}/belts/?province=%00")  # refused: a control character (400 page)
        page.get_by_role("button", name="Go back").click()
        page.wait_for_url(f"{live_server.url}/belts/")

        page.goto(live_server.url + reverse("orders:order_print", args=[order.pk]))
        page.evaluate("window.print = () => { window.printed = true; }")  # headless Chromium prints nothing
        page.get_by_role("button", name="Print").click()
        printed = page.evaluate("window.printed === true")
        violations = page.evaluate("window.__cspViolations")
    finally:
        context.close()
    assert printed
    assert not violations


def test_hardening_csp_a_violation_is_caught(browser: Browser, live_server: Any) -> None:
    """The listeners above hear a violation: an inline style added to a page is refused and reported."""
    context = _signed_in(browser, live_server.url, None)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">injected</p>')")
        page.wait_for_function("window.__cspViolations.length > 0")
        (violation,) = page.evaluate("window.__cspViolations")
    finally:
        context.close()
    assert violation.startswith("style-src-attr refused inline")
