"""Finer sort tokens: besides the cumulative tokens of migration 0016 (`u5`: the lowest unit price at
most 5, bounds 1-2-5 a decade apart), each row holds one **bucket** token per order, the finer bound
just at or above its value (`bu6`: a price above the finer bound below 6, at most 6; bounds 1, 1.2,
1.5, 2, 2.5, 3, 4, 5, 6, 8 a decade for prices, 1, 1.5, 2, 3, 4, 5, 6, 8 for MOQs, a finer list of
lead times). Every match at most 6 is then `'u5' | 'bu6'`: one more posting list, not 30 more
tokens per row. A sorted page of a common word reads the rows of the finer bound above its page:
包 by the price at 1,000 read the 11,517 rows under 10 for a page under 5.24, now the 1,955 under
6 (`suppliers.search.sampled`).

The index is built concurrently under a new name on the new function, then the old one dropped
concurrently (docs/scaling.md, "Zero-downtime migrations"): about 4 minutes at 1,000,000 products.
"""

from django.db import migrations

from marketplace.migration_operations import PostgresOnly

_PRICES = (
    "0.01,0.012,0.015,0.02,0.025,0.03,0.04,0.05,0.06,0.08,0.1,0.12,0.15,0.2,0.25,0.3,0.4,0.5,0.6,0.8,"
    "1,1.2,1.5,2,2.5,3,4,5,6,8,10,12,15,20,25,30,40,50,60,80,100,120,150,200,250,300,400,500,600,800,"
    "1000,1200,1500,2000,2500,3000,4000,5000,6000,8000,10000,12000,15000,20000,25000,30000,40000,50000,"
    "60000,80000,100000,120000,150000,200000,250000,300000,400000,500000,600000,800000,1000000"
)
_MOQS = (
    "1,2,3,4,5,6,8,10,15,20,30,40,50,60,80,100,150,200,300,400,500,600,800,1000,1500,2000,3000,4000,"
    "5000,6000,8000,10000,15000,20000,30000,40000,50000,60000,80000,100000,150000,200000,300000,400000,"
    "500000,600000,800000,1000000"
)
_LEAD_TIMES = "1,2,3,4,5,6,7,8,10,12,14,15,18,20,25,30,35,40,45,60,75,90,120,150,180,270,365"

_FUNCTION = f"""
CREATE OR REPLACE FUNCTION suppliers_sort_tokens_fine(price numeric, moq integer, lead smallint, created timestamptz)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT suppliers_sort_tokens(price, moq, lead, created) || array_to_tsvector(ARRAY(
    (SELECT 'bu' || bound FROM unnest('{{{_PRICES}}}'::text[]) WITH ORDINALITY AS g(bound, n)
     WHERE price <= bound::numeric ORDER BY n LIMIT 1)
    UNION ALL
    (SELECT 'bq' || bound FROM unnest('{{{_MOQS}}}'::text[]) WITH ORDINALITY AS g(bound, n)
     WHERE moq <= bound::integer ORDER BY n LIMIT 1)
    UNION ALL
    (SELECT 'bl' || bound FROM unnest('{{{_LEAD_TIMES}}}'::text[]) WITH ORDINALITY AS g(bound, n)
     WHERE lead <= bound::integer ORDER BY n LIMIT 1)
))
$$
"""
_INDEX = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS productsearch_words_sorts_fine ON suppliers_productsearch "
    "USING gin (search_vector, suppliers_sort_tokens_fine(min_unit_price, moq, lead_time_days, created_at)) "
    "WITH (fastupdate = off)"
)
_OLD_INDEX = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS productsearch_words_sorts ON suppliers_productsearch "
    "USING gin (search_vector, suppliers_sort_tokens(min_unit_price, moq, lead_time_days, created_at)) "
    "WITH (fastupdate = off)"
)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [("suppliers", "0017_search_words")]

    operations = [
        PostgresOnly(
            _FUNCTION, "DROP FUNCTION IF EXISTS suppliers_sort_tokens_fine(numeric, integer, smallint, timestamptz)"
        ),
        PostgresOnly(_INDEX, "DROP INDEX CONCURRENTLY IF EXISTS productsearch_words_sorts_fine"),
        PostgresOnly("DROP INDEX CONCURRENTLY IF EXISTS productsearch_words_sorts", _OLD_INDEX),
        PostgresOnly("ANALYZE suppliers_productsearch", migrations.RunSQL.noop),
    ]
