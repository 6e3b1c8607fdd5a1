"""Candidates from the product table, for the searches the search table cannot answer: no query words
(the newest, walking `product_published_newest` or a filter's index), the trigram level of misspelt
words, and databases without the search table (the SQLite demo).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet, Value

from suppliers.models import Product
from suppliers.search.planner import candidate_plans
from suppliers.search.words import Level, uses_postgres_search

_FIELDS = ("pk", "belt_id", "category_id", "relevance")  # no join to the small tables: the rows stream


def product_candidates(matching: QuerySet[Product], *, words: Level | None, limit: int) -> list[dict[str, Any]]:
    """At most `limit` products of `matching` (the filters) that match `words`: id, belt and category
    ids, relevance. Without words (or without full-text search) the newest; with words the first the
    indexes find, in table order, never sorting or counting every match, with STREAMING_OFF
    (`planner`) for the one statement.
    """
    if words is None or not uses_postgres_search():
        condition, rank = (words.condition, words.rank) if words is not None else (Q(), Value(0.0))
        newest = matching.filter(condition).annotate(relevance=rank).values(*_FIELDS).order_by("-created_at", "-id")
        return list(newest[:limit])
    with candidate_plans(Product):
        return list(matching.filter(words.condition).annotate(relevance=words.rank).values(*_FIELDS).order_by()[:limit])
