"""Rebuild the search text of every product and supplier, in batches (after changing the segmentation)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from suppliers.models import Product, SupplierProfile
from suppliers.search.index import products_reindex, suppliers_reindex


class Command(BaseCommand):
    help = "Recompute the search text of all products and suppliers, in batches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--products-only", action="store_true")
        parser.add_argument("--suppliers-only", action="store_true")

    def handle(self, *args: Any, batch_size: int, products_only: bool, suppliers_only: bool, **options: Any) -> None:
        batch_size = max(1, batch_size)
        self.verbosity = int(options.get("verbosity", 1))
        if not suppliers_only:
            count = self._in_batches(Product, products_reindex, "product_ids", batch_size)
            self.stdout.write(f"Reindexed {count} products.")
        if not products_only:
            count = self._in_batches(SupplierProfile, suppliers_reindex, "supplier_ids", batch_size)
            self.stdout.write(f"Reindexed {count} suppliers.")

    def _in_batches(self, model: Any, reindex: Any, argument: str, batch_size: int) -> int:
        """Walk the table by primary key, one short transaction per batch, so nothing is locked for long."""
        done, last = 0, 0
        while True:
            ids = list(model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not ids:
                return done
            with transaction.atomic():
                done += reindex(**{argument: ids})
            last = ids[-1]
            if self.verbosity > 1:
                self.stdout.write(f"  {model._meta.verbose_name_plural}: {done}")
