"""Shared test set-up: real PostgreSQL and Redis (see scripts/run-tests), fake e-mail and clocks.

The suite runs in parallel (pytest-xdist, one process per core): each process has its own test
database (pytest-django adds the worker's name) and its own Redis database (`_redis_url_of_this_process`),
so one process clearing its cache never empties another's.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from io import StringIO
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.utils import timezone, translation

from marketplace.currencies import CURRENCIES
from marketplace.demo.rates import RECORDED_ECB_FILE, USD_RATES
from marketplace.models import Company, ExchangeRate, User
from marketplace.services.exchange_rates import ecb_rates_parse
from sourcebelt.celery import app as celery_app
from sourcebelt.outages import outages_forget
from suppliers.models import SupplierProfile
from suppliers.search.kept import forget_all as search_kept_forget
from tests.factories import (
    CompanyFactory,
    MembershipFactory,
    StaffFactory,
    SupplierProfileFactory,
    UserFactory,
)
from tests.translation_server import TranslationServer


def _redis_url_of_this_process(url: str, worker: str | None) -> str:
    """The Redis database of this test process: the configured one, moved up by the xdist worker's number."""
    if not url or not worker or not worker.startswith("gw"):
        return url
    parts = urlsplit(url)
    base = int(parts.path.lstrip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(base + int(worker[2:])) % 16}"))


REDIS_URL = _redis_url_of_this_process(settings.REDIS_URL, os.environ.get("PYTEST_XDIST_WORKER"))
if REDIS_URL:
    # Processes a test starts (a Celery worker) inherit it, and so use this process's Redis database too.
    os.environ["REDIS_URL"] = REDIS_URL


def _process_settings() -> dict[str, Any]:
    """The settings that point this test process at its own Redis database."""
    if not REDIS_URL:
        return {}
    return {
        "REDIS_URL": REDIS_URL,
        "CACHES": {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": REDIS_URL}},
    }


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every transactional test keeps the migrations' data (serialized_rollback=True); the tests on
    the demo data run last.

    A transactional test without serialized_rollback flushes at teardown and re-runs post_migrate,
    which recreates content types; the next serialized_rollback test then fails to restore its
    snapshot (duplicate content types) — an error that depends on test order. Refuse it at collection.

    The demo data is seeded once per test process, in a transaction that stays open until the
    process ends (see `demo`); so the tests that use it come after all the others. pytest-xdist
    hands each process its tests in collection order, so this holds in every process.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: use pytest.mark.django_db(transaction=True, serialized_rollback=True) "
                "so that the migrations' data survives the flush (see tests/conftest.py)."
            )
        if "demo" in getattr(item, "fixturenames", ()) and marker and marker.kwargs.get("transaction"):
            raise pytest.UsageError(
                f"{item.nodeid}: the `demo` fixture is for tests inside a transaction; a transactional "
                "test (a browser test) seeds its own demo data."
            )
    items.sort(key=lambda item: "demo" in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory: pytest.TempPathFactory) -> object:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _test_settings(settings: object, _media_root: object) -> None:
    """Only what a test run must change: a fast hasher, e-mail to the outbox, tasks in-process."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SECURE_SSL_REDIRECT = False
    settings.MEDIA_ROOT = _media_root  # uploads made by tests never land in var/media
    settings.PRIVATE_MEDIA_ROOT = _media_root / "private"  # nor in var/private
    settings.SESSION_COOKIE_SECURE = False
    for name, value in _process_settings().items():
        setattr(settings, name, value)
    settings.CSRF_COOKIE_SECURE = False
    settings.TRANSLATION_PROVIDER = ""  # no machine translation unless a test starts its server
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _celery_eager() -> object:
    """Tasks run in-process in ordinary tests; the worker tests start a real worker instead."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def translation_server(settings: Any) -> Iterator[TranslationServer]:
    """A local LibreTranslate-speaking server (tests/translation_server.py), configured as the
    site's translation provider for the test."""
    with TranslationServer() as server:
        settings.TRANSLATION_PROVIDER = "libretranslate"
        settings.TRANSLATION_URL = server.url
        settings.TRANSLATION_API_KEY = ""
        settings.TRANSLATION_TIMEOUT_SECONDS = 5.0
        yield server


@pytest.fixture(autouse=True)
def _clear_cache(_test_settings: None) -> None:
    """An empty cache for each test: this process's own Redis database, once the settings point at it.
    No outage of Redis a test caused (sourcebelt/outages.py) is remembered into the next test."""
    outages_forget()
    cache.clear()
    # What a search process keeps (the facets' names, the newest rows' windows, the sort tokens' shares).
    search_kept_forget()


