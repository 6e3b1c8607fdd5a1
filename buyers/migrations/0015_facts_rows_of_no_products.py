"""Matching facts: a row of no products (unit "", products 0) for each category where a supplier has
a product line or a main category and no facts row, so that every candidate of a category is a
facts row there (the ranked candidate statement reads the facts rows alone; docs/matching.md,
"Matching facts"). From now on `catalog_facts_rows` writes them with the supplier's other rows;
this fills them once for the existing data (plain SQL that PostgreSQL and SQLite both run; on
PostgreSQL the fill trigger of buyers/0014 copies each row's profile facts).
"""

from django.db import migrations

FILL = """
INSERT INTO buyers_suppliercategoryfacts (supplier_id, category_id, unit, products, refreshed_at)
SELECT named.supplier_id, named.category_id, '', 0, CURRENT_TIMESTAMP
FROM (
    SELECT supplier_id, category_id FROM suppliers_productlinecapacity
    UNION
    SELECT supplierprofile_id, category_id FROM suppliers_supplierprofile_main_categories
) AS named
WHERE NOT EXISTS (
    SELECT 1 FROM buyers_suppliercategoryfacts f
    WHERE f.supplier_id = named.supplier_id AND f.category_id = named.category_id
)
"""
EMPTY = "DELETE FROM buyers_suppliercategoryfacts WHERE products = 0 AND unit = ''"


class Migration(migrations.Migration):
    dependencies = [
        ("buyers", "0014_facts_supplier_profile"),
        ("suppliers", "0021_category_sort_indexes"),
    ]

    operations = [migrations.RunSQL(FILL, EMPTY)]
