"""Indexes of the search table by belt and by category, each in lowest-price order (covering the
filter columns, as 0012's and 0015's), so that a browse by price within a belt or a category reads
that belt's or category's cheapest rows only.

Within Baigou at 1,000,000 products, the rows whose lowest price is under a page's bound (89 of
them) were found as the intersection of the belt's 15,783 rows and the 39,903 cheapest of the
catalog (a BitmapAnd: 10 ms of the page's 15); the belt's first rows by lowest price were read
walking the whole catalog's price index past every cheaper product of other belts. Built
concurrently: a live catalog keeps taking writes meanwhile (docs/scaling.md, "Zero-downtime
migrations").
"""

from django.db import migrations

from marketplace.migration_operations import PostgresOnly

_COVERED = ("category_id", "belt_id", "currency_id", "moq", "lead_time_days", "created_at")


def _include(key: str) -> str:
    """The filter columns a walk checks in the index, but the index's own key."""
    return f"INCLUDE ({', '.join(column for column in _COVERED if column != key)})"


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [("suppliers", "0019_search_word_sounds")]

    operations = [
        PostgresOnly(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS productsearch_belt_price ON suppliers_productsearch "
            f"(belt_id, min_unit_price, product_id) {_include('belt_id')}",
            "DROP INDEX CONCURRENTLY IF EXISTS productsearch_belt_price",
        ),
        PostgresOnly(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS productsearch_category_price ON suppliers_productsearch "
            f"(category_id, min_unit_price, product_id) {_include('category_id')}",
            "DROP INDEX CONCURRENTLY IF EXISTS productsearch_category_price",
        ),
    ]