@pytest.fixture(autouse=True)
def _default_language() -> object:
    """Each test starts and ends in the site's default language: a page read in Chinese (a request
    with a language cookie activates it in the thread) must not leak into the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


_demo_seeded = False


@pytest.fixture(scope="session")
def _demo_data(django_db_setup: None, django_db_blocker: Any, _media_root: Any) -> Iterator[str]:
    """`seed_demo`, run once per test process, in a transaction that is rolled back when the process ends.

    The tests that ask for `demo` run last (pytest_collection_modifyitems); each one runs in a
    savepoint inside that transaction, as any database test does, so what it changes is undone
    and the next one finds the demo data as seeded.
    """
    global _demo_seeded
    test_settings = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        MEDIA_ROOT=_media_root,
        PRIVATE_MEDIA_ROOT=_media_root / "private",
        **_process_settings(),
    )
    eager = celery_app.conf.task_always_eager
    with django_db_blocker.unblock(), test_settings:
        celery_app.conf.task_always_eager = True
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = StringIO()
            # As `manage.py seed_demo` runs them: what waits for a commit (matching, notices) runs too.
            with TestCase.captureOnCommitCallbacks(execute=True):
                call_command("seed_demo", stdout=out)
            _demo_seeded = True
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            celery_app.conf.task_always_eager = eager
            _demo_seeded = False


@pytest.fixture
def demo(_demo_data: str, db: None) -> str:
    """The demo data as `manage.py seed_demo` leaves it; the value is what the command printed."""
    return _demo_data


@pytest.fixture(autouse=True)
def _no_demo_data_where_not_asked(request: pytest.FixtureRequest) -> None:
    if _demo_seeded and "demo" not in request.fixturenames:
        pytest.fail(
            "This test would run on the demo data seeded for the tests before it: "
            "the tests that use the `demo` fixture must run last (see tests/conftest.py)."
        )


_RECORDED_RATES: list[tuple[str, str, Decimal]] = []


def _recorded_rates() -> list[tuple[str, str, Decimal]]:
    """(base, quote, rate) for every installed currency: the recorded ECB file's euro rates, and the
    demo's dollar rates for the currencies the ECB does not publish. Read once per process."""
    if not _RECORDED_RATES:
        known = {code for code, *_ in CURRENCIES}
        ecb = ecb_rates_parse(RECORDED_ECB_FILE.read_bytes()).rates
        _RECORDED_RATES.extend(("EUR", code, rate) for code, rate in ecb.items() if code in known)
        _RECORDED_RATES.extend(
            ("USD", code, Decimal(rate)) for code, rate in USD_RATES.items() if code in known and code not in ecb
        )
    return _RECORDED_RATES


@pytest.fixture(autouse=True)
def _offered_currencies(request: pytest.FixtureRequest) -> None:
    """Every installed currency is offered in a database test, as in a live installation whose feed
    runs: one bulk insert of the recorded rates (see `_recorded_rates`).

    They are dated on the oldest day that still counts as fresh (EXCHANGE_RATE_MAX_AGE_DAYS ago), so
    any rate a test stores itself for a later day is the one its conversions use. A test that sets up
    its own rates, or counts them, says `@pytest.mark.own_exchange_rates`; the demo has its own.
    """
    names = request.fixturenames
    wants_db = request.node.get_closest_marker("django_db") is not None or {"db", "transactional_db"} & set(names)
    if not wants_db or "demo" in names or request.node.get_closest_marker("own_exchange_rates"):
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in names else "db")
    day = timezone.localdate() - timedelta(days=settings.EXCHANGE_RATE_MAX_AGE_DAYS)
    ExchangeRate.objects.bulk_create(
        [
            ExchangeRate(base_id=base, quote_id=quote, rate=rate, valid_on=day, source="recorded for the tests")
            for base, quote, rate in _recorded_rates()
        ],
        ignore_conflicts=True,
    )


@dataclass
class Actor:
    """Someone using the site: a user, the company it acts for (if any), a logged-in client."""

    label: str
    user: User | None
    company: Company | None
    client: Client
    supplier: SupplierProfile | None = None


def _logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _buyer(label: str, country: str) -> Actor:
    membership = MembershipFactory(company=CompanyFactory(country=country))
    return Actor(label, membership.user, membership.company, _logged_in(membership.user))


def _supplier(label: str) -> Actor:
    """A Chinese-speaking supplier whose browser session chose English with the language switcher
    (so the pages the tests read are in English; e-mails still follow the user's language)."""
    profile = SupplierProfileFactory()
    user = UserFactory(preferred_language="zh-hans")
    MembershipFactory(user=user, company=profile.company)
    client = _logged_in(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return Actor(label, user, profile.company, client, supplier=profile)


def _staff(label: str) -> Actor:
    staff = StaffFactory()
    return Actor(label, staff, None, _logged_in(staff))


ACTOR_BUILDERS: dict[str, Callable[[], Actor]] = {
    "anonymous": lambda: Actor("anonymous", None, None, Client()),
    "buyer": lambda: _buyer("buyer", "LK"),
    "other_buyer": lambda: _buyer("other_buyer", "DE"),
    "supplier": lambda: _supplier("supplier"),
    "other_supplier": lambda: _supplier("other_supplier"),
    "staff": lambda: _staff("staff"),
}


class Actors(Mapping[str, Actor]):
    """The six actors of the permission matrix, each built when a test first asks for it.

    A test that uses only the buyer and the supplier builds only those two (their companies,
    memberships and sessions); the permission matrix walks all six.
    """

    def __init__(self) -> None:
        self._built: dict[str, Actor] = {}

    def __getitem__(self, label: str) -> Actor:
        if label not in self._built:
            self._built[label] = ACTOR_BUILDERS[label]()
        return self._built[label]

    def __iter__(self) -> Iterator[str]:
        return iter(ACTOR_BUILDERS)

    def __len__(self) -> int:
        return len(ACTOR_BUILDERS)


@pytest.fixture
def actors(db: None) -> Actors:
    """The six actors (anonymous, buyer, other_buyer, supplier, other_supplier, staff), built on first use."""
    return Actors()
