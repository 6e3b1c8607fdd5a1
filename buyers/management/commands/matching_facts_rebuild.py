"""Rewrite the matching facts of every supplier from its published products, in batches.

For existing data (the migration fills the table once), after a bulk change that bypassed the
catalog services (a script, a restore, `bench/generate_catalog.py`), or as a periodic repair.
Matching keeps working meanwhile: each batch is one short transaction.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from buyers.services.matching import FACTS_REBUILD_BATCH, supplier_category_facts_rebuild


class Command(BaseCommand):
    help = "Rewrite the matching facts (supplier × category × unit) of every supplier, in batches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=FACTS_REBUILD_BATCH, help="suppliers per transaction")

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        started = time.perf_counter()
        suppliers, rows = supplier_category_facts_rebuild(batch_size=max(1, batch_size))
        self.stdout.write(
            f"Rewrote the matching facts of {suppliers} suppliers: {rows} rows "
            f"in {time.perf_counter() - started:.1f} s."
        )
