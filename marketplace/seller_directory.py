"""Who sells in a belt or a category, for the kernel's public belt and category pages.

The sellers are rows of a higher app, which the kernel may not name. That app hands the kernel
its directory in its AppConfig.ready() (as it registers its notification kinds): the kernel
defines what it asks, the app answers with its own queries. Without one, the pages list nobody.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from django.db.models import QuerySet

from marketplace.models import Category, IndustrialBelt


class SellerDirectory(Protocol):
    def in_belt(self, belt: IndustrialBelt) -> Iterable[object]:
        """The active sellers of a belt, in the order the page lists them."""
        ...

    def in_categories(self, categories: QuerySet[Category], *, limit: int) -> Sequence[object]:
        """At most `limit` active sellers of any of these categories, in the order the page lists them."""
        ...


class _Nobody:
    def in_belt(self, belt: IndustrialBelt) -> Sequence[object]:
        return []

    def in_categories(self, categories: QuerySet[Category], *, limit: int) -> Sequence[object]:
        return []


_directory: SellerDirectory = _Nobody()


def register_seller_directory(directory: SellerDirectory) -> None:
    global _directory
    _directory = directory


def seller_directory() -> SellerDirectory:
    return _directory
