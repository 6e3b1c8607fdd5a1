"""Shared test set-up: real PostgreSQL and Redis (see scripts/run-tests), fake e-mail and clocks."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from marketplace.models import Company, User
from sourcebelt.celery import app as celery_app
from suppliers.models import SupplierProfile
from tests.factories import (
    CompanyFactory,
    MembershipFactory,
    StaffFactory,
    SupplierProfileFactory,
    UserFactory,
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every transactional test keeps the migrations' data (serialized_rollback=True).

    A transactional test without it flushes at teardown and re-runs post_migrate, which recreates
    content types; the next serialized_rollback test then fails to restore its snapshot
    (duplicate content types) — an error that depends on test order. Refuse it at collection.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: use pytest.mark.django_db(transaction=True, serialized_rollback=True) "
                "so that the migrations' data survives the flush (see tests/conftest.py)."
            )


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
    settings.CSRF_COOKIE_SECURE = False
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


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> object:
    """Each test starts and ends in the site's default language: a page read in Chinese (a request
    with a language cookie activates it in the thread) must not leak into the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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


@pytest.fixture
def actors(db: None) -> dict[str, Actor]:
    """The six actors of the permission matrix."""

    def buyer(label: str, country: str) -> Actor:
        membership = MembershipFactory(company=CompanyFactory(country=country))
        return Actor(label, membership.user, membership.company, _logged_in(membership.user))

    def supplier(label: str) -> Actor:
        profile = SupplierProfileFactory()
        user = UserFactory(preferred_language="zh-hans")
        MembershipFactory(user=user, company=profile.company)
        return Actor(label, user, profile.company, _logged_in(user), supplier=profile)

    staff = StaffFactory()
    return {
        "anonymous": Actor("anonymous", None, None, Client()),
        "buyer": buyer("buyer", "LK"),
        "other_buyer": buyer("other_buyer", "DE"),
        "supplier": supplier("supplier"),
        "other_supplier": supplier("other_supplier"),
        "staff": Actor("staff", staff, None, _logged_in(staff)),
    }
