"""PostgreSQL search: a narrow table of the searchable products, kept current by triggers.

`suppliers_productsearch` holds one row per product a buyer can find (published, of an active
supplier): the columns a search filters, counts and ranks on, and `search_vector`, the product's
stored vector plus filter tokens (`~b<belt>`, `~c<category and each ancestor>`, `~p<province>`,
`~v` verified supplier, `~m` manufacturer, `~s` sample available, and `~CNY50` for every bound of
0.1, 0.2, 0.5, 1, 2, 5 ... 50000 at or above the lowest unit price in its currency; query words never
contain `~`), and `~书包` for every two Chinese characters stored next to each other (exactly what
the phrase '书' <-> '包' finds, from a short posting list instead of two long ones).
A filter is then one more lexeme of the tsquery, so the GIN index intersects a word with a belt or
a category (skipping through the common side) and a search reads a table of about a third of the
product table's size, never the product rows themselves (see `suppliers.search.service`).

The rows are derived data, like an index: PostgreSQL keeps them in the transaction of every write
that changes them (statement triggers with transition tables, so a bulk update refreshes its
products in one statement):

- products inserted, updated (only when a searched column changed), deleted or truncated;
- a supplier's activity, verification or business type changed: its products;
- a category moved (its path changed): the products of its subtree.

`suppliers_productsearch_source` is the one definition of a row (the backfill here, the triggers
and `bench/generate_catalog.py` use it). On SQLite (the demo default) nothing is created: the
model is unmanaged and search there uses the plain fallback on the product table.
"""

from django.db import migrations, models

from marketplace.migration_operations import PostgresOnly


_TABLE = """
CREATE TABLE suppliers_productsearch (
    product_id bigint PRIMARY KEY,
    supplier_id bigint NOT NULL,
    created_at timestamptz NOT NULL,
    category_id bigint NOT NULL,
    belt_id bigint,
    currency_id varchar(3) NOT NULL,
    min_unit_price numeric(14, 4),
    moq integer NOT NULL,
    lead_time_days smallint NOT NULL,
    search_vector tsvector NOT NULL
)
"""

_SOURCE = """
CREATE VIEW suppliers_productsearch_source AS
SELECT p.id AS product_id, p.supplier_id, p.created_at, p.category_id, p.belt_id, p.currency_id,
       p.min_unit_price, p.moq, p.lead_time_days,
       coalesce(p.search_vector, ''::tsvector) || array_to_tsvector(
           array_remove(
               ARRAY[
                   '~b' || p.belt_id::text,
                   '~p' || p.province,
                   CASE WHEN s.verification_status = 'verified' THEN '~v' END,
                   CASE WHEN s.business_type IN ('manufacturer', 'both') THEN '~m' END,
                   CASE WHEN p.sample_available THEN '~s' END
               ]
               || ARRAY(
                   SELECT DISTINCT '~c' || ancestor::bigint::text
                   FROM unnest(string_to_array(rtrim(c.path, '.'), '.')) AS ancestor
                   WHERE ancestor <> ''
               )
               || ('~c' || p.category_id::text)
               || ARRAY(
                   SELECT '~' || p.currency_id || bound
                   FROM unnest('{0.1,0.2,0.5,1,2,5,10,20,50,100,200,500,1000,2000,5000,10000,20000,50000}'::text[])
                       AS bound
                   WHERE p.min_unit_price <= bound::numeric
               )
               || ARRAY(
                   WITH characters AS (
                       SELECT word.lexeme, position
                       FROM unnest(p.search_vector) AS word, unnest(word.positions) AS position
                       WHERE word.lexeme ~ '^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]$'
                   )
                   SELECT DISTINCT '~' || first.lexeme || second.lexeme
                   FROM characters AS first JOIN characters AS second ON second.position = first.position + 1
               ),
               NULL
           )
       ) AS search_vector
FROM suppliers_product p
JOIN suppliers_supplierprofile s ON s.id = p.supplier_id
JOIN marketplace_category c ON c.id = p.category_id
WHERE p.status = 'published' AND s.is_active
"""

_REFRESH = """
CREATE FUNCTION suppliers_productsearch_refresh(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    DELETE FROM suppliers_productsearch WHERE product_id = ANY(ids);
    INSERT INTO suppliers_productsearch SELECT * FROM suppliers_productsearch_source WHERE product_id = ANY(ids);
$$
"""

