"""Matching facts: one row per supplier, category and unit with published products (derived data).

Filled here from the catalog in one statement (plain SQL that PostgreSQL and SQLite both run);
afterwards kept current by `buyers.services.matching.supplier_category_facts_refresh` and rebuilt
on demand by `manage.py matching_facts_rebuild`.

On PostgreSQL two indexes for the other matching reads (docs/matching.md, "Performance"):
- `supplier_match_profile`: the profile facts matching reads with the candidates, so that the
  join reads this narrow index instead of the wide profile rows;
- `product_published_category_supplier`: the published products of given suppliers in given
  categories (the RFQ's words are matched against the products of its best candidates only).
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from marketplace.migration_operations import PostgresOnly

FILL = """
INSERT INTO buyers_suppliercategoryfacts
    (supplier_id, category_id, unit, products, lowest_moq, fastest_lead_time, largest_capacity, refreshed_at)
SELECT supplier_id, category_id, unit, count(*), min(moq), min(lead_time_days), max(monthly_capacity), CURRENT_TIMESTAMP
FROM suppliers_product
WHERE status = 'published'
GROUP BY supplier_id, category_id, unit
"""


class Migration(migrations.Migration):

    dependencies = [
        ('buyers', '0002_quotes_and_awards'),
        ('marketplace', '0001_initial'),
        ('suppliers', '0005_response_metrics'),
    ]

    operations = [
        migrations.CreateModel(
            name='SupplierCategoryFacts',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('unit', models.CharField(max_length=10, verbose_name='unit')),
                ('products', models.PositiveIntegerField(verbose_name='published products')),
                ('lowest_moq', models.PositiveIntegerField(null=True, verbose_name='lowest MOQ')),
                ('fastest_lead_time', models.PositiveIntegerField(null=True, verbose_name='fastest lead time (days)')),
                ('largest_capacity', models.PositiveIntegerField(null=True, verbose_name='largest monthly capacity of a product')),
                ('refreshed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='refreshed')),
                ('category', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='marketplace.category', verbose_name='category')),
                ('supplier', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='suppliers.supplierprofile', verbose_name='supplier')),
            ],
            options={
                'verbose_name': 'supplier category facts',
                'verbose_name_plural': 'supplier category facts',
                'constraints': [models.UniqueConstraint(fields=('supplier', 'category', 'unit'), name='supplier_category_facts_unique')],
            },
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        PostgresOnly(
            "CREATE INDEX supplier_match_profile ON suppliers_supplierprofile (id) INCLUDE (company_id, belt_id, "
            "is_active, verification_status, response_rate, response_median_minutes, export_markets)",
            "DROP INDEX IF EXISTS supplier_match_profile",
        ),
        PostgresOnly(
            "CREATE INDEX product_published_category_supplier ON suppliers_product (category_id, supplier_id) "
            "WHERE status = 'published'",
            "DROP INDEX IF EXISTS product_published_category_supplier",
        ),
    ]
