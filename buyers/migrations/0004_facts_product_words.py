"""Matching facts, PostgreSQL only: the words of each facts row's products, and their MOQ, lead time
and capacity, so that an RFQ's words are counted per supplier without reading the product table.

Each `buyers_suppliercategoryfacts` row gets (not declared on the model; `buyers.matching.words`
names them):

- `words`: a tsvector of its products' words where a lexeme's positions are the ordinals (1, 2, ...
  in product id order) of the products that contain it, so the products matching an OR of words
  are the distinct positions of the matching lexemes. Besides the product's own lexemes (numbers
  left out: an RFQ's words never are), every two Chinese characters stored next to each other
  (`~书包`), so that a Chinese word the segmenter split differently still matches (the phrase
  '书' <-> '包' of the product search). PostgreSQL keeps at most 256 positions per lexeme and
  16,383 per vector: a facts row of more products than that counts some of them once at most;
  relevance is full at 20.
- `product_moqs`, `product_lead_times`, `product_capacities`: the same products' values, indexed
  by ordinal, for the MOQ, lead time and capacity of the matching products.

A row's vector (~2 KB compressed) is stored out of line (`toast_tuple_target = 512`), so the table
the candidate query reads stays narrow (~300 bytes a row, the arrays inline).

`buyers_facts_products_refresh(supplier_ids)` (NULL: every supplier) fills them from the
published products; `buyers.services.matching.supplier_category_facts_refresh` calls it after
rewriting a supplier's rows. Filling all of them here takes a few minutes per million products.
On SQLite nothing changes: matching there counts the words on the products.
"""

from django.db import migrations

from marketplace.migration_operations import PostgresOnly


COLUMNS = """
ALTER TABLE buyers_suppliercategoryfacts
    ADD COLUMN words tsvector,
    ADD COLUMN product_moqs integer[],
    ADD COLUMN product_lead_times integer[],
    ADD COLUMN product_capacities integer[];
ALTER TABLE buyers_suppliercategoryfacts SET (toast_tuple_target = 512)
"""

DROP_COLUMNS = """
ALTER TABLE buyers_suppliercategoryfacts
    DROP COLUMN IF EXISTS words,
    DROP COLUMN IF EXISTS product_moqs,
    DROP COLUMN IF EXISTS product_lead_times,
    DROP COLUMN IF EXISTS product_capacities;
ALTER TABLE buyers_suppliercategoryfacts RESET (toast_tuple_target)
"""

FUNCTION = r"""
CREATE OR REPLACE FUNCTION buyers_facts_products_refresh(supplier_ids bigint[]) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    changed bigint;
BEGIN
    WITH numbered AS (
        SELECT p.supplier_id, p.category_id, p.unit, p.moq, p.lead_time_days, p.monthly_capacity,
               coalesce(p.search_vector, ''::tsvector) AS vector,
               least(row_number() OVER (PARTITION BY p.supplier_id, p.category_id, p.unit ORDER BY p.id), 16383)
                   AS ordinal
        FROM suppliers_product p
        WHERE p.status = 'published' AND (supplier_ids IS NULL OR p.supplier_id = ANY (supplier_ids))
    ),
    product_words AS (
        SELECT n.*, (
            SELECT string_agg('''' || replace(replace(w.lexeme, '\', '\\'), '''', '''''') || ''':' || n.ordinal, ' ')
            FROM (
                SELECT lexeme FROM unnest(n.vector) WHERE lexeme !~ '^[0-9]+$'
                UNION
                SELECT '~' || a.lexeme || b.lexeme
                FROM (SELECT lexeme, unnest(positions) AS position FROM unnest(n.vector)
                      WHERE lexeme ~ '^[㐀-鿿豈-﫿]$') a
                JOIN (SELECT lexeme, unnest(positions) AS position FROM unnest(n.vector)
                      WHERE lexeme ~ '^[㐀-鿿豈-﫿]$') b ON b.position = a.position + 1
            ) w (lexeme)
        ) AS positioned
        FROM numbered n
    ),
    grouped AS (
        SELECT supplier_id, category_id, unit,
               coalesce(string_agg(positioned, ' '), '')::tsvector AS words,
               array_agg(moq ORDER BY ordinal) AS moqs,
               array_agg(lead_time_days ORDER BY ordinal) AS lead_times,
               array_agg(monthly_capacity ORDER BY ordinal) AS capacities
        FROM product_words
        GROUP BY supplier_id, category_id, unit
    )
    UPDATE buyers_suppliercategoryfacts f
    SET words = g.words, product_moqs = g.moqs, product_lead_times = g.lead_times, product_capacities = g.capacities
    FROM grouped g
    WHERE f.supplier_id = g.supplier_id AND f.category_id = g.category_id AND f.unit = g.unit;
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed;
END
$$
"""


class Migration(migrations.Migration):

    dependencies = [
        ("buyers", "0003_supplier_category_facts"),
        ("suppliers", "0005_response_metrics"),
    ]

    operations = [
        PostgresOnly(COLUMNS, DROP_COLUMNS),
        PostgresOnly(FUNCTION, "DROP FUNCTION IF EXISTS buyers_facts_products_refresh(bigint[])"),
        PostgresOnly("SELECT buyers_facts_products_refresh(NULL)", migrations.RunSQL.noop),
    ]
