"""Facet counts of a product search: per category (top level, or the children of the filtered one)
and per belt, counted in Python over the candidates, never over every match, and labelled with
names the process keeps (NAMES_SECONDS): a search's facets make no query of their own."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, router

from marketplace.models import Category, IndustrialBelt
from suppliers.search.kept import Kept

FACET_LIMIT = 12
_PATH_SEGMENT = Category.PATH_STEP + 1


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet: a category or belt, and how many results have it."""

    pk: int | None
    label: str
    count: int
    slug: str = ""


@dataclass(frozen=True)
class Facets:
    categories: list[FacetValue] = field(default_factory=list)
    belts: list[FacetValue] = field(default_factory=list)
    total: int = 0
    # True when the candidates reached their cap: the counts are of that many matches.
    approximate: bool = False


# How long a process keeps the belts' and categories' names it labels facets with: staff rarely
# rename one, and a rename reaches other processes within this time (at once in the process that
# saved it). A belt or category the names do not hold yet is read at once.
NAMES_SECONDS = 300


@dataclass(frozen=True)
class _Names:
    # Unsaved objects holding id, names, slug (and a category's path): named in passing, never written.
    belts: dict[int, IndustrialBelt]
    categories: dict[int, Category]
    by_path: dict[str, int]


_names: Kept[None, _Names] = Kept(NAMES_SECONDS)
# Forget the names read (a belt or category was saved or deleted): the next facets read them.
names_forget = _names.forget


def _names_holding(belt_ids: list[int], category_ids: list[int]) -> _Names:
    """The names of every belt and category, read at most NAMES_SECONDS ago and holding these ids."""
    if _names.fresh(None):
        names = _names.get(None)
        if all(pk in names.belts for pk in belt_ids) and all(pk in names.categories for pk in category_ids):
            return names
    # Plain SQL that SQLite (the demo) runs too; where the page's reads go (a replica where allowed).
    sql = (
        "SELECT 'b', id, '', name_en, name_zh, slug FROM marketplace_industrialbelt "
        "UNION ALL SELECT 'c', id, path, name_en, name_zh, slug FROM marketplace_category"
    )
    with connections[router.db_for_read(IndustrialBelt)].cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    belts, categories = {}, {}
    for kind, pk, path, name_en, name_zh, slug in rows:
        if kind == "b":
            belts[pk] = IndustrialBelt(pk=pk, name_en=name_en, name_zh=name_zh, slug=slug)
        else:
            categories[pk] = Category(pk=pk, path=path, name_en=name_en, name_zh=name_zh, slug=slug)
    by_path = {category.path: pk for pk, category in categories.items()}
    return _names.keep(None, _Names(belts=belts, categories=categories, by_path=by_path))


def category_refs(ids: set[int]) -> dict[int, Category]:
    """The categories of `ids` as the process's names have them (id, slug, names, path; shared, not
    to be changed or saved), for naming them in passing: a product's category in search results."""
    categories = _names_holding([], list(ids)).categories
    return {pk: categories[pk] for pk in ids if pk in categories}


def category_subtree(category: Category) -> tuple[int, ...]:
    """The ids of the category and every category under it, in path order, from the process's names
    (no query; a category they do not hold yet is read at once). A category added under it in
    another process is searched there within NAMES_SECONDS."""
    categories = _names_holding([], [category.pk]).categories
    if category.pk not in categories:  # deleted meanwhile: nothing is under it
        return ()
    path = categories[category.pk].path
    return tuple(
        pk for pk, each in sorted(categories.items(), key=lambda item: item[1].path) if each.path.startswith(path)
    )


def belt_refs(ids: set[int]) -> dict[int, IndustrialBelt]:
    """The belts of `ids` as the process's names have them (id, slug, names; shared, not to be
    changed or saved), for naming them in passing: a product's belt in search results."""
    belts = _names_holding(list(ids), []).belts
    return {pk: belts[pk] for pk in ids if pk in belts}


def product_facets(candidates: list[dict[str, Any]], category: Category | None, *, cap: int) -> Facets:
    """Counts over the candidates (at most `cap` matches): `approximate` when there may be more.

    No query: the belts' and categories' names are the process's (`_names_holding`); each
    candidate's category is counted in its branch at the level shown.
    """
    belt_counts = Counter(row["belt_id"] for row in candidates if row["belt_id"] is not None)
    top_belts = sorted(belt_counts.items(), key=lambda item: (-item[1], item[0]))[:FACET_LIMIT]
    category_counts = Counter(row["category_id"] for row in candidates)
    total = len(candidates)
    if not top_belts and not category_counts:
        return Facets(total=total, approximate=total >= cap)
    prefix_length = (len(category.path) if category else 0) + _PATH_SEGMENT
    names = _names_holding([pk for pk, _n in top_belts], list(category_counts))
    belts = [
        FacetValue(pk=pk, label=names.belts[pk].name, count=count, slug=names.belts[pk].slug)
        for pk, count in top_belts
        if pk in names.belts
    ]
    branch_counts: Counter[int] = Counter()
    for counted, count in category_counts.items():
        path = names.categories[counted].path if counted in names.categories else ""
        branch = names.by_path.get(path[:prefix_length]) if len(path) >= prefix_length else None
        if branch is not None:
            branch_counts[branch] += count
    branches = sorted(branch_counts.items(), key=lambda item: (-item[1], item[0]))[:FACET_LIMIT]
    categories = [
        FacetValue(pk=pk, label=names.categories[pk].name, count=count, slug=names.categories[pk].slug)
        for pk, count in branches
    ]
    return Facets(categories=categories, belts=belts, total=total, approximate=total >= cap)
