"""Matches lose their single-column indexes on the RFQ and the supplier: the unique (rfq, supplier)
and `match_rfq_best` begin with the RFQ, `match_supplier_newest` with the supplier, so every read
keeps an index, and storing an RFQ's 200 matches writes two indexes fewer. Only the indexes are
dropped (the foreign keys stay as they are, not dropped and validated again)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("buyers", "0011_matching_due"),
        ("suppliers", "0015_belt_newest_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="match",
                    name="rfq",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="matches",
                        to="buyers.sourcingrequest",
                        verbose_name="sourcing request",
                    ),
                ),
                migrations.AlterField(
                    model_name="match",
                    name="supplier",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rfq_matches",
                        to="suppliers.supplierprofile",
                        verbose_name="supplier",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS buyers_match_rfq_id_5e7241c5",
                    "CREATE INDEX buyers_match_rfq_id_5e7241c5 ON buyers_match (rfq_id)",
                ),
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS buyers_match_supplier_id_71978e1f",
                    "CREATE INDEX buyers_match_supplier_id_71978e1f ON buyers_match (supplier_id)",
                ),
            ],
        ),
    ]
