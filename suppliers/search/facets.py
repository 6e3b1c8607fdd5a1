"""Facet counts of a product search: per category (top level, or the children of the filtered one)
and per belt, counted in Python over the candidates, never over every match."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, router

from marketplace.models import Category, IndustrialBelt

FACET_LIMIT = 12
_PATH_SEGMENT = Category.PATH_STEP + 1


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet: a category or belt, and how many results have it."""

    pk: int | None
    label: str
    count: int


@dataclass(frozen=True)
class Facets:
    categories: list[FacetValue] = field(default_factory=list)
    belts: list[FacetValue] = field(default_factory=list)
    total: int = 0
    # True when the candidates reached their cap: the counts are of that many matches.
    approximate: bool = False


def _placeholders(values: list[Any]) -> str:
    """An SQL list of one placeholder per value: "(%s, %s)", or "(NULL)", which matches nothing."""
    return "(" + ", ".join(["%s"] * len(values)) + ")" if values else "(NULL)"


def product_facets(candidates: list[dict[str, Any]], category: Category | None, *, cap: int) -> Facets:
    """Counts over the candidates (at most `cap` matches): `approximate` when there may be more.

    One small query: the belts counted, and each candidate category with its branch at the level shown.
    """
    belt_counts = Counter(row["belt_id"] for row in candidates if row["belt_id"] is not None)
    top_belts = sorted(belt_counts.items(), key=lambda item: (-item[1], item[0]))[:FACET_LIMIT]
    category_counts = Counter(row["category_id"] for row in candidates)
    total = len(candidates)
    if not top_belts and not category_counts:
        return Facets(total=total, approximate=total >= cap)
    prefix_length = (len(category.path) if category else 0) + _PATH_SEGMENT
    belt_ids = [pk for pk, _n in top_belts]
    category_ids = list(category_counts)
    # Plain SQL that SQLite (the demo) runs too: IN lists of placeholders, substr().
    belts_in, categories_in = _placeholders(belt_ids), _placeholders(category_ids)
    sql = (
        "SELECT 'b', id, NULL, name_en, name_zh FROM marketplace_industrialbelt WHERE id IN " + belts_in + " "  # noqa: S608 - placeholders
        "UNION ALL SELECT 'c', branch.id, counted.id, branch.name_en, branch.name_zh "
        "FROM marketplace_category counted "
        "JOIN marketplace_category branch ON branch.path = substr(counted.path, 1, %s) "
        "WHERE counted.id IN " + categories_in + " AND length(branch.path) = %s"
    )
    # Where the page's reads go: a read replica on the pages that allow one (docs/replicas.md).
    with connections[router.db_for_read(IndustrialBelt)].cursor() as cursor:
        cursor.execute(sql, [*belt_ids, prefix_length, *category_ids, prefix_length])
        rows = cursor.fetchall()
    names: dict[int, str] = {}
    branch_counts: Counter[int] = Counter()
    branch_names: dict[int, str] = {}
    for kind, pk, counted, name_en, name_zh in rows:
        label = IndustrialBelt(name_en=name_en, name_zh=name_zh).name
        if kind == "b":
            names[pk] = label
        else:
            branch_names[pk] = label
            branch_counts[pk] += category_counts[counted]
    belts = [FacetValue(pk=pk, label=names[pk], count=count) for pk, count in top_belts if pk in names]
    branches = sorted(branch_counts.items(), key=lambda item: (-item[1], item[0]))[:FACET_LIMIT]
    categories = [FacetValue(pk=pk, label=branch_names[pk], count=count) for pk, count in branches]
    return Facets(categories=categories, belts=belts, total=total, approximate=total >= cap)
