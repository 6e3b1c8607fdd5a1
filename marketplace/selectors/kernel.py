"""Reads of the kernel's public data: belts, categories, currencies.

The sellers a belt's or a category's page lists come from the app that keeps them, through
`marketplace.seller_directory`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, Prefetch, QuerySet, Sum

from marketplace.errors import NotFound
from marketplace.geography import PROVINCE_CHOICES
from marketplace.models import Category, IndustrialBelt, User
from marketplace.seller_directory import seller_directory

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PUBLIC_BELT_STATUSES = (IndustrialBelt.Status.LIVE, IndustrialBelt.Status.ONBOARDING)
CATEGORY_SUPPLIER_LIMIT = 50


def belts_visible_to(user: User | AnonymousUser | None) -> QuerySet[IndustrialBelt]:
    """Live and onboarding belts for everyone; drafts too for staff."""
    belts = IndustrialBelt.objects.all()
    if user is None or not user.is_authenticated or not user.is_staff:
        belts = belts.filter(status__in=PUBLIC_BELT_STATUSES)
    return belts


def belt_directory(
    *, user: User | AnonymousUser | None, province: str | None = None, category: Category | None = None
) -> QuerySet[IndustrialBelt]:
    """Belts for the directory, optionally in one province and specialised in a category's subtree."""
    belts = belts_visible_to(user)
    if province:
        belts = belts.filter(province=province)
    if category is not None:
        # A subquery rather than a join, so a belt specialised in several matching categories appears once
        # without DISTINCT (which would fight the ordering and the pagination count).
        belts = belts.filter(
            pk__in=IndustrialBelt.specialties.through.objects.filter(category__path__startswith=category.path).values(
                "industrialbelt_id"
            )
        )
    return belts.prefetch_related(Prefetch("specialties", queryset=Category.objects.order_by("path"))).order_by(
        "name_en"
    )


def belt_provinces(*, user: User | AnonymousUser | None) -> list[tuple[str, StrOrPromise]]:
    """The provinces that have at least one belt this user may see, as (code, label) choices, in one query."""
    present = set(belts_visible_to(user).order_by().values_list("province", flat=True).distinct())
    return [(code, label) for code, label in PROVINCE_CHOICES if code in present]


def belt_for_page(*, user: User | AnonymousUser | None, slug: str) -> IndustrialBelt:
    """One belt by slug; a draft exists only for staff, so others get NotFound rather than a hint it exists."""
    belt = (
        belts_visible_to(user)
        .prefetch_related(Prefetch("specialties", queryset=Category.objects.order_by("path")))
        .filter(slug=slug)
        .first()
    )
    if belt is None:
        raise NotFound(f"No industrial belt is called “{slug}”.")
    return belt


def belt_suppliers(*, belt: IndustrialBelt) -> Iterable[object]:
    """Active suppliers of a belt, as the seller directory lists them (verified ones first)."""
    return seller_directory().in_belt(belt)


@dataclass(frozen=True)
class HomeHighlights:
    """The few facts the home page shows a first-time visitor."""

    belts: list[IndustrialBelt]
    belt_count: int
    firm_count: int
    category_roots: list[Category]


def home_highlights(*, user: User | AnonymousUser | None, limit: int = 6) -> HomeHighlights:
    """Some live belts (the biggest first), how many belts and firms there are, and the top categories."""
    visible = belts_visible_to(user).filter(status=IndustrialBelt.Status.LIVE)
    totals = visible.aggregate(belts=Count("pk"), firms=Sum("number_of_firms"))
    belts = list(
        visible.prefetch_related(Prefetch("specialties", queryset=Category.objects.order_by("path"))).order_by(
            F("number_of_firms").desc(nulls_last=True), "name_en"
        )[:limit]
    )
    return HomeHighlights(
        belts=belts,
        belt_count=totals["belts"] or 0,
        firm_count=totals["firms"] or 0,
        category_roots=list(Category.objects.roots().order_by("position", "path")),
    )


def category_tree() -> list[Category]:
    """The whole tree in one query; each node gets `.child_nodes`. Returns the roots, in order of position."""
    nodes = list(Category.objects.order_by("path"))
    by_id = {node.pk: node for node in nodes}
    roots: list[Category] = []
    for node in nodes:
        node.child_nodes = []  # type: ignore[attr-defined]
    for node in nodes:
        parent = by_id.get(node.parent_id) if node.parent_id else None
        if parent is None:
            roots.append(node)
        else:
            parent.child_nodes.append(node)  # type: ignore[attr-defined]
    # Staff order siblings with `position`; the path (creation order) breaks ties.
    for node in nodes:
        node.child_nodes.sort(key=_sibling_order)  # type: ignore[attr-defined]
    roots.sort(key=_sibling_order)
    return roots


def _sibling_order(category: Category) -> tuple[int, str]:
    return (category.position, category.path)


def category_subtree(category: Category) -> QuerySet[Category]:
    """The category and everything under it, in one query."""
    return Category.objects.subtree_of(category)


def category_choices() -> list[tuple[str, str]]:
    """Every category as (slug, indented name) for a select, in the tree's order, in one query."""
    choices: list[tuple[str, str]] = []

    def walk(nodes: list[Category]) -> None:
        for node in nodes:
            choices.append((node.slug, "\u00a0\u00a0" * node.depth + node.name))
            walk(node.child_nodes)  # type: ignore[attr-defined]

    walk(category_tree())
    return choices


def category_by_slug(slug: str) -> Category:
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise NotFound(f"No category is called “{slug}”.")
    return category


@dataclass(frozen=True)
class CategoryPage:
    """What the category page shows: where the category sits, what is under it, who makes it."""

    category: Category
    ancestors: list[Category]
    children: list[Category]
    belts: list[IndustrialBelt]
    suppliers: list[object]
    supplier_limit: int


def category_page(*, user: User | AnonymousUser | None, slug: str) -> CategoryPage:
    """A category with its breadcrumb, subcategories, the belts and (the first 50) suppliers of its subtree."""
    category = category_by_slug(slug)
    belts = list(belt_directory(user=user, category=category))
    in_subtree = Category.objects.filter(path__startswith=category.path)
    suppliers = list(seller_directory().in_categories(in_subtree, limit=CATEGORY_SUPPLIER_LIMIT))
    return CategoryPage(
        category=category,
        ancestors=category.ancestors(),
        children=list(category.children.order_by("position", "path")),
        belts=belts,
        suppliers=suppliers,
        supplier_limit=CATEGORY_SUPPLIER_LIMIT,
    )
