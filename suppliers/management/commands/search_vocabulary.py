"""Rebuild the catalog's vocabulary (the words misspelt queries are corrected against) now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from suppliers.search.spelling import vocabulary_refresh


class Command(BaseCommand):
    help = (
        "Bring the search vocabulary (the words misspelt queries are corrected against) up to date with "
        "the catalog; Celery beat does it hourly. Run it after an upgrade or a bulk load."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = vocabulary_refresh()
        self.stdout.write(f"{done.words} words: {done.written} written, {done.removed} removed.")
