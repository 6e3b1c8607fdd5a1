"""Shared set-up of the suppliers tests."""

from __future__ import annotations

import pytest

from tests.factories import CurrencyFactory


@pytest.fixture(autouse=True)
def _currencies(db: None) -> None:
    """The currencies offered at sign-up. Seeded by a migration, but a transactional test elsewhere may flush them."""
    for code in ("USD", "EUR", "CNY", "LKR", "RUB"):
        CurrencyFactory(code=code)
