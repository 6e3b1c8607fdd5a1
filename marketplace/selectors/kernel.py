"""Reads of the kernel's public data: belts, categories, currencies."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from marketplace.models import Category, IndustrialBelt, User

PUBLIC_BELT_STATUSES = (IndustrialBelt.Status.LIVE, IndustrialBelt.Status.ONBOARDING)


def belts_visible_to(user: User | None) -> QuerySet[IndustrialBelt]:
    """Live and onboarding belts for everyone; drafts too for staff."""
    belts = IndustrialBelt.objects.all()
    if user is None or not user.is_authenticated or not user.is_staff:
        belts = belts.filter(status__in=PUBLIC_BELT_STATUSES)
    return belts


def belt_directory(
    *, user: User | None, province: str | None = None, category: Category | None = None
) -> QuerySet[IndustrialBelt]:
    """Belts for the directory, optionally in one province and specialised in a category's subtree."""
    belts = belts_visible_to(user)
    if province:
        belts = belts.filter(province=province)
    if category is not None:
        belts = belts.filter(specialties__path__startswith=category.path).distinct()
    return belts.prefetch_related(Prefetch("specialties", queryset=Category.objects.order_by("path"))).order_by(
        "name_en"
    )


def category_tree() -> list[Category]:
    """The whole tree in one query; each node gets `.child_nodes`. Returns the roots, in order."""
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
    return roots


def category_subtree(category: Category) -> QuerySet[Category]:
    """The category and everything under it, in one query."""
    return Category.objects.subtree_of(category)
