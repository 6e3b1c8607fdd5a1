"""Builders for the belt staff pages: a factory invited to a belt, at any step of the funnel, and a
belt manager.

`invited_factory(belt, step="claimed")` gives an invitation that reached `step` (invited, claimed,
published, verified): claimed ones have a supplier profile in the belt, published ones a published
product, verified ones a verified profile.
"""

from __future__ import annotations

from django.utils import timezone

from marketplace.models import IndustrialBelt, User
from suppliers.models import FactoryInvitation, SupplierProfile
from tests.factories import SupplierProfileFactory, UserFactory
from tests.suppliers.factories_belts import FactoryInvitationFactory
from tests.suppliers.factories_catalog import ProductFactory


def invited_factory(belt: IndustrialBelt, *, step: str = "invited", **fields: object) -> FactoryInvitation:
    invitation = FactoryInvitationFactory(belt=belt, **fields)
    if step == "invited":
        return invitation
    verification = SupplierProfile.Verification.VERIFIED if step == "verified" else SupplierProfile.Verification.PENDING
    supplier = SupplierProfileFactory(belt=belt, name=invitation.company_name, verification_status=verification)
    if step in {"published", "verified"}:
        ProductFactory(supplier=supplier)
    invitation.supplier = supplier
    invitation.claimed_at = timezone.now()
    invitation.save(update_fields=["supplier", "claimed_at"])
    return invitation


def belt_manager(*belts: IndustrialBelt, **fields: object) -> User:
    """A person (no company) who manages `belts`."""
    user = UserFactory(**fields)
    for belt in belts:
        belt.managers.add(user)
    return user
