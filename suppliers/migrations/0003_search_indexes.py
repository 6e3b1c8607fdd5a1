"""PostgreSQL search indexes: full text over the segmented words, trigrams for fuzzy titles.

On SQLite (the demo default) nothing is created: search there uses the plain fallback. Queries
must use exactly the indexed expression `to_tsvector('simple'::regconfig, search_text)`.
"""

from django.db import migrations

from marketplace.migration_operations import PostgresOnly


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0002_catalog")]

    operations = [
        PostgresOnly("CREATE EXTENSION IF NOT EXISTS pg_trgm", migrations.RunSQL.noop),
        PostgresOnly(
            "CREATE INDEX product_search_fts ON suppliers_product "
            "USING gin (to_tsvector('simple'::regconfig, search_text)) WHERE status = 'published'",
            "DROP INDEX IF EXISTS product_search_fts",
        ),
        PostgresOnly(
            "CREATE INDEX product_title_trgm ON suppliers_product USING gin (title gin_trgm_ops) "
            "WHERE status = 'published'",
            "DROP INDEX IF EXISTS product_title_trgm",
        ),
        PostgresOnly(
            "CREATE INDEX product_sku_lower ON suppliers_product (lower(sku))",
            "DROP INDEX IF EXISTS product_sku_lower",
        ),
        PostgresOnly(
            "CREATE INDEX supplier_search_fts ON suppliers_supplierprofile "
            "USING gin (to_tsvector('simple'::regconfig, search_text))",
            "DROP INDEX IF EXISTS supplier_search_fts",
        ),
        PostgresOnly(
            "CREATE INDEX supplier_name_trgm ON suppliers_supplierprofile USING gin (name gin_trgm_ops)",
            "DROP INDEX IF EXISTS supplier_name_trgm",
        ),
    ]
