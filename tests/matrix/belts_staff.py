"""The belt staff pages (namespace "belt_admin"): staff run every belt; for the buyers and
suppliers of the matrix (none of them manages a belt) the pages do not exist (404); anonymous
visitors are sent to log in. Belt managers reaching their own belt and not another's are tested
in tests/suppliers/test_belts_staff.py.
"""

from __future__ import annotations

from marketplace.models import IndustrialBelt
from tests.factories import IndustrialBeltFactory
from tests.matrix import Route, World, expect
from tests.suppliers.builders_belts import invited_factory

STAFF_ONLY = expect(404, anonymous=302, staff=200)
STAFF_POST = expect(404, anonymous=302, staff=302)


def build(world: World) -> None:
    world.belts_staff_belt = IndustrialBeltFactory(slug="matrix-onboarding-belt", status=IndustrialBelt.Status.DRAFT)
    invited_factory(world.belts_staff_belt, step="claimed")


def _belt(world: World) -> dict[str, str]:
    return {"slug": world.belts_staff_belt.slug}


def _figures(world: World) -> dict[str, object]:
    return {"description_en": "Plastics.", "description_zh": "塑料。", "number_of_firms": "3000"}


ROUTES = [
    Route("belt_admin:belt_list", STAFF_ONLY),
    Route("belt_admin:belt_create", STAFF_ONLY),
    Route(
        "belt_admin:belt_create",
        STAFF_POST,
        method="post",
        data=lambda w: {"name_en": "Matrix plastics", "name_zh": "矩阵塑料", "province": "zhejiang", "city": "Taizhou"},
    ),
    # Bad input is answered with the form and its messages, never a 500.
    Route(
        "belt_admin:belt_create",
        expect(404, anonymous=302, staff=400),
        method="post",
        data=lambda w: {"name_en": "", "province": "atlantis", "export_share_percent": "140"},
    ),
    Route("belt_admin:belt_detail", STAFF_ONLY, kwargs=_belt),
    Route("belt_admin:belt_edit", STAFF_ONLY, kwargs=_belt),
    Route("belt_admin:belt_edit", STAFF_POST, method="post", kwargs=_belt, data=_figures),
    Route(
        "belt_admin:belt_edit",
        expect(404, anonymous=302, staff=400),
        method="post",
        kwargs=_belt,
        data=lambda w: {"number_of_firms": "many", "specialties": ["no-such-category"]},
    ),
    Route(
        "belt_admin:belt_transition",
        STAFF_POST,
        method="post",
        kwargs=_belt,
        data=lambda w: {"to_status": "onboarding", "reason": "Taizhou's factories are ready to be invited."},
    ),
    # A draft cannot go live before its onboarding: refused as a conflict, with the reason shown.
    Route(
        "belt_admin:belt_transition",
        expect(404, anonymous=302, staff=409),
        method="post",
        kwargs=_belt,
        data=lambda w: {"to_status": "live"},
    ),
    Route("belt_admin:belt_transition", expect(405), kwargs=_belt),
    Route("belt_admin:belt_managers", STAFF_ONLY, kwargs=_belt),
    Route(
        "belt_admin:belt_managers",
        STAFF_POST,
        method="post",
        kwargs=_belt,
        data=lambda w: {"email": w.actors["buyer"].user.email},
    ),
    Route(
        "belt_admin:belt_managers",
        expect(404, anonymous=302, staff=400),
        method="post",
        kwargs=_belt,
        data=lambda w: {"email": "nobody@nowhere.example"},
    ),
    Route("belt_admin:belt_funnel", STAFF_ONLY, kwargs=_belt),
]
