"""Product search and the supplier directory: public pages, the same for everyone."""

from __future__ import annotations

from tests.matrix import Route, expect

ROUTES = [
    Route("suppliers:search", expect(200)),
    Route("suppliers:supplier_search", expect(200)),
]
