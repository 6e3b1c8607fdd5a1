"""`python manage.py seed_demo`: load or refresh the demo data and print how to log in.

The command lives in the project package because it seeds every app, each with its own seeder:
the kernel's data (`marketplace.demo.seed_demo`: categories, belts, rates, accounts) first, then
the belts' factories and the demo supplier (`suppliers.demo.factories`), their catalogs
(`suppliers.demo.catalog`), then open sourcing requests from buyers in several countries
(`buyers.demo.rfqs`), matched and notified, the demo deals (`orders.demo.deals`) and the 32 plush
factories' quotes on the mascot RFQ of story 3 (`orders.demo.mascots`).
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from buyers.demo.insights import seed_demo_demand
from buyers.demo.rfqs import seed_demo_rfqs
from marketplace.demo import seed_demo
from marketplace.demo.accounts import DEFAULT_PASSWORD
from orders.demo.deals import seed_demo_deals
from orders.demo.mascots import seed_demo_mascot_quotes
from suppliers.demo.belt_managers import seed_demo_belt_manager
from suppliers.demo.catalog import seed_demo_catalog
from suppliers.demo.factories import seed_demo_suppliers
from suppliers.demo.metric_history import seed_demo_metric_history
from suppliers.demo.onboarding import seed_demo_onboarding
from suppliers.demo.verification import seed_demo_verification
from suppliers.search.spelling import vocabulary_refresh


class Command(BaseCommand):
    help = "Load the demo data (belts, categories, exchange rates, companies, accounts, catalogs). Safe to run again."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help="Password for every demo account (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = seed_demo(password=options["password"])
        suppliers = seed_demo_suppliers(password=options["password"])
        catalog = seed_demo_catalog()
        vocabulary_refresh()  # the words misspelt searches are corrected against (hourly in production)
        rfqs = seed_demo_rfqs(password=options["password"])
        deals = seed_demo_deals()
        deals.quotes += seed_demo_mascot_quotes()
        belt_manager = seed_demo_belt_manager(password=options["password"])
        seed_demo_verification()
        invited = seed_demo_onboarding()
        seed_demo_metric_history()
        demand = seed_demo_demand()
        self.stdout.write(
            f"Demo data ready: {summary.categories} categories, {summary.belts} industrial belts, "
            f"{suppliers} suppliers, {summary.rates} exchange rates, "
            f"{catalog.products} products ({catalog.created} new), {rfqs} new sourcing requests, "
            f"{deals.quotes} quotes, {deals.orders} orders and {deals.messages} messages added."
        )
        self.stdout.write(
            f"Belt onboarding: {invited} factories invited to the Pinghu luggage belt; demand history: "
            f"{demand} new sourcing requests over eight weeks, with a surge in sorting bins this week."
        )
        self.stdout.write("")
        self.stdout.write("Log in with:")
        for email, role in [*summary.accounts, (belt_manager, "belt manager (Taizhou plastics)")]:
            self.stdout.write(f"  {email:<34} password: {summary.password:<24} {role}")
        self.stdout.write(
            self.style.SUCCESS("Every demo factory's owner (<belt>-<n>@demo.sourcebelt.local) has the same password.")
        )
