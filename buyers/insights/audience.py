"""Who hears about a belt's demand: its active suppliers working in the categories concerned, and
their companies' members. Read in bulk (a handful of queries per belt, not per supplier)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from marketplace.models import Membership, User
from suppliers.models import Product, ProductLineCapacity, SupplierProfile


@dataclass
class BeltSupplier:
    pk: int
    company_id: int
    belt_id: int
    category_paths: set[str] = field(default_factory=set)
    members: list[User] = field(default_factory=list)

    def works_in(self, category_path: str) -> bool:
        """True when the category lies in one of the supplier's category subtrees, or one of the
        supplier's categories lies under it (a maker of sorting bins hears of a surge in bins)."""
        return any(category_path.startswith(own) or own.startswith(category_path) for own in self.category_paths)


def belt_suppliers(
    *, belt_ids: Iterable[int] | None = None, supplier_ids: Iterable[int] | None = None
) -> list[BeltSupplier]:
    """The active suppliers of these belts (or these suppliers, if in a belt), with the paths of
    the categories they work in (main categories, product lines, published products, as the RFQ
    board) and their companies' active members. Four queries."""
    profiles = SupplierProfile.objects.filter(is_active=True, belt__isnull=False)
    if belt_ids is not None:
        profiles = profiles.filter(belt_id__in=list(belt_ids))
    if supplier_ids is not None:
        profiles = profiles.filter(pk__in=list(supplier_ids))
    found = {
        pk: BeltSupplier(pk=pk, company_id=company_id, belt_id=belt_id)
        for pk, company_id, belt_id in profiles.order_by("pk").values_list("pk", "company_id", "belt_id")
    }
    if not found:
        return []
    ids = list(found)
    through = SupplierProfile.main_categories.through
    paths = [
        *through.objects.filter(supplierprofile_id__in=ids).values_list("supplierprofile_id", "category__path"),
        *ProductLineCapacity.objects.filter(supplier_id__in=ids).values_list("supplier_id", "category__path"),
        *Product.objects.filter(Q(supplier_id__in=ids), status=Product.Status.PUBLISHED)
        .values_list("supplier_id", "category__path")
        .distinct(),
    ]
    for supplier_id, path in paths:
        found[supplier_id].category_paths.add(path)
    by_company: dict[int, list[BeltSupplier]] = defaultdict(list)
    for supplier in found.values():
        by_company[supplier.company_id].append(supplier)
    memberships = (
        Membership.objects.filter(company_id__in=list(by_company), user__is_active=True)
        .select_related("user")
        .order_by("company_id", "user_id")
    )
    for membership in memberships:
        for supplier in by_company[membership.company_id]:
            supplier.members.append(membership.user)
    return list(found.values())
