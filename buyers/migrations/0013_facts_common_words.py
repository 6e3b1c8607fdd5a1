"""Matching facts, PostgreSQL only: each facts row also lists the words that are in every one of its
products (`common_words`), and its counts are rewritten from the same rows as its words.

An RFQ's word that is in every product of a facts row (often: a word of the category's name)
makes every product of that row match, so the row's own count, lowest MOQ, fastest lead time and
largest capacity are the answer. With `common_words` the word query (`buyers.matching.words`)
knows that from the narrow row alone: it neither decompresses the row's vector of words nor
returns its products' arrays. `common_words` holds the lexemes whose positions are all the row's
products (rows of at most 256 products: PostgreSQL keeps 256 positions per lexeme), NULL until
filled (the word query then reads the vector, as before).

`buyers_facts_products_refresh` fills it with the words and now also writes the row's product
count, lowest MOQ, fastest lead time and largest capacity from the same products as the words,
so that the shortcut's figures and the vector's always describe the same products. The existing
rows are filled from their stored vectors in batches of 5,000 (short transactions; matching keeps
running, the rows not yet filled read as before): a few seconds per 100,000 rows.
"""

from importlib import import_module

from django.db import migrations

from marketplace.migration_operations import PostgresOnly, postgres_batched_update

COLUMN = (
    "ALTER TABLE buyers_suppliercategoryfacts ADD COLUMN IF NOT EXISTS common_words text[];"
    "ALTER TABLE buyers_suppliercategoryfacts ALTER COLUMN common_words SET STORAGE MAIN"
)
DROP_COLUMN = "ALTER TABLE buyers_suppliercategoryfacts DROP COLUMN IF EXISTS common_words"

# The lexemes of a row's vector present in each of its `products` products (positions are ordinals);
# not the `~` pairs of Chinese characters, whose segmented words are there too: the list stays
# short, and kept in the row (storage MAIN), so reading it costs no look-up in the TOAST table.
# Leaving a word out never makes an answer wrong: the word query reads that row's vector instead.
COMMON = (
    "ARRAY(SELECT u.lexeme FROM unnest({words}) u "
    "WHERE cardinality(u.positions) = {products} AND left(u.lexeme, 1) <> '~')"
)

# The function of buyers/0004, whose grouping also counts and sums up the products, and whose
# update also writes those and the common words.
OLD_FUNCTION = import_module("buyers.migrations.0004_facts_product_words").FUNCTION
_OLD_GROUPED = """               array_agg(moq ORDER BY ordinal) AS moqs,"""
_NEW_GROUPED = """               count(*) AS products, min(moq) AS lowest_moq, min(lead_time_days) AS fastest,
               max(monthly_capacity) AS largest,
               array_agg(moq ORDER BY ordinal) AS moqs,"""
_OLD_SET = "product_capacities = g.capacities\n"
_NEW_SET = f"""product_capacities = g.capacities,
        products = g.products, lowest_moq = g.lowest_moq, fastest_lead_time = g.fastest,
        largest_capacity = g.largest, common_words = {COMMON.format(words="g.words", products="g.products")}
"""
assert OLD_FUNCTION.count(_OLD_GROUPED) == 1 and OLD_FUNCTION.count(_OLD_SET) == 1
NEW_FUNCTION = OLD_FUNCTION.replace(_OLD_GROUPED, _NEW_GROUPED).replace(_OLD_SET, _NEW_SET)


class Migration(migrations.Migration):
    atomic = False  # each batch of the fill commits on its own

    dependencies = [("buyers", "0012_match_indexes_covered")]

    operations = [
        PostgresOnly(COLUMN, DROP_COLUMN),
        PostgresOnly(NEW_FUNCTION, OLD_FUNCTION),
        postgres_batched_update(
            "UPDATE buyers_suppliercategoryfacts SET common_words = "
            + COMMON.format(words="words", products="products")
            + " WHERE id > %s AND id <= %s AND words IS NOT NULL",
            table="buyers_suppliercategoryfacts",
        ),
    ]
