"""PostgreSQL search: a stored tsvector instead of an expression index, and an index to walk the newest.

`search_vector` is `to_tsvector('simple', search_text)` computed by PostgreSQL when a row is written
(GENERATED ... STORED), so neither the recheck of a GIN bitmap nor ts_rank recomputes it from the
text. The Django models do not declare the column (SQLite has none): queries name it through
`suppliers.search.expressions`. `product_published_newest` lets a search walk the newest published
products and stop after the first candidates for common words (see `suppliers.search.service`).

On SQLite (the demo default) nothing is done: search there uses the plain fallback.
"""

from django.db import migrations

from marketplace.migration_operations import PostgresOnly


_VECTOR = "tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED"


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0003_search_indexes")]

    operations = [
        # The old expression indexes go first: adding a stored column rewrites the table and its indexes.
        PostgresOnly(
            "DROP INDEX IF EXISTS product_search_fts",
            "CREATE INDEX product_search_fts ON suppliers_product "
            "USING gin (to_tsvector('simple'::regconfig, search_text)) WHERE status = 'published'",
        ),
        PostgresOnly(
            f"ALTER TABLE suppliers_product ADD COLUMN search_vector {_VECTOR}",
            "ALTER TABLE suppliers_product DROP COLUMN search_vector",
        ),
        PostgresOnly(
            "CREATE INDEX product_search_vector ON suppliers_product USING gin (search_vector) "
            "WHERE status = 'published'",
            "DROP INDEX IF EXISTS product_search_vector",
        ),
        PostgresOnly(
            "CREATE INDEX product_published_newest ON suppliers_product (created_at DESC, id DESC) "
            "WHERE status = 'published'",
            "DROP INDEX IF EXISTS product_published_newest",
        ),
        PostgresOnly(
            "DROP INDEX IF EXISTS supplier_search_fts",
            "CREATE INDEX supplier_search_fts ON suppliers_supplierprofile "
            "USING gin (to_tsvector('simple'::regconfig, search_text))",
        ),
        PostgresOnly(
            f"ALTER TABLE suppliers_supplierprofile ADD COLUMN search_vector {_VECTOR}",
            "ALTER TABLE suppliers_supplierprofile DROP COLUMN search_vector",
        ),
        PostgresOnly(
            "CREATE INDEX supplier_search_vector ON suppliers_supplierprofile USING gin (search_vector)",
            "DROP INDEX IF EXISTS supplier_search_vector",
        ),
        # The planner's estimates of how many rows a word matches come from the column's statistics.
        PostgresOnly("ANALYZE suppliers_product", migrations.RunSQL.noop),
        PostgresOnly("ANALYZE suppliers_supplierprofile", migrations.RunSQL.noop),
    ]
