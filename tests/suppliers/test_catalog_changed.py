"""Matching hears of a supplier's catalog change once per transaction, however many products it wrote."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from suppliers.signals import catalog_changed, catalog_changed_on_commit
from tests.factories import SupplierProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard() -> Iterator[list[int]]:
    """The supplier ids `catalog_changed` announced, in order."""
    ids: list[int] = []

    def listen(sender: object, supplier_id: int, **kwargs: Any) -> None:
        ids.append(supplier_id)

    catalog_changed.connect(listen, weak=False, dispatch_uid="test-heard")
    yield ids
    catalog_changed.disconnect(dispatch_uid="test-heard")


def test_an_import_of_many_products_announces_each_supplier_once_after_commit(
    heard: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    bags, toys = SupplierProfileFactory(), SupplierProfileFactory()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for _product in range(3):
            catalog_changed_on_commit(supplier_id=bags.pk)
        catalog_changed_on_commit(supplier_id=toys.pk)
        catalog_changed_on_commit(supplier_id=bags.pk)
        assert heard == []  # nothing before the commit
    assert heard == [bags.pk, toys.pk]


def test_a_change_rolled_back_does_not_swallow_the_one_that_stays(
    heard: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    bags = SupplierProfileFactory()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        try:
            with transaction.atomic():
                catalog_changed_on_commit(supplier_id=bags.pk)
                raise RuntimeError("the first product fails")
        except RuntimeError:
            pass
        catalog_changed_on_commit(supplier_id=bags.pk)
    assert heard == [bags.pk]


def test_each_transaction_announces_again(heard: list[int], django_capture_on_commit_callbacks: Any) -> None:
    bags = SupplierProfileFactory()
    for _import in range(2):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            catalog_changed_on_commit(supplier_id=bags.pk)
    assert heard == [bags.pk, bags.pk]
