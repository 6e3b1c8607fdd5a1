"""Demand insights: the public trending page and API, and a belt's private dashboard and API.

The belt is the `supplier` actor's own belt (each supplier factory gets a belt of its own), so
`supplier` and staff see it; `other_supplier` (another belt) and the buyers get 404, anonymous
visitors the login page (401 from the API).
"""

from __future__ import annotations

from tests.matrix import Route, World, expect

BELT_AUDIENCE = expect(404, anonymous=302, supplier=200, staff=200)
BELT_AUDIENCE_API = expect(404, anonymous=401, supplier=200, staff=200)


def _belt(world: World) -> dict[str, str]:
    return {"slug": world.actors["supplier"].supplier.belt.slug}


ROUTES = [
    Route("insights:trending", expect(200)),
    Route("insights:belt_dashboard", BELT_AUDIENCE, kwargs=_belt),
    Route("insights:trending", expect(405), method="post"),
    Route("api-insights-trending", expect(200)),
    Route("api-insights-belt-demand", BELT_AUDIENCE_API, kwargs=_belt),
]
