"""Reads of the suppliers app. Public pages read listed profiles; a company reads only its own."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from marketplace.models import Category, Company, IndustrialBelt
from marketplace.selectors.kernel import belts_visible_to
from suppliers.models import SupplierProfile

_CATEGORIES_IN_ORDER = Prefetch("main_categories", queryset=Category.objects.order_by("path"))


def supplier_public_profile(*, pk: int) -> SupplierProfile | None:
    """A supplier's public page: only listed (active) profiles, verified or not."""
    return (
        SupplierProfile.objects.listed()
        .select_related("belt", "company")
        .prefetch_related(_CATEGORIES_IN_ORDER)
        .filter(pk=pk)
        .first()
    )


def supplier_profile_of(*, company: Company | None) -> SupplierProfile | None:
    """The acting company's own supplier profile, if it sells."""
    if company is None:
        return None
    return (
        SupplierProfile.objects.select_related("belt", "company")
        .prefetch_related(_CATEGORIES_IN_ORDER)
        .filter(company=company)
        .first()
    )


def belts_a_supplier_can_join() -> QuerySet[IndustrialBelt]:
    """Belts a supplier may name as its own: live and onboarding ones, never drafts."""
    return belts_visible_to(None).order_by("name_en")


def categories_a_supplier_can_choose() -> QuerySet[Category]:
    """The whole category tree, in tree order, for the main-categories choice."""
    return Category.objects.order_by("path")
