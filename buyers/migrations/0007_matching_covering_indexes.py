"""Covering indexes for the ranked candidate query (buyers/matching/candidates.py, PostgreSQL only).

The query reads, for the RFQ's category subtree, a few narrow columns of the matching facts, the
product lines and the suppliers' main categories. With these indexes each is an index-only scan:
the facts rows also hold the products' words (wide), which the ranking does not need.
"""

from django.db import migrations

from marketplace.migration_operations import PostgresOnly

INDEXES = [
    (
        "supplier_category_facts_ranking",
        "CREATE INDEX supplier_category_facts_ranking ON buyers_suppliercategoryfacts (category_id) "
        "INCLUDE (supplier_id, unit, products, lowest_moq, fastest_lead_time, largest_capacity)",
    ),
    (
        "product_line_capacity_ranking",
        "CREATE INDEX product_line_capacity_ranking ON suppliers_productlinecapacity (category_id, unit) "
        "INCLUDE (supplier_id, monthly_capacity)",
    ),
    (
        "supplier_main_category_ranking",
        "CREATE INDEX supplier_main_category_ranking ON suppliers_supplierprofile_main_categories (category_id) "
        "INCLUDE (supplierprofile_id)",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("buyers", "0006_demand_insights"),
        ("suppliers", "0008_onboarding_and_verification"),
    ]

    operations = [
        PostgresOnly([f"DROP INDEX IF EXISTS {name}", create], f"DROP INDEX IF EXISTS {name}")
        for name, create in INDEXES
    ]
