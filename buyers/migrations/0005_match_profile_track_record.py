"""The profile index matching reads gains the track-record facts (ratings, on-time rate).

`supplier_match_profile` lets the candidate query read each candidate's profile facts from a
narrow index instead of the wide profile rows (buyers/0003); matching now also scores buyers'
ratings and the on-time delivery rate, so they join the included columns. PostgreSQL only.
"""

from django.db import migrations

from marketplace.migration_operations import PostgresOnly

OLD = (
    "CREATE INDEX supplier_match_profile ON suppliers_supplierprofile (id) INCLUDE (company_id, belt_id, "
    "is_active, verification_status, response_rate, response_median_minutes, export_markets)"
)
NEW = (
    "CREATE INDEX supplier_match_profile ON suppliers_supplierprofile (id) INCLUDE (company_id, belt_id, "
    "is_active, verification_status, response_rate, response_median_minutes, export_markets, "
    "rating_average, rating_count, on_time_rate)"
)
DROP = "DROP INDEX IF EXISTS supplier_match_profile"


class Migration(migrations.Migration):
    dependencies = [
        ("buyers", "0004_facts_product_words"),
        ("suppliers", "0007_order_figures"),
    ]

    operations = [
        PostgresOnly([DROP, NEW], [DROP, OLD]),
    ]
