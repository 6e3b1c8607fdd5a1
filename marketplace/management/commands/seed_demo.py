"""`python manage.py seed_demo`: load or refresh the demo data and print how to log in."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from marketplace.demo import seed_demo
from marketplace.demo.accounts import DEFAULT_PASSWORD


class Command(BaseCommand):
    help = "Load the demo data (belts, categories, exchange rates, companies, accounts). Safe to run again."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help="Password for every demo account (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = seed_demo(password=options["password"])
        self.stdout.write(
            f"Demo data ready: {summary.categories} categories, {summary.belts} industrial belts, "
            f"{summary.suppliers} suppliers, {summary.rates} exchange rates."
        )
        self.stdout.write("")
        self.stdout.write("Log in with:")
        for email, role in summary.accounts:
            self.stdout.write(f"  {email:<34} password: {summary.password:<24} {role}")
        self.stdout.write(
            self.style.SUCCESS("Every demo factory's owner (<belt>-<n>@demo.sourcebelt.local) has the same password.")
        )
