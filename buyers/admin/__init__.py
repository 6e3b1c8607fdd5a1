"""Staff screens of the buyers app, one module per area. Django's admin autodiscovery imports
`buyers.admin`; importing the modules here registers their screens."""

from buyers.admin import insights, quotes, rfqs  # noqa: F401
