"""Every write of the suppliers app, one module per area."""

from suppliers.services.profiles import supplier_become, supplier_profile_update, supplier_signup

__all__ = ["supplier_become", "supplier_profile_update", "supplier_signup"]
