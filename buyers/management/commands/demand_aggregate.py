"""`python manage.py demand_aggregate [--full]`: bring the weekly demand up to date now.

Without options: the incremental run the periodic task makes (the weeks touched since the last
run). `--full` recomputes every week, as after a change to a belt's specialties.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from buyers.insights.aggregation import demand_aggregate


class Command(BaseCommand):
    help = "Aggregate the weekly demand (incrementally, or every week with --full) and detect surges."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--full", action="store_true", help="recompute every week, not only those touched")

    def handle(self, *args: Any, **options: Any) -> None:
        result = demand_aggregate(full=options["full"])
        self.stdout.write(
            f"{len(result.weeks)} weeks recomputed ({result.rows} rows), {len(result.surges)} new surges, "
            f"{result.alerts} alerts, in {result.seconds:.1f} s."
        )
