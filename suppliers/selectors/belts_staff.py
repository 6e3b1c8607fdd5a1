"""Reads of the belt staff pages, scoped to the belts the person runs (staff: all; a manager: theirs)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from marketplace.models import BeltEvent, Category, IndustrialBelt, User
from marketplace.selectors.belts import belts_managed_by


def belts_for_admin(*, user: User, status: str | None = None) -> QuerySet[IndustrialBelt]:
    """The belts `user` runs, by English name, optionally in one status."""
    belts = belts_managed_by(user)
    if status:
        belts = belts.filter(status=status)
    return belts.order_by("name_en", "pk")


def belt_specialties(belt: IndustrialBelt) -> list[Category]:
    return list(belt.specialties.order_by("path"))


def belt_events(belt: IndustrialBelt) -> list[BeltEvent]:
    """The belt's lifecycle, newest first, with who moved it."""
    return list(belt.events.select_related("actor").order_by("-created_at", "-id"))


def belt_managers(belt: IndustrialBelt) -> list[User]:
    return list(belt.managers.order_by("email"))


def belt_with_specialties(belt: IndustrialBelt) -> IndustrialBelt:
    """The belt again with its specialties prefetched (for the edit form's initial values)."""
    return (
        IndustrialBelt.objects.prefetch_related(Prefetch("specialties", queryset=Category.objects.order_by("path")))
        .filter(pk=belt.pk)
        .get()
    )
