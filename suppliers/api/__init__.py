"""The REST API of the suppliers app: the supplier's own catalog, public products and suppliers.

Routes live in suppliers/urls/api.py (mounted at /api/v1/ before the kernel's API).
"""
