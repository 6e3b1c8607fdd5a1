"""Indexes for every sort of a product search to walk, so a page reads about its own rows
(suppliers.search.browse): the search table by newest (0006's, now covering), lowest price, MOQ and
lead time, and the price tiers by price, for the price at a quantity. Each takes seconds at
1,000,000 products; the search table's are read by index-only scans, so it is vacuumed after
(its visibility map), as autovacuum keeps it on a live site."""

from django.db import migrations, models

from marketplace.migration_operations import PostgresOnly


# Each sort's index carries the columns the filters read (INCLUDE), so a walk checks belt, category,
# currency, price, MOQ and lead time in the index itself (an index-only scan: the search table's
# rows are wide, ~5 to a page, for their vector), and so does the look-up of one product's row
# (`productsearch_filters`) when the price at a quantity walks the tiers.
_COLUMNS = "category_id, belt_id, currency_id, min_unit_price, moq, lead_time_days, created_at"
_INDEXES = f"""
DROP INDEX IF EXISTS productsearch_newest;
CREATE INDEX productsearch_newest ON suppliers_productsearch (created_at DESC, product_id DESC)
    INCLUDE (category_id, belt_id, currency_id, min_unit_price, moq, lead_time_days);
CREATE INDEX productsearch_price ON suppliers_productsearch (min_unit_price, product_id) INCLUDE ({_COLUMNS});
CREATE INDEX productsearch_moq ON suppliers_productsearch (moq, product_id) INCLUDE ({_COLUMNS});
CREATE INDEX productsearch_lead_time ON suppliers_productsearch (lead_time_days, product_id) INCLUDE ({_COLUMNS});
CREATE UNIQUE INDEX productsearch_filters ON suppliers_productsearch (product_id) INCLUDE ({_COLUMNS});
"""
_DROP = """
DROP INDEX IF EXISTS productsearch_price; DROP INDEX IF EXISTS productsearch_moq;
DROP INDEX IF EXISTS productsearch_lead_time; DROP INDEX IF EXISTS productsearch_filters;
DROP INDEX IF EXISTS productsearch_newest;
CREATE INDEX productsearch_newest ON suppliers_productsearch (created_at DESC, product_id DESC);
"""


class Migration(migrations.Migration):
    atomic = False  # VACUUM runs outside a transaction

    dependencies = [("suppliers", "0011_product_text_md5")]

    operations = [
        migrations.AddIndex(
            model_name="pricetier",
            index=models.Index(fields=["unit_price", "product"], include=["min_quantity"], name="price_tier_price_product"),
        ),
        PostgresOnly(_INDEXES, _DROP),
        PostgresOnly("VACUUM (ANALYZE) suppliers_productsearch", migrations.RunSQL.noop),
    ]
