"""The catalog's vocabulary (`SearchWord`): the words misspelt query words are corrected against.

A small table (one row per distinct word of the catalog: 518 Latin-script words at 1,000,000
generated products), filled by `suppliers.search.spelling.vocabulary_refresh` — hourly by Celery
beat, at once by `manage.py search_vocabulary` — not here: a migration that read every product's
vector would hold a deploy for a minute at a million products. On PostgreSQL `word` is also indexed
by trigrams (GiST, which answers `ORDER BY word <-> 'plsuh'`: the nearest words, no threshold).
"""

from django.db import migrations, models

from marketplace.migration_operations import PostgresOnly


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0016_sort_tokens_index")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.CharField(max_length=30, primary_key=True, serialize=False)),
                ("letters", models.CharField(db_index=True, max_length=30)),
                ("length", models.PositiveSmallIntegerField()),
                ("products", models.PositiveIntegerField()),
            ],
            options={"verbose_name": "search word", "verbose_name_plural": "search words"},
        ),
        PostgresOnly(
            "CREATE INDEX searchword_word_trgm ON suppliers_searchword USING gist (word gist_trgm_ops)",
            "DROP INDEX IF EXISTS searchword_word_trgm",
        ),
    ]
