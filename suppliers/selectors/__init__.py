"""Every read of the suppliers app, one module per area."""

from suppliers.selectors.profiles import (
    belts_a_supplier_can_join,
    categories_a_supplier_can_choose,
    supplier_profile_of,
    supplier_public_profile,
)

__all__ = [
    "belts_a_supplier_can_join",
    "categories_a_supplier_can_choose",
    "supplier_profile_of",
    "supplier_public_profile",
]
