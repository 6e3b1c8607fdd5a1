"""Indexes for every sort of a product search to walk, so a page reads about its own rows
(suppliers.search.browse): the search table by lowest price, MOQ and lead time (by newest it has
one since 0006), and the price tiers by price, for the price at a quantity. Each takes seconds at
1,000,000 products."""

from django.db import migrations, models


class PostgresOnly(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


_INDEXES = """
CREATE INDEX productsearch_price ON suppliers_productsearch (min_unit_price, product_id);
CREATE INDEX productsearch_moq ON suppliers_productsearch (moq, product_id);
CREATE INDEX productsearch_lead_time ON suppliers_productsearch (lead_time_days, product_id);
"""
_DROP = (
    "DROP INDEX IF EXISTS productsearch_price; DROP INDEX IF EXISTS productsearch_moq; "
    "DROP INDEX IF EXISTS productsearch_lead_time"
)


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0011_product_text_md5")]

    operations = [
        migrations.AddIndex(
            model_name="pricetier",
            index=models.Index(fields=["unit_price", "product"], name="price_tier_price_product"),
        ),
        PostgresOnly(_INDEXES, _DROP),
        PostgresOnly("ANALYZE suppliers_productsearch", migrations.RunSQL.noop),
    ]
