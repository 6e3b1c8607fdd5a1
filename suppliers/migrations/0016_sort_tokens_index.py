"""The search table's GIN index also holds, for each row, tokens of its sort values: `u50` when the
lowest unit price is at most 50 (any currency), `q200` when the MOQ is at most 200, `l15` when the
lead time is at most 15 days, for bounds 1-2-5 a decade apart, and `n202612` for the month (UTC) it
was created in (`suppliers_sort_tokens`, an immutable function of the row's columns: nothing is
stored, the index computes them).

One index of two columns, the words' vector and these tokens, so that "书包 with an MOQ of at most
200" is one GIN scan that intersects the word's entries with the bound's (5 ms at 1,000,000
products), where a B-tree range of the 326,000 rows below an MOQ of 300 took 55 ms to turn into a
bitmap. A sorted page of words asks it first whether any match lies below the values its sample
found (`suppliers.search.sampled`). Searches by words alone use the same index (its first column).

Built concurrently, then the one-column index dropped concurrently: a live catalog keeps taking
writes and searches meanwhile (docs/scaling.md, "Zero-downtime migrations"); about 3.5 minutes at
1,000,000 products on 2 cores.
"""

from django.db import migrations

from marketplace.migration_operations import PostgresOnly

_FUNCTION = """
CREATE OR REPLACE FUNCTION suppliers_sort_tokens(price numeric, moq integer, lead smallint, created timestamptz)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT array_to_tsvector(ARRAY(
    SELECT 'n' || (extract(year FROM created AT TIME ZONE 'UTC') * 100 + extract(month FROM created AT TIME ZONE 'UTC'))::int
    UNION ALL
    SELECT 'u' || bound FROM unnest('{0.01,0.02,0.05,0.1,0.2,0.5,1,2,5,10,20,50,100,200,500,1000,2000,5000,10000,20000,50000,100000,200000,500000,1000000}'::text[]) AS bound
    WHERE price <= bound::numeric
    UNION ALL
    SELECT 'q' || bound FROM unnest('{1,2,5,10,20,50,100,200,500,1000,2000,5000,10000,20000,50000,100000,200000,500000,1000000}'::text[]) AS bound
    WHERE moq <= bound::integer
    UNION ALL
    SELECT 'l' || bound FROM unnest('{1,2,3,5,7,10,15,20,30,45,60,90,120,180,365}'::text[]) AS bound
    WHERE lead <= bound::integer
))
$$
"""


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [("suppliers", "0015_belt_newest_index")]

    operations = [
        PostgresOnly(_FUNCTION, "DROP FUNCTION IF EXISTS suppliers_sort_tokens(numeric, integer, smallint, timestamptz)"),
        PostgresOnly(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS productsearch_words_sorts ON suppliers_productsearch "
            "USING gin (search_vector, suppliers_sort_tokens(min_unit_price, moq, lead_time_days, created_at)) "
            "WITH (fastupdate = off)",
            "DROP INDEX CONCURRENTLY IF EXISTS productsearch_words_sorts",
        ),
        PostgresOnly(
            "DROP INDEX CONCURRENTLY IF EXISTS productsearch_vector",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS productsearch_vector ON suppliers_productsearch "
            "USING gin (search_vector) WITH (fastupdate = off)",
        ),
        PostgresOnly("ANALYZE suppliers_productsearch", migrations.RunSQL.noop),
    ]
