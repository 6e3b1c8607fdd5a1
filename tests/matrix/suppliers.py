"""The suppliers app: supplier sign-up, becoming a supplier, the supplier's own pages, public pages.

A company without a supplier profile is sent to `suppliers:become`; one with a profile to its
dashboard. Staff belong to no company and are sent to the company page.
"""

from __future__ import annotations

from tests.matrix import Route, expect

SELLERS_ONLY = expect(200, anonymous=302, buyer=302, other_buyer=302, staff=302)

ROUTES = [
    Route("suppliers:signup", expect(200)),
    Route("suppliers:become", expect(302, buyer=200, other_buyer=200)),
    Route("suppliers:dashboard", SELLERS_ONLY),
    Route("suppliers:profile_edit", SELLERS_ONLY),
    Route("suppliers:detail", expect(200), kwargs=lambda w: {"pk": w.actors["supplier"].supplier.pk}),
]
