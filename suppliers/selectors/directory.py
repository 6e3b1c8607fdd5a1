"""The suppliers the kernel's belt and category pages list: the suppliers app's answer to
`marketplace.seller_directory`, registered in `SuppliersConfig.ready()`."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from marketplace.models import Category, IndustrialBelt
from suppliers.models import SupplierProfile

VERIFIED_FIRST = Case(
    When(verification_status=SupplierProfile.Verification.VERIFIED, then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
)


class SupplierDirectory:
    """Active suppliers, verified ones first, then by name."""

    def in_belt(self, belt: IndustrialBelt) -> QuerySet[SupplierProfile]:
        return SupplierProfile.objects.filter(is_active=True, belt=belt).order_by(VERIFIED_FIRST, "name")

    def in_categories(self, categories: QuerySet[Category], *, limit: int) -> list[SupplierProfile]:
        # A subquery rather than a join, so a supplier of several of the categories appears once.
        making = SupplierProfile.objects.filter(main_categories__in=categories.values("pk")).values("pk")
        return list(
            SupplierProfile.objects.filter(is_active=True, pk__in=making).order_by(VERIFIED_FIRST, "name")[:limit]
        )
