"""An import whose task was lost (the broker was down) or whose worker was killed still runs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from suppliers.models import CatalogImport, Product
from suppliers.services.imports import STALE_RUN_AFTER
from suppliers.tasks.relays import imports_relay_task
from tests.factories import CategoryFactory
from tests.suppliers.test_import import csv_bytes, latest_import, row, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def bags(db: None) -> Any:
    return CategoryFactory(slug="transparent-backpacks", name_en="Transparent backpacks", name_zh="透明书包")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def _started_with_the_task_lost(actor: Any) -> CatalogImport:
    """The supplier starts a checked import; the task queued after commit never reaches a worker
    (the test's transaction runs no on-commit work, as a broker that was down would lose it)."""
    upload(actor, csv_bytes([row("BG-001"), row("BG-002")]))
    catalog_import = latest_import(actor)
    response = actor.client.post(reverse("suppliers:import_start", args=[catalog_import.pk]))
    assert response.status_code == 302
    catalog_import.refresh_from_db()
    return catalog_import


def _due_now(catalog_import: CatalogImport) -> None:
    """The clock moves past the import's due time (what the relay waits for)."""
    CatalogImport.objects.filter(pk=catalog_import.pk).update(run_due_at=timezone.now() - timedelta(seconds=1))


def test_an_import_whose_task_was_lost_is_run_by_the_relay_once_its_lease_passes(actors: dict, bags: Any) -> None:
    supplier = actors["supplier"]
    catalog_import = _started_with_the_task_lost(supplier)
    assert catalog_import.status == CatalogImport.Status.QUEUED
    assert catalog_import.run_due_at is not None
    assert imports_relay_task() == 0  # its task may still be on its way: not yet

    _due_now(catalog_import)
    assert imports_relay_task() == 1

    catalog_import.refresh_from_db()
    assert catalog_import.status == CatalogImport.Status.DONE
    assert catalog_import.run_due_at is None
    assert sorted(Product.objects.filter(supplier=supplier.supplier).values_list("sku", flat=True)) == [
        "BG-001",
        "BG-002",
    ]
    assert imports_relay_task() == 0


def test_an_import_left_running_by_a_killed_worker_is_taken_over_when_it_goes_stale(actors: dict, bags: Any) -> None:
    supplier = actors["supplier"]
    catalog_import = _started_with_the_task_lost(supplier)
    # A worker took it and was killed with kill -9 after the first rows: RUNNING, and no task left.
    started = timezone.now() - STALE_RUN_AFTER - timedelta(minutes=1)
    CatalogImport.objects.filter(pk=catalog_import.pk).update(
        status=CatalogImport.Status.RUNNING, started_at=started, processed_rows=1, run_due_at=started + STALE_RUN_AFTER
    )

    assert imports_relay_task() == 1

    catalog_import.refresh_from_db()
    assert catalog_import.status == CatalogImport.Status.DONE
    assert catalog_import.processed_rows == 2
    assert Product.objects.filter(supplier=supplier.supplier).count() == 2


def test_an_import_still_running_is_not_taken_over_and_is_queued_again_less_and_less_often(
    actors: dict, bags: Any, settings: Any
) -> None:
    catalog_import = _started_with_the_task_lost(actors["supplier"])
    # Its worker is alive and busy (started a minute ago): a task queued again finds it claimed.
    CatalogImport.objects.filter(pk=catalog_import.pk).update(
        status=CatalogImport.Status.RUNNING, started_at=timezone.now() - timedelta(minutes=1)
    )
    waits = []
    for _ in range(3):
        _due_now(catalog_import)
        before = timezone.now()
        assert imports_relay_task() == 1
        catalog_import.refresh_from_db()
        assert catalog_import.status == CatalogImport.Status.RUNNING  # never run twice
        waits.append(round((catalog_import.run_due_at - before).total_seconds() / settings.RELAY_LEASE.total_seconds()))
    assert waits == [2, 4, 8]
    assert catalog_import.run_requeues == 3
