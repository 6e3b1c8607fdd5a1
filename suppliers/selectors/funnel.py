"""A belt's onboarding funnel: invited → claimed → catalog published → verified.

Each step counts the factories invited to the belt (invitations not revoked) that reached it; the
steps nest, so a verified factory is also counted as claimed. Used by the belt's staff pages and
by the staff dashboard.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from marketplace.models import IndustrialBelt
from suppliers.models import FactoryInvitation, Product, SupplierProfile

STEPS = ("invited", "claimed", "published", "verified")


@dataclass(frozen=True)
class BeltFunnel:
    belt: IndustrialBelt
    invited: int
    claimed: int
    published: int
    verified: int

    @property
    def steps(self) -> list[tuple[str, int]]:
        return [(step, getattr(self, step)) for step in STEPS]


def _with_steps(invitations: QuerySet[FactoryInvitation]) -> QuerySet[FactoryInvitation]:
    published = Product.objects.filter(supplier_id=OuterRef("supplier_id"), status=Product.Status.PUBLISHED)
    return invitations.filter(revoked_at__isnull=True).annotate(has_published=Exists(published))


def _step_filter(step: str) -> Q:
    if step == "claimed":
        return Q(claimed_at__isnull=False)
    if step == "published":
        return Q(claimed_at__isnull=False, has_published=True)
    if step == "verified":
        return Q(claimed_at__isnull=False, supplier__verification_status=SupplierProfile.Verification.VERIFIED)
    return Q()


def belt_funnels(belts: Iterable[IndustrialBelt]) -> list[BeltFunnel]:
    """The funnel of each belt in `belts`, in one query for all of them."""
    rows = (
        _with_steps(FactoryInvitation.objects.filter(belt__in=belts))
        .values("belt_id")
        .annotate(
            invited=Count("id"),
            claimed=Count("id", filter=_step_filter("claimed")),
            published=Count("id", filter=_step_filter("published")),
            verified=Count("id", filter=_step_filter("verified")),
        )
    )
    by_belt = {row["belt_id"]: row for row in rows}
    empty = {"invited": 0, "claimed": 0, "published": 0, "verified": 0}
    funnels = []
    for belt in belts:
        counts = by_belt.get(belt.pk, empty)
        funnels.append(
            BeltFunnel(
                belt=belt,
                invited=counts["invited"],
                claimed=counts["claimed"],
                published=counts["published"],
                verified=counts["verified"],
            )
        )
    return funnels


def belt_funnel(belt: IndustrialBelt) -> BeltFunnel:
    return belt_funnels(IndustrialBelt.objects.filter(pk=belt.pk))[0]


def belt_funnel_step(belt: IndustrialBelt, step: str) -> QuerySet[FactoryInvitation]:
    """The invitations behind one step of the funnel (an unknown step answers the invited list)."""
    return (
        _with_steps(FactoryInvitation.objects.filter(belt=belt))
        .filter(_step_filter(step if step in STEPS else "invited"))
        .select_related("supplier")
        .order_by("-created_at", "-id")
    )
