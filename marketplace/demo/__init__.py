"""The demo data `python manage.py seed_demo` loads: real belts, a bilingual category tree, rates, accounts."""

from marketplace.demo.seed import DemoSummary, seed_demo

__all__ = ["DemoSummary", "seed_demo"]
