"""Browser tests: Playwright driving Debian's Chromium (headless) against pytest-django's live server.

Playwright's own browser downloads are never used (nothing here runs `playwright install`): the
browser is the distribution's /usr/bin/chromium, which .ci/run installs. A failing test leaves a
screenshot of its page in var/test-results/.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
RESULTS = Path(__file__).resolve().parent.parent.parent / "var" / "test-results"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    """Keep each phase's report on the test item, so a fixture can tell whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def _allow_database_access_beside_playwright() -> Iterator[None]:
    """Playwright's sync API runs an event loop in the test's thread, and Django refuses database
    access from a thread with a running loop ("You cannot call this from an async context").

    Set only while a browser test runs: left in the environment, it would reach subprocesses such
    as `check --deploy`, which rightly rejects it (async.E001).
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def playwright(live_server: object) -> Iterator[Playwright]:
    """Started per test, after the test database is set up and stopped before it is flushed.

    While Playwright's event loop runs, Django's per-context connection handling can give the
    test-case machinery a different connection object, and a flush that should keep the
    migrations' data (serialized_rollback) would then recreate content types under new keys,
    breaking the next serialized_rollback test. A browser start costs well under a second.
    """
    with sync_playwright() as driver:
        yield driver


@pytest.fixture
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium. "
            "Install it with `apt-get install chromium` (.ci/run does this)."
        )
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _open_page(browser: Browser, request: pytest.FixtureRequest, viewport: dict[str, int]) -> Iterator[Page]:
    context = browser.new_context(viewport=viewport, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"{request.node.name}.png"
        try:
            page.screenshot(path=str(path), full_page=True, timeout=5_000)
        except PlaywrightError:
            # A page that keeps changing may never settle for a full-page shot; the viewport will do.
            # The test's own failure is what matters, so a failed screenshot must not hide it.
            try:
                page.screenshot(path=str(path), timeout=5_000)
            except PlaywrightError as error:
                print(f"No screenshot of the failed page: {error}")
    # Leave the site before the test's database is flushed: a request still in flight (htmx
    # polling, say) would otherwise write to the database between this test and the next.
    page.goto("about:blank")
    context.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh desktop-sized browser tab with its own cookies, in English."""
    yield from _open_page(browser, request, DESKTOP)


@pytest.fixture
def phone_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh phone-sized browser tab (390×844), in English."""
    yield from _open_page(browser, request, PHONE)