_TRIGGERS = """
CREATE FUNCTION suppliers_productsearch_products_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM suppliers_productsearch_refresh(ARRAY(SELECT id FROM new_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION suppliers_productsearch_products_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM suppliers_productsearch_refresh(ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.status, n.supplier_id, n.created_at, n.category_id, n.belt_id, n.province, n.currency_id,
               n.min_unit_price, n.moq, n.lead_time_days, n.sample_available)
              IS DISTINCT FROM
              (o.status, o.supplier_id, o.created_at, o.category_id, o.belt_id, o.province, o.currency_id,
               o.min_unit_price, o.moq, o.lead_time_days, o.sample_available)
           OR n.search_vector IS DISTINCT FROM o.search_vector
    ));
    RETURN NULL;
END $$;

CREATE FUNCTION suppliers_productsearch_products_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM suppliers_productsearch WHERE product_id IN (SELECT id FROM old_rows);
    RETURN NULL;
END $$;

CREATE FUNCTION suppliers_productsearch_products_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- (Already empty when the same TRUNCATE named it too, which must not truncate it twice.)
    IF EXISTS (SELECT 1 FROM suppliers_productsearch) THEN
        TRUNCATE suppliers_productsearch;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION suppliers_productsearch_suppliers_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM suppliers_productsearch_refresh(ARRAY(
        SELECT p.id FROM suppliers_product p
        WHERE p.supplier_id IN (
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (n.is_active, n.verification_status, n.business_type)
                  IS DISTINCT FROM (o.is_active, o.verification_status, o.business_type)
        )
    ));
    RETURN NULL;
END $$;

CREATE FUNCTION suppliers_productsearch_categories_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM suppliers_productsearch_refresh(ARRAY(
        SELECT p.id FROM suppliers_product p JOIN marketplace_category c ON c.id = p.category_id
        WHERE p.status = 'published' AND EXISTS (
            SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE n.path IS DISTINCT FROM o.path AND c.path LIKE n.path || '%'
        )
    ));
    RETURN NULL;
END $$;

CREATE TRIGGER productsearch_products_inserted AFTER INSERT ON suppliers_product
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION suppliers_productsearch_products_inserted();
CREATE TRIGGER productsearch_products_updated AFTER UPDATE ON suppliers_product
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION suppliers_productsearch_products_updated();
CREATE TRIGGER productsearch_products_deleted AFTER DELETE ON suppliers_product
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION suppliers_productsearch_products_deleted();
CREATE TRIGGER productsearch_products_truncated AFTER TRUNCATE ON suppliers_product
    FOR EACH STATEMENT EXECUTE FUNCTION suppliers_productsearch_products_truncated();
CREATE TRIGGER productsearch_suppliers_updated AFTER UPDATE ON suppliers_supplierprofile
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION suppliers_productsearch_suppliers_updated();
CREATE TRIGGER productsearch_categories_updated AFTER UPDATE ON marketplace_category
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION suppliers_productsearch_categories_updated();
"""

_DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS productsearch_products_inserted ON suppliers_product;
DROP TRIGGER IF EXISTS productsearch_products_updated ON suppliers_product;
DROP TRIGGER IF EXISTS productsearch_products_deleted ON suppliers_product;
DROP TRIGGER IF EXISTS productsearch_products_truncated ON suppliers_product;
DROP TRIGGER IF EXISTS productsearch_suppliers_updated ON suppliers_supplierprofile;
DROP TRIGGER IF EXISTS productsearch_categories_updated ON marketplace_category;
DROP FUNCTION IF EXISTS suppliers_productsearch_products_inserted();
DROP FUNCTION IF EXISTS suppliers_productsearch_products_updated();
DROP FUNCTION IF EXISTS suppliers_productsearch_products_deleted();
DROP FUNCTION IF EXISTS suppliers_productsearch_products_truncated();
DROP FUNCTION IF EXISTS suppliers_productsearch_suppliers_updated();
DROP FUNCTION IF EXISTS suppliers_productsearch_categories_updated();
"""

# Physical order is creation order (as new products append), so walking the newest reads few pages.
_BACKFILL = (
    "INSERT INTO suppliers_productsearch SELECT * FROM suppliers_productsearch_source ORDER BY created_at, product_id"
)

# fastupdate off: a pending list would be scanned by every search until the next vacuum.
_INDEXES = """
CREATE INDEX productsearch_vector ON suppliers_productsearch USING gin (search_vector) WITH (fastupdate = off);
CREATE INDEX productsearch_newest ON suppliers_productsearch (created_at DESC, product_id DESC);
CREATE INDEX productsearch_supplier ON suppliers_productsearch (supplier_id);
"""


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0005_response_metrics")]

    operations = [
        migrations.CreateModel(
            name="ProductSearchRow",
            fields=[
                (
                    "product",
                    models.OneToOneField(
                        on_delete=models.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="suppliers.product",
                    ),
                ),
                ("supplier_id", models.BigIntegerField()),
                ("created_at", models.DateTimeField()),
                ("category_id", models.BigIntegerField()),
                ("belt_id", models.BigIntegerField(null=True)),
                ("currency_id", models.CharField(max_length=3)),
                ("min_unit_price", models.DecimalField(decimal_places=4, max_digits=14, null=True)),
                ("moq", models.IntegerField()),
                ("lead_time_days", models.SmallIntegerField()),
            ],
            options={"db_table": "suppliers_productsearch", "managed": False},
        ),
        PostgresOnly(_TABLE, "DROP TABLE IF EXISTS suppliers_productsearch"),
        PostgresOnly(_SOURCE, "DROP VIEW IF EXISTS suppliers_productsearch_source"),
        PostgresOnly(_REFRESH, "DROP FUNCTION IF EXISTS suppliers_productsearch_refresh(bigint[])"),
        PostgresOnly(_BACKFILL, migrations.RunSQL.noop),
        PostgresOnly(
            _INDEXES,
            "DROP INDEX IF EXISTS productsearch_vector; DROP INDEX IF EXISTS productsearch_newest; "
            "DROP INDEX IF EXISTS productsearch_supplier",
        ),
        PostgresOnly(_TRIGGERS, _DROP_TRIGGERS),
        PostgresOnly("ANALYZE suppliers_productsearch", migrations.RunSQL.noop),
    ]
