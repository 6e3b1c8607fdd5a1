"""Matching facts, PostgreSQL only: each facts row carries its supplier's profile facts, so the ranked
candidate query reads one index for a category's candidates instead of probing the supplier
profiles' index once per candidate (~1,500 probes for a leaf category at 1,000,000 products).

The columns (not declared on the model; `buyers.matching.candidates` names them) copy what the
bound and the score read of the profile: company, belt, active, verification, response rate and
time, rating, ratings, on-time rate, export markets. They are kept equal to the profile by the
database itself, whatever writes the profile (a service, the admin, a bulk update of the metrics,
a script):

- `buyers_facts_supplier_fill`, before a facts row is inserted (or moved to another supplier):
  copied from its supplier's profile;
- `buyers_facts_supplier_follow`, after a profile's copied columns change: written on its facts rows.

The triggers exist before the existing rows are filled (in batches of 5,000 rows, short
transactions), so no change is missed meanwhile; then the covering index the ranked query reads is
built concurrently, with them, and the one it replaces dropped concurrently.
"""

from django.db import migrations

from marketplace.migration_operations import PostgresOnly, postgres_batched_update

# (facts column, profile column, type)
COPIED = (
    ("supplier_company_id", "company_id", "bigint"),
    ("supplier_belt_id", "belt_id", "bigint"),
    ("supplier_active", "is_active", "boolean"),
    ("supplier_verification", "verification_status", "varchar(10)"),
    ("supplier_response_rate", "response_rate", "smallint"),
    ("supplier_response_minutes", "response_median_minutes", "integer"),
    ("supplier_rating_average", "rating_average", "numeric(3,2)"),
    ("supplier_rating_count", "rating_count", "integer"),
    ("supplier_on_time_rate", "on_time_rate", "smallint"),
    ("supplier_export_markets", "export_markets", "varchar(746)"),
)
FACTS = ", ".join(column for column, _profile, _type in COPIED)
PROFILE = ", ".join(f"s.{profile}" for _column, profile, _type in COPIED)

COLUMNS = "ALTER TABLE buyers_suppliercategoryfacts " + ", ".join(
    f"ADD COLUMN IF NOT EXISTS {column} {kind}" for column, _profile, kind in COPIED
)
DROP_COLUMNS = "ALTER TABLE buyers_suppliercategoryfacts " + ", ".join(
    f"DROP COLUMN IF EXISTS {column}" for column, _profile, _kind in COPIED
)

TRIGGERS = f"""
CREATE OR REPLACE FUNCTION buyers_facts_supplier_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT {PROFILE} INTO {", ".join(f"NEW.{column}" for column, _profile, _type in COPIED)}
    FROM suppliers_supplierprofile s WHERE s.id = NEW.supplier_id;
    RETURN NEW;
END
$$;
CREATE TRIGGER buyers_facts_supplier_fill BEFORE INSERT OR UPDATE OF supplier_id ON buyers_suppliercategoryfacts
    FOR EACH ROW EXECUTE FUNCTION buyers_facts_supplier_fill();
CREATE OR REPLACE FUNCTION buyers_facts_supplier_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE buyers_suppliercategoryfacts
    SET {", ".join(f"{column} = NEW.{profile}" for column, profile, _type in COPIED)}
    WHERE supplier_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER buyers_facts_supplier_follow
    AFTER UPDATE OF {", ".join(profile for _column, profile, _type in COPIED)} ON suppliers_supplierprofile
    FOR EACH ROW WHEN ({" OR ".join(f"OLD.{profile} IS DISTINCT FROM NEW.{profile}" for _c, profile, _t in COPIED)})
    EXECUTE FUNCTION buyers_facts_supplier_follow();
"""
DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS buyers_facts_supplier_follow ON suppliers_supplierprofile;
DROP FUNCTION IF EXISTS buyers_facts_supplier_follow();
DROP TRIGGER IF EXISTS buyers_facts_supplier_fill ON buyers_suppliercategoryfacts;
DROP FUNCTION IF EXISTS buyers_facts_supplier_fill();
"""

RANKING = "(supplier_id, unit, products, lowest_moq, fastest_lead_time, largest_capacity)"
CANDIDATES_INDEX = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS supplier_category_facts_candidates ON buyers_suppliercategoryfacts "
    f"(category_id) INCLUDE (supplier_id, unit, products, lowest_moq, fastest_lead_time, largest_capacity, {FACTS})"
)
RANKING_INDEX = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS supplier_category_facts_ranking ON buyers_suppliercategoryfacts "
    f"(category_id) INCLUDE {RANKING}"
)


class Migration(migrations.Migration):
    atomic = False  # the fill commits batch by batch; the indexes are built concurrently

    dependencies = [
        ("buyers", "0013_facts_common_words"),
        ("suppliers", "0016_sort_tokens_index"),
    ]

    operations = [
        PostgresOnly(COLUMNS, DROP_COLUMNS),
        PostgresOnly(TRIGGERS, DROP_TRIGGERS),
        postgres_batched_update(
            f"UPDATE buyers_suppliercategoryfacts f SET ({FACTS}) = ({PROFILE}) "  # noqa: S608 - constant text
            "FROM suppliers_supplierprofile s WHERE s.id = f.supplier_id AND f.id > %s AND f.id <= %s",
            table="buyers_suppliercategoryfacts",
        ),
        PostgresOnly(CANDIDATES_INDEX, "DROP INDEX CONCURRENTLY IF EXISTS supplier_category_facts_candidates"),
        PostgresOnly("DROP INDEX CONCURRENTLY IF EXISTS supplier_category_facts_ranking", RANKING_INDEX),
        PostgresOnly("ANALYZE buyers_suppliercategoryfacts", migrations.RunSQL.noop),
    ]
